/*
 * errors.h: the last error of the calling thread (libgit2 style).
 */
#ifndef PARTYDATA_ERRORS_H
#define PARTYDATA_ERRORS_H

#include "common.h"

PD_BEGIN_DECL

/**
 * Details of the last failure on this thread. All pointers are owned by the
 * library and stay valid until this thread's next failing call or pd_error_clear().
 */
typedef struct pd_error {
    int code;               /**< the PD_E* that was returned */
    const char *message;    /**< English text, never NULL ("" when no error) */
    const char *rule;       /**< rule code ("PD-R014") or NULL */
    const char *field_path; /**< "hometown.province_code", or NULL */
    const char *source;     /**< file name, or NULL */
    long line;              /**< 1-based line, 0 = unknown */
    long column;            /**< 1-based column, 0 = unknown */
    long record;            /**< 1-based record index in the input, 0 = unknown */
    long long offset;       /**< 0-based byte offset in the input, -1 = unknown */
    int store_code;         /**< SQLite extended result code for PD_ESTORE, else 0 */
} pd_error;

/**
 * The last error of the calling thread.
 * @return a pointer owned by the library, never NULL; code is 0 when no error
 *         was recorded since the last pd_error_clear()
 */
PD_EXTERN(const pd_error *) pd_error_last(void);

/** Forget the last error of the calling thread. */
PD_EXTERN(void) pd_error_clear(void);

/**
 * A short English name of a return code ("PD_ENOTFOUND").
 * @return a static string; "PD_E?" for an unknown code
 */
PD_EXTERN(const char *) pd_code_name(int code);

PD_END_DECL

#endif
