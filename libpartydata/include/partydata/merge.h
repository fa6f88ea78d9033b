/*
 * merge.h: member merge and unmerge, golden records, 3-way field merge, and the
 * consolidation of organizations.
 *
 * Survivorship rules of the golden record (docs/matching.md):
 *  1. non-empty beats empty (field by field, sub-messages field by field);
 *  2. for dates, the most precise wins (day > month > year); equal precision and
 *     different values: the record with the latest decision wins;
 *  3. otherwise the record with the latest decision wins: the later of its latest
 *     event's effective / decision date, then provenance.updated_at;
 *  4. ties: the better-ranked source (opts->source_ranking, first = best), then the
 *     survivor (the first id given).
 * Repeated fields are united without duplicates (id numbers by type + number,
 * events and memberships by id, aliases by text; the loser's full_name becomes an
 * alias when it differs).
 */
#ifndef PARTYDATA_MERGE_H
#define PARTYDATA_MERGE_H

#include "common.h"
#include "record.h"

PD_BEGIN_DECL

#ifndef PD_STORE_TYPEDEF
#define PD_STORE_TYPEDEF
typedef struct pd_store pd_store;
#endif

typedef struct pd_merge_options {
    unsigned int version;         /**< PD_MERGE_OPTIONS_VERSION */
    const char *reason;           /**< recorded in history and the merge event */
    const char *decision_number;  /**< decision behind the merge, or NULL */
    const char *author;           /**< who merges, or NULL */
    const char *const *source_ranking; /**< Member.source values, best first */
    size_t source_ranking_count;
} pd_merge_options;
#define PD_MERGE_OPTIONS_VERSION 1
#define PD_MERGE_OPTIONS_INIT { PD_MERGE_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0 }
/** @return 0 or PD_EINVALID (unknown version) */
PD_EXTERN(int) pd_merge_options_init(pd_merge_options *opts, unsigned int version);

/**
 * The golden record of two members by the survivorship rules; it has the
 * survivor's id, and merged_into_id unset.
 * @param[out] out   free with pd_member_free()
 * @param survivor   the record whose id survives
 * @param loser      the other record
 * @return 0, PD_EINVALID (NULL, same id, or either already merged), PD_ENOMEM
 */
PD_EXTERN(int) pd_member_golden(pd_member **out, const pd_member *survivor,
                                const pd_member *loser, const pd_merge_options *opts);

/**
 * Merge loser into survivor in a store, in one transaction: the survivor becomes
 * the golden record (with a HOP_NHAT_HO_SO event naming the loser), the loser keeps
 * its content and gets merged_into_id = survivor (a redirect), memberships, events
 * and residence links of the loser stored as records of their own are re-pointed to
 * the survivor, and history records the merge with its reason. On failure nothing
 * changes.
 * @return 0; PD_EINVALID (same id); PD_ENOTFOUND (missing id); PD_ECONFLICT (either
 *         record already merged into another); PD_ESTORE; PD_ENOMEM
 */
PD_EXTERN(int) pd_merge_members(pd_store *st, const pd_uuid *survivor, const pd_uuid *loser,
                                const pd_merge_options *opts);

/**
 * Undo the merge of a loser: both records, and the records re-pointed by the merge,
 * get back exactly their content from before the merge (provenance aside, which
 * records the undo), in one transaction.
 * @param loser  the id that was merged (merged_into_id set)
 * @return 0; PD_ENOTFOUND (missing id); PD_EINVALID (the record was never merged);
 *         PD_ECONFLICT (the survivor changed since in a way that cannot be undone, or
 *         was merged again); PD_ESTORE; PD_ENOMEM
 */
PD_EXTERN(int) pd_unmerge_member(pd_store *st, const pd_uuid *loser, const pd_merge_options *opts);

/**
 * Resolve redirects: follow merged_into_id from id to the live record.
 * @return 0, PD_ENOTFOUND, PD_ECONFLICT (a redirect cycle), PD_ESTORE
 */
PD_EXTERN(int) pd_merge_resolve(pd_uuid *out, pd_store *st, const pd_uuid *id);

/* ---- 3-way merge ------------------------------------------------------------ */

/** Flags of pd_merge3(). */
#define PD_MERGE3_THEIRS 1u /**< a conflict takes theirs (default: ours) */

/**
 * Field-by-field 3-way merge of records of one kind: a field changed on one side
 * only takes that side; changed on both sides to the same value takes it; changed
 * on both to different values is a conflict (resolved by flags) and its path is
 * listed. Repeated fields of messages with an id (events, memberships) are merged
 * element by element by id; other repeated fields as a whole.
 * @param[out] out        the merged record; free with pd_record_free()
 * @param[out] conflicts  field paths in conflict (may be NULL); pd_strarray_dispose()
 * @param base            common ancestor; NULL = empty record
 * @return 0 (conflicts may be non-empty), PD_EINVALID (kinds differ), PD_ENOMEM
 */
PD_EXTERN(int) pd_merge3(pd_record **out, pd_strarray *conflicts, const pd_record *base,
                         const pd_record *ours, const pd_record *theirs, unsigned int flags);

/* ---- organizations ------------------------------------------------------------ */

typedef struct pd_org_merge_options {
    unsigned int version;        /**< PD_ORG_MERGE_OPTIONS_VERSION */
    const char *decision_number; /**< required: the reorganization decision */
    pd_date date;                /**< required: effective date (full date) */
    const char *reason;
    const char *author;
    int dry_run;                 /**< count only, change nothing */
} pd_org_merge_options;
#define PD_ORG_MERGE_OPTIONS_VERSION 1
#define PD_ORG_MERGE_OPTIONS_INIT { PD_ORG_MERGE_OPTIONS_VERSION, NULL, { 0, 0, 0 }, NULL, NULL, 0 }
PD_EXTERN(int) pd_org_merge_options_init(pd_org_merge_options *opts, unsigned int version);

/** What a consolidation did (summed over a batch). */
typedef struct pd_org_merge_counts {
    size_t orgs_merged;        /**< organizations closed into a successor */
    size_t members_moved;      /**< members whose open memberships moved */
    size_t memberships_closed; /**< memberships closed on the date */
    size_t memberships_opened; /**< memberships opened in the successor (= closed) */
    size_t suborgs_moved;      /**< direct sub-organizations re-parented */
    size_t events;             /**< events recorded */
    size_t skipped;            /**< batch rows not applied (unknown org, same org) */
    size_t residence_links_moved; /**< open residence links closed and re-opened in to */
} pd_org_merge_counts;

/**
 * Consolidate organization from into to, in one transaction: every open
 * membership in from (stand-alone records, and those embedded in members whose
 * current organization is from) is closed on the date and an identical one opened in
 * to on the same date (no gap), open residence links likewise, members' current_org_id follows, from's direct
 * sub-organizations get to as parent, from is closed (valid_to = date, successor
 * to, to gets from as predecessor), a SAP_NHAP event on from, a HOP_NHAT event on
 * to, and a CHUYEN_TRUC_THUOC event on each moved sub-organization; every write
 * carries the decision number and reason into history.
 * @param[out] out  counts (may be NULL); added to, not reset
 * @return 0; PD_EINVALID (same org, missing decision or date); PD_ENOTFOUND;
 *         PD_ECONFLICT (to is inside from's subtree: a cycle; or from already
 *         closed); PD_ESTORE; PD_ENOMEM. On failure nothing changes.
 */
PD_EXTERN(int) pd_org_merge(pd_org_merge_counts *out, pd_store *st, const pd_uuid *from,
                            const pd_uuid *to, const pd_org_merge_options *opts);

/**
 * Apply a reorganization table in one transaction: CSV rows "from,to" (a header
 * line "from,to" is optional) where each side is an organization UUID, an
 * organization code (Organization.code), or "commune:CODE" (the organization coded
 * CODE, else the topmost open committee whose admin_unit.commune_code is CODE).
 * Rows naming an unknown or already closed organization are counted as skipped. Several rows with the same to consolidate
 * several organizations into one. With path "2025" the table is the built-in
 * 2025 commune conversion (needs refdata).
 * @param[out] out  counts (may be NULL), with skipped rows counted
 * @return 0; PD_EIO (file); PD_EPARSE (bad row: line in pd_error_last());
 *         and the errors of pd_org_merge() (first failing row; nothing changed)
 */
PD_EXTERN(int) pd_org_merge_table(pd_org_merge_counts *out, pd_store *st, const char *path,
                                  const pd_org_merge_options *opts);

PD_END_DECL

#endif
