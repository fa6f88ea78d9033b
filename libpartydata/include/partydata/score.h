/*
 * score.h: score cleaning and duplicate detection against the generator's truth.
 *
 * Findings (validate/normalize, JSONL of pd_finding_to_json() objects) are matched
 * to injected defects by record id and field path: a finding on "birth_date" or
 * "birth_date.day" matches a defect on "birth_date" (either path is a prefix of the
 * other at a field boundary). Recall per defect kind = defects matched by at least
 * one finding / defects; precision = findings that match a defect / findings (per
 * kind: findings matching a defect of the kind / those plus the unmatched findings
 * on the field paths where that kind was injected); a defect is "fixed" when a
 * matching finding's new value ("new" in pd_finding_to_json()) equals the clean value.
 *
 * Clusters (dedup, JSONL {"cluster":N,"members":[...]}) are compared with the truth
 * clusters pairwise (every pair of records inside a cluster) and as whole clusters
 * (a predicted cluster is right when the same set of ids is a truth cluster).
 */
#ifndef PARTYDATA_SCORE_H
#define PARTYDATA_SCORE_H

#include "common.h"

PD_BEGIN_DECL

/** One line of a score table. Undefined ratios (0/0) are -1. */
typedef struct pd_score_row {
    const char *name;    /**< defect kind, "rule:<code>", "overall", "pairs", "clusters" */
    long long truth;     /**< items in the truth (defects, pairs, clusters) */
    long long found;     /**< items reported (findings, pairs, clusters) */
    long long tp_truth;  /**< truth items matched */
    long long tp_found;  /**< reported items that match the truth */
    long long fixed;     /**< defects whose clean value was restored (findings only) */
    double precision;    /**< tp_found / found */
    double recall;       /**< tp_truth / truth */
    double f1;           /**< harmonic mean of precision and recall */
} pd_score_row;

/** A score table. */
typedef struct pd_score pd_score;

/**
 * Score findings against a truth file.
 * @param[out] out  free with pd_score_free(); rows: one per defect kind (schema
 *                  of pd_generate_defect_kinds(), kinds present in the truth),
 *                  one per rule ("rule:PD-R014": found/tp_found/precision only),
 *                  then "overall"
 * @param truth_path     truth JSONL
 * @param findings_path  findings JSONL ("-" = stdin)
 * @return 0; PD_ENOTFOUND / PD_EIO for a file that cannot be read; PD_EPARSE for a
 *         bad line (position in pd_error_last()); PD_ENOMEM
 */
PD_EXTERN(int) pd_score_findings(pd_score **out, const char *truth_path,
                                 const char *findings_path);

/**
 * Score duplicate clusters against a truth file.
 * @param[out] out  rows "pairs" and "clusters"; free with pd_score_free()
 * @return as pd_score_findings()
 */
PD_EXTERN(int) pd_score_clusters(pd_score **out, const char *truth_path,
                                 const char *clusters_path);

/** @return the number of rows */
PD_EXTERN(size_t) pd_score_count(const pd_score *s);

/** @return row i (borrowed from s), NULL past the end */
PD_EXTERN(const pd_score_row *) pd_score_get(const pd_score *s, size_t i);

/** @return the row named `name` (borrowed) or NULL */
PD_EXTERN(const pd_score_row *) pd_score_find(const pd_score *s, const char *name);

/**
 * The table as JSON: {"rows":[{"name":...,"truth":N,...}, ...]} (one line).
 * @param[out] out  free with pd_free()
 */
PD_EXTERN(int) pd_score_to_json(char **out, const pd_score *s);

/**
 * The table as aligned text, one row a line, with a header line.
 * @param[out] out  free with pd_free()
 */
PD_EXTERN(int) pd_score_to_text(char **out, const pd_score *s);

/** Free a score table. NULL is a no-op. */
PD_EXTERN(void) pd_score_free(pd_score *s);

PD_END_DECL

#endif
