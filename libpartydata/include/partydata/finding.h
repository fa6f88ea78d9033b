/*
 * finding.h: findings, what normalize and validate report about a record.
 *
 * A finding names a rule ("PD-R014" for validation rules, "PD-N…" for normalizer
 * changes), a severity, the field path, messages in Vietnamese and English, and for
 * a normalizer change the value before and after, so nothing is rewritten silently.
 */
#ifndef PARTYDATA_FINDING_H
#define PARTYDATA_FINDING_H

#include "common.h"

PD_BEGIN_DECL

typedef enum pd_severity {
    PD_SEVERITY_INFO = 1,
    PD_SEVERITY_WARNING = 2,
    PD_SEVERITY_ERROR = 3
} pd_severity;

/** One finding. In a pd_findings list every string is owned by the list. */
typedef struct pd_finding {
    const char *rule;       /**< stable rule code, never NULL */
    pd_severity severity;
    const char *path;       /**< field path, "" for the whole record */
    const char *message_vi; /**< Vietnamese message, never NULL */
    const char *message_en; /**< English message, never NULL */
    const char *old_value;  /**< value before a normalizer change, or NULL */
    const char *new_value;  /**< value after a normalizer change, or NULL */
    long record;            /**< 1-based index of the record in its input, 0 = unknown */
    pd_uuid record_id;      /**< id of the record, nil if unknown */
    int possible;           /**< 1 if a partial date fails only for some completions */
} pd_finding;

/** A growable list of findings (owns copies of everything added). */
typedef struct pd_findings pd_findings;

/** @param[out] out  free with pd_findings_free(). @return 0 or PD_ENOMEM */
PD_EXTERN(int) pd_findings_new(pd_findings **out);

/** Free the list and its findings. NULL is a no-op. */
PD_EXTERN(void) pd_findings_free(pd_findings *list);

/** Remove every finding (keeps the list). */
PD_EXTERN(void) pd_findings_clear(pd_findings *list);

/** @return the number of findings */
PD_EXTERN(size_t) pd_findings_count(const pd_findings *list);

/** @return the i-th finding (borrowed, valid until the list changes), NULL past the end */
PD_EXTERN(const pd_finding *) pd_findings_get(const pd_findings *list, size_t i);

/**
 * Append a copy of f (its strings are copied; NULL messages become "").
 * @return 0, PD_EINVALID if f->rule is NULL, PD_ENOMEM
 */
PD_EXTERN(int) pd_findings_add(pd_findings *list, const pd_finding *f);

/** @return how many findings have severity at least `min` */
PD_EXTERN(size_t) pd_findings_count_at_least(const pd_findings *list, pd_severity min);

/** "error", "warning", "info" (static), "?" for an unknown value */
PD_EXTERN(const char *) pd_severity_name(pd_severity s);

/**
 * One finding as a single-line JSON object (no newline): rule, severity, path,
 * message_vi, message_en, and old/new/record/record_id/possible when known.
 * @param[out] out  free with pd_free()
 */
PD_EXTERN(int) pd_finding_to_json(char **out, const pd_finding *f);

PD_END_DECL

#endif
