/*
 * common.h: export macros, return codes and the small value types every module uses.
 *
 * Ownership rules for the whole API (style.md §5):
 *  - out-parameters come first; a `**out` result belongs to the caller and is
 *    NULL after a failure;
 *  - returned `const char *` and handle pointers are borrowed from their parent;
 *  - strings and buffers the library allocates for the caller are freed with pd_free();
 *  - a handle is used by one thread at a time; the last error is per thread.
 */
#ifndef PARTYDATA_COMMON_H
#define PARTYDATA_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define PD_BEGIN_DECL extern "C" {
#define PD_END_DECL }
#else
#define PD_BEGIN_DECL
#define PD_END_DECL
#endif

#if defined(__GNUC__) && __GNUC__ >= 4
#define PD_EXTERN(type) extern __attribute__((visibility("default"))) type
#else
#define PD_EXTERN(type) extern type
#endif

PD_BEGIN_DECL

/** Return codes. 0 is success; errors are negative and never renumbered. */
typedef enum pd_code {
    PD_OK = 0,
    PD_ERROR = -1,      /**< generic failure */
    PD_ENOMEM = -2,     /**< out of memory */
    PD_EINVALID = -3,   /**< invalid argument, path or options version */
    PD_ENOTFOUND = -4,  /**< no such record, field, code or file */
    PD_EEXISTS = -5,    /**< already exists */
    PD_EPARSE = -6,     /**< input could not be decoded; position in pd_error_last() */
    PD_EIO = -7,        /**< operating-system I/O failure */
    PD_ESTORE = -8,     /**< SQLite failure; extended code in pd_error_last()->store_code */
    PD_ECONFLICT = -9,  /**< conflicting change (merge, sync, uniqueness) */
    PD_ESCOPE = -10,    /**< outside the handle's organization scope */
    PD_EVERSION = -11,  /**< file or structure from an unknown (newer) version */
    PD_ELIMIT = -12,    /**< input larger than a documented limit */
    PD_EREADONLY = -13, /**< write on a read-only handle or file */
    PD_EBUSY = -14,     /**< database locked by another connection */
    PD_EFULL = -15,     /**< disk or database full */
    PD_ESIGNATURE = -16,/**< missing or bad signature */
    PD_EUSER = -17,     /**< a callback asked to stop (never produced by the library) */
    PD_EVALIDATION = -18, /**< a record failed validation in strict mode */
    PD_ITEROVER = -31   /**< iteration finished: not an error */
} pd_code;

/** A 16-byte record identifier (UUID; version 7 when the library makes it). */
typedef struct pd_uuid {
    unsigned char bytes[16];
} pd_uuid;

/** Text form of a UUID: 36 characters plus NUL. */
#define PD_UUID_STRLEN 37

/**
 * A partial calendar date: 0 in a part means "unknown", so {1975, 0, 0} is the
 * year 1975 alone. A day is never invented.
 */
typedef struct pd_date {
    int year;  /**< 1..9999, 0 = no date */
    int month; /**< 1..12, 0 = unknown */
    int day;   /**< 1..31, 0 = unknown */
} pd_date;

/** A list of strings owned by the list; release with pd_strarray_dispose(). */
typedef struct pd_strarray {
    char **strings;
    size_t count;
} pd_strarray;

/**
 * Free memory the library allocated for the caller (strings, buffers).
 * @param p  the pointer; NULL is a no-op
 */
PD_EXTERN(void) pd_free(void *p);

/**
 * Free the strings of a pd_strarray and reset it to empty (the struct itself is
 * the caller's). NULL is a no-op.
 */
PD_EXTERN(void) pd_strarray_dispose(pd_strarray *a);

PD_END_DECL

#endif
