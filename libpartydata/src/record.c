/*
 * record.c: record handles, generic access by field path, copy, equality, diff.
 *
 * Handles are the protobuf-c messages themselves (pd_internal.h). Everything generic
 * here (paths, get/set/clear/has/count, equality, diff, path listing) walks the
 * ProtobufCMessageDescriptor / ProtobufCFieldDescriptor tables: offsets, quantifier
 * offsets (has_ flags, repeated counts, oneof cases) and field types. There is no
 * per-field code except in the typed getters and setters at the end.
 */
#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <utf8proc.h>

#include "pd_internal.h"

#define PD_PATH_MAX_DEPTH 16
#define PD_NAME_MAX 64

#define FPTR(msg, off) ((void *)((char *)(msg) + (off)))
#define CFPTR(msg, off) ((const void *)((const char *)(msg) + (off)))

/* ---- kinds ------------------------------------------------------------------ */

static const ProtobufCMessageDescriptor *kind_descriptor(pd_kind kind)
{
    switch (kind) {
    case PD_KIND_MEMBER:
        return &pd__pb__member__descriptor;
    case PD_KIND_ORG:
        return &pd__pb__organization__descriptor;
    case PD_KIND_MEMBERSHIP:
        return &pd__pb__membership__descriptor;
    case PD_KIND_EVENT:
        return &pd__pb__event__descriptor;
    case PD_KIND_RESIDENCE_LINK:
        return &pd__pb__residence_link__descriptor;
    default:
        return NULL;
    }
}

pd_kind pd_record_kind(const pd_record *r)
{
    if (!r)
        return PD_KIND_NONE;
    const ProtobufCMessageDescriptor *d = PD_CMSG(r)->descriptor;
    for (int k = PD_KIND_MEMBER; k <= PD_KIND_RESIDENCE_LINK; k++)
        if (kind_descriptor((pd_kind)k) == d)
            return (pd_kind)k;
    return PD_KIND_NONE;
}

const char *pd_kind_name(pd_kind kind)
{
    switch (kind) {
    case PD_KIND_MEMBER:
        return "member";
    case PD_KIND_ORG:
        return "organization";
    case PD_KIND_MEMBERSHIP:
        return "membership";
    case PD_KIND_EVENT:
        return "event";
    case PD_KIND_RESIDENCE_LINK:
        return "residence_link";
    default:
        return "none";
    }
}

/* ---- descriptor helpers ------------------------------------------------------- */

static size_t elt_size(ProtobufCType t)
{
    switch (t) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
    case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_ENUM:
        return 4;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
    case PROTOBUF_C_TYPE_DOUBLE:
        return 8;
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_STRING:
        return sizeof(char *);
    case PROTOBUF_C_TYPE_BYTES:
        return sizeof(ProtobufCBinaryData);
    case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof(ProtobufCMessage *);
    }
    return 0;
}

static int is_oneof(const ProtobufCFieldDescriptor *f)
{
    return (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0;
}

static int is_repeated(const ProtobufCFieldDescriptor *f)
{
    return f->label == PROTOBUF_C_LABEL_REPEATED;
}

/* bytes fields holding record ids: "id", "*_id", "*_ids" */
static int is_id_field(const ProtobufCFieldDescriptor *f)
{
    if (f->type != PROTOBUF_C_TYPE_BYTES)
        return 0;
    size_t n = strlen(f->name);
    if (strcmp(f->name, "id") == 0)
        return 1;
    if (n > 3 && strcmp(f->name + n - 3, "_id") == 0)
        return 1;
    return n > 4 && strcmp(f->name + n - 4, "_ids") == 0;
}

static size_t repeated_count(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    return m ? *(const size_t *)CFPTR(m, f->quantifier_offset) : 0;
}

/* element i of a repeated field */
static void *repeated_elt(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
                          size_t i)
{
    char *arr = *(char *const *)CFPTR(m, f->offset);
    return arr + i * elt_size(f->type);
}

/* Is the (non-repeated) field set? */
static int field_present(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    if (!m)
        return 0;
    if (is_repeated(f))
        return repeated_count(m, f) > 0;
    if (is_oneof(f))
        return *(const uint32_t *)CFPTR(m, f->quantifier_offset) == f->id;
    if (f->type == PROTOBUF_C_TYPE_MESSAGE || f->type == PROTOBUF_C_TYPE_STRING) {
        const void *p = *(const void *const *)CFPTR(m, f->offset);
        return p != NULL && p != f->default_value;
    }
    if (f->label == PROTOBUF_C_LABEL_REQUIRED)
        return 1;
    if (f->label == PROTOBUF_C_LABEL_NONE) { /* proto3 implicit presence */
        if (f->type == PROTOBUF_C_TYPE_BYTES)
            return ((const ProtobufCBinaryData *)CFPTR(m, f->offset))->len > 0;
        static const unsigned char zero[8];
        return memcmp(CFPTR(m, f->offset), zero, elt_size(f->type)) != 0;
    }
    return *(const protobuf_c_boolean *)CFPTR(m, f->quantifier_offset) != 0;
}

/* Free what one value slot owns and zero it. */
static void free_value(const ProtobufCFieldDescriptor *f, void *p)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING: {
        char *s = *(char **)p;
        if (s && s != f->default_value)
            free(s);
        *(char **)p = NULL;
        break;
    }
    case PROTOBUF_C_TYPE_BYTES: {
        ProtobufCBinaryData *b = p;
        const ProtobufCBinaryData *def = f->default_value;
        if (b->data && (!def || b->data != def->data))
            free(b->data);
        b->data = NULL;
        b->len = 0;
        break;
    }
    case PROTOBUF_C_TYPE_MESSAGE: {
        ProtobufCMessage *sub = *(ProtobufCMessage **)p;
        if (sub)
            protobuf_c_message_free_unpacked(sub, NULL);
        *(ProtobufCMessage **)p = NULL;
        break;
    }
    default:
        memset(p, 0, elt_size(f->type));
        break;
    }
}

/* Unset a field of m: scalar, message, whole repeated field or oneof member. */
static void clear_field(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    if (is_repeated(f)) {
        size_t n = repeated_count(m, f);
        for (size_t i = 0; i < n; i++)
            free_value(f, repeated_elt(m, f, i));
        free(*(void **)FPTR(m, f->offset));
        *(void **)FPTR(m, f->offset) = NULL;
        *(size_t *)FPTR(m, f->quantifier_offset) = 0;
        return;
    }
    if (is_oneof(f)) {
        uint32_t *c = FPTR(m, f->quantifier_offset);
        if (*c != f->id)
            return; /* the union holds another member */
        free_value(f, FPTR(m, f->offset));
        *c = 0;
        return;
    }
    free_value(f, FPTR(m, f->offset));
    if (f->type != PROTOBUF_C_TYPE_MESSAGE && f->type != PROTOBUF_C_TYPE_STRING &&
        f->type != PROTOBUF_C_TYPE_BYTES && f->default_value)
        memcpy(FPTR(m, f->offset), f->default_value, elt_size(f->type));
    if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->type != PROTOBUF_C_TYPE_MESSAGE &&
        f->type != PROTOBUF_C_TYPE_STRING)
        *(protobuf_c_boolean *)FPTR(m, f->quantifier_offset) = 0;
}

/* Before writing a oneof member: release the member the union holds now. */
static void oneof_take(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    uint32_t *c = FPTR(m, f->quantifier_offset);
    if (*c == f->id)
        return;
    if (*c != 0) {
        const ProtobufCFieldDescriptor *cur =
            protobuf_c_message_descriptor_get_field(m->descriptor, (unsigned)*c);
        if (cur)
            free_value(cur, FPTR(m, cur->offset));
    }
    memset(FPTR(m, f->offset), 0, elt_size(f->type));
    *c = f->id;
}

/* Mark a non-repeated field present after its value was written. */
static void mark_present(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    if (is_oneof(f))
        *(uint32_t *)FPTR(m, f->quantifier_offset) = f->id;
    else if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->type != PROTOBUF_C_TYPE_MESSAGE &&
             f->type != PROTOBUF_C_TYPE_STRING)
        *(protobuf_c_boolean *)FPTR(m, f->quantifier_offset) = 1;
}

static ProtobufCMessage *message_new(const ProtobufCMessageDescriptor *d)
{
    ProtobufCMessage *m = malloc(d->sizeof_message);
    if (!m) {
        pd_error__oom();
        return NULL;
    }
    protobuf_c_message_init(d, m);
    return m;
}

/* Append one zeroed element to a repeated field; returns its slot or NULL. */
static void *repeated_append(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    size_t n = repeated_count(m, f), sz = elt_size(f->type);
    char **arr = FPTR(m, f->offset);
    char *grown = realloc(*arr, (n + 1) * sz);
    if (!grown) {
        pd_error__oom();
        return NULL;
    }
    *arr = grown;
    memset(grown + n * sz, 0, sz);
    *(size_t *)FPTR(m, f->quantifier_offset) = n + 1;
    return grown + n * sz;
}

static void repeated_remove(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
                            size_t i)
{
    size_t n = repeated_count(m, f), sz = elt_size(f->type);
    char **arr = FPTR(m, f->offset);
    free_value(f, *arr + i * sz);
    memmove(*arr + i * sz, *arr + (i + 1) * sz, (n - i - 1) * sz);
    *(size_t *)FPTR(m, f->quantifier_offset) = n - 1;
    if (n == 1) {
        free(*arr);
        *arr = NULL;
    }
}

/* ---- enums ------------------------------------------------------------------------ */

/* "MemberStatus" -> "MEMBER_STATUS_": the prefix protobuf style gives value names */
static void enum_prefix(char *buf, size_t size, const ProtobufCEnumDescriptor *ed)
{
    size_t j = 0;
    const char *s = ed->short_name;
    for (size_t i = 0; s[i] && j + 3 < size; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') {
            if (i > 0 && ((s[i - 1] >= 'a' && s[i - 1] <= 'z') ||
                          (s[i - 1] >= '0' && s[i - 1] <= '9')))
                buf[j++] = '_';
            buf[j++] = c;
        } else if (c >= 'a' && c <= 'z') {
            buf[j++] = (char)(c - 'a' + 'A');
        } else {
            buf[j++] = c;
        }
    }
    buf[j++] = '_';
    buf[j] = '\0';
}

static const ProtobufCEnumValue *enum_by_text(const ProtobufCEnumDescriptor *ed,
                                              const char *text)
{
    const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value_by_name(ed, text);
    if (v)
        return v;
    char prefix[PD_NAME_MAX * 2];
    enum_prefix(prefix, sizeof prefix, ed);
    size_t pl = strlen(prefix);
    for (unsigned i = 0; i < ed->n_values; i++) {
        const char *name = ed->values[i].name;
        if (strncmp(name, prefix, pl) == 0 && strcmp(name + pl, text) == 0)
            return &ed->values[i];
    }
    return NULL;
}

/* ---- text <-> values ------------------------------------------------------------- */

/* fmt has one %s, the detail; the path goes in the error's field path */
static int valid_utf8(const char *s);

static int bad_value(const char *path, const char *fmt, const char *detail)
{
    /* the message shows the value only when it is short, printable UTF-8 */
    if (strlen(detail) > 80 || !valid_utf8(detail))
        detail = "...";
    int rc = pd_error__set(PD_EINVALID, fmt, detail);
    pd_error__set_path(path);
    return rc;
}

static int valid_utf8(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t n = (utf8proc_ssize_t)strlen(s);
    while (n > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, n, &cp);
        if (k <= 0 || cp < 0)
            return 0;
        p += k;
        n -= k;
    }
    return 1;
}

/* ASCII decimal only: optional '-' (if allowed), then digits; nothing else */
static int parse_decimal(const char *s, int allow_minus, long long *sv,
                         unsigned long long *uv)
{
    const char *p = s;
    if (*p == '-') {
        if (!allow_minus)
            return -1;
        p++;
    }
    if (!*p)
        return -1;
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9')
            return -1;
    errno = 0;
    char *end = NULL;
    if (allow_minus)
        *sv = strtoll(s, &end, 10);
    else
        *uv = strtoull(s, &end, 10);
    if (errno == ERANGE || !end || *end)
        return -1;
    return 0;
}

/* A parsed value, ready to move into a slot. */
typedef union value {
    int32_t i32;
    uint32_t u32;
    int64_t i64;
    uint64_t u64;
    float f;
    double d;
    protobuf_c_boolean b;
    char *s;
    ProtobufCBinaryData bin;
} value;

static int parse_real(double *out, const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &err);
    if (!j)
        return -1;
    int ok = json_is_number(j);
    if (ok)
        *out = json_number_value(j);
    json_decref(j);
    return ok ? 0 : -1;
}

static int parse_value(value *v, const ProtobufCFieldDescriptor *f, const char *text,
                       const char *path)
{
    long long sv = 0;
    unsigned long long uv = 0;
    memset(v, 0, sizeof *v);
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        if (parse_decimal(text, 1, &sv, NULL) || sv < INT32_MIN || sv > INT32_MAX)
            return bad_value(path, "not a 32-bit integer: \"%s\"", text);
        v->i32 = (int32_t)sv;
        return 0;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        if (parse_decimal(text, 1, &sv, NULL))
            return bad_value(path, "not a 64-bit integer: \"%s\"", text);
        v->i64 = (int64_t)sv;
        return 0;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        if (parse_decimal(text, 0, NULL, &uv) || uv > UINT32_MAX)
            return bad_value(path, "not an unsigned 32-bit integer: \"%s\"", text);
        v->u32 = (uint32_t)uv;
        return 0;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        if (parse_decimal(text, 0, NULL, &uv))
            return bad_value(path, "not an unsigned 64-bit integer: \"%s\"", text);
        v->u64 = (uint64_t)uv;
        return 0;
    case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_DOUBLE:
        if (parse_real(&v->d, text))
            return bad_value(path, "not a number: \"%s\"", text);
        if (f->type == PROTOBUF_C_TYPE_FLOAT)
            v->f = (float)v->d;
        return 0;
    case PROTOBUF_C_TYPE_BOOL:
        if (strcmp(text, "true") == 0)
            v->b = 1;
        else if (strcmp(text, "false") == 0)
            v->b = 0;
        else
            return bad_value(path, "not a boolean (true/false): \"%s\"", text);
        return 0;
    case PROTOBUF_C_TYPE_ENUM: {
        const ProtobufCEnumValue *ev = enum_by_text(f->descriptor, text);
        if (ev) {
            v->i32 = ev->value;
            return 0;
        }
        if (parse_decimal(text, 1, &sv, NULL) == 0 && sv >= INT32_MIN && sv <= INT32_MAX) {
            v->i32 = (int32_t)sv; /* a number outside the list survives (closed enums) */
            return 0;
        }
        return bad_value(path, "not a value of the enum: \"%s\"", text);
    }
    case PROTOBUF_C_TYPE_STRING:
        if (!valid_utf8(text))
            return bad_value(path, "%sinvalid UTF-8", "");
        v->s = pd__strdup(text);
        return v->s ? 0 : PD_ENOMEM;
    case PROTOBUF_C_TYPE_BYTES:
        if (is_id_field(f)) {
            pd_uuid u;
            if (pd_uuid_parse(&u, text) != 0)
                return bad_value(path, "not a UUID: \"%s\"", text);
            v->bin.data = malloc(16);
            if (!v->bin.data)
                return pd_error__oom();
            memcpy(v->bin.data, u.bytes, 16);
            v->bin.len = 16;
            return 0;
        } else {
            size_t tl = strlen(text), bl = 0;
            const char *end = NULL;
            v->bin.data = malloc(tl / 4 * 3 + 4);
            if (!v->bin.data)
                return pd_error__oom();
            if (sodium_base642bin(v->bin.data, tl / 4 * 3 + 4, text, tl, NULL, &bl, &end,
                                  sodium_base64_VARIANT_ORIGINAL) != 0 ||
                end != text + tl) {
                free(v->bin.data);
                v->bin.data = NULL;
                return bad_value(path, "not base64: \"%s\"", text);
            }
            v->bin.len = bl;
            if (bl == 0) {
                free(v->bin.data);
                v->bin.data = NULL;
            }
            return 0;
        }
    case PROTOBUF_C_TYPE_MESSAGE:
        break;
    }
    return bad_value(path, "%snot a scalar field", "");
}

/* Move a parsed value into a slot (whose old content was already freed). */
static void store_value(void *slot, const ProtobufCFieldDescriptor *f, const value *v)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_FLOAT:
        memcpy(slot, &v->f, sizeof v->f);
        break;
    case PROTOBUF_C_TYPE_BOOL:
        memcpy(slot, &v->b, sizeof v->b);
        break;
    case PROTOBUF_C_TYPE_STRING:
        memcpy(slot, &v->s, sizeof v->s);
        break;
    case PROTOBUF_C_TYPE_BYTES:
        memcpy(slot, &v->bin, sizeof v->bin);
        break;
    default:
        memcpy(slot, v, elt_size(f->type)); /* 4 or 8 bytes at the union's start */
        break;
    }
}

static int format_value(char **out, const ProtobufCFieldDescriptor *f, const void *p)
{
    char buf[64];
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        snprintf(buf, sizeof buf, "%ld", (long)*(const int32_t *)p);
        break;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        snprintf(buf, sizeof buf, "%lld", (long long)*(const int64_t *)p);
        break;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        snprintf(buf, sizeof buf, "%lu", (unsigned long)*(const uint32_t *)p);
        break;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)*(const uint64_t *)p);
        break;
    case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_DOUBLE: {
        double d = f->type == PROTOBUF_C_TYPE_FLOAT ? (double)*(const float *)p
                                                     : *(const double *)p;
        json_t *j = json_real(d);
        char *s = j ? json_dumps(j, JSON_ENCODE_ANY | JSON_REAL_PRECISION(17)) : NULL;
        json_decref(j);
        if (!s)
            return pd_error__set(PD_EINVALID, "number cannot be written as text");
        *out = pd__strdup(s);
        free(s);
        return *out ? 0 : PD_ENOMEM;
    }
    case PROTOBUF_C_TYPE_BOOL:
        snprintf(buf, sizeof buf, "%s", *(const protobuf_c_boolean *)p ? "true" : "false");
        break;
    case PROTOBUF_C_TYPE_ENUM: {
        int32_t iv = *(const int32_t *)p;
        const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(f->descriptor, iv);
        if (ev)
            snprintf(buf, sizeof buf, "%s", ev->name);
        else
            snprintf(buf, sizeof buf, "%ld", (long)iv);
        break;
    }
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(const char *const *)p;
        *out = pd__strdup(s ? s : "");
        return *out ? 0 : PD_ENOMEM;
    }
    case PROTOBUF_C_TYPE_BYTES: {
        const ProtobufCBinaryData *b = p;
        if (is_id_field(f) && b->len == 16) {
            pd_uuid u;
            memcpy(u.bytes, b->data, 16);
            *out = malloc(PD_UUID_STRLEN);
            if (!*out)
                return pd_error__oom();
            pd_uuid_format(*out, &u);
            return 0;
        }
        size_t n = sodium_base64_ENCODED_LEN(b->len, sodium_base64_VARIANT_ORIGINAL);
        *out = malloc(n);
        if (!*out)
            return pd_error__oom();
        sodium_bin2base64(*out, n, b->len ? b->data : (const unsigned char *)"", b->len,
                          sodium_base64_VARIANT_ORIGINAL);
        return 0;
    }
    case PROTOBUF_C_TYPE_MESSAGE:
        return pd_error__set(PD_EINVALID, "not a scalar field");
    }
    *out = pd__strdup(buf);
    return *out ? 0 : PD_ENOMEM;
}

/* ---- paths ------------------------------------------------------------------------ */

/* Where a path leads. msg is NULL when an ancestor message is absent. */
typedef struct loc {
    ProtobufCMessage *msg;
    const ProtobufCFieldDescriptor *f;
    long index;  /* -1: no [i] on the last segment */
    int beyond;  /* some index is past the end (more than an append) */
} loc;

static int bad_path(const char *path, const char *fmt, const char *detail)
{
    int rc = pd_error__set(PD_EINVALID, fmt, detail);
    pd_error__set_path(path);
    return rc;
}

/*
 * Walk path from root. With create, absent parent messages are made and index == count
 * appends a message element; otherwise the walk only reads (loc.msg NULL when absent).
 * Always checks the whole path against the schema first.
 */
static int resolve(loc *L, const ProtobufCMessageDescriptor *d, ProtobufCMessage *root,
                   const char *path, int create)
{
    memset(L, 0, sizeof *L);
    L->index = -1;
    if (!path || !*path)
        return bad_path(path, "empty field path%s", "");
    ProtobufCMessage *m = root;
    const char *s = path;
    for (int depth = 0;; depth++) {
        if (depth >= PD_PATH_MAX_DEPTH)
            return bad_path(path, "field path too deep%s", "");
        char name[PD_NAME_MAX];
        size_t n = 0;
        while (s[n] && s[n] != '.' && s[n] != '[')
            n++;
        if (n == 0 || n >= sizeof name)
            return bad_path(path, "bad field name in path%s", "");
        memcpy(name, s, n);
        name[n] = '\0';
        s += n;
        long index = -1;
        if (*s == '[') {
            s++;
            if (*s < '0' || *s > '9')
                return bad_path(path, "bad index in path%s", "");
            index = 0;
            while (*s >= '0' && *s <= '9') {
                if (index > 100000000L)
                    return bad_path(path, "index too large in path%s", "");
                index = index * 10 + (*s++ - '0');
            }
            if (*s++ != ']')
                return bad_path(path, "missing ] in path%s", "");
        }
        if (*s != '\0' && *s != '.')
            return bad_path(path, "bad character in path%s", "");
        int last = *s == '\0';
        if (!last && s[1] == '\0')
            return bad_path(path, "path ends with a dot%s", "");
        const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field_by_name(d, name);
        if (!f) {
            int rc = pd_error__set(PD_EINVALID, "no field \"%s\" in %s", name,
                                   d->short_name);
            pd_error__set_path(path);
            return rc;
        }
        if (index >= 0 && !is_repeated(f))
            return bad_path(path, "field \"%s\" is not repeated", f->name);
        if (last) {
            if (index >= 0 && (size_t)index > repeated_count(m, f))
                L->beyond = 1;
            L->msg = m;
            L->f = f;
            L->index = index;
            return 0;
        }
        if (f->type != PROTOBUF_C_TYPE_MESSAGE)
            return bad_path(path, "field \"%s\" has no sub-fields", f->name);
        if (is_repeated(f) && index < 0)
            return bad_path(path, "repeated field \"%s\" needs an index", f->name);
        if (is_repeated(f)) {
            size_t cnt = repeated_count(m, f);
            if ((size_t)index < cnt) {
                m = *(ProtobufCMessage **)repeated_elt(m, f, (size_t)index);
            } else {
                if ((size_t)index > cnt)
                    L->beyond = 1;
                if (create && (size_t)index == cnt && m) {
                    ProtobufCMessage *nm = message_new(f->descriptor);
                    if (!nm)
                        return PD_ENOMEM;
                    ProtobufCMessage **slot = repeated_append(m, f);
                    if (!slot) {
                        free(nm);
                        return PD_ENOMEM;
                    }
                    *slot = nm;
                    m = nm;
                } else if (create) {
                    return bad_path(path, "index past the end of \"%s\"", f->name);
                } else {
                    m = NULL;
                }
            }
        } else if (m && field_present(m, f)) {
            m = *(ProtobufCMessage **)FPTR(m, f->offset);
        } else if (create && m) {
            ProtobufCMessage *nm = message_new(f->descriptor);
            if (!nm)
                return PD_ENOMEM;
            if (is_oneof(f))
                oneof_take(m, f);
            *(ProtobufCMessage **)FPTR(m, f->offset) = nm;
            mark_present(m, f);
            m = nm;
        } else {
            m = NULL;
        }
        d = f->descriptor;
        s++; /* the dot */
    }
}

static int check_record(const pd_record *r, const char *path)
{
    if (!r)
        return bad_path(path, "%sno record", "");
    return 0;
}

int pd_record_get(char **out, const pd_record *r, const char *path)
{
    loc L;
    if (out)
        *out = NULL;
    int rc = check_record(r, path);
    if (rc < 0)
        return rc;
    if (!out)
        return pd_error__set(PD_EINVALID, "out is NULL");
    rc = resolve(&L, PD_CMSG(r)->descriptor, (ProtobufCMessage *)r, path, 0);
    if (rc < 0)
        return rc;
    if (L.f->type == PROTOBUF_C_TYPE_MESSAGE)
        return bad_path(path, "field \"%s\" is a message, not a scalar", L.f->name);
    if (is_repeated(L.f) && L.index < 0)
        return bad_path(path, "repeated field \"%s\" needs an index", L.f->name);
    const void *slot;
    if (is_repeated(L.f)) {
        if (!L.msg || (size_t)L.index >= repeated_count(L.msg, L.f))
            goto notfound;
        slot = repeated_elt(L.msg, L.f, (size_t)L.index);
    } else {
        if (!field_present(L.msg, L.f))
            goto notfound;
        slot = FPTR(L.msg, L.f->offset);
    }
    return format_value(out, L.f, slot);
notfound:
    rc = pd_error__set(PD_ENOTFOUND, "field not set");
    pd_error__set_path(path);
    return rc;
}

int pd_record_set(pd_record *r, const char *path, const char *value_text)
{
    loc L;
    int rc = check_record(r, path);
    if (rc < 0)
        return rc;
    rc = resolve(&L, PD_CMSG(r)->descriptor, PD_MSG(r), path, 0);
    if (rc < 0)
        return rc;
    const ProtobufCFieldDescriptor *f = L.f;
    if (f->type == PROTOBUF_C_TYPE_MESSAGE)
        return bad_path(path, "field \"%s\" is a message, not a scalar", f->name);
    if (is_repeated(f) && L.index < 0)
        return bad_path(path, "repeated field \"%s\" needs an index", f->name);
    if (L.beyond)
        return bad_path(path, "%sindex past the end", "");
    if (!value_text)
        return bad_path(path, "%sNULL value (use clear)", "");
    value v;
    rc = parse_value(&v, f, value_text, path); /* before anything is made */
    if (rc < 0)
        return rc;
    rc = resolve(&L, PD_CMSG(r)->descriptor, PD_MSG(r), path, 1);
    if (rc < 0) {
        free_value(f, &v); /* v's layout matches the slot for strings and bytes */
        return rc;
    }
    void *slot;
    if (is_repeated(f)) {
        if ((size_t)L.index == repeated_count(L.msg, f)) {
            slot = repeated_append(L.msg, f);
            if (!slot) {
                free_value(f, &v);
                return PD_ENOMEM;
            }
        } else {
            slot = repeated_elt(L.msg, f, (size_t)L.index);
            free_value(f, slot);
        }
    } else {
        slot = FPTR(L.msg, f->offset);
        if (is_oneof(f) && !field_present(L.msg, f))
            oneof_take(L.msg, f);
        else
            free_value(f, slot);
    }
    store_value(slot, f, &v);
    if (!is_repeated(f))
        mark_present(L.msg, f);
    return 0;
}

int pd_record_clear(pd_record *r, const char *path)
{
    loc L;
    int rc = check_record(r, path);
    if (rc < 0)
        return rc;
    rc = resolve(&L, PD_CMSG(r)->descriptor, PD_MSG(r), path, 0);
    if (rc < 0)
        return rc;
    if (!L.msg)
        return 0;
    if (is_repeated(L.f) && L.index >= 0) {
        if ((size_t)L.index < repeated_count(L.msg, L.f))
            repeated_remove(L.msg, L.f, (size_t)L.index);
        return 0;
    }
    clear_field(L.msg, L.f);
    return 0;
}

int pd_record_has(const pd_record *r, const char *path)
{
    loc L;
    int rc = check_record(r, path);
    if (rc < 0)
        return rc;
    rc = resolve(&L, PD_CMSG(r)->descriptor, (ProtobufCMessage *)r, path, 0);
    if (rc < 0)
        return rc;
    if (!L.msg)
        return 0;
    if (is_repeated(L.f) && L.index >= 0)
        return (size_t)L.index < repeated_count(L.msg, L.f);
    return field_present(L.msg, L.f);
}

int pd_record_count(size_t *out, const pd_record *r, const char *path)
{
    loc L;
    if (out)
        *out = 0;
    int rc = check_record(r, path);
    if (rc < 0)
        return rc;
    if (!out)
        return pd_error__set(PD_EINVALID, "out is NULL");
    rc = resolve(&L, PD_CMSG(r)->descriptor, (ProtobufCMessage *)r, path, 0);
    if (rc < 0)
        return rc;
    if (!is_repeated(L.f) || L.index >= 0)
        return bad_path(path, "%snot a repeated field", "");
    *out = repeated_count(L.msg, L.f);
    return 0;
}

int pd_record_field_type(pd_kind kind, const char *path)
{
    const ProtobufCMessageDescriptor *d = kind_descriptor(kind);
    if (!d)
        return pd_error__set(PD_EINVALID, "unknown record kind %d", (int)kind);
    loc L;
    int rc = resolve(&L, d, NULL, path, 0);
    if (rc < 0)
        return rc;
    int t;
    switch (L.f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        t = PD_FIELD_INT;
        break;
    case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_DOUBLE:
        t = PD_FIELD_REAL;
        break;
    case PROTOBUF_C_TYPE_BOOL:
        t = PD_FIELD_BOOL;
        break;
    case PROTOBUF_C_TYPE_ENUM:
        t = PD_FIELD_ENUM;
        break;
    case PROTOBUF_C_TYPE_STRING:
        t = PD_FIELD_STRING;
        break;
    case PROTOBUF_C_TYPE_BYTES:
        t = is_id_field(L.f) ? PD_FIELD_ID : PD_FIELD_BYTES;
        break;
    default:
        t = PD_FIELD_MESSAGE;
        break;
    }
    if (is_repeated(L.f) && L.index < 0)
        t |= PD_FIELD_REPEATED;
    return t;
}

/* ---- listing paths -------------------------------------------------------------- */

static int list_paths(pd_strarray *out, const ProtobufCMessageDescriptor *d, char *buf,
                      size_t len, size_t cap, int depth)
{
    if (depth > PD_PATH_MAX_DEPTH)
        return 0; /* recursive schemas stop here */
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        int n = snprintf(buf + len, cap - len, "%s%s%s", len ? "." : "", f->name,
                         is_repeated(f) ? "[]" : "");
        if (n < 0 || (size_t)n >= cap - len)
            return pd_error__set(PD_ELIMIT, "field path too long");
        int rc;
        if (f->type == PROTOBUF_C_TYPE_MESSAGE)
            rc = list_paths(out, f->descriptor, buf, len + (size_t)n, cap, depth + 1);
        else
            rc = pd__strarray_push(out, buf);
        if (rc < 0)
            return rc;
        buf[len] = '\0';
    }
    return 0;
}

int pd_record_paths(pd_strarray *out, pd_kind kind)
{
    if (!out)
        return pd_error__set(PD_EINVALID, "out is NULL");
    out->strings = NULL;
    out->count = 0;
    const ProtobufCMessageDescriptor *d = kind_descriptor(kind);
    if (!d)
        return pd_error__set(PD_EINVALID, "unknown record kind %d", (int)kind);
    char buf[1024];
    buf[0] = '\0';
    int rc = list_paths(out, d, buf, 0, sizeof buf, 0);
    if (rc < 0)
        pd_strarray_dispose(out);
    return rc;
}

/* ---- equality and diff ------------------------------------------------------------ */

typedef struct diffctx {
    pd_strarray *out; /* NULL: only find whether anything differs */
    int differs;
    int rc;
    char path[1024];
} diffctx;

static int value_equal(const ProtobufCFieldDescriptor *f, const void *a, const void *b)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING: {
        const char *x = *(const char *const *)a, *y = *(const char *const *)b;
        return strcmp(x ? x : "", y ? y : "") == 0;
    }
    case PROTOBUF_C_TYPE_BYTES: {
        const ProtobufCBinaryData *x = a, *y = b;
        return x->len == y->len && (x->len == 0 || memcmp(x->data, y->data, x->len) == 0);
    }
    case PROTOBUF_C_TYPE_BOOL:
        return !*(const protobuf_c_boolean *)a == !*(const protobuf_c_boolean *)b;
    default:
        return memcmp(a, b, elt_size(f->type)) == 0;
    }
}

static int unknown_equal(const ProtobufCMessage *a, const ProtobufCMessage *b)
{
    unsigned na = a ? a->n_unknown_fields : 0, nb = b ? b->n_unknown_fields : 0;
    if (na != nb)
        return 0;
    for (unsigned i = 0; i < na; i++) {
        const ProtobufCMessageUnknownField *x = &a->unknown_fields[i];
        const ProtobufCMessageUnknownField *y = &b->unknown_fields[i];
        if (x->tag != y->tag || x->wire_type != y->wire_type || x->len != y->len ||
            (x->len && memcmp(x->data, y->data, x->len) != 0))
            return 0;
    }
    return 1;
}

static void emit(diffctx *c)
{
    c->differs = 1;
    if (c->out && c->rc == 0)
        c->rc = pd__strarray_push(c->out, c->path);
}

static int done(const diffctx *c)
{
    return c->rc < 0 || (!c->out && c->differs);
}

/* append "sep name[index]" to c->path; returns the old length or -1 if too long */
static long push_path(diffctx *c, const char *name, long index)
{
    if (!c->out)
        return 0; /* equality only: no paths to build */
    size_t len = strlen(c->path), cap = sizeof c->path;
    int n = index >= 0 ? snprintf(c->path + len, cap - len, "%s%s[%ld]", len ? "." : "",
                                  name, index)
                       : snprintf(c->path + len, cap - len, "%s%s", len ? "." : "", name);
    if (n < 0 || (size_t)n >= cap - len) {
        c->path[len] = '\0';
        c->rc = pd_error__set(PD_ELIMIT, "field path too long");
        return -1;
    }
    return (long)len;
}

static void diff_msg(diffctx *c, const ProtobufCMessage *a, const ProtobufCMessage *b,
                     const ProtobufCMessageDescriptor *d, int depth);

/* compare one value of field f; a or b may be NULL (absent) */
static void diff_value(diffctx *c, const ProtobufCFieldDescriptor *f, const void *a,
                       const void *b, int depth)
{
    if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
        const ProtobufCMessage *ma = a ? *(const ProtobufCMessage *const *)a : NULL;
        const ProtobufCMessage *mb = b ? *(const ProtobufCMessage *const *)b : NULL;
        if (!ma && !mb)
            return;
        size_t before = c->out ? c->out->count : 0;
        int differed = c->differs;
        c->differs = 0;
        diff_msg(c, ma, mb, f->descriptor, depth + 1);
        int sub = c->differs;
        c->differs = differed || sub;
        /* presence differs but no leaf below does: name the message itself */
        if (!done(c) && (!ma || !mb) && (c->out ? c->out->count == before : !sub))
            emit(c);
        return;
    }
    if (!a || !b || !value_equal(f, a, b))
        emit(c);
}

static void diff_msg(diffctx *c, const ProtobufCMessage *a, const ProtobufCMessage *b,
                     const ProtobufCMessageDescriptor *d, int depth)
{
    if (depth > PD_PATH_MAX_DEPTH * 4) {
        c->rc = pd_error__set(PD_ELIMIT, "messages nested too deep");
        return;
    }
    for (unsigned i = 0; i < d->n_fields && !done(c); i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (is_repeated(f)) {
            size_t na = repeated_count(a, f), nb = repeated_count(b, f);
            size_t n = na > nb ? na : nb;
            for (size_t k = 0; k < n && !done(c); k++) {
                long old = push_path(c, f->name, (long)k);
                if (old < 0)
                    return;
                if (k < na && k < nb)
                    diff_value(c, f, repeated_elt(a, f, k), repeated_elt(b, f, k), depth);
                else
                    emit(c); /* one side has more elements */
                c->path[old] = '\0';
            }
            continue;
        }
        int pa = field_present(a, f), pb = field_present(b, f);
        if (!pa && !pb)
            continue;
        long old = push_path(c, f->name, -1);
        if (old < 0)
            return;
        diff_value(c, f, pa ? CFPTR(a, f->offset) : NULL, pb ? CFPTR(b, f->offset) : NULL,
                   depth);
        c->path[old] = '\0';
    }
    /* unknown fields take part in equality, not in the path list */
    if (!c->out && !done(c) && !unknown_equal(a, b))
        c->differs = 1;
}

int pd_record_equal(const pd_record *a, const pd_record *b)
{
    if (a == b)
        return 1;
    if (!a || !b || PD_CMSG(a)->descriptor != PD_CMSG(b)->descriptor)
        return 0;
    diffctx c;
    memset(&c, 0, sizeof c);
    diff_msg(&c, PD_CMSG(a), PD_CMSG(b), PD_CMSG(a)->descriptor, 0);
    return !c.differs && c.rc == 0;
}

int pd_record_diff(pd_strarray *out, const pd_record *a, const pd_record *b)
{
    if (!out)
        return pd_error__set(PD_EINVALID, "out is NULL");
    out->strings = NULL;
    out->count = 0;
    if (!a || !b)
        return pd_error__set(PD_EINVALID, "diff of a NULL record");
    if (PD_CMSG(a)->descriptor != PD_CMSG(b)->descriptor)
        return pd_error__set(PD_EINVALID, "diff of records of different kinds (%s, %s)",
                             PD_CMSG(a)->descriptor->short_name,
                             PD_CMSG(b)->descriptor->short_name);
    diffctx c;
    memset(&c, 0, sizeof c);
    c.out = out;
    diff_msg(&c, PD_CMSG(a), PD_CMSG(b), PD_CMSG(a)->descriptor, 0);
    if (c.rc < 0)
        pd_strarray_dispose(out);
    return c.rc;
}

/* ---- new, free, dup ----------------------------------------------------------------- */

static int set_id_bytes(ProtobufCMessage *m, const pd_uuid *id)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field_by_name(m->descriptor, "id");
    if (!f || f->type != PROTOBUF_C_TYPE_BYTES)
        return pd_error__set(PD_EINVALID, "%s has no id", m->descriptor->short_name);
    unsigned char *data = malloc(16);
    if (!data)
        return pd_error__oom();
    memcpy(data, id->bytes, 16);
    free_value(f, FPTR(m, f->offset));
    ProtobufCBinaryData *b = FPTR(m, f->offset);
    b->data = data;
    b->len = 16;
    mark_present(m, f);
    return 0;
}

static int get_id_bytes(pd_uuid *out, const ProtobufCMessage *m, const char *name)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!m || !out)
        return pd_error__set(PD_EINVALID, "NULL record or out");
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field_by_name(m->descriptor, name);
    if (!f || f->type != PROTOBUF_C_TYPE_BYTES || is_repeated(f))
        return pd_error__set(PD_EINVALID, "%s has no %s", m->descriptor->short_name, name);
    if (!field_present(m, f))
        goto notfound;
    const ProtobufCBinaryData *b = CFPTR(m, f->offset);
    if (b->len != 16)
        goto notfound;
    memcpy(out->bytes, b->data, 16);
    return 0;
notfound:
    pd_error__set(PD_ENOTFOUND, "%s has no %s", m->descriptor->short_name, name);
    pd_error__set_path(name);
    return PD_ENOTFOUND;
}

/* set (id non-NULL) or clear a single 16-byte id field by name */
static int put_id_bytes(ProtobufCMessage *m, const char *name, const pd_uuid *id)
{
    if (!m)
        return pd_error__set(PD_EINVALID, "NULL record");
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field_by_name(m->descriptor, name);
    if (!f || f->type != PROTOBUF_C_TYPE_BYTES || is_repeated(f))
        return pd_error__set(PD_EINVALID, "%s has no %s", m->descriptor->short_name, name);
    if (!id) {
        clear_field(m, f);
        return 0;
    }
    unsigned char *data = malloc(16);
    if (!data)
        return pd_error__oom();
    memcpy(data, id->bytes, 16);
    free_value(f, FPTR(m, f->offset));
    ProtobufCBinaryData *b = FPTR(m, f->offset);
    b->data = data;
    b->len = 16;
    mark_present(m, f);
    return 0;
}

int pd_record_new(pd_record **out, pd_kind kind)
{
    if (!out)
        return pd_error__set(PD_EINVALID, "out is NULL");
    *out = NULL;
    const ProtobufCMessageDescriptor *d = kind_descriptor(kind);
    if (!d)
        return pd_error__set(PD_EINVALID, "unknown record kind %d", (int)kind);
    ProtobufCMessage *m = message_new(d);
    if (!m)
        return PD_ENOMEM;
    pd_uuid id;
    int rc = pd_uuid_new(&id);
    if (rc == 0)
        rc = set_id_bytes(m, &id);
    if (rc < 0) {
        protobuf_c_message_free_unpacked(m, NULL);
        return rc;
    }
    *out = (pd_record *)m;
    return 0;
}

void pd_record_free(pd_record *r)
{
    if (r)
        protobuf_c_message_free_unpacked(PD_MSG(r), NULL);
}

/* Deep copy through the descriptors: every field, then the unknown fields. */
static int copy_msg(ProtobufCMessage **out, const ProtobufCMessage *src, int depth);

static int copy_value(const ProtobufCFieldDescriptor *f, void *dst, const void *src,
                      int depth)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(const char *const *)src;
        if (s && s != f->default_value) {
            char *d = pd__strdup(s);
            if (!d)
                return PD_ENOMEM;
            *(char **)dst = d;
        } else {
            *(const char **)dst = s;
        }
        return 0;
    }
    case PROTOBUF_C_TYPE_BYTES: {
        const ProtobufCBinaryData *s = src;
        ProtobufCBinaryData *d = dst;
        const ProtobufCBinaryData *def = f->default_value;
        *d = *s;
        if (s->data && (!def || s->data != def->data)) {
            d->data = malloc(s->len ? s->len : 1);
            if (!d->data)
                return pd_error__oom();
            if (s->len)
                memcpy(d->data, s->data, s->len);
        }
        return 0;
    }
    case PROTOBUF_C_TYPE_MESSAGE: {
        const ProtobufCMessage *s = *(const ProtobufCMessage *const *)src;
        *(ProtobufCMessage **)dst = NULL;
        return s ? copy_msg((ProtobufCMessage **)dst, s, depth + 1) : 0;
    }
    default:
        memcpy(dst, src, elt_size(f->type));
        return 0;
    }
}

static int copy_msg(ProtobufCMessage **out, const ProtobufCMessage *src, int depth)
{
    const ProtobufCMessageDescriptor *d = src->descriptor;
    *out = NULL;
    if (depth > PD_PATH_MAX_DEPTH * 4)
        return pd_error__set(PD_ELIMIT, "messages nested too deep");
    ProtobufCMessage *m = message_new(d);
    if (!m)
        return PD_ENOMEM;
    int rc = 0;
    for (unsigned i = 0; i < d->n_fields && rc == 0; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (is_repeated(f)) {
            size_t n = repeated_count(src, f), sz = elt_size(f->type);
            if (n == 0)
                continue;
            char *arr = calloc(n, sz);
            if (!arr) {
                rc = pd_error__oom();
                break;
            }
            *(char **)FPTR(m, f->offset) = arr;
            *(size_t *)FPTR(m, f->quantifier_offset) = n;
            for (size_t k = 0; k < n && rc == 0; k++)
                rc = copy_value(f, arr + k * sz, repeated_elt(src, f, k), depth);
            continue;
        }
        if (is_oneof(f)) {
            if (!field_present(src, f))
                continue;
            *(uint32_t *)FPTR(m, f->quantifier_offset) = f->id;
        } else if (f->quantifier_offset && f->label == PROTOBUF_C_LABEL_OPTIONAL &&
                   f->type != PROTOBUF_C_TYPE_MESSAGE && f->type != PROTOBUF_C_TYPE_STRING) {
            *(protobuf_c_boolean *)FPTR(m, f->quantifier_offset) =
                *(const protobuf_c_boolean *)CFPTR(src, f->quantifier_offset);
        }
        rc = copy_value(f, FPTR(m, f->offset), CFPTR(src, f->offset), depth);
    }
    if (rc == 0 && src->n_unknown_fields) {
        m->unknown_fields = calloc(src->n_unknown_fields, sizeof *m->unknown_fields);
        if (!m->unknown_fields)
            rc = pd_error__oom();
        for (unsigned i = 0; rc == 0 && i < src->n_unknown_fields; i++) {
            const ProtobufCMessageUnknownField *u = &src->unknown_fields[i];
            ProtobufCMessageUnknownField *v = &m->unknown_fields[i];
            v->tag = u->tag;
            v->wire_type = u->wire_type;
            v->len = u->len;
            v->data = malloc(u->len ? u->len : 1);
            if (!v->data) {
                rc = pd_error__oom();
                break;
            }
            if (u->len)
                memcpy(v->data, u->data, u->len);
            m->n_unknown_fields = i + 1;
        }
    }
    if (rc < 0) {
        protobuf_c_message_free_unpacked(m, NULL);
        return rc;
    }
    *out = m;
    return 0;
}

int pd_record_dup(pd_record **out, const pd_record *r)
{
    if (!out)
        return pd_error__set(PD_EINVALID, "out is NULL");
    *out = NULL;
    if (!r)
        return pd_error__set(PD_EINVALID, "dup of a NULL record");
    ProtobufCMessage *m = NULL;
    int rc = copy_msg(&m, PD_CMSG(r), 0);
    if (rc == 0)
        *out = (pd_record *)m;
    return rc;
}

int pd_record_id(pd_uuid *out, const pd_record *r)
{
    return get_id_bytes(out, PD_CMSG(r), "id");
}

int pd_record_set_id(pd_record *r, const pd_uuid *id)
{
    if (!r || !id)
        return pd_error__set(PD_EINVALID, "NULL record or id");
    return set_id_bytes(PD_MSG(r), id);
}

/* ---- conversions ------------------------------------------------------------------- */

pd_member *pd_record_member(pd_record *r)
{
    return pd_record_kind(r) == PD_KIND_MEMBER ? (pd_member *)r : NULL;
}
pd_org *pd_record_org(pd_record *r)
{
    return pd_record_kind(r) == PD_KIND_ORG ? (pd_org *)r : NULL;
}
pd_membership *pd_record_membership(pd_record *r)
{
    return pd_record_kind(r) == PD_KIND_MEMBERSHIP ? (pd_membership *)r : NULL;
}
pd_event *pd_record_event(pd_record *r)
{
    return pd_record_kind(r) == PD_KIND_EVENT ? (pd_event *)r : NULL;
}
pd_residence_link *pd_record_residence_link(pd_record *r)
{
    return pd_record_kind(r) == PD_KIND_RESIDENCE_LINK ? (pd_residence_link *)r : NULL;
}
pd_record *pd_member_record(pd_member *m)
{
    return (pd_record *)m;
}
pd_record *pd_org_record(pd_org *o)
{
    return (pd_record *)o;
}
pd_record *pd_membership_record(pd_membership *ms)
{
    return (pd_record *)ms;
}
pd_record *pd_event_record(pd_event *e)
{
    return (pd_record *)e;
}
pd_record *pd_residence_link_record(pd_residence_link *l)
{
    return (pd_record *)l;
}

/* ---- typed access (generated structs used directly) ------------------------------ */

#define MEMBER(m) ((PdPb__Member *)(m))
#define CMEMBER(m) ((const PdPb__Member *)(m))

static int set_string(char **slot, const char *s, const char *path)
{
    if (!s) {
        free(*slot);
        *slot = NULL;
        return 0;
    }
    if (!valid_utf8(s))
        return bad_value(path, "%sinvalid UTF-8", "");
    char *d = pd__strdup(s);
    if (!d)
        return PD_ENOMEM;
    free(*slot);
    *slot = d;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

static int check_date(const pd_date *d, const char *path)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%d-%d-%d", d->year, d->month, d->day);
    if (d->year < 1 || d->year > 9999)
        return bad_value(path, "year out of range 1..9999: %s", buf);
    if (d->month < 0 || d->month > 12)
        return bad_value(path, "month out of range 1..12: %s", buf);
    if (d->day < 0 || d->day > 31)
        return bad_value(path, "day out of range 1..31: %s", buf);
    if (d->day && !d->month)
        return bad_value(path, "a day without a month: %s", buf);
    if (d->day && d->day > days_in_month(d->year, d->month))
        return bad_value(path, "no such day in that month: %s", buf);
    return 0;
}

static int date_get(pd_date *out, const PdPb__Date *d, const char *path)
{
    if (!out)
        return pd_error__set(PD_EINVALID, "out is NULL");
    memset(out, 0, sizeof *out);
    if (!d || !d->has_year) {
        pd_error__set(PD_ENOTFOUND, "no date");
        pd_error__set_path(path);
        return PD_ENOTFOUND;
    }
    out->year = d->year;
    out->month = d->has_month ? d->month : 0;
    out->day = d->has_day ? d->day : 0;
    return 0;
}

/* {0,0,0} or NULL clears; otherwise the date must be possible */
static int date_set(PdPb__Date **slot, const pd_date *d, const char *path)
{
    if (!d || (d->year == 0 && d->month == 0 && d->day == 0)) {
        if (*slot)
            protobuf_c_message_free_unpacked(PD_MSG(*slot), NULL);
        *slot = NULL;
        return 0;
    }
    int rc = check_date(d, path);
    if (rc < 0)
        return rc;
    if (!*slot) {
        *slot = (PdPb__Date *)message_new(&pd__pb__date__descriptor);
        if (!*slot)
            return PD_ENOMEM;
    }
    PdPb__Date *x = *slot;
    x->has_year = 1;
    x->year = d->year;
    x->has_month = d->month > 0;
    x->month = d->month;
    x->has_day = d->day > 0;
    x->day = d->day;
    x->has_precision = 1;
    x->precision = d->day     ? PD_PB__DATE_PRECISION__DATE_PRECISION_DAY
                   : d->month ? PD_PB__DATE_PRECISION__DATE_PRECISION_MONTH
                              : PD_PB__DATE_PRECISION__DATE_PRECISION_YEAR;
    return 0;
}

int pd_member_new(pd_member **out)
{
    return pd_record_new((pd_record **)out, PD_KIND_MEMBER);
}
void pd_member_free(pd_member *m)
{
    pd_record_free((pd_record *)m);
}
int pd_member_dup(pd_member **out, const pd_member *m)
{
    return pd_record_dup((pd_record **)out, (const pd_record *)m);
}
int pd_member_id(pd_uuid *out, const pd_member *m)
{
    return get_id_bytes(out, PD_CMSG(m), "id");
}
const char *pd_member_full_name(const pd_member *m)
{
    return m ? CMEMBER(m)->full_name : NULL;
}
int pd_member_set_full_name(pd_member *m, const char *name)
{
    if (!m)
        return pd_error__set(PD_EINVALID, "NULL member");
    return set_string(&MEMBER(m)->full_name, name, "full_name");
}
pd_gender pd_member_gender(const pd_member *m)
{
    return m && CMEMBER(m)->has_gender ? (pd_gender)CMEMBER(m)->gender
                                       : PD_GENDER_UNSPECIFIED;
}
int pd_member_set_gender(pd_member *m, pd_gender g)
{
    if (!m)
        return pd_error__set(PD_EINVALID, "NULL member");
    if (!protobuf_c_enum_descriptor_get_value(&pd__pb__gender__descriptor, (int)g))
        return bad_value("gender", "%sunknown gender", "");
    MEMBER(m)->has_gender = g != PD_GENDER_UNSPECIFIED;
    MEMBER(m)->gender = (PdPb__Gender)g;
    return 0;
}
int pd_member_birth_date(pd_date *out, const pd_member *m)
{
    return date_get(out, m ? CMEMBER(m)->birth_date : NULL, "birth_date");
}
int pd_member_set_birth_date(pd_member *m, const pd_date *d)
{
    if (!m)
        return pd_error__set(PD_EINVALID, "NULL member");
    return date_set(&MEMBER(m)->birth_date, d, "birth_date");
}
pd_status pd_member_status(const pd_member *m)
{
    return m && CMEMBER(m)->has_status ? (pd_status)CMEMBER(m)->status
                                       : PD_STATUS_UNSPECIFIED;
}
int pd_member_set_status(pd_member *m, pd_status s)
{
    if (!m)
        return pd_error__set(PD_EINVALID, "NULL member");
    if (!protobuf_c_enum_descriptor_get_value(&pd__pb__member_status__descriptor, (int)s))
        return bad_value("status", "%sunknown member status", "");
    MEMBER(m)->has_status = s != PD_STATUS_UNSPECIFIED;
    MEMBER(m)->status = (PdPb__MemberStatus)s;
    return 0;
}

static PdPb__IdNumber *find_cccd(const PdPb__Member *m, size_t *index)
{
    for (size_t i = 0; i < m->n_id_numbers; i++) {
        PdPb__IdNumber *n = m->id_numbers[i];
        if (n && n->has_type && n->type == PD_PB__ID_TYPE__ID_TYPE_CCCD && n->number) {
            if (index)
                *index = i;
            return n;
        }
    }
    return NULL;
}

const char *pd_member_cccd(const pd_member *m)
{
    const PdPb__IdNumber *n = m ? find_cccd(CMEMBER(m), NULL) : NULL;
    return n ? n->number : NULL;
}

int pd_member_set_cccd(pd_member *m, const char *cccd)
{
    if (!m)
        return pd_error__set(PD_EINVALID, "NULL member");
    PdPb__Member *mm = MEMBER(m);
    size_t i;
    PdPb__IdNumber *n;
    if (!cccd) {
        const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field_by_name(
            &pd__pb__member__descriptor, "id_numbers");
        while (find_cccd(mm, &i))
            repeated_remove(PD_MSG(mm), f, i);
        return 0;
    }
    if (!valid_utf8(cccd))
        return bad_value("id_numbers", "%sinvalid UTF-8", "");
    n = find_cccd(mm, NULL);
    if (n)
        return set_string(&n->number, cccd, "id_numbers");
    n = (PdPb__IdNumber *)message_new(&pd__pb__id_number__descriptor);
    if (!n)
        return PD_ENOMEM;
    n->has_type = 1;
    n->type = PD_PB__ID_TYPE__ID_TYPE_CCCD;
    n->number = pd__strdup(cccd);
    PdPb__IdNumber **grown = n->number ? realloc(mm->id_numbers, (mm->n_id_numbers + 1) *
                                                                     sizeof *grown)
                                       : NULL;
    if (!grown) {
        protobuf_c_message_free_unpacked(PD_MSG(n), NULL);
        return pd_error__oom();
    }
    grown[mm->n_id_numbers++] = n;
    mm->id_numbers = grown;
    return 0;
}

const char *pd_member_party_card_no(const pd_member *m)
{
    return m ? CMEMBER(m)->party_card_no : NULL;
}
int pd_member_set_party_card_no(pd_member *m, const char *no)
{
    if (!m)
        return pd_error__set(PD_EINVALID, "NULL member");
    return set_string(&MEMBER(m)->party_card_no, no, "party_card_no");
}
int pd_member_admission_decision_date(pd_date *out, const pd_member *m)
{
    return date_get(out, m ? CMEMBER(m)->admission_decision_date : NULL,
                    "admission_decision_date");
}
int pd_member_set_admission_decision_date(pd_member *m, const pd_date *d)
{
    if (!m)
        return pd_error__set(PD_EINVALID, "NULL member");
    return date_set(&MEMBER(m)->admission_decision_date, d, "admission_decision_date");
}
int pd_member_admission_date(pd_date *out, const pd_member *m)
{
    return date_get(out, m ? CMEMBER(m)->admission_date : NULL, "admission_date");
}
int pd_member_set_admission_date(pd_member *m, const pd_date *d)
{
    if (!m)
        return pd_error__set(PD_EINVALID, "NULL member");
    return date_set(&MEMBER(m)->admission_date, d, "admission_date");
}
int pd_member_official_date(pd_date *out, const pd_member *m)
{
    return date_get(out, m ? CMEMBER(m)->official_date : NULL, "official_date");
}
int pd_member_set_official_date(pd_member *m, const pd_date *d)
{
    if (!m)
        return pd_error__set(PD_EINVALID, "NULL member");
    return date_set(&MEMBER(m)->official_date, d, "official_date");
}
int pd_member_current_org_id(pd_uuid *out, const pd_member *m)
{
    return get_id_bytes(out, PD_CMSG(m), "current_org_id");
}
int pd_member_set_current_org_id(pd_member *m, const pd_uuid *id)
{
    return put_id_bytes(PD_MSG(m), "current_org_id", id);
}

/* organizations */
int pd_org_new(pd_org **out)
{
    return pd_record_new((pd_record **)out, PD_KIND_ORG);
}
void pd_org_free(pd_org *o)
{
    pd_record_free((pd_record *)o);
}
int pd_org_dup(pd_org **out, const pd_org *o)
{
    return pd_record_dup((pd_record **)out, (const pd_record *)o);
}
int pd_org_id(pd_uuid *out, const pd_org *o)
{
    return get_id_bytes(out, PD_CMSG(o), "id");
}
const char *pd_org_name(const pd_org *o)
{
    return o ? ((const PdPb__Organization *)o)->name : NULL;
}
int pd_org_set_name(pd_org *o, const char *name)
{
    if (!o)
        return pd_error__set(PD_EINVALID, "NULL organization");
    return set_string(&((PdPb__Organization *)o)->name, name, "name");
}
int pd_org_parent_id(pd_uuid *out, const pd_org *o)
{
    return get_id_bytes(out, PD_CMSG(o), "parent_id");
}
int pd_org_set_parent_id(pd_org *o, const pd_uuid *id)
{
    return put_id_bytes(PD_MSG(o), "parent_id", id);
}

/* memberships */
int pd_membership_new(pd_membership **out)
{
    return pd_record_new((pd_record **)out, PD_KIND_MEMBERSHIP);
}
void pd_membership_free(pd_membership *ms)
{
    pd_record_free((pd_record *)ms);
}
int pd_membership_member_id(pd_uuid *out, const pd_membership *ms)
{
    return get_id_bytes(out, PD_CMSG(ms), "member_id");
}
int pd_membership_set_member_id(pd_membership *ms, const pd_uuid *id)
{
    return put_id_bytes(PD_MSG(ms), "member_id", id);
}
int pd_membership_org_id(pd_uuid *out, const pd_membership *ms)
{
    return get_id_bytes(out, PD_CMSG(ms), "org_id");
}
int pd_membership_set_org_id(pd_membership *ms, const pd_uuid *id)
{
    return put_id_bytes(PD_MSG(ms), "org_id", id);
}
pd_membership_kind pd_membership_kind_of(const pd_membership *ms)
{
    const PdPb__Membership *x = (const PdPb__Membership *)ms;
    return x && x->has_kind ? (pd_membership_kind)x->kind : PD_MEMBERSHIP_UNSPECIFIED;
}
int pd_membership_set_kind(pd_membership *ms, pd_membership_kind k)
{
    if (!ms)
        return pd_error__set(PD_EINVALID, "NULL membership");
    if (!protobuf_c_enum_descriptor_get_value(&pd__pb__membership_kind__descriptor, (int)k))
        return bad_value("kind", "%sunknown membership kind", "");
    PdPb__Membership *x = (PdPb__Membership *)ms;
    x->has_kind = k != PD_MEMBERSHIP_UNSPECIFIED;
    x->kind = (PdPb__MembershipKind)k;
    return 0;
}

/* events */
int pd_event_new(pd_event **out)
{
    return pd_record_new((pd_record **)out, PD_KIND_EVENT);
}
void pd_event_free(pd_event *e)
{
    pd_record_free((pd_record *)e);
}
const char *pd_event_type_name(const pd_event *e)
{
    const PdPb__Event *x = (const PdPb__Event *)e;
    if (!x || !x->has_type)
        return NULL;
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value(&pd__pb__event_type__descriptor, (int)x->type);
    return v ? v->name : NULL;
}
int pd_event_set_type_name(pd_event *e, const char *name)
{
    if (!e || !name)
        return pd_error__set(PD_EINVALID, "NULL event or name");
    const ProtobufCEnumValue *v = enum_by_text(&pd__pb__event_type__descriptor, name);
    if (!v)
        return bad_value("type", "unknown event type \"%s\"", name);
    PdPb__Event *x = (PdPb__Event *)e;
    x->has_type = 1;
    x->type = (PdPb__EventType)v->value;
    return 0;
}

/* residence links */
int pd_residence_link_new(pd_residence_link **out)
{
    return pd_record_new((pd_record **)out, PD_KIND_RESIDENCE_LINK);
}
void pd_residence_link_free(pd_residence_link *l)
{
    pd_record_free((pd_record *)l);
}
