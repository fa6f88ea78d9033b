/*
 * record.h: the entities (member, organization, membership, event, residence link)
 * as opaque handles, generic access by field path, copy, equality and diff.
 *
 * Every handle is one record of the schema in partydata.proto. A pd_record is any
 * of them; the typed handles convert to and from pd_record without copying:
 * pd_member_record(m) and pd_record_member(r) return the same object, borrowed.
 *
 * Field paths name fields by their .proto names: "full_name", "birth_date.year",
 * "id_numbers[0].number", "events[2].decision.number". Values cross this API as
 * text: integers in decimal, booleans "true"/"false", enums by their value name
 * ("GENDER_NU") or its short form ("NU"), ids (bytes fields named id / *_id /
 * *_ids) as UUID text, other bytes in base64.
 */
#ifndef PARTYDATA_RECORD_H
#define PARTYDATA_RECORD_H

#include "common.h"

PD_BEGIN_DECL

/** Which entity a record holds; the values are the Record envelope's field numbers. */
typedef enum pd_kind {
    PD_KIND_NONE = 0,
    PD_KIND_MEMBER = 1,
    PD_KIND_ORG = 2,
    PD_KIND_MEMBERSHIP = 3,
    PD_KIND_EVENT = 4,
    PD_KIND_RESIDENCE_LINK = 5
} pd_kind;

/** Mirrors of the schema's enums (values equal the .proto numbers; tested). */
typedef enum pd_gender { PD_GENDER_UNSPECIFIED = 0, PD_GENDER_NAM = 1, PD_GENDER_NU = 2 } pd_gender;

typedef enum pd_status {
    PD_STATUS_UNSPECIFIED = 0,
    PD_STATUS_DU_BI = 1,
    PD_STATUS_CHINH_THUC = 2,
    PD_STATUS_XOA_TEN = 3,
    PD_STATUS_KHAI_TRU = 4,
    PD_STATUS_TU_TRAN = 5
} pd_status;

typedef enum pd_membership_kind {
    PD_MEMBERSHIP_UNSPECIFIED = 0,
    PD_MEMBERSHIP_CHINH_THUC = 1,
    PD_MEMBERSHIP_TAM_THOI = 2
} pd_membership_kind;

typedef struct pd_record pd_record;
typedef struct pd_member pd_member;
typedef struct pd_org pd_org;
typedef struct pd_membership pd_membership;
typedef struct pd_event pd_event;
typedef struct pd_residence_link pd_residence_link;

/* ---- generic records ---------------------------------------------------- */

/**
 * Make an empty record of a kind, with a fresh version-7 id.
 * @param[out] out  the record; free it with pd_record_free()
 * @return 0, PD_EINVALID for an unknown kind, PD_ENOMEM
 */
PD_EXTERN(int) pd_record_new(pd_record **out, pd_kind kind);

/** Free a record and everything in it. NULL is a no-op. */
PD_EXTERN(void) pd_record_free(pd_record *r);

/** @return the kind of r (PD_KIND_NONE for NULL) */
PD_EXTERN(pd_kind) pd_record_kind(const pd_record *r);

/** The kind's name: "member", "organization", "membership", "event", "residence_link". */
PD_EXTERN(const char *) pd_kind_name(pd_kind kind);

/**
 * Deep copy, unknown fields included.
 * @param[out] out  the copy; free it with pd_record_free()
 * @return 0 or PD_ENOMEM
 */
PD_EXTERN(int) pd_record_dup(pd_record **out, const pd_record *r);

/**
 * Field-by-field equality (presence matters: unset differs from set to ""), unknown
 * fields included. Records of different kinds are not equal; NULL equals only NULL.
 * @return 1 if equal, 0 if not
 */
PD_EXTERN(int) pd_record_equal(const pd_record *a, const pd_record *b);

/**
 * The leaf field paths whose values differ between a and b (present in one only,
 * or different), in schema order; repeated fields element by element
 * ("events[1].type") and by count ("events[3]" when one side has more). A message
 * present on one side only lists its set leaves, or its own path if it has none.
 * Unknown fields (from newer schemas) count for pd_record_equal() but have no path
 * and are not listed.
 * @param[out] out  the paths; release with pd_strarray_dispose()
 * @return 0, PD_EINVALID if the kinds differ, PD_ENOMEM
 */
PD_EXTERN(int) pd_record_diff(pd_strarray *out, const pd_record *a, const pd_record *b);

/**
 * Read a field as text.
 * @param[out] out  the value; free it with pd_free()
 * @return 0; PD_ENOTFOUND if the field is not set (or the index is past the end);
 *         PD_EINVALID if the path does not name a scalar field of the schema
 */
PD_EXTERN(int) pd_record_get(char **out, const pd_record *r, const char *path);

/**
 * Set a field from text, making parent messages as needed; index == count appends
 * to a repeated field (of messages or scalars). The previous value is freed. The
 * value is checked before anything is made: a failed set leaves r unchanged.
 * @param value  text as described at the top of this header (copied)
 * @return 0; PD_EINVALID for a bad path, an index past the end, a path naming a
 *         message or a whole repeated field, or a value that does not parse for the
 *         field's type (invalid UTF-8, integer not in ASCII decimal or out of range,
 *         unknown enum name, bad UUID or base64); the error's field path is `path`;
 *         PD_ENOMEM
 */
PD_EXTERN(int) pd_record_set(pd_record *r, const char *path, const char *value);

/**
 * Clear a field: unset a scalar, remove a message, empty a repeated field, or
 * remove one element ("events[2]").
 * @return 0 (also when already clear) or PD_EINVALID for a bad path
 */
PD_EXTERN(int) pd_record_clear(pd_record *r, const char *path);

/** @return 1 if the field at path is set, 0 if not, PD_EINVALID for a bad path */
PD_EXTERN(int) pd_record_has(const pd_record *r, const char *path);

/**
 * Number of elements of a repeated field.
 * @return 0 or PD_EINVALID if path is not a repeated field
 */
PD_EXTERN(int) pd_record_count(size_t *out, const pd_record *r, const char *path);

/** What pd_record_field_type() returns: the type of the value at a path. */
typedef enum pd_field_type {
    PD_FIELD_MESSAGE = 1, /**< a sub-message (not a scalar: no get/set) */
    PD_FIELD_STRING = 2,  /**< UTF-8 text */
    PD_FIELD_INT = 3,     /**< integer, as decimal text */
    PD_FIELD_BOOL = 4,    /**< "true" / "false" */
    PD_FIELD_ENUM = 5,    /**< enum value name */
    PD_FIELD_ID = 6,      /**< bytes holding a 16-byte id, as UUID text */
    PD_FIELD_BYTES = 7,   /**< other bytes, as base64 */
    PD_FIELD_REAL = 8,    /**< floating point (none in the schema today) */
    PD_FIELD_REPEATED = 0x100 /**< flag: the path names a whole repeated field */
} pd_field_type;

/**
 * The type of the field a path names in a kind's schema (the record's content does
 * not matter): a pd_field_type, with PD_FIELD_REPEATED or'ed in when the path ends in
 * a repeated field without an index ("aliases"; "aliases[0]" is the element).
 * @return the type (> 0) or PD_EINVALID for an unknown kind or a bad path
 */
PD_EXTERN(int) pd_record_field_type(pd_kind kind, const char *path);

/**
 * Every leaf (scalar) field path the schema allows below a kind, e.g.
 * "birth_date.year", "aliases[]" and "events[].decision.number" (repeated fields
 * marked "[]"), in schema order (field numbers, depth first). Message fields are
 * not listed themselves, only the scalars below them.
 * @param[out] out  release with pd_strarray_dispose()
 * @return 0, PD_EINVALID for an unknown kind, PD_ENOMEM
 */
PD_EXTERN(int) pd_record_paths(pd_strarray *out, pd_kind kind);

/** The record's id. @return 0, PD_ENOTFOUND if it has none */
PD_EXTERN(int) pd_record_id(pd_uuid *out, const pd_record *r);

/** Set the record's id. @return 0 or PD_ENOMEM */
PD_EXTERN(int) pd_record_set_id(pd_record *r, const pd_uuid *id);

/* ---- conversions (no copy: the same object, borrowed) --------------------- */

/** @return r as a member, or NULL if r holds another kind */
PD_EXTERN(pd_member *) pd_record_member(pd_record *r);
PD_EXTERN(pd_org *) pd_record_org(pd_record *r);
PD_EXTERN(pd_membership *) pd_record_membership(pd_record *r);
PD_EXTERN(pd_event *) pd_record_event(pd_record *r);
PD_EXTERN(pd_residence_link *) pd_record_residence_link(pd_record *r);
/** @return the same object as a generic record (never NULL for non-NULL input) */
PD_EXTERN(pd_record *) pd_member_record(pd_member *m);
PD_EXTERN(pd_record *) pd_org_record(pd_org *o);
PD_EXTERN(pd_record *) pd_membership_record(pd_membership *ms);
PD_EXTERN(pd_record *) pd_event_record(pd_event *e);
PD_EXTERN(pd_record *) pd_residence_link_record(pd_residence_link *l);

/* ---- members ----------------------------------------------------------------
 * Common rules of the typed accessors:
 *  - string getters return a pointer borrowed from the record (valid until the
 *    field changes or the record is freed), NULL when unset; string setters copy,
 *    free the previous value, clear on NULL, and return 0, PD_EINVALID (not UTF-8;
 *    the error's field path names the field) or PD_ENOMEM;
 *  - date getters return 0, or PD_ENOTFOUND with *out zeroed; date setters take a
 *    partial date ({1975,0,0}, {1975,4,0}, {1975,4,30}), clear on NULL or {0,0,0},
 *    set the precision (DATE_PRECISION_YEAR/MONTH/DAY), keep the lunar flag, and
 *    return PD_EINVALID for an impossible date (month 13, 31/04, 29/02 of a common
 *    year, a day without a month, a year outside 1..9999);
 *  - id getters return 0 or PD_ENOTFOUND (*out zeroed); id setters copy the id,
 *    clear on NULL, and return 0, PD_EINVALID (NULL handle) or PD_ENOMEM;
 *  - enum setters return PD_EINVALID for a value outside the enum; *_UNSPECIFIED
 *    unsets the field, and the getters return *_UNSPECIFIED when it is unset;
 *  - every function returns PD_EINVALID for a NULL handle (getters: NULL / 0).
 */

/** New empty member with a fresh id. @param[out] out  free with pd_member_free()
 *  @return 0, PD_EINVALID, PD_ENOMEM */
PD_EXTERN(int) pd_member_new(pd_member **out);
/** Free a member (same as pd_record_free). NULL is a no-op. */
PD_EXTERN(void) pd_member_free(pd_member *m);
/** Deep copy. @param[out] out  free with pd_member_free(). @return 0, PD_EINVALID, PD_ENOMEM */
PD_EXTERN(int) pd_member_dup(pd_member **out, const pd_member *m);
/** The member's id. @return 0 or PD_ENOTFOUND */
PD_EXTERN(int) pd_member_id(pd_uuid *out, const pd_member *m);
/** @return the full name (borrowed) or NULL if unset */
PD_EXTERN(const char *) pd_member_full_name(const pd_member *m);
/** @param name  UTF-8, copied; NULL clears. @return 0, PD_EINVALID (not UTF-8), PD_ENOMEM */
PD_EXTERN(int) pd_member_set_full_name(pd_member *m, const char *name);
/** @return the gender, PD_GENDER_UNSPECIFIED if unset */
PD_EXTERN(pd_gender) pd_member_gender(const pd_member *m);
/** @return 0 or PD_EINVALID (not a pd_gender) */
PD_EXTERN(int) pd_member_set_gender(pd_member *m, pd_gender g);
/** @return 0, or PD_ENOTFOUND if no birth date (out zeroed) */
PD_EXTERN(int) pd_member_birth_date(pd_date *out, const pd_member *m);
/** @param d  a partial date; NULL clears. @return 0, PD_EINVALID (impossible date), PD_ENOMEM */
PD_EXTERN(int) pd_member_set_birth_date(pd_member *m, const pd_date *d);
/** @return the status, PD_STATUS_UNSPECIFIED if unset */
PD_EXTERN(pd_status) pd_member_status(const pd_member *m);
/** @return 0 or PD_EINVALID (not a pd_status) */
PD_EXTERN(int) pd_member_set_status(pd_member *m, pd_status s);
/** The number of the first id_numbers entry of type ID_TYPE_CCCD (borrowed) or NULL. */
PD_EXTERN(const char *) pd_member_cccd(const pd_member *m);
/** Set the CCCD: replaces the number of the first CCCD entry or appends one; NULL
 *  removes every CCCD entry (other id types stay). @return 0, PD_EINVALID, PD_ENOMEM */
PD_EXTERN(int) pd_member_set_cccd(pd_member *m, const char *cccd);
/** @return the party card number (borrowed) or NULL */
PD_EXTERN(const char *) pd_member_party_card_no(const pd_member *m);
/** @param no  UTF-8, copied; NULL clears. @return 0, PD_EINVALID, PD_ENOMEM */
PD_EXTERN(int) pd_member_set_party_card_no(pd_member *m, const char *no);
/** Admission decision date (start of party age). @return 0 or PD_ENOTFOUND */
PD_EXTERN(int) pd_member_admission_decision_date(pd_date *out, const pd_member *m);
/** @return 0, PD_EINVALID (impossible date), PD_ENOMEM */
PD_EXTERN(int) pd_member_set_admission_decision_date(pd_member *m, const pd_date *d);
/** Admission ceremony date ("ngày vào Đảng"). @return 0 or PD_ENOTFOUND */
PD_EXTERN(int) pd_member_admission_date(pd_date *out, const pd_member *m);
/** @return 0, PD_EINVALID (impossible date), PD_ENOMEM */
PD_EXTERN(int) pd_member_set_admission_date(pd_member *m, const pd_date *d);
/** Recognition as official member. @return 0 or PD_ENOTFOUND */
PD_EXTERN(int) pd_member_official_date(pd_date *out, const pd_member *m);
/** @return 0, PD_EINVALID (impossible date), PD_ENOMEM */
PD_EXTERN(int) pd_member_set_official_date(pd_member *m, const pd_date *d);
/** The cell of the open official membership. @return 0 or PD_ENOTFOUND */
PD_EXTERN(int) pd_member_current_org_id(pd_uuid *out, const pd_member *m);
/** @param id  copied; NULL clears. @return 0, PD_EINVALID, PD_ENOMEM */
PD_EXTERN(int) pd_member_set_current_org_id(pd_member *m, const pd_uuid *id);

/* ---- organizations ------------------------------------------------------------ */

/** New empty organization with a fresh id. @param[out] out  free with pd_org_free()
 *  @return 0, PD_EINVALID, PD_ENOMEM */
PD_EXTERN(int) pd_org_new(pd_org **out);
/** Free an organization. NULL is a no-op. */
PD_EXTERN(void) pd_org_free(pd_org *o);
/** Deep copy. @param[out] out  free with pd_org_free(). @return 0, PD_EINVALID, PD_ENOMEM */
PD_EXTERN(int) pd_org_dup(pd_org **out, const pd_org *o);
/** @return 0 or PD_ENOTFOUND */
PD_EXTERN(int) pd_org_id(pd_uuid *out, const pd_org *o);
/** @return the name (borrowed) or NULL */
PD_EXTERN(const char *) pd_org_name(const pd_org *o);
/** @param name  UTF-8, copied; NULL clears. @return 0, PD_EINVALID, PD_ENOMEM */
PD_EXTERN(int) pd_org_set_name(pd_org *o, const char *name);
/** @return 0 or PD_ENOTFOUND (the Central Committee has no parent) */
PD_EXTERN(int) pd_org_parent_id(pd_uuid *out, const pd_org *o);
/** @param id  copied; NULL clears. @return 0, PD_EINVALID, PD_ENOMEM */
PD_EXTERN(int) pd_org_set_parent_id(pd_org *o, const pd_uuid *id);

/* ---- memberships ------------------------------------------------------------------ */

/** New empty membership with a fresh id. @param[out] out  free with pd_membership_free()
 *  @return 0, PD_EINVALID, PD_ENOMEM */
PD_EXTERN(int) pd_membership_new(pd_membership **out);
/** Free a membership. NULL is a no-op. */
PD_EXTERN(void) pd_membership_free(pd_membership *ms);
/** @return 0 or PD_ENOTFOUND */
PD_EXTERN(int) pd_membership_member_id(pd_uuid *out, const pd_membership *ms);
/** @param id  copied; NULL clears. @return 0, PD_EINVALID, PD_ENOMEM */
PD_EXTERN(int) pd_membership_set_member_id(pd_membership *ms, const pd_uuid *id);
/** @return 0 or PD_ENOTFOUND */
PD_EXTERN(int) pd_membership_org_id(pd_uuid *out, const pd_membership *ms);
/** @param id  copied; NULL clears. @return 0, PD_EINVALID, PD_ENOMEM */
PD_EXTERN(int) pd_membership_set_org_id(pd_membership *ms, const pd_uuid *id);
/** @return the kind, PD_MEMBERSHIP_UNSPECIFIED if unset */
PD_EXTERN(pd_membership_kind) pd_membership_kind_of(const pd_membership *ms);
/** @return 0 or PD_EINVALID (not a pd_membership_kind) */
PD_EXTERN(int) pd_membership_set_kind(pd_membership *ms, pd_membership_kind k);

/* ---- events ----------------------------------------------------------------------- */

/** New empty event with a fresh id. @param[out] out  free with pd_event_free()
 *  @return 0, PD_EINVALID, PD_ENOMEM */
PD_EXTERN(int) pd_event_new(pd_event **out);
/** Free an event. NULL is a no-op. */
PD_EXTERN(void) pd_event_free(pd_event *e);
/** The event type's value name ("EVENT_TYPE_KET_NAP"), static, or NULL if unset. */
PD_EXTERN(const char *) pd_event_type_name(const pd_event *e);
/** @param name  "EVENT_TYPE_KET_NAP" or "KET_NAP". @return 0 or PD_EINVALID */
PD_EXTERN(int) pd_event_set_type_name(pd_event *e, const char *name);

/* ---- residence links ------------------------------------------------------------- */

/** New empty residence link with a fresh id.
 *  @param[out] out  free with pd_residence_link_free(). @return 0, PD_EINVALID, PD_ENOMEM */
PD_EXTERN(int) pd_residence_link_new(pd_residence_link **out);
/** Free a residence link. NULL is a no-op. */
PD_EXTERN(void) pd_residence_link_free(pd_residence_link *l);

PD_END_DECL

#endif
