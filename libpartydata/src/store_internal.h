/*
 * store_internal.h: what store.c and store_import.c share. Not API.
 */
#ifndef PD_STORE_INTERNAL_H
#define PD_STORE_INTERNAL_H

#include <sqlite3.h>

#include "pd_internal.h"

/* Cached prepared statements, one slot per (statement, kind). */
enum {
    PD_STMT_SELECT,   /* current row by id, per kind */
    PD_STMT_INSERT,   /* per kind */
    PD_STMT_UPDATE,   /* per kind */
    PD_STMT_DELETE,   /* per kind */
    PD_STMT_HISTORY,  /* insert a history row */
    PD_STMT_MAXREV,   /* max revision in history of an id */
    PD_STMT_ORG_EXISTS,
    PD_STMT_MEMBER_EXISTS,
    PD_STMT_DUP_CCCD,
    PD_STMT_DUP_CARD,
    PD_STMT_DUP_BOTH, /* both lookups of a new member in one statement */
    PD_STMT_DUP_INSERT,
    PD_STMT_FINDING_INSERT,
    PD_STMT_FINDINGS_CLEAR,
    PD_STMT_REVIEW_SET,
    PD_STMT_REJECT_INSERT,
    PD_STMT_INSERT_NEW, /* per kind: INSERT ... ON CONFLICT(id) DO NOTHING (import) */
    PD_STMT_STORE_REV,  /* per kind: set store_rev of a row */
    PD_STMT_MAXSEQ,     /* the last history seq */
    PD_STMT_COUNT
};
#define PD_STORE_KINDS 6 /* indexed by pd_kind, 0 unused */
#define PD_ORG_CACHE 512 /* organizations remembered by an import batch */

struct pd_store {
    sqlite3 *db;
    int readonly;
    int schema_version; /* of the file as opened */
    int explicit_tx;    /* pd_store_begin() active */
    int64_t last_ts;    /* last write time: strictly increasing per handle */
    char *node;
    char *author;
    long long cache_pages_default;
    /* admin unit of the organization last checked by a member's put (province_code) */
    char ref_prov[16], ref_comm[16];
    /* set by import per batch: no record was ever deleted, so a new id has no history
     * and its revision is 1 without looking (saves a lookup per insert) */
    int no_deletes;
    /* set by import inside each batch transaction (nobody else writes meanwhile):
     *  - hist_max: the last history seq, so a new row's store_rev is known before its
     *    history row is written (new records are inserted first, no lookup);
     *  - organizations found by reference checks (a small direct-mapped cache), so
     *    members of the same organization do not look it up again (forgotten when an
     *    organization is written or deleted, and at the end of the batch). */
    int bulk;
    int bulk_stored; /* the last record of the batch was already stored */
    int64_t hist_max;
    unsigned org_gen; /* entries of another generation are stale; 0 = cache off */
    struct {
        unsigned gen;
        unsigned char id[16];
        char prov[16], comm[16];
    } org_cache[PD_ORG_CACHE];
    sqlite3_stmt *stmt[PD_STMT_COUNT][PD_STORE_KINDS];
};

/* SQLite result → PD_E* with the message copied (store_code set). */
int pd_store__sqlerr(pd_store *st, int src, const char *what);
/* Run SQL without parameters (constant text only). */
int pd_store__exec(pd_store *st, const char *sql);
/* The cached statement `which` for kind (reset, bindings cleared), or NULL (error set). */
sqlite3_stmt *pd_store__stmt(pd_store *st, int which, pd_kind kind);

/* Start / end the bulk state of an import batch (inside its write transaction). */
int pd_store__bulk_begin(pd_store *st);
void pd_store__bulk_end(pd_store *st);

/* Kind of a record handle (the protobuf-c message), PD_KIND_NONE if unknown. */
pd_kind pd_store__kind(const pd_record *r);
/* Pack a record without its provenance (field 2): the stored content.
 * *out is malloc'ed. */
int pd_store__pack_content(unsigned char **out, size_t *len, const pd_record *r);

/*
 * The write behind pd_store_put() and import:
 *  - findings: stored beside the record (replacing earlier import findings) when the
 *    content changed or the record is new; NULL = keep the stored ones;
 *  - needs_review: 0/1 sets the mark, -1 keeps it (new records: 0);
 *  - savepoint: wrap in a savepoint/transaction (public put), or not (import batch);
 *  - dup_found: set to 1 when the record was flagged as a duplicate candidate.
 */
int pd_store__put(pd_store_outcome *outcome, pd_store *st, const pd_record *r,
                  const pd_store_write *w, const pd_findings *findings, int needs_review,
                  int savepoint, int *dup_found, long long *nfindings);

/* Store a reject row (INSERT OR IGNORE on reason + raw bytes). */
int pd_store__reject(pd_store *st, const char *source, long index, const char *reason,
                     const char *path, const unsigned char *raw, size_t rawlen);

/* Organizations of a subtree (root NULL: all), parents first, as a query iterator. */
int pd_store__org_iter(pd_store_iter **out, pd_store *st, const pd_uuid *root);

#endif
