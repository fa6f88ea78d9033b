/*
 * id.h: record identifiers, 16-byte time-ordered UUIDs (version 7 layout).
 */
#ifndef PARTYDATA_ID_H
#define PARTYDATA_ID_H

#include "common.h"

PD_BEGIN_DECL

/**
 * Make a new version-7 UUID: 48 bits of Unix milliseconds, then random bits from
 * libuuid. Ids made by one process are strictly increasing, even within the same
 * millisecond or when the clock steps back. Thread-safe.
 *
 * @param[out] out  the new id
 * @return 0, or PD_EINVALID if out is NULL
 */
PD_EXTERN(int) pd_uuid_new(pd_uuid *out);

/**
 * Parse the canonical text form "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
 * (either case) or 32 hex digits without hyphens.
 *
 * @param[out] out  the id; zeroed on failure
 * @param text      NUL-terminated text
 * @return 0, or PD_EPARSE if text is not a UUID
 */
PD_EXTERN(int) pd_uuid_parse(pd_uuid *out, const char *text);

/**
 * Write the canonical lower-case text form into buf.
 *
 * @param[out] buf  at least PD_UUID_STRLEN bytes
 * @param id        the id
 * @return buf
 */
PD_EXTERN(char *) pd_uuid_format(char *buf, const pd_uuid *id);

/** @return 1 if every byte of id is zero, else 0 */
PD_EXTERN(int) pd_uuid_is_nil(const pd_uuid *id);

/** Compare byte-wise (time order for version-7 ids). @return <0, 0 or >0 */
PD_EXTERN(int) pd_uuid_cmp(const pd_uuid *a, const pd_uuid *b);

/**
 * The Unix time in milliseconds stored in a version-7 id.
 * @return the milliseconds, or -1 if id is not version 7
 */
PD_EXTERN(int64_t) pd_uuid_time_ms(const pd_uuid *id);

PD_END_DECL

#endif
