/*
 * store.c: the SQLite store: open and migrate, put/get/delete with history,
 * queries, statistics, checks. Import and export are in store_import.c.
 *
 * Every record table has typed columns (what people search and count) and `pb`, the
 * record's protobuf encoding WITHOUT its provenance (field 2): provenance lives in the
 * columns revision, store_rev, updated_at, node, author, reason, decision_number, and
 * is put back on read. So "identical content" is a byte comparison of `pb`
 * (protobuf-c packs fields in field-number order, deterministically).
 *
 * The store's revision is the history table's `seq`: every write appends one history
 * row, and its seq is the record's store_rev (the sync watermark).
 *
 * SQL text is built only from constant fragments in this file; every value is bound.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store_internal.h"
#include "store_schema.h"

#define PD_STORE_APP_ID 0x50444442 /* "PDDB" in PRAGMA application_id */

/* ---- kinds ----------------------------------------------------------------------- */

typedef struct kind_info {
    const char *table;
    const ProtobufCMessageDescriptor *desc;
    const char *const *cols; /* typed columns, id first */
    int ncols;
    const char *org_col; /* column tested by an org-subtree query, NULL = special */
} kind_info;

static const char *const member_cols[] = {
    "id", "cccd", "party_card_no", "full_name", "name_fold", "birth_date", "birth_year",
    "birth_precision", "gender", "ethnicity_code", "religion_code", "status",
    "current_org_id", "province_code", "commune_code", "residence_province_code",
    "residence_commune_code", "hometown_province_code",
    "admission_decision_date", "admission_date", "official_date", "merged_into_id"};
static const char *const org_cols[] = {"id", "code", "name", "name_fold", "kind", "level",
                                       "parent_id", "province_code", "commune_code",
                                       "valid_from", "valid_to"};
static const char *const ms_cols[] = {"id", "member_id", "org_id", "kind", "from_date",
                                      "to_date"};
static const char *const ev_cols[] = {"id", "subject_id", "type", "effective_date",
                                      "decision_no", "from_org_id", "to_org_id"};
static const char *const rl_cols[] = {"id", "member_id", "org_id", "from_date", "to_date"};
static const char *const meta_cols[] = {"revision", "store_rev", "updated_at", "node", "author",
                                        "reason", "decision_number", "needs_review", "pb"};
#define NMETA 9

static const kind_info kinds[PD_STORE_KINDS] = {
    {NULL, NULL, NULL, 0, NULL},
    {"members", &pd__pb__member__descriptor, member_cols, 22, "current_org_id"},
    {"organizations", &pd__pb__organization__descriptor, org_cols, 11, "id"},
    {"memberships", &pd__pb__membership__descriptor, ms_cols, 6, "org_id"},
    {"events", &pd__pb__event__descriptor, ev_cols, 7, NULL},
    {"residence_links", &pd__pb__residence_link__descriptor, rl_cols, 5, "org_id"},
};

pd_kind pd_store__kind(const pd_record *r)
{
    if (!r)
        return PD_KIND_NONE;
    const ProtobufCMessageDescriptor *d = PD_CMSG(r)->descriptor;
    for (int k = 1; k < PD_STORE_KINDS; k++)
        if (kinds[k].desc == d)
            return (pd_kind)k;
    return PD_KIND_NONE;
}

/* id and provenance sit in fields 1 and 2 of every entity; find them by descriptor. */
static const ProtobufCBinaryData *record_id_field(const pd_record *r, protobuf_c_boolean *has)
{
    const ProtobufCMessageDescriptor *d = PD_CMSG(r)->descriptor;
    const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(d, 1);
    if (!f || f->type != PROTOBUF_C_TYPE_BYTES)
        return NULL;
    *has = *(const protobuf_c_boolean *)((const char *)r + f->quantifier_offset);
    return (const ProtobufCBinaryData *)((const char *)r + f->offset);
}

static int record_uuid(pd_uuid *out, const pd_record *r)
{
    protobuf_c_boolean has = 0;
    const ProtobufCBinaryData *b = record_id_field(r, &has);
    if (!b || !has || b->len != 16)
        return PD_ENOTFOUND;
    memcpy(out->bytes, b->data, 16);
    return 0;
}

static PdPb__Provenance **record_prov_slot(pd_record *r)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(PD_MSG(r)->descriptor, 2);
    if (!f || f->type != PROTOBUF_C_TYPE_MESSAGE)
        return NULL;
    return (PdPb__Provenance **)((char *)r + f->offset);
}

static const PdPb__Provenance *record_prov(const pd_record *r)
{
    PdPb__Provenance **slot = record_prov_slot((pd_record *)r);
    return slot ? *slot : NULL;
}

/* ---- packing ------------------------------------------------------------------------ */

static int read_varint(const unsigned char *p, size_t len, size_t *pos, uint64_t *v)
{
    uint64_t x = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*pos >= len)
            return -1;
        unsigned char c = p[(*pos)++];
        x |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *v = x;
            return 0;
        }
    }
    return -1;
}

/* Drop every top-level field 2 (provenance) from packed bytes, in place. */
static size_t strip_field2(unsigned char *p, size_t len)
{
    size_t in = 0, out = 0;
    while (in < len) {
        size_t start = in;
        uint64_t tag, v;
        if (read_varint(p, len, &in, &tag) < 0)
            return len;
        switch (tag & 7) {
        case 0:
            if (read_varint(p, len, &in, &v) < 0)
                return len;
            break;
        case 1:
            in += 8;
            break;
        case 2:
            if (read_varint(p, len, &in, &v) < 0 || v > len - in)
                return len;
            in += (size_t)v;
            break;
        case 5:
            in += 4;
            break;
        default:
            return len;
        }
        if (in > len)
            return len;
        if ((tag >> 3) != 2) {
            memmove(p + out, p + start, in - start);
            out += in - start;
        }
    }
    return out;
}

int pd_store__pack_content(unsigned char **out, size_t *len, const pd_record *r)
{
    size_t n = protobuf_c_message_get_packed_size(PD_CMSG(r));
    unsigned char *buf = malloc(n ? n : 1);
    if (!buf)
        return pd_error__oom();
    protobuf_c_message_pack(PD_CMSG(r), buf);
    *len = strip_field2(buf, n);
    *out = buf;
    return 0;
}

/* ---- errors and statements ---------------------------------------------------------- */

int pd_store__sqlerr(pd_store *st, int src, const char *what)
{
    int base = src & 0xff, code;
    switch (base) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = PD_EBUSY;
        break;
    case SQLITE_FULL:
        code = PD_EFULL;
        break;
    case SQLITE_READONLY:
        code = PD_EREADONLY;
        break;
    case SQLITE_NOMEM:
        code = PD_ENOMEM;
        break;
    case SQLITE_CONSTRAINT:
        code = src == SQLITE_CONSTRAINT_FOREIGNKEY ? PD_ECONFLICT : PD_ESTORE;
        break;
    default:
        code = PD_ESTORE;
    }
    const char *msg = st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(src);
    pd_error__set(code, "store: %s: %s", what, msg);
    pd_error__set_store_code(src);
    return code;
}

int pd_store__exec(pd_store *st, const char *sql)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "exec");
    return 0;
}

static char *sql_insert(pd_kind k, int if_new)
{
    char buf[2048];
    size_t n = 0;
    const kind_info *ki = &kinds[k];
    n += (size_t)snprintf(buf + n, sizeof buf - n, "INSERT INTO %s(", ki->table);
    for (int i = 0; i < ki->ncols + NMETA; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? "," : "",
                              i < ki->ncols ? ki->cols[i] : meta_cols[i - ki->ncols]);
    n += (size_t)snprintf(buf + n, sizeof buf - n, ") VALUES(");
    for (int i = 0; i < ki->ncols + NMETA; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s?%d", i ? "," : "", i + 1);
    snprintf(buf + n, sizeof buf - n, ")%s", if_new ? " ON CONFLICT(id) DO NOTHING" : "");
    return pd__strdup(buf);
}

static char *sql_update(pd_kind k)
{
    char buf[2048];
    size_t n = 0;
    const kind_info *ki = &kinds[k];
    n += (size_t)snprintf(buf + n, sizeof buf - n, "UPDATE %s SET ", ki->table);
    for (int i = 1; i < ki->ncols + NMETA; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s=?%d", i > 1 ? "," : "",
                              i < ki->ncols ? ki->cols[i] : meta_cols[i - ki->ncols], i + 1);
    snprintf(buf + n, sizeof buf - n, " WHERE id=?1");
    return pd__strdup(buf);
}

/* Columns of a row read back: the same layout for get, queries and exports. */
#define ROW_COLS                                                                          \
    "revision, pb, needs_review, store_rev, updated_at, node, author, reason, "          \
    "decision_number"

static char *sql_for(int which, pd_kind k)
{
    const char *t = k ? kinds[k].table : "";
    switch (which) {
    case PD_STMT_SELECT:
        if (k == PD_KIND_MEMBER)
            return pd__asprintf("SELECT " ROW_COLS ", cccd, party_card_no FROM members "
                                "WHERE id=?1");
        return pd__asprintf("SELECT " ROW_COLS ", NULL, NULL FROM %s WHERE id=?1", t);
    case PD_STMT_INSERT:
        return sql_insert(k, 0);
    case PD_STMT_INSERT_NEW:
        return sql_insert(k, 1);
    case PD_STMT_STORE_REV:
        return pd__asprintf("UPDATE %s SET store_rev=?2 WHERE id=?1", t);
    case PD_STMT_MAXSEQ:
        return pd__strdup("SELECT max(seq) FROM history");
    case PD_STMT_UPDATE:
        return sql_update(k);
    case PD_STMT_DELETE:
        return pd__asprintf("DELETE FROM %s WHERE id=?1", t);
    case PD_STMT_HISTORY:
        return pd__strdup("INSERT INTO history(kind, record_id, revision, op, updated_at, "
                          "node, author, reason, decision_number, prev_pb) "
                          "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)");
    case PD_STMT_MAXREV:
        return pd__strdup("SELECT max(revision) FROM history WHERE record_id=?1");
    case PD_STMT_ORG_EXISTS:
        return pd__strdup("SELECT province_code, commune_code FROM organizations WHERE id=?1");
    case PD_STMT_MEMBER_EXISTS:
        return pd__strdup("SELECT 1 FROM members WHERE id=?1");
    case PD_STMT_DUP_CCCD:
        /* min(id), not ORDER BY id LIMIT 1: the same row without a sorter per call */
        return pd__strdup("SELECT min(id) FROM members WHERE cccd=?1 AND id<>?2");
    case PD_STMT_DUP_CARD:
        return pd__strdup("SELECT min(id) FROM members WHERE party_card_no=?1 AND id<>?2");
    case PD_STMT_DUP_BOTH:
        return pd__strdup("SELECT (SELECT min(id) FROM members WHERE cccd=?1 AND id<>?3), "
                          "(SELECT min(id) FROM members WHERE party_card_no=?2 AND id<>?3)");
    case PD_STMT_DUP_INSERT:
        return pd__strdup("INSERT OR IGNORE INTO duplicate_candidates(a_id, b_id, key, value, "
                          "found_at) VALUES(?1,?2,?3,?4,?5)");
    case PD_STMT_FINDING_INSERT:
        return pd__strdup("INSERT INTO findings(record_id, rule, severity, path, message, "
                          "message_vi, old_value, new_value) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)");
    case PD_STMT_FINDINGS_CLEAR:
        return pd__strdup("DELETE FROM findings WHERE record_id=?1 AND rule NOT LIKE 'PD-S%'");
    case PD_STMT_REVIEW_SET:
        return pd__asprintf("UPDATE %s SET needs_review=?2 WHERE id=?1", t);
    case PD_STMT_REJECT_INSERT:
        return pd__strdup("INSERT OR IGNORE INTO rejects(at, source, record_index, reason, "
                          "path, raw) VALUES(?1,?2,?3,?4,?5,?6)");
    }
    return NULL;
}

sqlite3_stmt *pd_store__stmt(pd_store *st, int which, pd_kind kind)
{
    sqlite3_stmt **slot = &st->stmt[which][kind];
    if (*slot) {
        sqlite3_reset(*slot);
        sqlite3_clear_bindings(*slot);
        return *slot;
    }
    char *sql = sql_for(which, kind);
    if (!sql)
        return NULL;
    int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL);
    free(sql);
    if (rc != SQLITE_OK) {
        pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "prepare");
        *slot = NULL;
        return NULL;
    }
    return *slot;
}

static void finalize_all(pd_store *st)
{
    for (int i = 0; i < PD_STMT_COUNT; i++)
        for (int k = 0; k < PD_STORE_KINDS; k++) {
            sqlite3_finalize(st->stmt[i][k]);
            st->stmt[i][k] = NULL;
        }
}

/* ---- small helpers -------------------------------------------------------------- */

static int64_t next_ts(pd_store *st)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t t = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    if (t <= st->last_ts)
        t = st->last_ts + 1;
    st->last_ts = t;
    return t;
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" (what is known), or NULL. */
static const char *date_text(char buf[16], const PdPb__Date *d)
{
    if (!d || !d->has_year || d->year <= 0 || d->year > 9999)
        return NULL;
    if (d->has_month && d->month >= 1 && d->month <= 12) {
        if (d->has_day && d->day >= 1 && d->day <= 31)
            snprintf(buf, 16, "%04d-%02d-%02d", (int)d->year, (int)d->month, (int)d->day);
        else
            snprintf(buf, 16, "%04d-%02d", (int)d->year, (int)d->month);
    } else {
        snprintf(buf, 16, "%04d", (int)d->year);
    }
    return buf;
}

static int date_precision(const PdPb__Date *d)
{
    if (!d || !d->has_year)
        return 0;
    if (d->has_precision && d->precision)
        return (int)d->precision;
    return d->has_day ? 3 : d->has_month ? 2 : 1;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

/* Text owned by the record being written: not copied (every statement is reset right
 * after its step, and its bindings cleared before it is used again). */
static void bind_text_rec(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

/* Text allocated for the statement (pd_free()d by SQLite when done with it). */
static void bind_text_owned(sqlite3_stmt *s, int i, char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, pd_free);
    else
        sqlite3_bind_null(s, i);
}

static void bind_idb(sqlite3_stmt *s, int i, protobuf_c_boolean has, const ProtobufCBinaryData *b)
{
    if (has && b->len == 16)
        sqlite3_bind_blob(s, i, b->data, 16, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static void bind_int_opt(sqlite3_stmt *s, int i, protobuf_c_boolean has, long long v)
{
    if (has)
        sqlite3_bind_int64(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

static void bind_date(sqlite3_stmt *s, int i, const PdPb__Date *d)
{
    char buf[16];
    bind_text(s, i, date_text(buf, d));
}

/* Folded name for matching and prefix search (normalize.h's key: lower case, no
 * diacritics, đ → d, single spaces). NULL for NULL or text that is not UTF-8. */
static char *fold_name(const char *s, int *oom)
{
    char *out = NULL;
    *oom = 0;
    if (!s)
        return NULL;
    int rc = pd_normalize_fold(&out, s);
    if (rc == PD_ENOMEM)
        *oom = 1;
    return rc < 0 ? NULL : out;
}

static const char *member_cccd(const PdPb__Member *m)
{
    for (size_t i = 0; i < m->n_id_numbers; i++)
        if (m->id_numbers[i]->has_type && m->id_numbers[i]->type == PD_PB__ID_TYPE__ID_TYPE_CCCD &&
            m->id_numbers[i]->number && m->id_numbers[i]->number[0])
            return m->id_numbers[i]->number;
    return NULL;
}

static size_t member_cccd_index(const PdPb__Member *m)
{
    for (size_t i = 0; i < m->n_id_numbers; i++)
        if (m->id_numbers[i]->has_type && m->id_numbers[i]->type == PD_PB__ID_TYPE__ID_TYPE_CCCD &&
            m->id_numbers[i]->number && m->id_numbers[i]->number[0])
            return i;
    return 0;
}

static const char *nonempty(const char *s) { return s && s[0] ? s : NULL; }

/* Bind the typed columns of a record (1..ncols). Returns 0 or PD_ENOMEM. */
static int bind_columns(sqlite3_stmt *s, pd_store *st, pd_kind k, const pd_record *r)
{
    switch (k) {
    case PD_KIND_MEMBER: {
        const PdPb__Member *m = (const PdPb__Member *)r;
        bind_idb(s, 1, m->has_id, &m->id);
        bind_text_rec(s, 2, member_cccd(m));
        bind_text_rec(s, 3, nonempty(m->party_card_no));
        bind_text_rec(s, 4, m->full_name);
        int oom = 0;
        char *fold = fold_name(m->full_name, &oom);
        if (oom)
            return PD_ENOMEM;
        bind_text_owned(s, 5, fold);
        bind_date(s, 6, m->birth_date);
        bind_int_opt(s, 7, m->birth_date && m->birth_date->has_year,
                     m->birth_date ? m->birth_date->year : 0);
        bind_int_opt(s, 8, m->birth_date != NULL, date_precision(m->birth_date));
        bind_int_opt(s, 9, m->has_gender, m->gender);
        bind_text_rec(s, 10, m->ethnicity ? nonempty(m->ethnicity->code) : NULL);
        bind_text_rec(s, 11, m->religion ? nonempty(m->religion->code) : NULL);
        bind_int_opt(s, 12, m->has_status, m->status);
        bind_idb(s, 13, m->has_current_org_id, &m->current_org_id);
        /* where the member is active: the organization's admin unit, else residence */
        const PdPb__Address *res = m->permanent_residence;
        const char *rp = res ? nonempty(res->province_code) : NULL;
        const char *rc = res ? nonempty(res->commune_code) : NULL;
        int org = m->has_current_org_id && st->ref_prov[0];
        bind_text(s, 14, org ? st->ref_prov : rp);
        bind_text(s, 15, org ? (st->ref_comm[0] ? st->ref_comm : NULL) : rc);
        bind_text_rec(s, 16, rp);
        bind_text_rec(s, 17, rc);
        bind_text_rec(s, 18, m->hometown ? nonempty(m->hometown->province_code) : NULL);
        bind_date(s, 19, m->admission_decision_date);
        bind_date(s, 20, m->admission_date);
        bind_date(s, 21, m->official_date);
        bind_idb(s, 22, m->has_merged_into_id, &m->merged_into_id);
        return 0;
    }
    case PD_KIND_ORG: {
        const PdPb__Organization *o = (const PdPb__Organization *)r;
        bind_idb(s, 1, o->has_id, &o->id);
        bind_text_rec(s, 2, nonempty(o->code));
        bind_text_rec(s, 3, o->name);
        int oom = 0;
        char *fold = fold_name(o->name, &oom);
        if (oom)
            return PD_ENOMEM;
        bind_text_owned(s, 4, fold);
        bind_int_opt(s, 5, o->has_kind, o->kind);
        bind_int_opt(s, 6, o->has_level, o->level);
        bind_idb(s, 7, o->has_parent_id, &o->parent_id);
        bind_text_rec(s, 8, o->admin_unit ? nonempty(o->admin_unit->province_code) : NULL);
        bind_text_rec(s, 9, o->admin_unit ? nonempty(o->admin_unit->commune_code) : NULL);
        bind_date(s, 10, o->valid_from);
        bind_date(s, 11, o->valid_to);
        return 0;
    }
    case PD_KIND_MEMBERSHIP: {
        const PdPb__Membership *x = (const PdPb__Membership *)r;
        bind_idb(s, 1, x->has_id, &x->id);
        bind_idb(s, 2, x->has_member_id, &x->member_id);
        bind_idb(s, 3, x->has_org_id, &x->org_id);
        bind_int_opt(s, 4, x->has_kind, x->kind);
        bind_date(s, 5, x->from);
        bind_date(s, 6, x->to);
        return 0;
    }
    case PD_KIND_EVENT: {
        const PdPb__Event *e = (const PdPb__Event *)r;
        bind_idb(s, 1, e->has_id, &e->id);
        bind_idb(s, 2, e->has_subject_id, &e->subject_id);
        bind_int_opt(s, 3, e->has_type, e->type);
        bind_date(s, 4, e->effective_date);
        bind_text_rec(s, 5, e->decision ? nonempty(e->decision->number) : NULL);
        bind_idb(s, 6, e->has_from_org_id, &e->from_org_id);
        bind_idb(s, 7, e->has_to_org_id, &e->to_org_id);
        return 0;
    }
    case PD_KIND_RESIDENCE_LINK: {
        const PdPb__ResidenceLink *l = (const PdPb__ResidenceLink *)r;
        bind_idb(s, 1, l->has_id, &l->id);
        bind_idb(s, 2, l->has_member_id, &l->member_id);
        bind_idb(s, 3, l->has_org_id, &l->org_id);
        bind_date(s, 4, l->from);
        bind_date(s, 5, l->to);
        return 0;
    }
    default:
        return PD_EINVALID;
    }
}

/* ---- reading rows back ------------------------------------------------------------ */

static char *col_strdup(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? strdup((const char *)t) : NULL;
}

/* Rebuild a record from a row laid out as ROW_COLS starting at column `c`. */
static int row_to_record(pd_record **out, sqlite3_stmt *s, int c, pd_kind k)
{
    *out = NULL;
    const void *blob = sqlite3_column_blob(s, c + 1);
    size_t len = (size_t)sqlite3_column_bytes(s, c + 1);
    ProtobufCMessage *m = protobuf_c_message_unpack(kinds[k].desc, NULL, len, blob);
    if (!m)
        return pd_error__set(PD_EPARSE, "store: a stored %s does not decode", kinds[k].table);
    PdPb__Provenance *p = malloc(sizeof *p);
    if (!p) {
        protobuf_c_message_free_unpacked(m, NULL);
        return pd_error__oom();
    }
    pd__pb__provenance__init(p);
    p->has_revision = 1;
    p->revision = sqlite3_column_int64(s, c + 0);
    p->has_updated_at = 1;
    p->updated_at = sqlite3_column_int64(s, c + 4);
    p->node = col_strdup(s, c + 5);
    p->author = col_strdup(s, c + 6);
    p->reason = col_strdup(s, c + 7);
    p->decision_number = col_strdup(s, c + 8);
    PdPb__Provenance **slot = record_prov_slot((pd_record *)m);
    if (slot) {
        if (*slot)
            protobuf_c_message_free_unpacked(PD_MSG(*slot), NULL);
        *slot = p;
    } else {
        protobuf_c_message_free_unpacked(PD_MSG(p), NULL);
    }
    *out = (pd_record *)m;
    return 0;
}

static void free_record(pd_record *r)
{
    if (r)
        protobuf_c_message_free_unpacked(PD_MSG(r), NULL);
}

/* ---- options, open, close ---------------------------------------------------------- */

int pd_store_options_init(pd_store_options *opts, unsigned int version)
{
    if (!opts || version != PD_STORE_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "store: unknown options version %u", version);
    pd_store_options d = PD_STORE_OPTIONS_INIT;
    *opts = d;
    return 0;
}

static int pragma_int(pd_store *st, const char *sql, long long *out)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(s, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            *out = 0;
            rc = SQLITE_OK;
        }
    }
    if (rc != SQLITE_OK) {
        int e = sqlite3_extended_errcode(st->db);
        sqlite3_finalize(s);
        if ((e & 0xff) == SQLITE_NOTADB) {
            pd_error__set(PD_ESTORE, "store: the file is not a database (or is encrypted)");
            pd_error__set_store_code(e);
            return PD_ESTORE;
        }
        return pd_store__sqlerr(st, e, "open");
    }
    sqlite3_finalize(s);
    return 0;
}

static int migrate(pd_store *st, int from, int to)
{
    int rc = pd_store__exec(st, "BEGIN IMMEDIATE");
    if (rc < 0)
        return rc;
    for (int v = from; v < to && rc == 0; v++)
        rc = pd_store__exec(st, pd_store_migrations[v]);
    if (rc == 0) {
        char sql[96];
        /* pragmas take no parameters: the numbers are the library's own constants */
        snprintf(sql, sizeof sql, "PRAGMA user_version=%d; PRAGMA application_id=%d", to,
                 PD_STORE_APP_ID);
        rc = pd_store__exec(st, sql);
    }
    if (rc == 0)
        rc = pd_store__exec(st, "COMMIT");
    if (rc < 0) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    st->schema_version = to;
    return 0;
}

static int open_setup(pd_store *st, const char *path, const pd_store_options *o)
{
    int memory = strcmp(path, ":memory:") == 0;
    long long uv = 0, app = 0, ntables = 0;
    int rc;
    if (!st->readonly && sqlite3_db_readonly(st->db, "main") == 1)
        return pd_error__set(PD_EREADONLY, "store: %s is not writable (open it read-only)", path);
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, o->busy_timeout_ms > 0 ? o->busy_timeout_ms : 0);
    if ((rc = pragma_int(st, "PRAGMA user_version", &uv)) < 0)
        return rc;
    if ((rc = pragma_int(st, "PRAGMA application_id", &app)) < 0)
        return rc;
    if ((rc = pragma_int(st, "SELECT count(*) FROM sqlite_master", &ntables)) < 0)
        return rc;
    if (uv == 0 && ntables > 0)
        return pd_error__set(PD_EINVALID, "store: %s is a SQLite database but not a partydata "
                                          "store", path);
    if (uv > 0 && app != PD_STORE_APP_ID)
        return pd_error__set(PD_EINVALID, "store: %s is not a partydata store (application_id "
                                          "%lld)", path, app);
    if (uv > PD_STORE_SCHEMA_VERSION)
        return pd_error__set(PD_EVERSION, "store: %s has schema version %lld, newer than this "
                                          "library's %d: upgrade libpartydata", path, uv,
                             PD_STORE_SCHEMA_VERSION);
    if ((rc = pd_store__exec(st, "PRAGMA foreign_keys=ON")) < 0)
        return rc;
    st->schema_version = (int)uv;
    if (st->readonly) {
        if (uv == 0)
            return pd_error__set(PD_EINVALID, "store: %s is not a partydata store", path);
        if (uv < PD_STORE_SCHEMA_VERSION)
            return pd_error__set(PD_EVERSION, "store: %s has schema version %lld: open it "
                                              "read-write once to migrate it", path, uv);
    } else {
        if (!memory && (rc = pd_store__exec(st, "PRAGMA journal_mode=WAL")) < 0)
            return rc;
        if ((rc = pd_store__exec(st, "PRAGMA synchronous=NORMAL")) < 0)
            return rc;
        int target = PD_STORE_SCHEMA_VERSION;
        if (uv == 0 && o->create_version > 0 && o->create_version < target)
            target = o->create_version;
        if (uv < target && (rc = migrate(st, (int)uv, target)) < 0)
            return rc;
    }
    char sql[96];
    st->cache_pages_default = -(long long)(o->cache_kib ? o->cache_kib : 8192);
    snprintf(sql, sizeof sql, "PRAGMA cache_size=%lld", st->cache_pages_default);
    if ((rc = pd_store__exec(st, sql)) < 0)
        return rc;
    if (o->max_page_count > 0) {
        snprintf(sql, sizeof sql, "PRAGMA max_page_count=%lld", o->max_page_count);
        if ((rc = pd_store__exec(st, sql)) < 0)
            return rc;
    }
    return 0;
}

int pd_store_open(pd_store **out, const char *path, const pd_store_options *opts)
{
    pd_store_options o = PD_STORE_OPTIONS_INIT;
    if (!out)
        return pd_error__set(PD_EINVALID, "store: NULL out");
    *out = NULL;
    if (!path)
        return pd_error__set(PD_EINVALID, "store: NULL path");
    if (opts) {
        if (opts->version != PD_STORE_OPTIONS_VERSION)
            return pd_error__set(PD_EINVALID, "store: unknown options version %u",
                                 opts->version);
        o = *opts;
    }
    int memory = strcmp(path, ":memory:") == 0;
    struct stat sb;
    if (!memory && stat(path, &sb) != 0) {
        if (errno != ENOENT)
            return pd_error__set(PD_EIO, "store: %s: %s", path, strerror(errno));
        if (!(o.flags & PD_STORE_CREATE) || (o.flags & PD_STORE_READONLY))
            return pd_error__set(PD_ENOTFOUND, "store: %s: no such file", path);
    }
    pd_store *st = calloc(1, sizeof *st);
    if (!st)
        return pd_error__oom();
    st->readonly = (o.flags & PD_STORE_READONLY) != 0;
    st->node = pd__strdup(o.node ? o.node : "local");
    st->author = pd__strdup(o.author ? o.author : "partydata");
    if (!st->node || !st->author) {
        pd_store_close(st);
        return PD_ENOMEM;
    }
    int flags = st->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (!st->readonly && (o.flags & PD_STORE_CREATE))
        flags |= SQLITE_OPEN_CREATE;
    int src = sqlite3_open_v2(path, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    int rc = src == SQLITE_OK ? open_setup(st, path, &o)
                              : pd_store__sqlerr(st, src, "open");
    if (rc < 0) {
        pd_error st_err = *pd_error_last();
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", st_err.message);
        int sc = st_err.store_code;
        pd_store_close(st);
        pd_error__set(rc, "%s", msg);
        pd_error__set_store_code(sc);
        pd_error__set_position(path, 0, 0, 0, -1);
        return rc;
    }
    *out = st;
    return 0;
}

int pd_store_close(pd_store *st)
{
    if (!st)
        return 0;
    int rc = 0;
    finalize_all(st);
    if (st->db) {
        if (st->explicit_tx)
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        if (sqlite3_close_v2(st->db) != SQLITE_OK)
            rc = pd_error__set(PD_ESTORE, "store: close: %s", sqlite3_errmsg(st->db));
    }
    free(st->node);
    free(st->author);
    free(st);
    return rc;
}

int pd_store_schema_version(int *out, pd_store *st)
{
    long long v = 0;
    if (!out || !st)
        return pd_error__set(PD_EINVALID, "store: NULL argument");
    int rc = pragma_int(st, "PRAGMA user_version", &v);
    *out = (int)v;
    return rc;
}

int pd_store_current_revision(int64_t *out, pd_store *st)
{
    long long v = 0;
    if (!out || !st)
        return pd_error__set(PD_EINVALID, "store: NULL argument");
    int rc = pragma_int(st, "SELECT coalesce(max(seq), 0) FROM history", &v);
    *out = v;
    return rc;
}

void *pd_store_db(pd_store *st) { return st ? st->db : NULL; }

/* ---- transactions --------------------------------------------------------------- */

static int writable(pd_store *st)
{
    if (!st)
        return pd_error__set(PD_EINVALID, "store: NULL store");
    if (st->readonly)
        return pd_error__set(PD_EREADONLY, "store: opened read-only");
    if (st->schema_version != PD_STORE_SCHEMA_VERSION)
        return pd_error__set(PD_EVERSION, "store: schema version %d: reopen to migrate",
                             st->schema_version);
    return 0;
}

int pd_store_begin(pd_store *st)
{
    int rc = writable(st);
    if (rc < 0)
        return rc;
    if (st->explicit_tx)
        return pd_error__set(PD_EINVALID, "store: a transaction is already open");
    if ((rc = pd_store__exec(st, "BEGIN IMMEDIATE")) < 0)
        return rc;
    st->explicit_tx = 1;
    return 0;
}

int pd_store_commit(pd_store *st)
{
    if (!st || !st->explicit_tx)
        return pd_error__set(PD_EINVALID, "store: no transaction is open");
    int rc = pd_store__exec(st, "COMMIT");
    if (rc < 0 && rc != PD_EBUSY) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        st->explicit_tx = 0;
        return rc;
    }
    if (rc == 0)
        st->explicit_tx = 0;
    return rc;
}

int pd_store_rollback(pd_store *st)
{
    if (!st || !st->explicit_tx)
        return pd_error__set(PD_EINVALID, "store: no transaction is open");
    st->explicit_tx = 0;
    return pd_store__exec(st, "ROLLBACK");
}

/* ---- put ----------------------------------------------------------------------- */

static size_t org_slot(const unsigned char *id)
{
    return ((size_t)id[15] + 31u * id[14] + 131u * id[13] + 7u * id[7]) % PD_ORG_CACHE;
}

/* Forget the cached organizations (0 is never a valid generation). */
static void org_cache_drop(pd_store *st)
{
    if (++st->org_gen == 0)
        st->org_gen = 1;
}

static int exists_by(pd_store *st, int which, const ProtobufCBinaryData *id, int *found)
{
    int cache = which == PD_STMT_ORG_EXISTS && st->bulk && st->org_gen && id->len == 16;
    size_t slot = cache ? org_slot(id->data) : 0;
    if (cache && st->org_cache[slot].gen == st->org_gen &&
        memcmp(st->org_cache[slot].id, id->data, 16) == 0) {
        memcpy(st->ref_prov, st->org_cache[slot].prov, sizeof st->ref_prov);
        memcpy(st->ref_comm, st->org_cache[slot].comm, sizeof st->ref_comm);
        *found = 1;
        return 0;
    }
    sqlite3_stmt *s = pd_store__stmt(st, which, PD_KIND_NONE);
    if (!s)
        return pd_error_last()->code;
    sqlite3_bind_blob(s, 1, id->data, (int)id->len, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "lookup");
    *found = rc == SQLITE_ROW;
    if (*found && which == PD_STMT_ORG_EXISTS) {
        const unsigned char *p = sqlite3_column_text(s, 0), *c = sqlite3_column_text(s, 1);
        snprintf(st->ref_prov, sizeof st->ref_prov, "%s", p ? (const char *)p : "");
        snprintf(st->ref_comm, sizeof st->ref_comm, "%s", c ? (const char *)c : "");
        if (cache) {
            memcpy(st->org_cache[slot].id, id->data, 16);
            memcpy(st->org_cache[slot].prov, st->ref_prov, sizeof st->ref_prov);
            memcpy(st->org_cache[slot].comm, st->ref_comm, sizeof st->ref_comm);
            st->org_cache[slot].gen = st->org_gen;
        }
    }
    sqlite3_reset(s);
    return 0;
}

static int need_ref(pd_store *st, int which, protobuf_c_boolean has, const ProtobufCBinaryData *id,
                    const char *path)
{
    if (!has)
        return 0;
    if (id->len != 16) {
        pd_error__set(PD_EINVALID, "store: %s is not a 16-byte id", path);
        pd_error__set_path(path);
        return PD_EINVALID;
    }
    int found = 0, rc = exists_by(st, which, id, &found);
    if (rc < 0)
        return rc;
    if (!found) {
        char buf[PD_UUID_STRLEN];
        pd_uuid u;
        memcpy(u.bytes, id->data, 16);
        pd_error__set(PD_ENOTFOUND, "store: %s %s: unknown %s", path, pd_uuid_format(buf, &u),
                      which == PD_STMT_ORG_EXISTS ? "organization" : "member");
        pd_error__set_path(path);
        return PD_ENOTFOUND;
    }
    return 0;
}

static int check_refs(pd_store *st, pd_kind k, const pd_record *r)
{
    int rc = 0;
    st->ref_prov[0] = st->ref_comm[0] = '\0';
    switch (k) {
    case PD_KIND_MEMBER: {
        const PdPb__Member *m = (const PdPb__Member *)r;
        return need_ref(st, PD_STMT_ORG_EXISTS, m->has_current_org_id, &m->current_org_id,
                        "current_org_id");
    }
    case PD_KIND_ORG: {
        const PdPb__Organization *o = (const PdPb__Organization *)r;
        if (o->has_parent_id && o->parent_id.len == 16 && o->has_id && o->id.len == 16 &&
            memcmp(o->parent_id.data, o->id.data, 16) == 0) {
            pd_error__set(PD_EINVALID, "store: an organization cannot be its own parent");
            pd_error__set_path("parent_id");
            return PD_EINVALID;
        }
        return need_ref(st, PD_STMT_ORG_EXISTS, o->has_parent_id, &o->parent_id, "parent_id");
    }
    case PD_KIND_MEMBERSHIP: {
        const PdPb__Membership *x = (const PdPb__Membership *)r;
        if ((rc = need_ref(st, PD_STMT_MEMBER_EXISTS, x->has_member_id, &x->member_id,
                           "member_id")) < 0)
            return rc;
        return need_ref(st, PD_STMT_ORG_EXISTS, x->has_org_id, &x->org_id, "org_id");
    }
    case PD_KIND_RESIDENCE_LINK: {
        const PdPb__ResidenceLink *l = (const PdPb__ResidenceLink *)r;
        if ((rc = need_ref(st, PD_STMT_MEMBER_EXISTS, l->has_member_id, &l->member_id,
                           "member_id")) < 0)
            return rc;
        return need_ref(st, PD_STMT_ORG_EXISTS, l->has_org_id, &l->org_id, "org_id");
    }
    default:
        return 0;
    }
}

static int step_done(pd_store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        rc = pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), what);
        sqlite3_reset(s);
        return rc;
    }
    sqlite3_reset(s);
    return 0;
}

static int insert_finding(pd_store *st, const ProtobufCBinaryData *id, const pd_finding *f)
{
    sqlite3_stmt *s = pd_store__stmt(st, PD_STMT_FINDING_INSERT, PD_KIND_NONE);
    if (!s)
        return pd_error_last()->code;
    sqlite3_bind_blob(s, 1, id->data, 16, SQLITE_STATIC);
    bind_text_rec(s, 2, f->rule);
    sqlite3_bind_int(s, 3, (int)f->severity);
    bind_text_rec(s, 4, f->path);
    bind_text_rec(s, 5, f->message_en);
    bind_text_rec(s, 6, f->message_vi);
    bind_text_rec(s, 7, f->old_value);
    bind_text_rec(s, 8, f->new_value);
    return step_done(st, s, "finding");
}

/* Flag a member whose CCCD / card number is stored under another id. */
/* Another member's id from column i of a duplicate lookup: 1 (copied), or 0 if none
 * (min() of nothing is NULL). */
static int dup_column(unsigned char other[16], sqlite3_stmt *s, int i)
{
    if (sqlite3_column_bytes(s, i) != 16)
        return 0;
    memcpy(other, sqlite3_column_blob(s, i), 16);
    return 1;
}

/* Both lookups of a new member in one statement: found_cccd / found_card set. */
static int dup_lookup_both(pd_store *st, const PdPb__Member *m, const char *cccd,
                           const char *card, unsigned char oc[16], int *found_cccd,
                           unsigned char ok[16], int *found_card)
{
    sqlite3_stmt *s = pd_store__stmt(st, PD_STMT_DUP_BOTH, PD_KIND_NONE);
    if (!s)
        return pd_error_last()->code;
    sqlite3_bind_text(s, 1, cccd, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, card, -1, SQLITE_STATIC);
    sqlite3_bind_blob(s, 3, m->id.data, 16, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "duplicate lookup");
    *found_cccd = dup_column(oc, s, 0);
    *found_card = dup_column(ok, s, 1);
    sqlite3_reset(s);
    return 0;
}

/* other: the member already found by dup_lookup_both(), or NULL to look it up here. */
static int check_dup(pd_store *st, const PdPb__Member *m, const char *value, int cccd,
                     const unsigned char *found, int64_t ts, int *dup_found,
                     long long *nfindings)
{
    unsigned char other[16];
    int rc;
    if (found) {
        memcpy(other, found, 16);
    } else {
        sqlite3_stmt *s = pd_store__stmt(st, cccd ? PD_STMT_DUP_CCCD : PD_STMT_DUP_CARD,
                                         PD_KIND_NONE);
        if (!s)
            return pd_error_last()->code;
        sqlite3_bind_text(s, 1, value, -1, SQLITE_STATIC);
        sqlite3_bind_blob(s, 2, m->id.data, 16, SQLITE_STATIC);
        rc = sqlite3_step(s);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "duplicate lookup");
        int any = rc == SQLITE_ROW && dup_column(other, s, 0);
        sqlite3_reset(s);
        if (!any)
            return 0;
    }
    char ob[PD_UUID_STRLEN], path[48];
    pd_uuid ou;
    memcpy(ou.bytes, other, 16);
    pd_uuid_format(ob, &ou);
    if (cccd)
        snprintf(path, sizeof path, "id_numbers[%zu].number", member_cccd_index(m));
    char *en = pd__asprintf("%s %s is already stored for member %s: duplicate candidate",
                            cccd ? "CCCD" : "party card number", value, ob);
    char *vi = pd__asprintf("%s %s đã có ở đảng viên %s: nghi trùng",
                            cccd ? "Số CCCD" : "Số thẻ đảng", value, ob);
    if (!en || !vi) {
        free(en);
        free(vi);
        return PD_ENOMEM;
    }
    pd_finding f;
    memset(&f, 0, sizeof f);
    f.rule = cccd ? "PD-S001" : "PD-S002";
    f.severity = PD_SEVERITY_WARNING;
    f.path = cccd ? path : "party_card_no";
    f.message_en = en;
    f.message_vi = vi;
    rc = insert_finding(st, &m->id, &f);
    free(en);
    free(vi);
    if (rc < 0)
        return rc;
    if (nfindings)
        (*nfindings)++;
    sqlite3_stmt *s = pd_store__stmt(st, PD_STMT_DUP_INSERT, PD_KIND_NONE);
    if (!s)
        return pd_error_last()->code;
    sqlite3_bind_blob(s, 1, other, 16, SQLITE_STATIC);
    sqlite3_bind_blob(s, 2, m->id.data, 16, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, cccd ? "cccd" : "party_card_no", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, value, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, ts);
    if ((rc = step_done(st, s, "duplicate candidate")) < 0)
        return rc;
    if (dup_found)
        *dup_found = 1;
    return 0;
}

static int same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

typedef struct current_row {
    int exists;
    int64_t revision;
    int needs_review;
    unsigned char *pb;
    size_t pb_len;
    char *cccd, *card;
} current_row;

static void current_row_free(current_row *c)
{
    free(c->pb);
    free(c->cccd);
    free(c->card);
    memset(c, 0, sizeof *c);
}

static int read_current(current_row *c, pd_store *st, pd_kind k, const void *id)
{
    memset(c, 0, sizeof *c);
    sqlite3_stmt *s = pd_store__stmt(st, PD_STMT_SELECT, k);
    if (!s)
        return pd_error_last()->code;
    sqlite3_bind_blob(s, 1, id, 16, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        return 0;
    }
    if (rc != SQLITE_ROW)
        return pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "read");
    c->exists = 1;
    c->revision = sqlite3_column_int64(s, 0);
    c->pb_len = (size_t)sqlite3_column_bytes(s, 1);
    c->pb = malloc(c->pb_len ? c->pb_len : 1);
    if (c->pb && c->pb_len)
        memcpy(c->pb, sqlite3_column_blob(s, 1), c->pb_len);
    c->needs_review = sqlite3_column_int(s, 2);
    c->cccd = col_strdup(s, 9);
    c->card = col_strdup(s, 10);
    sqlite3_reset(s);
    if (!c->pb)
        return pd_error__oom();
    return 0;
}

static int history_row(pd_store *st, pd_kind k, const void *id, int64_t rev, const char *op,
                       int64_t ts, const char *author, const char *reason, const char *dec,
                       const unsigned char *prev, size_t prev_len, int64_t *seq)
{
    sqlite3_stmt *s = pd_store__stmt(st, PD_STMT_HISTORY, PD_KIND_NONE);
    if (!s)
        return pd_error_last()->code;
    sqlite3_bind_int(s, 1, (int)k);
    sqlite3_bind_blob(s, 2, id, 16, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, rev);
    sqlite3_bind_text(s, 4, op, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, ts);
    bind_text_rec(s, 6, st->node);
    bind_text_rec(s, 7, author);
    bind_text_rec(s, 8, reason);
    bind_text_rec(s, 9, dec);
    if (prev)
        sqlite3_bind_blob(s, 10, prev, (int)prev_len, SQLITE_STATIC);
    int rc = step_done(st, s, "history");
    if (rc == 0)
        *seq = st->hist_max = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int pd_store__bulk_begin(pd_store *st)
{
    sqlite3_stmt *s = pd_store__stmt(st, PD_STMT_MAXSEQ, PD_KIND_NONE);
    if (!s)
        return pd_error_last()->code;
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "history");
    st->hist_max = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    org_cache_drop(st);
    st->bulk = 1;
    st->bulk_stored = 0;
    return 0;
}

void pd_store__bulk_end(pd_store *st)
{
    st->bulk = 0;
    org_cache_drop(st);
}

static int next_revision(pd_store *st, const void *id, int64_t *out)
{
    sqlite3_stmt *s = pd_store__stmt(st, PD_STMT_MAXREV, PD_KIND_NONE);
    if (!s)
        return pd_error_last()->code;
    sqlite3_bind_blob(s, 1, id, 16, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "history");
    *out = sqlite3_column_int64(s, 0) + 1;
    sqlite3_reset(s);
    return 0;
}

static int tx_enter(pd_store *st, int savepoint)
{
    if (!savepoint)
        return 0;
    return pd_store__exec(st, st->explicit_tx ? "SAVEPOINT pd_put" : "BEGIN IMMEDIATE");
}

static int tx_leave(pd_store *st, int savepoint, int rc)
{
    if (!savepoint)
        return rc;
    if (rc == 0) {
        int c = pd_store__exec(st, st->explicit_tx ? "RELEASE pd_put" : "COMMIT");
        if (c == 0)
            return 0;
        rc = c;
    }
    pd_error saved = *pd_error_last();
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", saved.message);
    char path[256];
    snprintf(path, sizeof path, "%s", saved.field_path ? saved.field_path : "");
    if (st->explicit_tx)
        sqlite3_exec(st->db, "ROLLBACK TO pd_put; RELEASE pd_put", NULL, NULL, NULL);
    else
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    pd_error__set(rc, "%s", msg);
    if (path[0])
        pd_error__set_path(path);
    pd_error__set_store_code(saved.store_code);
    return rc;
}

/* The provenance columns of a write: the write info, else the record's, else the
 * handle's author. */
static void write_prov(const char **author, const char **reason, const char **dec,
                       pd_store *st, const pd_record *r, const pd_store_write *w)
{
    const PdPb__Provenance *p = record_prov(r);
    *author = w && w->author ? w->author : p && p->author ? p->author : st->author;
    *reason = w && w->reason ? w->reason : p ? p->reason : NULL;
    *dec = w && w->decision_number ? w->decision_number : p ? p->decision_number : NULL;
}

/* Bind the columns after the typed ones (insert and update statements). */
static void bind_meta(sqlite3_stmt *s, pd_store *st, pd_kind k, int64_t rev, int64_t seq,
                      int64_t ts, const char *author, const char *reason, const char *dec,
                      int needs_review, const unsigned char *pb, size_t pb_len)
{
    int c = kinds[k].ncols;
    sqlite3_bind_int64(s, c + 1, rev);
    sqlite3_bind_int64(s, c + 2, seq);
    sqlite3_bind_int64(s, c + 3, ts);
    bind_text_rec(s, c + 4, st->node);
    bind_text_rec(s, c + 5, author);
    bind_text_rec(s, c + 6, reason);
    bind_text_rec(s, c + 7, dec);
    sqlite3_bind_int(s, c + 8, needs_review);
    sqlite3_bind_blob(s, c + 9, pb, (int)pb_len, SQLITE_STATIC);
}

/* After a row was inserted or updated: its findings, duplicate candidates. */
static int after_write(pd_store *st, pd_kind k, const pd_record *r, const ProtobufCBinaryData *id,
                       const current_row *cur, int64_t ts, const pd_findings *findings,
                       int *dup_found, long long *nfindings)
{
    int rc;
    if (findings) {
        if (cur->exists) {
            sqlite3_stmt *d = pd_store__stmt(st, PD_STMT_FINDINGS_CLEAR, PD_KIND_NONE);
            if (!d)
                return pd_error_last()->code;
            sqlite3_bind_blob(d, 1, id->data, 16, SQLITE_STATIC);
            if ((rc = step_done(st, d, "findings")) < 0)
                return rc;
        }
        for (size_t i = 0; i < pd_findings_count(findings); i++) {
            if ((rc = insert_finding(st, id, pd_findings_get(findings, i))) < 0)
                return rc;
            if (nfindings)
                (*nfindings)++;
        }
    }
    if (k == PD_KIND_MEMBER) {
        const PdPb__Member *m = (const PdPb__Member *)r;
        const char *cccd = member_cccd(m), *card = nonempty(m->party_card_no);
        int new_cccd = cccd && !same_text(cccd, cur->cccd);
        int new_card = card && !same_text(card, cur->card);
        if (new_cccd && new_card) { /* the usual case: one statement for both */
            unsigned char oc[16], ok[16];
            int fc = 0, fk = 0;
            if ((rc = dup_lookup_both(st, m, cccd, card, oc, &fc, ok, &fk)) < 0)
                return rc;
            if (fc && (rc = check_dup(st, m, cccd, 1, oc, ts, dup_found, nfindings)) < 0)
                return rc;
            if (fk && (rc = check_dup(st, m, card, 0, ok, ts, dup_found, nfindings)) < 0)
                return rc;
            return 0;
        }
        if (new_cccd && (rc = check_dup(st, m, cccd, 1, NULL, ts, dup_found, nfindings)) < 0)
            return rc;
        if (new_card && (rc = check_dup(st, m, card, 0, NULL, ts, dup_found, nfindings)) < 0)
            return rc;
    }
    return 0;
}

/*
 * Import of a record while no record was ever deleted (st->bulk && st->no_deletes):
 * INSERT first (ON CONFLICT(id) DO NOTHING), so a new id costs no lookup of the current
 * row; its revision is 1 and its store_rev the next history seq (hist_max + 1: this
 * import is the only writer inside the batch transaction). *done = 0 when the id is
 * already stored: nothing was written, the caller takes the general path.
 */
static int put_new(int *done, pd_store_outcome *outcome, pd_store *st, pd_kind k,
                   const pd_record *r, const ProtobufCBinaryData *id, const unsigned char *pb,
                   size_t pb_len, const pd_store_write *w, const pd_findings *findings,
                   int needs_review, int *dup_found, long long *nfindings)
{
    *done = 0;
    sqlite3_stmt *s = pd_store__stmt(st, PD_STMT_INSERT_NEW, k);
    if (!s)
        return pd_error_last()->code;
    if (bind_columns(s, st, k, r) < 0)
        return pd_error__oom();
    const char *author, *reason, *dec;
    write_prov(&author, &reason, &dec, st, r, w);
    int64_t ts = next_ts(st), seq = st->hist_max + 1, got = 0;
    bind_meta(s, st, k, 1, seq, ts, author, reason, dec, needs_review >= 0 ? needs_review : 0,
              pb, pb_len);
    int rc = step_done(st, s, "insert");
    if (rc < 0 || sqlite3_changes(st->db) == 0)
        return rc;
    *done = 1;
    if ((rc = history_row(st, k, id->data, 1, "insert", ts, author, reason, dec, NULL, 0,
                          &got)) < 0)
        return rc;
    if (got != seq) { /* not expected: keep store_rev = the history seq anyway */
        sqlite3_stmt *u = pd_store__stmt(st, PD_STMT_STORE_REV, k);
        if (!u)
            return pd_error_last()->code;
        sqlite3_bind_blob(u, 1, id->data, 16, SQLITE_STATIC);
        sqlite3_bind_int64(u, 2, got);
        if ((rc = step_done(st, u, "store revision")) < 0)
            return rc;
    }
    *outcome = PD_STORE_INSERTED;
    current_row none;
    memset(&none, 0, sizeof none);
    return after_write(st, k, r, id, &none, ts, findings, dup_found, nfindings);
}

static int put_body(pd_store_outcome *outcome, pd_store *st, pd_kind k, const pd_record *r,
                    const ProtobufCBinaryData *id, const unsigned char *pb, size_t pb_len,
                    const pd_store_write *w, const pd_findings *findings, int needs_review,
                    int *dup_found, long long *nfindings)
{
    current_row cur;
    int rc;
    /* after a record that was already stored (a re-import), look first: the next one
     * is probably stored too */
    if (st->bulk && st->no_deletes && !st->bulk_stored) {
        int done = 0;
        rc = put_new(&done, outcome, st, k, r, id, pb, pb_len, w, findings, needs_review,
                     dup_found, nfindings);
        if (rc < 0 || done)
            return rc;
    }
    rc = read_current(&cur, st, k, id->data);
    if (rc < 0)
        goto out;
    st->bulk_stored = cur.exists;
    if (cur.exists && cur.pb_len == pb_len && memcmp(cur.pb, pb, pb_len) == 0) {
        *outcome = PD_STORE_UNCHANGED;
        if (needs_review >= 0 && needs_review != cur.needs_review) {
            sqlite3_stmt *s = pd_store__stmt(st, PD_STMT_REVIEW_SET, k);
            if (!s) {
                rc = pd_error_last()->code;
                goto out;
            }
            sqlite3_bind_blob(s, 1, id->data, 16, SQLITE_STATIC);
            sqlite3_bind_int(s, 2, needs_review);
            rc = step_done(st, s, "review mark");
        }
        goto out;
    }
    int64_t rev = cur.exists ? cur.revision + 1 : 0, seq = 0, ts = next_ts(st);
    if (!cur.exists && st->no_deletes)
        rev = 1;
    else if (!cur.exists && (rc = next_revision(st, id->data, &rev)) < 0)
        goto out;
    const char *author, *reason, *dec;
    write_prov(&author, &reason, &dec, st, r, w);
    rc = history_row(st, k, id->data, rev, cur.exists ? "update" : "insert", ts, author, reason,
                     dec, cur.exists ? cur.pb : NULL, cur.pb_len, &seq);
    if (rc < 0)
        goto out;
    sqlite3_stmt *s = pd_store__stmt(st, cur.exists ? PD_STMT_UPDATE : PD_STMT_INSERT, k);
    if (!s) {
        rc = pd_error_last()->code;
        goto out;
    }
    if ((rc = bind_columns(s, st, k, r)) < 0) {
        rc = pd_error__oom();
        goto out;
    }
    bind_meta(s, st, k, rev, seq, ts, author, reason, dec,
              needs_review >= 0 ? needs_review : cur.needs_review, pb, pb_len);
    if ((rc = step_done(st, s, cur.exists ? "update" : "insert")) < 0)
        goto out;
    *outcome = cur.exists ? PD_STORE_UPDATED : PD_STORE_INSERTED;
    rc = after_write(st, k, r, id, &cur, ts, findings, dup_found, nfindings);
out:
    current_row_free(&cur);
    return rc;
}

int pd_store__put(pd_store_outcome *outcome, pd_store *st, const pd_record *r,
                  const pd_store_write *w, const pd_findings *findings, int needs_review,
                  int savepoint, int *dup_found, long long *nfindings)
{
    pd_store_outcome dummy;
    if (!outcome)
        outcome = &dummy;
    int rc = writable(st);
    if (rc < 0)
        return rc;
    pd_kind k = pd_store__kind(r);
    if (k == PD_KIND_NONE)
        return pd_error__set(PD_EINVALID, "store: not a record");
    if (w && w->version != PD_STORE_WRITE_VERSION)
        return pd_error__set(PD_EINVALID, "store: unknown write-info version %u", w->version);
    protobuf_c_boolean has = 0;
    const ProtobufCBinaryData *id = record_id_field(r, &has);
    if (!id || !has || id->len != 16) {
        pd_error__set(PD_EINVALID, "store: the record (%s) has no 16-byte id", kinds[k].table);
        pd_error__set_path("id");
        return PD_EINVALID;
    }
    unsigned char *pb = NULL;
    size_t pb_len = 0;
    if ((rc = pd_store__pack_content(&pb, &pb_len, r)) < 0)
        return rc;
    if ((rc = tx_enter(st, savepoint)) < 0) {
        free(pb);
        return rc;
    }
    rc = check_refs(st, k, r);
    if (rc == 0)
        rc = put_body(outcome, st, k, r, id, pb, pb_len, w, findings, needs_review, dup_found,
                      nfindings);
    if (k == PD_KIND_ORG) /* its admin unit may have changed */
        org_cache_drop(st);
    free(pb);
    return tx_leave(st, savepoint, rc);
}

int pd_store_put(pd_store_outcome *outcome, pd_store *st, const pd_record *r,
                 const pd_store_write *w)
{
    if (outcome)
        *outcome = 0;
    if (!r)
        return pd_error__set(PD_EINVALID, "store: NULL record");
    return pd_store__put(outcome, st, r, w, NULL, -1, 1, NULL, NULL);
}

/* ---- get / delete --------------------------------------------------------------- */

/* Find the row of id in any table: *kind set, statement positioned on the row. */
static int find_row(sqlite3_stmt **out, pd_kind *kind, pd_store *st, const pd_uuid *id)
{
    for (int k = 1; k < PD_STORE_KINDS; k++) {
        sqlite3_stmt *s = pd_store__stmt(st, PD_STMT_SELECT, (pd_kind)k);
        if (!s)
            return pd_error_last()->code;
        sqlite3_bind_blob(s, 1, id->bytes, 16, SQLITE_STATIC);
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            *out = s;
            *kind = (pd_kind)k;
            return 0;
        }
        if (rc != SQLITE_DONE)
            return pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "read");
        sqlite3_reset(s);
    }
    char buf[PD_UUID_STRLEN];
    return pd_error__set(PD_ENOTFOUND, "store: no record %s", pd_uuid_format(buf, id));
}

int pd_store_get(pd_record **out, pd_store *st, const pd_uuid *id)
{
    if (!out || !st || !id)
        return pd_error__set(PD_EINVALID, "store: NULL argument");
    *out = NULL;
    sqlite3_stmt *s = NULL;
    pd_kind k;
    int rc = find_row(&s, &k, st, id);
    if (rc < 0)
        return rc;
    rc = row_to_record(out, s, 0, k);
    sqlite3_reset(s);
    return rc;
}

static int get_by(pd_record **out, pd_store *st, const char *sql, const char *value,
                  const char *what)
{
    if (!out || !st || !value)
        return pd_error__set(PD_EINVALID, "store: NULL argument");
    *out = NULL;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "prepare");
    sqlite3_bind_text(s, 1, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        sqlite3_finalize(s);
        return pd_error__set(PD_ENOTFOUND, "store: no member with %s %s", what, value);
    }
    if (rc != SQLITE_ROW) {
        rc = pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "read");
        sqlite3_finalize(s);
        return rc;
    }
    pd_uuid id;
    memcpy(id.bytes, sqlite3_column_blob(s, 0), 16);
    sqlite3_finalize(s);
    return pd_store_get(out, st, &id);
}

int pd_store_get_by_cccd(pd_record **out, pd_store *st, const char *cccd)
{
    return get_by(out, st, "SELECT id FROM members WHERE cccd=?1 ORDER BY id LIMIT 1", cccd,
                  "CCCD");
}

int pd_store_get_by_card(pd_record **out, pd_store *st, const char *card_no)
{
    return get_by(out, st,
                  "SELECT id FROM members WHERE party_card_no=?1 ORDER BY id LIMIT 1", card_no,
                  "party card number");
}

static int delete_body(pd_store *st, const pd_uuid *id, const pd_store_write *w)
{
    sqlite3_stmt *s = NULL;
    pd_kind k;
    int rc = find_row(&s, &k, st, id);
    if (rc < 0)
        return rc;
    int64_t rev = sqlite3_column_int64(s, 0) + 1, seq = 0;
    size_t len = (size_t)sqlite3_column_bytes(s, 1);
    unsigned char *prev = malloc(len ? len : 1);
    if (!prev) {
        sqlite3_reset(s);
        return pd_error__oom();
    }
    if (len)
        memcpy(prev, sqlite3_column_blob(s, 1), len);
    sqlite3_reset(s);
    s = pd_store__stmt(st, PD_STMT_DELETE, k);
    if (!s) {
        free(prev);
        return pd_error_last()->code;
    }
    sqlite3_bind_blob(s, 1, id->bytes, 16, SQLITE_STATIC);
    rc = step_done(st, s, "delete");
    if (rc == PD_ECONFLICT) {
        char buf[PD_UUID_STRLEN];
        pd_error__set(PD_ECONFLICT, "store: %s is referenced by other records",
                      pd_uuid_format(buf, id));
    }
    if (rc == 0)
        rc = history_row(st, k, id->bytes, rev, "delete", next_ts(st), w && w->author ? w->author
                         : st->author, w ? w->reason : NULL, w ? w->decision_number : NULL,
                         prev, len, &seq);
    free(prev);
    org_cache_drop(st);
    /* counted so that import knows when revision numbers must be looked up */
    if (rc == 0)
        rc = pd_store__exec(st, "INSERT INTO meta(key, value) VALUES('deletes', 1) "
                                "ON CONFLICT(key) DO UPDATE SET value = value + 1");
    return rc;
}

int pd_store_delete(pd_store *st, const pd_uuid *id, const pd_store_write *w)
{
    int rc = writable(st);
    if (rc < 0)
        return rc;
    if (!id)
        return pd_error__set(PD_EINVALID, "store: NULL id");
    if ((rc = tx_enter(st, 1)) < 0)
        return rc;
    return tx_leave(st, 1, delete_body(st, id, w));
}

int pd_store_findings(pd_findings *out, pd_store *st, const pd_uuid *id)
{
    if (!out || !st || !id)
        return pd_error__set(PD_EINVALID, "store: NULL argument");
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT rule, severity, path, message, message_vi, old_value, "
                           "new_value FROM findings WHERE record_id=?1 ORDER BY id",
                           -1, &s, NULL) != SQLITE_OK)
        return pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "prepare");
    sqlite3_bind_blob(s, 1, id->bytes, 16, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        pd_finding f;
        memset(&f, 0, sizeof f);
        f.rule = (const char *)sqlite3_column_text(s, 0);
        f.severity = (pd_severity)sqlite3_column_int(s, 1);
        f.path = (const char *)sqlite3_column_text(s, 2);
        f.message_en = (const char *)sqlite3_column_text(s, 3);
        f.message_vi = (const char *)sqlite3_column_text(s, 4);
        f.old_value = (const char *)sqlite3_column_text(s, 5);
        f.new_value = (const char *)sqlite3_column_text(s, 6);
        f.record_id = *id;
        if (!f.path)
            f.path = "";
        if ((rc = pd_findings_add(out, &f)) < 0) {
            sqlite3_finalize(s);
            return rc;
        }
    }
    rc = rc == SQLITE_DONE ? 0 : pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "read");
    sqlite3_finalize(s);
    return rc;
}

int pd_store_needs_review(int *out, pd_store *st, const pd_uuid *id)
{
    if (!out || !st || !id)
        return pd_error__set(PD_EINVALID, "store: NULL argument");
    sqlite3_stmt *s = NULL;
    pd_kind k;
    int rc = find_row(&s, &k, st, id);
    if (rc < 0)
        return rc;
    *out = sqlite3_column_int(s, 2);
    sqlite3_reset(s);
    return 0;
}

/* ---- history ---------------------------------------------------------------------- */

typedef struct hist_row {
    int64_t seq, revision, ts;
    char *op, *node, *author, *reason, *decision;
    unsigned char *prev; /* content before this write, NULL on insert */
    size_t prev_len;
} hist_row;

struct pd_store_history_iter {
    pd_kind kind;
    hist_row *rows;
    size_t n, next;
    unsigned char *current; /* the stored content now, NULL if deleted */
    size_t current_len;
    pd_store_revision rev;
    pd_record *record;
};

void pd_store_history_free(pd_store_history_iter *it)
{
    if (!it)
        return;
    for (size_t i = 0; i < it->n; i++) {
        hist_row *h = &it->rows[i];
        free(h->op);
        free(h->node);
        free(h->author);
        free(h->reason);
        free(h->decision);
        free(h->prev);
    }
    free(it->rows);
    free(it->current);
    free_record(it->record);
    free(it);
}

static int load_history(pd_store_history_iter *it, pd_store *st, const pd_uuid *id)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT seq, revision, updated_at, op, node, author, reason, "
                           "decision_number, prev_pb, kind FROM history WHERE record_id=?1 "
                           "ORDER BY seq",
                           -1, &s, NULL) != SQLITE_OK)
        return pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "prepare");
    sqlite3_bind_blob(s, 1, id->bytes, 16, SQLITE_STATIC);
    int rc;
    size_t cap = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (it->n == cap) {
            cap = cap ? cap * 2 : 8;
            hist_row *nr = realloc(it->rows, cap * sizeof *nr);
            if (!nr) {
                sqlite3_finalize(s);
                return pd_error__oom();
            }
            it->rows = nr;
        }
        hist_row *h = &it->rows[it->n++];
        memset(h, 0, sizeof *h);
        h->seq = sqlite3_column_int64(s, 0);
        h->revision = sqlite3_column_int64(s, 1);
        h->ts = sqlite3_column_int64(s, 2);
        h->op = col_strdup(s, 3);
        h->node = col_strdup(s, 4);
        h->author = col_strdup(s, 5);
        h->reason = col_strdup(s, 6);
        h->decision = col_strdup(s, 7);
        if (sqlite3_column_type(s, 8) == SQLITE_BLOB) {
            h->prev_len = (size_t)sqlite3_column_bytes(s, 8);
            h->prev = malloc(h->prev_len ? h->prev_len : 1);
            if (h->prev && h->prev_len)
                memcpy(h->prev, sqlite3_column_blob(s, 8), h->prev_len);
        }
        it->kind = (pd_kind)sqlite3_column_int(s, 9);
        if (!h->op || (sqlite3_column_type(s, 8) == SQLITE_BLOB && !h->prev)) {
            sqlite3_finalize(s);
            return pd_error__oom();
        }
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "history");
    if (it->n == 0 || it->kind <= PD_KIND_NONE || it->kind >= PD_STORE_KINDS) {
        char buf[PD_UUID_STRLEN];
        return pd_error__set(PD_ENOTFOUND, "store: no history for %s", pd_uuid_format(buf, id));
    }
    sqlite3_stmt *c = NULL;
    pd_kind k;
    rc = find_row(&c, &k, st, id);
    if (rc == PD_ENOTFOUND)
        return 0;
    if (rc < 0)
        return rc;
    it->current_len = (size_t)sqlite3_column_bytes(c, 1);
    it->current = malloc(it->current_len ? it->current_len : 1);
    if (it->current && it->current_len)
        memcpy(it->current, sqlite3_column_blob(c, 1), it->current_len);
    sqlite3_reset(c);
    return it->current ? 0 : pd_error__oom();
}

int pd_store_history(pd_store_history_iter **out, pd_store *st, const pd_uuid *id)
{
    if (!out || !st || !id)
        return pd_error__set(PD_EINVALID, "store: NULL argument");
    *out = NULL;
    pd_store_history_iter *it = calloc(1, sizeof *it);
    if (!it)
        return pd_error__oom();
    int rc = load_history(it, st, id);
    if (rc < 0) {
        pd_store_history_free(it);
        return rc;
    }
    *out = it;
    return 0;
}

/* The content after row i: the next row's previous content, or the current one. */
static int content_after(pd_record **out, pd_store_history_iter *it, size_t i)
{
    *out = NULL;
    const unsigned char *data;
    size_t len;
    if (strcmp(it->rows[i].op, "delete") == 0)
        return 0;
    if (i + 1 < it->n) {
        data = it->rows[i + 1].prev;
        len = it->rows[i + 1].prev_len;
    } else {
        data = it->current;
        len = it->current_len;
    }
    if (!data)
        return 0;
    ProtobufCMessage *m = protobuf_c_message_unpack(kinds[it->kind].desc, NULL, len, data);
    if (!m)
        return pd_error__set(PD_EPARSE, "store: a history blob does not decode");
    PdPb__Provenance **slot = record_prov_slot((pd_record *)m);
    PdPb__Provenance *p = malloc(sizeof *p);
    if (!p || !slot) {
        free(p);
        protobuf_c_message_free_unpacked(m, NULL);
        return pd_error__oom();
    }
    pd__pb__provenance__init(p);
    hist_row *h = &it->rows[i];
    p->has_revision = p->has_updated_at = 1;
    p->revision = h->revision;
    p->updated_at = h->ts;
    p->node = h->node ? strdup(h->node) : NULL;
    p->author = h->author ? strdup(h->author) : NULL;
    p->reason = h->reason ? strdup(h->reason) : NULL;
    p->decision_number = h->decision ? strdup(h->decision) : NULL;
    *slot = p;
    *out = (pd_record *)m;
    return 0;
}

int pd_store_history_next(const pd_store_revision **out, pd_store_history_iter *it)
{
    if (!out || !it)
        return pd_error__set(PD_EINVALID, "store: NULL argument");
    *out = NULL;
    if (it->next >= it->n)
        return PD_ITEROVER;
    size_t i = it->next++;
    free_record(it->record);
    it->record = NULL;
    int rc = content_after(&it->record, it, i);
    if (rc < 0)
        return rc;
    hist_row *h = &it->rows[i];
    it->rev.revision = h->revision;
    it->rev.store_revision = h->seq;
    it->rev.timestamp_us = h->ts;
    it->rev.operation = h->op;
    it->rev.node = h->node;
    it->rev.author = h->author;
    it->rev.reason = h->reason;
    it->rev.decision_number = h->decision;
    it->rev.record = it->record;
    *out = &it->rev;
    return 0;
}

int pd_store_get_as_of(pd_record **out, pd_store *st, const pd_uuid *id, int64_t timestamp_us)
{
    if (!out || !st || !id)
        return pd_error__set(PD_EINVALID, "store: NULL argument");
    *out = NULL;
    pd_store_history_iter *it = NULL;
    int rc = pd_store_history(&it, st, id);
    if (rc < 0)
        return rc;
    size_t i = it->n;
    while (i > 0 && it->rows[i - 1].ts > timestamp_us)
        i--;
    char buf[PD_UUID_STRLEN];
    if (i == 0) {
        pd_store_history_free(it);
        return pd_error__set(PD_ENOTFOUND, "store: %s did not exist yet at that time",
                             pd_uuid_format(buf, id));
    }
    rc = content_after(out, it, i - 1);
    pd_store_history_free(it);
    if (rc == 0 && !*out)
        rc = pd_error__set(PD_ENOTFOUND, "store: %s was deleted at that time",
                           pd_uuid_format(buf, id));
    return rc;
}

/* ---- queries ------------------------------------------------------------------------ */

int pd_store_query_init(pd_store_query *q, unsigned int version)
{
    if (!q || version != PD_STORE_QUERY_VERSION)
        return pd_error__set(PD_EINVALID, "store: unknown query version %u", version);
    pd_store_query d = PD_STORE_QUERY_INIT;
    *q = d;
    return 0;
}

struct pd_store_iter {
    sqlite3_stmt *s;
    pd_store *st;
    pd_kind kind;
    pd_record *record;
    int done;
};

typedef struct sqlbuf {
    char b[4096];
    size_t n;
} sqlbuf;

static void sb_add(sqlbuf *sb, const char *s)
{
    size_t l = strlen(s);
    if (sb->n + l < sizeof sb->b) {
        memcpy(sb->b + sb->n, s, l + 1);
        sb->n += l;
    }
}

#define SUBTREE                                                                            \
    "(WITH RECURSIVE sub(id) AS (SELECT :org UNION SELECT o.id FROM organizations o JOIN " \
    "sub ON o.parent_id = sub.id) SELECT id FROM sub)"

/* WHERE clause of a query on table alias t (constant fragments only). */
static int build_where(sqlbuf *sb, pd_kind k, const pd_store_query *q)
{
    sb_add(sb, " WHERE 1");
    if (q->org) {
        if (k == PD_KIND_EVENT)
            sb_add(sb, " AND (t.subject_id IN " SUBTREE " OR t.subject_id IN (SELECT m.id FROM "
                       "members m WHERE m.current_org_id IN " SUBTREE "))");
        else {
            sb_add(sb, " AND t.");
            sb_add(sb, kinds[k].org_col);
            sb_add(sb, " IN " SUBTREE);
        }
    }
    if (q->province_code) {
        if (k != PD_KIND_MEMBER && k != PD_KIND_ORG)
            return pd_error__set(PD_EINVALID, "store: province applies to members and "
                                              "organizations");
        sb_add(sb, " AND t.province_code = :prov");
    }
    if (q->status) {
        if (k != PD_KIND_MEMBER)
            return pd_error__set(PD_EINVALID, "store: status applies to members");
        sb_add(sb, " AND t.status = :status");
    }
    if (q->name_prefix) {
        if (k != PD_KIND_MEMBER && k != PD_KIND_ORG)
            return pd_error__set(PD_EINVALID, "store: name prefix applies to members and "
                                              "organizations");
        sb_add(sb, " AND t.name_fold >= :lo AND t.name_fold < :hi");
    }
    if (q->since_revision > 0)
        sb_add(sb, " AND t.store_rev > :since");
    if (q->needs_review)
        sb_add(sb, " AND t.needs_review = 1");
    return 0;
}

static void bind_named_text(sqlite3_stmt *s, const char *name, const char *v)
{
    int i = sqlite3_bind_parameter_index(s, name);
    if (i > 0)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

static int bind_query(sqlite3_stmt *s, const pd_store_query *q)
{
    int i;
    if (q->org && (i = sqlite3_bind_parameter_index(s, ":org")) > 0)
        sqlite3_bind_blob(s, i, q->org->bytes, 16, SQLITE_TRANSIENT);
    if (q->province_code)
        bind_named_text(s, ":prov", q->province_code);
    if (q->status && (i = sqlite3_bind_parameter_index(s, ":status")) > 0)
        sqlite3_bind_int(s, i, q->status);
    if (q->name_prefix) {
        int oom = 0;
        char *lo = fold_name(q->name_prefix, &oom);
        if (!lo)
            return oom ? pd_error__oom() : pd_error__set(PD_EINVALID, "store: the name prefix "
                                                                      "is not UTF-8");
        size_t n = strlen(lo);
        char *hi = malloc(n + 2);
        if (!hi) {
            pd_free(lo);
            return pd_error__oom();
        }
        memcpy(hi, lo, n);
        hi[n] = (char)0xff; /* above every UTF-8 byte */
        hi[n + 1] = '\0';
        bind_named_text(s, ":lo", lo);
        /* text compared byte-wise (BINARY): lo <= x < lo "\xff" */
        if ((i = sqlite3_bind_parameter_index(s, ":hi")) > 0)
            sqlite3_bind_text(s, i, hi, (int)n + 1, SQLITE_TRANSIENT);
        pd_free(lo);
        free(hi);
    }
    if (q->since_revision > 0 && (i = sqlite3_bind_parameter_index(s, ":since")) > 0)
        sqlite3_bind_int64(s, i, q->since_revision);
    if (q->limit > 0 && (i = sqlite3_bind_parameter_index(s, ":limit")) > 0)
        sqlite3_bind_int64(s, i, q->limit);
    return 0;
}

static int check_query(const pd_store_query **q, pd_kind *k)
{
    static const pd_store_query all = PD_STORE_QUERY_INIT;
    if (!*q)
        *q = &all;
    if ((*q)->version != PD_STORE_QUERY_VERSION)
        return pd_error__set(PD_EINVALID, "store: unknown query version %u", (*q)->version);
    *k = (*q)->kind == PD_KIND_NONE ? PD_KIND_MEMBER : (*q)->kind;
    if (*k < PD_KIND_MEMBER || *k >= PD_STORE_KINDS)
        return pd_error__set(PD_EINVALID, "store: unknown kind %d", (int)(*q)->kind);
    return 0;
}

static int prepare(pd_store *st, sqlite3_stmt **s, const char *sql)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK)
        return pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "query");
    return 0;
}

int pd_store_query_open(pd_store_iter **out, pd_store *st, const pd_store_query *q)
{
    pd_kind k;
    if (!out || !st)
        return pd_error__set(PD_EINVALID, "store: NULL argument");
    *out = NULL;
    int rc = check_query(&q, &k);
    if (rc < 0)
        return rc;
    sqlbuf sb = {.n = 0};
    sb_add(&sb, "SELECT " ROW_COLS " FROM ");
    sb_add(&sb, kinds[k].table);
    sb_add(&sb, " t");
    if ((rc = build_where(&sb, k, q)) < 0)
        return rc;
    sb_add(&sb, q->since_revision > 0 ? " ORDER BY t.store_rev" : " ORDER BY t.id");
    if (q->limit > 0)
        sb_add(&sb, " LIMIT :limit");
    pd_store_iter *it = calloc(1, sizeof *it);
    if (!it)
        return pd_error__oom();
    it->st = st;
    it->kind = k;
    if ((rc = prepare(st, &it->s, sb.b)) < 0 || (rc = bind_query(it->s, q)) < 0) {
        pd_store_iter_free(it);
        return rc;
    }
    *out = it;
    return 0;
}

/* Organizations of a subtree (root NULL: every tree), parents before children. */
int pd_store__org_iter(pd_store_iter **out, pd_store *st, const pd_uuid *root)
{
    *out = NULL;
    pd_store_iter *it = calloc(1, sizeof *it);
    if (!it)
        return pd_error__oom();
    it->st = st;
    it->kind = PD_KIND_ORG;
    int rc = prepare(st, &it->s,
                     "WITH RECURSIVE t(tid, depth) AS (SELECT id, 0 FROM organizations WHERE "
                     "CASE WHEN :org IS NULL THEN parent_id IS NULL ELSE id = :org END "
                     "UNION ALL SELECT o.id, t.depth + 1 FROM organizations o JOIN t ON "
                     "o.parent_id = t.tid WHERE t.depth < 10000) "
                     "SELECT " ROW_COLS " FROM t JOIN organizations x ON x.id = t.tid "
                     "ORDER BY t.depth, x.id");
    if (rc < 0) {
        pd_store_iter_free(it);
        return rc;
    }
    if (root)
        sqlite3_bind_blob(it->s, sqlite3_bind_parameter_index(it->s, ":org"), root->bytes, 16,
                          SQLITE_TRANSIENT);
    *out = it;
    return 0;
}

int pd_store_iter_next(const pd_record **out, pd_store_iter *it)
{
    if (!out || !it)
        return pd_error__set(PD_EINVALID, "store: NULL argument");
    *out = NULL;
    free_record(it->record);
    it->record = NULL;
    if (it->done)
        return PD_ITEROVER;
    int rc = sqlite3_step(it->s);
    if (rc == SQLITE_DONE) {
        it->done = 1;
        return PD_ITEROVER;
    }
    if (rc != SQLITE_ROW)
        return pd_store__sqlerr(it->st, sqlite3_extended_errcode(it->st->db), "query");
    if ((rc = row_to_record(&it->record, it->s, 0, it->kind)) < 0)
        return rc;
    *out = it->record;
    return 0;
}

void pd_store_iter_free(pd_store_iter *it)
{
    if (!it)
        return;
    sqlite3_finalize(it->s);
    free_record(it->record);
    free(it);
}

int pd_store_count(long long *out, pd_store *st, const pd_store_query *q)
{
    pd_kind k;
    if (!out || !st)
        return pd_error__set(PD_EINVALID, "store: NULL argument");
    *out = 0;
    int rc = check_query(&q, &k);
    if (rc < 0)
        return rc;
    sqlbuf sb = {.n = 0};
    sb_add(&sb, "SELECT count(*) FROM (SELECT 1 FROM ");
    sb_add(&sb, kinds[k].table);
    sb_add(&sb, " t");
    if ((rc = build_where(&sb, k, q)) < 0)
        return rc;
    if (q->limit > 0)
        sb_add(&sb, " LIMIT :limit");
    sb_add(&sb, ")");
    sqlite3_stmt *s = NULL;
    if ((rc = prepare(st, &s, sb.b)) < 0)
        return rc;
    if ((rc = bind_query(s, q)) == 0) {
        if (sqlite3_step(s) == SQLITE_ROW)
            *out = sqlite3_column_int64(s, 0);
        else
            rc = pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "count");
    }
    sqlite3_finalize(s);
    return rc;
}

/* ---- statistics ------------------------------------------------------------------------ */

struct pd_stats {
    size_t ndims, nrows, cap;
    char **dim_names;
    char **keys; /* nrows * ndims, NULL = unknown */
    long long *counts;
};

static const struct {
    const char *name;
    const char *expr;
} stat_dims[] = {
    {"province", "t.province_code"},
    {"commune", "t.commune_code"},
    {"residence_province", "t.residence_province_code"},
    {"residence_commune", "t.residence_commune_code"},
    {"hometown_province", "t.hometown_province_code"},
    {"gender", PD_SQL_GENDER("t.gender")},
    {"status", PD_SQL_STATUS("t.status")},
    {"ethnicity", "t.ethnicity_code"},
    {"religion", "t.religion_code"},
    {"birth_year", "t.birth_year"},
    {"birth_decade", "(t.birth_year / 10) * 10"},
    {"admission_year", "substr(t.admission_date, 1, 4)"},
    {"official_year", "substr(t.official_date, 1, 4)"},
    {"org", PD_SQL_UUID("t.current_org_id")},
    {"needs_review", "t.needs_review"},
};

void pd_stats_free(pd_stats *s)
{
    if (!s)
        return;
    for (size_t j = 0; j < s->ndims; j++)
        free(s->dim_names[j]);
    for (size_t i = 0; i < s->nrows * s->ndims; i++)
        free(s->keys[i]);
    free(s->dim_names);
    free(s->keys);
    free(s->counts);
    free(s);
}

size_t pd_stats_rows(const pd_stats *s) { return s ? s->nrows : 0; }
size_t pd_stats_dims(const pd_stats *s) { return s ? s->ndims : 0; }
const char *pd_stats_dim_name(const pd_stats *s, size_t j)
{
    return s && j < s->ndims ? s->dim_names[j] : NULL;
}
const char *pd_stats_key(const pd_stats *s, size_t i, size_t j)
{
    return s && i < s->nrows && j < s->ndims ? s->keys[i * s->ndims + j] : NULL;
}
long long pd_stats_count(const pd_stats *s, size_t i)
{
    return s && i < s->nrows ? s->counts[i] : 0;
}

/* Parse "a,b,c" into dimension indexes. */
static int parse_dims(pd_stats *s, int *idx, size_t max, const char *dims)
{
    const char *p = dims ? dims : "";
    while (*p) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        while (l && p[0] == ' ') {
            p++;
            l--;
        }
        while (l && p[l - 1] == ' ')
            l--;
        if (l) {
            size_t j, nd = sizeof stat_dims / sizeof stat_dims[0];
            for (j = 0; j < nd; j++)
                if (strlen(stat_dims[j].name) == l && memcmp(stat_dims[j].name, p, l) == 0)
                    break;
            if (j == nd)
                return pd_error__set(PD_EINVALID, "store: unknown statistics dimension "
                                                  "'%.*s'", (int)l, p);
            if (s->ndims == max)
                return pd_error__set(PD_EINVALID, "store: too many dimensions");
            idx[s->ndims] = (int)j;
            s->dim_names[s->ndims] = pd__strdup(stat_dims[j].name);
            if (!s->dim_names[s->ndims])
                return PD_ENOMEM;
            s->ndims++;
        }
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

static int stats_row(pd_stats *s, sqlite3_stmt *q)
{
    if (s->nrows == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        char **nk = realloc(s->keys, cap * (s->ndims ? s->ndims : 1) * sizeof *nk);
        if (!nk)
            return pd_error__oom();
        s->keys = nk;
        long long *nc = realloc(s->counts, cap * sizeof *nc);
        if (!nc)
            return pd_error__oom();
        s->counts = nc;
        s->cap = cap;
    }
    for (size_t j = 0; j < s->ndims; j++) {
        const unsigned char *t = sqlite3_column_text(q, (int)j);
        char *k = NULL;
        if (t && !(k = pd__strdup((const char *)t))) {
            for (size_t x = 0; x < j; x++)
                free(s->keys[s->nrows * s->ndims + x]);
            return PD_ENOMEM;
        }
        s->keys[s->nrows * s->ndims + j] = k;
    }
    s->counts[s->nrows] = sqlite3_column_int64(q, (int)s->ndims);
    s->nrows++;
    return 0;
}

#define MAX_DIMS 8

static int stats_run(pd_stats *s, pd_store *st, const int *idx, const pd_store_query *q)
{
    sqlbuf sb = {.n = 0};
    sb_add(&sb, "SELECT ");
    for (size_t j = 0; j < s->ndims; j++) {
        sb_add(&sb, stat_dims[idx[j]].expr);
        sb_add(&sb, ", ");
    }
    sb_add(&sb, "count(*) FROM members t");
    int rc = build_where(&sb, PD_KIND_MEMBER, q);
    if (rc < 0)
        return rc;
    static const char *nums[MAX_DIMS] = {"1", "2", "3", "4", "5", "6", "7", "8"};
    for (size_t j = 0; j < s->ndims; j++) {
        sb_add(&sb, j ? ", " : " GROUP BY ");
        sb_add(&sb, nums[j]);
    }
    for (size_t j = 0; j < s->ndims; j++) {
        sb_add(&sb, j ? ", " : " ORDER BY ");
        sb_add(&sb, nums[j]);
    }
    sqlite3_stmt *qs = NULL;
    if ((rc = prepare(st, &qs, sb.b)) < 0)
        return rc;
    if ((rc = bind_query(qs, q)) == 0) {
        int src;
        while ((src = sqlite3_step(qs)) == SQLITE_ROW)
            if ((rc = stats_row(s, qs)) < 0)
                break;
        if (rc == 0 && src != SQLITE_DONE)
            rc = pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "stats");
    }
    sqlite3_finalize(qs);
    return rc;
}

int pd_store_stats(pd_stats **out, pd_store *st, const char *dims, const pd_store_query *q)
{
    pd_kind k;
    if (!out || !st)
        return pd_error__set(PD_EINVALID, "store: NULL argument");
    *out = NULL;
    int rc = check_query(&q, &k);
    if (rc < 0)
        return rc;
    if (k != PD_KIND_MEMBER)
        return pd_error__set(PD_EINVALID, "store: statistics count members");
    pd_stats *s = calloc(1, sizeof *s);
    int idx[MAX_DIMS];
    if (!s || !(s->dim_names = calloc(MAX_DIMS, sizeof(char *)))) {
        free(s);
        return pd_error__oom();
    }
    if ((rc = parse_dims(s, idx, MAX_DIMS, dims)) < 0 || (rc = stats_run(s, st, idx, q)) < 0) {
        pd_stats_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

/* ---- check ------------------------------------------------------------------------- */

static int check_rows(pd_strarray *problems, pd_store *st, const char *sql, int skip_ok)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s, sql);
    if (rc < 0)
        return rc;
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        char line[512];
        size_t n = 0;
        line[0] = '\0';
        for (int i = 0; i < sqlite3_column_count(s) && n < sizeof line - 1; i++) {
            const unsigned char *t = sqlite3_column_text(s, i);
            n += (size_t)snprintf(line + n, sizeof line - n, "%s%s", i ? " " : "",
                                  t ? (const char *)t : "NULL");
        }
        if (skip_ok && strcmp(line, "ok") == 0)
            continue;
        if ((rc = pd__strarray_push(problems, line)) < 0)
            break;
    }
    if (rc == 0 && src != SQLITE_DONE)
        rc = pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "check");
    sqlite3_finalize(s);
    return rc;
}

static int check_blobs(pd_strarray *problems, pd_store *st, pd_kind k)
{
    char *sql = pd__asprintf("SELECT id, pb FROM %s", kinds[k].table);
    sqlite3_stmt *s = NULL;
    if (!sql)
        return PD_ENOMEM;
    int rc = prepare(st, &s, sql), src;
    free(sql);
    if (rc < 0)
        return rc;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        ProtobufCMessage *m = protobuf_c_message_unpack(
            kinds[k].desc, NULL, (size_t)sqlite3_column_bytes(s, 1), sqlite3_column_blob(s, 1));
        pd_uuid u;
        char buf[PD_UUID_STRLEN], line[160];
        memset(&u, 0, sizeof u);
        if (sqlite3_column_bytes(s, 0) == 16)
            memcpy(u.bytes, sqlite3_column_blob(s, 0), 16);
        const char *what = NULL;
        pd_uuid mid;
        if (!m)
            what = "content does not decode";
        else if (record_uuid(&mid, (pd_record *)m) < 0 || pd_uuid_cmp(&mid, &u) != 0)
            what = "content id differs from the row id";
        if (m)
            protobuf_c_message_free_unpacked(m, NULL);
        if (what) {
            snprintf(line, sizeof line, "%s %s: %s", kinds[k].table, pd_uuid_format(buf, &u),
                     what);
            if ((rc = pd__strarray_push(problems, line)) < 0)
                break;
        }
    }
    if (rc == 0 && src != SQLITE_DONE)
        rc = pd_store__sqlerr(st, sqlite3_extended_errcode(st->db), "check");
    sqlite3_finalize(s);
    return rc;
}

int pd_store_check(pd_strarray *problems, pd_store *st)
{
    if (!problems || !st)
        return pd_error__set(PD_EINVALID, "store: NULL argument");
    int rc = check_rows(problems, st, "PRAGMA integrity_check", 1);
    if (rc == 0)
        rc = check_rows(problems, st, "PRAGMA foreign_key_check", 0);
    int v = 0;
    if (rc == 0 && (rc = pd_store_schema_version(&v, st)) == 0 && v != PD_STORE_SCHEMA_VERSION) {
        char line[64];
        snprintf(line, sizeof line, "schema version %d, expected %d", v, PD_STORE_SCHEMA_VERSION);
        rc = pd__strarray_push(problems, line);
    }
    for (int k = 1; rc == 0 && k < PD_STORE_KINDS; k++)
        rc = check_blobs(problems, st, (pd_kind)k);
    return rc;
}

/* ---- rejects ------------------------------------------------------------------------ */

int pd_store__reject(pd_store *st, const char *source, long index, const char *reason,
                     const char *path, const unsigned char *raw, size_t rawlen)
{
    sqlite3_stmt *s = pd_store__stmt(st, PD_STMT_REJECT_INSERT, PD_KIND_NONE);
    if (!s)
        return pd_error_last()->code;
    sqlite3_bind_int64(s, 1, next_ts(st));
    bind_text(s, 2, source);
    sqlite3_bind_int64(s, 3, index);
    bind_text(s, 4, reason ? reason : "rejected");
    bind_text(s, 5, path);
    if (raw)
        sqlite3_bind_blob(s, 6, raw, (int)rawlen, SQLITE_STATIC);
    return step_done(st, s, "reject");
}
