/*
 * validate.h: the rule catalogue and the validator (domain.md §7).
 *
 * Every rule has a stable code ("PD-R014"), a severity, a message in Vietnamese and
 * in English, the field paths it reads, its legal source and the dates between which
 * it is in force. A rule whose content changed (232-QĐ/TW of 20 Jan 2025, 294-QĐ/TW
 * in force 1 Jul 2025) has one catalogue entry per period, with the same code;
 * pd_validate_options.as_of picks the entries in force on that day.
 *
 * Record rules (pd_validate_record) look at one record; set rules (unique CCCD and
 * party card number, memberships that do not overlap, the organization tree, ...)
 * need many records and run in a pd_validator, which keeps only keys (hashes of ids
 * and numbers), never the records themselves.
 *
 * Partial dates are handled honestly (domain.md §4.1): a date rule fails only if it
 * fails for every completion of the partial dates it reads; when it fails for some
 * completions only, the finding has possible = 1 and its severity is one level lower
 * (error -> warning -> info). A year-only date is neither before nor after a date in
 * that year.
 */
#ifndef PARTYDATA_VALIDATE_H
#define PARTYDATA_VALIDATE_H

#include "common.h"
#include "finding.h"
#include "record.h"

PD_BEGIN_DECL

/* ---- the rule catalogue ---------------------------------------------------- */

/** What a rule looks at (bits: a rule may check one record and a set). */
typedef enum pd_rule_scope {
    PD_RULE_SCOPE_RECORD = 1, /**< one record (pd_validate_record) */
    PD_RULE_SCOPE_SET = 2,    /**< many records (pd_validator_add / pd_validator_finish) */
    PD_RULE_SCOPE_INPUT = 4   /**< the input itself (PD-R000: could not decode) */
} pd_rule_scope;

/** One entry of the catalogue. Every pointer is static (never freed). */
typedef struct pd_rule {
    const char *code;       /**< stable code, "PD-R001"; several entries may share one */
    pd_severity severity;   /**< default severity */
    const char *message_vi; /**< message in Vietnamese */
    const char *message_en; /**< message in English */
    const char *paths;      /**< field paths read, comma-separated ("birth_date,id_numbers[].number") */
    const char *kinds;      /**< record kinds checked, comma-separated ("member") */
    const char *source;     /**< legal source (document and article), or "library" */
    pd_date valid_from;     /**< first day in force; year 0 = always */
    pd_date valid_to;       /**< last day in force; year 0 = still in force */
    unsigned int scope;     /**< pd_rule_scope bits */
} pd_rule;

/** @return the number of entries in the catalogue (every period of every rule) */
PD_EXTERN(size_t) pd_validate_rule_count(void);

/** @return the i-th entry (static), NULL if i >= pd_validate_rule_count() */
PD_EXTERN(const pd_rule *) pd_validate_rule_get(size_t i);

/**
 * The entry of a code in force on a day.
 * @param as_of  the day; NULL = the newest entry of the code
 * @return the entry (static), or NULL if there is no such code or none in force
 */
PD_EXTERN(const pd_rule *) pd_validate_rule_find(const char *code, const pd_date *as_of);

/** @return 1 if the entry is in force on `day` (full or partial date), 0 if not */
PD_EXTERN(int) pd_validate_rule_in_force(const pd_rule *rule, const pd_date *day);

/**
 * The catalogue as a Markdown document (the body of docs/rules.md): one section per
 * code, every period with its severity, messages, paths, kinds and source.
 * @param[out] out  free with pd_free()
 * @return 0 or PD_ENOMEM
 */
PD_EXTERN(int) pd_validate_rules_markdown(char **out);

/* ---- options ---------------------------------------------------------------- */

#define PD_VALIDATE_OPTIONS_VERSION 1

/** Flags of pd_validate_options. */
#define PD_VALIDATE_SKIP_WARNINGS 1u /**< report errors only (and no info) */
#define PD_VALIDATE_SKIP_INFO 2u     /**< do not report info findings */
#define PD_VALIDATE_NO_POSSIBLE 4u   /**< do not report "possible" (partial-date) findings */
#define PD_VALIDATE_ALL_PERIODS 8u   /**< ignore as_of: use the newest entry of every code */

typedef struct pd_validate_options {
    unsigned int version; /**< PD_VALIDATE_OPTIONS_VERSION */
    pd_date as_of;        /**< rules in force on this day; year 0 = `today` */
    pd_date today;        /**< for "in the future" checks; year 0 = the real date (UTC) */
    unsigned flags;       /**< PD_VALIDATE_* */
    /**
     * Rule filter, or NULL for every rule: comma-separated codes or prefixes
     * ("PD-R014,PD-R02"); a leading '-' on an item excludes it ("-PD-R044").
     * Borrowed: must stay valid while the options are used (a validator copies it).
     */
    const char *rules;
} pd_validate_options;

#define PD_VALIDATE_OPTIONS_INIT { PD_VALIDATE_OPTIONS_VERSION, { 0, 0, 0 }, { 0, 0, 0 }, 0u, NULL }

/**
 * Fill opts with the defaults of `version`.
 * @return 0, PD_EINVALID if opts is NULL, PD_EVERSION if version is unknown
 */
PD_EXTERN(int) pd_validate_options_init(pd_validate_options *opts, unsigned int version);

/* ---- one record --------------------------------------------------------------- */

/**
 * Check one record against the record rules in force on opts->as_of and append a
 * finding per failure to `out` (record index 0, record_id = the record's id).
 * Never modifies r. Any bytes in any string (invalid UTF-8, control characters,
 * huge strings) give findings, never a failure.
 * @param out   the list to append to (the caller's)
 * @param r     the record (any kind; kinds without rules give no findings)
 * @param opts  NULL for the defaults
 * @return the number of error-severity findings added (>= 0), PD_EINVALID for a NULL
 *         argument, a bad options version or a bad date in the options, PD_ENOMEM
 */
PD_EXTERN(int) pd_validate_record(pd_findings *out, const pd_record *r,
                                  const pd_validate_options *opts);

/* ---- many records ------------------------------------------------------------- */

/** A set validator: record rules per record plus the set rules at the end. */
typedef struct pd_validator pd_validator;

/**
 * @param[out] out  free with pd_validator_free()
 * @param opts      copied (the rule filter too); NULL for the defaults
 * @return 0, PD_EINVALID (bad options), PD_ENOMEM
 */
PD_EXTERN(int) pd_validator_new(pd_validator **out, const pd_validate_options *opts);

/** Free a validator. NULL is a no-op. */
PD_EXTERN(void) pd_validator_free(pd_validator *v);

/**
 * Run the record rules on r, appending findings to out (with record_index and the
 * record's id), and remember the keys the set rules need (not the record).
 * @param out           the list to append to
 * @param record_index  position of r in its input (1-based; 0 = unknown)
 * @return the number of error findings added (>= 0), PD_EINVALID, PD_ENOMEM
 */
PD_EXTERN(int) pd_validator_add(pd_findings *out, pd_validator *v, const pd_record *r,
                                long record_index);

/**
 * Count a record that could not be decoded: appends a PD-R000 finding with the
 * message of the decoder (pd_error_last() when `detail` is NULL) and its position.
 * @return 1 (one error finding added), PD_EINVALID, PD_ENOMEM
 */
PD_EXTERN(int) pd_validator_add_decode_error(pd_findings *out, pd_validator *v,
                                             long record_index, const char *detail);

/**
 * Run the set rules over everything added and append their findings (each names
 * the record index of the later record involved). May be called once.
 * @return the number of error findings added (>= 0), PD_EINVALID if already
 *         finished, PD_ENOMEM
 */
PD_EXTERN(int) pd_validator_finish(pd_findings *out, pd_validator *v);

/** Counts so far: records added and findings by severity (any pointer may be NULL). */
PD_EXTERN(void) pd_validator_stats(const pd_validator *v, size_t *records, size_t *errors,
                                   size_t *warnings, size_t *infos);

PD_END_DECL

#endif
