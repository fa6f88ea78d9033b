/*
 * store_import.c: streaming import into the store and export from it.
 *
 * Import reads one record at a time (codec.h), so memory does not grow with the
 * input; every `batch_size` records form one transaction, so a crash (kill -9)
 * leaves whole batches only, and re-running the import finds those records
 * unchanged (ids are in the data, or derived from the content: see stable_id()).
 */
#include <sodium.h>
#include <stdio.h>

#include "store_internal.h"

#define DEFAULT_BATCH 10000
#define BULK_CACHE_KIB 65536

int pd_import_options_init(pd_import_options *opts, unsigned int version)
{
    if (!opts || version != PD_IMPORT_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "store: unknown import options version %u", version);
    pd_import_options d = PD_IMPORT_OPTIONS_INIT;
    *opts = d;
    return 0;
}

int pd_export_options_init(pd_export_options *opts, unsigned int version)
{
    if (!opts || version != PD_EXPORT_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "store: unknown export options version %u", version);
    pd_export_options d = PD_EXPORT_OPTIONS_INIT;
    *opts = d;
    return 0;
}

/*
 * A record without an id gets one derived from its content as decoded (before
 * normalization), so importing the same file twice gives the same ids:
 * SHA-256 over "partydata-id-v1", the kind number and the protobuf encoding of the
 * record without provenance; the first 16 bytes, stamped as an RFC 9562 version-8
 * UUID (version nibble 8, variant 10).
 */
static int stable_id(pd_record *r, pd_kind kind)
{
    unsigned char *pb = NULL, digest[crypto_hash_sha256_BYTES];
    size_t len = 0;
    int rc = pd_store__pack_content(&pb, &len, r);
    if (rc < 0)
        return rc;
    crypto_hash_sha256_state h;
    unsigned char k = (unsigned char)kind;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)"partydata-id-v1", 15);
    crypto_hash_sha256_update(&h, &k, 1);
    crypto_hash_sha256_update(&h, pb, len);
    crypto_hash_sha256_final(&h, digest);
    free(pb);
    digest[6] = (unsigned char)((digest[6] & 0x0f) | 0x80);
    digest[8] = (unsigned char)((digest[8] & 0x3f) | 0x80);
    /* field 1 of every entity is `bytes id` */
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(PD_MSG(r)->descriptor, 1);
    ProtobufCBinaryData *id = (ProtobufCBinaryData *)((char *)r + f->offset);
    protobuf_c_boolean *has = (protobuf_c_boolean *)((char *)r + f->quantifier_offset);
    unsigned char *data = malloc(16);
    if (!data)
        return pd_error__oom();
    memcpy(data, digest, 16);
    if (*has)
        free(id->data);
    id->data = data;
    id->len = 16;
    *has = 1;
    return 0;
}

static int has_id(const pd_record *r)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(PD_CMSG(r)->descriptor, 1);
    const ProtobufCBinaryData *id = (const ProtobufCBinaryData *)((const char *)r + f->offset);
    const protobuf_c_boolean *has =
        (const protobuf_c_boolean *)((const char *)r + f->quantifier_offset);
    return *has && id->len == 16;
}

/* ---- import state ------------------------------------------------------------------- */

typedef struct import_ctx {
    pd_store *st;
    const pd_import_options *o;
    const char *source;
    pd_reader *rd;
    pd_format format;
    FILE *rej;     /* reject file: original bytes */
    FILE *rej_why; /* beside it: "record N: reason" */
    pd_import_stats n;
    pd_findings *findings;
    pd_findings *changes;
    pd_normalize_options nopts;
    pd_validate_options vopts;
    pd_store_write w;
    int in_batch;
    size_t batch_n;
} import_ctx;

static void write_varint(FILE *fp, uint64_t v)
{
    while (v >= 0x80) {
        fputc((int)((v & 0x7f) | 0x80), fp);
        v >>= 7;
    }
    fputc((int)v, fp);
}

/* Copy the CSV header line of the input to the reject file, so it re-imports. */
static void copy_csv_header(FILE *rej, const char *path)
{
    FILE *in = strcmp(path, "-") ? fopen(path, "rb") : NULL;
    if (!in)
        return;
    int c;
    while ((c = fgetc(in)) != EOF) {
        fputc(c, rej);
        if (c == '\n')
            break;
    }
    fclose(in);
}

static int reject(import_ctx *c, const char *reason, const char *path)
{
    size_t len = 0;
    const unsigned char *raw = pd_reader_raw(c->rd, &len);
    long index = pd_reader_record_index(c->rd);
    c->n.rejected++;
    if (c->rej && raw) {
        if (c->format == PD_FORMAT_PB)
            write_varint(c->rej, len);
        fwrite(raw, 1, len, c->rej);
        if (c->format != PD_FORMAT_PB && (len == 0 || raw[len - 1] != '\n'))
            fputc('\n', c->rej);
        if (c->rej_why)
            fprintf(c->rej_why, "record %ld: %s%s%s\n", index, reason, path ? " at " : "",
                    path ? path : "");
    }
    return pd_store__reject(c->st, c->source, index, reason, path, raw, len);
}

static int batch_begin(import_ctx *c)
{
    if (c->in_batch)
        return 0;
    int rc = pd_store__exec(c->st, "BEGIN IMMEDIATE");
    if (rc < 0)
        return rc;
    c->in_batch = 1;
    c->batch_n = 0;
    /* inside the write transaction: no other writer can delete until it ends */
    sqlite3_stmt *s = NULL;
    c->st->no_deletes = 0;
    if (sqlite3_prepare_v2(c->st->db, "SELECT 1 FROM meta WHERE key = 'deletes'", -1, &s,
                           NULL) == SQLITE_OK) {
        int step = sqlite3_step(s);
        c->st->no_deletes = step == SQLITE_DONE;
    }
    sqlite3_finalize(s);
    return 0;
}

static int batch_commit(import_ctx *c)
{
    if (!c->in_batch)
        return 0;
    int rc = pd_store__exec(c->st, "COMMIT");
    if (rc < 0)
        return rc;
    c->in_batch = 0;
    if (c->rej)
        fflush(c->rej);
    if (c->o->progress &&
        c->o->progress(c->n.read, pd_reader_offset(c->rd), c->o->payload) != 0)
        return pd_error__set(PD_EUSER, "store: import stopped by the progress callback");
    return 0;
}

/* A short reason from the findings that made strict mode refuse a record. */
static char *error_summary(const pd_findings *f)
{
    char buf[512];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < pd_findings_count(f) && n < sizeof buf - 1; i++) {
        const pd_finding *x = pd_findings_get(f, i);
        if (x->severity < PD_SEVERITY_ERROR)
            continue;
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s %s: %s", n ? "; " : "",
                              x->rule, x->path, x->message_en);
    }
    return pd__asprintf("strict: validation errors: %s", buf);
}

/* Keep validation findings and the normalizer's warnings (its info changes are many). */
static int collect_findings(import_ctx *c)
{
    for (size_t i = 0; i < pd_findings_count(c->changes); i++) {
        const pd_finding *f = pd_findings_get(c->changes, i);
        if (f->severity >= PD_SEVERITY_WARNING) {
            int rc = pd_findings_add(c->findings, f);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

static int import_record(import_ctx *c, pd_record *r)
{
    pd_kind kind = pd_store__kind(r);
    int rc;
    if (kind == PD_KIND_NONE)
        return reject(c, "not a record of a known kind", NULL);
    if (!has_id(r) && (rc = stable_id(r, kind)) < 0)
        return rc;
    pd_findings_clear(c->findings);
    pd_findings_clear(c->changes);
    if (!(c->o->flags & PD_IMPORT_NO_NORMALIZE)) {
        c->nopts.record = pd_reader_record_index(c->rd);
        if ((rc = pd_normalize_record(r, c->changes, &c->nopts)) < 0)
            return rc;
        if ((rc = collect_findings(c)) < 0)
            return rc;
    }
    int nerr = 0;
    if (!(c->o->flags & PD_IMPORT_NO_VALIDATE)) {
        if ((rc = pd_validate_record(c->findings, r, &c->vopts)) < 0)
            return rc;
        nerr = (int)pd_findings_count_at_least(c->findings, PD_SEVERITY_ERROR);
    }
    if (nerr > 0 && (c->o->flags & PD_IMPORT_STRICT)) {
        char *why = error_summary(c->findings);
        if (!why)
            return PD_ENOMEM;
        rc = reject(c, why, NULL);
        free(why);
        return rc;
    }
    pd_store_outcome outcome = 0;
    int dup = 0;
    rc = pd_store__put(&outcome, c->st, r, &c->w, c->findings, nerr > 0, 0, &dup,
                       &c->n.findings);
    if (rc == PD_ENOTFOUND || rc == PD_EINVALID) {
        /* unknown reference or unusable record: refused by policy, kept as a reject */
        char why[1024], path[256];
        snprintf(why, sizeof why, "%s", pd_error_last()->message);
        snprintf(path, sizeof path, "%s",
                 pd_error_last()->field_path ? pd_error_last()->field_path : "");
        return reject(c, why, path[0] ? path : NULL);
    }
    if (rc < 0)
        return rc;
    if (outcome == PD_STORE_INSERTED)
        c->n.inserted++;
    else if (outcome == PD_STORE_UPDATED)
        c->n.updated++;
    else
        c->n.unchanged++;
    if (nerr > 0)
        c->n.needs_review++;
    c->n.duplicates += dup;
    return 0;
}

static int import_loop(import_ctx *c)
{
    size_t batch = c->o->batch_size ? c->o->batch_size : DEFAULT_BATCH;
    for (;;) {
        pd_record *r = NULL;
        int rc = pd_reader_next(&r, c->rd);
        if (rc == PD_ITEROVER)
            break;
        if (rc == PD_EIO || rc == PD_ENOMEM)
            return rc;
        int brc = batch_begin(c);
        if (brc < 0) {
            if (r)
                protobuf_c_message_free_unpacked(PD_MSG(r), NULL);
            return brc;
        }
        c->n.read++;
        if (rc < 0) {
            char why[1024], path[256];
            snprintf(why, sizeof why, "%s", pd_error_last()->message);
            snprintf(path, sizeof path, "%s",
                     pd_error_last()->field_path ? pd_error_last()->field_path : "");
            rc = reject(c, why, path[0] ? path : NULL);
        } else {
            rc = import_record(c, r);
            protobuf_c_message_free_unpacked(PD_MSG(r), NULL);
        }
        if (rc < 0)
            return rc;
        if (++c->batch_n >= batch && (rc = batch_commit(c)) < 0)
            return rc;
    }
    return batch_commit(c);
}

static int import_open(import_ctx *c, const char *path)
{
    pd_reader_options ro = PD_READER_OPTIONS_INIT;
    ro.format = (pd_format)c->o->format;
    int rc = pd_reader_open(&c->rd, path, &ro);
    if (rc < 0)
        return rc;
    c->format = pd_reader_format(c->rd);
    if (c->o->rejects_path) {
        c->rej = fopen(c->o->rejects_path, "wb");
        char *why = pd__asprintf("%s.reasons", c->o->rejects_path);
        if (!why)
            return PD_ENOMEM;
        c->rej_why = fopen(why, "w");
        free(why);
        if (!c->rej || !c->rej_why)
            return pd_error__set(PD_EIO, "store: cannot write the reject file %s",
                                 c->o->rejects_path);
        if (c->format == PD_FORMAT_CSV)
            copy_csv_header(c->rej, path);
    }
    if ((rc = pd_findings_new(&c->findings)) < 0 || (rc = pd_findings_new(&c->changes)) < 0)
        return rc;
    return 0;
}

static void set_cache(pd_store *st, long long pages)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size=%lld", pages);
    sqlite3_exec(st->db, sql, NULL, NULL, NULL);
}

int pd_store_import(pd_import_stats *out, pd_store *st, const char *path,
                    const pd_import_options *opts)
{
    pd_import_options defaults = PD_IMPORT_OPTIONS_INIT;
    import_ctx c;
    memset(&c, 0, sizeof c);
    if (out)
        memset(out, 0, sizeof *out);
    if (!st || !path)
        return pd_error__set(PD_EINVALID, "store: NULL argument");
    if (opts && opts->version != PD_IMPORT_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "store: unknown import options version %u",
                             opts->version);
    if (st->readonly)
        return pd_error__set(PD_EREADONLY, "store: opened read-only");
    if (st->explicit_tx)
        return pd_error__set(PD_EINVALID, "store: import makes its own transactions: commit "
                                          "first");
    c.st = st;
    c.o = opts ? opts : &defaults;
    c.source = path;
    pd_normalize_options_init(&c.nopts, PD_NORMALIZE_OPTIONS_VERSION);
    pd_validate_options_init(&c.vopts, PD_VALIDATE_OPTIONS_VERSION);
    c.w.version = PD_STORE_WRITE_VERSION;
    c.w.author = c.o->author;
    c.w.reason = c.o->reason ? c.o->reason : "import";
    c.w.decision_number = c.o->decision_number;
    int rc = import_open(&c, path);
    if (rc == 0) {
        set_cache(st, -(long long)BULK_CACHE_KIB);
        rc = import_loop(&c);
        if (rc < 0 && c.in_batch) {
            /* keep the error: ROLLBACK must not overwrite it */
            pd_error e = *pd_error_last();
            char msg[1024];
            snprintf(msg, sizeof msg, "%s", e.message);
            if (rc == PD_EIO || rc == PD_EUSER) {
                /* what was read is good: keep it */
                if (pd_store__exec(st, "COMMIT") < 0)
                    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            } else {
                sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            }
            pd_error__set(rc, "%s", msg);
            pd_error__set_store_code(e.store_code);
            pd_error__set_position(e.source, e.line, e.column, e.record, e.offset);
        }
        set_cache(st, st->cache_pages_default);
        st->no_deletes = 0;
    }
    if (c.rej && fclose(c.rej) != 0 && rc == 0)
        rc = pd_error__set(PD_EIO, "store: writing the reject file failed");
    if (c.rej_why)
        fclose(c.rej_why);
    pd_reader_free(c.rd);
    pd_findings_free(c.findings);
    pd_findings_free(c.changes);
    if (out)
        *out = c.n;
    return rc;
}

/* ---- export ---------------------------------------------------------------------- */

static int export_iter(pd_writer *w, pd_store_iter *it, long long *count,
                       const pd_export_options *o)
{
    const pd_record *r;
    int rc;
    while ((rc = pd_store_iter_next(&r, it)) == 0) {
        if ((rc = pd_writer_write(w, r)) < 0)
            return rc;
        (*count)++;
        if (o->progress && (*count % 10000) == 0 && o->progress(*count, 0, o->payload) != 0)
            return pd_error__set(PD_EUSER, "store: export stopped by the progress callback");
    }
    return rc == PD_ITEROVER ? 0 : rc;
}

static int export_all(pd_writer *w, pd_store *st, const pd_export_options *o, pd_format fmt,
                      long long *count)
{
    pd_store_iter *it = NULL;
    int rc;
    if (fmt != PD_FORMAT_CSV) {
        if ((rc = pd_store__org_iter(&it, st, o->org)) < 0)
            return rc;
        rc = export_iter(w, it, count, o);
        pd_store_iter_free(it);
        if (rc < 0)
            return rc;
    }
    static const pd_kind order[] = {PD_KIND_MEMBER, PD_KIND_MEMBERSHIP, PD_KIND_RESIDENCE_LINK,
                                    PD_KIND_EVENT};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (fmt == PD_FORMAT_CSV && order[i] != PD_KIND_MEMBER)
            break;
        pd_store_query q = PD_STORE_QUERY_INIT;
        q.kind = order[i];
        q.org = o->org;
        if ((rc = pd_store_query_open(&it, st, &q)) < 0)
            return rc;
        rc = export_iter(w, it, count, o);
        pd_store_iter_free(it);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int pd_store_export(long long *count, pd_store *st, const char *path,
                    const pd_export_options *opts)
{
    pd_export_options defaults = PD_EXPORT_OPTIONS_INIT;
    long long n = 0;
    if (count)
        *count = 0;
    if (!st || !path)
        return pd_error__set(PD_EINVALID, "store: NULL argument");
    if (opts && opts->version != PD_EXPORT_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "store: unknown export options version %u",
                             opts->version);
    const pd_export_options *o = opts ? opts : &defaults;
    if (o->org) {
        pd_record *root = NULL;
        int rc = pd_store_get(&root, st, o->org);
        if (rc < 0)
            return rc;
        int is_org = pd_store__kind(root) == PD_KIND_ORG;
        protobuf_c_message_free_unpacked(PD_MSG(root), NULL);
        if (!is_org)
            return pd_error__set(PD_ENOTFOUND, "store: the export root is not an organization");
    }
    pd_writer_options wo = PD_WRITER_OPTIONS_INIT;
    wo.format = (pd_format)o->format;
    if (wo.format == PD_FORMAT_AUTO)
        wo.format = pd_format_from_path(path);
    if (wo.format == PD_FORMAT_AUTO)
        wo.format = PD_FORMAT_PB;
    pd_writer *w = NULL;
    int rc = pd_writer_open(&w, path, &wo);
    if (rc < 0)
        return rc;
    /* one read transaction: a consistent snapshot even while others write */
    int own = !st->explicit_tx;
    if (own)
        sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL);
    rc = export_all(w, st, o, wo.format, &n);
    if (own)
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    int crc = pd_writer_close(w);
    if (rc == 0)
        rc = crc;
    if (count)
        *count = n;
    return rc;
}
