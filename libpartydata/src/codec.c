/*
 * codec.c: the protobuf length-delimited stream, the reader and writer machinery
 * shared by every format, and the descriptor helpers the JSON and CSV codecs use.
 */
#include <errno.h>
#include <stdio.h>
#include <sodium.h>
#include <utf8proc.h>

#include "codec_internal.h"

#define IN_CHUNK (64u * 1024u)
#define RAW_KEEP (64u * 1024u)
#define VARINT_MAX 10

/* ---- small helpers ------------------------------------------------------------ */

/* No printf here: paths are pushed for every field on the hot paths. */
size_t pd_codec__path_push(pd_codec_path *p, const char *name, long index)
{
    size_t saved = p->len, cap = sizeof(p->buf) - 1, n = p->len;
    if (name) {
        if (n && n < cap)
            p->buf[n++] = '.';
        size_t k = strlen(name);
        if (k > cap - n)
            k = cap - n;
        memcpy(p->buf + n, name, k);
        n += k;
    }
    if (index >= 0) {
        char tmp[24];
        int t = 0;
        unsigned long v = (unsigned long)index;
        do {
            tmp[t++] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        if (n < cap)
            p->buf[n++] = '[';
        while (t && n < cap)
            p->buf[n++] = tmp[--t];
        if (n < cap)
            p->buf[n++] = ']';
    }
    p->buf[n] = '\0';
    p->len = n;
    return saved;
}

void pd_codec__path_pop(pd_codec_path *p, size_t saved)
{
    p->len = saved;
    p->buf[saved] = '\0';
}

static const ProtobufCMessageDescriptor *const kind_desc[] = {
    NULL, &pd__pb__member__descriptor, &pd__pb__organization__descriptor,
    &pd__pb__membership__descriptor, &pd__pb__event__descriptor,
    &pd__pb__residence_link__descriptor,
};

pd_kind pd_codec__kind_of(const ProtobufCMessageDescriptor *d)
{
    for (int k = 1; k <= PD_KIND_RESIDENCE_LINK; k++)
        if (kind_desc[k] == d)
            return (pd_kind)k;
    return PD_KIND_NONE;
}

const ProtobufCMessageDescriptor *pd_codec__descriptor(pd_kind kind)
{
    if (kind < PD_KIND_MEMBER || kind > PD_KIND_RESIDENCE_LINK)
        return NULL;
    return kind_desc[kind];
}

ProtobufCMessage *pd_codec__msg_new(const ProtobufCMessageDescriptor *d)
{
    ProtobufCMessage *m = malloc(d->sizeof_message);
    if (!m) {
        pd_error__oom();
        return NULL;
    }
    d->message_init(m);
    return m;
}

size_t pd_codec__elem_size(ProtobufCType t)
{
    switch (t) {
    case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32: case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_UINT32: case PROTOBUF_C_TYPE_FIXED32: case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_ENUM:
        return 4;
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64: case PROTOBUF_C_TYPE_DOUBLE:
        return 8;
    case PROTOBUF_C_TYPE_STRING: case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof(void *);
    case PROTOBUF_C_TYPE_BYTES:
        return sizeof(ProtobufCBinaryData);
    }
    return 0;
}

int pd_codec__has(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *fd)
{
    const char *base = (const char *)m;
    if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
        return *(const uint32_t *)(base + fd->quantifier_offset) == fd->id;
    if (fd->type == PROTOBUF_C_TYPE_STRING || fd->type == PROTOBUF_C_TYPE_MESSAGE) {
        const void *p = *(const void *const *)(base + fd->offset);
        return p != NULL && p != fd->default_value;
    }
    if (fd->label == PROTOBUF_C_LABEL_OPTIONAL && fd->quantifier_offset)
        return *(const protobuf_c_boolean *)(base + fd->quantifier_offset) != 0;
    if (fd->label == PROTOBUF_C_LABEL_REQUIRED)
        return 1;
    /* proto3 without presence: present when not zero */
    if (fd->type == PROTOBUF_C_TYPE_BYTES)
        return ((const ProtobufCBinaryData *)(base + fd->offset))->len != 0;
    size_t sz = pd_codec__elem_size(fd->type);
    static const unsigned char zero[8];
    return memcmp(base + fd->offset, zero, sz) != 0;
}

void pd_codec__mark(ProtobufCMessage *m, const ProtobufCFieldDescriptor *fd)
{
    char *base = (char *)m;
    if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
        *(uint32_t *)(base + fd->quantifier_offset) = fd->id;
    else if (fd->label == PROTOBUF_C_LABEL_OPTIONAL && fd->quantifier_offset &&
             fd->type != PROTOBUF_C_TYPE_STRING && fd->type != PROTOBUF_C_TYPE_MESSAGE)
        *(protobuf_c_boolean *)(base + fd->quantifier_offset) = 1;
}

void pd_codec__clear_field(ProtobufCMessage *m, const ProtobufCFieldDescriptor *fd)
{
    char *p = (char *)m + fd->offset;
    if (fd->type == PROTOBUF_C_TYPE_STRING) {
        char **s = (char **)p;
        if (*s && *s != fd->default_value)
            free(*s);
        *s = NULL;
    } else if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
        ProtobufCMessage **sm = (ProtobufCMessage **)p;
        if (*sm)
            protobuf_c_message_free_unpacked(*sm, NULL);
        *sm = NULL;
    } else if (fd->type == PROTOBUF_C_TYPE_BYTES) {
        ProtobufCBinaryData *b = (ProtobufCBinaryData *)p;
        if (b->data && (!fd->default_value ||
                        b->data != ((const ProtobufCBinaryData *)fd->default_value)->data))
            free(b->data);
        b->data = NULL;
        b->len = 0;
    }
    if ((fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) == 0 && fd->label == PROTOBUF_C_LABEL_OPTIONAL &&
        fd->quantifier_offset && fd->type != PROTOBUF_C_TYPE_STRING &&
        fd->type != PROTOBUF_C_TYPE_MESSAGE)
        *(protobuf_c_boolean *)((char *)m + fd->quantifier_offset) = 0;
}

int pd_codec__utf8_check(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* eight ASCII bytes without NUL at a time */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if ((w & 0x8080808080808080ull) ||
                ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char c = s[i];
        if (c == 0)
            return 2;
        if (c < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return 1;
        i += (size_t)k;
    }
    return 0;
}

int pd_codec__b64_encode(char **out, const unsigned char *data, size_t len)
{
    size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    *out = malloc(cap);
    if (!*out)
        return pd_error__oom();
    sodium_bin2base64(*out, cap, data, len, sodium_base64_VARIANT_ORIGINAL);
    return 0;
}

int pd_codec__b64_decode(unsigned char **out, size_t *outlen, const char *s, size_t n)
{
    static const int variants[] = {
        sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
        sodium_base64_VARIANT_URLSAFE, sodium_base64_VARIANT_URLSAFE_NO_PADDING};
    size_t cap = n / 4 * 3 + 3;
    unsigned char *buf = malloc(cap ? cap : 1);
    if (!buf)
        return pd_error__oom();
    for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
        size_t got = 0;
        const char *end = NULL;
        if (sodium_base642bin(buf, cap, s, n, NULL, &got, &end, variants[i]) == 0 &&
            end == s + n) {
            *out = buf;
            *outlen = got;
            return 0;
        }
    }
    free(buf);
    return -1;
}

int pd_codec__is_id_field(const ProtobufCFieldDescriptor *fd)
{
    if (fd->type != PROTOBUF_C_TYPE_BYTES)
        return 0;
    size_t n = strlen(fd->name);
    return !strcmp(fd->name, "id") || (n > 3 && !strcmp(fd->name + n - 3, "_id")) ||
           (n > 4 && !strcmp(fd->name + n - 4, "_ids"));
}

/* ---- formats ------------------------------------------------------------------- */

static int ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++) {
        char c = s[n - k + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suffix[i])
            return 0;
    }
    return 1;
}

pd_format pd_format_from_path(const char *path)
{
    if (!path)
        return PD_FORMAT_AUTO;
    if (ends_with_ci(path, ".pb"))
        return PD_FORMAT_PB;
    if (ends_with_ci(path, ".jsonl") || ends_with_ci(path, ".ndjson") || ends_with_ci(path, ".json"))
        return PD_FORMAT_JSONL;
    if (ends_with_ci(path, ".csv"))
        return PD_FORMAT_CSV;
    return PD_FORMAT_AUTO;
}

int pd_format_parse(pd_format *out, const char *name)
{
    static const struct { const char *name; pd_format f; } names[] = {
        {"pb", PD_FORMAT_PB}, {"protobuf", PD_FORMAT_PB}, {"jsonl", PD_FORMAT_JSONL},
        {"json", PD_FORMAT_JSONL}, {"ndjson", PD_FORMAT_JSONL}, {"csv", PD_FORMAT_CSV},
        {"auto", PD_FORMAT_AUTO}};
    for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(name, names[i].name)) {
            *out = names[i].f;
            return 0;
        }
    return pd_error__set(PD_EINVALID, "unknown format '%s' (pb, jsonl, csv)", name ? name : "(null)");
}

const char *pd_format_name(pd_format f)
{
    switch (f) {
    case PD_FORMAT_PB: return "pb";
    case PD_FORMAT_JSONL: return "jsonl";
    case PD_FORMAT_CSV: return "csv";
    default: return "auto";
    }
}

/* ---- single records: protobuf -------------------------------------------------- */

static int envelope_of(PdPb__Record *env, const pd_record *r)
{
    const ProtobufCMessage *m = PD_CMSG(r);
    pd_kind k = m ? pd_codec__kind_of(m->descriptor) : PD_KIND_NONE;
    if (k == PD_KIND_NONE)
        return pd_error__set(PD_EINVALID, "not a record");
    pd__pb__record__init(env);
    env->entity_case = (PdPb__Record__EntityCase)k;
    env->member = (PdPb__Member *)m; /* the union's members share one pointer */
    return 0;
}

int pd_record_to_pb(unsigned char **out, size_t *len, const pd_record *r)
{
    PdPb__Record env;
    *out = NULL;
    *len = 0;
    int rc = envelope_of(&env, r);
    if (rc < 0)
        return rc;
    size_t n = protobuf_c_message_get_packed_size(PD_CMSG(&env));
    unsigned char *buf = malloc(n ? n : 1);
    if (!buf)
        return pd_error__oom();
    protobuf_c_message_pack(PD_CMSG(&env), buf);
    *out = buf;
    *len = n;
    return 0;
}

/* Walk the wire bytes of a message (already accepted by protobuf-c) and check every
 * string field: protobuf-c neither validates UTF-8 nor notices a NUL (it would cut
 * the string there). The field path is built only on failure, while unwinding. */
#define WALK_MAX_DEPTH 64

static int read_varint(uint64_t *v, const unsigned char *p, size_t n, size_t *used)
{
    uint64_t x = 0;
    for (size_t i = 0; i < n && i < VARINT_MAX; i++) {
        x |= (uint64_t)(p[i] & 0x7f) << (7 * i);
        if (!(p[i] & 0x80)) {
            *v = x;
            *used = i + 1;
            return 0;
        }
    }
    return -1;
}

/* How many fields with this tag come before offset `upto` (the index of a repeated
 * element), counted only when a path is needed. */
static long occurrences(const unsigned char *p, size_t upto, uint64_t tag)
{
    size_t i = 0;
    long count = 0;
    while (i < upto) {
        uint64_t t, v;
        size_t used;
        if (read_varint(&t, p + i, upto - i, &used) < 0)
            break;
        i += used;
        if (t == tag)
            count++;
        switch (t & 7) {
        case 0:
            if (read_varint(&v, p + i, upto - i, &used) < 0)
                return count;
            i += used;
            break;
        case 1: i += 8; break;
        case 5: i += 4; break;
        case 2:
            if (read_varint(&v, p + i, upto - i, &used) < 0)
                return count;
            i += used + (size_t)v;
            break;
        default:
            return count;
        }
    }
    return count;
}

/* Put "name[index]." in front of the error's path while unwinding. */
static void prepend_path(const char *name, long index)
{
    pd_codec_path p;
    p.len = 0;
    p.buf[0] = '\0';
    pd_codec__path_push(&p, name, index);
    const char *old = pd_error_last()->field_path;
    if (old && *old) {
        size_t k = strlen(old);
        if (p.len < sizeof(p.buf) - 1 && old[0] != '[')
            p.buf[p.len++] = '.';
        if (k > sizeof(p.buf) - 1 - p.len)
            k = sizeof(p.buf) - 1 - p.len;
        memcpy(p.buf + p.len, old, k);
        p.len += k;
        p.buf[p.len] = '\0';
    }
    pd_error__set_path(p.buf);
}

static int walk_strings(const unsigned char *p, size_t n, const ProtobufCMessageDescriptor *d,
                        int depth)
{
    size_t i = 0;
    if (depth > WALK_MAX_DEPTH)
        return 0;
    while (i < n) {
        uint64_t tag, len;
        size_t used, tag_at = i;
        if (read_varint(&tag, p + i, n - i, &used) < 0)
            return 0;
        i += used;
        if ((tag >> 3) == 0 || (tag >> 3) > 0x1fffffff) {
            /* protobuf-c takes field 0 in an over-long tag varint, then cannot read
             * its own output: refuse it as every other implementation does */
            pd_error__set(PD_EPARSE, "invalid field number %llu", (unsigned long long)(tag >> 3));
            return PD_EPARSE;
        }
        unsigned wt = (unsigned)(tag & 7);
        if (wt == 0) {
            if (read_varint(&len, p + i, n - i, &used) < 0)
                return 0;
            i += used;
            continue;
        }
        if (wt == 1 || wt == 5) {
            i += wt == 1 ? 8 : 4;
            continue;
        }
        if (wt != 2 || read_varint(&len, p + i, n - i, &used) < 0 || len > n - i - used)
            return 0; /* groups or damage: protobuf-c has judged the framing already */
        i += used;
        const ProtobufCFieldDescriptor *fd = protobuf_c_message_descriptor_get_field(d, (unsigned)(tag >> 3));
        if (fd && (fd->type == PROTOBUF_C_TYPE_STRING || fd->type == PROTOBUF_C_TYPE_MESSAGE)) {
            int rc = 0;
            if (fd->type == PROTOBUF_C_TYPE_STRING) {
                int bad = pd_codec__utf8_check(p + i, (size_t)len);
                if (bad) {
                    rc = pd_error__set(PD_EPARSE, "%s in a string field",
                                       bad == 2 ? "NUL byte" : "invalid UTF-8");
                    pd_error__set_path(NULL);
                }
            } else {
                rc = walk_strings(p + i, (size_t)len, fd->descriptor, depth + 1);
            }
            if (rc < 0) {
                prepend_path(fd->name, fd->label == PROTOBUF_C_LABEL_REPEATED
                                           ? occurrences(p, tag_at, tag) : -1);
                return rc;
            }
        }
        i += (size_t)len;
    }
    return 0;
}

static int check_entity_strings(const unsigned char *data, size_t len)
{
    /* Walk the envelope's entity field; paths are relative to the entity. */
    size_t i = 0;
    while (i < len) {
        uint64_t tag, n;
        size_t used;
        if (read_varint(&tag, data + i, len - i, &used) < 0)
            return 0;
        i += used;
        if ((tag >> 3) == 0 || (tag >> 3) > 0x1fffffff)
            return pd_error__set(PD_EPARSE, "invalid field number %llu",
                                 (unsigned long long)(tag >> 3));
        unsigned wt = (unsigned)(tag & 7);
        if (wt == 0) {
            if (read_varint(&n, data + i, len - i, &used) < 0)
                return 0;
            i += used;
            continue;
        }
        if (wt == 1 || wt == 5) {
            i += wt == 1 ? 8 : 4;
            continue;
        }
        if (wt != 2 || read_varint(&n, data + i, len - i, &used) < 0 || n > len - i - used)
            return 0;
        i += used;
        const ProtobufCMessageDescriptor *d =
            tag >> 3 <= PD_KIND_RESIDENCE_LINK ? pd_codec__descriptor((pd_kind)(tag >> 3)) : NULL;
        if (d) {
            int rc = walk_strings(data + i, (size_t)n, d, 1);
            if (rc < 0)
                return rc;
        }
        i += (size_t)n;
    }
    return 0;
}

int pd_record_from_pb(pd_record **out, const unsigned char *data, size_t len)
{
    *out = NULL;
    PdPb__Record *env = (PdPb__Record *)protobuf_c_message_unpack(&pd__pb__record__descriptor,
                                                                   NULL, len, data);
    if (!env)
        return pd_error__set(PD_EPARSE, "not a valid Record message (%zu bytes)", len);
    if (env->entity_case == PD_PB__RECORD__ENTITY__NOT_SET || !env->member) {
        protobuf_c_message_free_unpacked(PD_MSG(env), NULL);
        return pd_error__set(PD_EPARSE, "the Record holds no entity this version knows");
    }
    int rc = check_entity_strings(data, len);
    if (rc < 0) {
        protobuf_c_message_free_unpacked(PD_MSG(env), NULL);
        return rc;
    }
    ProtobufCMessage *e = PD_MSG(env->member);
    env->member = NULL;
    env->entity_case = PD_PB__RECORD__ENTITY__NOT_SET;
    protobuf_c_message_free_unpacked(PD_MSG(env), NULL);
    *out = (pd_record *)e;
    return 0;
}

/* ---- readers ------------------------------------------------------------------- */

struct pd_reader {
    pd_format format;
    unsigned flags;
    size_t max;
    char *name;
    FILE *fp;
    int own_fp;
    int is_memory;
    unsigned char *buf; /* valid bytes are buf[pos..end) */
    size_t cap, pos, end;
    long long base; /* input offset of buf[0] */
    int eof;
    int fatal;      /* fatal error code, returned again */
    int stop;       /* framing lost: no more records */
    long index;     /* records started */
    long line;      /* lines consumed (text formats) */
    long long rec_offset;
    const unsigned char *raw;
    size_t rawlen;
    unsigned char *rawcopy;
    size_t rawcap;
    pd_csv_reader *csv;
};

int pd_reader_options_init(pd_reader_options *opts, unsigned int version)
{
    if (!opts || version != PD_READER_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "unknown pd_reader_options version %u", version);
    pd_reader_options def = PD_READER_OPTIONS_INIT;
    *opts = def;
    return 0;
}

int pd_writer_options_init(pd_writer_options *opts, unsigned int version)
{
    if (!opts || version != PD_WRITER_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "unknown pd_writer_options version %u", version);
    pd_writer_options def = PD_WRITER_OPTIONS_INIT;
    *opts = def;
    return 0;
}

/* Make at least `need` bytes available from pos (fewer only at the end of input).
 * Returns the bytes available, or a negative code on a read error. */
static long long fill(pd_reader *rd, size_t need)
{
    if (rd->end - rd->pos >= need || rd->eof)
        return (long long)(rd->end - rd->pos);
    if (rd->pos > 0) {
        memmove(rd->buf, rd->buf + rd->pos, rd->end - rd->pos);
        rd->base += (long long)rd->pos;
        rd->end -= rd->pos;
        rd->pos = 0;
    }
    if (rd->cap < need) {
        size_t ncap = rd->cap * 2 > need ? rd->cap * 2 : need;
        unsigned char *nb = realloc(rd->buf, ncap);
        if (!nb)
            return rd->fatal = pd_error__oom();
        rd->buf = nb;
        rd->cap = ncap;
    }
    while (rd->end < need && !rd->eof) {
        size_t got = fread(rd->buf + rd->end, 1, rd->cap - rd->end, rd->fp);
        rd->end += got;
        if (got == 0) {
            if (ferror(rd->fp)) {
                rd->fatal = pd_error__set(PD_EIO, "cannot read %s: %s", rd->name, strerror(errno));
                return rd->fatal;
            }
            rd->eof = 1;
        }
    }
    return (long long)(rd->end - rd->pos);
}

int pd_codec__reader_at_position(pd_reader *rd, int rc, long line, const char *path)
{
    if (path)
        pd_error__set_path(path);
    pd_error__set_position(rd->name, line, 0, rd->index, rd->rec_offset);
    return rc;
}

static int at_pos(pd_reader *rd, int rc)
{
    const pd_error *e = pd_error_last();
    pd_error__set_position(rd->name, rd->format == PD_FORMAT_PB ? 0 : rd->line,
                           e->code == rc ? e->column : 0, rd->index, rd->rec_offset);
    return rc;
}

void pd_codec__reader_set_raw(pd_reader *rd, const unsigned char *raw, size_t len)
{
    rd->raw = raw;
    rd->rawlen = len;
}

int pd_codec__reader_keep_raw(pd_reader *rd, const unsigned char *raw, size_t len)
{
    if (len > rd->rawcap) {
        unsigned char *nb = realloc(rd->rawcopy, len);
        if (!nb)
            return pd_error__oom();
        rd->rawcopy = nb;
        rd->rawcap = len;
    }
    if (len)
        memcpy(rd->rawcopy, raw, len);
    rd->raw = rd->rawcopy;
    rd->rawlen = len;
    return 0;
}

long pd_codec__reader_line(const pd_reader *rd) { return rd->line; }

/* Discard `n` bytes from pos; returns the bytes actually skipped. */
static long long skip_bytes(pd_reader *rd, unsigned long long n)
{
    unsigned long long done = 0;
    while (done < n) {
        long long avail = fill(rd, 1);
        if (avail <= 0)
            break;
        size_t take = (unsigned long long)avail < n - done ? (size_t)avail : (size_t)(n - done);
        rd->pos += take;
        done += take;
    }
    return (long long)done;
}

static int pb_next(pd_record **out, pd_reader *rd)
{
    long long avail = fill(rd, VARINT_MAX);
    if (avail < 0)
        return (int)avail;
    if (avail == 0)
        return PD_ITEROVER;
    rd->index++;
    rd->rec_offset = rd->base + (long long)rd->pos;
    uint64_t len;
    size_t hdr;
    if (read_varint(&len, rd->buf + rd->pos, (size_t)avail, &hdr) < 0) {
        rd->stop = 1;
        pd_codec__reader_keep_raw(rd, rd->buf + rd->pos, (size_t)avail);
        if (avail < VARINT_MAX)
            pd_error__set(PD_EPARSE, "truncated length varint at the end of the input");
        else
            pd_error__set(PD_EPARSE, "bad length varint (more than 10 bytes)");
        return at_pos(rd, PD_EPARSE);
    }
    if (len > rd->max) {
        rd->pos += hdr;
        avail = fill(rd, 1);
        pd_codec__reader_keep_raw(rd, rd->buf + rd->pos,
                                  (size_t)(avail > RAW_KEEP ? RAW_KEEP : (avail > 0 ? avail : 0)));
        long long skipped = skip_bytes(rd, len);
        if (rd->fatal)
            return rd->fatal;
        if ((unsigned long long)skipped < len) {
            rd->stop = 1;
            pd_error__set(PD_EPARSE, "record length %llu goes past the end of the input "
                          "(%lld bytes left)", (unsigned long long)len, skipped);
            return at_pos(rd, PD_EPARSE);
        }
        pd_error__set(PD_ELIMIT, "record of %llu bytes is larger than the limit of %zu bytes",
                      (unsigned long long)len, rd->max);
        return at_pos(rd, PD_ELIMIT);
    }
    avail = fill(rd, hdr + (size_t)len);
    if (avail < 0)
        return (int)avail;
    if ((unsigned long long)avail < hdr + len) {
        rd->stop = 1;
        pd_codec__reader_set_raw(rd, rd->buf + rd->pos + hdr, (size_t)avail - hdr);
        rd->pos = rd->end;
        pd_error__set(PD_EPARSE, "record length %llu goes past the end of the input "
                      "(%lld bytes left)", (unsigned long long)len, avail - (long long)hdr);
        return at_pos(rd, PD_EPARSE);
    }
    const unsigned char *data = rd->buf + rd->pos + hdr;
    rd->pos += hdr + (size_t)len;
    pd_codec__reader_set_raw(rd, data, (size_t)len);
    int rc = pd_record_from_pb(out, data, (size_t)len);
    return rc < 0 ? at_pos(rd, rc) : 0;
}

/* The next line without its newline (and a CR before it). Lines longer than the limit
 * are consumed in chunks and reported as PD_ELIMIT. Returns 0, PD_ITEROVER or < 0. */
int pd_codec__read_line(const unsigned char **line, size_t *len, pd_reader *rd)
{
    size_t scanned = 0;
    for (;;) {
        size_t have = rd->end - rd->pos;
        const unsigned char *nl = memchr(rd->buf + rd->pos + scanned, '\n', have - scanned);
        size_t n = nl ? (size_t)(nl - (rd->buf + rd->pos)) : have;
        if (n > rd->max) {
            /* too long: keep its start for pd_reader_raw, discard the rest */
            rd->rec_offset = rd->base + (long long)rd->pos;
            rd->line++;
            pd_codec__reader_keep_raw(rd, rd->buf + rd->pos, RAW_KEEP < n ? RAW_KEEP : n);
            long long total = 0;
            for (;;) {
                long long avail = fill(rd, 1);
                if (avail <= 0)
                    break;
                const unsigned char *q = memchr(rd->buf + rd->pos, '\n', (size_t)avail);
                size_t take = q ? (size_t)(q - (rd->buf + rd->pos)) + 1 : (size_t)avail;
                rd->pos += take;
                total += (long long)take;
                if (q)
                    break;
            }
            if (rd->fatal)
                return rd->fatal;
            pd_error__set(PD_ELIMIT, "line of %lld bytes is longer than the limit of %zu bytes",
                          total, rd->max);
            return PD_ELIMIT;
        }
        if (nl || rd->eof) {
            if (!nl && n == 0)
                return PD_ITEROVER;
            rd->rec_offset = rd->base + (long long)rd->pos;
            rd->line++;
            *line = rd->buf + rd->pos;
            rd->pos += n + (nl ? 1 : 0);
            if (n > 0 && (*line)[n - 1] == '\r')
                n--;
            *len = n;
            pd_codec__reader_set_raw(rd, *line, n);
            return 0;
        }
        scanned = have;
        size_t want = have + IN_CHUNK;
        if (want > rd->max + 1)
            want = rd->max + 1;
        long long avail = fill(rd, want);
        if (avail < 0)
            return (int)avail;
    }
}

long long pd_codec__reader_line_offset(const pd_reader *rd) { return rd->rec_offset; }
void pd_codec__reader_uncount(pd_reader *rd) { rd->index--; }
size_t pd_codec__reader_max(const pd_reader *rd) { return rd->max; }

void pd_codec__reader_begin(pd_reader *rd, long long offset)
{
    rd->index++;
    rd->rec_offset = offset;
}

static int jsonl_next(pd_record **out, pd_reader *rd)
{
    for (;;) {
        const unsigned char *line;
        size_t len;
        int rc = pd_codec__read_line(&line, &len, rd);
        if (rc == PD_ITEROVER || rc == PD_EIO || rc == PD_ENOMEM)
            return rc;
        if (rc == 0) {
            size_t i = 0;
            while (i < len && (line[i] == ' ' || line[i] == '\t'))
                i++;
            if (i == len)
                continue; /* blank lines separate nothing */
        }
        rd->index++;
        if (rc < 0)
            return at_pos(rd, rc);
        long column = 0;
        ProtobufCMessage *m = NULL;
        rc = pd_codec__json_decode(&m, (const char *)line, len, PD_KIND_NONE, rd->flags, &column);
        if (rc < 0) {
            pd_error__set_position(rd->name, rd->line, column, rd->index, rd->rec_offset);
            return rc;
        }
        *out = (pd_record *)m;
        return 0;
    }
}

static int reader_new(pd_reader **out, const pd_reader_options *opts, const char *name)
{
    *out = NULL;
    if (opts && opts->version != PD_READER_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "unknown pd_reader_options version %u", opts->version);
    pd_reader *rd = calloc(1, sizeof(*rd));
    if (!rd)
        return pd_error__oom();
    rd->format = opts ? opts->format : PD_FORMAT_AUTO;
    rd->flags = opts ? opts->flags : 0;
    rd->max = opts && opts->max_record_bytes ? opts->max_record_bytes : PD_CODEC_DEFAULT_MAX_RECORD;
    rd->name = pd__strdup(opts && opts->name ? opts->name : name);
    if (!rd->name) {
        free(rd);
        return PD_ENOMEM;
    }
    if (rd->format < PD_FORMAT_AUTO || rd->format > PD_FORMAT_CSV) {
        int f = (int)rd->format;
        free(rd->name);
        free(rd);
        return pd_error__set(PD_EINVALID, "unknown format %d", f);
    }
    *out = rd;
    return 0;
}

/* Does the input start like a JSON object ({ "key": or {})? A protobuf stream may
 * start with '{' too (a 123-byte record), but not with a quoted key and a colon. */
static int looks_like_json(const unsigned char *p, size_t n)
{
    size_t i = 1;
    if (n == 0 || p[0] != '{')
        return 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    if (i == n || p[i] == '}')
        return 1;
    if (p[i++] != '"')
        return 0;
    while (i < n && ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
                     (p[i] >= '0' && p[i] <= '9') || p[i] == '_'))
        i++;
    if (i == n || p[i++] != '"')
        return 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    return i < n && p[i] == ':';
}

/* Guess from the first bytes when neither the caller nor the name said. */
static int reader_start(pd_reader *rd)
{
    if (rd->format == PD_FORMAT_AUTO) {
        long long avail = fill(rd, 64);
        if (avail < 0)
            return (int)avail;
        rd->format = looks_like_json(rd->buf + rd->pos, (size_t)avail) ? PD_FORMAT_JSONL
                                                                      : PD_FORMAT_PB;
    }
    if (rd->format == PD_FORMAT_CSV)
        return pd_codec__csv_reader_new(&rd->csv, rd);
    return 0;
}

static int reader_with_file(pd_reader **out, FILE *fp, int own, const char *name,
                            const pd_reader_options *opts)
{
    int rc = reader_new(out, opts, name);
    if (rc < 0) {
        if (own)
            fclose(fp);
        return rc;
    }
    pd_reader *rd = *out;
    rd->fp = fp;
    rd->own_fp = own;
    rd->cap = IN_CHUNK;
    rd->buf = malloc(rd->cap);
    if (!rd->buf) {
        pd_reader_free(rd);
        *out = NULL;
        return pd_error__oom();
    }
    rc = reader_start(rd);
    if (rc < 0) {
        pd_reader_free(rd);
        *out = NULL;
    }
    return rc;
}

int pd_reader_open(pd_reader **out, const char *path, const pd_reader_options *opts)
{
    *out = NULL;
    if (!path)
        return pd_error__set(PD_EINVALID, "no path");
    int is_std = !strcmp(path, "-");
    FILE *fp = is_std ? stdin : fopen(path, "rb");
    if (!fp)
        return pd_error__set(errno == ENOENT ? PD_ENOTFOUND : PD_EIO, "cannot open %s: %s", path,
                             strerror(errno));
    pd_reader_options o = PD_READER_OPTIONS_INIT;
    if (opts)
        o = *opts;
    if (o.format == PD_FORMAT_AUTO && !is_std)
        o.format = pd_format_from_path(path);
    if (opts && opts->version != PD_READER_OPTIONS_VERSION)
        o.version = opts->version;
    return reader_with_file(out, fp, !is_std, is_std ? "<stdin>" : path, &o);
}

int pd_reader_open_file(pd_reader **out, FILE *fp, const pd_reader_options *opts)
{
    *out = NULL;
    if (!fp)
        return pd_error__set(PD_EINVALID, "no stream");
    return reader_with_file(out, fp, 0, "<stream>", opts);
}

int pd_reader_open_memory(pd_reader **out, const void *data, size_t len,
                          const pd_reader_options *opts)
{
    int rc = reader_new(out, opts, "<memory>");
    if (rc < 0)
        return rc;
    pd_reader *rd = *out;
    rd->is_memory = 1;
    rd->buf = (unsigned char *)data;
    rd->cap = rd->end = len;
    rd->eof = 1;
    if (rd->format == PD_FORMAT_AUTO && len == 0)
        rd->format = PD_FORMAT_PB;
    rc = reader_start(rd);
    if (rc < 0) {
        pd_reader_free(rd);
        *out = NULL;
    }
    return rc;
}

int pd_reader_next(pd_record **out, pd_reader *rd)
{
    *out = NULL;
    if (!rd)
        return pd_error__set(PD_EINVALID, "no reader");
    if (rd->fatal)
        return rd->fatal;
    rd->raw = NULL;
    rd->rawlen = 0;
    if (rd->stop)
        return PD_ITEROVER;
    switch (rd->format) {
    case PD_FORMAT_JSONL:
        return jsonl_next(out, rd);
    case PD_FORMAT_CSV: {
        ProtobufCMessage *m = NULL;
        int rc = pd_codec__csv_next(&m, rd->csv, rd);
        *out = (pd_record *)m;
        return rc;
    }
    default:
        return pb_next(out, rd);
    }
}

const unsigned char *pd_reader_raw(const pd_reader *rd, size_t *len)
{
    if (len)
        *len = rd && rd->raw ? rd->rawlen : 0;
    return rd ? rd->raw : NULL;
}

long pd_reader_record_index(const pd_reader *rd) { return rd ? rd->index : 0; }
long long pd_reader_offset(const pd_reader *rd) { return rd ? rd->rec_offset : 0; }
pd_format pd_reader_format(const pd_reader *rd) { return rd ? rd->format : PD_FORMAT_AUTO; }

void pd_reader_free(pd_reader *rd)
{
    if (!rd)
        return;
    if (rd->csv)
        pd_codec__csv_reader_free(rd->csv);
    if (rd->own_fp && rd->fp)
        fclose(rd->fp);
    if (!rd->is_memory)
        free(rd->buf);
    free(rd->rawcopy);
    free(rd->name);
    free(rd);
}

/* ---- writers --------------------------------------------------------------------- */

struct pd_writer {
    pd_format format;
    FILE *fp;
    int own_fp;
    int failed;
    long count;
    char *name;
    unsigned char *scratch;
    size_t scap;
    pd_csv_writer *csv;
};

static int writer_io_error(pd_writer *w)
{
    w->failed = 1;
    return pd_error__set(PD_EIO, "cannot write %s: %s", w->name, strerror(errno ? errno : EIO));
}

static int writer_with_file(pd_writer **out, FILE *fp, int own, const char *name,
                            const pd_writer_options *opts)
{
    *out = NULL;
    if (opts && opts->version != PD_WRITER_OPTIONS_VERSION) {
        if (own)
            fclose(fp);
        return pd_error__set(PD_EINVALID, "unknown pd_writer_options version %u", opts->version);
    }
    pd_writer *w = calloc(1, sizeof(*w));
    if (!w || !(w->name = pd__strdup(name))) {
        free(w);
        if (own)
            fclose(fp);
        return pd_error__oom();
    }
    w->fp = fp;
    w->own_fp = own;
    w->format = opts && opts->format != PD_FORMAT_AUTO ? opts->format : PD_FORMAT_PB;
    if (w->format > PD_FORMAT_CSV) {
        pd_writer_close(w);
        return pd_error__set(PD_EINVALID, "unknown format %d", (int)w->format);
    }
    if (w->format == PD_FORMAT_CSV) {
        int rc = pd_codec__csv_writer_new(&w->csv, fp);
        if (rc < 0) {
            w->failed = 0;
            pd_writer_close(w);
            return rc;
        }
    }
    *out = w;
    return 0;
}

int pd_writer_open(pd_writer **out, const char *path, const pd_writer_options *opts)
{
    *out = NULL;
    if (!path)
        return pd_error__set(PD_EINVALID, "no path");
    int is_std = !strcmp(path, "-");
    FILE *fp = is_std ? stdout : fopen(path, "wb");
    if (!fp)
        return pd_error__set(PD_EIO, "cannot create %s: %s", path, strerror(errno));
    pd_writer_options o = PD_WRITER_OPTIONS_INIT;
    if (opts)
        o = *opts;
    if (o.format == PD_FORMAT_AUTO && !is_std)
        o.format = pd_format_from_path(path);
    return writer_with_file(out, fp, !is_std, is_std ? "<stdout>" : path, &o);
}

int pd_writer_open_file(pd_writer **out, FILE *fp, const pd_writer_options *opts)
{
    *out = NULL;
    if (!fp)
        return pd_error__set(PD_EINVALID, "no stream");
    return writer_with_file(out, fp, 0, "<stream>", opts);
}

static int write_pb(pd_writer *w, const pd_record *r)
{
    PdPb__Record env;
    int rc = envelope_of(&env, r);
    if (rc < 0)
        return rc;
    size_t n = protobuf_c_message_get_packed_size(PD_CMSG(&env));
    if (n + VARINT_MAX > w->scap) {
        size_t ncap = (n + VARINT_MAX) * 2;
        unsigned char *nb = realloc(w->scratch, ncap);
        if (!nb)
            return pd_error__oom();
        w->scratch = nb;
        w->scap = ncap;
    }
    size_t h = 0;
    uint64_t v = n;
    do {
        w->scratch[h++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    protobuf_c_message_pack(PD_CMSG(&env), w->scratch + h);
    if (fwrite_unlocked(w->scratch, 1, h + n, w->fp) != h + n)
        return writer_io_error(w);
    return 0;
}

static int write_json(pd_writer *w, const pd_record *r)
{
    const ProtobufCMessage *m = PD_CMSG(r);
    if (!m || pd_codec__kind_of(m->descriptor) == PD_KIND_NONE)
        return pd_error__set(PD_EINVALID, "not a record");
    json_t *j = pd_codec__json_encode(m, 0);
    if (!j)
        return pd_error_last()->code ? pd_error_last()->code : PD_ENOMEM;
    /* one fwrite per line: json_dumpf writes token by token */
    size_t n = json_dumpb(j, (char *)w->scratch, w->scap, JSON_COMPACT);
    if (n + 1 > w->scap) {
        size_t ncap = (n + 1) * 2;
        unsigned char *nb = realloc(w->scratch, ncap);
        if (!nb) {
            json_decref(j);
            return pd_error__oom();
        }
        w->scratch = nb;
        w->scap = ncap;
        n = json_dumpb(j, (char *)w->scratch, w->scap, JSON_COMPACT);
    }
    json_decref(j);
    if (n == 0)
        return pd_error__oom();
    w->scratch[n] = '\n';
    if (fwrite_unlocked(w->scratch, 1, n + 1, w->fp) != n + 1)
        return writer_io_error(w);
    return 0;
}

int pd_writer_write(pd_writer *w, const pd_record *r)
{
    if (!w || !r)
        return pd_error__set(PD_EINVALID, "no writer or record");
    if (w->failed)
        return pd_error__set(PD_EIO, "an earlier write to %s failed", w->name);
    int rc;
    switch (w->format) {
    case PD_FORMAT_JSONL: rc = write_json(w, r); break;
    case PD_FORMAT_CSV: rc = pd_codec__csv_write(w->csv, w->fp, PD_CMSG(r)); break;
    default: rc = write_pb(w, r); break;
    }
    if (rc == PD_EIO)
        w->failed = 1;
    if (rc == 0)
        w->count++;
    return rc;
}

long pd_writer_count(const pd_writer *w) { return w ? w->count : 0; }

int pd_writer_close(pd_writer *w)
{
    if (!w)
        return 0;
    int failed = w->failed;
    if (fflush(w->fp) != 0 || ferror(w->fp))
        failed = 1;
    if (w->own_fp && fclose(w->fp) != 0)
        failed = 1;
    int rc = failed ? pd_error__set(PD_EIO, "cannot write %s: %s", w->name,
                                    strerror(errno ? errno : EIO)) : 0;
    if (w->csv)
        pd_codec__csv_writer_free(w->csv);
    free(w->scratch);
    free(w->name);
    free(w);
    return rc;
}
