/*
 * match.h: duplicate detection among member records.
 *
 * A pd_matcher collects members (only the features matching needs are kept, not the
 * records), builds candidate pairs by blocking on several keys (CCCD, folded name +
 * birth year, given name + birth date + hometown province, party card number,
 * other identity numbers), scores each pair in the Fellegi–Sunter manner (a sum of
 * per-field log2 likelihood ratios log2(m/u) or log2((1-m)/(1-u)), with m and u
 * estimated by EM on the data unless set), and groups the pairs at or above the
 * threshold into clusters (connected components, with a transitivity check that
 * splits chains whose ends do not match each other).
 *
 * Comparators know Vietnamese: accent folding and tone-mark placement ("hoà" /
 * "hòa"), Jaro–Winkler on folded names, name-order swaps, partial dates and
 * day/month swaps, one-digit slips and transpositions in identity numbers,
 * addresses compared by code (through the 2025 conversion when refdata knows it) or
 * by text similarity. Every pair can be explained field by field.
 *
 * Incremental use: records added with PD_MATCH_ADD_REFERENCE (e.g. a database's
 * members, see pd_matcher_add_store()) are compared only with the other records;
 * a later pd_matcher_run() compares only the records added since the previous run.
 *
 * The method, weights and levels are described in docs/matching.md.
 */
#ifndef PARTYDATA_MATCH_H
#define PARTYDATA_MATCH_H

#include "common.h"
#include "record.h"

PD_BEGIN_DECL

typedef struct pd_matcher pd_matcher;
#ifndef PD_STORE_TYPEDEF
#define PD_STORE_TYPEDEF
typedef struct pd_store pd_store;
#endif

/** The fields a pair is compared on (the order of an explanation). */
typedef enum pd_match_field {
    PD_MATCH_FIELD_NAME = 0,       /**< full_name (and birth_name, aliases) */
    PD_MATCH_FIELD_BIRTH_DATE = 1, /**< birth_date */
    PD_MATCH_FIELD_GENDER = 2,
    PD_MATCH_FIELD_CCCD = 3,       /**< id_numbers of type CCCD */
    PD_MATCH_FIELD_CMND = 4,       /**< id_numbers of type CMND9 / CMND12 */
    PD_MATCH_FIELD_PARTY_CARD = 5, /**< party_card_no */
    PD_MATCH_FIELD_OTHER_ID = 6,   /**< passport, other ids, record_no */
    PD_MATCH_FIELD_HOMETOWN = 7,   /**< hometown (quê quán) */
    PD_MATCH_FIELD_RESIDENCE = 8,  /**< permanent (else temporary) residence */
    PD_MATCH_FIELD_BIRTHPLACE = 9,
    PD_MATCH_FIELD_ETHNICITY = 10,
    PD_MATCH_FIELD_ADMISSION = 11, /**< admission_date / admission_decision_date */
    PD_MATCH_NFIELDS = 12
} pd_match_field;

/** Agreement level of one field of a pair. */
typedef enum pd_match_level {
    PD_MATCH_MISSING = 0,  /**< unknown on one side: weight 0 */
    PD_MATCH_DISAGREE = 1,
    PD_MATCH_PARTIAL = 2,  /**< close: a slip, a swap, a similar name, a partial date */
    PD_MATCH_AGREE = 3,
    PD_MATCH_NLEVELS = 4
} pd_match_level;

/** Flags of pd_match_options.flags. */
#define PD_MATCH_NO_EM 1u         /**< keep the default (or set) m/u, do not estimate */
#define PD_MATCH_NO_TRANSITIVITY 2u /**< clusters are plain connected components */
#define PD_MATCH_KEEP_ALL_PAIRS 4u  /**< keep pairs below the threshold for iteration */

typedef struct pd_match_options {
    unsigned int version;   /**< PD_MATCH_OPTIONS_VERSION */
    unsigned int flags;     /**< PD_MATCH_* */
    double threshold;       /**< match at score >= threshold (log2 units); 0 = 10.0 */
    int em_iterations;      /**< 0 = 25 */
    size_t max_block;       /**< larger blocks are skipped for that key; 0 = 500 */
    size_t em_sample;       /**< candidate pairs used by EM; 0 = 200000 */
} pd_match_options;
#define PD_MATCH_OPTIONS_VERSION 1
#define PD_MATCH_OPTIONS_INIT { PD_MATCH_OPTIONS_VERSION, 0, 0.0, 0, 0, 0 }
/** @return 0 or PD_EINVALID (unknown version) */
PD_EXTERN(int) pd_match_options_init(pd_match_options *opts, unsigned int version);

/** Flags of pd_matcher_add(). */
#define PD_MATCH_ADD_REFERENCE 1u /**< already deduplicated: not paired with its kind */

/** A scored pair (plain struct, copied out). Indexes are the order of addition. */
typedef struct pd_match_pair {
    pd_uuid a;
    pd_uuid b;
    size_t index_a;
    size_t index_b;
    double score;   /**< sum of field weights (log2 likelihood ratio) */
    int is_match;   /**< score >= threshold and kept by the transitivity check */
} pd_match_pair;

/** A cluster: members borrowed from the iterator until its next call. */
typedef struct pd_match_cluster {
    size_t index;          /**< 0-based cluster number */
    size_t count;          /**< number of members (>= 2) */
    const pd_uuid *members;
    const size_t *indexes; /**< the members' indexes of addition */
} pd_match_cluster;

/** One field of an explanation. */
typedef struct pd_match_field_score {
    pd_match_field field;
    const char *name;   /**< "full_name", "birth_date", ... (static) */
    pd_match_level level;
    double weight;      /**< contribution to the score */
    const char *how;    /**< comparator outcome, static: "exact", "tone/accents",
                             "jaro-winkler", "name order swap", "day/month swap",
                             "partial date", "one-digit slip", "transposition",
                             "2025 conversion", "text similarity", "missing", ... */
    double similarity;  /**< comparator similarity in [0,1] */
} pd_match_field_score;

typedef struct pd_match_explanation {
    double score;
    pd_match_field_score fields[PD_MATCH_NFIELDS];
} pd_match_explanation;

typedef struct pd_match_stats {
    size_t records;
    size_t reference_records;
    size_t candidate_pairs;  /**< distinct pairs compared */
    size_t matched_pairs;    /**< pairs with is_match */
    size_t clusters;
    size_t clustered_records;
    size_t split_clusters;   /**< components split by the transitivity check */
    size_t skipped_blocks;   /**< blocks over max_block */
    int em_iterations;       /**< iterations EM ran (0 if not run) */
} pd_match_stats;

/** Pair and cluster quality against a known truth. */
typedef struct pd_match_quality {
    double pair_precision, pair_recall, pair_f1;
    double cluster_precision, cluster_recall, cluster_f1; /**< exact cluster equality */
    size_t true_pairs, found_pairs, correct_pairs;
    size_t true_clusters, found_clusters, correct_clusters;
} pd_match_quality;

/* ---- matcher ------------------------------------------------------------- */

/**
 * New empty matcher.
 * @param[out] out  free with pd_matcher_free()
 * @param opts      NULL = defaults
 * @return 0, PD_EINVALID (bad options version or threshold), PD_ENOMEM
 */
PD_EXTERN(int) pd_matcher_new(pd_matcher **out, const pd_match_options *opts);
PD_EXTERN(void) pd_matcher_free(pd_matcher *mt);

/**
 * Add a member (its features are copied; m stays the caller's).
 * @param flags  0 or PD_MATCH_ADD_REFERENCE
 * @return 0, PD_EINVALID (NULL, or no id), PD_ENOMEM
 */
PD_EXTERN(int) pd_matcher_add(pd_matcher *mt, const pd_member *m, unsigned int flags);

/**
 * Add every member of a store that is not merged into another (merged_into_id
 * unset), with the given flags. Needs the store module.
 * @return 0, PD_ESTORE, PD_ENOMEM
 */
PD_EXTERN(int) pd_matcher_add_store(pd_matcher *mt, pd_store *st, unsigned int flags);

/**
 * Incremental matching against a store through its indexes: add m (with flags) and,
 * as PD_MATCH_ADD_REFERENCE records, every live stored member sharing its CCCD, its
 * party card number, or its folded name and birth year (each record once). A later
 * pd_matcher_run() then compares the new records with these candidates only,
 * without loading or re-comparing the whole database.
 * @return 0, PD_EINVALID (NULL, member without id), PD_ESTORE, PD_EPARSE, PD_ENOMEM
 */
PD_EXTERN(int) pd_matcher_add_store_candidates(pd_matcher *mt, pd_store *st, const pd_member *m,
                                               unsigned int flags);

/** Number of records added. */
PD_EXTERN(size_t) pd_matcher_count(const pd_matcher *mt);

/**
 * Set m and u of one field level (probabilities in (0,1)); with PD_MATCH_NO_EM
 * they are used as is, otherwise they seed EM.
 * @return 0 or PD_EINVALID (bad field, level or probability)
 */
PD_EXTERN(int) pd_matcher_set_mu(pd_matcher *mt, pd_match_field field, pd_match_level level,
                                 double m, double u);
/** Current m and u of a field level. @return 0 or PD_EINVALID */
PD_EXTERN(int) pd_matcher_mu(double *m, double *u, const pd_matcher *mt, pd_match_field field,
                             pd_match_level level);

/**
 * Block, compare, estimate m/u (EM), score and cluster the records added since the
 * last run (against all records). Pairs and clusters of earlier runs are kept and
 * re-clustered with the new ones.
 * @return 0, PD_ENOMEM
 */
PD_EXTERN(int) pd_matcher_run(pd_matcher *mt);

/** Statistics of the last run. @return 0 or PD_EINVALID */
PD_EXTERN(int) pd_matcher_stats(pd_match_stats *out, const pd_matcher *mt);

typedef struct pd_match_pair_iter pd_match_pair_iter;
typedef struct pd_match_cluster_iter pd_match_cluster_iter;

/**
 * Iterate pairs with score >= min_score (pass -INFINITY or a very low value for
 * every kept pair), in order of (index_a, index_b).
 * @param[out] out  free with pd_match_pair_iter_free()
 * @return 0, PD_EINVALID (not run yet), PD_ENOMEM
 */
PD_EXTERN(int) pd_matcher_pairs(pd_match_pair_iter **out, const pd_matcher *mt,
                                double min_score);
/** @return 0 (out filled), PD_ITEROVER */
PD_EXTERN(int) pd_match_pair_iter_next(pd_match_pair *out, pd_match_pair_iter *it);
PD_EXTERN(void) pd_match_pair_iter_free(pd_match_pair_iter *it);

/**
 * Iterate clusters (size >= 2); the matcher must outlive the iterator.
 * @param[out] out  free with pd_match_cluster_iter_free()
 * @return 0, PD_EINVALID (not run yet), PD_ENOMEM
 */
PD_EXTERN(int) pd_matcher_clusters(pd_match_cluster_iter **out, const pd_matcher *mt);
/** @return 0 (out filled, arrays borrowed until the next call), PD_ITEROVER */
PD_EXTERN(int) pd_match_cluster_iter_next(pd_match_cluster *out, pd_match_cluster_iter *it);
PD_EXTERN(void) pd_match_cluster_iter_free(pd_match_cluster_iter *it);

/**
 * Explain the pair of two added records (by index of addition) with the
 * matcher's current m/u.
 * @return 0, PD_EINVALID (index out of range)
 */
PD_EXTERN(int) pd_matcher_explain(pd_match_explanation *out, const pd_matcher *mt, size_t a,
                                  size_t b);

/**
 * Index of an added record by id.
 * @return 0 or PD_ENOTFOUND
 */
PD_EXTERN(int) pd_matcher_index(size_t *out, const pd_matcher *mt, const pd_uuid *id);

/**
 * Quality of the clusters against a truth: truth[i] is the true entity label of
 * record i (records of one entity share a label). Pairs count within clusters.
 * @param n  must equal pd_matcher_count()
 * @return 0, PD_EINVALID (not run yet, or n differs), PD_ENOMEM
 */
PD_EXTERN(int) pd_matcher_evaluate(pd_match_quality *out, const pd_matcher *mt,
                                   const uint64_t *truth, size_t n);

/* ---- one pair, comparators ---------------------------------------------------- */

/**
 * Compare two members with default m/u (mt NULL) or a matcher's.
 * @return 0, PD_EINVALID (NULL member), PD_ENOMEM
 */
PD_EXTERN(int) pd_match_compare(pd_match_explanation *out, const pd_member *a,
                                const pd_member *b, const pd_matcher *mt);

/**
 * An explanation as text, one field a line ("full_name  AGREE  +9.81  exact").
 * @param[out] out  free with pd_free()
 * @return 0 or PD_ENOMEM
 */
PD_EXTERN(int) pd_match_explanation_text(char **out, const pd_match_explanation *e);
/** An explanation as one JSON object. @param[out] out  free with pd_free() */
PD_EXTERN(int) pd_match_explanation_json(char **out, const pd_match_explanation *e);

/** Name of a field ("full_name") or level ("AGREE"); static, "?" if unknown. */
PD_EXTERN(const char *) pd_match_field_name(pd_match_field field);
PD_EXTERN(const char *) pd_match_level_name(pd_match_level level);

/** Jaro–Winkler similarity of two UTF-8 strings by code point, in [0,1]. */
PD_EXTERN(double) pd_match_jaro_winkler(const char *a, const char *b);

/**
 * Compare two Vietnamese names: exact, equal after tone-placement / accent folding,
 * equal up to order of the parts, or Jaro–Winkler similar.
 * @param[out] how  static description (may be NULL)
 * @return the similarity in [0,1]; 1 = same name
 */
PD_EXTERN(double) pd_match_name_similarity(const char *a, const char *b, const char **how);

/**
 * Compare two identity numbers (digits; other characters ignored).
 * @param[out] how  "exact", "one-digit slip", "transposition" or "different" (may be NULL)
 * @return PD_MATCH_AGREE, PD_MATCH_PARTIAL, PD_MATCH_DISAGREE, or PD_MATCH_MISSING
 *         when either is empty
 */
PD_EXTERN(pd_match_level) pd_match_id_compare(const char *a, const char *b, const char **how);

/**
 * Compare two partial dates: equal, compatible (one is less precise), day/month
 * swapped, one-digit slip in one part, or different.
 * @return a level as pd_match_id_compare()
 */
PD_EXTERN(pd_match_level) pd_match_date_compare(const pd_date *a, const pd_date *b,
                                                const char **how);

PD_END_DECL

#endif
