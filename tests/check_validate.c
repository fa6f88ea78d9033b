/* check_validate.c: the rule catalogue, every rule (fails on a bad record, passes on a
 * good one), partial dates, as_of, bad input, the set validator. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "partydata/partydata.h"

#define ORG_X "0190a000-0000-7000-8000-000000000001"
#define ORG_Y "0190a000-0000-7000-8000-000000000002"
#define ORG_Z "0190a000-0000-7000-8000-000000000003"

static pd_validate_options opts_today(void)
{
    pd_validate_options o = PD_VALIDATE_OPTIONS_INIT;
    o.today.year = 2026;
    o.today.month = 1;
    o.today.day = 1;
    return o;
}

static void set(pd_record *r, const char *path, const char *value)
{
    int rc = pd_record_set(r, path, value);
    ck_assert_msg(rc == 0, "pd_record_set(%s, %s) = %d: %s", path, value, rc,
                  pd_error_last()->message);
}

static void set_date(pd_record *r, const char *field, int y, int m, int d)
{
    char path[128], val[16];
    pd_record_clear(r, field);
    if (y) {
        snprintf(path, sizeof path, "%s.year", field);
        snprintf(val, sizeof val, "%d", y);
        set(r, path, val);
    }
    if (m) {
        snprintf(path, sizeof path, "%s.month", field);
        snprintf(val, sizeof val, "%d", m);
        set(r, path, val);
    }
    if (d) {
        snprintf(path, sizeof path, "%s.day", field);
        snprintf(val, sizeof val, "%d", d);
        set(r, path, val);
    }
}

static size_t event_count(pd_record *r)
{
    size_t n = 0;
    ck_assert_int_eq(pd_record_count(&n, r, "events"), 0);
    return n;
}

static void add_event(pd_record *r, const char *type, int y, int m, int d)
{
    size_t n = event_count(r);
    char path[64];
    snprintf(path, sizeof path, "events[%zu].type", n);
    set(r, path, type);
    snprintf(path, sizeof path, "events[%zu].effective_date", n);
    set_date(r, path, y, m, d);
}

/* A member that passes every record rule. */
static pd_record *good_member(void)
{
    pd_record *r = NULL;
    ck_assert_int_eq(pd_record_new(&r, PD_KIND_MEMBER), 0);
    set(r, "full_name", "Nguy\xe1\xbb\x85n V\xc4\x83n An");
    set(r, "gender", "NAM");
    set_date(r, "birth_date", 1990, 5, 10);
    set(r, "birthplace.province_code", "01");
    set(r, "birthplace.admin_version", "ADMIN_VERSION_PRE2025");
    set(r, "ethnicity.code", "01");
    set(r, "ethnicity.list", "ETHNIC_LIST_2008");
    set(r, "ethnicity.name", "Kinh");
    set(r, "religion.code", "00");
    set(r, "id_numbers[0].type", "CCCD");
    set(r, "id_numbers[0].number", "001090012345");
    set_date(r, "admission_decision_date", 2015, 7, 26);
    set_date(r, "admission_date", 2015, 8, 10);
    set_date(r, "official_date", 2016, 8, 10);
    set(r, "status", "CHINH_THUC");
    set(r, "party_card_no", "12345678");
    set(r, "record_no", "123456HN");
    set(r, "education_general", "12/12");
    set(r, "contacts.phones[0]", "0912345678");
    set(r, "memberships[0].org_id", ORG_X);
    set(r, "memberships[0].kind", "CHINH_THUC");
    set_date(r, "memberships[0].from", 2015, 8, 10);
    set(r, "current_org_id", ORG_X);
    add_event(r, "KET_NAP", 2015, 7, 26);
    add_event(r, "LE_KET_NAP", 2015, 8, 10);
    add_event(r, "CONG_NHAN_CHINH_THUC", 2016, 8, 10);
    add_event(r, "PHAT_THE", 2016, 11, 7);
    return r;
}

static pd_record *good_org(void)
{
    pd_record *r = NULL;
    ck_assert_int_eq(pd_record_new(&r, PD_KIND_ORG), 0);
    set(r, "id", ORG_X);
    set(r, "name", "Chi b\xe1\xbb\x99 Th\xc3\xb4n 1");
    set(r, "kind", "CHI_BO");
    set(r, "level", "CO_SO");
    set(r, "grassroots_role", "CO_SO");
    set(r, "parent_id", ORG_Y);
    set_date(r, "valid_from", 2000, 1, 1);
    return r;
}

/* findings of `code` in the list; *possible = possible flag of the first */
static int count_rule(const pd_findings *l, const char *code, int *possible, pd_severity *sev)
{
    int n = 0;
    for (size_t i = 0; i < pd_findings_count(l); i++) {
        const pd_finding *f = pd_findings_get(l, i);
        if (strcmp(f->rule, code) == 0) {
            if (!n && possible)
                *possible = f->possible;
            if (!n && sev)
                *sev = f->severity;
            n++;
        }
    }
    return n;
}

static void dump(const pd_findings *l)
{
    for (size_t i = 0; i < pd_findings_count(l); i++) {
        const pd_finding *f = pd_findings_get(l, i);
        fprintf(stderr, "  %s %s %s%s\n", f->rule, pd_severity_name(f->severity), f->path,
                f->possible ? " (possible)" : "");
    }
}

static pd_findings *run_record(pd_record *r, const pd_validate_options *o)
{
    pd_findings *l = NULL;
    ck_assert_int_eq(pd_findings_new(&l), 0);
    int rc = pd_validate_record(l, r, o);
    ck_assert_int_ge(rc, 0);
    return l;
}

/* ---- catalogue ---------------------------------------------------------------- */

START_TEST(test_validate_catalogue_complete)
{
    size_t n = pd_validate_rule_count();
    ck_assert_uint_ge(n, 45);
    /* every code PD-R000 .. PD-R057 is present, with both messages and a source */
    for (int c = 0; c <= 57; c++) {
        char code[16];
        snprintf(code, sizeof code, "PD-R%03d", c);
        const pd_rule *r = pd_validate_rule_find(code, NULL);
        ck_assert_msg(r != NULL, "%s missing", code);
        ck_assert(strlen(r->message_vi) > 5);
        ck_assert(strlen(r->message_en) > 5);
        ck_assert(strlen(r->source) > 0);
        ck_assert(r->severity >= PD_SEVERITY_INFO && r->severity <= PD_SEVERITY_ERROR);
    }
    ck_assert_ptr_null(pd_validate_rule_get(n));
    ck_assert_ptr_null(pd_validate_rule_find("PD-R999", NULL));
    ck_assert_ptr_null(pd_validate_rule_find(NULL, NULL));
}
END_TEST

START_TEST(test_validate_rule_find_as_of)
{
    pd_date d2020 = { 2020, 6, 1 }, d2025 = { 2025, 3, 1 }, d2025b = { 2025, 8, 1 },
            d2005 = { 2005, 1, 1 };
    const pd_rule *a = pd_validate_rule_find("PD-R010", &d2020);
    const pd_rule *b = pd_validate_rule_find("PD-R010", &d2025);
    const pd_rule *c = pd_validate_rule_find("PD-R010", &d2005);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_ne(a, b);
    ck_assert_ptr_nonnull(strstr(a->source, "24-Q"));
    ck_assert_ptr_nonnull(strstr(b->source, "232-Q"));
    ck_assert_int_eq(c->severity, PD_SEVERITY_WARNING);
    ck_assert_ptr_null(pd_validate_rule_find("PD-R037", &d2025));
    ck_assert_ptr_nonnull(pd_validate_rule_find("PD-R037", &d2025b));
    ck_assert_int_eq(pd_validate_rule_in_force(a, &d2025), 0);
    ck_assert_int_eq(pd_validate_rule_in_force(b, &d2025), 1);
}
END_TEST

START_TEST(test_validate_rules_markdown)
{
    char *md = NULL;
    ck_assert_int_eq(pd_validate_rules_markdown(&md), 0);
    ck_assert_ptr_nonnull(strstr(md, "## PD-R044"));
    ck_assert_ptr_nonnull(strstr(md, "232-Q"));
    pd_free(md);
    ck_assert_int_eq(pd_validate_rules_markdown(NULL), PD_EINVALID);
}
END_TEST

START_TEST(test_validate_options_init)
{
    pd_validate_options o;
    ck_assert_int_eq(pd_validate_options_init(&o, PD_VALIDATE_OPTIONS_VERSION), 0);
    ck_assert_uint_eq(o.version, PD_VALIDATE_OPTIONS_VERSION);
    ck_assert_int_eq(o.as_of.year, 0);
    ck_assert_int_eq(pd_validate_options_init(&o, 99), PD_EVERSION);
    ck_assert_int_eq(pd_validate_options_init(NULL, 1), PD_EINVALID);
    pd_record *r = good_member();
    pd_findings *l = NULL;
    pd_findings_new(&l);
    o.version = 42;
    ck_assert_int_eq(pd_validate_record(l, r, &o), PD_EINVALID);
    o = opts_today();
    o.as_of.year = 2020;
    o.as_of.month = 2;
    o.as_of.day = 30;
    ck_assert_int_eq(pd_validate_record(l, r, &o), PD_EINVALID);
    ck_assert_int_eq(pd_validate_record(NULL, r, NULL), PD_EINVALID);
    ck_assert_int_eq(pd_validate_record(l, NULL, NULL), PD_EINVALID);
    pd_findings_free(l);
    pd_record_free(r);
}
END_TEST

/* ---- one record: a case per rule ------------------------------------------------ */

/* r (consumed) gives no finding at all under today's rules */
static void assert_clean(pd_record *r)
{
    pd_validate_options o = opts_today();
    pd_findings *l = run_record(r, &o);
    if (pd_findings_count(l))
        dump(l);
    ck_assert_uint_eq(pd_findings_count(l), 0);
    pd_findings_free(l);
    pd_record_free(r);
}

START_TEST(test_validate_record_good_member_clean)
{
    assert_clean(good_member());
}
END_TEST

START_TEST(test_validate_record_good_org_clean)
{
    assert_clean(good_org());
}
END_TEST

typedef void (*mutate_fn)(pd_record *r);

static void m_r001(pd_record *r) { pd_record_clear(r, "full_name"); }
static void m_r002(pd_record *r) { set(r, "full_name", "Nguy\xe1\xbb\x85n  V\xc4\x83n An"); }
static void m_r003(pd_record *r) { set(r, "full_name", "\xc3\x90\xe1\xba\xb7ng V\xc4\x83n An"); }
static void m_r004(pd_record *r) { set_date(r, "events[0].effective_date", 1925, 1, 1); }
static void m_r005(pd_record *r) { set_date(r, "admission_date", 2015, 7, 1); }
static void m_r006(pd_record *r) { set_date(r, "admission_date", 2015, 12, 1); }
static void m_r007(pd_record *r) { set_date(r, "official_date", 2016, 5, 1); }
static void m_r008(pd_record *r) { set_date(r, "official_date", 2016, 10, 1); }
static void m_r009(pd_record *r)
{
    set(r, "status", "DU_BI");
    pd_record_clear(r, "events");
    pd_record_clear(r, "party_card_no");
    pd_record_clear(r, "official_date");
}
static void m_r010(pd_record *r) { set_date(r, "birth_date", 2000, 1, 1); }
static void m_r011(pd_record *r) { set_date(r, "birth_date", 1950, 1, 1); }
static void m_r013(pd_record *r) { set(r, "id_numbers[0].number", "001085012345"); }
static void m_r014(pd_record *r) { set(r, "id_numbers[0].number", "00109001234X"); }
static void m_r015(pd_record *r) { set(r, "id_numbers[0].number", "1090012345"); }
static void m_r016(pd_record *r) { set(r, "id_numbers[0].number", "003090012345"); }
static void m_r017(pd_record *r) { set(r, "id_numbers[0].number", "001190012345"); }
static void m_r018(pd_record *r) { set(r, "birthplace.province_code", "79"); }
static void m_r020(pd_record *r)
{
    set(r, "id_numbers[1].type", "CMND9");
    set(r, "id_numbers[1].number", "12345");
}
static void m_r021(pd_record *r) { set_date(r, "events[3].effective_date", 2016, 1, 5); }
static void m_r022(pd_record *r) { set(r, "party_card_no", "1234"); }
static void m_r024(pd_record *r)
{
    add_event(r, "KY_LUAT", 2016, 1, 1);
    set(r, "events[4].discipline_form", "CACH_CHUC");
}
static void m_r025(pd_record *r)
{
    add_event(r, "TU_TRAN", 2020, 1, 1);
    add_event(r, "KHEN_THUONG", 2021, 1, 1);
    set(r, "status", "TU_TRAN");
}
static void m_r026(pd_record *r)
{
    set(r, "memberships[1].org_id", ORG_Y);
    set(r, "memberships[1].kind", "CHINH_THUC");
    set_date(r, "memberships[1].from", 2018, 1, 1);
}
static void m_r027(pd_record *r)
{
    add_event(r, "CHUYEN_SH_CT_DI", 2018, 1, 1);
    add_event(r, "CHUYEN_SH_CT_DEN", 2018, 6, 1);
}
static void m_r028(pd_record *r)
{
    set(r, "memberships[1].org_id", ORG_Y);
    set(r, "memberships[1].kind", "TAM_THOI");
    set_date(r, "memberships[1].from", 2018, 1, 1);
    set_date(r, "memberships[1].to", 2018, 1, 15);
}
static void m_r029(pd_record *r)
{
    pd_record_clear(r, "memberships");
    pd_record_clear(r, "current_org_id");
}
static void m_r030(pd_record *r)
{
    add_event(r, "XOA_TEN", 2017, 1, 1);
    add_event(r, "KET_NAP_LAI", 2021, 1, 1);
    add_event(r, "XOA_TEN", 2022, 1, 1);
    add_event(r, "KET_NAP_LAI", 2025, 6, 1);
}
static void m_r031(pd_record *r)
{
    add_event(r, "XOA_TEN", 2018, 1, 1);
    add_event(r, "KET_NAP_LAI", 2019, 1, 1);
}
static void m_r032(pd_record *r)
{
    add_event(r, "HUY_HIEU", 2020, 1, 1);
    set(r, "events[4].badge_years", "35");
}
static void m_r033(pd_record *r)
{
    add_event(r, "HUY_HIEU", 2020, 2, 3);
    set(r, "events[4].badge_years", "30");
}
static void m_r034(pd_record *r) { pd_record_clear(r, "ethnicity.list"); }
static void m_r035(pd_record *r) { set(r, "ethnicity.name", "Th\xe1\xbb\x95"); }
static void m_r036(pd_record *r) { set(r, "religion.code", "99"); }
static void m_r041(pd_record *r) { set(r, "events[0].decision.number", "12-Q\xc4\x90/TU"); }
static void m_r043(pd_record *r) { set(r, "contacts.phones[0]", "12345"); }
static void m_r044(pd_record *r) { set(r, "full_name", "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b An"); }
static void m_r045(pd_record *r) { set_date(r, "birth_date", 2020, 2, 31); }
static void m_r046(pd_record *r) { set(r, "status", "XOA_TEN"); }
static void m_r047(pd_record *r) { set(r, "record_no", "12AB"); }
static void m_r048(pd_record *r) { set(r, "education_general", "13/12"); }
static void m_r052(pd_record *r) { set_date(r, "memberships[0].to", 2010, 1, 1); }
static void m_r056(pd_record *r) { set(r, "hometown.commune_code", "99999"); }
static void m_r057(pd_record *r)
{
    /* 04 is Hoa in the 1979 list but Mường in the 2008 list */
    set(r, "ethnicity.code", "04");
    set(r, "ethnicity.name", "Hoa");
}

static const struct mcase {
    const char *code;
    mutate_fn fn;
} member_cases[] = {
    { "PD-R001", m_r001 }, { "PD-R002", m_r002 }, { "PD-R003", m_r003 }, { "PD-R004", m_r004 },
    { "PD-R005", m_r005 }, { "PD-R006", m_r006 }, { "PD-R007", m_r007 }, { "PD-R008", m_r008 },
    { "PD-R009", m_r009 }, { "PD-R010", m_r010 }, { "PD-R011", m_r011 }, { "PD-R013", m_r013 },
    { "PD-R014", m_r014 }, { "PD-R015", m_r015 }, { "PD-R016", m_r016 }, { "PD-R017", m_r017 },
    { "PD-R018", m_r018 }, { "PD-R020", m_r020 }, { "PD-R021", m_r021 }, { "PD-R022", m_r022 },
    { "PD-R024", m_r024 }, { "PD-R025", m_r025 }, { "PD-R026", m_r026 }, { "PD-R027", m_r027 },
    { "PD-R028", m_r028 }, { "PD-R029", m_r029 }, { "PD-R030", m_r030 }, { "PD-R031", m_r031 },
    { "PD-R032", m_r032 }, { "PD-R033", m_r033 }, { "PD-R034", m_r034 }, { "PD-R035", m_r035 },
    { "PD-R036", m_r036 }, { "PD-R041", m_r041 }, { "PD-R043", m_r043 }, { "PD-R044", m_r044 },
    { "PD-R045", m_r045 }, { "PD-R046", m_r046 }, { "PD-R047", m_r047 }, { "PD-R048", m_r048 },
    { "PD-R052", m_r052 }, { "PD-R056", m_r056 }, { "PD-R057", m_r057 },
};

START_TEST(test_validate_record_member_rule)
{
    const struct mcase *c = &member_cases[_i];
    pd_validate_options o = opts_today();
    pd_record *r = good_member();
    pd_findings *l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, c->code, NULL, NULL), 0); /* passes on the good record */
    pd_findings_free(l);
    c->fn(r);
    l = run_record(r, &o);
    int n = count_rule(l, c->code, NULL, NULL);
    if (!n)
        dump(l);
    ck_assert_msg(n > 0, "%s did not fire", c->code);
    /* every finding has both messages and a path */
    for (size_t i = 0; i < pd_findings_count(l); i++) {
        const pd_finding *f = pd_findings_get(l, i);
        ck_assert(strlen(f->message_vi) > 0 && strlen(f->message_en) > 0);
        ck_assert_ptr_nonnull(f->path);
        ck_assert(!pd_uuid_is_nil(&f->record_id));
    }
    /* the rule filter switches it off */
    char filt[32];
    snprintf(filt, sizeof filt, "-%s", c->code);
    o.rules = filt;
    pd_findings *l2 = run_record(r, &o);
    ck_assert_int_eq(count_rule(l2, c->code, NULL, NULL), 0);
    pd_findings_free(l2);
    /* and selecting it alone still finds it, and nothing else */
    o.rules = c->code;
    l2 = run_record(r, &o);
    ck_assert_msg(count_rule(l2, c->code, NULL, NULL) > 0, "%s alone did not fire", c->code);
    ck_assert_int_eq(count_rule(l2, c->code, NULL, NULL), (int)pd_findings_count(l2));
    pd_findings_free(l2);
    pd_findings_free(l);
    pd_record_free(r);
}
END_TEST

static void o_r037(pd_record *r) { set(r, "level", "CAP_HUYEN"); set(r, "kind", "DANG_BO"); }
static void o_r040(pd_record *r) { set_date(r, "valid_to", 2020, 1, 1); }
static void o_r051(pd_record *r) { pd_record_clear(r, "name"); }
static void o_r055(pd_record *r) { set_date(r, "valid_to", 1999, 1, 1); }
static void o_r004(pd_record *r) { set_date(r, "valid_from", 1920, 1, 1); }

static const struct mcase org_cases[] = {
    { "PD-R037", o_r037 }, { "PD-R040", o_r040 }, { "PD-R051", o_r051 }, { "PD-R055", o_r055 },
    { "PD-R004", o_r004 },
};

START_TEST(test_validate_record_org_rule)
{
    const struct mcase *c = &org_cases[_i];
    pd_validate_options o = opts_today();
    pd_record *r = good_org();
    pd_findings *l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, c->code, NULL, NULL), 0);
    pd_findings_free(l);
    c->fn(r);
    l = run_record(r, &o);
    int n = count_rule(l, c->code, NULL, NULL);
    if (!n)
        dump(l);
    ck_assert_msg(n > 0, "%s did not fire", c->code);
    pd_findings_free(l);
    pd_record_free(r);
}
END_TEST

/* PD-R053 / PD-R054: values protobuf accepts but the schema does not */
START_TEST(test_validate_record_enum_and_id)
{
    /* Record{member{gender: 7}} and Record{member{id: "abc"}} */
    static const unsigned char enum_pb[] = { 0x0a, 0x02, 0x30, 0x07 };
    static const unsigned char id_pb[] = { 0x0a, 0x05, 0x0a, 0x03, 'a', 'b', 'c' };
    pd_validate_options o = opts_today();
    pd_record *r = NULL;
    ck_assert_int_eq(pd_record_from_pb(&r, enum_pb, sizeof enum_pb), 0);
    pd_findings *l = run_record(r, &o);
    ck_assert_int_gt(count_rule(l, "PD-R053", NULL, NULL), 0);
    pd_findings_free(l);
    pd_record_free(r);
    ck_assert_int_eq(pd_record_from_pb(&r, id_pb, sizeof id_pb), 0);
    l = run_record(r, &o);
    ck_assert_int_gt(count_rule(l, "PD-R054", NULL, NULL), 0);
    pd_findings_free(l);
    pd_record_free(r);
    /* the good member has neither */
    r = good_member();
    l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, "PD-R053", NULL, NULL) + count_rule(l, "PD-R054", NULL, NULL), 0);
    pd_findings_free(l);
    pd_record_free(r);
}
END_TEST

START_TEST(test_validate_record_membership_kind)
{
    pd_validate_options o = opts_today();
    pd_record *r = NULL;
    ck_assert_int_eq(pd_record_new(&r, PD_KIND_MEMBERSHIP), 0);
    set(r, "member_id", ORG_Z);
    set(r, "org_id", ORG_X);
    set(r, "kind", "CHINH_THUC");
    set_date(r, "from", 2015, 1, 1);
    pd_findings *l = run_record(r, &o);
    ck_assert_uint_eq(pd_findings_count(l), 0);
    pd_findings_free(l);
    set_date(r, "to", 2014, 1, 1);
    pd_record_clear(r, "org_id");
    l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, "PD-R052", NULL, NULL), 2);
    pd_findings_free(l);
    pd_record_free(r);
}
END_TEST

/* ---- partial dates ----------------------------------------------------------------- */

START_TEST(test_validate_partial_year_only_same_year)
{
    /* ceremony known only as 2015, decision 2015-07-26: neither before nor after */
    pd_validate_options o = opts_today();
    pd_record *r = good_member();
    set_date(r, "admission_date", 2015, 0, 0);
    pd_findings *l = run_record(r, &o);
    int possible = -1;
    pd_severity sev = 0;
    ck_assert_int_eq(count_rule(l, "PD-R005", &possible, &sev), 1);
    ck_assert_int_eq(possible, 1);
    ck_assert_int_eq(sev, PD_SEVERITY_WARNING); /* error lowered one level */
    pd_findings_free(l);
    /* year before the decision's year: fails for every completion */
    set_date(r, "admission_decision_date", 2016, 0, 0);
    l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, "PD-R005", &possible, &sev), 1);
    ck_assert_int_eq(possible, 0);
    ck_assert_int_eq(sev, PD_SEVERITY_ERROR);
    pd_findings_free(l);
    /* the flag drops possible findings */
    set_date(r, "admission_decision_date", 2015, 7, 26);
    o.flags = PD_VALIDATE_NO_POSSIBLE;
    l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, "PD-R005", NULL, NULL), 0);
    pd_findings_free(l);
    pd_record_free(r);
}
END_TEST

START_TEST(test_validate_partial_age_by_month)
{
    pd_validate_options o = opts_today();
    pd_record *r = good_member();
    /* born 1997 (year only), decision 2015-07: 18 for some completions only */
    set_date(r, "birth_date", 1997, 0, 0);
    set(r, "id_numbers[0].number", "001097012345");
    pd_findings *l = run_record(r, &o);
    int possible = -1;
    ck_assert_int_eq(count_rule(l, "PD-R010", &possible, NULL), 1);
    ck_assert_int_eq(possible, 1);
    pd_findings_free(l);
    /* born 1997-07: 18 by month exactly in 2015-07 -> fine */
    set_date(r, "birth_date", 1997, 7, 0);
    l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, "PD-R010", NULL, NULL), 0);
    pd_findings_free(l);
    /* born 1997-08: 17 years 11 months -> error for all completions */
    set_date(r, "birth_date", 1997, 8, 1);
    l = run_record(r, &o);
    pd_severity sev = 0;
    ck_assert_int_eq(count_rule(l, "PD-R010", &possible, &sev), 1);
    ck_assert_int_eq(possible, 0);
    ck_assert_int_eq(sev, PD_SEVERITY_ERROR);
    pd_findings_free(l);
    pd_record_free(r);
}
END_TEST

START_TEST(test_validate_partial_official_month)
{
    pd_validate_options o = opts_today();
    pd_record *r = good_member();
    /* official known as 2016-08: ceremony + 12 months (2016-08-10) is one completion */
    set_date(r, "official_date", 2016, 8, 0);
    pd_findings *l = run_record(r, &o);
    int possible = -1;
    ck_assert_int_eq(count_rule(l, "PD-R007", &possible, NULL), 1);
    ck_assert_int_eq(possible, 1);
    pd_findings_free(l);
    pd_record_free(r);
}
END_TEST

/* ---- as_of ---------------------------------------------------------------------------- */

START_TEST(test_validate_as_of_district_level)
{
    pd_record *r = good_org();
    set(r, "level", "CAP_HUYEN");
    set(r, "kind", "DANG_BO");
    pd_validate_options o = opts_today();
    o.as_of.year = 2025;
    o.as_of.month = 6;
    o.as_of.day = 1;
    pd_findings *l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, "PD-R037", NULL, NULL), 0);
    pd_findings_free(l);
    o.as_of.month = 8;
    l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, "PD-R037", NULL, NULL), 1);
    pd_findings_free(l);
    /* closed on 2025-06-30 with a successor: fine after the reform too */
    set_date(r, "valid_to", 2025, 6, 30);
    set(r, "successor_ids[0]", ORG_Z);
    l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, "PD-R037", NULL, NULL), 0);
    pd_findings_free(l);
    pd_record_free(r);
}
END_TEST

START_TEST(test_validate_as_of_age_before_charter)
{
    /* admitted at 16 in 2005: a warning only (older rules are not checked) */
    pd_validate_options o = opts_today();
    pd_record *r = good_member();
    set_date(r, "birth_date", 1989, 1, 1);
    set(r, "id_numbers[0].number", "001089012345");
    set_date(r, "admission_decision_date", 2005, 3, 1);
    set_date(r, "admission_date", 2005, 3, 20);
    set_date(r, "official_date", 2006, 3, 20);
    pd_record_clear(r, "events");
    pd_findings *l = run_record(r, &o);
    pd_severity sev = 0;
    ck_assert_int_eq(count_rule(l, "PD-R010", NULL, &sev), 1);
    ck_assert_int_eq(sev, PD_SEVERITY_WARNING);
    pd_findings_free(l);
    /* as of 2008 the 2006-Charter entry is in force: a warning too */
    o.as_of.year = 2008;
    l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, "PD-R010", NULL, &sev), 1);
    ck_assert_int_eq(sev, PD_SEVERITY_WARNING);
    pd_findings_free(l);
    pd_record_free(r);
}
END_TEST

START_TEST(test_validate_lifecycle_undated_events)
{
    /* an undated admission event cannot be placed: no transition error from it */
    pd_validate_options o = opts_today();
    pd_record *r = good_member();
    pd_record_clear(r, "events[0].effective_date");
    pd_findings *l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, "PD-R024", NULL, NULL), 0);
    ck_assert_int_eq(count_rule(l, "PD-R046", NULL, NULL), 0);
    pd_findings_free(l);
    /* two re-admissions, one undated: still PD-R030 */
    add_event(r, "KET_NAP_LAI", 0, 0, 0);
    add_event(r, "KET_NAP_LAI", 2024, 1, 1);
    l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, "PD-R030", NULL, NULL), 1);
    pd_findings_free(l);
    pd_record_free(r);
}
END_TEST

START_TEST(test_validate_options_flags_skip_warnings)
{
    pd_validate_options o = opts_today();
    o.flags = PD_VALIDATE_SKIP_WARNINGS;
    pd_record *r = good_member();
    set(r, "party_card_no", "1234"); /* R022 warning */
    pd_findings *l = run_record(r, &o);
    ck_assert_uint_eq(pd_findings_count(l), 0);
    pd_findings_free(l);
    /* the return value counts errors */
    pd_record_clear(r, "full_name");
    pd_findings_new(&l);
    ck_assert_int_eq(pd_validate_record(l, r, &o), 1);
    pd_findings_free(l);
    pd_record_free(r);
}
END_TEST

/* ---- bad input ------------------------------------------------------------------------- */

START_TEST(test_validate_bad_input_no_crash)
{
    pd_validate_options o = opts_today();
    /* invalid UTF-8 (the record API refuses it; the wire format carries it):
     * Record{member{full_name: ff fe 80 20 41 6e}} */
    static const unsigned char bad_pb[] = { 0x0a, 0x08, 0x1a, 0x06, 0xff, 0xfe, 0x80, 0x20, 0x41, 0x6e };
    pd_record *r = NULL;
    pd_findings *l = NULL;
    int prc = pd_record_from_pb(&r, bad_pb, sizeof bad_pb);
    if (prc == 0) {
        l = run_record(r, &o);
        ck_assert_int_eq(count_rule(l, "PD-R002", NULL, NULL), 1);
        pd_findings_free(l);
        pd_record_free(r);
    } else {
        /* the decoder refuses it: the validator reports it as PD-R000 */
        ck_assert_int_eq(prc, PD_EPARSE);
        pd_validator *v = NULL;
        ck_assert_int_eq(pd_validator_new(&v, &o), 0);
        ck_assert_int_eq(pd_findings_new(&l), 0);
        ck_assert_int_eq(pd_validator_add_decode_error(l, v, 1, NULL), 1);
        ck_assert_str_eq(pd_findings_get(l, 0)->rule, "PD-R000");
        pd_findings_free(l);
        pd_validator_free(v);
    }

    /* control characters and decomposed (NFD) text arrive through JSON escapes */
    {
        static const char js[] =
            "{\"member\":{\"fullName\":\"Nguye\\u0302\\u0303n An\",\"occupation\":\"K\\u0001 s\\u01b0\","
            "\"birthName\":\"An\\u0085B\",\"historyNotes\":\"line 1\\nline 2\"}}";
        ck_assert_int_eq(pd_record_from_json(&r, js, sizeof js - 1, PD_KIND_NONE, 0), 0);
        l = run_record(r, &o);
        if (count_rule(l, "PD-R002", NULL, NULL) != 3)
            dump(l);
        ck_assert_int_eq(count_rule(l, "PD-R002", NULL, NULL), 3); /* not history_notes */
        pd_findings_free(l);
        pd_record_free(r);
    }

    r = good_member();
    if (pd_record_set(r, "occupation", "K\x01 s\xc6\xb0") == 0) {
        l = run_record(r, &o);
        ck_assert_int_eq(count_rule(l, "PD-R002", NULL, NULL), 1);
        pd_findings_free(l);
    }
    set(r, "occupation", "K\xe1\xbb\xb9 s\xc6\xb0");
    if (pd_record_set(r, "birth_name", "nguye\xcc\x82\xcc\x83n an") == 0) { /* NFD */
        l = run_record(r, &o);
        ck_assert_int_eq(count_rule(l, "PD-R002", NULL, NULL), 1);
        pd_findings_free(l);
    }

    /* 10 MB name */
    size_t big = 10u * 1024u * 1024u;
    char *s = malloc(big + 1);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < big; i++)
        s[i] = (char)('a' + i % 26);
    s[big - 1] = ' ';
    s[big] = '\0';
    set(r, "full_name", s);
    free(s);
    l = run_record(r, &o);
    ck_assert_int_ge(count_rule(l, "PD-R002", NULL, NULL), 1);
    pd_findings_free(l);
    pd_record_free(r);

    /* year 0, 31/02/2020, nonexistent codes */
    r = good_member();
    set(r, "birth_date.year", "0");
    set_date(r, "official_date", 2020, 2, 31);
    set(r, "ethnicity.code", "77");
    set(r, "religion.code", "x9");
    set(r, "birthplace.province_code", "ZZ");
    l = run_record(r, &o);
    ck_assert_int_ge(count_rule(l, "PD-R045", NULL, NULL), 2);
    ck_assert_int_eq(count_rule(l, "PD-R034", NULL, NULL), 1);
    ck_assert_int_eq(count_rule(l, "PD-R036", NULL, NULL), 1);
    pd_findings_free(l);
    pd_record_free(r);

    /* an empty record of each kind */
    for (int k = PD_KIND_MEMBER; k <= PD_KIND_RESIDENCE_LINK; k++) {
        ck_assert_int_eq(pd_record_new(&r, (pd_kind)k), 0);
        l = run_record(r, &o);
        pd_findings_free(l);
        pd_record_free(r);
    }
}
END_TEST

/* ---- the set validator ------------------------------------------------------------------ */

static pd_findings *list_new(void)
{
    pd_findings *l = NULL;
    ck_assert_int_eq(pd_findings_new(&l), 0);
    return l;
}

START_TEST(test_validator_unique_cccd_and_card)
{
    pd_validate_options o = opts_today();
    pd_validator *v = NULL;
    ck_assert_int_eq(pd_validator_new(&v, &o), 0);
    pd_findings *l = list_new();
    pd_record *a = good_member(), *b = good_member(), *c = good_member();
    set(c, "id_numbers[0].number", "001090099999");
    set(c, "party_card_no", "87654321");
    ck_assert_int_ge(pd_validator_add(l, v, a, 1), 0);
    ck_assert_int_ge(pd_validator_add(l, v, c, 2), 0);
    ck_assert_uint_eq(pd_findings_count(l), 0);
    ck_assert_int_ge(pd_validator_add(l, v, b, 3), 0); /* same CCCD and card as a */
    ck_assert_int_eq(count_rule(l, "PD-R019", NULL, NULL), 1);
    ck_assert_int_eq(count_rule(l, "PD-R023", NULL, NULL), 1);
    const pd_finding *f = pd_findings_get(l, 0);
    ck_assert_int_eq(f->record, 3);
    pd_uuid bid;
    pd_record_id(&bid, b);
    ck_assert_int_eq(pd_uuid_cmp(&bid, &f->record_id), 0);
    /* the same record again (another revision) is not a duplicate */
    pd_findings_clear(l);
    ck_assert_int_ge(pd_validator_add(l, v, a, 4), 0);
    ck_assert_int_eq(count_rule(l, "PD-R019", NULL, NULL), 0);
    ck_assert_int_ge(pd_validator_finish(l, v), 0);
    size_t nrec = 0, nerr = 0;
    pd_validator_stats(v, &nrec, &nerr, NULL, NULL);
    ck_assert_uint_eq(nrec, 4);
    ck_assert_uint_eq(nerr, 2);
    ck_assert_int_eq(pd_validator_finish(l, v), PD_EINVALID);
    ck_assert_int_eq(pd_validator_add(l, v, a, 5), PD_EINVALID);
    pd_record_free(a);
    pd_record_free(b);
    pd_record_free(c);
    pd_findings_free(l);
    pd_validator_free(v);
}
END_TEST

START_TEST(test_validator_birth_date_changed)
{
    pd_validate_options o = opts_today();
    pd_validator *v = NULL;
    ck_assert_int_eq(pd_validator_new(&v, &o), 0);
    pd_findings *l = list_new();
    pd_record *a = good_member(), *b = NULL;
    ck_assert_int_eq(pd_record_dup(&b, a), 0);
    set_date(b, "birth_date", 1990, 5, 11);
    ck_assert_int_ge(pd_validator_add(l, v, a, 1), 0);
    ck_assert_int_eq(count_rule(l, "PD-R012", NULL, NULL), 0);
    ck_assert_int_ge(pd_validator_add(l, v, b, 2), 0);
    ck_assert_int_eq(count_rule(l, "PD-R012", NULL, NULL), 1);
    /* with a SUA_HO_SO event the change is documented */
    pd_record *c = NULL;
    ck_assert_int_eq(pd_record_dup(&c, a), 0);
    add_event(c, "SUA_HO_SO", 2020, 1, 1);
    pd_findings_clear(l);
    ck_assert_int_ge(pd_validator_add(l, v, c, 3), 0);
    ck_assert_int_eq(count_rule(l, "PD-R012", NULL, NULL), 0);
    pd_record_free(a);
    pd_record_free(b);
    pd_record_free(c);
    pd_findings_free(l);
    pd_validator_free(v);
}
END_TEST

static pd_record *org_with(const char *id, const char *parent, int from_year, int to_year)
{
    pd_record *r = good_org();
    set(r, "id", id);
    if (parent)
        set(r, "parent_id", parent);
    else
        pd_record_clear(r, "parent_id");
    set_date(r, "valid_from", from_year, 1, 1);
    if (to_year) {
        set_date(r, "valid_to", to_year, 12, 31);
        set(r, "successor_ids[0]", ORG_Z);
    }
    return r;
}

START_TEST(test_validator_org_tree)
{
    pd_validate_options o = opts_today();
    o.rules = "PD-R049,PD-R050";
    pd_validator *v = NULL;
    ck_assert_int_eq(pd_validator_new(&v, &o), 0);
    pd_findings *l = list_new();
    /* X -> Y -> X: a cycle; Z -> missing parent */
    pd_record *x = org_with(ORG_X, ORG_Y, 2000, 0), *y = org_with(ORG_Y, ORG_X, 2000, 0);
    pd_record *z = org_with(ORG_Z, "0190a000-0000-7000-8000-0000000000ff", 2000, 0);
    ck_assert_int_ge(pd_validator_add(l, v, x, 1), 0);
    ck_assert_int_ge(pd_validator_add(l, v, y, 2), 0);
    ck_assert_int_ge(pd_validator_add(l, v, z, 3), 0);
    ck_assert_int_ge(pd_validator_finish(l, v), 1);
    ck_assert_int_eq(count_rule(l, "PD-R050", NULL, NULL), 1);
    ck_assert_int_eq(count_rule(l, "PD-R049", NULL, NULL), 1);
    pd_validator_free(v);
    pd_findings_free(l);
    pd_record_free(x);
    pd_record_free(y);
    pd_record_free(z);

    /* a proper tree has neither */
    ck_assert_int_eq(pd_validator_new(&v, &o), 0);
    l = list_new();
    x = org_with(ORG_X, NULL, 2000, 0);
    set(x, "level", "TRUNG_UONG");
    y = org_with(ORG_Y, ORG_X, 2000, 0);
    z = org_with(ORG_Z, ORG_Y, 2000, 0);
    pd_validator_add(l, v, z, 1);
    pd_validator_add(l, v, y, 2);
    pd_validator_add(l, v, x, 3);
    ck_assert_int_eq(pd_validator_finish(l, v), 0);
    ck_assert_uint_eq(pd_findings_count(l), 0);
    pd_validator_free(v);
    pd_findings_free(l);
    pd_record_free(x);
    pd_record_free(y);
    pd_record_free(z);
}
END_TEST

START_TEST(test_validator_membership_rules)
{
    pd_validate_options o = opts_today();
    o.rules = "PD-R038,PD-R026,PD-R039";
    pd_validator *v = NULL;
    ck_assert_int_eq(pd_validator_new(&v, &o), 0);
    pd_findings *l = list_new();
    /* ORG_X existed 2000-2010 (then succeeded): the good member joined it in 2015 */
    pd_record *x = org_with(ORG_X, ORG_Y, 2000, 2010);
    pd_record *m = good_member();
    ck_assert_int_ge(pd_validator_add(l, v, x, 1), 0);
    ck_assert_int_ge(pd_validator_add(l, v, m, 2), 0);
    /* two standalone overlapping official memberships of one member */
    pd_record *s1 = NULL, *s2 = NULL;
    pd_record_new(&s1, PD_KIND_MEMBERSHIP);
    pd_record_new(&s2, PD_KIND_MEMBERSHIP);
    set(s1, "member_id", ORG_Z);
    set(s2, "member_id", ORG_Z);
    set(s1, "org_id", ORG_Y);
    set(s2, "org_id", ORG_Y);
    set(s1, "kind", "CHINH_THUC");
    set(s2, "kind", "CHINH_THUC");
    set_date(s1, "from", 2001, 1, 1);
    set_date(s2, "from", 2002, 1, 1);
    pd_validator_add(l, v, s1, 3);
    pd_validator_add(l, v, s2, 4);
    ck_assert_int_ge(pd_validator_finish(l, v), 1);
    ck_assert_int_eq(count_rule(l, "PD-R038", NULL, NULL), 1);
    ck_assert_int_eq(count_rule(l, "PD-R026", NULL, NULL), 1);
    ck_assert_int_eq(count_rule(l, "PD-R039", NULL, NULL), 0); /* X is closed */
    pd_validator_free(v);
    pd_findings_free(l);
    pd_record_free(x);
    pd_record_free(m);
    pd_record_free(s1);
    pd_record_free(s2);

    /* R038 when the member comes before its organization (checked at the end) */
    ck_assert_int_eq(pd_validator_new(&v, &o), 0);
    l = list_new();
    x = org_with(ORG_X, ORG_Y, 2000, 2010);
    m = good_member();
    pd_validator_add(l, v, m, 1);
    ck_assert_int_eq(count_rule(l, "PD-R038", NULL, NULL), 0);
    pd_validator_add(l, v, x, 2);
    pd_validator_finish(l, v);
    ck_assert_int_eq(count_rule(l, "PD-R038", NULL, NULL), 1);
    ck_assert_int_eq(pd_findings_get(l, 0)->record, 1);
    pd_validator_free(v);
    pd_findings_free(l);
    pd_record_free(x);
    pd_record_free(m);

    /* R039: an open chi bộ cơ sở with one official member; R038 passes in time */
    ck_assert_int_eq(pd_validator_new(&v, &o), 0);
    l = list_new();
    x = org_with(ORG_X, ORG_Y, 2000, 0);
    m = good_member();
    pd_validator_add(l, v, x, 1);
    pd_validator_add(l, v, m, 2);
    pd_validator_finish(l, v);
    ck_assert_int_eq(count_rule(l, "PD-R039", NULL, NULL), 1);
    ck_assert_int_eq(count_rule(l, "PD-R038", NULL, NULL), 0);
    pd_validator_free(v);
    pd_findings_free(l);
    pd_record_free(x);
    pd_record_free(m);
}
END_TEST

START_TEST(test_validator_introducers)
{
    pd_validate_options o = opts_today();
    o.rules = "PD-R042";
    pd_validator *v = NULL;
    ck_assert_int_eq(pd_validator_new(&v, &o), 0);
    pd_findings *l = list_new();
    pd_record *intro = good_member(), *m = good_member();
    set_date(intro, "official_date", 2018, 1, 1); /* official after m's admission (2015) */
    char idtext[PD_UUID_STRLEN];
    pd_uuid iid;
    pd_record_id(&iid, intro);
    pd_uuid_format(idtext, &iid);
    set(m, "introducer_ids[0]", idtext);
    pd_validator_add(l, v, intro, 1);
    pd_validator_add(l, v, m, 2);
    pd_validator_finish(l, v);
    ck_assert_int_eq(count_rule(l, "PD-R042", NULL, NULL), 1);
    pd_validator_free(v);
    pd_findings_free(l);
    /* introducer in the set but never official (probationary) */
    ck_assert_int_eq(pd_validator_new(&v, &o), 0);
    l = list_new();
    pd_record_clear(intro, "official_date");
    set(intro, "status", "DU_BI");
    pd_validator_add(l, v, intro, 1);
    pd_validator_add(l, v, m, 2);
    pd_validator_finish(l, v);
    ck_assert_int_eq(count_rule(l, "PD-R042", NULL, NULL), 1);
    pd_validator_free(v);
    pd_findings_free(l);
    set(intro, "status", "CHINH_THUC");
    /* introducer official in 2010: fine */
    ck_assert_int_eq(pd_validator_new(&v, &o), 0);
    l = list_new();
    set_date(intro, "official_date", 2010, 1, 1);
    pd_validator_add(l, v, intro, 1);
    pd_validator_add(l, v, m, 2);
    pd_validator_finish(l, v);
    ck_assert_int_eq(count_rule(l, "PD-R042", NULL, NULL), 0);
    pd_validator_free(v);
    pd_findings_free(l);
    pd_record_free(intro);
    pd_record_free(m);
}
END_TEST

START_TEST(test_validator_district_level_set)
{
    /* PD-R037 through the validator, with JSONL output */
    pd_validate_options o = opts_today();
    pd_validator *v = NULL;
    ck_assert_int_eq(pd_validator_new(&v, &o), 0);
    pd_findings *l = list_new();
    pd_record *x = org_with(ORG_X, ORG_Y, 2000, 0);
    set(x, "level", "CAP_HUYEN");
    ck_assert_int_eq(pd_validator_add(l, v, x, 7), 1);
    ck_assert_int_eq(count_rule(l, "PD-R037", NULL, NULL), 1);
    char *js = NULL;
    ck_assert_int_eq(pd_finding_to_json(&js, pd_findings_get(l, 0)), 0);
    ck_assert_ptr_nonnull(strstr(js, "PD-R037"));
    ck_assert_ptr_nonnull(strstr(js, "record_id"));
    pd_free(js);
    pd_validator_free(v);
    pd_findings_free(l);
    pd_record_free(x);
}
END_TEST

START_TEST(test_validator_decode_error)
{
    pd_validator *v = NULL;
    ck_assert_int_eq(pd_validator_new(&v, NULL), 0);
    pd_findings *l = list_new();
    ck_assert_int_eq(pd_validator_add_decode_error(l, v, 5, "bad JSON"), 1);
    const pd_finding *f = pd_findings_get(l, 0);
    ck_assert_str_eq(f->rule, "PD-R000");
    ck_assert_int_eq(f->record, 5);
    ck_assert_ptr_nonnull(strstr(f->message_en, "bad JSON"));
    size_t nerr = 0;
    pd_validator_stats(v, NULL, &nerr, NULL, NULL);
    ck_assert_uint_eq(nerr, 1);
    ck_assert_int_eq(pd_validator_add_decode_error(NULL, v, 1, NULL), PD_EINVALID);
    ck_assert_int_eq(pd_validator_new(NULL, NULL), PD_EINVALID);
    pd_validate_options bad = PD_VALIDATE_OPTIONS_INIT;
    bad.version = 0;
    pd_validator *w = NULL;
    ck_assert_int_eq(pd_validator_new(&w, &bad), PD_EINVALID);
    ck_assert_ptr_null(w);
    pd_validator_free(NULL);
    pd_findings_free(l);
    pd_validator_free(v);
}
END_TEST

START_TEST(test_validate_fixed_day_boundaries)
{
    pd_validate_options o = opts_today();
    pd_record *r = good_member();
    pd_record_clear(r, "events");
    set_date(r, "admission_decision_date", 1930, 2, 2);
    pd_findings *l = run_record(r, &o);
    int possible = -1;
    ck_assert_int_eq(count_rule(l, "PD-R004", &possible, NULL), 1);
    ck_assert_int_eq(possible, 0);
    pd_findings_free(l);
    set_date(r, "admission_decision_date", 1930, 2, 3);
    l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, "PD-R004", NULL, NULL), 0);
    pd_findings_free(l);
    /* future: today is 2026-01-01 */
    set_date(r, "admission_decision_date", 2026, 1, 2);
    l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, "PD-R004", &possible, NULL), 1);
    ck_assert_int_eq(possible, 0);
    pd_findings_free(l);
    /* age 16 at a decision on 2011-01-18 (warning) and 2011-01-19 (error) */
    set_date(r, "birth_date", 1995, 1, 1);
    set_date(r, "admission_decision_date", 2011, 1, 18);
    pd_severity sev = 0;
    l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, "PD-R010", NULL, &sev), 1);
    ck_assert_int_eq(sev, PD_SEVERITY_WARNING);
    pd_findings_free(l);
    set_date(r, "admission_decision_date", 2011, 1, 19);
    l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, "PD-R010", NULL, &sev), 1);
    ck_assert_int_eq(sev, PD_SEVERITY_ERROR);
    pd_findings_free(l);
    pd_record_free(r);
    /* a district committee created on 2025-07-01 */
    r = good_org();
    set(r, "level", "CAP_HUYEN");
    set_date(r, "valid_from", 2025, 7, 1);
    set_date(r, "valid_to", 2025, 7, 1);
    set(r, "successor_ids[0]", ORG_Z);
    l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, "PD-R037", &possible, NULL), 1);
    ck_assert_int_eq(possible, 0);
    pd_findings_free(l);
    set_date(r, "valid_from", 2025, 6, 30);
    set_date(r, "valid_to", 2025, 6, 30);
    l = run_record(r, &o);
    ck_assert_int_eq(count_rule(l, "PD-R037", NULL, NULL), 0);
    pd_findings_free(l);
    pd_record_free(r);
}
END_TEST

/* the compiled-in CCCD place table agrees with refdata: for every pre-2025 province,
 * a CCCD with its place code and a birthplace in the old or the new province is clean */
START_TEST(test_validate_cccd_places_match_refdata)
{
    pd_validate_options o = opts_today();
    o.rules = "PD-R016,PD-R018";
    size_t n = pd_refdata_province_count(PD_ADMIN_GEN_PRE2025);
    ck_assert_uint_eq(n, 63);
    for (size_t i = 0; i < n; i++) {
        const pd_province *p = pd_refdata_province_at(PD_ADMIN_GEN_PRE2025, i);
        char cccd[16];
        snprintf(cccd, sizeof cccd, "%s090012345", p->cccd_code);
        pd_record *r = good_member();
        set(r, "id_numbers[0].number", cccd);
        set(r, "birthplace.province_code", p->code);
        pd_findings *l = run_record(r, &o);
        ck_assert_msg(pd_findings_count(l) == 0, "old province %s", p->code);
        pd_findings_free(l);
        set(r, "birthplace.province_code", p->successor_code);
        set(r, "birthplace.admin_version", "ADMIN_VERSION_2025");
        l = run_record(r, &o);
        ck_assert_msg(pd_findings_count(l) == 0, "new province %s of %s", p->successor_code, p->code);
        pd_findings_free(l);
        /* the place code is refused as a 2025 code when it is not the successor */
        if (strcmp(p->code, p->successor_code) != 0) {
            set(r, "birthplace.province_code", p->code);
            l = run_record(r, &o);
            ck_assert_int_eq(count_rule(l, "PD-R018", NULL, NULL), 1);
            pd_findings_free(l);
        }
        pd_record_free(r);
    }
}
END_TEST

static Suite *validate_suite(void)
{
    Suite *s = suite_create("validate");
    TCase *tc = tcase_create("catalogue");
    tcase_add_test(tc, test_validate_catalogue_complete);
    tcase_add_test(tc, test_validate_rule_find_as_of);
    tcase_add_test(tc, test_validate_rules_markdown);
    tcase_add_test(tc, test_validate_options_init);
    suite_add_tcase(s, tc);

    tc = tcase_create("record");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_validate_record_good_member_clean);
    tcase_add_test(tc, test_validate_record_good_org_clean);
    tcase_add_loop_test(tc, test_validate_record_member_rule, 0,
                        (int)(sizeof member_cases / sizeof member_cases[0]));
    tcase_add_loop_test(tc, test_validate_record_org_rule, 0,
                        (int)(sizeof org_cases / sizeof org_cases[0]));
    tcase_add_test(tc, test_validate_record_enum_and_id);
    tcase_add_test(tc, test_validate_record_membership_kind);
    tcase_add_test(tc, test_validate_options_flags_skip_warnings);
    tcase_add_test(tc, test_validate_lifecycle_undated_events);
    tcase_add_test(tc, test_validate_bad_input_no_crash);
    tcase_add_test(tc, test_validate_cccd_places_match_refdata);
    suite_add_tcase(s, tc);

    tc = tcase_create("partial");
    tcase_add_test(tc, test_validate_partial_year_only_same_year);
    tcase_add_test(tc, test_validate_partial_age_by_month);
    tcase_add_test(tc, test_validate_partial_official_month);
    tcase_add_test(tc, test_validate_as_of_district_level);
    tcase_add_test(tc, test_validate_as_of_age_before_charter);
    tcase_add_test(tc, test_validate_fixed_day_boundaries);
    suite_add_tcase(s, tc);

    tc = tcase_create("validator");
    tcase_add_test(tc, test_validator_unique_cccd_and_card);
    tcase_add_test(tc, test_validator_birth_date_changed);
    tcase_add_test(tc, test_validator_org_tree);
    tcase_add_test(tc, test_validator_membership_rules);
    tcase_add_test(tc, test_validator_introducers);
    tcase_add_test(tc, test_validator_district_level_set);
    tcase_add_test(tc, test_validator_decode_error);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(validate_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : 0;
}
