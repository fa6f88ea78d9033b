/*
 * store.h: the embedded store. One SQLite file holds organizations, members,
 * memberships, events and residence links, each as typed, indexed columns (what
 * people search and count) plus the whole record as a protobuf blob; the history of
 * every write; the findings of import; rejected input with its original bytes; and
 * duplicate candidates (same CCCD or party card number under two ids).
 *
 * The file is documented in docs/sql.md and readable with the plain `sqlite3`
 * shell. Its schema version is PRAGMA user_version (PD_STORE_SCHEMA_VERSION);
 * older files are migrated forward when opened for writing, newer ones refused.
 *
 * Revisions: every write that changes a record bumps its revision (provenance.revision
 * 1, 2, ...) and the store's revision (a counter over the whole file, the sync
 * watermark), and appends a history row: who, when, why (reason, decision number),
 * and the previous content. Writing identical content (provenance aside) makes no
 * new revision.
 *
 * Threads: a pd_store is used by one thread at a time. Several processes may open
 * the same file (WAL); a writer blocked by another gets PD_EBUSY after the busy
 * timeout.
 */
#ifndef PARTYDATA_STORE_H
#define PARTYDATA_STORE_H

#include "common.h"
#include "finding.h"
#include "record.h"

PD_BEGIN_DECL

/** The schema version this library writes (PRAGMA user_version). */
#define PD_STORE_SCHEMA_VERSION 2

/** An open store (one SQLite connection). */
typedef struct pd_store pd_store;

/* ---- open / close ------------------------------------------------------------ */

/** Flags of pd_store_options. */
#define PD_STORE_CREATE 1u   /**< create the file if it does not exist */
#define PD_STORE_READONLY 2u /**< open for reading only (no migration) */

typedef struct pd_store_options {
    unsigned int version;     /**< PD_STORE_OPTIONS_VERSION */
    unsigned int flags;       /**< PD_STORE_CREATE, PD_STORE_READONLY */
    size_t cache_kib;         /**< page cache in KiB; 0 = 8192 (64 MiB during import) */
    int busy_timeout_ms;      /**< wait this long for another writer; 0 = fail at once */
    const char *node;         /**< node id written in provenance; NULL = "local" */
    const char *author;       /**< default author of writes; NULL = "partydata" */
    long long max_page_count; /**< quota in pages (PRAGMA max_page_count); 0 = none */
    /**
     * Schema version to create a NEW file at (0 = PD_STORE_SCHEMA_VERSION). Only for
     * testing migrations; an existing file is always migrated to the latest.
     */
    int create_version;
} pd_store_options;

#define PD_STORE_OPTIONS_VERSION 1
#define PD_STORE_OPTIONS_INIT { PD_STORE_OPTIONS_VERSION, 0u, 0, 0, NULL, NULL, 0, 0 }

/**
 * Fill opts with the defaults.
 * @return 0, PD_EINVALID for NULL or an unknown version
 */
PD_EXTERN(int) pd_store_options_init(pd_store_options *opts, unsigned int version);

/**
 * Open (or create) a store. A file of an older schema version is migrated forward
 * in one transaction (unless read-only).
 *
 * @param[out] out  the store; close it with pd_store_close(); NULL on failure
 * @param path  the file name (":memory:" for a private in-memory store)
 * @param opts  NULL for the defaults (open an existing file read-write)
 * @return 0; PD_ENOTFOUND (no such file and no PD_STORE_CREATE); PD_EINVALID (bad
 *         options, or a SQLite file that is not a partydata store); PD_EVERSION (file
 *         from a newer library, or an old file opened read-only); PD_EREADONLY (file
 *         not writable and PD_STORE_READONLY not given); PD_EBUSY (locked during
 *         migration); PD_ESTORE (not a database, truncated or corrupt file: SQLite's
 *         code in pd_error_last()->store_code); PD_ENOMEM
 */
PD_EXTERN(int) pd_store_open(pd_store **out, const char *path, const pd_store_options *opts);

/**
 * Close the store; an open explicit transaction is rolled back. NULL is a no-op.
 * @return 0, or PD_ESTORE if SQLite reported a failure while closing
 */
PD_EXTERN(int) pd_store_close(pd_store *st);

/** @return the file's schema version (PRAGMA user_version) in *out; 0 or PD_ESTORE */
PD_EXTERN(int) pd_store_schema_version(int *out, pd_store *st);

/** @return the store's revision (last write's number, 0 when empty) in *out */
PD_EXTERN(int) pd_store_current_revision(int64_t *out, pd_store *st);

/**
 * The underlying `sqlite3 *` connection, borrowed, for read-only SQL by other modules
 * and tools (see docs/sql.md). Writing through it bypasses history: don't.
 */
PD_EXTERN(void *) pd_store_db(pd_store *st);

/* ---- transactions ------------------------------------------------------------ */

/**
 * Begin an explicit transaction: writes until pd_store_commit() are atomic. Without
 * one, every write is its own transaction.
 * @return 0; PD_EINVALID if one is already open; PD_EREADONLY; PD_EBUSY; PD_ESTORE
 */
PD_EXTERN(int) pd_store_begin(pd_store *st);

/** Commit the explicit transaction. @return 0; PD_EINVALID if none; PD_EBUSY; PD_EFULL; PD_ESTORE */
PD_EXTERN(int) pd_store_commit(pd_store *st);

/** Roll back the explicit transaction. @return 0; PD_EINVALID if none; PD_ESTORE */
PD_EXTERN(int) pd_store_rollback(pd_store *st);

/* ---- reading and writing records ---------------------------------------------- */

/** Who and why of a write (NULL fields: the record's provenance, then the store's defaults). */
typedef struct pd_store_write {
    unsigned int version;        /**< PD_STORE_WRITE_VERSION */
    const char *author;          /**< user or process */
    const char *reason;          /**< free text */
    const char *decision_number; /**< e.g. "12-QĐ/TU" */
} pd_store_write;
#define PD_STORE_WRITE_VERSION 1
#define PD_STORE_WRITE_INIT { PD_STORE_WRITE_VERSION, NULL, NULL, NULL }

/** Outcome of pd_store_put(). */
typedef enum pd_store_outcome {
    PD_STORE_INSERTED = 1,  /**< new record, revision 1 */
    PD_STORE_UPDATED = 2,   /**< content changed: new revision */
    PD_STORE_UNCHANGED = 3  /**< identical content: nothing written */
} pd_store_outcome;

/**
 * Insert or update a record (any kind) by its id. The stored copy gets new
 * provenance (node, revision, updated_at, author, reason, decision number); `r` is
 * not modified. References must exist: a member's current_org_id, an organization's
 * parent_id, a membership's / residence link's member_id and org_id. A member whose
 * CCCD or party card number is already stored under another id is stored anyway and
 * flagged (a finding PD-S001 / PD-S002 and a duplicate_candidates row).
 *
 * @param[out] outcome  PD_STORE_INSERTED / _UPDATED / _UNCHANGED (may be NULL)
 * @param st  an open, writable store
 * @param r   the record (borrowed); it must have an id
 * @param w   who and why; NULL for the defaults
 * @return 0; PD_EINVALID (no id, kindless record); PD_ENOTFOUND (a referenced
 *         organization or member is not stored: the path in pd_error_last());
 *         PD_EREADONLY; PD_EBUSY; PD_EFULL; PD_ESTORE; PD_ENOMEM
 */
PD_EXTERN(int) pd_store_put(pd_store_outcome *outcome, pd_store *st, const pd_record *r,
                            const pd_store_write *w);

/**
 * Read a record by id (any kind), with its provenance.
 * @param[out] out  the record; free it with pd_record_free(); NULL on failure
 * @return 0; PD_ENOTFOUND; PD_ESTORE; PD_ENOMEM
 */
PD_EXTERN(int) pd_store_get(pd_record **out, pd_store *st, const pd_uuid *id);

/**
 * Read a member by CCCD (12-digit citizen id). With duplicates, the one with the
 * smallest id (the oldest for version-7 ids).
 * @param[out] out  free with pd_record_free()
 * @return 0; PD_ENOTFOUND; PD_ESTORE; PD_ENOMEM
 */
PD_EXTERN(int) pd_store_get_by_cccd(pd_record **out, pd_store *st, const char *cccd);

/** Read a member by party card number; as pd_store_get_by_cccd(). */
PD_EXTERN(int) pd_store_get_by_card(pd_record **out, pd_store *st, const char *card_no);

/**
 * Delete a record; its history stays (a "delete" row with the last content).
 * @return 0; PD_ENOTFOUND; PD_ECONFLICT (other stored records reference it);
 *         PD_EREADONLY; PD_EBUSY; PD_ESTORE
 */
PD_EXTERN(int) pd_store_delete(pd_store *st, const pd_uuid *id, const pd_store_write *w);

/**
 * Findings stored for a record (from import, and duplicate flags).
 * @param out  a list to append to (the caller's)
 * @return 0; PD_ESTORE; PD_ENOMEM
 */
PD_EXTERN(int) pd_store_findings(pd_findings *out, pd_store *st, const pd_uuid *id);

/** @return in *out 1 if the record is marked as needing review, else 0; PD_ENOTFOUND */
PD_EXTERN(int) pd_store_needs_review(int *out, pd_store *st, const pd_uuid *id);

/* ---- history ------------------------------------------------------------------ */

/** One revision of a record, as pd_store_history_next() gives it (all borrowed). */
typedef struct pd_store_revision {
    int64_t revision;            /**< the record's revision, 1, 2, ... */
    int64_t store_revision;      /**< the store's revision of this write */
    int64_t timestamp_us;        /**< when, microseconds since 1970 UTC */
    const char *operation;       /**< "insert", "update" or "delete" */
    const char *node;            /**< may be NULL */
    const char *author;          /**< may be NULL */
    const char *reason;          /**< may be NULL */
    const char *decision_number; /**< may be NULL */
    const pd_record *record;     /**< content after this write; NULL for "delete" */
} pd_store_revision;

typedef struct pd_store_history_iter pd_store_history_iter;

/**
 * Iterate over the revisions of a record, oldest first.
 * @param[out] out  free with pd_store_history_free()
 * @return 0; PD_ENOTFOUND (no history for id); PD_ESTORE; PD_ENOMEM
 */
PD_EXTERN(int) pd_store_history(pd_store_history_iter **out, pd_store *st, const pd_uuid *id);

/**
 * The next revision.
 * @param[out] out  borrowed until the next call or pd_store_history_free()
 * @return 0; PD_ITEROVER; PD_ENOMEM
 */
PD_EXTERN(int) pd_store_history_next(const pd_store_revision **out, pd_store_history_iter *it);

/** NULL is a no-op. */
PD_EXTERN(void) pd_store_history_free(pd_store_history_iter *it);

/**
 * A record as it was at a moment: the content of the last write at or before it.
 * @param[out] out  free with pd_record_free()
 * @param timestamp_us  microseconds since 1970 UTC
 * @return 0; PD_ENOTFOUND (not yet written, or deleted, at that moment); PD_ESTORE
 */
PD_EXTERN(int) pd_store_get_as_of(pd_record **out, pd_store *st, const pd_uuid *id,
                                  int64_t timestamp_us);

/* ---- queries -------------------------------------------------------------------- */

/** A query: every set criterion must hold (zero/NULL = no criterion). */
typedef struct pd_store_query {
    unsigned int version;      /**< PD_STORE_QUERY_VERSION */
    pd_kind kind;              /**< PD_KIND_NONE = members */
    /**
     * Organization subtree root: members (and memberships, residence links) whose
     * current organization is the root or below it; organizations in the subtree.
     */
    const pd_uuid *org;
    /**
     * Province code: members' `province_code` column (the province of the member's
     * organization, else of the permanent residence); organizations' admin unit.
     */
    const char *province_code;
    int status;                /**< member status (pd_status), 0 = any */
    const char *name_prefix;   /**< prefix of the folded name (diacritics, case ignored) */
    int64_t since_revision;    /**< only records written after this store revision */
    int needs_review;          /**< 1 = only records marked for review, 0 = any */
    long long limit;           /**< at most this many; 0 = no limit */
} pd_store_query;
#define PD_STORE_QUERY_VERSION 1
#define PD_STORE_QUERY_INIT { PD_STORE_QUERY_VERSION, PD_KIND_NONE, NULL, NULL, 0, NULL, 0, 0, 0 }

/** @return 0, PD_EINVALID for NULL or an unknown version */
PD_EXTERN(int) pd_store_query_init(pd_store_query *q, unsigned int version);

typedef struct pd_store_iter pd_store_iter;

/**
 * Start a query. Records come in id order (store revision order with since_revision).
 * @param[out] out  free with pd_store_iter_free()
 * @param q  NULL: every member
 * @return 0; PD_EINVALID (bad version or kind); PD_ESTORE; PD_ENOMEM
 */
PD_EXTERN(int) pd_store_query_open(pd_store_iter **out, pd_store *st, const pd_store_query *q);

/**
 * The next record.
 * @param[out] out  borrowed until the next call or pd_store_iter_free()
 * @return 0; PD_ITEROVER; PD_ESTORE; PD_EPARSE (corrupt blob); PD_ENOMEM
 */
PD_EXTERN(int) pd_store_iter_next(const pd_record **out, pd_store_iter *it);

/** NULL is a no-op. */
PD_EXTERN(void) pd_store_iter_free(pd_store_iter *it);

/**
 * Count what a query would return.
 * @return 0 and *out; PD_EINVALID; PD_ESTORE
 */
PD_EXTERN(int) pd_store_count(long long *out, pd_store *st, const pd_store_query *q);

/* ---- statistics ------------------------------------------------------------------ */

/** Grouped counts of members: rows of (key..., count), sorted by key. */
typedef struct pd_stats pd_stats;

/**
 * Count members grouped by dimensions. Dimensions (comma-separated, in order):
 * province, commune (where the member is active: its organization's admin unit,
 * else its permanent residence), residence_province, residence_commune,
 * hometown_province, gender, status, ethnicity, religion,
 * birth_year, birth_decade, admission_year, official_year, org, needs_review.
 * Keys come as text: codes ("01"), enum short names ("NU", "CHINH_THUC"), years;
 * NULL when unknown.
 * @param[out] out  free with pd_stats_free()
 * @param dims  e.g. "province,gender"; NULL or "" = one total row
 * @param q     a filter (as pd_store_query_open(); kind must be members); NULL = all
 * @return 0; PD_EINVALID (unknown dimension: named in the message); PD_ESTORE; PD_ENOMEM
 */
PD_EXTERN(int) pd_store_stats(pd_stats **out, pd_store *st, const char *dims,
                              const pd_store_query *q);

/** @return the number of rows */
PD_EXTERN(size_t) pd_stats_rows(const pd_stats *s);
/** @return the number of dimensions */
PD_EXTERN(size_t) pd_stats_dims(const pd_stats *s);
/** @return the name of dimension j (borrowed), NULL past the end */
PD_EXTERN(const char *) pd_stats_dim_name(const pd_stats *s, size_t j);
/** @return the key of row i in dimension j (borrowed), NULL if unknown or past the end */
PD_EXTERN(const char *) pd_stats_key(const pd_stats *s, size_t i, size_t j);
/** @return the count of row i (0 past the end) */
PD_EXTERN(long long) pd_stats_count(const pd_stats *s, size_t i);
/** NULL is a no-op. */
PD_EXTERN(void) pd_stats_free(pd_stats *s);

/* ---- import / export ---------------------------------------------------------- */

/** Flags of pd_import_options. */
#define PD_IMPORT_STRICT 1u       /**< reject records with error findings */
#define PD_IMPORT_NO_NORMALIZE 2u /**< store records as decoded */
#define PD_IMPORT_NO_VALIDATE 4u  /**< no validation, no findings */

/** Progress callback: records read so far and bytes read (0 if unknown); non-zero stops. */
typedef int (*pd_store_progress_cb)(long long records, long long bytes, void *payload);

typedef struct pd_import_options {
    unsigned int version;        /**< PD_IMPORT_OPTIONS_VERSION */
    unsigned int flags;          /**< PD_IMPORT_* */
    int format;                  /**< a pd_format (codec.h); 0 = from the extension */
    size_t batch_size;           /**< records per transaction; 0 = 10000 */
    const char *rejects_path;    /**< reject file (original bytes, same format), or NULL */
    const char *author;          /**< NULL = the store's default */
    const char *reason;          /**< written in history */
    const char *decision_number; /**< written in history */
    pd_store_progress_cb progress;
    void *payload;
} pd_import_options;
#define PD_IMPORT_OPTIONS_VERSION 1
#define PD_IMPORT_OPTIONS_INIT { PD_IMPORT_OPTIONS_VERSION, 0u, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL }

/** @return 0, PD_EINVALID for NULL or an unknown version */
PD_EXTERN(int) pd_import_options_init(pd_import_options *opts, unsigned int version);

/** What an import did: read = inserted + updated + unchanged + rejected. */
typedef struct pd_import_stats {
    long long read;         /**< records read (decoded or not) */
    long long inserted;
    long long updated;
    long long unchanged;
    long long rejected;     /**< undecodable, refused by policy, or unknown reference */
    long long findings;     /**< findings stored */
    long long needs_review; /**< stored records marked for review */
    long long duplicates;   /**< stored records flagged as duplicate candidates */
} pd_import_stats;

/**
 * Import a file of records (any codec) in batches, each batch one transaction:
 * decode, give records without an id a stable content-derived id (docs/api/store.md),
 * normalize, validate, store with findings; rejects go to the rejects table (reason
 * and original bytes) and to the reject file. A crash leaves whole batches only;
 * importing the same file again changes nothing. Decoding, normalizing and validating
 * run in a helper thread the function starts and joins (records are stored in input
 * order); callbacks are called from the calling thread.
 *
 * @param[out] out  the counts (also filled, as far as it went, on failure); may be NULL
 * @param path  the input file ("-" = standard input)
 * @return 0 (even with rejects: see out->rejected); PD_ENOTFOUND (no file); PD_EIO;
 *         PD_EREADONLY; PD_EBUSY; PD_EFULL (the batch in progress is rolled back);
 *         PD_EUSER (the progress callback stopped it); PD_ESTORE; PD_ENOMEM
 */
PD_EXTERN(int) pd_store_import(pd_import_stats *out, pd_store *st, const char *path,
                               const pd_import_options *opts);

typedef struct pd_export_options {
    unsigned int version; /**< PD_EXPORT_OPTIONS_VERSION */
    int format;           /**< a pd_format; 0 = from the extension */
    const pd_uuid *org;   /**< subtree root; NULL = everything */
    pd_store_progress_cb progress;
    void *payload;
} pd_export_options;
#define PD_EXPORT_OPTIONS_VERSION 1
#define PD_EXPORT_OPTIONS_INIT { PD_EXPORT_OPTIONS_VERSION, 0, NULL, NULL, NULL }

/** @return 0, PD_EINVALID for NULL or an unknown version */
PD_EXTERN(int) pd_export_options_init(pd_export_options *opts, unsigned int version);

/**
 * Export records: organizations (parents first), then members, memberships, residence
 * links and events (CSV: members only). With opts->org, the subtree and what
 * belongs to it.
 * @param[out] count  records written (may be NULL)
 * @param path  the output file ("-" = standard output)
 * @return 0; PD_ENOTFOUND (opts->org not stored); PD_EIO; PD_ELIMIT (CSV cannot hold a
 *         record); PD_EUSER; PD_ESTORE; PD_ENOMEM
 */
PD_EXTERN(int) pd_store_export(long long *count, pd_store *st, const char *path,
                               const pd_export_options *opts);

/* ---- checks ---------------------------------------------------------------------- */

/**
 * Check the file: PRAGMA integrity_check, foreign_key_check, schema version, and that
 * every blob decodes and agrees with its columns (id).
 * @param[out] problems  one line per problem (empty when sound); release with
 *                       pd_strarray_dispose()
 * @return 0 (see problems); PD_ESTORE; PD_ENOMEM
 */
PD_EXTERN(int) pd_store_check(pd_strarray *problems, pd_store *st);

PD_END_DECL

#endif
