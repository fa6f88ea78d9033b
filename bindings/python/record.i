/* record.i: bindings of the record module (record.h).
 *
 * Handles cross as SWIG proxies. A proxy made by a `**out` function (pd_record_new,
 * pd_record_dup, pd_member_new ...) owns its record and frees it when collected (the
 * %extend destructors below); proxies returned by the conversions
 * (pd_record_member ...) borrow from their record and never free it. pd_*_free are
 * not bound: Python frees through the owning proxy only, so nothing is freed twice.
 * The Pythonic layer is partydata/_record.py. */
%{
#include "partydata/record.h"
%}

/* opaque handles: no constructor, a destructor that frees the record */
%nodefaultctor pd_record;
%nodefaultctor pd_member;
%nodefaultctor pd_org;
%nodefaultctor pd_membership;
%nodefaultctor pd_event;
%nodefaultctor pd_residence_link;
typedef struct pd_record {} pd_record;
typedef struct pd_member {} pd_member;
typedef struct pd_org {} pd_org;
typedef struct pd_membership {} pd_membership;
typedef struct pd_event {} pd_event;
typedef struct pd_residence_link {} pd_residence_link;
%extend pd_record { ~pd_record() { pd_record_free($self); } }
%extend pd_member { ~pd_member() { pd_member_free($self); } }
%extend pd_org { ~pd_org() { pd_org_free($self); } }
%extend pd_membership { ~pd_membership() { pd_membership_free($self); } }
%extend pd_event { ~pd_event() { pd_event_free($self); } }
%extend pd_residence_link { ~pd_residence_link() { pd_residence_link_free($self); } }

PD_OUT_HANDLE(pd_record)
PD_OUT_HANDLE(pd_member)
PD_OUT_HANDLE(pd_org)
PD_OUT_HANDLE(pd_membership)
PD_OUT_HANDLE(pd_event)
PD_OUT_HANDLE(pd_residence_link)

typedef enum pd_kind {
    PD_KIND_NONE = 0,
    PD_KIND_MEMBER = 1,
    PD_KIND_ORG = 2,
    PD_KIND_MEMBERSHIP = 3,
    PD_KIND_EVENT = 4,
    PD_KIND_RESIDENCE_LINK = 5
} pd_kind;
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
typedef enum pd_field_type {
    PD_FIELD_MESSAGE = 1,
    PD_FIELD_STRING = 2,
    PD_FIELD_INT = 3,
    PD_FIELD_BOOL = 4,
    PD_FIELD_ENUM = 5,
    PD_FIELD_ID = 6,
    PD_FIELD_BYTES = 7,
    PD_FIELD_REAL = 8,
    PD_FIELD_REPEATED = 0x100
} pd_field_type;

/* generic records */
pd_rc pd_record_new(pd_record **out, pd_kind kind);
pd_kind pd_record_kind(const pd_record *r);
const char *pd_kind_name(pd_kind kind);
pd_rc pd_record_dup(pd_record **out, const pd_record *r);
int pd_record_equal(const pd_record *a, const pd_record *b);
pd_rc pd_record_diff(pd_strarray *out, const pd_record *a, const pd_record *b);
pd_rc pd_record_get(char **out, const pd_record *r, const char *path);
pd_rc pd_record_set(pd_record *r, const char *path, const char *value);
pd_rc pd_record_clear(pd_record *r, const char *path);
pd_rc pd_record_count(size_t *out, const pd_record *r, const char *path);
pd_rc pd_record_paths(pd_strarray *out, pd_kind kind);
pd_rc pd_record_id(pd_uuid *out, const pd_record *r);
pd_rc pd_record_set_id(pd_record *r, const pd_uuid *id);
%inline %{
/* pd_record_has / pd_record_field_type return a value or a negative code: these
 * raise on the code and return the value. */
pd_rc pd_py_record_has(size_t *out, const pd_record *r, const char *path)
{
    int rc = pd_record_has(r, path);
    if (rc < 0)
        return rc;
    *out = (size_t)rc;
    return 0;
}
pd_rc pd_py_record_field_type(size_t *out, pd_kind kind, const char *path)
{
    int rc = pd_record_field_type(kind, path);
    if (rc < 0)
        return rc;
    *out = (size_t)rc;
    return 0;
}
%}

/* conversions: borrowed proxies */
pd_member *pd_record_member(pd_record *r);
pd_org *pd_record_org(pd_record *r);
pd_membership *pd_record_membership(pd_record *r);
pd_event *pd_record_event(pd_record *r);
pd_residence_link *pd_record_residence_link(pd_record *r);
pd_record *pd_member_record(pd_member *m);
pd_record *pd_org_record(pd_org *o);
pd_record *pd_membership_record(pd_membership *ms);
pd_record *pd_event_record(pd_event *e);
pd_record *pd_residence_link_record(pd_residence_link *l);

/* members */
pd_rc pd_member_new(pd_member **out);
pd_rc pd_member_dup(pd_member **out, const pd_member *m);
pd_rc pd_member_id(pd_uuid *out, const pd_member *m);
const char *pd_member_full_name(const pd_member *m);
pd_rc pd_member_set_full_name(pd_member *m, const char *name);
pd_gender pd_member_gender(const pd_member *m);
pd_rc pd_member_set_gender(pd_member *m, pd_gender g);
pd_rc pd_member_birth_date(pd_date *out, const pd_member *m);
pd_rc pd_member_set_birth_date(pd_member *m, const pd_date *d);
pd_status pd_member_status(const pd_member *m);
pd_rc pd_member_set_status(pd_member *m, pd_status s);
const char *pd_member_cccd(const pd_member *m);
pd_rc pd_member_set_cccd(pd_member *m, const char *cccd);
const char *pd_member_party_card_no(const pd_member *m);
pd_rc pd_member_set_party_card_no(pd_member *m, const char *no);
pd_rc pd_member_admission_decision_date(pd_date *out, const pd_member *m);
pd_rc pd_member_set_admission_decision_date(pd_member *m, const pd_date *d);
pd_rc pd_member_admission_date(pd_date *out, const pd_member *m);
pd_rc pd_member_set_admission_date(pd_member *m, const pd_date *d);
pd_rc pd_member_official_date(pd_date *out, const pd_member *m);
pd_rc pd_member_set_official_date(pd_member *m, const pd_date *d);
pd_rc pd_member_current_org_id(pd_uuid *out, const pd_member *m);
pd_rc pd_member_set_current_org_id(pd_member *m, const pd_uuid *id);

/* organizations */
pd_rc pd_org_new(pd_org **out);
pd_rc pd_org_dup(pd_org **out, const pd_org *o);
pd_rc pd_org_id(pd_uuid *out, const pd_org *o);
const char *pd_org_name(const pd_org *o);
pd_rc pd_org_set_name(pd_org *o, const char *name);
pd_rc pd_org_parent_id(pd_uuid *out, const pd_org *o);
pd_rc pd_org_set_parent_id(pd_org *o, const pd_uuid *id);

/* memberships */
pd_rc pd_membership_new(pd_membership **out);
pd_rc pd_membership_member_id(pd_uuid *out, const pd_membership *ms);
pd_rc pd_membership_set_member_id(pd_membership *ms, const pd_uuid *id);
pd_rc pd_membership_org_id(pd_uuid *out, const pd_membership *ms);
pd_rc pd_membership_set_org_id(pd_membership *ms, const pd_uuid *id);
pd_membership_kind pd_membership_kind_of(const pd_membership *ms);
pd_rc pd_membership_set_kind(pd_membership *ms, pd_membership_kind k);

/* events */
pd_rc pd_event_new(pd_event **out);
const char *pd_event_type_name(const pd_event *e);
pd_rc pd_event_set_type_name(pd_event *e, const char *name);

/* residence links */
pd_rc pd_residence_link_new(pd_residence_link **out);
