/*
 * merge.c: golden records, member merge / unmerge, 3-way field merge, organization
 * consolidation (merge.h).
 *
 * Field-level work goes through the protobuf-c descriptors, so new schema fields are
 * merged without code changes: presence, equality and deep copy of one field of a
 * message are written once here.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <csv.h>
#include <sqlite3.h>

#include "pd_internal.h"

/* ---- generic field helpers --------------------------------------------------------- */

#define FPTR(msg, fd) ((void *)((char *)(msg) + (fd)->offset))
#define CFPTR(msg, fd) ((const void *)((const char *)(msg) + (fd)->offset))
#define QPTR(msg, fd) ((void *)((char *)(msg) + (fd)->quantifier_offset))
#define CQPTR(msg, fd) ((const void *)((const char *)(msg) + (fd)->quantifier_offset))

static size_t scalar_size(ProtobufCType t)
{
    switch (t) {
    case PROTOBUF_C_TYPE_INT32: case PROTOBUF_C_TYPE_SINT32: case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_UINT32: case PROTOBUF_C_TYPE_FIXED32: case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_ENUM:
        return 4;
    case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64: case PROTOBUF_C_TYPE_DOUBLE:
        return 8;
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_STRING: case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof(void *);
    case PROTOBUF_C_TYPE_BYTES:
        return sizeof(ProtobufCBinaryData);
    }
    return 0;
}

static int is_repeated(const ProtobufCFieldDescriptor *fd)
{
    return fd->label == PROTOBUF_C_LABEL_REPEATED;
}

static int has_quantifier(const ProtobufCFieldDescriptor *fd)
{
    /* optional scalars and bytes carry a has_ flag; strings and messages do not */
    return fd->label == PROTOBUF_C_LABEL_OPTIONAL && fd->type != PROTOBUF_C_TYPE_STRING &&
           fd->type != PROTOBUF_C_TYPE_MESSAGE && !(fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF);
}

/* 1 if the field is set (non-empty for strings, bytes, repeated) */
static int field_present(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *fd)
{
    if (!m)
        return 0;
    if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
        return *(const uint32_t *)CQPTR(m, fd) == fd->id;
    if (is_repeated(fd))
        return *(const size_t *)CQPTR(m, fd) > 0;
    switch (fd->type) {
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(char *const *)CFPTR(m, fd);
        return s && *s;
    }
    case PROTOBUF_C_TYPE_MESSAGE:
        return *(void *const *)CFPTR(m, fd) != NULL;
    case PROTOBUF_C_TYPE_BYTES:
        return (!has_quantifier(fd) || *(const protobuf_c_boolean *)CQPTR(m, fd)) &&
               ((const ProtobufCBinaryData *)CFPTR(m, fd))->len > 0;
    default:
        return !has_quantifier(fd) || *(const protobuf_c_boolean *)CQPTR(m, fd);
    }
}

static int msg_equal(const ProtobufCMessage *a, const ProtobufCMessage *b);

static int value_equal(const ProtobufCFieldDescriptor *fd, const void *a, const void *b)
{
    switch (fd->type) {
    case PROTOBUF_C_TYPE_STRING: {
        const char *x = *(char *const *)a, *y = *(char *const *)b;
        return strcmp(x ? x : "", y ? y : "") == 0;
    }
    case PROTOBUF_C_TYPE_BYTES: {
        const ProtobufCBinaryData *x = a, *y = b;
        return x->len == y->len && (x->len == 0 || memcmp(x->data, y->data, x->len) == 0);
    }
    case PROTOBUF_C_TYPE_MESSAGE:
        return msg_equal(*(const ProtobufCMessage *const *)a, *(const ProtobufCMessage *const *)b);
    default:
        return memcmp(a, b, scalar_size(fd->type)) == 0;
    }
}

static int field_equal(const ProtobufCMessage *a, const ProtobufCMessage *b,
                       const ProtobufCFieldDescriptor *fd)
{
    int pa = field_present(a, fd), pb = field_present(b, fd);
    if (pa != pb)
        return 0;
    if (!pa)
        return 1;
    if (is_repeated(fd)) {
        size_t na = *(const size_t *)CQPTR(a, fd), nb = *(const size_t *)CQPTR(b, fd);
        if (na != nb)
            return 0;
        size_t sz = scalar_size(fd->type);
        const char *va = *(char *const *)CFPTR(a, fd), *vb = *(char *const *)CFPTR(b, fd);
        for (size_t i = 0; i < na; i++)
            if (!value_equal(fd, va + i * sz, vb + i * sz))
                return 0;
        return 1;
    }
    return value_equal(fd, CFPTR(a, fd), CFPTR(b, fd));
}

/* Content equality (every field, recursively); NULL equals an empty message. */
static int msg_equal(const ProtobufCMessage *a, const ProtobufCMessage *b)
{
    if (a == b)
        return 1;
    const ProtobufCMessageDescriptor *d = a ? a->descriptor : b->descriptor;
    for (unsigned i = 0; i < d->n_fields; i++)
        if (!field_equal(a, b, &d->fields[i]))
            return 0;
    return 1;
}

static ProtobufCMessage *msg_dup(const ProtobufCMessage *m)
{
    size_t len = protobuf_c_message_get_packed_size(m);
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf)
        return NULL;
    protobuf_c_message_pack(m, buf);
    ProtobufCMessage *c = protobuf_c_message_unpack(m->descriptor, NULL, len, buf);
    free(buf);
    return c;
}

static ProtobufCMessage *msg_new(const ProtobufCMessageDescriptor *d)
{
    ProtobufCMessage *m = malloc(d->sizeof_message);
    if (m)
        d->message_init(m);
    return m;
}

static void value_free(const ProtobufCFieldDescriptor *fd, void *v)
{
    switch (fd->type) {
    case PROTOBUF_C_TYPE_STRING: {
        char **s = v;
        if (*s && *s != (char *)fd->default_value)
            free(*s);
        *s = NULL;
        break;
    }
    case PROTOBUF_C_TYPE_BYTES: {
        ProtobufCBinaryData *b = v;
        free(b->data);
        b->data = NULL;
        b->len = 0;
        break;
    }
    case PROTOBUF_C_TYPE_MESSAGE: {
        ProtobufCMessage **m = v;
        if (*m)
            protobuf_c_message_free_unpacked(*m, NULL);
        *m = NULL;
        break;
    }
    default:
        break;
    }
}

static int value_copy(const ProtobufCFieldDescriptor *fd, void *dst, const void *src)
{
    switch (fd->type) {
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(char *const *)src;
        char *c = NULL;
        if (s && !(c = pd__strdup(s)))
            return PD_ENOMEM;
        *(char **)dst = c;
        return 0;
    }
    case PROTOBUF_C_TYPE_BYTES: {
        const ProtobufCBinaryData *b = src;
        ProtobufCBinaryData *o = dst;
        o->len = b->len;
        o->data = NULL;
        if (b->len) {
            if (!(o->data = malloc(b->len)))
                return pd_error__oom();
            memcpy(o->data, b->data, b->len);
        }
        return 0;
    }
    case PROTOBUF_C_TYPE_MESSAGE: {
        const ProtobufCMessage *m = *(const ProtobufCMessage *const *)src;
        ProtobufCMessage *c = NULL;
        if (m && !(c = msg_dup(m)))
            return pd_error__oom();
        *(ProtobufCMessage **)dst = c;
        return 0;
    }
    default:
        memcpy(dst, src, scalar_size(fd->type));
        return 0;
    }
}

/* Clear a field of m (free its value, unset it). */
static void field_clear(ProtobufCMessage *m, const ProtobufCFieldDescriptor *fd)
{
    if (is_repeated(fd)) {
        size_t *n = QPTR(m, fd);
        char **arr = FPTR(m, fd);
        size_t sz = scalar_size(fd->type);
        for (size_t i = 0; i < *n; i++)
            value_free(fd, *arr + i * sz);
        free(*arr);
        *arr = NULL;
        *n = 0;
        return;
    }
    if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
        if (*(uint32_t *)QPTR(m, fd) == fd->id) {
            value_free(fd, FPTR(m, fd));
            *(uint32_t *)QPTR(m, fd) = 0;
        }
        return;
    }
    value_free(fd, FPTR(m, fd));
    if (has_quantifier(fd))
        *(protobuf_c_boolean *)QPTR(m, fd) = 0;
    else if (fd->type != PROTOBUF_C_TYPE_STRING && fd->type != PROTOBUF_C_TYPE_MESSAGE &&
             fd->type != PROTOBUF_C_TYPE_BYTES)
        memset(FPTR(m, fd), 0, scalar_size(fd->type));
}

/* Replace dst's field by a deep copy of src's (src may be NULL: clear). */
static int field_copy(ProtobufCMessage *dst, const ProtobufCMessage *src,
                      const ProtobufCFieldDescriptor *fd)
{
    field_clear(dst, fd);
    if (!src)
        return 0;
    if (is_repeated(fd)) {
        size_t n = *(const size_t *)CQPTR(src, fd);
        if (n == 0)
            return 0;
        size_t sz = scalar_size(fd->type);
        char *arr = calloc(n, sz);
        if (!arr)
            return pd_error__oom();
        const char *sa = *(char *const *)CFPTR(src, fd);
        for (size_t i = 0; i < n; i++)
            if (value_copy(fd, arr + i * sz, sa + i * sz) < 0) {
                for (size_t j = 0; j < i; j++)
                    value_free(fd, arr + j * sz);
                free(arr);
                return PD_ENOMEM;
            }
        *(char **)FPTR(dst, fd) = arr;
        *(size_t *)QPTR(dst, fd) = n;
        return 0;
    }
    if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
        if (*(const uint32_t *)CQPTR(src, fd) != fd->id)
            return 0;
        int rc = value_copy(fd, FPTR(dst, fd), CFPTR(src, fd));
        if (rc == 0)
            *(uint32_t *)QPTR(dst, fd) = fd->id;
        return rc;
    }
    if (fd->type == PROTOBUF_C_TYPE_STRING || fd->type == PROTOBUF_C_TYPE_MESSAGE)
        return value_copy(fd, FPTR(dst, fd), CFPTR(src, fd));
    if (has_quantifier(fd)) {
        if (!*(const protobuf_c_boolean *)CQPTR(src, fd))
            return 0;
        *(protobuf_c_boolean *)QPTR(dst, fd) = 1;
    }
    return value_copy(fd, FPTR(dst, fd), CFPTR(src, fd));
}

/* Append deep copies of the given elements of src's repeated field to dst's. */
static int repeated_append(ProtobufCMessage *dst, const ProtobufCFieldDescriptor *fd,
                           const void *elem)
{
    size_t *n = QPTR(dst, fd);
    char **arr = FPTR(dst, fd);
    size_t sz = scalar_size(fd->type);
    char *na = realloc(*arr, (*n + 1) * sz);
    if (!na)
        return pd_error__oom();
    *arr = na;
    int rc = value_copy(fd, na + *n * sz, elem);
    if (rc < 0)
        return rc;
    (*n)++;
    return 0;
}

static const ProtobufCFieldDescriptor *fd_by_name(const ProtobufCMessageDescriptor *d,
                                                  const char *name)
{
    return protobuf_c_message_descriptor_get_field_by_name(d, name);
}

/* ---- options ------------------------------------------------------------------------------ */

PD_EXTERN(int) pd_merge_options_init(pd_merge_options *opts, unsigned int version)
{
    if (!opts || version != PD_MERGE_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "unknown pd_merge_options version %u", version);
    pd_merge_options o = PD_MERGE_OPTIONS_INIT;
    *opts = o;
    return 0;
}

PD_EXTERN(int) pd_org_merge_options_init(pd_org_merge_options *opts, unsigned int version)
{
    if (!opts || version != PD_ORG_MERGE_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "unknown pd_org_merge_options version %u", version);
    pd_org_merge_options o = PD_ORG_MERGE_OPTIONS_INIT;
    *opts = o;
    return 0;
}

/* ---- golden record ------------------------------------------------------------------------ */

static long date_key(const PdPb__Date *d)
{
    if (!d || !d->has_year)
        return 0;
    return (long)d->year * 10000 + (d->has_month ? d->month : 0) * 100 + (d->has_day ? d->day : 0);
}

static int date_precision(const PdPb__Date *d)
{
    if (!d || !d->has_year)
        return 0;
    if (d->has_month && d->month)
        return (d->has_day && d->day) ? 3 : 2;
    return 1;
}

/* how recent a record's latest decision is: events' effective and signing dates,
 * admission and official dates, then provenance time */
static void recency(const PdPb__Member *m, long *date, int64_t *at)
{
    long best = 0;
    for (size_t i = 0; i < m->n_events; i++) {
        const PdPb__Event *e = m->events[i];
        long k = date_key(e->effective_date);
        if (e->decision && date_key(e->decision->signed_) > k)
            k = date_key(e->decision->signed_);
        if (k > best)
            best = k;
    }
    const PdPb__Date *ds[] = {m->admission_decision_date, m->admission_date, m->official_date};
    for (int i = 0; i < 3; i++)
        if (date_key(ds[i]) > best)
            best = date_key(ds[i]);
    for (size_t i = 0; i < m->n_memberships; i++) {
        const PdPb__Membership *ms = m->memberships[i];
        if (date_key(ms->from) > best)
            best = date_key(ms->from);
        if (date_key(ms->to) > best)
            best = date_key(ms->to);
    }
    *date = best;
    *at = m->provenance && m->provenance->has_updated_at ? m->provenance->updated_at : 0;
}

static int source_rank(const char *src, const pd_merge_options *o)
{
    if (!o || !src)
        return 1 << 20;
    for (size_t i = 0; i < o->source_ranking_count; i++)
        if (o->source_ranking[i] && strcmp(o->source_ranking[i], src) == 0)
            return (int)i;
    return 1 << 20;
}

/* 1 if b is the preferred record by recency (then source rank), 0 for a */
static int prefer_b(const PdPb__Member *a, const PdPb__Member *b, const pd_merge_options *o)
{
    long da, db;
    int64_t ta, tb;
    recency(a, &da, &ta);
    recency(b, &db, &tb);
    if (da != db)
        return db > da;
    if (ta != tb)
        return tb > ta;
    int ra = source_rank(a->source, o), rb = source_rank(b->source, o);
    return rb < ra;
}

static int address_precision(const PdPb__Address *a)
{
    if (!a)
        return 0;
    if (a->commune_code && *a->commune_code)
        return 3;
    if (a->province_code && *a->province_code)
        return 2;
    return a->text && *a->text ? 1 : 0;
}

static int id_in(const uint8_t *id, size_t len, const ProtobufCMessage *const *arr, size_t n,
                 const ProtobufCFieldDescriptor *idfd)
{
    for (size_t i = 0; i < n; i++) {
        const ProtobufCBinaryData *b = CFPTR(arr[i], idfd);
        if (b->len == len && len && memcmp(b->data, id, len) == 0)
            return 1;
    }
    return 0;
}

static int set_bytes(ProtobufCBinaryData *b, protobuf_c_boolean *has, const pd_uuid *id)
{
    uint8_t *d = malloc(16);
    if (!d)
        return pd_error__oom();
    memcpy(d, id->bytes, 16);
    free(b->data);
    b->data = d;
    b->len = 16;
    if (has)
        *has = 1;
    return 0;
}

static int golden_member(PdPb__Member **out, const PdPb__Member *s, const PdPb__Member *l,
                         const pd_merge_options *opts)
{
    const ProtobufCMessageDescriptor *d = &pd__pb__member__descriptor;
    PdPb__Member *g = (PdPb__Member *)msg_dup(PD_CMSG(s));
    if (!g)
        return pd_error__oom();
    int rc = 0;
    int lwins = prefer_b(s, l, opts);
    pd_uuid sid;
    memcpy(sid.bytes, s->id.data, 16);
    for (unsigned i = 0; i < d->n_fields && rc == 0; i++) {
        const ProtobufCFieldDescriptor *fd = &d->fields[i];
        const char *nm = fd->name;
        if (!strcmp(nm, "id") || !strcmp(nm, "provenance") || !strcmp(nm, "merged_into_id"))
            continue;
        int ps = field_present(PD_CMSG(s), fd), pl = field_present(PD_CMSG(l), fd);
        if (!pl)
            continue; /* rule 1: the survivor's value, or nothing */
        if (is_repeated(fd)) {
            /* union without duplicates */
            size_t nl = *(const size_t *)CQPTR(l, fd);
            const char *la = *(char *const *)CFPTR(l, fd);
            size_t sz = scalar_size(fd->type);
            for (size_t k = 0; k < nl && rc == 0; k++) {
                const void *el = la + k * sz;
                size_t ng = *(size_t *)QPTR(g, fd);
                const char *ga = *(char **)FPTR(g, fd);
                int dup = 0;
                if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
                    const ProtobufCMessage *em = *(const ProtobufCMessage *const *)el;
                    const ProtobufCFieldDescriptor *idfd = fd_by_name(em->descriptor, "id");
                    if (idfd && field_present(em, idfd)) {
                        const ProtobufCBinaryData *b = CFPTR(em, idfd);
                        dup = id_in(b->data, b->len, (const ProtobufCMessage *const *)ga, ng, idfd);
                    } else {
                        for (size_t j = 0; j < ng && !dup; j++)
                            dup = msg_equal(em, *(const ProtobufCMessage *const *)(ga + j * sz));
                        if (!dup && fd->id == 23) { /* id_numbers: same type and number */
                            const PdPb__IdNumber *x = (const PdPb__IdNumber *)em;
                            for (size_t j = 0; j < ng && !dup; j++) {
                                const PdPb__IdNumber *y = *(PdPb__IdNumber *const *)(ga + j * sz);
                                dup = x->type == y->type && x->number && y->number &&
                                      !strcmp(x->number, y->number);
                            }
                        }
                    }
                } else {
                    for (size_t j = 0; j < ng && !dup; j++)
                        dup = value_equal(fd, el, ga + j * sz);
                }
                if (!dup)
                    rc = repeated_append(PD_MSG(g), fd, el);
            }
            continue;
        }
        if (!ps) {
            rc = field_copy(PD_MSG(g), PD_CMSG(l), fd);
            continue;
        }
        if (field_equal(PD_CMSG(s), PD_CMSG(l), fd))
            continue;
        /* both set and different */
        int take_l = lwins;
        if (fd->type == PROTOBUF_C_TYPE_MESSAGE && fd->descriptor == &pd__pb__date__descriptor) {
            int a = date_precision(*(PdPb__Date *const *)CFPTR(s, fd));
            int b = date_precision(*(PdPb__Date *const *)CFPTR(l, fd));
            if (a != b)
                take_l = b > a; /* rule 2: the most precise date */
        } else if (fd->type == PROTOBUF_C_TYPE_MESSAGE &&
                   fd->descriptor == &pd__pb__address__descriptor) {
            int a = address_precision(*(PdPb__Address *const *)CFPTR(s, fd));
            int b = address_precision(*(PdPb__Address *const *)CFPTR(l, fd));
            if (a != b)
                take_l = b > a;
        }
        if (take_l) {
            if (!strcmp(nm, "full_name") && s->full_name) {
                /* the survivor's name stays known as an alias */
                const ProtobufCFieldDescriptor *afd = fd_by_name(d, "aliases");
                rc = repeated_append(PD_MSG(g), afd, &s->full_name);
                if (rc < 0)
                    break;
            }
            rc = field_copy(PD_MSG(g), PD_CMSG(l), fd);
        } else if (!strcmp(nm, "full_name") && l->full_name) {
            const ProtobufCFieldDescriptor *afd = fd_by_name(d, "aliases");
            int dup = 0;
            for (size_t j = 0; j < g->n_aliases; j++)
                dup |= !strcmp(g->aliases[j], l->full_name);
            if (!dup)
                rc = repeated_append(PD_MSG(g), afd, &l->full_name);
        }
    }
    /* remove an alias equal to the final name */
    for (size_t j = 0; rc == 0 && j < g->n_aliases;) {
        if (g->full_name && !strcmp(g->aliases[j], g->full_name)) {
            free(g->aliases[j]);
            memmove(g->aliases + j, g->aliases + j + 1, (g->n_aliases - j - 1) * sizeof *g->aliases);
            g->n_aliases--;
        } else {
            j++;
        }
    }
    /* re-point the loser's embedded events and memberships */
    for (size_t i = 0; rc == 0 && i < g->n_events; i++) {
        PdPb__Event *e = g->events[i];
        if (e->has_subject_id && e->subject_id.len == 16 && l->id.len == 16 &&
            !memcmp(e->subject_id.data, l->id.data, 16))
            rc = set_bytes(&e->subject_id, &e->has_subject_id, &sid);
    }
    for (size_t i = 0; rc == 0 && i < g->n_memberships; i++) {
        PdPb__Membership *ms = g->memberships[i];
        if (ms->has_member_id && ms->member_id.len == 16 && l->id.len == 16 &&
            !memcmp(ms->member_id.data, l->id.data, 16))
            rc = set_bytes(&ms->member_id, &ms->has_member_id, &sid);
    }
    if (rc < 0) {
        protobuf_c_message_free_unpacked(PD_MSG(g), NULL);
        return rc;
    }
    *out = g;
    return 0;
}

PD_EXTERN(int) pd_member_golden(pd_member **out, const pd_member *survivor,
                                const pd_member *loser, const pd_merge_options *opts)
{
    if (!out)
        return pd_error__set(PD_EINVALID, "NULL out");
    *out = NULL;
    const PdPb__Member *s = (const PdPb__Member *)survivor, *l = (const PdPb__Member *)loser;
    if (!s || !l)
        return pd_error__set(PD_EINVALID, "NULL member");
    if (opts && opts->version != PD_MERGE_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "unknown pd_merge_options version %u", opts->version);
    if (s->id.len != 16 || l->id.len != 16)
        return pd_error__set(PD_EINVALID, "member without an id");
    if (!memcmp(s->id.data, l->id.data, 16))
        return pd_error__set(PD_EINVALID, "cannot merge a record with itself");
    if (s->has_merged_into_id || l->has_merged_into_id)
        return pd_error__set(PD_EINVALID, "a record already merged into another cannot be merged");
    PdPb__Member *g = NULL;
    int rc = golden_member(&g, s, l, opts);
    if (rc < 0)
        return rc;
    *out = (pd_member *)g;
    return 0;
}

/* ---- 3-way merge ------------------------------------------------------------------------ */

static int push_path(pd_strarray *c, const char *prefix, const char *name, long idx)
{
    if (!c)
        return 0;
    char *p = idx >= 0 ? pd__asprintf("%s%s%s[%ld]", prefix, *prefix ? "." : "", name, idx)
                       : pd__asprintf("%s%s%s", prefix, *prefix ? "." : "", name);
    if (!p)
        return PD_ENOMEM;
    int rc = pd__strarray_push(c, p);
    free(p);
    return rc;
}

static int merge3_msg(ProtobufCMessage *out, const ProtobufCMessage *base,
                      const ProtobufCMessage *ours, const ProtobufCMessage *theirs,
                      pd_strarray *conf, const char *prefix, unsigned flags);

/* find the element of arr with this id */
static const ProtobufCMessage *find_by_id(const ProtobufCMessage *m,
                                          const ProtobufCFieldDescriptor *fd,
                                          const ProtobufCBinaryData *id)
{
    if (!m)
        return NULL;
    size_t n = *(const size_t *)CQPTR(m, fd);
    const ProtobufCMessage *const *arr = *(const ProtobufCMessage *const *const *)CFPTR(m, fd);
    for (size_t i = 0; i < n; i++) {
        const ProtobufCFieldDescriptor *idfd = fd_by_name(arr[i]->descriptor, "id");
        const ProtobufCBinaryData *b = CFPTR(arr[i], idfd);
        if (b->len == id->len && id->len && !memcmp(b->data, id->data, id->len))
            return arr[i];
    }
    return NULL;
}

static int repeated_has_ids(const ProtobufCFieldDescriptor *fd)
{
    if (fd->type != PROTOBUF_C_TYPE_MESSAGE)
        return 0;
    const ProtobufCFieldDescriptor *idfd =
        fd_by_name((const ProtobufCMessageDescriptor *)fd->descriptor, "id");
    return idfd && idfd->type == PROTOBUF_C_TYPE_BYTES;
}

/* repeated messages with ids: element by element */
static int merge3_by_id(ProtobufCMessage *out, const ProtobufCMessage *base,
                        const ProtobufCMessage *ours, const ProtobufCMessage *theirs,
                        const ProtobufCFieldDescriptor *fd, pd_strarray *conf, const char *prefix,
                        unsigned flags)
{
    int rc = 0;
    field_clear(out, fd);
    const ProtobufCMessageDescriptor *ed = fd->descriptor;
    const ProtobufCFieldDescriptor *idfd = fd_by_name(ed, "id");
    for (int side = 0; side < 2 && rc == 0; side++) {
        const ProtobufCMessage *src = side == 0 ? ours : theirs;
        const ProtobufCMessage *other = side == 0 ? theirs : ours;
        size_t n = *(const size_t *)CQPTR(src, fd);
        const ProtobufCMessage *const *arr = *(const ProtobufCMessage *const *const *)CFPTR(src, fd);
        for (size_t i = 0; i < n && rc == 0; i++) {
            const ProtobufCMessage *e = arr[i];
            const ProtobufCBinaryData *id = CFPTR(e, idfd);
            const ProtobufCMessage *eo = find_by_id(other, fd, id);
            const ProtobufCMessage *eb = find_by_id(base, fd, id);
            long idx = (long)*(size_t *)QPTR(out, fd);
            if (side == 1 && eo)
                continue; /* done with ours */
            if (eo) { /* on both sides */
                ProtobufCMessage *m = msg_dup(e);
                if (!m)
                    return pd_error__oom();
                char *pre = pd__asprintf("%s%s%s[%ld]", prefix, *prefix ? "." : "", fd->name, idx);
                if (!pre) {
                    protobuf_c_message_free_unpacked(m, NULL);
                    return PD_ENOMEM;
                }
                rc = merge3_msg(m, eb, e, eo, conf, pre, flags);
                free(pre);
                if (rc == 0)
                    rc = repeated_append(out, fd, &m);
                protobuf_c_message_free_unpacked(m, NULL);
                continue;
            }
            /* on this side only */
            if (!eb) { /* added here */
                rc = repeated_append(out, fd, &e);
            } else if (msg_equal(eb, e)) {
                /* unchanged here, deleted on the other side: drop */
            } else { /* changed here, deleted there */
                rc = push_path(conf, prefix, fd->name, idx);
                if (rc == 0 && !((flags & PD_MERGE3_THEIRS) ? side == 0 : side == 1))
                    rc = repeated_append(out, fd, &e);
            }
        }
    }
    return rc;
}

static int merge3_msg(ProtobufCMessage *out, const ProtobufCMessage *base,
                      const ProtobufCMessage *ours, const ProtobufCMessage *theirs,
                      pd_strarray *conf, const char *prefix, unsigned flags)
{
    const ProtobufCMessageDescriptor *d = out->descriptor;
    int rc = 0;
    for (unsigned i = 0; i < d->n_fields && rc == 0; i++) {
        const ProtobufCFieldDescriptor *fd = &d->fields[i];
        if (!*prefix && !strcmp(fd->name, "provenance"))
            continue; /* ours: the caller writes provenance */
        if (field_equal(ours, theirs, fd))
            continue; /* out already has ours */
        int bo = field_equal(base, ours, fd), bt = field_equal(base, theirs, fd);
        if (bo) {
            rc = field_copy(out, theirs, fd);
            continue;
        }
        if (bt)
            continue;
        /* changed on both sides, differently */
        if (is_repeated(fd) && repeated_has_ids(fd)) {
            rc = merge3_by_id(out, base, ours, theirs, fd, conf, prefix, flags);
            continue;
        }
        if (!is_repeated(fd) && fd->type == PROTOBUF_C_TYPE_MESSAGE &&
            field_present(ours, fd) && field_present(theirs, fd) &&
            !(fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)) {
            ProtobufCMessage *sub = *(ProtobufCMessage **)FPTR(out, fd);
            const ProtobufCMessage *sb = base ? *(ProtobufCMessage *const *)CFPTR(base, fd) : NULL;
            char *pre = pd__asprintf("%s%s%s", prefix, *prefix ? "." : "", fd->name);
            if (!pre)
                return PD_ENOMEM;
            rc = merge3_msg(sub, sb, *(ProtobufCMessage *const *)CFPTR(ours, fd),
                            *(ProtobufCMessage *const *)CFPTR(theirs, fd), conf, pre, flags);
            free(pre);
            continue;
        }
        if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF && fd->type == PROTOBUF_C_TYPE_MESSAGE &&
            field_present(ours, fd) && field_present(theirs, fd)) {
            ProtobufCMessage *sub = *(ProtobufCMessage **)FPTR(out, fd);
            const ProtobufCMessage *sb =
                base && field_present(base, fd) ? *(ProtobufCMessage *const *)CFPTR(base, fd) : NULL;
            /* the envelope's entity: no prefix, paths are the entity's own */
            rc = merge3_msg(sub, sb, *(ProtobufCMessage *const *)CFPTR(ours, fd),
                            *(ProtobufCMessage *const *)CFPTR(theirs, fd), conf, prefix, flags);
            continue;
        }
        rc = push_path(conf, prefix, fd->name, -1);
        if (rc == 0 && (flags & PD_MERGE3_THEIRS))
            rc = field_copy(out, theirs, fd);
    }
    return rc;
}

PD_EXTERN(int) pd_merge3(pd_record **out, pd_strarray *conflicts, const pd_record *base,
                         const pd_record *ours, const pd_record *theirs, unsigned int flags)
{
    if (!out)
        return pd_error__set(PD_EINVALID, "NULL out");
    *out = NULL;
    if (!ours || !theirs)
        return pd_error__set(PD_EINVALID, "NULL record");
    const ProtobufCMessage *o = (const ProtobufCMessage *)ours, *t = (const ProtobufCMessage *)theirs,
                           *b = (const ProtobufCMessage *)base;
    if (o->descriptor != t->descriptor || (b && b->descriptor != o->descriptor))
        return pd_error__set(PD_EINVALID, "3-way merge of records of different kinds");
    ProtobufCMessage *empty = NULL;
    if (!b) {
        if (!(empty = msg_new(o->descriptor)))
            return pd_error__oom();
        b = empty;
    }
    ProtobufCMessage *m = msg_dup(o);
    if (!m) {
        if (empty)
            protobuf_c_message_free_unpacked(empty, NULL);
        return pd_error__oom();
    }
    pd_strarray local = {0};
    int rc = merge3_msg(m, b, o, t, &local, "", flags);
    if (empty)
        protobuf_c_message_free_unpacked(empty, NULL);
    if (rc < 0) {
        protobuf_c_message_free_unpacked(m, NULL);
        pd_strarray_dispose(&local);
        return rc;
    }
    if (conflicts)
        *conflicts = local;
    else
        pd_strarray_dispose(&local);
    *out = (pd_record *)m;
    return 0;
}

/* ---- store helpers --------------------------------------------------------------------- */

static void today(PdPb__Date *d)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    d->has_year = d->has_month = d->has_day = 1;
    d->year = tm.tm_year + 1900;
    d->month = tm.tm_mon + 1;
    d->day = tm.tm_mday;
    d->has_precision = 1;
    d->precision = PD_PB__DATE_PRECISION__DATE_PRECISION_DAY;
}

static PdPb__Date *date_new(const pd_date *src)
{
    PdPb__Date *d = malloc(sizeof *d);
    if (!d)
        return NULL;
    pd__pb__date__init(d);
    if (src) {
        d->has_year = 1;
        d->year = src->year;
        if (src->month) {
            d->has_month = 1;
            d->month = src->month;
            if (src->day) {
                d->has_day = 1;
                d->day = src->day;
            }
        }
        d->has_precision = 1;
        d->precision = src->day ? PD_PB__DATE_PRECISION__DATE_PRECISION_DAY
                       : src->month ? PD_PB__DATE_PRECISION__DATE_PRECISION_MONTH
                                    : PD_PB__DATE_PRECISION__DATE_PRECISION_YEAR;
    } else {
        today(d);
    }
    return d;
}

static int get_kind(pd_record **out, pd_store *st, const pd_uuid *id, pd_kind kind,
                    const char *what)
{
    int rc = pd_store_get(out, st, id);
    if (rc < 0)
        return rc;
    if (pd_record_kind(*out) != kind) {
        char buf[PD_UUID_STRLEN];
        pd_record_free(*out);
        *out = NULL;
        return pd_error__set(PD_EINVALID, "%s %s is not a%s %s", what, pd_uuid_format(buf, id),
                             kind == PD_KIND_ORG ? "n" : "", pd_kind_name(kind));
    }
    return 0;
}

/* ids from a SQL query with one blob parameter */
static int sql_ids(pd_uuid **out, size_t *n, pd_store *st, const char *sql, const pd_uuid *param)
{
    sqlite3 *db = pd_store_db(st);
    sqlite3_stmt *s = NULL;
    *out = NULL;
    *n = 0;
    if (!db || sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        if (db)
            pd_error__set_store_code(sqlite3_extended_errcode(db));
        return pd_error__set(PD_ESTORE, "query failed: %s", db ? sqlite3_errmsg(db) : "no db");
    }
    sqlite3_bind_blob(s, 1, param->bytes, 16, SQLITE_STATIC);
    size_t cap = 0;
    int rc = 0, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(s, 0) != 16)
            continue;
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            pd_uuid *nb = realloc(*out, nc * sizeof *nb);
            if (!nb) {
                rc = pd_error__oom();
                break;
            }
            *out = nb;
            cap = nc;
        }
        memcpy((*out)[(*n)++].bytes, sqlite3_column_blob(s, 0), 16);
    }
    if (rc == 0 && step != SQLITE_DONE) {
        pd_error__set_store_code(sqlite3_extended_errcode(db));
        rc = pd_error__set(PD_ESTORE, "query failed: %s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(s);
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

static int put(pd_store *st, void *msg, const char *reason, const char *decision,
               const char *author)
{
    pd_store_write w = PD_STORE_WRITE_INIT;
    w.reason = reason;
    w.decision_number = decision;
    w.author = author;
    return pd_store_put(NULL, st, (const pd_record *)msg, &w);
}

static void uuid_of(pd_uuid *u, const ProtobufCBinaryData *b)
{
    memset(u, 0, sizeof *u);
    if (b->len == 16)
        memcpy(u->bytes, b->data, 16);
}

/* ---- member merge ---------------------------------------------------------------------- */

#define REPOINT_TAG "re-pointed:"

PD_EXTERN(int) pd_merge_members(pd_store *st, const pd_uuid *survivor, const pd_uuid *loser,
                                const pd_merge_options *opts)
{
    if (!st || !survivor || !loser)
        return pd_error__set(PD_EINVALID, "NULL argument");
    if (opts && opts->version != PD_MERGE_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "unknown pd_merge_options version %u", opts->version);
    if (!memcmp(survivor->bytes, loser->bytes, 16))
        return pd_error__set(PD_EINVALID, "cannot merge a record with itself");
    char sb[PD_UUID_STRLEN], lb[PD_UUID_STRLEN];
    pd_uuid_format(sb, survivor);
    pd_uuid_format(lb, loser);
    pd_record *rs = NULL, *rl = NULL;
    pd_member *g = NULL;
    pd_uuid *rp = NULL;
    size_t nrp = 0;
    char *note = NULL, *reason = NULL;
    int rc, began = 0;
    if ((rc = get_kind(&rs, st, survivor, PD_KIND_MEMBER, "member")) < 0 ||
        (rc = get_kind(&rl, st, loser, PD_KIND_MEMBER, "member")) < 0)
        goto out;
    PdPb__Member *s = (PdPb__Member *)rs, *l = (PdPb__Member *)rl;
    if (s->has_merged_into_id || l->has_merged_into_id) {
        rc = pd_error__set(PD_ECONFLICT, "member %s is already merged into another record",
                           s->has_merged_into_id ? sb : lb);
        goto out;
    }
    if ((rc = pd_member_golden(&g, (pd_member *)s, (pd_member *)l, opts)) < 0)
        goto out;
    /* stand-alone records of the loser: memberships, residence links, events */
    static const char *const qs[] = {
        "SELECT id FROM memberships WHERE member_id = ?1 ORDER BY id",
        "SELECT id FROM residence_links WHERE member_id = ?1 ORDER BY id",
        "SELECT id FROM events WHERE subject_id = ?1 ORDER BY id"};
    for (int q = 0; q < 3; q++) {
        pd_uuid *ids = NULL;
        size_t n = 0;
        if ((rc = sql_ids(&ids, &n, st, qs[q], loser)) < 0)
            goto out;
        pd_uuid *nb = realloc(rp, (nrp + n + 1) * sizeof *nb);
        if (!nb) {
            free(ids);
            rc = pd_error__oom();
            goto out;
        }
        rp = nb;
        if (n)
            memcpy(rp + nrp, ids, n * sizeof *ids);
        nrp += n;
        free(ids);
    }
    /* the note of the merge event lists the re-pointed records (unmerge reads it) */
    size_t cap = strlen(REPOINT_TAG) + nrp * PD_UUID_STRLEN + 1;
    if (!(note = malloc(cap))) {
        rc = pd_error__oom();
        goto out;
    }
    strcpy(note, REPOINT_TAG);
    for (size_t i = 0; i < nrp; i++) {
        char b[PD_UUID_STRLEN];
        strcat(note, i ? "," : "");
        strcat(note, pd_uuid_format(b, &rp[i]));
    }
    reason = pd__asprintf("merge of member %s into %s%s%s", lb, sb,
                          opts && opts->reason ? ": " : "", opts && opts->reason ? opts->reason : "");
    if (!reason) {
        rc = PD_ENOMEM;
        goto out;
    }
    /* the merge event on the golden record */
    PdPb__Member *gm = (PdPb__Member *)g;
    {
        PdPb__Event *e = malloc(sizeof *e);
        PdPb__Event **ne = realloc(gm->events, (gm->n_events + 1) * sizeof *ne);
        if (!e || !ne) {
            free(e);
            if (ne)
                gm->events = ne;
            rc = pd_error__oom();
            goto out;
        }
        gm->events = ne;
        pd__pb__event__init(e);
        gm->events[gm->n_events++] = e;
        pd_uuid eid;
        pd_uuid_new(&eid);
        if ((rc = set_bytes(&e->id, &e->has_id, &eid)) < 0 ||
            (rc = set_bytes(&e->subject_id, &e->has_subject_id, survivor)) < 0 ||
            (rc = set_bytes(&e->related_id, &e->has_related_id, loser)) < 0)
            goto out;
        e->has_type = 1;
        e->type = PD_PB__EVENT_TYPE__EVENT_TYPE_HOP_NHAT_HO_SO;
        if (!(e->effective_date = date_new(NULL)) ||
            (opts && opts->reason && !(e->reason = pd__strdup(opts->reason))) ||
            !(e->note = pd__strdup(note))) {
            rc = PD_ENOMEM;
            goto out;
        }
        if (opts && opts->decision_number) {
            if (!(e->decision = malloc(sizeof *e->decision))) {
                rc = pd_error__oom();
                goto out;
            }
            pd__pb__decision__init(e->decision);
            if (!(e->decision->number = pd__strdup(opts->decision_number))) {
                rc = PD_ENOMEM;
                goto out;
            }
        }
    }
    /* the loser becomes a redirect */
    if ((rc = set_bytes(&l->merged_into_id, &l->has_merged_into_id, survivor)) < 0)
        goto out;
    const char *dec = opts ? opts->decision_number : NULL, *au = opts ? opts->author : NULL;
    if ((rc = pd_store_begin(st)) < 0)
        goto out;
    began = 1;
    if ((rc = put(st, gm, reason, dec, au)) < 0 || (rc = put(st, l, reason, dec, au)) < 0)
        goto out;
    for (size_t i = 0; i < nrp; i++) {
        pd_record *r = NULL;
        if ((rc = pd_store_get(&r, st, &rp[i])) < 0)
            goto out;
        ProtobufCMessage *m = (ProtobufCMessage *)r;
        const char *fname = m->descriptor == &pd__pb__event__descriptor ? "subject_id" : "member_id";
        const ProtobufCFieldDescriptor *fd = fd_by_name(m->descriptor, fname);
        rc = set_bytes(FPTR(m, fd), QPTR(m, fd), survivor);
        if (rc == 0)
            rc = put(st, m, reason, dec, au);
        pd_record_free(r);
        if (rc < 0)
            goto out;
    }
    rc = pd_store_commit(st);
    began = 0;
out:
    if (began && rc < 0)
        pd_store_rollback(st);
    pd_member_free(g);
    pd_record_free(rs);
    pd_record_free(rl);
    free(rp);
    free(note);
    free(reason);
    return rc;
}

/* The content of a record before the revision whose content satisfies `is_after`
 * first; also checks that the current content equals that revision's when
 * check_current. */
typedef int (*rev_pred)(const pd_record *r, const void *arg);

static int content_equal(const pd_record *a, const pd_record *b)
{
    /* provenance aside */
    const ProtobufCMessage *x = (const ProtobufCMessage *)a, *y = (const ProtobufCMessage *)b;
    const ProtobufCMessageDescriptor *d = x->descriptor;
    if (d != y->descriptor)
        return 0;
    for (unsigned i = 0; i < d->n_fields; i++)
        if (strcmp(d->fields[i].name, "provenance") && !field_equal(x, y, &d->fields[i]))
            return 0;
    return 1;
}

static int before_revision(pd_record **out, pd_store *st, const pd_uuid *id, rev_pred pred,
                           const void *arg, const pd_record *current)
{
    pd_store_history_iter *it = NULL;
    *out = NULL;
    int rc = pd_store_history(&it, st, id);
    if (rc < 0)
        return rc;
    const pd_store_revision *rv;
    pd_record *prev = NULL, *at = NULL, *last = NULL;
    int found = 0;
    while ((rc = pd_store_history_next(&rv, it)) == 0) {
        if (!rv->record)
            continue;
        if (!found && pred(rv->record, arg)) {
            found = 1;
            if ((rc = pd_record_dup(&at, rv->record)) < 0)
                break;
        } else if (!found) {
            pd_record_free(prev);
            prev = NULL;
            if ((rc = pd_record_dup(&prev, rv->record)) < 0)
                break;
        }
        pd_record_free(last);
        last = NULL;
        if ((rc = pd_record_dup(&last, rv->record)) < 0)
            break;
    }
    pd_store_history_free(it);
    if (rc == PD_ITEROVER)
        rc = 0;
    if (rc == 0 && (!found || !prev)) {
        char b[PD_UUID_STRLEN];
        rc = pd_error__set(PD_ECONFLICT, "no revision of %s from before the merge in history",
                           pd_uuid_format(b, id));
    }
    if (rc == 0 && current && !content_equal(current, at)) {
        char b[PD_UUID_STRLEN];
        rc = pd_error__set(PD_ECONFLICT, "record %s changed since the merge: undo by hand",
                           pd_uuid_format(b, id));
    }
    pd_record_free(at);
    pd_record_free(last);
    if (rc < 0) {
        pd_record_free(prev);
        return rc;
    }
    *out = prev;
    return 0;
}

typedef struct merge_ev_arg {
    const ProtobufCBinaryData *event_id;
} merge_ev_arg;

static int has_event(const pd_record *r, const void *arg)
{
    const merge_ev_arg *a = arg;
    const PdPb__Member *m = (const PdPb__Member *)r;
    if (((const ProtobufCMessage *)r)->descriptor != &pd__pb__member__descriptor)
        return 0;
    for (size_t i = 0; i < m->n_events; i++)
        if (m->events[i]->id.len == a->event_id->len &&
            !memcmp(m->events[i]->id.data, a->event_id->data, a->event_id->len))
            return 1;
    return 0;
}

static int is_merged_into(const pd_record *r, const void *arg)
{
    const pd_uuid *s = arg;
    const PdPb__Member *m = (const PdPb__Member *)r;
    return ((const ProtobufCMessage *)r)->descriptor == &pd__pb__member__descriptor &&
           m->has_merged_into_id && m->merged_into_id.len == 16 &&
           !memcmp(m->merged_into_id.data, s->bytes, 16);
}

static int refers_to(const pd_record *r, const void *arg)
{
    const pd_uuid *s = arg;
    const ProtobufCMessage *m = (const ProtobufCMessage *)r;
    const char *fname = m->descriptor == &pd__pb__event__descriptor ? "subject_id" : "member_id";
    const ProtobufCFieldDescriptor *fd = fd_by_name(m->descriptor, fname);
    const ProtobufCBinaryData *b = fd ? CFPTR(m, fd) : NULL;
    return b && b->len == 16 && !memcmp(b->data, s->bytes, 16);
}

PD_EXTERN(int) pd_unmerge_member(pd_store *st, const pd_uuid *loser, const pd_merge_options *opts)
{
    if (!st || !loser)
        return pd_error__set(PD_EINVALID, "NULL argument");
    if (opts && opts->version != PD_MERGE_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "unknown pd_merge_options version %u", opts->version);
    char lb[PD_UUID_STRLEN], sb[PD_UUID_STRLEN];
    pd_uuid_format(lb, loser);
    pd_record *rl = NULL, *rs = NULL, *ls_prev = NULL, *s_prev = NULL;
    pd_record **rp_prev = NULL;
    pd_uuid *rp = NULL;
    size_t nrp = 0;
    char *reason = NULL;
    int rc, began = 0;
    if ((rc = get_kind(&rl, st, loser, PD_KIND_MEMBER, "member")) < 0)
        goto out;
    PdPb__Member *l = (PdPb__Member *)rl;
    if (!l->has_merged_into_id || l->merged_into_id.len != 16) {
        rc = pd_error__set(PD_EINVALID, "member %s was never merged into another record", lb);
        goto out;
    }
    pd_uuid sid;
    uuid_of(&sid, &l->merged_into_id);
    pd_uuid_format(sb, &sid);
    if ((rc = get_kind(&rs, st, &sid, PD_KIND_MEMBER, "member")) < 0)
        goto out;
    PdPb__Member *s = (PdPb__Member *)rs;
    if (s->has_merged_into_id) {
        rc = pd_error__set(PD_ECONFLICT, "the survivor %s was merged again since: unmerge it first", sb);
        goto out;
    }
    /* the latest merge event naming the loser */
    const PdPb__Event *ev = NULL;
    for (size_t i = s->n_events; i-- > 0;) {
        const PdPb__Event *e = s->events[i];
        if (e->has_type && e->type == PD_PB__EVENT_TYPE__EVENT_TYPE_HOP_NHAT_HO_SO &&
            e->has_related_id && e->related_id.len == 16 && !memcmp(e->related_id.data, loser->bytes, 16)) {
            ev = e;
            break;
        }
    }
    if (!ev) {
        rc = pd_error__set(PD_ECONFLICT, "no merge event for %s in %s", lb, sb);
        goto out;
    }
    merge_ev_arg a = {&ev->id};
    if ((rc = before_revision(&s_prev, st, &sid, has_event, &a, rs)) < 0 ||
        (rc = before_revision(&ls_prev, st, loser, is_merged_into, &sid, rl)) < 0)
        goto out;
    /* re-pointed records, from the event's note */
    if (ev->note && !strncmp(ev->note, REPOINT_TAG, strlen(REPOINT_TAG))) {
        const char *p = ev->note + strlen(REPOINT_TAG);
        while (*p) {
            char buf[PD_UUID_STRLEN];
            size_t k = strcspn(p, ",");
            if (k >= sizeof buf)
                break;
            memcpy(buf, p, k);
            buf[k] = '\0';
            pd_uuid u;
            if (pd_uuid_parse(&u, buf) == 0) {
                pd_uuid *nb = realloc(rp, (nrp + 1) * sizeof *nb);
                if (!nb) {
                    rc = pd_error__oom();
                    goto out;
                }
                rp = nb;
                rp[nrp++] = u;
            }
            p += k;
            if (*p == ',')
                p++;
        }
    }
    if (nrp && !(rp_prev = calloc(nrp, sizeof *rp_prev))) {
        rc = pd_error__oom();
        goto out;
    }
    for (size_t i = 0; i < nrp; i++) {
        pd_record *cur = NULL;
        if ((rc = pd_store_get(&cur, st, &rp[i])) < 0)
            goto out;
        rc = before_revision(&rp_prev[i], st, &rp[i], refers_to, &sid, cur);
        pd_record_free(cur);
        if (rc < 0)
            goto out;
    }
    reason = pd__asprintf("unmerge of member %s from %s%s%s", lb, sb,
                          opts && opts->reason ? ": " : "", opts && opts->reason ? opts->reason : "");
    if (!reason) {
        rc = PD_ENOMEM;
        goto out;
    }
    const char *dec = opts ? opts->decision_number : NULL, *au = opts ? opts->author : NULL;
    if ((rc = pd_store_begin(st)) < 0)
        goto out;
    began = 1;
    if ((rc = put(st, s_prev, reason, dec, au)) < 0 || (rc = put(st, ls_prev, reason, dec, au)) < 0)
        goto out;
    for (size_t i = 0; i < nrp; i++)
        if ((rc = put(st, rp_prev[i], reason, dec, au)) < 0)
            goto out;
    rc = pd_store_commit(st);
    began = 0;
out:
    if (began && rc < 0)
        pd_store_rollback(st);
    pd_record_free(rl);
    pd_record_free(rs);
    pd_record_free(ls_prev);
    pd_record_free(s_prev);
    for (size_t i = 0; rp_prev && i < nrp; i++)
        pd_record_free(rp_prev[i]);
    free(rp_prev);
    free(rp);
    free(reason);
    return rc;
}

PD_EXTERN(int) pd_merge_resolve(pd_uuid *out, pd_store *st, const pd_uuid *id)
{
    if (!out || !st || !id)
        return pd_error__set(PD_EINVALID, "NULL argument");
    pd_uuid cur = *id;
    for (int hop = 0; hop < 64; hop++) {
        pd_record *r = NULL;
        int rc = pd_store_get(&r, st, &cur);
        if (rc < 0)
            return rc;
        PdPb__Member *m = (PdPb__Member *)pd_record_member(r);
        if (!m || !m->has_merged_into_id || m->merged_into_id.len != 16) {
            pd_record_free(r);
            *out = cur;
            return 0;
        }
        uuid_of(&cur, &m->merged_into_id);
        pd_record_free(r);
    }
    return pd_error__set(PD_ECONFLICT, "a cycle of merge redirects");
}

/* ---- organization consolidation -------------------------------------------------------- */

static int add_event(ProtobufCMessage *owner, PdPb__EventType type, const pd_uuid *subject,
                     const pd_uuid *from, const pd_uuid *to, const pd_uuid *related,
                     const pd_org_merge_options *o)
{
    const ProtobufCFieldDescriptor *fd = fd_by_name(owner->descriptor, "events");
    PdPb__Event *e = malloc(sizeof *e);
    if (!e)
        return pd_error__oom();
    pd__pb__event__init(e);
    pd_uuid eid;
    pd_uuid_new(&eid);
    int rc = set_bytes(&e->id, &e->has_id, &eid);
    if (rc == 0)
        rc = set_bytes(&e->subject_id, &e->has_subject_id, subject);
    if (rc == 0 && from)
        rc = set_bytes(&e->from_org_id, &e->has_from_org_id, from);
    if (rc == 0 && to)
        rc = set_bytes(&e->to_org_id, &e->has_to_org_id, to);
    if (rc == 0 && related)
        rc = set_bytes(&e->related_id, &e->has_related_id, related);
    e->has_type = 1;
    e->type = type;
    if (rc == 0 && !(e->effective_date = date_new(&o->date)))
        rc = PD_ENOMEM;
    if (rc == 0) {
        if (!(e->decision = malloc(sizeof *e->decision))) {
            rc = pd_error__oom();
        } else {
            pd__pb__decision__init(e->decision);
            if (!(e->decision->number = pd__strdup(o->decision_number)))
                rc = PD_ENOMEM;
            else if (!(e->decision->signed_ = date_new(&o->date)))
                rc = PD_ENOMEM;
        }
    }
    if (rc == 0 && o->reason && !(e->reason = pd__strdup(o->reason)))
        rc = PD_ENOMEM;
    if (rc == 0)
        rc = repeated_append(owner, fd, &e);
    protobuf_c_message_free_unpacked(PD_MSG(e), NULL);
    return rc;
}

static int append_id(ProtobufCMessage *m, const char *field, const pd_uuid *id)
{
    const ProtobufCFieldDescriptor *fd = fd_by_name(m->descriptor, field);
    ProtobufCBinaryData b = {16, (uint8_t *)id->bytes};
    size_t n = *(size_t *)QPTR(m, fd);
    const ProtobufCBinaryData *arr = *(ProtobufCBinaryData **)FPTR(m, fd);
    for (size_t i = 0; i < n; i++)
        if (arr[i].len == 16 && !memcmp(arr[i].data, id->bytes, 16))
            return 0;
    return repeated_append(m, fd, &b);
}

static int uuid_eq(const ProtobufCBinaryData *b, const pd_uuid *u)
{
    return b->len == 16 && !memcmp(b->data, u->bytes, 16);
}

/* is `node` inside the subtree of `root` (or root itself)? */
static int in_subtree(int *out, pd_store *st, const pd_uuid *node, const pd_uuid *root)
{
    pd_uuid cur = *node;
    *out = 0;
    for (int depth = 0; depth < 64; depth++) {
        if (!memcmp(cur.bytes, root->bytes, 16)) {
            *out = 1;
            return 0;
        }
        pd_record *r = NULL;
        int rc = pd_store_get(&r, st, &cur);
        if (rc == PD_ENOTFOUND)
            return 0;
        if (rc < 0)
            return rc;
        PdPb__Organization *o = (PdPb__Organization *)pd_record_org(r);
        if (!o || !o->has_parent_id || o->parent_id.len != 16) {
            pd_record_free(r);
            return 0;
        }
        uuid_of(&cur, &o->parent_id);
        pd_record_free(r);
    }
    return pd_error__set(PD_ECONFLICT, "organization tree deeper than 64 levels (a cycle?)");
}

/* the consolidation itself, inside the caller's transaction */
/* Close an open period record (a stand-alone membership or residence link) on the
 * date and open its copy in `to` from the same date, so there is no gap. The copy
 * gets a new id and no provenance; `drop` (NULL-terminated, may be NULL) names fields
 * it must not inherit; a message with a `reason` field gets `reason` on both. Works
 * through the descriptors, so both kinds share it. */
static int move_period(pd_store *st, ProtobufCMessage *old, const pd_uuid *to,
                       const pd_org_merge_options *o, const char *reason,
                       const char *const *drop)
{
    const ProtobufCMessageDescriptor *d = old->descriptor;
    const ProtobufCFieldDescriptor *f_to = fd_by_name(d, "to"), *f_from = fd_by_name(d, "from"),
                                   *f_id = fd_by_name(d, "id"), *f_org = fd_by_name(d, "org_id"),
                                   *f_reason = fd_by_name(d, "reason");
    ProtobufCMessage *nw = msg_dup(old); /* before `to` is set: the copy stays open */
    PdPb__Date **old_to = FPTR(old, f_to);
    if (!nw || !(*old_to = date_new(&o->date))) {
        if (nw)
            protobuf_c_message_free_unpacked(nw, NULL);
        return pd_error__oom();
    }
    int rc = 0;
    if (f_reason) {
        char **ro = FPTR(old, f_reason), **rn = FPTR(nw, f_reason);
        free(*ro);
        free(*rn);
        *ro = pd__strdup(reason);
        *rn = pd__strdup(reason);
        if (!*ro || !*rn)
            rc = PD_ENOMEM;
    }
    pd_uuid nid;
    pd_uuid_new(&nid);
    field_clear(nw, fd_by_name(d, "provenance"));
    for (size_t i = 0; drop && drop[i]; i++)
        field_clear(nw, fd_by_name(d, drop[i]));
    if (rc == 0)
        rc = set_bytes(FPTR(nw, f_id), QPTR(nw, f_id), &nid);
    if (rc == 0)
        rc = set_bytes(FPTR(nw, f_org), QPTR(nw, f_org), to);
    if (rc == 0) {
        PdPb__Date **nf = FPTR(nw, f_from);
        if (*nf)
            protobuf_c_message_free_unpacked(PD_MSG(*nf), NULL);
        if (!(*nf = date_new(&o->date)))
            rc = PD_ENOMEM;
    }
    if (rc == 0 && !o->dry_run)
        rc = put(st, old, reason, o->decision_number, o->author);
    if (rc == 0 && !o->dry_run)
        rc = put(st, nw, reason, o->decision_number, o->author);
    protobuf_c_message_free_unpacked(nw, NULL);
    return rc;
}

/* move_period() for every record of `kind` that `sql` (one parameter: from) lists. */
static int move_open_periods(size_t *moved, pd_store *st, const char *sql,
                             const pd_uuid *from, const pd_uuid *to, pd_kind kind,
                             const pd_org_merge_options *o, const char *reason,
                             const char *const *drop)
{
    pd_uuid *ids = NULL;
    size_t n = 0;
    int rc = sql_ids(&ids, &n, st, sql, from);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        pd_record *r = NULL;
        if ((rc = pd_store_get(&r, st, &ids[i])) < 0)
            break;
        if (pd_record_kind(r) == kind && (rc = move_period(st, PD_MSG(r), to, o, reason, drop)) == 0)
            (*moved)++;
        pd_record_free(r);
    }
    free(ids);
    return rc;
}

static int org_merge_in_tx(pd_org_merge_counts *c, pd_store *st, const pd_uuid *from,
                           const pd_uuid *to, const pd_org_merge_options *o)
{
    char fb[PD_UUID_STRLEN], tb[PD_UUID_STRLEN];
    pd_uuid_format(fb, from);
    pd_uuid_format(tb, to);
    if (!memcmp(from->bytes, to->bytes, 16))
        return pd_error__set(PD_EINVALID, "cannot merge organization %s into itself", fb);
    pd_record *rf = NULL, *rt = NULL;
    pd_uuid *ids = NULL;
    size_t n = 0;
    char *reason = NULL;
    int rc, inside = 0;
    if ((rc = get_kind(&rf, st, from, PD_KIND_ORG, "organization")) < 0 ||
        (rc = get_kind(&rt, st, to, PD_KIND_ORG, "organization")) < 0)
        goto out;
    PdPb__Organization *of = (PdPb__Organization *)rf, *ot = (PdPb__Organization *)rt;
    if (of->valid_to) {
        rc = pd_error__set(PD_ECONFLICT, "organization %s is already closed", fb);
        goto out;
    }
    if (ot->valid_to) {
        rc = pd_error__set(PD_ECONFLICT, "organization %s is closed: cannot receive", tb);
        goto out;
    }
    if ((rc = in_subtree(&inside, st, to, from)) < 0)
        goto out;
    if (inside) {
        rc = pd_error__set(PD_ECONFLICT,
                           "organization %s is inside the subtree of %s: merging would make a cycle",
                           tb, fb);
        goto out;
    }
    reason = pd__asprintf("consolidation of %s into %s%s%s", fb, tb, o->reason ? ": " : "",
                          o->reason ? o->reason : "");
    if (!reason) {
        rc = PD_ENOMEM;
        goto out;
    }
    const char *dec = o->decision_number, *au = o->author;
    pd_org_merge_counts k = {0};
    /* 1. stand-alone open memberships in from; 1b. open residence links (đảng viên
     * 213) to from: each closed on the date and re-opened in to */
    static const char *const membership_drop[] = {"transfer_in_event_id",
                                                  "transfer_out_event_id", NULL};
    size_t moved = 0;
    if ((rc = move_open_periods(&moved, st,
                                "SELECT id FROM memberships WHERE org_id = ?1 AND "
                                "to_date IS NULL ORDER BY id",
                                from, to, PD_KIND_MEMBERSHIP, o, reason, membership_drop)) < 0)
        goto out;
    k.memberships_closed += moved;
    k.memberships_opened += moved;
    moved = 0;
    if ((rc = move_open_periods(&moved, st,
                                "SELECT id FROM residence_links WHERE org_id = ?1 AND "
                                "to_date IS NULL ORDER BY id",
                                from, to, PD_KIND_RESIDENCE_LINK, o, reason, NULL)) < 0)
        goto out;
    k.residence_links_moved += moved;
    /* 2. members whose current organization is from (embedded memberships) */
    if ((rc = sql_ids(&ids, &n, st,
                      "SELECT id FROM members WHERE current_org_id = ?1 ORDER BY id", from)) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        pd_record *r = NULL;
        if ((rc = pd_store_get(&r, st, &ids[i])) < 0)
            goto out;
        PdPb__Member *m = (PdPb__Member *)pd_record_member(r);
        if (!m) {
            pd_record_free(r);
            continue;
        }
        size_t nms = m->n_memberships;
        for (size_t j = 0; j < nms && rc == 0; j++) {
            PdPb__Membership *ms = m->memberships[j];
            if (ms->to || !ms->has_org_id || !uuid_eq(&ms->org_id, from))
                continue;
            PdPb__Membership *nm = (PdPb__Membership *)msg_dup(PD_MSG(ms));
            if (!nm || !(ms->to = date_new(&o->date))) {
                if (nm)
                    protobuf_c_message_free_unpacked(PD_MSG(nm), NULL);
                rc = pd_error__oom();
                break;
            }
            free(ms->reason);
            ms->reason = pd__strdup(reason);
            pd_uuid nid;
            pd_uuid_new(&nid);
            field_clear(PD_MSG(nm), fd_by_name(nm->base.descriptor, "transfer_in_event_id"));
            field_clear(PD_MSG(nm), fd_by_name(nm->base.descriptor, "transfer_out_event_id"));
            rc = set_bytes(&nm->id, &nm->has_id, &nid);
            if (rc == 0)
                rc = set_bytes(&nm->org_id, &nm->has_org_id, to);
            if (rc == 0) {
                if (nm->from)
                    protobuf_c_message_free_unpacked(PD_MSG(nm->from), NULL);
                free(nm->reason);
                if (!(nm->from = date_new(&o->date)) || !(nm->reason = pd__strdup(reason)))
                    rc = PD_ENOMEM;
            }
            if (rc == 0)
                rc = repeated_append(PD_MSG(m), fd_by_name(m->base.descriptor, "memberships"), &nm);
            protobuf_c_message_free_unpacked(PD_MSG(nm), NULL);
            k.memberships_closed++;
            k.memberships_opened++;
        }
        if (rc == 0)
            rc = set_bytes(&m->current_org_id, &m->has_current_org_id, to);
        if (rc == 0 && !o->dry_run)
            rc = put(st, m, reason, dec, au);
        pd_record_free(r);
        if (rc < 0)
            goto out;
        k.members_moved++;
    }
    free(ids);
    ids = NULL;
    /* 3. open sub-organizations of from */
    if ((rc = sql_ids(&ids, &n, st,
                      "SELECT id FROM organizations WHERE parent_id = ?1 AND valid_to IS NULL "
                      "ORDER BY id",
                      from)) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        pd_record *r = NULL;
        if ((rc = pd_store_get(&r, st, &ids[i])) < 0)
            goto out;
        PdPb__Organization *so = (PdPb__Organization *)pd_record_org(r);
        if (!so) {
            pd_record_free(r);
            continue;
        }
        rc = set_bytes(&so->parent_id, &so->has_parent_id, to);
        if (rc == 0)
            rc = add_event(PD_MSG(so), PD_PB__EVENT_TYPE__EVENT_TYPE_CHUYEN_TRUC_THUOC, &ids[i],
                           from, to, NULL, o);
        if (rc == 0 && !o->dry_run)
            rc = put(st, so, reason, dec, au);
        pd_record_free(r);
        if (rc < 0)
            goto out;
        k.suborgs_moved++;
        k.events++;
    }
    /* 4. close from, link the successor */
    if (!(of->valid_to = date_new(&o->date))) {
        rc = pd_error__oom();
        goto out;
    }
    if ((rc = append_id(PD_MSG(of), "successor_ids", to)) < 0 ||
        (rc = append_id(PD_MSG(ot), "predecessor_ids", from)) < 0 ||
        (rc = add_event(PD_MSG(of), PD_PB__EVENT_TYPE__EVENT_TYPE_SAP_NHAP, from, from, to, to, o)) < 0 ||
        (rc = add_event(PD_MSG(ot), PD_PB__EVENT_TYPE__EVENT_TYPE_HOP_NHAT, to, from, to, from, o)) < 0)
        goto out;
    k.events += 2;
    if (!o->dry_run && ((rc = put(st, of, reason, dec, au)) < 0 || (rc = put(st, ot, reason, dec, au)) < 0))
        goto out;
    k.orgs_merged++;
    if (c) {
        c->orgs_merged += k.orgs_merged;
        c->members_moved += k.members_moved;
        c->memberships_closed += k.memberships_closed;
        c->memberships_opened += k.memberships_opened;
        c->suborgs_moved += k.suborgs_moved;
        c->events += k.events;
        c->residence_links_moved += k.residence_links_moved;
    }
out:
    free(ids);
    free(reason);
    pd_record_free(rf);
    pd_record_free(rt);
    return rc;
}

static int check_org_opts(const pd_org_merge_options *o)
{
    if (!o || o->version != PD_ORG_MERGE_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "missing or unknown pd_org_merge_options");
    if (!o->decision_number || !*o->decision_number)
        return pd_error__set(PD_EINVALID, "a consolidation needs its decision number");
    if (o->date.year <= 0 || o->date.month < 1 || o->date.month > 12 || o->date.day < 1 ||
        o->date.day > 31)
        return pd_error__set(PD_EINVALID, "a consolidation needs a full effective date");
    return 0;
}

PD_EXTERN(int) pd_org_merge(pd_org_merge_counts *out, pd_store *st, const pd_uuid *from,
                            const pd_uuid *to, const pd_org_merge_options *opts)
{
    if (!st || !from || !to)
        return pd_error__set(PD_EINVALID, "NULL argument");
    int rc = check_org_opts(opts);
    if (rc < 0)
        return rc;
    if ((rc = pd_store_begin(st)) < 0)
        return rc;
    pd_org_merge_counts k = {0};
    rc = org_merge_in_tx(&k, st, from, to, opts);
    if (rc < 0 || opts->dry_run) {
        pd_store_rollback(st);
    } else if ((rc = pd_store_commit(st)) < 0) {
        pd_store_rollback(st);
    }
    if (rc == 0 && out) {
        out->orgs_merged += k.orgs_merged;
        out->members_moved += k.members_moved;
        out->memberships_closed += k.memberships_closed;
        out->memberships_opened += k.memberships_opened;
        out->suborgs_moved += k.suborgs_moved;
        out->events += k.events;
        out->residence_links_moved += k.residence_links_moved;
    }
    return rc;
}

/* ---- batch -------------------------------------------------------------------------- */

/* an organization reference of a table: UUID, "commune:CODE", or Organization.code.
 * "commune:CODE" is the organization coded CODE when there is one (open: found;
 * closed: already consolidated, not found), else the topmost open party committee
 * (not a cell) whose admin unit is that commune. */
static int resolve_org(int *found, pd_uuid *out, pd_store *st, const char *ref)
{
    *found = 0;
    if (pd_uuid_parse(out, ref) == 0) {
        *found = 1;
        return 0;
    }
    sqlite3 *db = pd_store_db(st);
    int commune = !strncmp(ref, "commune:", 8);
    const char *val = commune ? ref + 8 : ref;
    static const char *const sqls[2] = {
        "SELECT id, valid_to IS NULL FROM organizations WHERE code = ?1 "
        "ORDER BY valid_to IS NULL DESC, id LIMIT 1",
        "SELECT o.id, 1 FROM organizations o LEFT JOIN organizations p ON p.id = o.parent_id "
        "WHERE o.commune_code = ?1 AND o.valid_to IS NULL AND (o.kind IS NULL OR o.kind <> 2) AND "
        "(p.commune_code IS NULL OR p.commune_code <> o.commune_code) ORDER BY o.id LIMIT 1"};
    for (int q = 0; q < (commune ? 2 : 1); q++) {
        sqlite3_stmt *s = NULL;
        if (!db || sqlite3_prepare_v2(db, sqls[q], -1, &s, NULL) != SQLITE_OK)
            return pd_error__set(PD_ESTORE, "query failed: %s", db ? sqlite3_errmsg(db) : "no db");
        sqlite3_bind_text(s, 1, val, -1, SQLITE_STATIC);
        int step = sqlite3_step(s), seen = 0;
        if (step == SQLITE_ROW && sqlite3_column_bytes(s, 0) == 16) {
            seen = 1;
            if (sqlite3_column_int(s, 1)) {
                memcpy(out->bytes, sqlite3_column_blob(s, 0), 16);
                *found = 1;
            }
        }
        sqlite3_finalize(s);
        if (step != SQLITE_ROW && step != SQLITE_DONE)
            return pd_error__set(PD_ESTORE, "query failed: %s", sqlite3_errmsg(db));
        if (seen)
            break;
    }
    return 0;
}

typedef struct table_rows {
    char **from, **to;
    long *line;
    size_t n, cap;
    char *field[2];
    int nf;
    long cur_line, bad_line;
    int oom;
} table_rows;

static void tcb_field(void *s, size_t len, void *data)
{
    table_rows *t = data;
    if (t->nf < 2) {
        char *c = pd__strndup(s ? (const char *)s : "", len);
        if (!c)
            t->oom = 1;
        t->field[t->nf] = c;
    }
    t->nf++;
}

static void tcb_row(int c, void *data)
{
    (void)c;
    table_rows *t = data;
    t->cur_line++;
    if (t->nf >= 2 && t->field[0] && t->field[1] && !(t->cur_line == 1 && !strcmp(t->field[0], "from"))) {
        if (t->n == t->cap) {
            size_t nc = t->cap ? t->cap * 2 : 64;
            char **nf = realloc(t->from, nc * sizeof *nf);
            if (nf)
                t->from = nf;
            char **nt = realloc(t->to, nc * sizeof *nt);
            if (nt)
                t->to = nt;
            long *nl = realloc(t->line, nc * sizeof *nl);
            if (nl)
                t->line = nl;
            if (!nf || !nt || !nl) {
                t->oom = 1;
                goto reset;
            }
            t->cap = nc;
        }
        t->from[t->n] = t->field[0];
        t->to[t->n] = t->field[1];
        t->line[t->n] = t->cur_line;
        t->n++;
        t->field[0] = t->field[1] = NULL;
    } else if (t->nf == 1 && t->field[0] && !*t->field[0]) {
        /* empty line */
    } else if (t->nf < 2 && !t->oom) {
        t->oom = 2; /* a row with fewer than two fields */
        t->bad_line = t->cur_line;
    }
reset:
    free(t->field[0]);
    free(t->field[1]);
    t->field[0] = t->field[1] = NULL;
    t->nf = 0;
}

static void table_free(table_rows *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->from[i]);
        free(t->to[i]);
    }
    free(t->from);
    free(t->to);
    free(t->line);
    free(t->field[0]);
    free(t->field[1]);
}

static int read_table(table_rows *t, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return pd_error__set(errno == ENOENT ? PD_ENOTFOUND : PD_EIO, "cannot open %s", path);
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        fclose(fp);
        return pd_error__oom();
    }
    char buf[8192];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
        if (csv_parse(&p, buf, n, tcb_field, tcb_row, t) != n) {
            rc = pd_error__set(PD_EPARSE, "%s: %s", path, csv_strerror(csv_error(&p)));
            break;
        }
    }
    if (rc == 0 && ferror(fp))
        rc = pd_error__set(PD_EIO, "cannot read %s", path);
    if (rc == 0)
        csv_fini(&p, tcb_field, tcb_row, t);
    csv_free(&p);
    fclose(fp);
    if (rc == 0 && t->oom == 1)
        rc = pd_error__oom();
    if (rc == 0 && t->oom == 2) {
        rc = pd_error__set(PD_EPARSE, "%s: a row needs two fields: from,to", path);
        pd_error__set_position(path, t->bad_line, 0, 0, -1);
    }
    return rc;
}

/* the built-in table: the 2025 commune conversion, one row per old commune whose
 * whole territory went to one new commune; the target is the old commune whose code
 * the new one kept, else the first old commune of the new one */
static int table_2025(table_rows *t)
{
    size_t n = pd_refdata_conversion_count();
    for (size_t i = 0; i < n; i++) {
        const pd_conversion *cv = pd_refdata_conversion_at(i);
        if (!cv || !cv->old_code || !*cv->old_code || cv->partial)
            continue;
        const pd_conversion **pre = NULL;
        size_t np = 0;
        const char *target = NULL;
        if (pd_refdata_commune_predecessors(&pre, &np, cv->new_code) == 0) {
            for (size_t j = 0; j < np && !target; j++)
                if (pre[j]->old_code && !strcmp(pre[j]->old_code, cv->new_code))
                    target = pre[j]->old_code;
            for (size_t j = 0; j < np && !target; j++)
                if (pre[j]->old_code && *pre[j]->old_code && !pre[j]->partial)
                    target = pre[j]->old_code;
            pd_free(pre);
        }
        if (!target || !strcmp(target, cv->old_code))
            continue;
        if (t->n == t->cap) {
            size_t nc = t->cap ? t->cap * 2 : 1024;
            char **nf = realloc(t->from, nc * sizeof *nf);
            if (!nf)
                return pd_error__oom();
            t->from = nf;
            char **nt = realloc(t->to, nc * sizeof *nt);
            if (!nt)
                return pd_error__oom();
            t->to = nt;
            long *nl = realloc(t->line, nc * sizeof *nl);
            if (!nl)
                return pd_error__oom();
            t->line = nl;
            t->cap = nc;
        }
        t->from[t->n] = pd__asprintf("commune:%s", cv->old_code);
        t->to[t->n] = pd__asprintf("commune:%s", target);
        t->line[t->n] = (long)i + 1;
        if (!t->from[t->n] || !t->to[t->n]) {
            free(t->from[t->n]);
            free(t->to[t->n]);
            return PD_ENOMEM;
        }
        t->n++;
    }
    return 0;
}

PD_EXTERN(int) pd_org_merge_table(pd_org_merge_counts *out, pd_store *st, const char *path,
                                  const pd_org_merge_options *opts)
{
    if (!st || !path)
        return pd_error__set(PD_EINVALID, "NULL argument");
    int rc = check_org_opts(opts);
    if (rc < 0)
        return rc;
    table_rows t;
    memset(&t, 0, sizeof t);
    rc = !strcmp(path, "2025") ? table_2025(&t) : read_table(&t, path);
    if (rc < 0) {
        table_free(&t);
        return rc;
    }
    if ((rc = pd_store_begin(st)) < 0) {
        table_free(&t);
        return rc;
    }
    pd_org_merge_counts k = {0};
    for (size_t i = 0; i < t.n && rc == 0; i++) {
        pd_uuid f, to;
        int ff = 0, ft = 0;
        if ((rc = resolve_org(&ff, &f, st, t.from[i])) < 0 ||
            (rc = resolve_org(&ft, &to, st, t.to[i])) < 0)
            break;
        if (!ff || !ft || !memcmp(f.bytes, to.bytes, 16)) {
            k.skipped++;
            continue;
        }
        rc = org_merge_in_tx(&k, st, &f, &to, opts);
        if (rc < 0)
            pd_error__set_position(path, t.line[i], 0, (long)i + 1, -1);
    }
    if (rc < 0 || opts->dry_run) {
        pd_store_rollback(st);
    } else if ((rc = pd_store_commit(st)) < 0) {
        pd_store_rollback(st);
    }
    table_free(&t);
    if (rc == 0 && out) {
        out->orgs_merged += k.orgs_merged;
        out->members_moved += k.members_moved;
        out->memberships_closed += k.memberships_closed;
        out->memberships_opened += k.memberships_opened;
        out->suborgs_moved += k.suborgs_moved;
        out->events += k.events;
        out->skipped += k.skipped;
        out->residence_links_moved += k.residence_links_moved;
    }
    return rc;
}
