/* check_refdata.c: reference tables, look-ups, and one test per source defect of
 * libpartydata/data/MANIFEST.md (test names carry the defect id). */
#include <check.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "partydata/partydata.h"
#include "partydata/refdata.h"

static const pd_commune *comm(pd_admin_gen g, const char *code)
{
    const pd_commune *c = NULL;
    ck_assert_int_eq(pd_refdata_commune(&c, g, code), 0);
    return c;
}

static const pd_commune *comm_name(pd_admin_gen g, const char *prov, const char *name)
{
    const pd_commune *c = NULL;
    int rc = pd_refdata_commune_by_name(&c, g, prov, name);
    ck_assert_msg(rc == 0, "lookup of '%s' gave %d", name, rc);
    return c;
}

/* ---- counts and iteration ------------------------------------------------------ */

START_TEST(test_refdata_counts_match_manifest)
{
    size_t i, xa = 0, phuong = 0, dk = 0, tp = 0, valid = 0;
    ck_assert_uint_eq(pd_refdata_province_count(PD_ADMIN_GEN_2025), 34);
    ck_assert_uint_eq(pd_refdata_province_count(PD_ADMIN_GEN_PRE2025), 63);
    ck_assert_uint_eq(pd_refdata_province_count(PD_ADMIN_GEN_ANY), 0);
    ck_assert_uint_eq(pd_refdata_commune_count(PD_ADMIN_GEN_2025), 3321);
    ck_assert_uint_eq(pd_refdata_commune_count(PD_ADMIN_GEN_PRE2025), 10047);
    for (i = 0; i < 3321; i++) {
        const pd_commune *c = pd_refdata_commune_at(PD_ADMIN_GEN_2025, i);
        xa += !strcmp(c->type, "xa");
        phuong += !strcmp(c->type, "phuong");
        dk += !strcmp(c->type, "dac_khu");
    }
    ck_assert_uint_eq(xa, 2621);
    ck_assert_uint_eq(phuong, 687);
    ck_assert_uint_eq(dk, 13);
    for (i = 0; i < 34; i++)
        tp += !strcmp(pd_refdata_province_at(PD_ADMIN_GEN_2025, i)->type, "thanh_pho");
    ck_assert_uint_eq(tp, 6);
    for (i = 0; i < 10047; i++)
        valid += pd_refdata_commune_at(PD_ADMIN_GEN_PRE2025, i)->valid;
    ck_assert_uint_eq(valid, 10035);
    ck_assert_uint_eq(pd_refdata_conversion_count(), 10583);
    ck_assert_uint_eq(pd_refdata_ethnic_count(), 54);
    ck_assert_uint_eq(pd_refdata_religion_count(), 17);
    ck_assert_uint_eq(pd_refdata_change_count(), 11);
    ck_assert_ptr_null(pd_refdata_commune_at(PD_ADMIN_GEN_2025, 3321));
    ck_assert_ptr_null(pd_refdata_ethnic_at(54));
    ck_assert_ptr_null(pd_refdata_religion_at(17));
    ck_assert_ptr_null(pd_refdata_conversion_at(10583));
    ck_assert_ptr_null(pd_refdata_change_at(11));
}
END_TEST

START_TEST(test_refdata_tables_sorted_by_code)
{
    size_t i;
    for (i = 1; i < pd_refdata_commune_count(PD_ADMIN_GEN_2025); i++)
        ck_assert(strcmp(pd_refdata_commune_at(PD_ADMIN_GEN_2025, i - 1)->code,
                         pd_refdata_commune_at(PD_ADMIN_GEN_2025, i)->code) < 0);
    for (i = 1; i < pd_refdata_conversion_count(); i++)
        ck_assert(strcmp(pd_refdata_conversion_at(i - 1)->old_code, pd_refdata_conversion_at(i)->old_code) <= 0);
}
END_TEST

START_TEST(test_refdata_every_commune_province_exists)
{
    size_t i;
    const pd_province *p;
    for (i = 0; i < pd_refdata_commune_count(PD_ADMIN_GEN_2025); i++)
        ck_assert_int_eq(pd_refdata_province(&p, PD_ADMIN_GEN_2025,
                                             pd_refdata_commune_at(PD_ADMIN_GEN_2025, i)->province_code), 0);
    for (i = 0; i < pd_refdata_commune_count(PD_ADMIN_GEN_PRE2025); i++)
        ck_assert_int_eq(pd_refdata_province(&p, PD_ADMIN_GEN_PRE2025,
                                             pd_refdata_commune_at(PD_ADMIN_GEN_PRE2025, i)->province_code), 0);
    for (i = 0; i < 63; i++) {
        p = pd_refdata_province_at(PD_ADMIN_GEN_PRE2025, i);
        const pd_province *s;
        ck_assert_int_eq(pd_refdata_province(&s, PD_ADMIN_GEN_2025, p->successor_code), 0);
    }
}
END_TEST

START_TEST(test_refdata_name_tables_iterate)
{
    size_t i, n = pd_refdata_name_count(PD_NAME_SURNAME);
    const pd_name_stat *s;
    ck_assert_uint_gt(n, 150);
    ck_assert_str_eq(pd_refdata_name_at(PD_NAME_SURNAME, 0)->name, "Nguyễn");
    ck_assert(pd_refdata_name_at(PD_NAME_SURNAME, 0)->published_percent > 38.0);
    ck_assert_uint_eq(pd_refdata_name_count(PD_NAME_GIVEN), 804);
    ck_assert_uint_eq(pd_refdata_name_count(PD_NAME_MIDDLE), 504);
    ck_assert_uint_eq(pd_refdata_name_count((pd_name_table)9), 0);
    ck_assert_ptr_null(pd_refdata_name_at(PD_NAME_GIVEN, 804));
    for (i = 0; i < pd_refdata_name_count(PD_NAME_GIVEN); i++) {
        s = pd_refdata_name_at(PD_NAME_GIVEN, i);
        ck_assert(s->gender == 'M' || s->gender == 'F' || s->gender == 'U');
    }
    ck_assert_int_eq(pd_refdata_name_find(&s, PD_NAME_MIDDLE, "Văn"), 0);
    ck_assert_int_eq(s->gender, 'M');
    ck_assert_int_eq(pd_refdata_name_find(&s, PD_NAME_MIDDLE, "thị"), 0);
    ck_assert_int_eq(s->gender, 'F');
    ck_assert_int_eq(pd_refdata_name_find(&s, PD_NAME_GIVEN, "Zzzz"), PD_ENOTFOUND);
    ck_assert_int_eq(pd_refdata_name_find(&s, (pd_name_table)0, "An"), PD_EINVALID);
    ck_assert_int_eq(pd_refdata_name_find(NULL, PD_NAME_GIVEN, "An"), PD_EINVALID);
}
END_TEST


START_TEST(test_refdata_manifest_invariants)
{
    /* every old province in exactly one formed_from; every new commune code (except
     * the 5 special zones made from districts) is the code of one of its constituents */
    int seen[100] = {0};
    size_t i, n, k;
    const char *zones[] = {"11948", "19742", "20333", "21548", "26732"};
    for (i = 0; i < 34; i++) {
        const char *p = pd_refdata_province_at(PD_ADMIN_GEN_2025, i)->formed_from;
        while (*p) {
            seen[(p[0] - '0') * 10 + (p[1] - '0')]++;
            p += p[2] == ';' ? 3 : 2;
        }
    }
    for (i = 0; i < 63; i++) {
        const char *c = pd_refdata_province_at(PD_ADMIN_GEN_PRE2025, i)->code;
        ck_assert_int_eq(seen[(c[0] - '0') * 10 + (c[1] - '0')], 1);
    }
    for (i = 0; i < pd_refdata_commune_count(PD_ADMIN_GEN_2025); i++) {
        const pd_commune *c = pd_refdata_commune_at(PD_ADMIN_GEN_2025, i);
        const pd_conversion **pv;
        int own = 0, zone = 0;
        for (k = 0; k < 5; k++)
            zone |= !strcmp(c->code, zones[k]);
        ck_assert_int_eq(pd_refdata_commune_predecessors(&pv, &n, c->code), 0);
        for (k = 0; k < n; k++)
            own |= !strcmp(pv[k]->old_code, c->code);
        pd_free(pv);
        ck_assert_msg(own || zone, "%s", c->code);
    }
}
END_TEST

/* ---- look-ups ---------------------------------------------------------------------- */

START_TEST(test_refdata_province_by_code)
{
    const pd_province *p;
    ck_assert_int_eq(pd_refdata_province(&p, PD_ADMIN_GEN_2025, "01"), 0);
    ck_assert_str_eq(p->full_name, "Thành phố Hà Nội");
    ck_assert_int_eq(pd_refdata_province(&p, PD_ADMIN_GEN_2025, "02"), PD_ENOTFOUND);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(pd_refdata_province(&p, PD_ADMIN_GEN_PRE2025, "02"), 0);
    ck_assert_str_eq(p->name, "Hà Giang");
    ck_assert_str_eq(p->successor_code, "08");
    ck_assert_str_eq(p->cccd_code, "002");
    ck_assert_int_eq(pd_refdata_province(&p, PD_ADMIN_GEN_ANY, "02"), 0);
    ck_assert_int_eq(pd_refdata_province(NULL, PD_ADMIN_GEN_ANY, "02"), PD_EINVALID);
    ck_assert_int_eq(pd_refdata_province(&p, PD_ADMIN_GEN_ANY, NULL), PD_EINVALID);
}
END_TEST

START_TEST(test_refdata_province_by_name_forms)
{
    const pd_province *p;
    const char *forms[] = {"Hà Nội", "hà nội", "HÀ NỘI", "Ha Noi", "ha noi", "Thành phố Hà Nội", "TP. Hà Nội",
                           "Tp Hà Nội", "thanh pho ha noi", "Ha\xcc\x80 No\xcc\xa3\xcc\x82i", NULL};
    int i;
    for (i = 0; forms[i]; i++) {
        ck_assert_msg(pd_refdata_province_by_name(&p, PD_ADMIN_GEN_2025, forms[i]) == 0, "%s", forms[i]);
        ck_assert_str_eq(p->code, "01");
    }
    ck_assert_int_eq(pd_refdata_province_by_name(&p, PD_ADMIN_GEN_2025, "Hà Giang"), PD_ENOTFOUND);
    ck_assert_int_eq(pd_refdata_province_by_name(&p, PD_ADMIN_GEN_ANY, "Hà Giang"), 0);
    ck_assert_int_eq(p->gen, PD_ADMIN_GEN_PRE2025);
    ck_assert_int_eq(pd_refdata_province_by_name(&p, PD_ADMIN_GEN_ANY, "\xff\xfe"), PD_EINVALID);
    ck_assert_int_eq(pd_refdata_province_by_name(&p, PD_ADMIN_GEN_ANY, NULL), PD_EINVALID);
}
END_TEST

START_TEST(test_refdata_commune_by_name_conflict)
{
    const pd_commune *c;
    ck_assert_int_eq(pd_refdata_commune_by_name(&c, PD_ADMIN_GEN_PRE2025, NULL, "Tân Phú"), PD_ECONFLICT);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(pd_refdata_commune_by_name(&c, PD_ADMIN_GEN_2025, "01", "Ba Đình"), 0);
    ck_assert_str_eq(c->code, "00004");
    ck_assert_int_eq(pd_refdata_commune_by_name(&c, PD_ADMIN_GEN_2025, "79", "Ba Đình"), PD_ENOTFOUND);
    ck_assert_int_eq(pd_refdata_commune_by_name(&c, PD_ADMIN_GEN_2025, NULL, "\xc3"), PD_EINVALID);
    ck_assert_int_eq(pd_refdata_commune(&c, PD_ADMIN_GEN_2025, "99999"), PD_ENOTFOUND);
    ck_assert_int_eq(pd_refdata_commune(&c, PD_ADMIN_GEN_2025, NULL), PD_EINVALID);
}
END_TEST

START_TEST(test_refdata_conversion_successors_and_predecessors)
{
    const pd_conversion *cv, **pv;
    size_t n, i;
    int seen = 0;
    ck_assert_int_eq(pd_refdata_commune_successors(&cv, &n, "00001"), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(cv[0].new_code, "00097");
    ck_assert_int_eq(cv[0].partial, 0);
    ck_assert_int_eq(pd_refdata_commune_successors(&cv, &n, "99999"), PD_ENOTFOUND);
    ck_assert_int_eq(pd_refdata_commune_successors(&cv, &n, ""), PD_ENOTFOUND);
    ck_assert_int_eq(pd_refdata_commune_successors(NULL, &n, "00001"), PD_EINVALID);
    ck_assert_int_eq(pd_refdata_commune_predecessors(&pv, &n, "00097"), 0);
    ck_assert_uint_ge(n, 1);
    for (i = 0; i < n; i++)
        seen |= !strcmp(pv[i]->old_code, "00001");
    ck_assert(seen);
    pd_free(pv);
    ck_assert_int_eq(pd_refdata_commune_predecessors(&pv, &n, "99999"), PD_ENOTFOUND);
    ck_assert_int_eq(pd_refdata_commune_predecessors(&pv, NULL, "00097"), PD_EINVALID);
}
END_TEST

START_TEST(test_refdata_every_old_commune_converts)
{
    size_t i, n;
    const pd_conversion *cv;
    for (i = 0; i < pd_refdata_commune_count(PD_ADMIN_GEN_PRE2025); i++) {
        const pd_commune *c = pd_refdata_commune_at(PD_ADMIN_GEN_PRE2025, i);
        ck_assert_msg(pd_refdata_commune_successors(&cv, &n, c->code) == 0, "%s", c->code);
    }
}
END_TEST

START_TEST(test_refdata_as_of)
{
    pd_date before = {2025, 6, 30}, after = {2025, 7, 1}, y2025 = {2025, 0, 0}, y2026 = {2026, 5, 1},
            early2026 = {2026, 4, 29};
    const pd_commune *c;
    const pd_province *p;
    const char *t;
    ck_assert_int_eq(pd_refdata_gen_as_of(&before), PD_ADMIN_GEN_PRE2025);
    ck_assert_int_eq(pd_refdata_gen_as_of(&after), PD_ADMIN_GEN_2025);
    ck_assert_int_eq(pd_refdata_gen_as_of(&y2025), PD_ADMIN_GEN_ANY);
    /* 00001 Phúc Xá existed before the reform, not after */
    ck_assert_int_eq(pd_refdata_commune_as_of(&c, &t, "00001", &before), 0);
    ck_assert_str_eq(t, "phuong");
    ck_assert_int_eq(pd_refdata_commune_as_of(&c, &t, "00001", &after), PD_ENOTFOUND);
    ck_assert_int_eq(pd_refdata_commune_as_of(&c, &t, "00001", &y2025), PD_EINVALID);
    /* Đồng Nai: a thành phố and 10 new phường from 2026-04-30 */
    ck_assert_int_eq(pd_refdata_province_as_of(&p, &t, "75", &after), 0);
    ck_assert_str_eq(t, "tinh");
    ck_assert_int_eq(pd_refdata_province_as_of(&p, &t, "75", &y2026), 0);
    ck_assert_str_eq(t, "thanh_pho");
    ck_assert_int_eq(pd_refdata_province_as_of(&p, &t, "75", &early2026), 0);
    ck_assert_str_eq(t, "tinh");
    ck_assert_int_eq(pd_refdata_commune_as_of(&c, &t, "25270", &y2026), 0);
    ck_assert_str_eq(t, "phuong");
    ck_assert_str_eq(c->type, "xa"); /* the table keeps the 1 July 2025 state */
    ck_assert_ptr_null(pd_refdata_commune_type_as_of(c, &before));
    /* the province's own type that day (p is Đồng Nai from the look-ups above) */
    ck_assert_str_eq(pd_refdata_province_type_as_of(p, &y2026), "thanh_pho");
    ck_assert_str_eq(pd_refdata_province_type_as_of(p, &after), "tinh");
    ck_assert_ptr_null(pd_refdata_province_type_as_of(p, &before));
    ck_assert_int_eq(pd_refdata_province_as_of(&p, &t, "75", NULL), PD_EINVALID);
}
END_TEST

START_TEST(test_refdata_cccd)
{
    pd_cccd_info ci;
    const pd_province *p;
    ck_assert_int_eq(pd_refdata_cccd_decode(&ci, "001090012345"), 0);
    ck_assert_str_eq(ci.province->name, "Hà Nội");
    ck_assert_int_eq(ci.gender, PD_GENDER_NAM);
    ck_assert_int_eq(ci.birth_year, 1990);
    ck_assert_int_eq(pd_refdata_cccd_decode(&ci, "079305012345"), 0);
    ck_assert_int_eq(ci.gender, PD_GENDER_NU);
    ck_assert_int_eq(ci.birth_year, 2005);
    ck_assert_str_eq(ci.province->code, "79");
    ck_assert_int_eq(pd_refdata_cccd_decode(&ci, "003090012345"), PD_ENOTFOUND);
    ck_assert_int_eq(ci.birth_year, 1990);
    ck_assert_int_eq(pd_refdata_cccd_decode(&ci, "00109001234"), PD_EINVALID);
    ck_assert_int_eq(pd_refdata_cccd_decode(&ci, "00109001234x"), PD_EINVALID);
    ck_assert_int_eq(pd_refdata_cccd_province(&p, "046"), 0);
    ck_assert_str_eq(p->former_name, "Thừa Thiên Huế");
    ck_assert_int_eq(pd_refdata_cccd_province(&p, "46"), PD_EINVALID);
}
END_TEST

START_TEST(test_refdata_religions)
{
    const pd_religion *r;
    ck_assert_int_eq(pd_refdata_religion_by_name(&r, "Đạo Phật"), 0);
    ck_assert_str_eq(r->code, "01");
    ck_assert_int_eq(pd_refdata_religion_by_name(&r, "thien chua giao"), 0);
    ck_assert_str_eq(r->code, "02");
    ck_assert_int_eq(pd_refdata_religion_by_name(&r, "Phật giáo Hoà Hảo"), 0);
    ck_assert_str_eq(r->code, "05");
    ck_assert_int_eq(pd_refdata_religion_by_name(&r, "Không"), 0);
    ck_assert_str_eq(r->code, "00");
    ck_assert_int_eq(pd_refdata_religion_by_name(&r, "Jedi"), PD_ENOTFOUND);
    ck_assert_int_eq(pd_refdata_religion_by_code(&r, "16"), 0);
    ck_assert_int_eq(pd_refdata_religion_by_code(&r, "17"), PD_ENOTFOUND);
    ck_assert_int_eq(pd_refdata_religion_by_code(NULL, "1"), PD_EINVALID);
}
END_TEST

START_TEST(test_refdata_labels)
{
    const pd_label *l;
    size_t i, n = 0;
    ck_assert_int_eq(pd_refdata_label(&l, "EventType", 1), 0);
    ck_assert_str_eq(l->short_name, "KET_NAP");
    ck_assert_int_eq(pd_refdata_label(&l, "EventType", 99), PD_ENOTFOUND);
    ck_assert_int_eq(pd_refdata_label_by_name(&l, "OrgLevel", "cap xa"), 0);
    ck_assert_int_eq(l->value, 4);
    ck_assert_int_eq(pd_refdata_label_by_name(&l, "MemberStatus", "Đảng viên chính thức"), 0);
    ck_assert_int_eq(l->value, 2);
    ck_assert_int_eq(pd_refdata_label_by_name(&l, "MemberStatus", "EVENT_TYPE_KET_NAP"), PD_ENOTFOUND);
    ck_assert_int_eq(pd_refdata_label(&l, NULL, 1), PD_EINVALID);
    for (i = 0; i < pd_refdata_label_count(); i++) {
        l = pd_refdata_label_at(i);
        ck_assert_ptr_nonnull(strstr(l->name, l->short_name));
        ck_assert(l->vi[0] && l->en[0]);
        n += !strcmp(l->enum_type, "EventType");
    }
    ck_assert_uint_eq(n, 37);
    ck_assert_ptr_null(pd_refdata_label_at(pd_refdata_label_count()));
}
END_TEST


START_TEST(test_refdata_labels_match_schema)
{
    /* each enum through a field of that type: the record API maps numbers to the
     * schema's value names, which must be the labels' names, both ways */
    static const struct {
        const char *type;
        pd_kind kind;
        const char *path;
    } enums[] = {
        {"Gender", PD_KIND_MEMBER, "gender"}, {"MemberStatus", PD_KIND_MEMBER, "status"},
        {"EthnicList", PD_KIND_MEMBER, "ethnicity.list"}, {"AdminVersion", PD_KIND_MEMBER, "hometown.admin_version"},
        {"IdType", PD_KIND_MEMBER, "id_numbers[0].type"}, {"MembershipKind", PD_KIND_MEMBERSHIP, "kind"},
        {"DocumentKind", PD_KIND_MEMBER, "events[0].decision.kind"}, {"EventType", PD_KIND_MEMBER, "events[0].type"},
        {"DisciplineForm", PD_KIND_MEMBER, "events[0].discipline_form"},
        {"RatingGrade", PD_KIND_MEMBER, "events[0].grade"}, {"OrgKind", PD_KIND_ORG, "kind"},
        {"OrgLevel", PD_KIND_ORG, "level"}, {"GrassrootsRole", PD_KIND_ORG, "grassroots_role"}};
    size_t e, i, n = 0;
    for (e = 0; e < sizeof enums / sizeof enums[0]; e++) {
        pd_record *r;
        int v;
        ck_assert_int_eq(pd_record_new(&r, enums[e].kind), 0);
        for (v = 0; v < 64; v++) {
            char num[8], *got = NULL;
            const pd_label *l;
            snprintf(num, sizeof num, "%d", v);
            if (pd_record_set(r, enums[e].path, num) != 0 || pd_record_get(&got, r, enums[e].path) != 0)
                continue;
            if (got[0] >= 'A' && got[0] <= 'Z') { /* a value the schema names */
                ck_assert_msg(pd_refdata_label(&l, enums[e].type, v) == 0, "%s %d", enums[e].type, v);
                ck_assert_str_eq(l->name, got);
                n++;
            } else {
                ck_assert_int_eq(pd_refdata_label(&l, enums[e].type, v), PD_ENOTFOUND);
            }
            pd_free(got);
        }
        pd_record_free(r);
    }
    ck_assert_uint_eq(n, pd_refdata_label_count()); /* and no label the schema lacks */
    for (i = 0; i < pd_refdata_label_count(); i++)
        ck_assert_ptr_nonnull(pd_refdata_label_at(i)->vi);
}
END_TEST

/* ---- MANIFEST source defects, one test each ------------------------------------------ */

START_TEST(test_refdata_defect_A1_spaces)
{
    size_t i;
    for (i = 0; i < pd_refdata_commune_count(PD_ADMIN_GEN_PRE2025); i++) {
        const pd_commune *c = pd_refdata_commune_at(PD_ADMIN_GEN_PRE2025, i);
        size_t n = strlen(c->full_name);
        ck_assert_ptr_null(strstr(c->full_name, "  "));
        ck_assert(n > 0 && c->full_name[n - 1] != ' ' && c->full_name[0] != ' ');
        ck_assert_ptr_null(strstr(c->district_name, "  "));
    }
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_PRE2025, NULL, "Xã Cò  Nòi")->code, "04138");
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_PRE2025, NULL, "Xã  Ngư Thủy ")->province_code, "44");
}
END_TEST

START_TEST(test_refdata_defect_A2_type_word_case)
{
    size_t i;
    for (i = 0; i < pd_refdata_commune_count(PD_ADMIN_GEN_PRE2025); i++)
        ck_assert_ptr_null(strstr(pd_refdata_commune_at(PD_ADMIN_GEN_PRE2025, i)->full_name, "Thị Trấn "));
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_PRE2025, "11", "Thị Trấn Mường Chà")->type, "thi_tran");
}
END_TEST

START_TEST(test_refdata_defect_A3_doubled_type_word)
{
    const pd_commune *c = comm(PD_ADMIN_GEN_PRE2025, "19780");
    ck_assert_str_eq(c->name, "Đúc");
    ck_assert_str_eq(c->full_name, "Phường Đúc");
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_PRE2025, "46", "Phường Phường Đúc")->code, "19780");
}
END_TEST

START_TEST(test_refdata_defect_A4_letter_errors)
{
    ck_assert_str_eq(comm(PD_ADMIN_GEN_PRE2025, "04117")->name, "Mường Chanh");
    ck_assert_str_eq(comm(PD_ADMIN_GEN_PRE2025, "04136")->name, "Nà Bó");
    ck_assert_str_eq(comm(PD_ADMIN_GEN_PRE2025, "07540")->name, "Sa Lý");
    ck_assert_str_eq(comm(PD_ADMIN_GEN_PRE2025, "31246")->name, "Thạnh Quới");
    /* 31231 left as published ("Thanh An"), found under the resolution's "Thạnh An" */
    ck_assert_str_eq(comm(PD_ADMIN_GEN_PRE2025, "31231")->name, "Thanh An");
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_PRE2025, "92", "Thị trấn Thạnh An")->code, "31231");
}
END_TEST

START_TEST(test_refdata_defect_A5_stale_codes)
{
    const char *stale[] = {"07693", "07732", "07744", "16387", "16411", "18448", "20176", "20674",
                           "25102", "25174", "25177", "25186", NULL};
    const pd_conversion *cv;
    size_t n;
    int i;
    for (i = 0; stale[i]; i++) {
        const pd_commune *c = comm(PD_ADMIN_GEN_PRE2025, stale[i]);
        ck_assert_int_eq(c->valid, 0);
        ck_assert_int_eq(pd_refdata_commune_successors(&cv, &n, stale[i]), 0);
    }
    /* 16387 and 16408 are both "Xã Đông Khê": the name finds the valid one */
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_PRE2025, "38", "Xã Đông Khê")->code, "16408");
}
END_TEST

START_TEST(test_refdata_defect_A6_mixed_tone_placement)
{
    const pd_province *p;
    ck_assert_int_eq(pd_refdata_province_by_name(&p, PD_ADMIN_GEN_PRE2025, "Hòa Bình"), 0);
    ck_assert_str_eq(p->name, "Hoà Bình");
    ck_assert_int_eq(pd_refdata_province_by_name(&p, PD_ADMIN_GEN_2025, "Thanh Hoá"), 0);
    ck_assert_str_eq(p->name, "Thanh Hóa");
    ck_assert_int_eq(pd_refdata_province_by_name(&p, PD_ADMIN_GEN_2025, "Khánh Hoà"), 0);
    ck_assert_str_eq(p->code, "56");
}
END_TEST

START_TEST(test_refdata_defect_A7_apostrophes)
{
    const pd_commune *c = comm_name(PD_ADMIN_GEN_2025, NULL, "Ea H’Leo");
    ck_assert_str_eq(c->name, "Ea H'Leo");
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_2025, NULL, "Ea HLeo")->code, c->code);
}
END_TEST

START_TEST(test_refdata_defect_A8_abbreviations)
{
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_PRE2025, "15", "Thị trấn Nông trường Liên Sơn")->code, "04621");
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_PRE2025, "10", "Thị trấn Nông trường Phong Hải")->code, "02902");
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_PRE2025, "15", "NT Liên Sơn")->code, "04621");
}
END_TEST

START_TEST(test_refdata_defect_A9_numerals)
{
    const pd_commune *c = comm_name(PD_ADMIN_GEN_PRE2025, "72", "Phường IV");
    ck_assert_str_eq(c->name, "4");
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_PRE2025, "94", "Xã Hòa Tú 2")->name, "Hòa Tú II");
}
END_TEST

START_TEST(test_refdata_defect_A10_syllables_run_together)
{
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_PRE2025, NULL, "Xã Ea Bia")->name, "EaBia");
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_PRE2025, "45", "Xã Đakrông")->name, "Đa Krông");
}
END_TEST

START_TEST(test_refdata_defect_A11_spelling_variants)
{
    /* the resolution spells the old unit differently: the conversion table links it */
    const pd_conversion *cv;
    size_t n;
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_2025, "08", "Phó Bảng")->code, "00745");
    ck_assert_int_eq(pd_refdata_commune_successors(&cv, &n, comm_name(PD_ADMIN_GEN_PRE2025, "02", "Thị trấn Phó Bảng")->code), 0);
    ck_assert_str_eq(cv[0].new_code, "00745");
}
END_TEST

START_TEST(test_refdata_defect_A12_tu_nhien)
{
    const pd_commune *c = comm(PD_ADMIN_GEN_PRE2025, "10219");
    ck_assert_str_eq(c->name, "Tự Nhiên");
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_PRE2025, "01", "Tự Nhiên")->code, "10219");
}
END_TEST

START_TEST(test_refdata_defect_B1_ia_mo_code)
{
    const pd_commune *c = comm(PD_ADMIN_GEN_2025, "23938");
    const pd_commune *x;
    ck_assert_str_eq(c->name, "Ia Mơ");
    ck_assert_int_eq(pd_refdata_commune(&x, PD_ADMIN_GEN_2025, "23737"), PD_ENOTFOUND);
}
END_TEST

START_TEST(test_refdata_defect_B2_line_breaks)
{
    size_t i;
    for (i = 0; i < pd_refdata_commune_count(PD_ADMIN_GEN_2025); i++) {
        const char *n = pd_refdata_commune_at(PD_ADMIN_GEN_2025, i)->full_name;
        ck_assert_ptr_null(strstr(n, "<br>"));
        ck_assert_ptr_null(strchr(n, '\n'));
    }
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_2025, NULL, "Xã Tú Lệ")->province_code, "15");
}
END_TEST

START_TEST(test_refdata_defect_B3_abbreviated_province)
{
    const pd_province *p;
    ck_assert_int_eq(pd_refdata_province_by_name(&p, PD_ADMIN_GEN_2025, "Tp Hải Phòng"), 0);
    ck_assert_str_eq(p->code, "31");
    ck_assert_int_eq(pd_refdata_province_by_name(&p, PD_ADMIN_GEN_2025, "Tp Hồ Chí Minh"), 0);
    ck_assert_str_eq(p->code, "79");
}
END_TEST

START_TEST(test_refdata_defect_B4_hyphen_spaces)
{
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_2025, "01", "Văn Miếu-Quốc Tử Giám")->name, "Văn Miếu - Quốc Tử Giám");
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_2025, "01", "Phường Văn Miếu – Quốc Tử Giám")->code,
                     comm_name(PD_ADMIN_GEN_2025, "01", "Văn Miếu - Quốc Tử Giám")->code);
}
END_TEST

START_TEST(test_refdata_defect_C_split_area_population)
{
    /* 18796 Xã Kỳ Lợi: area to Vũng Áng, population split: every link partial */
    const pd_conversion *cv;
    size_t n, i;
    ck_assert_int_eq(pd_refdata_commune_successors(&cv, &n, "18796"), 0);
    ck_assert_uint_ge(n, 2);
    for (i = 0; i < n; i++)
        ck_assert_int_eq(cv[i].partial, 1);
}
END_TEST

START_TEST(test_refdata_defect_D_merges_json_links)
{
    const pd_conversion *cv;
    size_t n;
    ck_assert_int_eq(pd_refdata_commune_successors(&cv, &n, "23521"), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(cv[0].new_code, "23500");
    ck_assert_int_eq(pd_refdata_commune_successors(&cv, &n, "27739"), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(cv[0].new_code, "27721");
    ck_assert_int_eq(pd_refdata_commune_successors(&cv, &n, "15598"), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(cv[0].new_code, "15592");
    ck_assert_int_eq(cv[0].partial, 0);
    ck_assert_int_eq(pd_refdata_commune_successors(&cv, &n, "09859"), 0);
    ck_assert_str_eq(cv[0].new_code, "09871");
}
END_TEST

START_TEST(test_refdata_defect_E1_ba_che_code)
{
    const pd_commune *c;
    ck_assert_str_eq(comm(PD_ADMIN_GEN_2025, "06970")->name, "Ba Chẽ");
    ck_assert_int_eq(pd_refdata_commune(&c, PD_ADMIN_GEN_2025, "06978"), PD_ENOTFOUND);
}
END_TEST

START_TEST(test_refdata_defect_E2_pho_bang)
{
    ck_assert_str_eq(comm(PD_ADMIN_GEN_2025, "00745")->name, "Phố Bảng");
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_2025, "08", "Xã Phó Bảng")->code, "00745");
}
END_TEST

START_TEST(test_refdata_defect_E3_official_spelling_kept)
{
    const pd_province *p;
    ck_assert_int_eq(pd_refdata_province(&p, PD_ADMIN_GEN_2025, "38"), 0);
    ck_assert_str_eq(p->full_name, "Tỉnh Thanh Hóa");
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_2025, NULL, "Xã Đặng Thuỳ Trâm")->name, "Đặng Thùy Trâm");
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_2025, "01", "Phường Yên Hoà")->name, "Yên Hòa");
}
END_TEST

START_TEST(test_refdata_defect_F_letter_I_l)
{
    const pd_commune *ia = comm_name(PD_ADMIN_GEN_2025, NULL, "Xã Ia Chim");
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_2025, NULL, "Xã la Chim")->code, ia->code);
    ck_assert_str_eq(comm_name(PD_ADMIN_GEN_2025, NULL, "Xã AI Bá")->code, "23954");
    ck_assert_str_eq(comm(PD_ADMIN_GEN_2025, "23954")->name, "Al Bá");
}
END_TEST

START_TEST(test_refdata_defect_G1_eth_letter)
{
    size_t i;
    pd_name_table t;
    for (t = PD_NAME_SURNAME; t <= PD_NAME_GIVEN; t++)
        for (i = 0; i < pd_refdata_name_count(t); i++)
            ck_assert_ptr_null(strstr(pd_refdata_name_at(t, i)->name, "\xc3\x90")); /* U+00D0 */
}
END_TEST

START_TEST(test_refdata_defect_G2_name_residue)
{
    const pd_name_stat *s;
    size_t i;
    ck_assert_int_eq(pd_refdata_name_find(&s, PD_NAME_SURNAME, "Võõ"), PD_ENOTFOUND);
    ck_assert_int_eq(pd_refdata_name_find(&s, PD_NAME_SURNAME, "Ṽ"), PD_ENOTFOUND);
    ck_assert_int_eq(pd_refdata_name_find(&s, PD_NAME_SURNAME, "Đoàn"), 0);
    for (i = 0; i < pd_refdata_name_count(PD_NAME_SURNAME); i++) {
        ck_assert_str_ne(pd_refdata_name_at(PD_NAME_SURNAME, i)->name, "Nguyến");
        ck_assert_str_ne(pd_refdata_name_at(PD_NAME_SURNAME, i)->name, "Đòan");
    }
    ck_assert_int_eq(pd_refdata_name_find(&s, PD_NAME_GIVEN, "Qúy"), 0); /* tone on u of qu-: same key */
    ck_assert_str_eq(s->name, "Quý");
}
END_TEST

START_TEST(test_refdata_defect_G3_lower_case_name)
{
    size_t i;
    const pd_name_stat *s;
    for (i = 0; i < pd_refdata_name_count(PD_NAME_GIVEN); i++) {
        unsigned char c = (unsigned char)pd_refdata_name_at(PD_NAME_GIVEN, i)->name[0];
        ck_assert_msg(!(c >= 'a' && c <= 'z'), "%s", pd_refdata_name_at(PD_NAME_GIVEN, i)->name);
    }
    ck_assert_int_eq(pd_refdata_name_find(&s, PD_NAME_GIVEN, "xanh"), 0);
    ck_assert_str_eq(s->name, "Xanh");
}
END_TEST

START_TEST(test_refdata_defect_H1_tay_khao_is_thai)
{
    const pd_ethnic_group *g;
    ck_assert_int_eq(pd_refdata_ethnic_by_name(&g, "Tày Khao"), 0);
    ck_assert_str_eq(g->name, "Thái");
}
END_TEST

START_TEST(test_refdata_defect_H2_hang_bong_hang_tong)
{
    const pd_ethnic_group *g;
    ck_assert_int_eq(pd_refdata_ethnic_by_name(&g, "Hàng Bông"), 0);
    ck_assert_str_eq(g->code_2008, "03");
    ck_assert_int_eq(pd_refdata_ethnic_by_name(&g, "Hàng Tổng"), 0);
    ck_assert_str_eq(g->code_2008, "03");
}
END_TEST

START_TEST(test_refdata_defect_H3_field_bleed)
{
    const pd_ethnic_group *g;
    ck_assert_int_eq(pd_refdata_ethnic_by_name(&g, "undefined"), PD_ENOTFOUND);
    ck_assert_int_eq(pd_refdata_ethnic_by_name(&g, "Lự    "), 0);
    ck_assert_str_eq(g->name, "Lự");
    ck_assert_int_eq(pd_refdata_ethnic_by_name(&g, "Pà Thẻn        Pà Hư"), PD_ENOTFOUND);
}
END_TEST

START_TEST(test_refdata_defect_H4_punctuation_and_extra_codes)
{
    const pd_ethnic_group *g;
    ck_assert_int_eq(pd_refdata_ethnic_by_code(&g, PD_ETHNIC_LIST_1979, "55"), PD_ENOTFOUND);
    ck_assert_int_eq(pd_refdata_ethnic_by_code(&g, PD_ETHNIC_LIST_2008, "56"), PD_ENOTFOUND);
    ck_assert_int_eq(pd_refdata_ethnic_by_name(&g, "Giơ-lar."), 0);
    ck_assert_str_eq(g->name, "Ba Na");
}
END_TEST

START_TEST(test_refdata_defect_H5_same_code_two_lists)
{
    const pd_ethnic_group *g;
    ck_assert_int_eq(pd_refdata_ethnic_by_code(&g, PD_ETHNIC_LIST_1979, "04"), 0);
    ck_assert_str_eq(g->name, "Hoa");
    ck_assert_int_eq(pd_refdata_ethnic_by_code(&g, PD_ETHNIC_LIST_2008, "04"), 0);
    ck_assert_str_eq(g->name, "Mường");
    ck_assert_int_eq(pd_refdata_ethnic_by_code(&g, PD_ETHNIC_LIST_1979, "11"), 0);
    ck_assert_str_eq(g->name, "Ngái");
    ck_assert_str_eq(pd_refdata_ethnic_code(g, PD_ETHNIC_LIST_2008), "43");
    ck_assert_ptr_null(pd_refdata_ethnic_code(g, PD_ETHNIC_LIST_UNSPECIFIED));
    ck_assert_int_eq(pd_refdata_ethnic_by_code(&g, PD_ETHNIC_LIST_UNSPECIFIED, "04"), PD_EINVALID);
}
END_TEST

START_TEST(test_refdata_defect_H6_spelling_variants)
{
    const char *v[][2] = {{"Cờ Lao", "47"}, {"Co Lao", "47"}, {"Khơ-me", "05"}, {"Khmer", "05"},
                          {"HMông", "08"}, {"H'Mông", "08"}, {"Mèo", "08"}, {"Gié-Triêng", "29"},
                          {"Raglai", "19"}, {"Ra Glai", "19"}, {"X'Tiêng", "22"}, {"Tà-ôi", "27"},
                          {"Rơ-măm", "52"}, {"Việt", "01"}, {"Mán", "09"}, {"Hán", "06"},
                          {"Cao Lan", "13"}, {"Vân Kiều", "24"}, {NULL, NULL}};
    const pd_ethnic_group *g;
    int i;
    for (i = 0; v[i][0]; i++) {
        ck_assert_msg(pd_refdata_ethnic_by_name(&g, v[i][0]) == 0, "%s", v[i][0]);
        ck_assert_str_eq(g->code_2008, v[i][1]);
    }
}
END_TEST

START_TEST(test_refdata_defect_H7_ambiguous_names)
{
    const pd_ethnic_group *g;
    pd_strarray c = {NULL, 0};
    const char *amb[] = {"Thổ", "Xá Lá Vàng", "Trại", "Hạ", "Chil", "Ca-tang", "Xá Khao", "Lao", "tho", NULL};
    int i;
    for (i = 0; amb[i]; i++) {
        ck_assert_msg(pd_refdata_ethnic_by_name(&g, amb[i]) == PD_ECONFLICT, "%s", amb[i]);
        ck_assert_ptr_null(g);
    }
    ck_assert_int_eq(pd_refdata_ethnic_candidates(&c, "Xá Lá Vàng"), 0);
    ck_assert_uint_eq(c.count, 3);
    pd_strarray_dispose(&c);
    ck_assert_int_eq(pd_refdata_ethnic_candidates(&c, "Thổ"), 0);
    ck_assert_uint_eq(c.count, 3);
    pd_strarray_dispose(&c);
    ck_assert_int_eq(pd_refdata_ethnic_by_name(&g, "Lào"), 0);
    ck_assert_str_eq(g->name, "Lào");
    ck_assert_int_eq(pd_refdata_ethnic_by_name(&g, "Hoa"), 0);
    ck_assert_str_eq(g->code_2008, "06");
}
END_TEST

START_TEST(test_refdata_defect_I_religion_codes_unpadded)
{
    const pd_religion *r;
    ck_assert_int_eq(pd_refdata_religion_by_code(&r, "1"), 0);
    ck_assert_str_eq(r->name, "Phật giáo");
    ck_assert_int_eq(pd_refdata_religion_by_name(&r, "Hồi giáo"), 0);
    ck_assert_str_eq(r->code, "06");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("refdata");
    TCase *tc;
    SRunner *sr;
    int nf;

    tc = tcase_create("tables");
    tcase_add_test(tc, test_refdata_counts_match_manifest);
    tcase_add_test(tc, test_refdata_tables_sorted_by_code);
    tcase_add_test(tc, test_refdata_every_commune_province_exists);
    tcase_add_test(tc, test_refdata_name_tables_iterate);
    tcase_add_test(tc, test_refdata_manifest_invariants);
    suite_add_tcase(s, tc);

    tc = tcase_create("lookups");
    tcase_add_test(tc, test_refdata_province_by_code);
    tcase_add_test(tc, test_refdata_province_by_name_forms);
    tcase_add_test(tc, test_refdata_commune_by_name_conflict);
    tcase_add_test(tc, test_refdata_conversion_successors_and_predecessors);
    tcase_add_test(tc, test_refdata_every_old_commune_converts);
    tcase_add_test(tc, test_refdata_as_of);
    tcase_add_test(tc, test_refdata_cccd);
    tcase_add_test(tc, test_refdata_religions);
    tcase_add_test(tc, test_refdata_labels);
    tcase_add_test(tc, test_refdata_labels_match_schema);
    suite_add_tcase(s, tc);

    tc = tcase_create("defects");
    tcase_add_test(tc, test_refdata_defect_A1_spaces);
    tcase_add_test(tc, test_refdata_defect_A2_type_word_case);
    tcase_add_test(tc, test_refdata_defect_A3_doubled_type_word);
    tcase_add_test(tc, test_refdata_defect_A4_letter_errors);
    tcase_add_test(tc, test_refdata_defect_A5_stale_codes);
    tcase_add_test(tc, test_refdata_defect_A6_mixed_tone_placement);
    tcase_add_test(tc, test_refdata_defect_A7_apostrophes);
    tcase_add_test(tc, test_refdata_defect_A8_abbreviations);
    tcase_add_test(tc, test_refdata_defect_A9_numerals);
    tcase_add_test(tc, test_refdata_defect_A10_syllables_run_together);
    tcase_add_test(tc, test_refdata_defect_A11_spelling_variants);
    tcase_add_test(tc, test_refdata_defect_A12_tu_nhien);
    tcase_add_test(tc, test_refdata_defect_B1_ia_mo_code);
    tcase_add_test(tc, test_refdata_defect_B2_line_breaks);
    tcase_add_test(tc, test_refdata_defect_B3_abbreviated_province);
    tcase_add_test(tc, test_refdata_defect_B4_hyphen_spaces);
    tcase_add_test(tc, test_refdata_defect_C_split_area_population);
    tcase_add_test(tc, test_refdata_defect_D_merges_json_links);
    tcase_add_test(tc, test_refdata_defect_E1_ba_che_code);
    tcase_add_test(tc, test_refdata_defect_E2_pho_bang);
    tcase_add_test(tc, test_refdata_defect_E3_official_spelling_kept);
    tcase_add_test(tc, test_refdata_defect_F_letter_I_l);
    tcase_add_test(tc, test_refdata_defect_G1_eth_letter);
    tcase_add_test(tc, test_refdata_defect_G2_name_residue);
    tcase_add_test(tc, test_refdata_defect_G3_lower_case_name);
    tcase_add_test(tc, test_refdata_defect_H1_tay_khao_is_thai);
    tcase_add_test(tc, test_refdata_defect_H2_hang_bong_hang_tong);
    tcase_add_test(tc, test_refdata_defect_H3_field_bleed);
    tcase_add_test(tc, test_refdata_defect_H4_punctuation_and_extra_codes);
    tcase_add_test(tc, test_refdata_defect_H5_same_code_two_lists);
    tcase_add_test(tc, test_refdata_defect_H6_spelling_variants);
    tcase_add_test(tc, test_refdata_defect_H7_ambiguous_names);
    tcase_add_test(tc, test_refdata_defect_I_religion_codes_unpadded);
    suite_add_tcase(s, tc);

    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
