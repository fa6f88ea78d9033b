/* check_generate.c: the synthetic data generator and the scorer. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "partydata/partydata.h"

static char tmpdir[256];

static void setup_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/check_generate.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown_tmp(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) { /* best effort */ }
}

static pd_generator *mkgen(long long n, const char *prov, uint64_t seed, double dirty, double dups)
{
    pd_generate_options o;
    ck_assert_int_eq(pd_generate_options_init(&o, PD_GENERATE_OPTIONS_VERSION), 0);
    o.members = n;
    o.province = prov;
    o.seed = seed;
    o.dirty = dirty;
    o.duplicates = dups;
    pd_generator *g = NULL;
    ck_assert_int_eq(pd_generator_new(&g, &o), 0);
    ck_assert_ptr_nonnull(g);
    return g;
}

/* ---- options ---------------------------------------------------------------------- */

START_TEST(test_generate_options_init_matches_macro)
{
    pd_generate_options a = PD_GENERATE_OPTIONS_INIT, b;
    memset(&b, 0xff, sizeof b);
    ck_assert_int_eq(pd_generate_options_init(&b, PD_GENERATE_OPTIONS_VERSION), 0);
    ck_assert_uint_eq(a.version, b.version);
    ck_assert(a.seed == b.seed && a.members == b.members && a.province == b.province);
    ck_assert(a.dirty == b.dirty && a.duplicates == b.duplicates && a.flags == b.flags);
    ck_assert_int_eq(pd_generate_options_init(&b, 99), PD_EINVALID);
    ck_assert_int_eq(pd_generate_options_init(NULL, PD_GENERATE_OPTIONS_VERSION), PD_EINVALID);
}
END_TEST

START_TEST(test_generate_new_bad_options)
{
    pd_generate_options o = PD_GENERATE_OPTIONS_INIT;
    pd_generator *g = (pd_generator *)1;
    o.members = -1;
    ck_assert_int_eq(pd_generator_new(&g, &o), PD_EINVALID);
    ck_assert_ptr_null(g);
    o.members = 10;
    o.dirty = 2;
    ck_assert_int_eq(pd_generator_new(&g, &o), PD_EINVALID);
    o.dirty = 0;
    o.duplicates = -0.5;
    ck_assert_int_eq(pd_generator_new(&g, &o), PD_EINVALID);
    o.duplicates = 0;
    o.province = "99";
    ck_assert_int_eq(pd_generator_new(&g, &o), PD_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(pd_error_last()->message, "99"));
    o.province = "Hanoi";
    ck_assert_int_eq(pd_generator_new(&g, &o), PD_ENOTFOUND);
    o.province = NULL;
    o.version = 7;
    ck_assert_int_eq(pd_generator_new(&g, &o), PD_EINVALID);
    ck_assert_int_eq(pd_generator_new(NULL, NULL), PD_EINVALID);
}
END_TEST

/* ---- the stream ------------------------------------------------------------------------ */

START_TEST(test_generate_next_orgs_then_members)
{
    pd_generator *g = mkgen(300, "44", 1, 0, 0);
    long long orgs = 0, members = 0, levels[10] = { 0 };
    int member_seen = 0, order_ok = 1;
    pd_record *r;
    int rc;
    while ((rc = pd_generator_next(&r, g)) == 0) {
        pd_kind k = pd_record_kind(r);
        if (k == PD_KIND_ORG) {
            orgs++;
            if (member_seen) order_ok = 0;
            char *lv = NULL;
            if (pd_record_get(&lv, r, "level") == 0) {
                if (strstr(lv, "CAP_XA")) levels[4]++;
                if (strstr(lv, "TRUNG_UONG")) levels[1]++;
                if (strstr(lv, "TRUC_THUOC_TW")) levels[2]++;
                pd_free(lv);
            }
        } else if (k == PD_KIND_MEMBER) {
            members++;
            member_seen = 1;
        }
        pd_record_free(r);
    }
    ck_assert_int_eq(rc, PD_ITEROVER);
    ck_assert(order_ok);
    ck_assert_int_eq(members, 300);
    ck_assert_int_eq(levels[1], 1);
    ck_assert_int_eq(levels[2], 1);
    ck_assert_int_gt(levels[4], 50); /* Quảng Trị has 78 communes */
    pd_generate_stats st;
    ck_assert_int_eq(pd_generator_stats(&st, g), 0);
    ck_assert_int_eq(st.members, 300);
    ck_assert_int_eq(st.persons, 300);
    ck_assert_int_eq(st.organizations, orgs);
    ck_assert_int_eq(st.defects, 0);
    ck_assert_int_eq(pd_generator_next(&r, g), PD_ITEROVER);
    ck_assert_int_gt(pd_generator_expected(g), 300);
    pd_generator_free(g);
}
END_TEST

START_TEST(test_generate_next_member_fields)
{
    pd_generator *g = mkgen(400, "01", 5, 0, 0);
    pd_record *r;
    int n = 0, cards = 0, du_bi = 0, women = 0;
    while (pd_generator_next(&r, g) == 0) {
        pd_member *m = pd_record_member(r);
        if (!m) { pd_record_free(r); continue; }
        n++;
        const char *name = pd_member_full_name(m);
        ck_assert_ptr_nonnull(name);
        ck_assert_ptr_nonnull(strchr(name, ' '));
        const char *cccd = pd_member_cccd(m);
        ck_assert_ptr_nonnull(cccd);
        ck_assert_uint_eq(strlen(cccd), 12);
        pd_date b, dec, cer, off;
        ck_assert_int_eq(pd_member_birth_date(&b, m), 0);
        /* CCCD: century/sex digit and year */
        int sexd = cccd[3] - '0';
        ck_assert_int_eq(sexd % 2, pd_member_gender(m) == PD_GENDER_NU ? 1 : 0);
        ck_assert_int_eq(sexd / 2, b.year >= 2000 ? 1 : 0);
        ck_assert_int_eq((cccd[4] - '0') * 10 + cccd[5] - '0', b.year % 100);
        ck_assert_int_eq(pd_member_admission_decision_date(&dec, m), 0);
        ck_assert_int_eq(pd_member_admission_date(&cer, m), 0);
        /* age >= 18 at the decision, ceremony after the decision */
        ck_assert_int_ge((dec.year - b.year) * 12 + dec.month - b.month, 18 * 12);
        ck_assert_int_ge(cer.year * 400 + cer.month * 32 + cer.day, dec.year * 400 + dec.month * 32 + dec.day);
        pd_status s = pd_member_status(m);
        if (s == PD_STATUS_DU_BI) {
            du_bi++;
            ck_assert_ptr_null(pd_member_party_card_no(m));
        } else {
            ck_assert_int_eq(pd_member_official_date(&off, m), 0);
            ck_assert_int_eq(off.year, cer.year + 1);
            ck_assert_int_eq(off.month, cer.month);
            ck_assert_int_eq(off.day, cer.day);
            const char *card = pd_member_party_card_no(m);
            ck_assert_ptr_nonnull(card);
            ck_assert_uint_eq(strlen(card), 8);
            cards++;
        }
        if (pd_member_gender(m) == PD_GENDER_NU) women++;
        size_t ne = 0;
        ck_assert_int_eq(pd_record_count(&ne, r, "events"), 0);
        ck_assert_uint_ge(ne, 2);
        size_t nm = 0;
        ck_assert_int_eq(pd_record_count(&nm, r, "memberships"), 0);
        ck_assert_uint_ge(nm, 1);
        pd_record_free(r);
    }
    ck_assert_int_eq(n, 400);
    ck_assert_int_gt(cards, 300);
    ck_assert_int_gt(women, 80);   /* about a third */
    ck_assert_int_lt(women, 200);
    (void)du_bi;
    pd_generator_free(g);
}
END_TEST

static unsigned long long stream_hash(uint64_t seed, double dirty, double dups)
{
    pd_generator *g = mkgen(200, "44", seed, dirty, dups);
    unsigned long long h = 1469598103934665603ULL;
    pd_record *r;
    while (pd_generator_next(&r, g) == 0) {
        unsigned char *buf = NULL;
        size_t len = 0;
        ck_assert_int_eq(pd_record_to_pb(&buf, &len, r), 0);
        for (size_t i = 0; i < len; i++) { h ^= buf[i]; h *= 1099511628211ULL; }
        pd_free(buf);
        pd_record_free(r);
        pd_truth_item it;
        while (pd_generator_truth_next(&it, g) == 0) {
            char *j = NULL;
            ck_assert_int_eq(pd_truth_item_to_json(&j, &it), 0);
            for (char *p = j; *p; p++) { h ^= (unsigned char)*p; h *= 1099511628211ULL; }
            pd_free(j);
        }
    }
    pd_generator_free(g);
    return h;
}

START_TEST(test_generate_next_deterministic)
{
    ck_assert(stream_hash(11, 0.3, 0.1) == stream_hash(11, 0.3, 0.1));
    ck_assert(stream_hash(11, 0.3, 0.1) != stream_hash(12, 0.3, 0.1));
}
END_TEST

/* ---- truth -------------------------------------------------------------------------------- */

START_TEST(test_generate_truth_defects_and_clusters)
{
    pd_generator *g = mkgen(2000, "44", 3, 0.5, 0.1);
    pd_record *r;
    long long defects = 0, clusters = 0, kinds_seen = 0;
    int seen[32] = { 0 };
    const char *const *kinds = pd_generate_defect_kinds();
    while (pd_generator_next(&r, g) == 0) {
        pd_uuid id;
        pd_record_id(&id, r);
        pd_truth_item it;
        while (pd_generator_truth_next(&it, g) == 0) {
            if (it.type == PD_TRUTH_DEFECT) {
                defects++;
                /* a defect names the record just returned and a field that holds the dirty value */
                ck_assert_int_eq(pd_uuid_cmp(&it.record_id, &id), 0);
                ck_assert_str_ne(it.clean, it.dirty);
                int k;
                for (k = 0; kinds[k]; k++)
                    if (!strcmp(kinds[k], it.kind)) break;
                ck_assert_ptr_nonnull(kinds[k]);
                if (!seen[k]++) kinds_seen++;
                if (!strcmp(it.path, "full_name")) {
                    char *v = NULL;
                    ck_assert_int_eq(pd_record_get(&v, r, "full_name"), 0);
                    ck_assert_str_eq(v, it.dirty);
                    pd_free(v);
                }
            } else {
                ck_assert_int_eq(it.type, PD_TRUTH_CLUSTER);
                ck_assert_uint_ge(it.member_count, 2);
                /* the last member is the record just returned */
                ck_assert_int_eq(pd_uuid_cmp(&it.members[it.member_count - 1], &id), 0);
                clusters++;
            }
        }
        pd_record_free(r);
    }
    pd_generate_stats st;
    pd_generator_stats(&st, g);
    ck_assert_int_eq(st.defects, defects);
    ck_assert_int_eq(st.clusters, clusters);
    ck_assert_int_gt(defects, 800);
    ck_assert_int_gt(clusters, 120);
    ck_assert_int_lt(clusters, 300);
    ck_assert_int_eq(st.members, st.persons + st.duplicates);
    ck_assert_int_ge(kinds_seen, 10);
    pd_truth_item none;
    ck_assert_int_eq(pd_generator_truth_next(&none, g), PD_ITEROVER);
    pd_generator_free(g);
}
END_TEST

START_TEST(test_generate_truth_item_to_json)
{
    pd_truth_item it;
    memset(&it, 0, sizeof it);
    it.type = PD_TRUTH_DEFECT;
    pd_uuid_parse(&it.record_id, "01234567-89ab-7def-8123-456789abcdef");
    it.path = "full_name";
    it.kind = "nfd";
    it.clean = "Hòa";
    it.dirty = "Hoa\xcc\x80";
    char *j = NULL;
    ck_assert_int_eq(pd_truth_item_to_json(&j, &it), 0);
    ck_assert_str_eq(j, "{\"type\":\"defect\",\"record_id\":\"01234567-89ab-7def-8123-456789abcdef\","
                        "\"path\":\"full_name\",\"kind\":\"nfd\",\"clean\":\"Hòa\",\"dirty\":\"Hoa\xcc\x80\"}");
    pd_free(j);
    pd_uuid ms[2];
    pd_uuid_parse(&ms[0], "01234567-89ab-7def-8123-456789abcdef");
    pd_uuid_parse(&ms[1], "01234567-89ab-7def-8123-456789abcde0");
    memset(&it, 0, sizeof it);
    it.type = PD_TRUTH_CLUSTER;
    it.members = ms;
    it.member_count = 2;
    ck_assert_int_eq(pd_truth_item_to_json(&j, &it), 0);
    ck_assert_str_eq(j, "{\"type\":\"cluster\",\"members\":[\"01234567-89ab-7def-8123-456789abcdef\","
                        "\"01234567-89ab-7def-8123-456789abcde0\"]}");
    pd_free(j);
    it.type = 9;
    ck_assert_int_eq(pd_truth_item_to_json(&j, &it), PD_EINVALID);
    ck_assert_int_eq(pd_truth_item_to_json(NULL, &it), PD_EINVALID);
}
END_TEST

/* ---- validation of clean output --------------------------------------------------------- */

START_TEST(test_generate_clean_passes_validation)
{
    pd_generator *g = mkgen(1500, NULL, 21, 0, 0);
    pd_validate_options vo;
    pd_validate_options_init(&vo, PD_VALIDATE_OPTIONS_VERSION);
    vo.today.year = 2025; vo.today.month = 10; vo.today.day = 1;
    pd_findings *f = NULL;
    ck_assert_int_eq(pd_findings_new(&f), 0);
    pd_record *r;
    size_t errors = 0;
    while (pd_generator_next(&r, g) == 0) {
        pd_findings_clear(f);
        ck_assert_int_eq(pd_validate_record(f, r, &vo), 0);
        for (size_t i = 0; i < pd_findings_count(f); i++) {
            const pd_finding *x = pd_findings_get(f, i);
            if (x->severity == PD_SEVERITY_ERROR) {
                if (errors < 5) fprintf(stderr, "unexpected: %s %s %s\n", x->rule, x->path, x->message_en);
                errors++;
            }
        }
        pd_record_free(r);
    }
    ck_assert_uint_eq(errors, 0);
    pd_findings_free(f);
    pd_generator_free(g);
}
END_TEST

START_TEST(test_generate_pre2025_tree)
{
    pd_generate_options o = PD_GENERATE_OPTIONS_INIT;
    o.members = 200;
    o.province = "44"; /* Quảng Bình in the pre-2025 list */
    o.flags = PD_GENERATE_PRE2025;
    pd_generator *g = NULL;
    ck_assert_int_eq(pd_generator_new(&g, &o), 0);
    pd_record *r;
    int districts = 0, members = 0;
    while (pd_generator_next(&r, g) == 0) {
        char *lv = NULL;
        if (pd_record_kind(r) == PD_KIND_ORG && pd_record_get(&lv, r, "level") == 0) {
            if (strstr(lv, "CAP_HUYEN")) districts++;
            pd_free(lv);
        }
        if (pd_record_kind(r) == PD_KIND_MEMBER) {
            char *v = NULL;
            ck_assert_int_eq(pd_record_get(&v, r, "hometown.admin_version"), 0);
            ck_assert_ptr_nonnull(strstr(v, "PRE2025"));
            pd_free(v);
            members++;
        }
        pd_record_free(r);
    }
    ck_assert_int_ge(districts, 5);
    ck_assert_int_eq(members, 200);
    pd_generator_free(g);
}
END_TEST

/* ---- files and the scorer --------------------------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
}

START_TEST(test_generate_file_and_score)
{
    char out[320], truth[320], clusters[320], findings[320];
    snprintf(out, sizeof out, "%s/w.jsonl", tmpdir);
    snprintf(truth, sizeof truth, "%s/t.jsonl", tmpdir);
    pd_generate_options o = PD_GENERATE_OPTIONS_INIT;
    o.members = 300;
    o.province = "44";
    o.dirty = 0.3;
    o.duplicates = 0.2;
    pd_generate_stats st;
    ck_assert_int_eq(pd_generate_file(&st, out, 0, truth, &o, NULL, NULL), 0);
    ck_assert_int_eq(access(out, R_OK), 0);
    ck_assert_int_gt(st.clusters, 10);
    /* the truth's own clusters score 1.0 */
    snprintf(clusters, sizeof clusters, "%s/c.jsonl", tmpdir);
    {
        FILE *in = fopen(truth, "r"), *cf = fopen(clusters, "w");
        char line[4096];
        while (fgets(line, sizeof line, in))
            if (strstr(line, "\"cluster\"")) fputs(line, cf);
        fclose(in);
        fclose(cf);
    }
    pd_score *s = NULL;
    ck_assert_int_eq(pd_score_clusters(&s, truth, clusters), 0);
    const pd_score_row *p = pd_score_find(s, "pairs"), *c = pd_score_find(s, "clusters");
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_nonnull(c);
    ck_assert(p->precision == 1.0 && p->recall == 1.0 && p->f1 == 1.0);
    ck_assert_int_eq(c->truth, st.clusters);
    ck_assert(c->f1 == 1.0);
    char *txt = NULL;
    ck_assert_int_eq(pd_score_to_text(&txt, s), 0);
    ck_assert_ptr_nonnull(strstr(txt, "pairs"));
    pd_free(txt);
    ck_assert_int_eq(pd_score_to_json(&txt, s), 0);
    ck_assert_ptr_nonnull(strstr(txt, "\"name\":\"clusters\""));
    pd_free(txt);
    ck_assert_uint_eq(pd_score_count(s), 2);
    ck_assert_ptr_null(pd_score_get(s, 2));
    pd_score_free(s);

    /* a half-right clustering: one wrong pair, one right */
    write_file(truth, "{\"type\":\"cluster\",\"members\":[\"00000000-0000-7000-8000-000000000001\",\"00000000-0000-7000-8000-000000000002\"]}\n"
                      "{\"type\":\"cluster\",\"members\":[\"00000000-0000-7000-8000-000000000003\",\"00000000-0000-7000-8000-000000000004\"]}\n"
                      "{\"type\":\"defect\",\"record_id\":\"00000000-0000-7000-8000-000000000009\",\"path\":\"birth_date\",\"kind\":\"day_month_swap\",\"clean\":\"1970-03-05\",\"dirty\":\"1970-05-03\"}\n"
                      "{\"type\":\"defect\",\"record_id\":\"00000000-0000-7000-8000-000000000009\",\"path\":\"full_name\",\"kind\":\"nfd\",\"clean\":\"Hòa\",\"dirty\":\"x\"}\n");
    write_file(clusters, "{\"cluster\":1,\"members\":[\"00000000-0000-7000-8000-000000000001\",\"00000000-0000-7000-8000-000000000002\"]}\n"
                         "{\"cluster\":2,\"members\":[\"00000000-0000-7000-8000-000000000003\",\"00000000-0000-7000-8000-000000000005\"]}\n");
    ck_assert_int_eq(pd_score_clusters(&s, truth, clusters), 0);
    p = pd_score_find(s, "pairs");
    ck_assert_int_eq(p->truth, 2);
    ck_assert_int_eq(p->found, 2);
    ck_assert_int_eq(p->tp_found, 1);
    ck_assert(p->precision == 0.5 && p->recall == 0.5);
    pd_score_free(s);

    /* findings: prefix matching, a false positive, a fix */
    snprintf(findings, sizeof findings, "%s/f.jsonl", tmpdir);
    write_file(findings, "{\"rule\":\"PD-R900\",\"path\":\"birth_date.day\",\"record_id\":\"00000000-0000-7000-8000-000000000009\"}\n"
                         "{\"rule\":\"PD-N001\",\"path\":\"full_name\",\"record_id\":\"00000000-0000-7000-8000-000000000009\",\"new\":\"Hòa\"}\n"
                         "{\"rule\":\"PD-R901\",\"path\":\"birth_dates\",\"record_id\":\"00000000-0000-7000-8000-000000000009\"}\n");
    ck_assert_int_eq(pd_score_findings(&s, truth, findings), 0);
    const pd_score_row *o2 = pd_score_find(s, "overall"), *swap = pd_score_find(s, "day_month_swap"),
                       *nfd = pd_score_find(s, "nfd"), *r901 = pd_score_find(s, "rule:PD-R901");
    ck_assert_ptr_nonnull(o2);
    ck_assert_ptr_nonnull(swap);
    ck_assert_int_eq(swap->tp_truth, 1);
    ck_assert(swap->recall == 1.0);
    ck_assert_int_eq(nfd->fixed, 1);
    ck_assert_int_eq(r901->found, 1);
    ck_assert_int_eq(r901->tp_found, 0);
    ck_assert_int_eq(o2->found, 3);
    ck_assert_int_eq(o2->tp_found, 2);
    pd_score_free(s);

    /* errors */
    char missing[320];
    snprintf(missing, sizeof missing, "%s/none.jsonl", tmpdir);
    ck_assert_int_eq(pd_score_findings(&s, missing, findings), PD_ENOTFOUND);
    ck_assert_ptr_null(s);
    write_file(findings, "[1,2]\n");
    ck_assert_int_eq(pd_score_findings(&s, truth, findings), PD_EPARSE);
    ck_assert_int_eq(pd_error_last()->line, 1);
    ck_assert_int_eq(pd_score_clusters(&s, NULL, clusters), PD_EINVALID);
    ck_assert_int_eq(pd_score_to_json(NULL, NULL), PD_EINVALID);
}
END_TEST

START_TEST(test_generate_file_bad_path_leaves_nothing)
{
    pd_generate_options o = PD_GENERATE_OPTIONS_INIT;
    o.members = 10;
    o.province = "44";
    ck_assert_int_lt(pd_generate_file(NULL, "/nonexistent-dir/x.jsonl", 0, NULL, &o, NULL, NULL), 0);
    char out[320];
    snprintf(out, sizeof out, "%s/bad.jsonl", tmpdir);
    o.members = -5;
    ck_assert_int_eq(pd_generate_file(NULL, out, 0, NULL, &o, NULL, NULL), PD_EINVALID);
    ck_assert_int_ne(access(out, F_OK), 0);
}
END_TEST

static Suite *generate_suite(void)
{
    Suite *s = suite_create("generate");
    TCase *t = tcase_create("options");
    tcase_add_test(t, test_generate_options_init_matches_macro);
    tcase_add_test(t, test_generate_new_bad_options);
    suite_add_tcase(s, t);
    t = tcase_create("stream");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, test_generate_next_orgs_then_members);
    tcase_add_test(t, test_generate_next_member_fields);
    tcase_add_test(t, test_generate_next_deterministic);
    tcase_add_test(t, test_generate_pre2025_tree);
    suite_add_tcase(s, t);
    t = tcase_create("truth");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, test_generate_truth_defects_and_clusters);
    tcase_add_test(t, test_generate_truth_item_to_json);
    tcase_add_test(t, test_generate_clean_passes_validation);
    suite_add_tcase(s, t);
    t = tcase_create("files_and_score");
    tcase_add_checked_fixture(t, setup_tmp, teardown_tmp);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, test_generate_file_and_score);
    tcase_add_test(t, test_generate_file_bad_path_leaves_nothing);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(generate_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
