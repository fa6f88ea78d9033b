/*
 * codec_json.c: records to and from JSON in the protobuf JSON mapping, by reflection
 * over the protobuf-c descriptors (no per-field code). jansson does the JSON.
 */
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>

#include "codec_internal.h"

/* ---- names ------------------------------------------------------------------------ */

/* lowerCamelCase JSON name of a .proto field name (protoc's ToJsonName). */
static const char *json_name(char *buf, size_t cap, const char *name)
{
    size_t j = 0;
    int upper = 0;
    for (const char *p = name; *p && j + 1 < cap; p++) {
        if (*p == '_') {
            upper = 1;
            continue;
        }
        char c = *p;
        if (upper && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        upper = 0;
        buf[j++] = c;
    }
    buf[j] = '\0';
    return buf;
}

/* Does key equal the JSON name of the field name? */
static int json_name_eq(const char *name, const char *key)
{
    int upper = 0;
    for (; *name; name++) {
        if (*name == '_') {
            upper = 1;
            continue;
        }
        char c = *name;
        if (upper && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        upper = 0;
        if (*key++ != c)
            return 0;
    }
    return *key == '\0';
}

static const ProtobufCFieldDescriptor *find_field(const ProtobufCMessageDescriptor *d,
                                                  const char *key)
{
    const ProtobufCFieldDescriptor *fd = protobuf_c_message_descriptor_get_field_by_name(d, key);
    if (fd)
        return fd;
    for (unsigned i = 0; i < d->n_fields; i++)
        if (json_name_eq(d->fields[i].name, key))
            return &d->fields[i];
    return NULL;
}

/* ---- encoding ---------------------------------------------------------------------- */

typedef struct enc_ctx {
    pd_codec_path path;
} enc_ctx;

static json_t *enc_message(const ProtobufCMessage *m, enc_ctx *cx);

static json_t *enc_real(double v)
{
    if (isnan(v))
        return json_string("NaN");
    if (isinf(v))
        return json_string(v > 0 ? "Infinity" : "-Infinity");
    return json_real(v);
}

static json_t *enc_value(const ProtobufCFieldDescriptor *fd, const void *p, enc_ctx *cx)
{
    char tmp[32];
    switch (fd->type) {
    case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32: case PROTOBUF_C_TYPE_SFIXED32:
        return json_integer(*(const int32_t *)p);
    case PROTOBUF_C_TYPE_UINT32: case PROTOBUF_C_TYPE_FIXED32:
        return json_integer(*(const uint32_t *)p);
    case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
        snprintf(tmp, sizeof(tmp), "%" PRId64, *(const int64_t *)p);
        return json_string(tmp);
    case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64:
        snprintf(tmp, sizeof(tmp), "%" PRIu64, *(const uint64_t *)p);
        return json_string(tmp);
    case PROTOBUF_C_TYPE_FLOAT:
        return enc_real(*(const float *)p);
    case PROTOBUF_C_TYPE_DOUBLE:
        return enc_real(*(const double *)p);
    case PROTOBUF_C_TYPE_BOOL:
        return json_boolean(*(const protobuf_c_boolean *)p);
    case PROTOBUF_C_TYPE_ENUM: {
        int v = *(const int *)p;
        const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(fd->descriptor, v);
        return ev ? json_string(ev->name) : json_integer(v);
    }
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(const char *const *)p;
        json_t *j = json_string(s ? s : "");
        if (!j)
            pd_error__set(PD_EINVALID, "invalid UTF-8 in a string field");
        return j;
    }
    case PROTOBUF_C_TYPE_BYTES: {
        const ProtobufCBinaryData *b = p;
        char *s = NULL;
        if (pd_codec__b64_encode(&s, b->data, b->len) < 0)
            return NULL;
        json_t *j = json_string(s);
        free(s);
        return j;
    }
    case PROTOBUF_C_TYPE_MESSAGE:
        return enc_message(*(const ProtobufCMessage *const *)p, cx);
    }
    return NULL;
}

static json_t *enc_field(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *fd, enc_ctx *cx)
{
    const char *base = (const char *)m;
    if (fd->label != PROTOBUF_C_LABEL_REPEATED)
        return enc_value(fd, base + fd->offset, cx);
    size_t n = *(const size_t *)(base + fd->quantifier_offset);
    const char *arr = *(const char *const *)(base + fd->offset);
    size_t esz = pd_codec__elem_size(fd->type);
    json_t *a = json_array();
    if (!a)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t saved = pd_codec__path_push(&cx->path, NULL, (long)i);
        json_t *v = enc_value(fd, arr + i * esz, cx);
        if (!v || json_array_append_new(a, v) < 0) {
            json_decref(a);
            return NULL;
        }
        pd_codec__path_pop(&cx->path, saved);
    }
    return a;
}

static json_t *enc_message(const ProtobufCMessage *m, enc_ctx *cx)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    json_t *obj = json_object();
    if (!obj)
        return NULL;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *fd = &d->fields[i];
        if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
            if (*(const size_t *)((const char *)m + fd->quantifier_offset) == 0)
                continue;
        } else if (!pd_codec__has(m, fd)) {
            continue;
        }
        char key[128];
        size_t saved = pd_codec__path_push(&cx->path, fd->name, -1);
        json_t *v = enc_field(m, fd, cx);
        if (!v || json_object_set_new_nocheck(obj, json_name(key, sizeof(key), fd->name), v) < 0) {
            json_decref(obj);
            return NULL;
        }
        pd_codec__path_pop(&cx->path, saved);
    }
    return obj;
}

json_t *pd_codec__json_encode(const ProtobufCMessage *entity, unsigned flags)
{
    enc_ctx cx;
    cx.path.len = 0;
    cx.path.buf[0] = '\0';
    pd_error_clear();
    json_t *e = enc_message(entity, &cx);
    if (!e) {
        if (!pd_error_last()->code)
            pd_error__oom();
        pd_error__set_path(cx.path.buf);
        return NULL;
    }
    if (flags & PD_JSON_BARE)
        return e;
    pd_kind k = pd_codec__kind_of(entity->descriptor);
    const ProtobufCFieldDescriptor *fd =
        protobuf_c_message_descriptor_get_field(&pd__pb__record__descriptor, (unsigned)k);
    char key[64];
    json_t *env = json_object();
    if (!env || !fd || json_object_set_new_nocheck(env, json_name(key, sizeof(key), fd->name), e) < 0) {
        json_decref(env);
        pd_error__oom();
        return NULL;
    }
    return env;
}

int pd_record_to_json(char **out, const pd_record *r, unsigned flags)
{
    *out = NULL;
    const ProtobufCMessage *m = PD_CMSG(r);
    if (!m || pd_codec__kind_of(m->descriptor) == PD_KIND_NONE)
        return pd_error__set(PD_EINVALID, "not a record");
    json_t *j = pd_codec__json_encode(m, flags);
    if (!j)
        return pd_error_last()->code;
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!s)
        return pd_error__oom();
    /* jansson allocates with malloc (default allocators), so pd_free() frees it */
    *out = s;
    return 0;
}

/* ---- decoding ------------------------------------------------------------------------ */

typedef struct dec_ctx {
    pd_codec_path path;
    unsigned flags;
    int depth;
} dec_ctx;

#define SKIP 1 /* a value to leave out (unknown enum name, ignored) */

static int dec_fail(dec_ctx *cx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int dec_fail(dec_ctx *cx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pd_error__vset(PD_EPARSE, fmt, ap);
    va_end(ap);
    pd_error__set_path(cx->path.buf[0] ? cx->path.buf : NULL);
    return PD_EPARSE;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* Decimal integer text (JSON mapping allows quoted integers). No locale. */
static int parse_int_text(const char *s, int64_t *sv, uint64_t *uv, int *neg)
{
    *neg = 0;
    if (*s == '-') {
        *neg = 1;
        s++;
    }
    if (!*s)
        return -1;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
            return -2;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *uv = v;
    if (*neg) {
        if (v > (uint64_t)INT64_MAX + 1)
            return -2;
        *sv = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    } else {
        *sv = v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
    }
    return 0;
}

/* An integer field's value: a JSON integer, an integral real, or a quoted integer. */
static int dec_integer(dec_ctx *cx, const json_t *v, int is_unsigned, int bits, int64_t *sv,
                       uint64_t *uv)
{
    int neg = 0;
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);
        *sv = x;
        *uv = (uint64_t)x;
        neg = x < 0;
    } else if (json_is_real(v)) {
        double x = json_real_value(v);
        if (x != floor(x) || x < -9.2233720368547758e18 || x >= 1.8446744073709552e19)
            return dec_fail(cx, "expected an integer, got %g", x);
        neg = x < 0;
        if (neg || x < 9.2233720368547758e18)
            *sv = (int64_t)x, *uv = (uint64_t)*sv;
        else
            *uv = (uint64_t)x, *sv = INT64_MAX;
    } else if (json_is_string(v)) {
        int rc = parse_int_text(json_string_value(v), sv, uv, &neg);
        if (rc == -1)
            return dec_fail(cx, "expected an integer, got \"%.40s\"", json_string_value(v));
        if (rc == -2)
            return dec_fail(cx, "number out of range: %.40s", json_string_value(v));
    } else {
        return dec_fail(cx, "expected an integer, got %s", type_name(v));
    }
    if (is_unsigned) {
        if (neg || (bits == 32 && *uv > UINT32_MAX))
            return dec_fail(cx, "number out of range for uint%d", bits);
    } else {
        if (!neg && *uv > (uint64_t)INT64_MAX)
            return dec_fail(cx, "number out of range for int%d", bits);
        if (bits == 32 && (*sv < INT32_MIN || *sv > INT32_MAX))
            return dec_fail(cx, "number out of range for int32: %" PRId64, *sv);
    }
    return 0;
}

static int dec_real(dec_ctx *cx, const json_t *v, int is_float, double *out)
{
    if (json_is_number(v)) {
        *out = json_number_value(v);
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (!strcmp(s, "NaN"))
            *out = NAN;
        else if (!strcmp(s, "Infinity"))
            *out = INFINITY;
        else if (!strcmp(s, "-Infinity"))
            *out = -INFINITY;
        else {
            /* a quoted number: let jansson read it (no locale-dependent strtod) */
            json_t *n = json_loads(s, JSON_DECODE_ANY, NULL);
            int ok = n && json_is_number(n);
            if (ok)
                *out = json_number_value(n);
            json_decref(n);
            if (!ok)
                return dec_fail(cx, "expected a number, got \"%.40s\"", s);
        }
    } else {
        return dec_fail(cx, "expected a number, got %s", type_name(v));
    }
    if (is_float && isfinite(*out) && fabs(*out) > FLT_MAX)
        return dec_fail(cx, "number out of range for float");
    return 0;
}

static int dec_message(ProtobufCMessage *m, const json_t *obj, dec_ctx *cx);

static int dec_value(const ProtobufCFieldDescriptor *fd, void *dst, const json_t *v, dec_ctx *cx)
{
    int64_t sv = 0;
    uint64_t uv = 0;
    int rc;
    switch (fd->type) {
    case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32: case PROTOBUF_C_TYPE_SFIXED32:
        if ((rc = dec_integer(cx, v, 0, 32, &sv, &uv)) < 0)
            return rc;
        *(int32_t *)dst = (int32_t)sv;
        return 0;
    case PROTOBUF_C_TYPE_UINT32: case PROTOBUF_C_TYPE_FIXED32:
        if ((rc = dec_integer(cx, v, 1, 32, &sv, &uv)) < 0)
            return rc;
        *(uint32_t *)dst = (uint32_t)uv;
        return 0;
    case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
        if ((rc = dec_integer(cx, v, 0, 64, &sv, &uv)) < 0)
            return rc;
        *(int64_t *)dst = sv;
        return 0;
    case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64:
        if ((rc = dec_integer(cx, v, 1, 64, &sv, &uv)) < 0)
            return rc;
        *(uint64_t *)dst = uv;
        return 0;
    case PROTOBUF_C_TYPE_FLOAT: case PROTOBUF_C_TYPE_DOUBLE: {
        double d = 0;
        if ((rc = dec_real(cx, v, fd->type == PROTOBUF_C_TYPE_FLOAT, &d)) < 0)
            return rc;
        if (fd->type == PROTOBUF_C_TYPE_FLOAT)
            *(float *)dst = (float)d;
        else
            *(double *)dst = d;
        return 0;
    }
    case PROTOBUF_C_TYPE_BOOL:
        if (!json_is_boolean(v))
            return dec_fail(cx, "expected true or false, got %s", type_name(v));
        *(protobuf_c_boolean *)dst = json_is_true(v);
        return 0;
    case PROTOBUF_C_TYPE_ENUM: {
        const ProtobufCEnumDescriptor *ed = fd->descriptor;
        if (json_is_string(v)) {
            const ProtobufCEnumValue *ev =
                protobuf_c_enum_descriptor_get_value_by_name(ed, json_string_value(v));
            if (!ev) {
                if (cx->flags & PD_JSON_IGNORE_UNKNOWN)
                    return SKIP;
                return dec_fail(cx, "unknown %s value \"%.60s\"", ed->name, json_string_value(v));
            }
            *(int *)dst = ev->value;
            return 0;
        }
        if (json_is_integer(v)) {
            if ((rc = dec_integer(cx, v, 0, 32, &sv, &uv)) < 0)
                return rc;
            *(int *)dst = (int)sv;
            return 0;
        }
        return dec_fail(cx, "expected an enum name, got %s", type_name(v));
    }
    case PROTOBUF_C_TYPE_STRING: {
        if (!json_is_string(v))
            return dec_fail(cx, "expected a string, got %s", type_name(v));
        size_t n = json_string_length(v);
        const char *s = json_string_value(v);
        if (memchr(s, '\0', n))
            return dec_fail(cx, "NUL character in a string");
        char *c = pd__strndup(s, n);
        if (!c)
            return PD_ENOMEM;
        *(char **)dst = c;
        return 0;
    }
    case PROTOBUF_C_TYPE_BYTES: {
        if (!json_is_string(v))
            return dec_fail(cx, "expected a base64 string, got %s", type_name(v));
        ProtobufCBinaryData *b = dst;
        rc = pd_codec__b64_decode(&b->data, &b->len, json_string_value(v), json_string_length(v));
        if (rc == -1)
            return dec_fail(cx, "invalid base64");
        return rc;
    }
    case PROTOBUF_C_TYPE_MESSAGE: {
        if (!json_is_object(v))
            return dec_fail(cx, "expected an object, got %s", type_name(v));
        if (cx->depth >= PD_JSON_MAX_DEPTH)
            return dec_fail(cx, "nesting deeper than %d", PD_JSON_MAX_DEPTH);
        ProtobufCMessage *sub = pd_codec__msg_new(fd->descriptor);
        if (!sub)
            return PD_ENOMEM;
        *(ProtobufCMessage **)dst = sub; /* owned by the parent from now on */
        cx->depth++;
        rc = dec_message(sub, v, cx);
        cx->depth--;
        return rc;
    }
    }
    return dec_fail(cx, "unsupported field type");
}

static int dec_repeated(ProtobufCMessage *m, const ProtobufCFieldDescriptor *fd, const json_t *v,
                        dec_ctx *cx)
{
    if (!json_is_array(v))
        return dec_fail(cx, "expected an array, got %s", type_name(v));
    char *base = (char *)m;
    size_t *count = (size_t *)(base + fd->quantifier_offset);
    void **arrp = (void **)(base + fd->offset);
    if (*count > 0)
        return dec_fail(cx, "field given twice");
    size_t n = json_array_size(v), esz = pd_codec__elem_size(fd->type);
    if (n == 0)
        return 0;
    char *arr = calloc(n, esz);
    if (!arr)
        return pd_error__oom();
    free(*arrp);
    *arrp = arr;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(v, i);
        size_t saved = pd_codec__path_push(&cx->path, NULL, (long)i);
        if (json_is_null(e))
            return dec_fail(cx, "null in a repeated field");
        char *slot = arr + (*count) * esz;
        int rc = dec_value(fd, slot, e, cx);
        /* a partly decoded message is freed with the parent */
        if (rc == 0 || (rc < 0 && fd->type == PROTOBUF_C_TYPE_MESSAGE && *(void **)slot))
            (*count)++;
        if (rc < 0)
            return rc;
        pd_codec__path_pop(&cx->path, saved);
    }
    return 0;
}

static int dec_message(ProtobufCMessage *m, const json_t *obj, dec_ctx *cx)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        const ProtobufCFieldDescriptor *fd = find_field(d, key);
        size_t saved = pd_codec__path_push(&cx->path, fd ? fd->name : key, -1);
        if (!fd) {
            if (cx->flags & PD_JSON_IGNORE_UNKNOWN) {
                pd_codec__path_pop(&cx->path, saved);
                continue;
            }
            return dec_fail(cx, "unknown field \"%.80s\" in %s", key, d->short_name);
        }
        if (!json_is_null(v)) {
            int rc;
            if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
                rc = dec_repeated(m, fd, v, cx);
            } else {
                pd_codec__clear_field(m, fd);
                rc = dec_value(fd, (char *)m + fd->offset, v, cx);
                if (rc == 0 || (rc < 0 && fd->type == PROTOBUF_C_TYPE_MESSAGE))
                    pd_codec__mark(m, fd);
            }
            if (rc < 0)
                return rc;
        }
        pd_codec__path_pop(&cx->path, saved);
    }
    return 0;
}

int pd_codec__json_decode(ProtobufCMessage **out, const char *json, size_t len, pd_kind kind,
                          unsigned flags, long *column)
{
    *out = NULL;
    if (column)
        *column = 0;
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (column)
            *column = jerr.column > 0 ? jerr.column : 0;
        return pd_error__set(PD_EPARSE, "invalid JSON: %s", jerr.text);
    }
    dec_ctx cx;
    cx.path.len = 0;
    cx.path.buf[0] = '\0';
    cx.flags = flags;
    cx.depth = 0;
    int rc = 0;
    const json_t *body = root;
    if (!json_is_object(root)) {
        rc = dec_fail(&cx, "expected a JSON object, got %s", type_name(root));
        goto done;
    }
    if (kind == PD_KIND_NONE) {
        const char *key;
        const json_t *v;
        body = NULL;
        json_object_foreach(root, key, v) {
            const ProtobufCFieldDescriptor *fd = find_field(&pd__pb__record__descriptor, key);
            if (!fd || !pd_codec__descriptor((pd_kind)fd->id)) {
                if (flags & PD_JSON_IGNORE_UNKNOWN)
                    continue;
                rc = dec_fail(&cx, "unknown field \"%.80s\" in Record", key);
                goto done;
            }
            if (json_is_null(v))
                continue;
            if (body) {
                rc = dec_fail(&cx, "more than one entity in a Record (\"%.40s\")", key);
                goto done;
            }
            body = v;
            kind = (pd_kind)fd->id;
        }
        if (!body) {
            rc = dec_fail(&cx, "the Record holds no entity");
            goto done;
        }
        if (!json_is_object(body)) {
            rc = dec_fail(&cx, "expected an object for the entity, got %s", type_name(body));
            goto done;
        }
    }
    const ProtobufCMessageDescriptor *d = pd_codec__descriptor(kind);
    if (!d) {
        rc = pd_error__set(PD_EINVALID, "unknown kind %d", (int)kind);
        goto done;
    }
    ProtobufCMessage *m = pd_codec__msg_new(d);
    if (!m) {
        rc = PD_ENOMEM;
        goto done;
    }
    rc = dec_message(m, body, &cx);
    if (rc < 0)
        protobuf_c_message_free_unpacked(m, NULL);
    else
        *out = m;
done:
    json_decref(root);
    return rc < 0 ? rc : 0;
}

int pd_record_from_json(pd_record **out, const char *json, size_t len, pd_kind kind,
                        unsigned flags)
{
    *out = NULL;
    if (!json)
        return pd_error__set(PD_EINVALID, "no JSON text");
    if (kind != PD_KIND_NONE && !pd_codec__descriptor(kind))
        return pd_error__set(PD_EINVALID, "unknown kind %d", (int)kind);
    long column = 0;
    ProtobufCMessage *m = NULL;
    int rc = pd_codec__json_decode(&m, json, len, kind, flags, &column);
    if (rc < 0) {
        if (column)
            pd_error__set_position(NULL, 1, column, 0, -1);
        return rc;
    }
    *out = (pd_record *)m;
    return 0;
}
