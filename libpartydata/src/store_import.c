/*
 * store_import.c: streaming import into the store and export from it.
 *
 * Import reads one record at a time (codec.h), so memory does not grow with the
 * input; every `batch_size` records form one transaction, so a crash (kill -9)
 * leaves whole batches only, and re-running the import finds those records
 * unchanged (ids are in the data, or derived from the content: see stable_id()).
 */
#include <pthread.h>
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

/* ---- import: a pipeline of two threads ------------------------------------------
 *
 * The reader thread reads and decodes (the heaviest part: JSON decoding); the calling
 * thread gives ids, normalizes, validates (prepare()) and writes to SQLite in batches,
 * which balances the two threads' work. They meet in a bounded queue (memory
 * stays bounded); order is kept, so counts, rejects and batches are as if sequential.
 * The last error is per thread: the reader copies what it needs into the item.
 */

#define QUEUE_CAP 8 /* chunks */
#define CHUNK 64     /* records a chunk: one lock and one wake-up per chunk */

typedef struct item {
    pd_record *r;         /* the record to store, or NULL for a reject */
    char *why, *path;     /* reject reason and field path */
    unsigned char *raw;   /* original bytes (for rejects): rawbuf, or NULL */
    size_t raw_len;
    unsigned char *rawbuf; /* kept when the chunk is reused (as is `findings`) */
    size_t raw_cap;
    long index;           /* 1-based record index */
    long long offset;     /* input offset after the record (progress) */
    pd_findings *findings;
    int nerr;
} item;

typedef struct chunk {
    struct chunk *next; /* in the list of used chunks handed back to the reader */
    size_t n;
    item it[CHUNK];
} chunk;

typedef struct import_ctx {
    pd_store *st;
    const pd_import_options *o;
    const char *source;
    pd_reader *rd;
    pd_format format;
    FILE *rej;     /* reject file: original bytes */
    FILE *rej_why; /* beside it: "record N: reason" */
    pd_import_stats n;
    pd_normalize_options nopts;
    pd_validate_options vopts;
    pd_store_write w;
    int in_batch;
    size_t batch_n;
    /* the queue */
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    chunk *q[QUEUE_CAP];
    /* chunks the writer is done with: the reader frees their records, so memory is
     * freed by the thread that allocated it (glibc's cross-thread frees are slow) */
    chunk *used;
    size_t head, count;
    int producer_done; /* the reader thread finished (end, stop or fatal) */
    int stop;          /* the writer asks the reader to stop */
    int fatal;         /* the reader's fatal code (PD_EIO, PD_ENOMEM), 0 if none */
    pd_error fatal_err;
    char fatal_msg[1024];
    pd_findings *changes; /* the reader's scratch list */
} import_ctx;

/* Ready for the next record; keeps the raw buffer and the (cleared) findings list, so
 * a reused chunk allocates neither again. */
static void item_reset(item *it)
{
    if (it->r)
        protobuf_c_message_free_unpacked(PD_MSG(it->r), NULL);
    free(it->why);
    free(it->path);
    unsigned char *rawbuf = it->rawbuf;
    size_t cap = it->raw_cap;
    pd_findings *f = it->findings;
    if (f)
        pd_findings_clear(f);
    memset(it, 0, sizeof *it);
    it->rawbuf = rawbuf;
    it->raw_cap = cap;
    it->findings = f;
}

static void item_free(item *it)
{
    item_reset(it);
    free(it->rawbuf);
    pd_findings_free(it->findings);
    memset(it, 0, sizeof *it);
}

/* Every item of a chunk, used or not (unused ones may keep buffers). */
static void chunk_free(chunk *ch)
{
    if (!ch)
        return;
    for (size_t i = 0; i < CHUNK; i++)
        item_free(&ch->it[i]);
    free(ch);
}

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

static int reject(import_ctx *c, const item *it, const char *reason, const char *path)
{
    c->n.rejected++;
    if (c->rej && it->raw) {
        if (c->format == PD_FORMAT_PB)
            write_varint(c->rej, it->raw_len);
        fwrite(it->raw, 1, it->raw_len, c->rej);
        if (c->format != PD_FORMAT_PB && (it->raw_len == 0 || it->raw[it->raw_len - 1] != '\n'))
            fputc('\n', c->rej);
        if (c->rej_why)
            fprintf(c->rej_why, "record %ld: %s%s%s\n", it->index, reason, path ? " at " : "",
                    path ? path : "");
    }
    return pd_store__reject(c->st, c->source, it->index, reason, path, it->raw, it->raw_len);
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
    return pd_store__bulk_begin(c->st);
}

static int batch_commit(import_ctx *c, long long offset)
{
    if (!c->in_batch)
        return 0;
    pd_store__bulk_end(c->st);
    int rc = pd_store__exec(c->st, "COMMIT");
    if (rc < 0)
        return rc;
    c->in_batch = 0;
    if (c->rej)
        fflush(c->rej);
    if (c->o->progress && c->o->progress(c->n.read, offset, c->o->payload) != 0)
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

/* ---- the reader thread ---------------------------------------------------------- */

static int set_reject(item *it, const char *why, const char *path)
{
    it->why = strdup(why);
    it->path = path && path[0] ? strdup(path) : NULL;
    return it->why ? 0 : PD_ENOMEM;
}

/* Work on one good record before it is written (in the writer thread): id, normalize,
 * validate, strict. */
static int prepare(import_ctx *c, item *it)
{
    pd_kind kind = pd_store__kind(it->r);
    int rc;
    if (kind == PD_KIND_NONE)
        return set_reject(it, "not a record of a known kind", NULL);
    if (!has_id(it->r) && (rc = stable_id(it->r, kind)) < 0)
        return rc;
    if (!it->findings && (rc = pd_findings_new(&it->findings)) < 0)
        return rc;
    if (!(c->o->flags & PD_IMPORT_NO_NORMALIZE)) {
        pd_findings_clear(c->changes);
        c->nopts.record = it->index;
        if ((rc = pd_normalize_record(it->r, c->changes, &c->nopts)) < 0)
            return rc;
        /* keep the normalizer's warnings (its info-level changes are many) */
        for (size_t i = 0; i < pd_findings_count(c->changes); i++) {
            const pd_finding *f = pd_findings_get(c->changes, i);
            if (f->severity >= PD_SEVERITY_WARNING && (rc = pd_findings_add(it->findings, f)) < 0)
                return rc;
        }
    }
    if (!(c->o->flags & PD_IMPORT_NO_VALIDATE)) {
        if ((rc = pd_validate_record(it->findings, it->r, &c->vopts)) < 0)
            return rc;
        it->nerr = (int)pd_findings_count_at_least(it->findings, PD_SEVERITY_ERROR);
    }
    if (it->nerr > 0 && (c->o->flags & PD_IMPORT_STRICT)) {
        char *why = error_summary(it->findings);
        if (!why)
            return PD_ENOMEM;
        it->why = why;
        protobuf_c_message_free_unpacked(PD_MSG(it->r), NULL);
        it->r = NULL;
    }
    return 0;
}

/* Push a chunk (taken over); 0, or 1 if the writer asked to stop (chunk freed). */
static int push(import_ctx *c, chunk *ch)
{
    pthread_mutex_lock(&c->mu);
    while (c->count == QUEUE_CAP && !c->stop)
        pthread_cond_wait(&c->not_full, &c->mu);
    if (c->stop) {
        pthread_mutex_unlock(&c->mu);
        chunk_free(ch);
        return 1;
    }
    c->q[(c->head + c->count) % QUEUE_CAP] = ch;
    c->count++;
    pthread_cond_signal(&c->not_empty);
    pthread_mutex_unlock(&c->mu);
    return 0;
}

static void producer_finish(import_ctx *c, int fatal)
{
    pthread_mutex_lock(&c->mu);
    if (fatal < 0) {
        c->fatal = fatal;
        c->fatal_err = *pd_error_last();
        snprintf(c->fatal_msg, sizeof c->fatal_msg, "%s", c->fatal_err.message);
    }
    c->producer_done = 1;
    pthread_cond_broadcast(&c->not_empty);
    pthread_mutex_unlock(&c->mu);
}

/* A fresh chunk: one handed back by the writer (its records freed here), or new. */
static chunk *chunk_get(import_ctx *c)
{
    pthread_mutex_lock(&c->mu);
    chunk *used = c->used;
    c->used = NULL;
    pthread_mutex_unlock(&c->mu);
    chunk *ch = NULL;
    while (used) {
        chunk *next = used->next;
        if (!ch) {
            for (size_t i = 0; i < used->n; i++)
                item_reset(&used->it[i]);
            ch = used;
            ch->n = 0;
            ch->next = NULL;
        } else {
            chunk_free(used);
        }
        used = next;
    }
    return ch ? ch : calloc(1, sizeof *ch);
}

static void *producer(void *arg)
{
    import_ctx *c = arg;
    int fatal = 0, stopped = 0;
    chunk *ch = NULL;
    for (;;) {
        if (!ch && !(ch = chunk_get(c))) {
            fatal = pd_error__oom();
            break;
        }
        item *it = &ch->it[ch->n];
        int rc = pd_reader_next(&it->r, c->rd);
        if (rc == PD_ITEROVER)
            break;
        if (rc == PD_EIO || rc == PD_ENOMEM) {
            fatal = rc;
            break;
        }
        ch->n++;
        it->index = pd_reader_record_index(c->rd);
        it->offset = pd_reader_offset(c->rd);
        size_t len = 0;
        const unsigned char *raw = pd_reader_raw(c->rd, &len);
        if (raw && (len > it->raw_cap || !it->rawbuf)) {
            size_t cap = len < 4096 ? 4096 : len;
            unsigned char *nb = malloc(cap);
            if (nb) {
                free(it->rawbuf);
                it->rawbuf = nb;
                it->raw_cap = cap;
            }
        }
        if (raw && it->rawbuf && len <= it->raw_cap) {
            memcpy(it->rawbuf, raw, len);
            it->raw = it->rawbuf;
            it->raw_len = len;
        }
        if (rc < 0)
            rc = set_reject(it, pd_error_last()->message, pd_error_last()->field_path);
        if (rc < 0 || (raw && !it->raw)) {
            fatal = rc < 0 ? rc : pd_error__oom();
            ch->n--;
            item_free(it);
            break;
        }
        if (ch->n == CHUNK) {
            stopped = push(c, ch);
            ch = NULL;
            if (stopped)
                break;
        }
    }
    /* what was read before the end (or a fatal error) still goes to the writer */
    if (ch && ch->n && !stopped)
        stopped = push(c, ch);
    else
        chunk_free(ch);
    producer_finish(c, fatal);
    return NULL;
}

/* ---- the writer (calling thread) ------------------------------------------------- */

/* Hand back a finished chunk (may be NULL) and take the next, or NULL at the end (the
 * reader finished and the queue is empty). */
static chunk *pop(import_ctx *c, chunk *finished)
{
    chunk *ch = NULL;
    pthread_mutex_lock(&c->mu);
    if (finished) {
        finished->next = c->used;
        c->used = finished;
    }
    while (c->count == 0 && !c->producer_done)
        pthread_cond_wait(&c->not_empty, &c->mu);
    if (c->count > 0) {
        ch = c->q[c->head];
        c->head = (c->head + 1) % QUEUE_CAP;
        c->count--;
        pthread_cond_signal(&c->not_full);
    }
    pthread_mutex_unlock(&c->mu);
    return ch;
}

static int store_item(import_ctx *c, item *it)
{
    if (it->why)
        return reject(c, it, it->why, it->path);
    pd_store_outcome outcome = 0;
    int dup = 0;
    int rc = pd_store__put(&outcome, c->st, it->r, &c->w, it->findings, it->nerr > 0, 0, &dup,
                           &c->n.findings);
    if (rc == PD_ENOTFOUND || rc == PD_EINVALID) {
        /* unknown reference or unusable record: refused by policy, kept as a reject */
        char why[1024], path[256];
        snprintf(why, sizeof why, "%s", pd_error_last()->message);
        snprintf(path, sizeof path, "%s",
                 pd_error_last()->field_path ? pd_error_last()->field_path : "");
        return reject(c, it, why, path[0] ? path : NULL);
    }
    if (rc < 0)
        return rc;
    if (outcome == PD_STORE_INSERTED)
        c->n.inserted++;
    else if (outcome == PD_STORE_UPDATED)
        c->n.updated++;
    else
        c->n.unchanged++;
    if (it->nerr > 0)
        c->n.needs_review++;
    c->n.duplicates += dup;
    return 0;
}

static int writer_loop(import_ctx *c)
{
    size_t batch = c->o->batch_size ? c->o->batch_size : DEFAULT_BATCH;
    long long offset = 0;
    chunk *ch = NULL;
    while ((ch = pop(c, ch)) != NULL) {
        for (size_t i = 0; i < ch->n; i++) {
            item *it = &ch->it[i];
            offset = it->offset;
            int rc = batch_begin(c);
            if (rc == 0) {
                c->n.read++;
                if (!it->why)
                    rc = prepare(c, it);
                if (rc == 0)
                    rc = store_item(c, it);
            }
            if (rc == 0 && ++c->batch_n >= batch)
                rc = batch_commit(c, offset);
            if (rc < 0) {
                chunk_free(ch);
                return rc;
            }
        }
    }
    if (c->fatal) {
        pd_error__set(c->fatal, "%s", c->fatal_msg);
        pd_error__set_position(c->fatal_err.source, c->fatal_err.line, c->fatal_err.column,
                               c->fatal_err.record, c->fatal_err.offset);
        return c->fatal;
    }
    return batch_commit(c, offset);
}

/* Run the pipeline: start the reader thread, write, stop and join it. */
static int import_run(import_ctx *c)
{
    pthread_t th;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->not_empty, NULL);
    pthread_cond_init(&c->not_full, NULL);
    int rc;
    /* build normalize's lazy tables here, before the thread starts (both threads use
     * them): pthread_once is safe anyway, but this keeps race detectors quiet */
    char *warm = NULL;
    if (pd_normalize_fold(&warm, "\xc4\x90\xe1\xbb\x97") == 0)
        pd_free(warm);
    if (pthread_create(&th, NULL, producer, c) != 0) {
        rc = pd_error__set(PD_ENOMEM, "store: cannot start the reader thread");
    } else {
        rc = writer_loop(c);
        pthread_mutex_lock(&c->mu);
        c->stop = 1;
        pthread_cond_broadcast(&c->not_full);
        pthread_mutex_unlock(&c->mu);
        pthread_join(th, NULL);
        while (c->used) { /* handed back, not yet recycled */
            chunk *next = c->used->next;
            chunk_free(c->used);
            c->used = next;
        }
        while (c->count > 0) { /* what the reader left after an error */
            chunk_free(c->q[c->head]);
            c->head = (c->head + 1) % QUEUE_CAP;
            c->count--;
        }
    }
    pthread_cond_destroy(&c->not_full);
    pthread_cond_destroy(&c->not_empty);
    pthread_mutex_destroy(&c->mu);
    return rc;
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
    return pd_findings_new(&c->changes);
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
    import_ctx *c = NULL;
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
    if (!(c = calloc(1, sizeof *c)))
        return pd_error__oom();
    c->st = st;
    c->o = opts ? opts : &defaults;
    c->source = path;
    pd_normalize_options_init(&c->nopts, PD_NORMALIZE_OPTIONS_VERSION);
    pd_validate_options_init(&c->vopts, PD_VALIDATE_OPTIONS_VERSION);
    c->w.version = PD_STORE_WRITE_VERSION;
    c->w.author = c->o->author;
    c->w.reason = c->o->reason ? c->o->reason : "import";
    c->w.decision_number = c->o->decision_number;
    int rc = import_open(c, path);
    if (rc == 0) {
        set_cache(st, -(long long)BULK_CACHE_KIB);
        rc = import_run(c);
        if (rc < 0 && c->in_batch) {
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
        pd_store__bulk_end(st);
    }
    if (c->rej && fclose(c->rej) != 0 && rc == 0)
        rc = pd_error__set(PD_EIO, "store: writing the reject file failed");
    if (c->rej_why)
        fclose(c->rej_why);
    pd_reader_free(c->rd);
    pd_findings_free(c->changes);
    if (out)
        *out = c->n;
    free(c);
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
