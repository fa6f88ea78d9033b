/*
 * generate.h: synthetic Party organizations and members at national scale, with
 * injected dirt and duplicates and the ground truth that names every one of them.
 *
 * No real member data may leave the Party's networks, so tests, benchmarks and the
 * demo run on data made here. A generator is a stream: pd_generator_next() returns
 * the organizations first (central → provinces → commune/ward committees →
 * grassroots committees and cells), then the members (their events and memberships
 * inside each Member). Memory stays constant in the number of members.
 * The same options and seed give the same records, byte for byte (ids included:
 * they are drawn from the seed, version-7 layout with a fixed time base).
 *
 * Truth: every injected defect and every duplicate cluster is reported through
 * pd_generator_truth_next() after the record that completes it was returned; the
 * truth file of `partydata generate --truth` is pd_truth_item_to_json() of each, one
 * a line:
 *   {"type":"defect","record_id":"<uuid>","path":"full_name","kind":"missing_diacritics","clean":"...","dirty":"..."}
 *   {"type":"cluster","members":["<uuid>","<uuid>"]}
 */
#ifndef PARTYDATA_GENERATE_H
#define PARTYDATA_GENERATE_H

#include "common.h"
#include "record.h"

PD_BEGIN_DECL

/** Generate the pre-2025 administrative tree (63 provinces, districts) instead. */
#define PD_GENERATE_PRE2025 1u
/** Leave out the organization records (members only; their org ids still point
 *  at the tree the same seed would generate). */
#define PD_GENERATE_NO_ORGS 2u

/** Options of a generator. Zero / NULL fields take the documented defaults. */
typedef struct pd_generate_options {
    unsigned int version;   /**< PD_GENERATE_OPTIONS_VERSION */
    uint64_t seed;          /**< PRNG seed; 0 is a seed like any other */
    long long members;      /**< number of distinct persons (before duplicates); 0 = 1000 */
    const char *province;   /**< 2-digit code (2025 list, or pre-2025 with the flag);
                                 NULL or "all" = the whole country */
    double dirty;           /**< probability that a member record carries a defect
                                 (0..1; a dirty record has 1..3 defects) */
    double duplicates;      /**< probability that a person is entered again (0..1) */
    unsigned int flags;     /**< PD_GENERATE_* */
    pd_date as_of;          /**< date of the generated world; {0} = 2025-10-01 */
} pd_generate_options;

#define PD_GENERATE_OPTIONS_VERSION 1
#define PD_GENERATE_OPTIONS_INIT { PD_GENERATE_OPTIONS_VERSION, 0, 0, NULL, 0.0, 0.0, 0, { 0, 0, 0 } }

/**
 * Fill opts with the defaults of a version.
 * @return 0 or PD_EINVALID (unknown version, NULL opts)
 */
PD_EXTERN(int) pd_generate_options_init(pd_generate_options *opts, unsigned int version);

/** A generator (a stream of records). */
typedef struct pd_generator pd_generator;

/**
 * Make a generator.
 * @param[out] out  free with pd_generator_free()
 * @param opts      NULL = defaults (copied: the province string is copied too)
 * @return 0; PD_EINVALID for a bad option (members < 0, dirty or duplicates outside
 *         0..1, unknown version); PD_ENOTFOUND for an unknown province code;
 *         PD_ENOMEM
 */
PD_EXTERN(int) pd_generator_new(pd_generator **out, const pd_generate_options *opts);

/**
 * The next record: organizations first, then members (with duplicates among them).
 * @param[out] out  the record, owned by the caller (pd_record_free())
 * @return 0, PD_ITEROVER at the end, PD_ENOMEM
 */
PD_EXTERN(int) pd_generator_next(pd_record **out, pd_generator *g);

/** Kinds of truth items. */
typedef enum pd_truth_type {
    PD_TRUTH_DEFECT = 1,
    PD_TRUTH_CLUSTER = 2
} pd_truth_type;

/**
 * One truth item. Every pointer is borrowed from the generator and valid until the
 * next call of pd_generator_next() or pd_generator_truth_next().
 */
typedef struct pd_truth_item {
    pd_truth_type type;
    pd_uuid record_id;        /**< DEFECT: the record */
    const char *path;         /**< DEFECT: field path ("full_name", "birth_date") */
    const char *kind;         /**< DEFECT: defect kind (pd_generate_defect_kinds()) */
    const char *clean;        /**< DEFECT: the clean value as text */
    const char *dirty;        /**< DEFECT: the injected value as text */
    const pd_uuid *members;   /**< CLUSTER: ids of the records of one person */
    size_t member_count;      /**< CLUSTER: >= 2 */
} pd_truth_item;

/**
 * The next truth item known so far (defects of the records returned, clusters
 * complete once their last record was returned; at PD_ITEROVER of
 * pd_generator_next() every item has been made available).
 * @param[out] out  filled with borrowed pointers
 * @return 0, or PD_ITEROVER when none is pending now
 */
PD_EXTERN(int) pd_generator_truth_next(pd_truth_item *out, pd_generator *g);

/**
 * A truth item as one JSON line (no newline), the truth-file format above.
 * @param[out] out  free with pd_free()
 * @return 0, PD_EINVALID, PD_ENOMEM
 */
PD_EXTERN(int) pd_truth_item_to_json(char **out, const pd_truth_item *item);

/** Counters of what a generator has produced so far. */
typedef struct pd_generate_stats {
    long long organizations;
    long long members;        /**< member records, duplicates included */
    long long persons;        /**< distinct persons */
    long long duplicates;     /**< extra records of persons entered again */
    long long dirty_records;  /**< member records with at least one defect */
    long long defects;
    long long clusters;
} pd_generate_stats;

/** Copy the counters. @return 0 or PD_EINVALID */
PD_EXTERN(int) pd_generator_stats(pd_generate_stats *out, const pd_generator *g);

/**
 * The number of records the generator will return in total when known in advance
 * (organizations + persons; duplicates come on top), for progress bars.
 */
PD_EXTERN(long long) pd_generator_expected(const pd_generator *g);

/** Free a generator. NULL is a no-op. */
PD_EXTERN(void) pd_generator_free(pd_generator *g);

/**
 * The defect kinds the generator injects, NULL-terminated static array:
 * "missing_diacritics", "nfd", "tone_placement", "eth_d", "double_space",
 * "wrong_case", "typo", "day_month_swap", "year_only", "cccd_digit",
 * "old_place_name", "wrong_ethnic_list".
 */
PD_EXTERN(const char *const *) pd_generate_defect_kinds(void);

/** Progress callback of pd_generate_file(): records written so far, expected total. */
typedef void (*pd_generate_progress_cb)(long long done, long long total, void *payload);

/**
 * Generate into files: records to `path` (format from its extension or `format`:
 * a pd_format value of codec.h, 0 = auto, .pb or .jsonl) and the truth to
 * `truth_path` (NULL = none). Each file is written to a temporary name and renamed
 * at the end: a failure leaves no partial file in place of a good one.
 * @param[out] stats  counters at the end (may be NULL)
 * @return 0, the errors of pd_generator_new(), PD_EIO, PD_ENOMEM
 */
PD_EXTERN(int) pd_generate_file(pd_generate_stats *stats, const char *path, int format,
                                const char *truth_path, const pd_generate_options *opts,
                                pd_generate_progress_cb progress, void *payload);

PD_END_DECL

#endif
