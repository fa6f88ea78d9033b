/*
 * codec_csv.c: members as CSV rows (RFC 4180, libcsv), one column per scalar leaf of
 * Member ("birth_date.year", "id_numbers[0].number"), by reflection over the
 * descriptors. An empty unquoted cell is an unset field; a quoted "" is an empty
 * string.
 */
#include <csv.h>
#include <stdio.h>

#include "codec_internal.h"

#define CSV_MAX_STEPS 8

typedef struct csv_step {
    const ProtobufCFieldDescriptor *fd;
    long index; /* -1 for a non-repeated field */
} csv_step;

typedef struct csv_col {
    char *path;
    int nsteps;
    csv_step steps[CSV_MAX_STEPS];
} csv_col;

typedef struct csv_cols {
    csv_col *v;
    size_t n, cap;
} csv_cols;

static void cols_free(csv_cols *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].path);
    free(c->v);
    c->v = NULL;
    c->n = c->cap = 0;
}

static int cols_add(csv_cols *c, const pd_codec_path *p, const csv_step *steps, int n)
{
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 256;
        csv_col *nv = realloc(c->v, ncap * sizeof(*nv));
        if (!nv)
            return pd_error__oom();
        c->v = nv;
        c->cap = ncap;
    }
    csv_col *col = &c->v[c->n];
    col->path = pd__strdup(p->buf);
    if (!col->path)
        return PD_ENOMEM;
    col->nsteps = n;
    memcpy(col->steps, steps, (size_t)n * sizeof(*steps));
    c->n++;
    return 0;
}

static int cols_walk(csv_cols *c, const ProtobufCMessageDescriptor *d, pd_codec_path *p,
                     csv_step *steps, int depth)
{
    if (depth >= CSV_MAX_STEPS)
        return 0;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *fd = &d->fields[i];
        long reps = fd->label == PROTOBUF_C_LABEL_REPEATED ? PD_CSV_MAX_REPEAT : 1;
        for (long r = 0; r < reps; r++) {
            long index = fd->label == PROTOBUF_C_LABEL_REPEATED ? r : -1;
            size_t saved = pd_codec__path_push(p, fd->name, index);
            steps[depth].fd = fd;
            steps[depth].index = index;
            int rc = fd->type == PROTOBUF_C_TYPE_MESSAGE
                         ? cols_walk(c, fd->descriptor, p, steps, depth + 1)
                         : cols_add(c, p, steps, depth + 1);
            pd_codec__path_pop(p, saved);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

static int member_cols(csv_cols *c)
{
    memset(c, 0, sizeof(*c));
    pd_codec_path p;
    p.len = 0;
    p.buf[0] = '\0';
    csv_step steps[CSV_MAX_STEPS];
    int rc = cols_walk(c, &pd__pb__member__descriptor, &p, steps, 0);
    if (rc < 0)
        cols_free(c);
    return rc;
}

int pd_csv_columns(pd_strarray *out)
{
    memset(out, 0, sizeof(*out));
    csv_cols c;
    int rc = member_cols(&c);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < c.n && rc == 0; i++)
        rc = pd__strarray_push(out, c.v[i].path);
    cols_free(&c);
    if (rc < 0)
        pd_strarray_dispose(out);
    return rc < 0 ? rc : 0;
}

/* ---- values as text ------------------------------------------------------------------- */

/* The leaf value a column names, or NULL when it is unset; *tmp may hold an allocation
 * (freed by the caller). */
static const char *leaf_text(const ProtobufCMessage *m, const csv_col *col, char *buf, size_t cap,
                             char **tmp)
{
    const char *base = (const char *)m;
    for (int s = 0; s < col->nsteps; s++) {
        const ProtobufCFieldDescriptor *fd = col->steps[s].fd;
        const char *vp;
        base = (const char *)m;
        if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(const size_t *)(base + fd->quantifier_offset);
            if ((size_t)col->steps[s].index >= n)
                return NULL;
            vp = *(const char *const *)(base + fd->offset) +
                 (size_t)col->steps[s].index * pd_codec__elem_size(fd->type);
        } else {
            if (!pd_codec__has(m, fd))
                return NULL;
            vp = base + fd->offset;
        }
        if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
            m = *(const ProtobufCMessage *const *)vp;
            continue;
        }
        switch (fd->type) {
        case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32: case PROTOBUF_C_TYPE_SFIXED32:
            snprintf(buf, cap, "%d", (int)*(const int32_t *)vp);
            return buf;
        case PROTOBUF_C_TYPE_UINT32: case PROTOBUF_C_TYPE_FIXED32:
            snprintf(buf, cap, "%u", (unsigned)*(const uint32_t *)vp);
            return buf;
        case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
            snprintf(buf, cap, "%lld", (long long)*(const int64_t *)vp);
            return buf;
        case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64:
            snprintf(buf, cap, "%llu", (unsigned long long)*(const uint64_t *)vp);
            return buf;
        case PROTOBUF_C_TYPE_FLOAT: case PROTOBUF_C_TYPE_DOUBLE: {
            double d = fd->type == PROTOBUF_C_TYPE_FLOAT ? *(const float *)vp : *(const double *)vp;
            json_t *j = json_real(d);
            *tmp = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
            json_decref(j);
            return *tmp ? *tmp : "";
        }
        case PROTOBUF_C_TYPE_BOOL:
            return *(const protobuf_c_boolean *)vp ? "true" : "false";
        case PROTOBUF_C_TYPE_ENUM: {
            int v = *(const int *)vp;
            const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(fd->descriptor, v);
            if (ev)
                return ev->name;
            snprintf(buf, cap, "%d", v);
            return buf;
        }
        case PROTOBUF_C_TYPE_STRING:
            return *(const char *const *)vp;
        case PROTOBUF_C_TYPE_BYTES: {
            const ProtobufCBinaryData *b = (const void *)vp;
            if (pd_codec__is_id_field(fd) && b->len == 16 && cap >= PD_UUID_STRLEN) {
                pd_uuid u;
                memcpy(u.bytes, b->data, 16);
                return pd_uuid_format(buf, &u);
            }
            if (pd_codec__b64_encode(tmp, b->data, b->len) < 0)
                return "";
            return *tmp;
        }
        default:
            return NULL;
        }
    }
    return NULL;
}

/* Repeated fields longer than the CSV columns allow: PD_ELIMIT with the path. */
static int check_counts(const ProtobufCMessage *m, pd_codec_path *p)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *fd = &d->fields[i];
        const char *base = (const char *)m;
        if (fd->type != PROTOBUF_C_TYPE_MESSAGE && fd->label != PROTOBUF_C_LABEL_REPEATED)
            continue;
        size_t n = 1;
        const ProtobufCMessage *const *subs;
        if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
            n = *(const size_t *)(base + fd->quantifier_offset);
            if (n > PD_CSV_MAX_REPEAT) {
                pd_codec__path_push(p, fd->name, -1);
                pd_error__set(PD_ELIMIT, "%zu elements: CSV holds at most %d", n, PD_CSV_MAX_REPEAT);
                pd_error__set_path(p->buf);
                return PD_ELIMIT;
            }
            if (fd->type != PROTOBUF_C_TYPE_MESSAGE)
                continue;
            subs = *(const ProtobufCMessage *const *const *)(base + fd->offset);
        } else {
            subs = (const ProtobufCMessage *const *)(base + fd->offset);
            if (!*subs)
                continue;
        }
        for (size_t k = 0; k < n; k++) {
            size_t saved = pd_codec__path_push(p, fd->name,
                                               fd->label == PROTOBUF_C_LABEL_REPEATED ? (long)k : -1);
            int rc = check_counts(subs[k], p);
            if (rc < 0)
                return rc;
            pd_codec__path_pop(p, saved);
        }
    }
    return 0;
}

/* Set the leaf a column names from its text, making parents as needed. */
static int grow_repeated(ProtobufCMessage *m, const ProtobufCFieldDescriptor *fd, size_t want)
{
    char *base = (char *)m;
    size_t *count = (size_t *)(base + fd->quantifier_offset);
    char **arr = (char **)(base + fd->offset);
    if (*count >= want)
        return 0;
    size_t esz = pd_codec__elem_size(fd->type);
    char *na = realloc(*arr, want * esz);
    if (!na)
        return pd_error__oom();
    memset(na + *count * esz, 0, (want - *count) * esz);
    *arr = na;
    for (size_t k = *count; k < want; k++) {
        if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
            ProtobufCMessage *sub = pd_codec__msg_new(fd->descriptor);
            if (!sub)
                return PD_ENOMEM;
            ((ProtobufCMessage **)na)[k] = sub;
        } else if (fd->type == PROTOBUF_C_TYPE_STRING) {
            char *s = pd__strdup("");
            if (!s)
                return PD_ENOMEM;
            ((char **)na)[k] = s;
        }
        (*count)++;
    }
    return 0;
}

static int parse_int(const char *s, long long lo, unsigned long long hi, long long *out,
                     unsigned long long *uout)
{
    int neg = 0;
    if (*s == '-')
        neg = 1, s++;
    if (!*s)
        return -1;
    unsigned long long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        if (v > (~0ULL - (unsigned)(*s - '0')) / 10)
            return -1;
        v = v * 10 + (unsigned)(*s - '0');
    }
    if (neg) {
        if (lo >= 0 || v > (unsigned long long)(-(lo + 1)) + 1)
            return -1;
        *out = v ? -(long long)(v - 1) - 1 : 0;
        *uout = 0;
    } else {
        if (v > hi)
            return -1;
        *out = v > (unsigned long long)0x7fffffffffffffffLL ? 0x7fffffffffffffffLL : (long long)v;
        *uout = v;
    }
    return 0;
}

static int set_scalar(const ProtobufCFieldDescriptor *fd, void *dst, const char *text, size_t len)
{
    long long sv;
    unsigned long long uv;
    switch (fd->type) {
    case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32: case PROTOBUF_C_TYPE_SFIXED32:
        if (parse_int(text, -2147483648LL, 2147483647ULL, &sv, &uv) < 0)
            return pd_error__set(PD_EPARSE, "not an int32: \"%.40s\"", text);
        *(int32_t *)dst = (int32_t)sv;
        return 0;
    case PROTOBUF_C_TYPE_UINT32: case PROTOBUF_C_TYPE_FIXED32:
        if (parse_int(text, 0, 4294967295ULL, &sv, &uv) < 0)
            return pd_error__set(PD_EPARSE, "not a uint32: \"%.40s\"", text);
        *(uint32_t *)dst = (uint32_t)uv;
        return 0;
    case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
        if (parse_int(text, -0x7fffffffffffffffLL - 1, 0x7fffffffffffffffULL, &sv, &uv) < 0)
            return pd_error__set(PD_EPARSE, "not an int64: \"%.40s\"", text);
        *(int64_t *)dst = sv;
        return 0;
    case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64:
        if (parse_int(text, 0, ~0ULL, &sv, &uv) < 0)
            return pd_error__set(PD_EPARSE, "not a uint64: \"%.40s\"", text);
        *(uint64_t *)dst = uv;
        return 0;
    case PROTOBUF_C_TYPE_FLOAT: case PROTOBUF_C_TYPE_DOUBLE: {
        json_t *j = json_loadb(text, len, JSON_DECODE_ANY, NULL);
        int ok = j && json_is_number(j);
        double d = ok ? json_number_value(j) : 0;
        json_decref(j);
        if (!ok)
            return pd_error__set(PD_EPARSE, "not a number: \"%.40s\"", text);
        if (fd->type == PROTOBUF_C_TYPE_FLOAT)
            *(float *)dst = (float)d;
        else
            *(double *)dst = d;
        return 0;
    }
    case PROTOBUF_C_TYPE_BOOL:
        if (strcmp(text, "true") && strcmp(text, "false"))
            return pd_error__set(PD_EPARSE, "not a boolean (true/false): \"%.40s\"", text);
        *(protobuf_c_boolean *)dst = text[0] == 't';
        return 0;
    case PROTOBUF_C_TYPE_ENUM: {
        const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value_by_name(fd->descriptor, text);
        if (ev) {
            *(int *)dst = ev->value;
            return 0;
        }
        if (parse_int(text, -2147483648LL, 2147483647ULL, &sv, &uv) < 0)
            return pd_error__set(PD_EPARSE, "unknown %s value \"%.60s\"",
                                 ((const ProtobufCEnumDescriptor *)fd->descriptor)->name, text);
        *(int *)dst = (int)sv;
        return 0;
    }
    case PROTOBUF_C_TYPE_STRING: {
        char *s = pd__strndup(text, len);
        if (!s)
            return PD_ENOMEM;
        *(char **)dst = s;
        return 0;
    }
    case PROTOBUF_C_TYPE_BYTES: {
        ProtobufCBinaryData *b = dst;
        pd_uuid u;
        if (pd_codec__is_id_field(fd) && len == PD_UUID_STRLEN - 1 && pd_uuid_parse(&u, text) == 0) {
            b->data = malloc(16);
            if (!b->data)
                return pd_error__oom();
            memcpy(b->data, u.bytes, 16);
            b->len = 16;
            return 0;
        }
        int rc = pd_codec__b64_decode(&b->data, &b->len, text, len);
        if (rc == -1)
            return pd_error__set(PD_EPARSE, "neither a UUID nor base64: \"%.40s\"", text);
        return rc;
    }
    default:
        return pd_error__set(PD_EPARSE, "unsupported field type");
    }
}

static int set_leaf(ProtobufCMessage *m, const csv_col *col, const char *text, size_t len)
{
    for (int s = 0; s < col->nsteps; s++) {
        const ProtobufCFieldDescriptor *fd = col->steps[s].fd;
        char *base = (char *)m;
        void *vp;
        if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t idx = (size_t)col->steps[s].index;
            size_t *count = (size_t *)(base + fd->quantifier_offset);
            int last = s == col->nsteps - 1;
            int rc = grow_repeated(m, fd, last ? idx : idx + 1);
            if (rc < 0)
                return rc;
            if (last) {
                /* append the value itself */
                size_t esz = pd_codec__elem_size(fd->type);
                char *na = realloc(*(char **)(base + fd->offset), (idx + 1) * esz);
                if (!na)
                    return pd_error__oom();
                *(char **)(base + fd->offset) = na;
                memset(na + idx * esz, 0, esz);
                rc = set_scalar(fd, na + idx * esz, text, len);
                if (rc == 0)
                    (*count)++;
                return rc;
            }
            vp = *(char **)(base + fd->offset) + idx * pd_codec__elem_size(fd->type);
        } else {
            vp = base + fd->offset;
        }
        if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
            ProtobufCMessage **sub = vp;
            if (!*sub) {
                *sub = pd_codec__msg_new(fd->descriptor);
                if (!*sub)
                    return PD_ENOMEM;
            }
            m = *sub;
            continue;
        }
        pd_codec__clear_field(m, fd);
        int rc = set_scalar(fd, vp, text, len);
        if (rc == 0)
            pd_codec__mark(m, fd);
        return rc;
    }
    return 0;
}

/* ---- writer ------------------------------------------------------------------------------ */

struct pd_csv_writer {
    csv_cols cols;
};

int pd_codec__csv_writer_new(pd_csv_writer **out, FILE *fp)
{
    *out = NULL;
    pd_csv_writer *cw = calloc(1, sizeof(*cw));
    if (!cw)
        return pd_error__oom();
    int rc = member_cols(&cw->cols);
    if (rc < 0) {
        free(cw);
        return rc;
    }
    for (size_t i = 0; i < cw->cols.n; i++)
        if ((i && fputc(',', fp) == EOF) || fputs(cw->cols.v[i].path, fp) == EOF)
            rc = PD_EIO;
    if (fputs("\r\n", fp) == EOF)
        rc = PD_EIO;
    if (rc < 0) {
        pd_codec__csv_writer_free(cw);
        return pd_error__set(PD_EIO, "cannot write the CSV header");
    }
    *out = cw;
    return 0;
}

int pd_codec__csv_write(pd_csv_writer *cw, FILE *fp, const ProtobufCMessage *m)
{
    if (!m || m->descriptor != &pd__pb__member__descriptor)
        return pd_error__set(PD_EINVALID, "CSV holds members only");
    pd_codec_path p;
    p.len = 0;
    p.buf[0] = '\0';
    int rc = check_counts(m, &p);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < cw->cols.n; i++) {
        char buf[64], *tmp = NULL;
        const char *t = leaf_text(m, &cw->cols.v[i], buf, sizeof(buf), &tmp);
        if ((i && fputc(',', fp) == EOF) || (t && csv_fwrite(fp, t, strlen(t)) != 0))
            rc = PD_EIO;
        free(tmp);
    }
    if (fputs("\r\n", fp) == EOF)
        rc = PD_EIO;
    return rc < 0 ? pd_error__set(PD_EIO, "cannot write a CSV row") : 0;
}

void pd_codec__csv_writer_free(pd_csv_writer *cw)
{
    if (!cw)
        return;
    cols_free(&cw->cols);
    free(cw);
}

/* ---- reader -------------------------------------------------------------------------------- */

struct pd_csv_reader {
    struct csv_parser p;
    csv_cols cols;
    size_t *map;  /* header column -> index in cols */
    size_t nhead;
    char **vals;  /* the row being read; NULL = empty cell */
    size_t *lens;
    size_t nf;    /* fields seen in the row */
    size_t vcap;
    int row_done;
    int oom;
    unsigned char *rowbuf; /* the row's bytes, for pd_reader_raw */
    size_t rowlen, rowcap;
};

static void row_clear(pd_csv_reader *cr)
{
    for (size_t i = 0; i < cr->nf && i < cr->vcap; i++) {
        free(cr->vals[i]);
        cr->vals[i] = NULL;
    }
    cr->nf = 0;
    cr->row_done = 0;
    cr->rowlen = 0;
}

static void on_field(void *s, size_t len, void *data)
{
    pd_csv_reader *cr = data;
    if (cr->nf >= cr->vcap) {
        size_t ncap = cr->vcap ? cr->vcap * 2 : 64;
        char **nv = realloc(cr->vals, ncap * sizeof(*nv));
        size_t *nl = nv ? realloc(cr->lens, ncap * sizeof(*nl)) : NULL;
        if (nv)
            cr->vals = nv;
        if (!nv || !nl) {
            cr->oom = 1;
            cr->nf++;
            return;
        }
        cr->lens = nl;
        memset(cr->vals + cr->vcap, 0, (ncap - cr->vcap) * sizeof(*nv));
        cr->vcap = ncap;
    }
    cr->vals[cr->nf] = NULL;
    cr->lens[cr->nf] = len;
    if (s) {
        cr->vals[cr->nf] = pd__strndup(s, len);
        if (!cr->vals[cr->nf])
            cr->oom = 1;
    }
    cr->nf++;
}

static void on_row(int c, void *data)
{
    (void)c;
    ((pd_csv_reader *)data)->row_done = 1;
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static int parser_init(pd_csv_reader *cr)
{
    if (csv_init(&cr->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
        return pd_error__oom();
    csv_set_space_func(&cr->p, no_space);
    return 0;
}

static int row_append(pd_csv_reader *cr, const unsigned char *line, size_t len)
{
    if (cr->rowlen + len + 1 > cr->rowcap) {
        size_t ncap = (cr->rowlen + len + 1) * 2;
        unsigned char *nb = realloc(cr->rowbuf, ncap);
        if (!nb)
            return pd_error__oom();
        cr->rowbuf = nb;
        cr->rowcap = ncap;
    }
    if (cr->rowlen)
        cr->rowbuf[cr->rowlen++] = '\n';
    memcpy(cr->rowbuf + cr->rowlen, line, len);
    cr->rowlen += len;
    return 0;
}

/* Read one row into cr->vals. Returns 0, PD_ITEROVER or an error (position set). */
static int read_row(pd_csv_reader *cr, struct pd_reader *rd, long *row_line)
{
    row_clear(cr);
    long long row_off = -1;
    for (;;) {
        const unsigned char *line;
        size_t len;
        int rc = pd_codec__read_line(&line, &len, rd);
        if (rc == PD_ITEROVER) {
            if (row_off < 0)
                return PD_ITEROVER;
            pd_codec__reader_begin(rd, row_off);
            int frc = csv_fini(&cr->p, on_field, on_row, cr);
            csv_free(&cr->p);
            parser_init(cr);
            pd_codec__reader_keep_raw(rd, cr->rowbuf, cr->rowlen);
            if (frc != 0) {
                pd_error__set(PD_EPARSE, "unterminated quoted field (the quote opened on line %ld)",
                              *row_line);
                return pd_codec__reader_at_position(rd, PD_EPARSE, *row_line, NULL);
            }
            return 0;
        }
        if (rc == PD_EIO || rc == PD_ENOMEM)
            return rc;
        if (row_off < 0) {
            row_off = pd_codec__reader_line_offset(rd);
            *row_line = pd_codec__reader_line(rd);
        }
        if (rc < 0) { /* a line over the limit */
            pd_codec__reader_begin(rd, row_off);
            csv_free(&cr->p);
            parser_init(cr);
            return pd_codec__reader_at_position(rd, rc, pd_codec__reader_line(rd), NULL);
        }
        if ((rc = row_append(cr, line, len)) < 0)
            return rc;
        size_t used = csv_parse(&cr->p, line, len, on_field, on_row, cr);
        if (used == len)
            used += csv_parse(&cr->p, "\n", 1, on_field, on_row, cr) == 1 ? 1 : 0;
        if (cr->oom)
            return pd_error__oom();
        if (used < len + 1) {
            pd_codec__reader_begin(rd, row_off);
            csv_free(&cr->p);
            parser_init(cr);
            pd_codec__reader_keep_raw(rd, cr->rowbuf, cr->rowlen);
            pd_error__set(PD_EPARSE, "malformed quoted field (column %zu)", cr->nf + 1);
            return pd_codec__reader_at_position(rd, PD_EPARSE, pd_codec__reader_line(rd), NULL);
        }
        if (cr->row_done) {
            pd_codec__reader_begin(rd, row_off);
            pd_codec__reader_keep_raw(rd, cr->rowbuf, cr->rowlen);
            return 0;
        }
        if (cr->p.pstate == 0 && cr->nf == 0) { /* a blank line */
            row_off = -1;
            cr->rowlen = 0;
            continue;
        }
        if (cr->rowlen > pd_codec__reader_max(rd)) {
            /* an open quote running on: give up on the row here */
            pd_codec__reader_begin(rd, row_off);
            csv_free(&cr->p);
            parser_init(cr);
            pd_codec__reader_keep_raw(rd, cr->rowbuf, 4096 < cr->rowlen ? 4096 : cr->rowlen);
            pd_error__set(PD_ELIMIT, "quoted field running over more than %zu bytes",
                          pd_codec__reader_max(rd));
            return pd_codec__reader_at_position(rd, PD_ELIMIT, *row_line, NULL);
        }
    }
}

static int col_cmp(const void *a, const void *b)
{
    return strcmp((*(const csv_col *const *)a)->path, (*(const csv_col *const *)b)->path);
}

int pd_codec__csv_reader_new(pd_csv_reader **out, struct pd_reader *rd)
{
    *out = NULL;
    pd_csv_reader *cr = calloc(1, sizeof(*cr));
    if (!cr)
        return pd_error__oom();
    int rc = member_cols(&cr->cols);
    if (rc < 0 || (rc = parser_init(cr)) < 0) {
        cols_free(&cr->cols);
        free(cr);
        return rc;
    }
    long line = 0;
    rc = read_row(cr, rd, &line);
    if (rc == PD_ITEROVER) { /* an empty file: no header, no records */
        *out = cr;
        return 0;
    }
    if (rc == 0) {
        cr->nhead = cr->nf;
        cr->map = calloc(cr->nhead ? cr->nhead : 1, sizeof(*cr->map));
        if (!cr->map)
            rc = pd_error__oom();
    }
    /* header names to columns: binary search over the paths, a seen-mark per column */
    const csv_col **sorted = rc == 0 ? malloc(cr->cols.n * sizeof(*sorted)) : NULL;
    unsigned char *seen = rc == 0 ? calloc(cr->cols.n, 1) : NULL;
    if (rc == 0 && (!sorted || !seen))
        rc = pd_error__oom();
    if (rc == 0) {
        for (size_t k = 0; k < cr->cols.n; k++)
            sorted[k] = &cr->cols.v[k];
        qsort(sorted, cr->cols.n, sizeof(*sorted), col_cmp);
    }
    for (size_t j = 0; rc == 0 && j < cr->nhead; j++) {
        csv_col key;
        const csv_col *kp = &key, **hit;
        key.path = cr->vals[j] ? cr->vals[j] : "";
        hit = bsearch(&kp, sorted, cr->cols.n, sizeof(*sorted), col_cmp);
        if (!hit) {
            rc = pd_error__set(PD_EPARSE, "unknown column \"%.80s\" in the CSV header", key.path);
            break;
        }
        size_t k = (size_t)(*hit - cr->cols.v);
        if (seen[k]++) {
            rc = pd_error__set(PD_EPARSE, "column \"%.80s\" appears twice in the header", key.path);
            break;
        }
        cr->map[j] = k;
    }
    free(sorted);
    free(seen);
    if (rc < 0) {
        pd_codec__reader_at_position(rd, rc, line, NULL);
        pd_codec__csv_reader_free(cr);
        return rc;
    }
    /* the header is not a record */
    pd_codec__reader_uncount(rd);
    *out = cr;
    return 0;
}

int pd_codec__csv_next(ProtobufCMessage **out, pd_csv_reader *cr, struct pd_reader *rd)
{
    *out = NULL;
    long line = 0;
    if (cr->nhead == 0)
        return PD_ITEROVER;
    int rc = read_row(cr, rd, &line);
    if (rc < 0)
        return rc;
    if (cr->nf != cr->nhead) {
        pd_error__set(PD_EPARSE, "row has %zu fields, the header has %zu", cr->nf, cr->nhead);
        return pd_codec__reader_at_position(rd, PD_EPARSE, line, NULL);
    }
    ProtobufCMessage *m = pd_codec__msg_new(&pd__pb__member__descriptor);
    if (!m)
        return PD_ENOMEM;
    for (size_t j = 0; j < cr->nhead; j++) {
        if (!cr->vals[j])
            continue;
        const csv_col *col = &cr->cols.v[cr->map[j]];
        int bad = pd_codec__utf8_check((const unsigned char *)cr->vals[j], cr->lens[j]);
        rc = bad ? pd_error__set(PD_EPARSE, "%s in a CSV field", bad == 2 ? "NUL byte" : "invalid UTF-8")
                 : set_leaf(m, col, cr->vals[j], cr->lens[j]);
        if (rc < 0) {
            protobuf_c_message_free_unpacked(m, NULL);
            return pd_codec__reader_at_position(rd, rc == PD_ENOMEM ? rc : PD_EPARSE, line, col->path);
        }
    }
    *out = m;
    return 0;
}

void pd_codec__csv_reader_free(pd_csv_reader *cr)
{
    if (!cr)
        return;
    row_clear(cr);
    csv_free(&cr->p);
    cols_free(&cr->cols);
    free(cr->vals);
    free(cr->lens);
    free(cr->map);
    free(cr->rowbuf);
    free(cr);
}
