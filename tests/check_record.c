/* check_record.c: record handles, field paths, copy, equality, diff.
 *
 * Linked statically (mk/record.am) so that the tests can also reach the generated
 * protobuf-c descriptors, which the shared library does not export: the enum
 * mirrors are checked against them and unknown fields are made with them. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "partydata/partydata.h"
#include "partydata.pb-c.h"

#define OK(x) ck_assert_int_eq((x), 0)

static pd_record *new_rec(pd_kind k)
{
    pd_record *r = NULL;
    OK(pd_record_new(&r, k));
    ck_assert_ptr_nonnull(r);
    return r;
}

/* r[path] as text, or NULL if not set (the string is freed at the next call) */
static const char *get(const pd_record *r, const char *path)
{
    static char *last;
    pd_free(last);
    last = NULL;
    int rc = pd_record_get(&last, r, path);
    if (rc == PD_ENOTFOUND) {
        ck_assert_ptr_null(last);
        return NULL;
    }
    ck_assert_msg(rc == 0, "get %s: %d %s", path, rc, pd_error_last()->message);
    return last;
}

static void set(pd_record *r, const char *path, const char *v)
{
    int rc = pd_record_set(r, path, v);
    ck_assert_msg(rc == 0, "set %s=%s: %d %s", path, v, rc, pd_error_last()->message);
}

static void assert_einvalid_at(int rc, const char *path)
{
    ck_assert_int_eq(rc, PD_EINVALID);
    ck_assert_int_eq(pd_error_last()->code, PD_EINVALID);
    ck_assert_ptr_nonnull(pd_error_last()->field_path);
    ck_assert_str_eq(pd_error_last()->field_path, path);
}

static int strarray_has(const pd_strarray *a, const char *s)
{
    for (size_t i = 0; i < a->count; i++)
        if (strcmp(a->strings[i], s) == 0)
            return 1;
    return 0;
}

/* ---- new / kind / conversions ------------------------------------------------ */

START_TEST(test_record_new_every_kind)
{
    static const char *names[] = {"none", "member", "organization", "membership", "event",
                                  "residence_link"};
    for (int k = PD_KIND_MEMBER; k <= PD_KIND_RESIDENCE_LINK; k++) {
        pd_record *r = new_rec((pd_kind)k);
        ck_assert_int_eq(pd_record_kind(r), k);
        ck_assert_str_eq(pd_kind_name((pd_kind)k), names[k]);
        pd_uuid id;
        OK(pd_record_id(&id, r));
        ck_assert_int_eq(id.bytes[6] >> 4, 7);
        ck_assert_int_eq(pd_record_has(r, "id"), 1);
        pd_record_free(r);
    }
    ck_assert_str_eq(pd_kind_name(PD_KIND_NONE), "none");
}
END_TEST

START_TEST(test_record_new_fresh_ids)
{
    pd_record *a = new_rec(PD_KIND_MEMBER), *b = new_rec(PD_KIND_MEMBER);
    pd_uuid x, y;
    OK(pd_record_id(&x, a));
    OK(pd_record_id(&y, b));
    ck_assert_int_lt(pd_uuid_cmp(&x, &y), 0);
    ck_assert_int_eq(pd_record_equal(a, b), 0);
    pd_record_free(a);
    pd_record_free(b);
}
END_TEST

START_TEST(test_record_new_invalid_kind)
{
    pd_record *r = (pd_record *)1;
    ck_assert_int_eq(pd_record_new(&r, PD_KIND_NONE), PD_EINVALID);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(pd_record_new(&r, (pd_kind)99), PD_EINVALID);
    ck_assert_int_eq(pd_record_new(NULL, PD_KIND_MEMBER), PD_EINVALID);
    ck_assert_int_eq(pd_record_kind(NULL), PD_KIND_NONE);
    pd_record_free(NULL);
}
END_TEST

START_TEST(test_record_conversions_same_object)
{
    pd_record *r = new_rec(PD_KIND_MEMBER);
    pd_member *m = pd_record_member(r);
    ck_assert_ptr_eq((void *)m, (void *)r);
    ck_assert_ptr_eq(pd_member_record(m), r);
    ck_assert_ptr_null(pd_record_org(r));
    ck_assert_ptr_null(pd_record_membership(r));
    ck_assert_ptr_null(pd_record_event(r));
    ck_assert_ptr_null(pd_record_residence_link(r));
    ck_assert_ptr_null(pd_record_member(NULL));
    pd_record_free(r);

    pd_org *o;
    OK(pd_org_new(&o));
    ck_assert_ptr_eq(pd_record_org(pd_org_record(o)), o);
    ck_assert_int_eq(pd_record_kind(pd_org_record(o)), PD_KIND_ORG);
    pd_org_free(o);
    pd_membership *ms;
    OK(pd_membership_new(&ms));
    ck_assert_ptr_eq(pd_record_membership(pd_membership_record(ms)), ms);
    pd_membership_free(ms);
    pd_event *e;
    OK(pd_event_new(&e));
    ck_assert_ptr_eq(pd_record_event(pd_event_record(e)), e);
    pd_event_free(e);
    pd_residence_link *l;
    OK(pd_residence_link_new(&l));
    ck_assert_ptr_eq(pd_record_residence_link(pd_residence_link_record(l)), l);
    ck_assert_int_eq(pd_record_kind(pd_residence_link_record(l)), PD_KIND_RESIDENCE_LINK);
    pd_residence_link_free(l);
}
END_TEST

/* ---- get / set ---------------------------------------------------------------------- */

START_TEST(test_record_set_get_string_replaces)
{
    pd_record *r = new_rec(PD_KIND_MEMBER);
    ck_assert_ptr_null(get(r, "full_name"));
    ck_assert_int_eq(pd_record_get(&(char *){NULL}, r, "full_name"), PD_ENOTFOUND);
    ck_assert_str_eq(pd_error_last()->field_path, "full_name");
    set(r, "full_name", "Nguyễn Văn An");
    ck_assert_str_eq(get(r, "full_name"), "Nguyễn Văn An");
    set(r, "full_name", "Trần Thị Bình");
    ck_assert_str_eq(get(r, "full_name"), "Trần Thị Bình");
    ck_assert_str_eq(pd_member_full_name(pd_record_member(r)), "Trần Thị Bình");
    set(r, "full_name", "");
    ck_assert_str_eq(get(r, "full_name"), "");
    ck_assert_int_eq(pd_record_has(r, "full_name"), 1);
    pd_record_free(r);
}
END_TEST

START_TEST(test_record_set_invalid_utf8)
{
    pd_record *r = new_rec(PD_KIND_MEMBER);
    set(r, "full_name", "An");
    assert_einvalid_at(pd_record_set(r, "full_name", "Nguy\xff"), "full_name");
    ck_assert_ptr_nonnull(strstr(pd_error_last()->message, "UTF-8"));
    assert_einvalid_at(pd_record_set(r, "full_name", "\xc3\x28"), "full_name");
    assert_einvalid_at(pd_record_set(r, "full_name", "\xed\xa0\x80"), "full_name"); /* surrogate */
    assert_einvalid_at(pd_record_set(r, "full_name", "\xc0\xaf"), "full_name");     /* overlong */
    assert_einvalid_at(pd_record_set(r, "events[0].reason", "\xff"), "events[0].reason");
    ck_assert_str_eq(get(r, "full_name"), "An"); /* unchanged */
    size_t n = 9;
    OK(pd_record_count(&n, r, "events"));
    ck_assert_uint_eq(n, 0); /* nothing made for a rejected value */
    pd_record_free(r);
}
END_TEST

START_TEST(test_record_set_nested_creates_parents)
{
    pd_record *r = new_rec(PD_KIND_MEMBER);
    ck_assert_int_eq(pd_record_has(r, "birth_date"), 0);
    ck_assert_ptr_null(get(r, "birth_date.year"));
    set(r, "birth_date.year", "1975");
    ck_assert_int_eq(pd_record_has(r, "birth_date"), 1);
    ck_assert_int_eq(pd_record_has(r, "birth_date.month"), 0);
    ck_assert_str_eq(get(r, "birth_date.year"), "1975");
    set(r, "hometown.province_code", "01");
    ck_assert_str_eq(get(r, "hometown.province_code"), "01");
    set(r, "provenance.revision", "9223372036854775807");
    ck_assert_str_eq(get(r, "provenance.revision"), "9223372036854775807");
    set(r, "provenance.base_revision", "-9223372036854775808");
    ck_assert_str_eq(get(r, "provenance.base_revision"), "-9223372036854775808");
    pd_date d;
    OK(pd_member_birth_date(&d, pd_record_member(r)));
    ck_assert_int_eq(d.year, 1975);
    ck_assert_int_eq(d.month, 0);
    pd_record_free(r);
}
END_TEST

START_TEST(test_record_set_repeated_append_and_index)
{
    pd_record *r = new_rec(PD_KIND_MEMBER);
    set(r, "events[0].decision.number", "12-QĐ/TU");
    set(r, "events[1].type", "KET_NAP");
    set(r, "events[2].decision.number", "7-QĐ/HU");
    size_t n = 0;
    OK(pd_record_count(&n, r, "events"));
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(get(r, "events[2].decision.number"), "7-QĐ/HU");
    ck_assert_str_eq(get(r, "events[1].type"), "EVENT_TYPE_KET_NAP");
    ck_assert_ptr_null(get(r, "events[1].decision.number"));
    ck_assert_ptr_null(get(r, "events[7].decision.number"));
    set(r, "events[2].decision.number", "8-QĐ/HU"); /* replace */
    ck_assert_str_eq(get(r, "events[2].decision.number"), "8-QĐ/HU");
    /* past the end (not an append) */
    assert_einvalid_at(pd_record_set(r, "events[4].type", "KET_NAP"), "events[4].type");
    assert_einvalid_at(pd_record_set(r, "events[5].decision.number", "x"),
                       "events[5].decision.number");
    OK(pd_record_count(&n, r, "events"));
    ck_assert_uint_eq(n, 3);
    /* repeated scalars */
    set(r, "aliases[0]", "Ba");
    set(r, "aliases[1]", "Tư");
    assert_einvalid_at(pd_record_set(r, "aliases[3]", "x"), "aliases[3]");
    ck_assert_str_eq(get(r, "aliases[1]"), "Tư");
    set(r, "aliases[0]", "Bảy");
    ck_assert_str_eq(get(r, "aliases[0]"), "Bảy");
    ck_assert_ptr_null(get(r, "aliases[2]"));
    /* id_numbers */
    set(r, "id_numbers[0].type", "ID_TYPE_CMND9");
    set(r, "id_numbers[0].number", "012345678");
    ck_assert_str_eq(get(r, "id_numbers[0].number"), "012345678");
    set(r, "id_numbers[0].issued.year", "2001");
    ck_assert_str_eq(get(r, "id_numbers[0].issued.year"), "2001");
    pd_record_free(r);
}
END_TEST

START_TEST(test_record_set_enum_full_and_short)
{
    pd_record *r = new_rec(PD_KIND_MEMBER);
    set(r, "gender", "NU");
    ck_assert_str_eq(get(r, "gender"), "GENDER_NU");
    ck_assert_int_eq(pd_member_gender(pd_record_member(r)), PD_GENDER_NU);
    set(r, "gender", "GENDER_NAM");
    ck_assert_int_eq(pd_member_gender(pd_record_member(r)), PD_GENDER_NAM);
    set(r, "status", "CHINH_THUC");
    ck_assert_str_eq(get(r, "status"), "MEMBER_STATUS_CHINH_THUC");
    set(r, "birth_date.precision", "MONTH");
    ck_assert_str_eq(get(r, "birth_date.precision"), "DATE_PRECISION_MONTH");
    set(r, "ethnicity.list", "ETHNIC_LIST_1979");
    ck_assert_str_eq(get(r, "ethnicity.list"), "ETHNIC_LIST_1979");
    assert_einvalid_at(pd_record_set(r, "gender", "FEMALE"), "gender");
    assert_einvalid_at(pd_record_set(r, "gender", "nu"), "gender");
    assert_einvalid_at(pd_record_set(r, "status", "GENDER_NU"), "status");
    /* numbers are accepted; one outside the list survives as a number */
    set(r, "gender", "2");
    ck_assert_str_eq(get(r, "gender"), "GENDER_NU");
    set(r, "gender", "77");
    ck_assert_str_eq(get(r, "gender"), "77");
    pd_record_free(r);
}
END_TEST

START_TEST(test_record_set_ids_as_uuid_text)
{
    pd_record *r = new_rec(PD_KIND_MEMBER);
    const char *u = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    set(r, "current_org_id", "0190A1B2C3D47E5F8A9B0C1D2E3F4A5B");
    ck_assert_str_eq(get(r, "current_org_id"), u);
    set(r, "introducer_ids[0]", u);
    ck_assert_str_eq(get(r, "introducer_ids[0]"), u);
    set(r, "events[0].subject_id", u);
    ck_assert_str_eq(get(r, "events[0].subject_id"), u);
    set(r, "events[0].decision.issuer_id", u);
    ck_assert_str_eq(get(r, "events[0].decision.issuer_id"), u);
    set(r, "id", u);
    ck_assert_str_eq(get(r, "id"), u);
    pd_uuid id;
    OK(pd_record_id(&id, r));
    char buf[PD_UUID_STRLEN];
    ck_assert_str_eq(pd_uuid_format(buf, &id), u);
    assert_einvalid_at(pd_record_set(r, "current_org_id", "not-a-uuid"), "current_org_id");
    assert_einvalid_at(pd_record_set(r, "id", "aGVsbG8="), "id");
    ck_assert_str_eq(get(r, "current_org_id"), u);
    pd_record_free(r);
}
END_TEST

START_TEST(test_record_set_bytes_base64)
{
    pd_record *r = new_rec(PD_KIND_MEMBER);
    set(r, "photo", "aGVsbG8=");
    ck_assert_str_eq(get(r, "photo"), "aGVsbG8=");
    set(r, "photo", "");
    ck_assert_str_eq(get(r, "photo"), "");
    ck_assert_int_eq(pd_record_has(r, "photo"), 1);
    assert_einvalid_at(pd_record_set(r, "photo", "a*b"), "photo");
    assert_einvalid_at(pd_record_set(r, "photo", "aGVsbG8"), "photo");
    pd_record_free(r);
}
END_TEST

START_TEST(test_record_set_integers_checked)
{
    pd_record *r = new_rec(PD_KIND_MEMBER);
    set(r, "birth_date.year", "-5");
    ck_assert_str_eq(get(r, "birth_date.year"), "-5");
    set(r, "birth_date.year", "2147483647");
    ck_assert_str_eq(get(r, "birth_date.year"), "2147483647");
    set(r, "birth_date.day", "-2147483648");
    static const char *bad[] = {"2147483648", "-2147483649", "abc", "", " 5", "5 ", "+5",
                                "1e3", "0x10", "1.5", "-", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_einvalid_at(pd_record_set(r, "birth_date.year", bad[i]), "birth_date.year");
    ck_assert_str_eq(get(r, "birth_date.year"), "2147483647");
    assert_einvalid_at(pd_record_set(r, "provenance.revision", "9223372036854775808"),
                       "provenance.revision");
    set(r, "is_213", "true");
    ck_assert_str_eq(get(r, "is_213"), "true");
    set(r, "is_213", "false");
    ck_assert_str_eq(get(r, "is_213"), "false");
    ck_assert_int_eq(pd_record_has(r, "is_213"), 1);
    assert_einvalid_at(pd_record_set(r, "is_213", "yes"), "is_213");
    assert_einvalid_at(pd_record_set(r, "is_213", "1"), "is_213");
    pd_record_free(r);
}
END_TEST

START_TEST(test_record_bad_paths)
{
    pd_record *r = new_rec(PD_KIND_MEMBER);
    char *s = NULL;
    static const char *bad[] = {"nope", "full_name.x", "events.type", "full_name[0]", "",
                                "events[", "events[0", "events[x]", "events[0]x",
                                "birth_date..year", "birth_date.", ".year",
                                "events[0].decision.nope", "birth_date.year.x",
                                "events[-1].type"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_einvalid_at(pd_record_get(&s, r, bad[i]), bad[i]);
        ck_assert_ptr_null(s);
        assert_einvalid_at(pd_record_set(r, bad[i], "1"), bad[i]);
        assert_einvalid_at(pd_record_clear(r, bad[i]), bad[i]);
        assert_einvalid_at(pd_record_has(r, bad[i]), bad[i]);
    }
    ck_assert_ptr_nonnull(strstr((pd_record_get(&s, r, "nope"), pd_error_last()->message),
                                 "nope"));
    /* a message or a whole repeated field is not a scalar */
    assert_einvalid_at(pd_record_get(&s, r, "birth_date"), "birth_date");
    assert_einvalid_at(pd_record_set(r, "birth_date", "1975"), "birth_date");
    assert_einvalid_at(pd_record_get(&s, r, "aliases"), "aliases");
    assert_einvalid_at(pd_record_set(r, "aliases", "x"), "aliases");
    assert_einvalid_at(pd_record_set(r, "events[0]", "x"), "events[0]");
    ck_assert_int_eq(pd_record_set(r, "full_name", NULL), PD_EINVALID);
    ck_assert_int_eq(pd_record_get(&s, NULL, "full_name"), PD_EINVALID);
    ck_assert_int_eq(pd_record_get(NULL, r, "full_name"), PD_EINVALID);
    ck_assert_int_eq(pd_record_set(NULL, "full_name", "x"), PD_EINVALID);
    ck_assert_int_eq(pd_record_has(NULL, "full_name"), PD_EINVALID);
    ck_assert_int_eq(pd_record_set(r, NULL, "x"), PD_EINVALID);
    /* nothing was created by the failures */
    pd_record *fresh = new_rec(PD_KIND_MEMBER);
    OK(pd_record_set_id(fresh, &(pd_uuid){{0}}));
    pd_uuid id;
    OK(pd_record_id(&id, r));
    OK(pd_record_set_id(fresh, &id));
    ck_assert_int_eq(pd_record_equal(r, fresh), 1);
    pd_record_free(fresh);
    pd_record_free(r);
}
END_TEST

START_TEST(test_record_paths_of_other_kinds)
{
    pd_record *o = new_rec(PD_KIND_ORG);
    set(o, "name", "Chi bộ 1");
    set(o, "predecessor_ids[0]", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    set(o, "founding_decision.signed.year", "1990");
    set(o, "events[0].type", "THANH_LAP");
    ck_assert_str_eq(get(o, "events[0].type"), "EVENT_TYPE_THANH_LAP");
    assert_einvalid_at(pd_record_set(o, "full_name", "x"), "full_name");
    pd_record *ms = new_rec(PD_KIND_MEMBERSHIP);
    set(ms, "from.year", "2001");
    set(ms, "kind", "TAM_THOI");
    ck_assert_int_eq(pd_membership_kind_of(pd_record_membership(ms)), PD_MEMBERSHIP_TAM_THOI);
    pd_record *l = new_rec(PD_KIND_RESIDENCE_LINK);
    set(l, "note", "đảng viên 213");
    ck_assert_str_eq(get(l, "note"), "đảng viên 213");
    pd_record_free(o);
    pd_record_free(ms);
    pd_record_free(l);
}
END_TEST

/* ---- clear / has / count ------------------------------------------------------------ */

START_TEST(test_record_clear_scalar_message_repeated)
{
    pd_record *r = new_rec(PD_KIND_MEMBER);
    set(r, "full_name", "An");
    set(r, "gender", "NAM");
    set(r, "birth_date.year", "1970");
    set(r, "photo", "aGk=");
    OK(pd_record_clear(r, "full_name"));
    ck_assert_int_eq(pd_record_has(r, "full_name"), 0);
    OK(pd_record_clear(r, "gender"));
    ck_assert_int_eq(pd_record_has(r, "gender"), 0);
    ck_assert_int_eq(pd_member_gender(pd_record_member(r)), PD_GENDER_UNSPECIFIED);
    OK(pd_record_clear(r, "photo"));
    ck_assert_int_eq(pd_record_has(r, "photo"), 0);
    OK(pd_record_clear(r, "birth_date.year"));
    ck_assert_int_eq(pd_record_has(r, "birth_date"), 1);
    OK(pd_record_clear(r, "birth_date"));
    ck_assert_int_eq(pd_record_has(r, "birth_date"), 0);
    /* already clear, absent parents */
    OK(pd_record_clear(r, "birth_date"));
    OK(pd_record_clear(r, "hometown.text"));
    OK(pd_record_clear(r, "events[3].type"));
    OK(pd_record_clear(r, "events"));
    ck_assert_int_eq(pd_record_has(r, "hometown"), 0); /* clear makes nothing */
    pd_record_free(r);
}
END_TEST

START_TEST(test_record_clear_one_element)
{
    pd_record *r = new_rec(PD_KIND_MEMBER);
    set(r, "events[0].note", "a");
    set(r, "events[1].note", "b");
    set(r, "events[2].note", "c");
    set(r, "aliases[0]", "x");
    set(r, "aliases[1]", "y");
    OK(pd_record_clear(r, "events[1]"));
    size_t n = 0;
    OK(pd_record_count(&n, r, "events"));
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(get(r, "events[0].note"), "a");
    ck_assert_str_eq(get(r, "events[1].note"), "c");
    OK(pd_record_clear(r, "events[5]")); /* past the end: nothing */
    OK(pd_record_count(&n, r, "events"));
    ck_assert_uint_eq(n, 2);
    OK(pd_record_clear(r, "aliases[0]"));
    ck_assert_str_eq(get(r, "aliases[0]"), "y");
    OK(pd_record_clear(r, "aliases[0]"));
    OK(pd_record_count(&n, r, "aliases"));
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(pd_record_has(r, "aliases"), 0);
    set(r, "aliases[0]", "z"); /* usable after emptying */
    ck_assert_str_eq(get(r, "aliases[0]"), "z");
    OK(pd_record_clear(r, "events"));
    OK(pd_record_count(&n, r, "events"));
    ck_assert_uint_eq(n, 0);
    pd_record_free(r);
}
END_TEST

START_TEST(test_record_has_and_count)
{
    pd_record *r = new_rec(PD_KIND_MEMBER);
    ck_assert_int_eq(pd_record_has(r, "events"), 0);
    ck_assert_int_eq(pd_record_has(r, "events[0]"), 0);
    ck_assert_int_eq(pd_record_has(r, "events[0].type"), 0);
    set(r, "events[0].type", "KET_NAP");
    ck_assert_int_eq(pd_record_has(r, "events"), 1);
    ck_assert_int_eq(pd_record_has(r, "events[0]"), 1);
    ck_assert_int_eq(pd_record_has(r, "events[1]"), 0);
    ck_assert_int_eq(pd_record_has(r, "events[0].type"), 1);
    ck_assert_int_eq(pd_record_has(r, "events[0].decision"), 0);
    set(r, "contacts.phones[0]", "0912345678");
    size_t n = 7;
    OK(pd_record_count(&n, r, "contacts.phones"));
    ck_assert_uint_eq(n, 1);
    OK(pd_record_count(&n, r, "contacts.emails"));
    ck_assert_uint_eq(n, 0);
    OK(pd_record_count(&n, r, "family"));
    ck_assert_uint_eq(n, 0);
    OK(pd_record_count(&n, r, "memberships"));
    ck_assert_uint_eq(n, 0);
    assert_einvalid_at(pd_record_count(&n, r, "full_name"), "full_name");
    assert_einvalid_at(pd_record_count(&n, r, "events[0]"), "events[0]");
    assert_einvalid_at(pd_record_count(&n, r, "nope"), "nope");
    ck_assert_int_eq(pd_record_count(NULL, r, "events"), PD_EINVALID);
    pd_record_free(r);
}
END_TEST

/* ---- dup / equal -------------------------------------------------------------------- */

static pd_record *sample_member(void)
{
    pd_record *r = new_rec(PD_KIND_MEMBER);
    set(r, "full_name", "Lê Văn Cường");
    set(r, "gender", "NAM");
    set(r, "birth_date.year", "1968");
    set(r, "birth_date.month", "3");
    set(r, "aliases[0]", "Ba Cường");
    set(r, "id_numbers[0].type", "CCCD");
    set(r, "id_numbers[0].number", "001068012345");
    set(r, "events[0].type", "KET_NAP");
    set(r, "events[0].decision.number", "12-QĐ/TU");
    set(r, "events[1].type", "LE_KET_NAP");
    set(r, "photo", "AAEC");
    set(r, "introducer_ids[0]", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    set(r, "provenance.revision", "3");
    set(r, "is_213", "false");
    return r;
}

START_TEST(test_record_dup_equal)
{
    pd_record *a = sample_member(), *b = NULL;
    OK(pd_record_dup(&b, a));
    ck_assert_ptr_ne(a, b);
    ck_assert_int_eq(pd_record_equal(a, b), 1);
    ck_assert_int_eq(pd_record_equal(a, a), 1);
    /* deep: changing the copy leaves the original */
    set(b, "events[0].decision.number", "13-QĐ/TU");
    ck_assert_str_eq(get(a, "events[0].decision.number"), "12-QĐ/TU");
    ck_assert_int_eq(pd_record_equal(a, b), 0);
    pd_record_free(b);
    pd_member *m = NULL;
    OK(pd_member_dup(&m, pd_record_member(a)));
    ck_assert_int_eq(pd_record_equal(a, pd_member_record(m)), 1);
    pd_member_free(m);
    ck_assert_int_eq(pd_record_dup(&b, NULL), PD_EINVALID);
    ck_assert_ptr_null(b);
    ck_assert_int_eq(pd_record_dup(NULL, a), PD_EINVALID);
    pd_record_free(a);
}
END_TEST

START_TEST(test_record_equal_presence_matters)
{
    pd_record *a = new_rec(PD_KIND_MEMBER), *b = NULL;
    OK(pd_record_dup(&b, a));
    set(a, "full_name", "");
    ck_assert_int_eq(pd_record_equal(a, b), 0); /* unset vs empty */
    set(b, "full_name", "");
    ck_assert_int_eq(pd_record_equal(a, b), 1);
    set(a, "is_213", "false");
    ck_assert_int_eq(pd_record_equal(a, b), 0); /* unset vs false */
    set(b, "is_213", "false");
    set(a, "gender", "UNSPECIFIED");
    ck_assert_int_eq(pd_record_equal(a, b), 0); /* unset vs 0 */
    OK(pd_record_clear(a, "gender"));
    set(a, "birth_date.year", "1");
    OK(pd_record_clear(a, "birth_date.year"));
    ck_assert_int_eq(pd_record_equal(a, b), 0); /* an empty message vs none */
    OK(pd_record_clear(a, "birth_date"));
    ck_assert_int_eq(pd_record_equal(a, b), 1);
    set(a, "aliases[0]", "x");
    set(b, "aliases[0]", "x");
    set(b, "aliases[1]", "x");
    ck_assert_int_eq(pd_record_equal(a, b), 0);
    ck_assert_int_eq(pd_record_equal(a, NULL), 0);
    ck_assert_int_eq(pd_record_equal(NULL, NULL), 1);
    pd_record *o = new_rec(PD_KIND_ORG);
    ck_assert_int_eq(pd_record_equal(a, o), 0);
    pd_record_free(o);
    pd_record_free(a);
    pd_record_free(b);
}
END_TEST

/* A member with unknown fields, as a newer schema's writer would send it. */
static pd_record *member_with_unknown(const char *extra, size_t extra_len)
{
    pd_record *r = sample_member();
    size_t len = protobuf_c_message_get_packed_size((const ProtobufCMessage *)r);
    unsigned char *buf = malloc(len + extra_len);
    protobuf_c_message_pack((const ProtobufCMessage *)r, buf);
    memcpy(buf + len, extra, extra_len);
    ProtobufCMessage *u =
        protobuf_c_message_unpack(&pd__pb__member__descriptor, NULL, len + extra_len, buf);
    free(buf);
    pd_record_free(r);
    ck_assert_ptr_nonnull(u);
    return (pd_record *)u;
}

START_TEST(test_record_dup_keeps_unknown_fields)
{
    /* field 1000, varint 5; field 1001, length-delimited "hi" */
    static const char extra[] = "\xc0\x3e\x05\xca\x3e\x02hi";
    pd_record *a = member_with_unknown(extra, sizeof extra - 1), *b = NULL;
    ck_assert_uint_eq(((ProtobufCMessage *)a)->n_unknown_fields, 2);
    OK(pd_record_dup(&b, a));
    ck_assert_uint_eq(((ProtobufCMessage *)b)->n_unknown_fields, 2);
    ck_assert_int_eq(pd_record_equal(a, b), 1);
    /* and they pack to the same bytes */
    size_t la = protobuf_c_message_get_packed_size((ProtobufCMessage *)a);
    size_t lb = protobuf_c_message_get_packed_size((ProtobufCMessage *)b);
    ck_assert_uint_eq(la, lb);
    unsigned char *pa = malloc(la), *pb = malloc(lb);
    protobuf_c_message_pack((ProtobufCMessage *)a, pa);
    protobuf_c_message_pack((ProtobufCMessage *)b, pb);
    ck_assert_int_eq(memcmp(pa, pb, la), 0);
    free(pa);
    free(pb);
    /* unknown fields take part in equality (not in diff paths) */
    static const char other[] = "\xc0\x3e\x06\xca\x3e\x02hi";
    pd_record *c = member_with_unknown(other, sizeof other - 1);
    OK(pd_record_set_id(c, &(pd_uuid){{0}}));
    pd_uuid id;
    OK(pd_record_id(&id, a));
    OK(pd_record_set_id(c, &id));
    ck_assert_int_eq(pd_record_equal(a, c), 0);
    pd_strarray d = {0};
    OK(pd_record_diff(&d, a, c));
    ck_assert_uint_eq(d.count, 0);
    pd_strarray_dispose(&d);
    pd_record_free(a);
    pd_record_free(b);
    pd_record_free(c);
}
END_TEST

/* ---- diff ----------------------------------------------------------------------------- */

START_TEST(test_record_diff_exact_paths)
{
    pd_record *a = sample_member(), *b = NULL;
    OK(pd_record_dup(&b, a));
    pd_strarray d = {0};
    OK(pd_record_diff(&d, a, b));
    ck_assert_uint_eq(d.count, 0);
    ck_assert_ptr_null(d.strings);

    set(b, "full_name", "Lê Văn Cương");                /* value */
    OK(pd_record_clear(b, "birth_date.month"));          /* presence in a sub-message */
    set(b, "events[1].decision.number", "5-QĐ/HU");       /* new leaf in an element */
    set(b, "events[2].type", "PHAT_THE");                 /* count */
    set(b, "events[3].type", "DOI_THE");
    set(b, "aliases[0]", "Ba C.");                        /* repeated scalar element */
    set(b, "contacts.phones[0]", "0912345678");           /* whole new message */
    set(b, "religion.code", "00");
    OK(pd_record_clear(b, "religion.code"));              /* present but empty message */
    set(b, "is_213", "true");
    OK(pd_record_clear(b, "photo"));
    OK(pd_record_diff(&d, a, b));
    static const char *want[] = {"full_name",
                                 "aliases[0]",
                                 "birth_date.month",
                                 "religion",
                                 "events[1].decision.number",
                                 "events[2]",
                                 "events[3]",
                                 "contacts.phones[0]",
                                 "photo",
                                 "is_213"};
    size_t nwant = sizeof want / sizeof *want;
    for (size_t i = 0; i < d.count; i++)
        ck_assert_msg(i < nwant && strcmp(d.strings[i], want[i]) == 0, "diff[%zu] = %s", i,
                      d.strings[i]);
    ck_assert_uint_eq(d.count, nwant);
    pd_strarray_dispose(&d);
    /* symmetric */
    OK(pd_record_diff(&d, b, a));
    ck_assert_uint_eq(d.count, nwant);
    ck_assert(strarray_has(&d, "events[3]"));
    pd_strarray_dispose(&d);
    pd_record_free(b);

    /* a record without the message vs one with some leaves: the leaves */
    pd_record *c = NULL;
    OK(pd_record_dup(&c, a));
    OK(pd_record_clear(c, "birth_date"));
    OK(pd_record_diff(&d, a, c));
    ck_assert_uint_eq(d.count, 2);
    ck_assert_str_eq(d.strings[0], "birth_date.year");
    ck_assert_str_eq(d.strings[1], "birth_date.month");
    pd_strarray_dispose(&d);
    pd_record_free(c);

    pd_record *o = new_rec(PD_KIND_ORG);
    ck_assert_int_eq(pd_record_diff(&d, a, o), PD_EINVALID);
    ck_assert_int_eq(pd_record_diff(&d, a, NULL), PD_EINVALID);
    ck_assert_int_eq(pd_record_diff(NULL, a, a), PD_EINVALID);
    pd_record_free(o);
    pd_record_free(a);
}
END_TEST

/* ---- schema paths ---------------------------------------------------------------------- */

START_TEST(test_record_paths_lists_schema)
{
    pd_strarray p = {0};
    OK(pd_record_paths(&p, PD_KIND_MEMBER));
    ck_assert_uint_gt(p.count, 60);
    ck_assert_str_eq(p.strings[0], "id");
    ck_assert_str_eq(p.strings[1], "provenance.node");
    ck_assert(strarray_has(&p, "birth_date.year"));
    ck_assert(strarray_has(&p, "aliases[]"));
    ck_assert(strarray_has(&p, "events[].decision.number"));
    ck_assert(strarray_has(&p, "events[].decision.signed.day"));
    ck_assert(strarray_has(&p, "id_numbers[].issued.lunar"));
    ck_assert(strarray_has(&p, "contacts.phones[]"));
    ck_assert(strarray_has(&p, "is_213"));
    ck_assert(!strarray_has(&p, "birth_date"));
    ck_assert(!strarray_has(&p, "events[]"));
    ck_assert_str_eq(p.strings[p.count - 1], "is_213");
    /* every listed path is usable: type known, settable with [0] */
    pd_record *r = new_rec(PD_KIND_MEMBER);
    for (size_t i = 0; i < p.count; i++) {
        char path[256];
        size_t j = 0;
        for (const char *s = p.strings[i]; *s && j + 4 < sizeof path; s++) {
            if (s[0] == '[' && s[1] == ']') {
                memcpy(path + j, "[0]", 3);
                j += 3;
                s++;
            } else {
                path[j++] = *s;
            }
        }
        path[j] = '\0';
        int t = pd_record_field_type(PD_KIND_MEMBER, path);
        ck_assert_msg(t > 0 && t < PD_FIELD_REPEATED && t != PD_FIELD_MESSAGE, "%s", path);
        const char *v = t == PD_FIELD_INT      ? "1"
                        : t == PD_FIELD_BOOL   ? "true"
                        : t == PD_FIELD_ENUM   ? "1"
                        : t == PD_FIELD_ID     ? "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
                        : t == PD_FIELD_BYTES  ? "AA=="
                                               : "x";
        set(r, path, v);
        ck_assert_int_eq(pd_record_has(r, path), 1);
    }
    pd_record_free(r);
    pd_strarray_dispose(&p);
    OK(pd_record_paths(&p, PD_KIND_ORG));
    ck_assert(strarray_has(&p, "founding_decision.signed.year"));
    ck_assert(strarray_has(&p, "predecessor_ids[]"));
    pd_strarray_dispose(&p);
    OK(pd_record_paths(&p, PD_KIND_RESIDENCE_LINK));
    ck_assert(strarray_has(&p, "from.year"));
    pd_strarray_dispose(&p);
    ck_assert_int_eq(pd_record_paths(&p, PD_KIND_NONE), PD_EINVALID);
    ck_assert_uint_eq(p.count, 0);
    ck_assert_int_eq(pd_record_paths(NULL, PD_KIND_MEMBER), PD_EINVALID);
}
END_TEST

START_TEST(test_record_field_type)
{
    ck_assert_int_eq(pd_record_field_type(PD_KIND_MEMBER, "full_name"), PD_FIELD_STRING);
    ck_assert_int_eq(pd_record_field_type(PD_KIND_MEMBER, "aliases"),
                     PD_FIELD_STRING | PD_FIELD_REPEATED);
    ck_assert_int_eq(pd_record_field_type(PD_KIND_MEMBER, "aliases[3]"), PD_FIELD_STRING);
    ck_assert_int_eq(pd_record_field_type(PD_KIND_MEMBER, "birth_date"), PD_FIELD_MESSAGE);
    ck_assert_int_eq(pd_record_field_type(PD_KIND_MEMBER, "events"),
                     PD_FIELD_MESSAGE | PD_FIELD_REPEATED);
    ck_assert_int_eq(pd_record_field_type(PD_KIND_MEMBER, "birth_date.year"), PD_FIELD_INT);
    ck_assert_int_eq(pd_record_field_type(PD_KIND_MEMBER, "is_213"), PD_FIELD_BOOL);
    ck_assert_int_eq(pd_record_field_type(PD_KIND_MEMBER, "gender"), PD_FIELD_ENUM);
    ck_assert_int_eq(pd_record_field_type(PD_KIND_MEMBER, "current_org_id"), PD_FIELD_ID);
    ck_assert_int_eq(pd_record_field_type(PD_KIND_MEMBER, "introducer_ids"),
                     PD_FIELD_ID | PD_FIELD_REPEATED);
    ck_assert_int_eq(pd_record_field_type(PD_KIND_MEMBER, "photo"), PD_FIELD_BYTES);
    ck_assert_int_eq(pd_record_field_type(PD_KIND_EVENT, "decision.issuer_id"), PD_FIELD_ID);
    assert_einvalid_at(pd_record_field_type(PD_KIND_MEMBER, "nope"), "nope");
    ck_assert_int_eq(pd_record_field_type(PD_KIND_NONE, "id"), PD_EINVALID);
}
END_TEST

/* ---- ids -------------------------------------------------------------------------------- */

START_TEST(test_record_id_set_get_missing)
{
    pd_record *r = new_rec(PD_KIND_EVENT);
    pd_uuid u, v;
    OK(pd_uuid_parse(&u, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"));
    OK(pd_record_set_id(r, &u));
    OK(pd_record_id(&v, r));
    ck_assert_int_eq(pd_uuid_cmp(&u, &v), 0);
    OK(pd_record_clear(r, "id"));
    ck_assert_int_eq(pd_record_id(&v, r), PD_ENOTFOUND);
    ck_assert(pd_uuid_is_nil(&v));
    assert_einvalid_at(pd_record_set(r, "id", "AAEC"), "id"); /* not a UUID */
    ck_assert_int_eq(pd_record_id(&v, r), PD_ENOTFOUND);
    ck_assert_int_eq(pd_record_set_id(r, NULL), PD_EINVALID);
    ck_assert_int_eq(pd_record_set_id(NULL, &u), PD_EINVALID);
    ck_assert_int_eq(pd_record_id(&v, NULL), PD_EINVALID);
    pd_record_free(r);
}
END_TEST

/* ---- typed members ---------------------------------------------------------------------- */

START_TEST(test_member_typed_strings)
{
    pd_member *m;
    OK(pd_member_new(&m));
    pd_uuid id;
    OK(pd_member_id(&id, m));
    ck_assert_ptr_null(pd_member_full_name(m));
    OK(pd_member_set_full_name(m, "Phạm Thị Dung"));
    ck_assert_str_eq(pd_member_full_name(m), "Phạm Thị Dung");
    OK(pd_member_set_full_name(m, "Phạm Thị Dũng"));
    ck_assert_str_eq(pd_member_full_name(m), "Phạm Thị Dũng");
    assert_einvalid_at(pd_member_set_full_name(m, "\xfe"), "full_name");
    ck_assert_str_eq(pd_member_full_name(m), "Phạm Thị Dũng");
    OK(pd_member_set_full_name(m, NULL));
    ck_assert_ptr_null(pd_member_full_name(m));
    ck_assert_ptr_null(pd_member_party_card_no(m));
    OK(pd_member_set_party_card_no(m, "01.234567"));
    ck_assert_str_eq(pd_member_party_card_no(m), "01.234567");
    assert_einvalid_at(pd_member_set_party_card_no(m, "\x80"), "party_card_no");
    OK(pd_member_set_party_card_no(m, NULL));
    ck_assert_ptr_null(pd_member_party_card_no(m));
    ck_assert_int_eq(pd_member_set_full_name(NULL, "x"), PD_EINVALID);
    ck_assert_ptr_null(pd_member_full_name(NULL));
    pd_member_free(m);
}
END_TEST

START_TEST(test_member_typed_enums)
{
    pd_member *m;
    OK(pd_member_new(&m));
    ck_assert_int_eq(pd_member_gender(m), PD_GENDER_UNSPECIFIED);
    OK(pd_member_set_gender(m, PD_GENDER_NU));
    ck_assert_int_eq(pd_member_gender(m), PD_GENDER_NU);
    ck_assert_str_eq(get(pd_member_record(m), "gender"), "GENDER_NU");
    assert_einvalid_at(pd_member_set_gender(m, (pd_gender)9), "gender");
    OK(pd_member_set_gender(m, PD_GENDER_UNSPECIFIED));
    ck_assert_int_eq(pd_record_has(pd_member_record(m), "gender"), 0);
    ck_assert_int_eq(pd_member_status(m), PD_STATUS_UNSPECIFIED);
    OK(pd_member_set_status(m, PD_STATUS_TU_TRAN));
    ck_assert_int_eq(pd_member_status(m), PD_STATUS_TU_TRAN);
    ck_assert_str_eq(get(pd_member_record(m), "status"), "MEMBER_STATUS_TU_TRAN");
    assert_einvalid_at(pd_member_set_status(m, (pd_status)6), "status");
    pd_member_free(m);
}
END_TEST

START_TEST(test_member_birth_date_valid_and_precision)
{
    pd_member *m;
    OK(pd_member_new(&m));
    pd_record *r = pd_member_record(m);
    pd_date d = {1, 1, 1};
    ck_assert_int_eq(pd_member_birth_date(&d, m), PD_ENOTFOUND);
    ck_assert_int_eq(d.year, 0);
    OK(pd_member_set_birth_date(m, &(pd_date){1975, 0, 0}));
    ck_assert_str_eq(get(r, "birth_date.precision"), "DATE_PRECISION_YEAR");
    ck_assert_ptr_null(get(r, "birth_date.month"));
    OK(pd_member_set_birth_date(m, &(pd_date){1975, 4, 0}));
    ck_assert_str_eq(get(r, "birth_date.precision"), "DATE_PRECISION_MONTH");
    OK(pd_member_set_birth_date(m, &(pd_date){1976, 2, 29}));
    ck_assert_str_eq(get(r, "birth_date.precision"), "DATE_PRECISION_DAY");
    OK(pd_member_birth_date(&d, m));
    ck_assert_int_eq(d.year, 1976);
    ck_assert_int_eq(d.month, 2);
    ck_assert_int_eq(d.day, 29);
    OK(pd_member_set_birth_date(m, &(pd_date){2000, 2, 29}));
    static const pd_date bad[] = {{1975, 13, 0}, {1975, 2, 31}, {1975, 0, 5},  {1975, 2, 29},
                                  {1900, 2, 29}, {1975, 4, 31}, {1975, 1, 32}, {0, 3, 0},
                                  {-1, 0, 0},    {10000, 1, 1}, {1975, -1, 0}, {1975, 1, -1}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_einvalid_at(pd_member_set_birth_date(m, &bad[i]), "birth_date");
    OK(pd_member_birth_date(&d, m)); /* unchanged by the failures */
    ck_assert_int_eq(d.year, 2000);
    set(r, "birth_date.lunar", "true");
    OK(pd_member_set_birth_date(m, &(pd_date){1980, 1, 0}));
    ck_assert_ptr_null(get(r, "birth_date.day"));
    ck_assert_str_eq(get(r, "birth_date.lunar"), "true");
    OK(pd_member_set_birth_date(m, NULL));
    ck_assert_int_eq(pd_member_birth_date(&d, m), PD_ENOTFOUND);
    ck_assert_int_eq(pd_record_has(r, "birth_date"), 0);
    pd_member_free(m);
}
END_TEST

START_TEST(test_member_party_dates)
{
    pd_member *m;
    OK(pd_member_new(&m));
    pd_date d;
    ck_assert_int_eq(pd_member_admission_decision_date(&d, m), PD_ENOTFOUND);
    ck_assert_int_eq(pd_member_admission_date(&d, m), PD_ENOTFOUND);
    ck_assert_int_eq(pd_member_official_date(&d, m), PD_ENOTFOUND);
    OK(pd_member_set_admission_decision_date(m, &(pd_date){1990, 5, 3}));
    OK(pd_member_set_admission_date(m, &(pd_date){1990, 5, 19}));
    OK(pd_member_set_official_date(m, &(pd_date){1991, 5, 19}));
    OK(pd_member_admission_decision_date(&d, m));
    ck_assert_int_eq(d.day, 3);
    OK(pd_member_admission_date(&d, m));
    ck_assert_int_eq(d.day, 19);
    OK(pd_member_official_date(&d, m));
    ck_assert_int_eq(d.year, 1991);
    ck_assert_str_eq(get(pd_member_record(m), "admission_date.month"), "5");
    assert_einvalid_at(pd_member_set_official_date(m, &(pd_date){1991, 6, 31}),
                       "official_date");
    OK(pd_member_set_official_date(m, NULL));
    ck_assert_int_eq(pd_member_official_date(&d, m), PD_ENOTFOUND);
    pd_member_free(m);
}
END_TEST

START_TEST(test_member_cccd)
{
    pd_member *m;
    OK(pd_member_new(&m));
    pd_record *r = pd_member_record(m);
    ck_assert_ptr_null(pd_member_cccd(m));
    set(r, "id_numbers[0].type", "CMND9");
    set(r, "id_numbers[0].number", "012345678");
    ck_assert_ptr_null(pd_member_cccd(m));
    OK(pd_member_set_cccd(m, "001068012345"));
    ck_assert_str_eq(pd_member_cccd(m), "001068012345");
    ck_assert_str_eq(get(r, "id_numbers[1].type"), "ID_TYPE_CCCD");
    OK(pd_member_set_cccd(m, "001068099999")); /* replaces */
    size_t n;
    OK(pd_record_count(&n, r, "id_numbers"));
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(get(r, "id_numbers[1].number"), "001068099999");
    assert_einvalid_at(pd_member_set_cccd(m, "\xff"), "id_numbers");
    OK(pd_member_set_cccd(m, NULL));
    ck_assert_ptr_null(pd_member_cccd(m));
    OK(pd_record_count(&n, r, "id_numbers"));
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(get(r, "id_numbers[0].number"), "012345678");
    pd_member_free(m);
}
END_TEST

START_TEST(test_member_current_org_id)
{
    pd_member *m;
    OK(pd_member_new(&m));
    pd_uuid u, v;
    ck_assert_int_eq(pd_member_current_org_id(&v, m), PD_ENOTFOUND);
    OK(pd_uuid_new(&u));
    OK(pd_member_set_current_org_id(m, &u));
    OK(pd_member_current_org_id(&v, m));
    ck_assert_int_eq(pd_uuid_cmp(&u, &v), 0);
    OK(pd_member_set_current_org_id(m, NULL));
    ck_assert_int_eq(pd_member_current_org_id(&v, m), PD_ENOTFOUND);
    ck_assert_int_eq(pd_record_has(pd_member_record(m), "current_org_id"), 0);
    pd_member_free(m);
}
END_TEST

/* ---- organizations, memberships, events ----------------------------------------------- */

START_TEST(test_org_typed)
{
    pd_org *o, *c;
    OK(pd_org_new(&o));
    pd_uuid id, p, q;
    OK(pd_org_id(&id, o));
    ck_assert_ptr_null(pd_org_name(o));
    OK(pd_org_set_name(o, "Đảng bộ xã Tân Lập"));
    ck_assert_str_eq(pd_org_name(o), "Đảng bộ xã Tân Lập");
    assert_einvalid_at(pd_org_set_name(o, "\xff"), "name");
    ck_assert_int_eq(pd_org_parent_id(&p, o), PD_ENOTFOUND);
    OK(pd_uuid_new(&p));
    OK(pd_org_set_parent_id(o, &p));
    OK(pd_org_parent_id(&q, o));
    ck_assert_int_eq(pd_uuid_cmp(&p, &q), 0);
    OK(pd_org_dup(&c, o));
    ck_assert_int_eq(pd_record_equal(pd_org_record(o), pd_org_record(c)), 1);
    ck_assert_str_eq(pd_org_name(c), "Đảng bộ xã Tân Lập");
    pd_org_free(c);
    OK(pd_org_set_parent_id(o, NULL));
    ck_assert_int_eq(pd_org_parent_id(&q, o), PD_ENOTFOUND);
    pd_org_free(o);
}
END_TEST

START_TEST(test_membership_typed)
{
    pd_membership *ms;
    OK(pd_membership_new(&ms));
    pd_uuid a, b, x;
    OK(pd_uuid_new(&a));
    OK(pd_uuid_new(&b));
    ck_assert_int_eq(pd_membership_member_id(&x, ms), PD_ENOTFOUND);
    ck_assert_int_eq(pd_membership_org_id(&x, ms), PD_ENOTFOUND);
    OK(pd_membership_set_member_id(ms, &a));
    OK(pd_membership_set_org_id(ms, &b));
    OK(pd_membership_member_id(&x, ms));
    ck_assert_int_eq(pd_uuid_cmp(&a, &x), 0);
    OK(pd_membership_org_id(&x, ms));
    ck_assert_int_eq(pd_uuid_cmp(&b, &x), 0);
    ck_assert_int_eq(pd_membership_kind_of(ms), PD_MEMBERSHIP_UNSPECIFIED);
    OK(pd_membership_set_kind(ms, PD_MEMBERSHIP_CHINH_THUC));
    ck_assert_int_eq(pd_membership_kind_of(ms), PD_MEMBERSHIP_CHINH_THUC);
    ck_assert_str_eq(get(pd_membership_record(ms), "kind"), "MEMBERSHIP_KIND_CHINH_THUC");
    assert_einvalid_at(pd_membership_set_kind(ms, (pd_membership_kind)3), "kind");
    pd_membership_free(ms);
}
END_TEST

START_TEST(test_event_type_name)
{
    pd_event *e;
    OK(pd_event_new(&e));
    ck_assert_ptr_null(pd_event_type_name(e));
    OK(pd_event_set_type_name(e, "EVENT_TYPE_KET_NAP"));
    ck_assert_str_eq(pd_event_type_name(e), "EVENT_TYPE_KET_NAP");
    OK(pd_event_set_type_name(e, "CHUYEN_SH_CT_DI"));
    ck_assert_str_eq(pd_event_type_name(e), "EVENT_TYPE_CHUYEN_SH_CT_DI");
    assert_einvalid_at(pd_event_set_type_name(e, "KETNAP"), "type");
    ck_assert_str_eq(pd_event_type_name(e), "EVENT_TYPE_CHUYEN_SH_CT_DI");
    ck_assert_int_eq(pd_event_set_type_name(e, NULL), PD_EINVALID);
    ck_assert_ptr_null(pd_event_type_name(NULL));
    pd_event_free(e);
}
END_TEST

/* ---- enum mirrors equal the .proto numbers ----------------------------------------------- */

static void check_mirror(const ProtobufCEnumDescriptor *ed, const char *const *names,
                         const int *values, size_t n)
{
    ck_assert_uint_eq(ed->n_values, n);
    for (size_t i = 0; i < n; i++) {
        const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value_by_name(ed, names[i]);
        ck_assert_msg(v != NULL, "%s", names[i]);
        ck_assert_int_eq(v->value, values[i]);
    }
}

START_TEST(test_record_enum_mirrors_match_proto)
{
    static const char *const g[] = {"GENDER_UNSPECIFIED", "GENDER_NAM", "GENDER_NU"};
    static const int gv[] = {PD_GENDER_UNSPECIFIED, PD_GENDER_NAM, PD_GENDER_NU};
    check_mirror(&pd__pb__gender__descriptor, g, gv, 3);
    static const char *const s[] = {"MEMBER_STATUS_UNSPECIFIED", "MEMBER_STATUS_DU_BI",
                                    "MEMBER_STATUS_CHINH_THUC",  "MEMBER_STATUS_XOA_TEN",
                                    "MEMBER_STATUS_KHAI_TRU",    "MEMBER_STATUS_TU_TRAN"};
    static const int sv[] = {PD_STATUS_UNSPECIFIED, PD_STATUS_DU_BI,    PD_STATUS_CHINH_THUC,
                             PD_STATUS_XOA_TEN,     PD_STATUS_KHAI_TRU, PD_STATUS_TU_TRAN};
    check_mirror(&pd__pb__member_status__descriptor, s, sv, 6);
    static const char *const k[] = {"MEMBERSHIP_KIND_UNSPECIFIED", "MEMBERSHIP_KIND_CHINH_THUC",
                                    "MEMBERSHIP_KIND_TAM_THOI"};
    static const int kv[] = {PD_MEMBERSHIP_UNSPECIFIED, PD_MEMBERSHIP_CHINH_THUC,
                             PD_MEMBERSHIP_TAM_THOI};
    check_mirror(&pd__pb__membership_kind__descriptor, k, kv, 3);
    /* pd_kind: the Record envelope's field numbers */
    static const char *const e[] = {"member", "organization", "membership", "event",
                                    "residence_link"};
    static const int ev[] = {PD_KIND_MEMBER, PD_KIND_ORG, PD_KIND_MEMBERSHIP, PD_KIND_EVENT,
                             PD_KIND_RESIDENCE_LINK};
    ck_assert_uint_eq(pd__pb__record__descriptor.n_fields, 5);
    for (size_t i = 0; i < 5; i++) {
        const ProtobufCFieldDescriptor *f =
            protobuf_c_message_descriptor_get_field_by_name(&pd__pb__record__descriptor, e[i]);
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(f->id, (unsigned)ev[i]);
        ck_assert_str_eq(pd_kind_name((pd_kind)ev[i]), e[i]);
        pd_record *r = new_rec((pd_kind)ev[i]);
        ck_assert_ptr_eq(((ProtobufCMessage *)r)->descriptor, f->descriptor);
        pd_record_free(r);
    }
}
END_TEST

/* the envelope has a oneof: the generic code handles one member replacing another */
START_TEST(test_record_oneof_generic)
{
    ProtobufCMessage *env = malloc(pd__pb__record__descriptor.sizeof_message);
    protobuf_c_message_init(&pd__pb__record__descriptor, env);
    pd_record *r = (pd_record *)env; /* not a kind, but the paths work on any message */
    ck_assert_int_eq(pd_record_kind(r), PD_KIND_NONE);
    set(r, "member.full_name", "An");
    ck_assert_int_eq(pd_record_has(r, "member"), 1);
    ck_assert_int_eq(pd_record_has(r, "organization"), 0);
    ck_assert_ptr_null(get(r, "organization.name"));
    set(r, "organization.name", "Chi bộ");
    ck_assert_int_eq(pd_record_has(r, "member"), 0);
    ck_assert_ptr_null(get(r, "member.full_name"));
    ck_assert_str_eq(get(r, "organization.name"), "Chi bộ");
    pd_record *c = NULL;
    OK(pd_record_dup(&c, r));
    ck_assert_int_eq(pd_record_equal(r, c), 1);
    set(c, "event.note", "x");
    pd_strarray d = {0};
    OK(pd_record_diff(&d, r, c));
    ck_assert_uint_eq(d.count, 2);
    ck_assert_str_eq(d.strings[0], "organization.name");
    ck_assert_str_eq(d.strings[1], "event.note");
    pd_strarray_dispose(&d);
    OK(pd_record_clear(r, "event")); /* not the current member: nothing */
    ck_assert_int_eq(pd_record_has(r, "organization"), 1);
    OK(pd_record_clear(r, "organization"));
    ck_assert_int_eq(pd_record_has(r, "organization"), 0);
    pd_record_free(c);
    pd_record_free(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("record");
    TCase *tc = tcase_create("new");
    tcase_add_test(tc, test_record_new_every_kind);
    tcase_add_test(tc, test_record_new_fresh_ids);
    tcase_add_test(tc, test_record_new_invalid_kind);
    tcase_add_test(tc, test_record_conversions_same_object);
    tcase_add_test(tc, test_record_enum_mirrors_match_proto);
    suite_add_tcase(s, tc);
    tc = tcase_create("get_set");
    tcase_add_test(tc, test_record_set_get_string_replaces);
    tcase_add_test(tc, test_record_set_invalid_utf8);
    tcase_add_test(tc, test_record_set_nested_creates_parents);
    tcase_add_test(tc, test_record_set_repeated_append_and_index);
    tcase_add_test(tc, test_record_set_enum_full_and_short);
    tcase_add_test(tc, test_record_set_ids_as_uuid_text);
    tcase_add_test(tc, test_record_set_bytes_base64);
    tcase_add_test(tc, test_record_set_integers_checked);
    tcase_add_test(tc, test_record_bad_paths);
    tcase_add_test(tc, test_record_paths_of_other_kinds);
    tcase_add_test(tc, test_record_oneof_generic);
    suite_add_tcase(s, tc);
    tc = tcase_create("clear_has_count");
    tcase_add_test(tc, test_record_clear_scalar_message_repeated);
    tcase_add_test(tc, test_record_clear_one_element);
    tcase_add_test(tc, test_record_has_and_count);
    suite_add_tcase(s, tc);
    tc = tcase_create("dup_equal_diff");
    tcase_add_test(tc, test_record_dup_equal);
    tcase_add_test(tc, test_record_equal_presence_matters);
    tcase_add_test(tc, test_record_dup_keeps_unknown_fields);
    tcase_add_test(tc, test_record_diff_exact_paths);
    suite_add_tcase(s, tc);
    tc = tcase_create("schema");
    tcase_add_test(tc, test_record_paths_lists_schema);
    tcase_add_test(tc, test_record_field_type);
    tcase_add_test(tc, test_record_id_set_get_missing);
    suite_add_tcase(s, tc);
    tc = tcase_create("typed");
    tcase_add_test(tc, test_member_typed_strings);
    tcase_add_test(tc, test_member_typed_enums);
    tcase_add_test(tc, test_member_birth_date_valid_and_precision);
    tcase_add_test(tc, test_member_party_dates);
    tcase_add_test(tc, test_member_cccd);
    tcase_add_test(tc, test_member_current_org_id);
    tcase_add_test(tc, test_org_typed);
    tcase_add_test(tc, test_membership_typed);
    tcase_add_test(tc, test_event_type_name);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
