/* check_match.c: comparators, matcher (blocking, scoring, EM, clusters, incremental),
 * explanations, evaluation. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

#include "partydata/partydata.h"

static pd_member *mk(const char *name, int y, int m, int d, const char *cccd, const char *card,
                     int gender, const char *home_prov, const char *home_comm)
{
    pd_member *x = NULL;
    ck_assert_int_eq(pd_member_new(&x), 0);
    if (name)
        ck_assert_int_eq(pd_member_set_full_name(x, name), 0);
    if (y) {
        pd_date dt = {y, m, d};
        ck_assert_int_eq(pd_member_set_birth_date(x, &dt), 0);
    }
    if (cccd)
        ck_assert_int_eq(pd_member_set_cccd(x, cccd), 0);
    if (card)
        ck_assert_int_eq(pd_member_set_party_card_no(x, card), 0);
    if (gender)
        pd_member_set_gender(x, (pd_gender)gender);
    pd_record *r = pd_member_record(x);
    if (home_prov) {
        ck_assert_int_eq(pd_record_set(r, "hometown.admin_version", "ADMIN_VERSION_2025"), 0);
        ck_assert_int_eq(pd_record_set(r, "hometown.province_code", home_prov), 0);
    }
    if (home_comm)
        ck_assert_int_eq(pd_record_set(r, "hometown.commune_code", home_comm), 0);
    return x;
}

/* ---- comparators ---------------------------------------------------------- */

START_TEST(test_match_jaro_winkler_values)
{
    ck_assert(fabs(pd_match_jaro_winkler("martha", "marhta") - 0.9611) < 0.001);
    ck_assert(fabs(pd_match_jaro_winkler("dixon", "dicksonx") - 0.8133) < 0.001);
    ck_assert(pd_match_jaro_winkler("abc", "abc") == 1.0);
    ck_assert(pd_match_jaro_winkler("", "abc") == 0.0);
    ck_assert(pd_match_jaro_winkler(NULL, "abc") == 0.0);
    /* by code point, not byte */
    ck_assert(pd_match_jaro_winkler("Hùng", "Hùng") == 1.0);
}
END_TEST

START_TEST(test_match_name_similarity_vietnamese)
{
    const char *how = NULL;
    /* tone placement and case */
    ck_assert(pd_match_name_similarity("Nguyễn Thị Hoà", "nguyễn thị hòa", &how) == 1.0);
    ck_assert_str_eq(how, "exact (tone placement, case)");
    /* written without accents */
    ck_assert(pd_match_name_similarity("Nguyen Van Hung", "Nguyễn Văn Hùng", &how) == 1.0);
    ck_assert_str_eq(how, "accents missing");
    /* accents differ: Hùng and Hưng are different names, only close */
    ck_assert(pd_match_name_similarity("Nguyễn Văn Hùng", "Nguyễn Văn Hưng", &how) < 1.0);
    ck_assert_str_eq(how, "accents differ");
    /* name order swap */
    ck_assert(pd_match_name_similarity("Văn Hùng Nguyễn", "Nguyễn Văn Hùng", &how) == 1.0);
    ck_assert_str_eq(how, "name order swap");
    /* a typo */
    double s = pd_match_name_similarity("Nguyễn Văn Hùmg", "Nguyễn Văn Hùng", &how);
    ck_assert(s > 0.9 && s < 1.0);
    ck_assert_str_eq(how, "jaro-winkler");
    /* different */
    ck_assert(pd_match_name_similarity("Trần Thị Lan", "Nguyễn Văn Hùng", &how) < 0.9);
    ck_assert_str_eq(how, "different");
    /* Đ folds to d */
    ck_assert(pd_match_name_similarity("Đặng Đức", "Dang Duc", &how) == 1.0);
}
END_TEST

START_TEST(test_match_id_compare_slips)
{
    const char *how;
    ck_assert_int_eq(pd_match_id_compare("001085012345", "001085012345", &how), PD_MATCH_AGREE);
    ck_assert_int_eq(pd_match_id_compare("001085012345", "001085012346", &how), PD_MATCH_PARTIAL);
    ck_assert_str_eq(how, "one-digit slip");
    ck_assert_int_eq(pd_match_id_compare("001085012345", "001085021345", &how), PD_MATCH_PARTIAL);
    ck_assert_str_eq(how, "transposition");
    /* a lost leading zero (spreadsheet) */
    ck_assert_int_eq(pd_match_id_compare("012345678", "12345678", &how), PD_MATCH_PARTIAL);
    ck_assert_str_eq(how, "digit dropped");
    ck_assert_int_eq(pd_match_id_compare("001085012345", "079190654321", &how), PD_MATCH_DISAGREE);
    ck_assert_int_eq(pd_match_id_compare("", "079190654321", &how), PD_MATCH_MISSING);
    ck_assert_int_eq(pd_match_id_compare(NULL, "1", NULL), PD_MATCH_MISSING);
    /* separators ignored */
    ck_assert_int_eq(pd_match_id_compare("001 085 012 345", "001085012345", NULL), PD_MATCH_AGREE);
}
END_TEST

START_TEST(test_match_date_compare_partial_swaps)
{
    const char *how;
    pd_date a = {1975, 3, 12}, b = {1975, 12, 3}, y = {1975, 0, 0}, c = {1957, 3, 12},
            d = {1980, 1, 1}, z = {0, 0, 0};
    ck_assert_int_eq(pd_match_date_compare(&a, &a, &how), PD_MATCH_AGREE);
    ck_assert_int_eq(pd_match_date_compare(&a, &b, &how), PD_MATCH_PARTIAL);
    ck_assert_str_eq(how, "day/month swap");
    ck_assert_int_eq(pd_match_date_compare(&a, &y, &how), PD_MATCH_PARTIAL);
    ck_assert_str_eq(how, "partial date");
    ck_assert_int_eq(pd_match_date_compare(&a, &c, &how), PD_MATCH_PARTIAL);
    ck_assert_str_eq(how, "typing slip in year");
    ck_assert_int_eq(pd_match_date_compare(&a, &d, &how), PD_MATCH_DISAGREE);
    ck_assert_int_eq(pd_match_date_compare(&a, &z, &how), PD_MATCH_MISSING);
    ck_assert_int_eq(pd_match_date_compare(NULL, &a, NULL), PD_MATCH_MISSING);
}
END_TEST

START_TEST(test_match_compare_explains_fields)
{
    pd_member *a = mk("Nguyễn Thị Hoà", 1975, 3, 12, "001175012345", "12345678", 2, "01", "00004");
    pd_member *b = mk("Nguyen Thi Hoa", 1975, 12, 3, "001175012354", NULL, 2, "01", "00004");
    pd_match_explanation e;
    ck_assert_int_eq(pd_match_compare(&e, a, b, NULL), 0);
    ck_assert_int_eq(e.fields[PD_MATCH_FIELD_NAME].level, PD_MATCH_AGREE);
    ck_assert_int_eq(e.fields[PD_MATCH_FIELD_BIRTH_DATE].level, PD_MATCH_PARTIAL);
    ck_assert_str_eq(e.fields[PD_MATCH_FIELD_BIRTH_DATE].how, "day/month swap");
    ck_assert_int_eq(e.fields[PD_MATCH_FIELD_CCCD].level, PD_MATCH_PARTIAL);
    ck_assert_str_eq(e.fields[PD_MATCH_FIELD_CCCD].how, "transposition");
    ck_assert_int_eq(e.fields[PD_MATCH_FIELD_PARTY_CARD].level, PD_MATCH_MISSING);
    ck_assert(e.fields[PD_MATCH_FIELD_PARTY_CARD].weight == 0.0);
    ck_assert_int_eq(e.fields[PD_MATCH_FIELD_HOMETOWN].level, PD_MATCH_AGREE);
    ck_assert(e.score > 10.0);
    double sum = 0;
    for (int i = 0; i < PD_MATCH_NFIELDS; i++)
        sum += e.fields[i].weight;
    ck_assert(fabs(sum - e.score) < 1e-9);
    char *txt = NULL, *js = NULL;
    ck_assert_int_eq(pd_match_explanation_text(&txt, &e), 0);
    ck_assert_ptr_nonnull(strstr(txt, "day/month swap"));
    ck_assert_int_eq(pd_match_explanation_json(&js, &e), 0);
    ck_assert_ptr_nonnull(strstr(js, "\"field\":\"cccd\""));
    pd_free(txt);
    pd_free(js);
    ck_assert_int_eq(pd_match_compare(&e, a, NULL, NULL), PD_EINVALID);
    pd_member_free(a);
    pd_member_free(b);
}
END_TEST

START_TEST(test_match_compare_addresses_2025_conversion)
{
    /* an old commune code against the code of its 2025 successor: the same place */
    const pd_conversion *cv = NULL;
    for (size_t i = 0; i < pd_refdata_conversion_count(); i++) {
        cv = pd_refdata_conversion_at(i);
        if (cv->old_code && *cv->old_code && !cv->partial && strcmp(cv->old_code, cv->new_code))
            break;
        cv = NULL;
    }
    ck_assert_ptr_nonnull(cv);
    pd_member *a = mk("Hà Văn Tâm", 1966, 1, 2, NULL, NULL, 1, NULL, NULL);
    pd_member *b = mk("Hà Văn Tâm", 1966, 1, 2, NULL, NULL, 1, NULL, NULL);
    pd_record *ra = pd_member_record(a), *rb = pd_member_record(b);
    ck_assert_int_eq(pd_record_set(ra, "hometown.admin_version", "ADMIN_VERSION_PRE2025"), 0);
    ck_assert_int_eq(pd_record_set(ra, "hometown.province_code", cv->old_province_code), 0);
    ck_assert_int_eq(pd_record_set(ra, "hometown.commune_code", cv->old_code), 0);
    ck_assert_int_eq(pd_record_set(rb, "hometown.admin_version", "ADMIN_VERSION_2025"), 0);
    ck_assert_int_eq(pd_record_set(rb, "hometown.province_code", cv->new_province_code), 0);
    ck_assert_int_eq(pd_record_set(rb, "hometown.commune_code", cv->new_code), 0);
    /* residences known only as text */
    ck_assert_int_eq(pd_record_set(ra, "permanent_residence.text", "Thôn 3, xã Tân Lập, huyện Đan Phượng"), 0);
    ck_assert_int_eq(pd_record_set(rb, "permanent_residence.text", "thon 3 Tan Lap, Dan Phuong"), 0);
    pd_match_explanation e;
    ck_assert_int_eq(pd_match_compare(&e, a, b, NULL), 0);
    ck_assert_int_eq(e.fields[PD_MATCH_FIELD_HOMETOWN].level, PD_MATCH_AGREE);
    ck_assert_str_eq(e.fields[PD_MATCH_FIELD_HOMETOWN].how, "same commune (2025 codes)");
    ck_assert_int_eq(e.fields[PD_MATCH_FIELD_RESIDENCE].level, PD_MATCH_AGREE);
    ck_assert_str_eq(e.fields[PD_MATCH_FIELD_RESIDENCE].how, "text similarity");
    ck_assert_int_eq(pd_record_set(rb, "permanent_residence.text", "Phường Bến Nghé, Quận 1"), 0);
    ck_assert_int_eq(pd_match_compare(&e, a, b, NULL), 0);
    ck_assert_int_eq(e.fields[PD_MATCH_FIELD_RESIDENCE].level, PD_MATCH_DISAGREE);
    pd_member_free(a);
    pd_member_free(b);
}
END_TEST

START_TEST(test_match_names_levels)
{
    ck_assert_str_eq(pd_match_field_name(PD_MATCH_FIELD_CCCD), "cccd");
    ck_assert_str_eq(pd_match_field_name((pd_match_field)99), "?");
    ck_assert_str_eq(pd_match_level_name(PD_MATCH_PARTIAL), "PARTIAL");
    ck_assert_str_eq(pd_match_level_name((pd_match_level)9), "?");
}
END_TEST

/* ---- matcher -------------------------------------------------------------------- */

START_TEST(test_match_options_init_versions)
{
    pd_match_options o, i = PD_MATCH_OPTIONS_INIT;
    ck_assert_int_eq(pd_match_options_init(&o, PD_MATCH_OPTIONS_VERSION), 0);
    ck_assert_uint_eq(o.version, i.version);
    ck_assert_uint_eq(o.flags, i.flags);
    ck_assert(o.threshold == i.threshold);
    ck_assert_int_eq(o.em_iterations, i.em_iterations);
    ck_assert_uint_eq(o.max_block, i.max_block);
    ck_assert_uint_eq(o.em_sample, i.em_sample);
    ck_assert_int_eq(pd_match_options_init(&o, 99), PD_EINVALID);
    pd_matcher *mt = NULL;
    o.version = 99;
    ck_assert_int_eq(pd_matcher_new(&mt, &o), PD_EINVALID);
    ck_assert_ptr_null(mt);
    o.version = PD_MATCH_OPTIONS_VERSION;
    o.threshold = NAN;
    ck_assert_int_eq(pd_matcher_new(&mt, &o), PD_EINVALID);
}
END_TEST

/* a small population: 3 true duplicate groups among distinct people */
static pd_matcher *small_run(unsigned flags, uint64_t *truth, size_t *n)
{
    pd_match_options o = PD_MATCH_OPTIONS_INIT;
    o.flags = flags;
    pd_matcher *mt = NULL;
    ck_assert_int_eq(pd_matcher_new(&mt, &o), 0);
    struct {
        const char *name;
        int y, m, d;
        const char *cccd, *card;
        int g;
        const char *prov;
        uint64_t label;
    } rows[] = {
        {"Nguyễn Văn Hùng", 1970, 5, 1, "001070000111", "11110000", 1, "01", 1},
        {"Nguyen Van Hung", 1970, 5, 1, NULL, "11110000", 1, "01", 1},
        {"Văn Hùng Nguyễn", 1970, 1, 5, "001070000111", NULL, 1, "01", 1},
        {"Trần Thị Hoà", 1982, 7, 9, "079182333444", NULL, 2, "79", 2},
        {"Trần Thị Hòa", 1982, 7, 9, "079182333443", NULL, 2, "79", 2},
        {"Lê Văn Nam", 1965, 2, 2, NULL, "22223333", 1, "48", 3},
        {"Lê Văn Năm", 1965, 0, 0, NULL, "22223333", 1, "48", 3},
        /* namesakes: same name and year, different people */
        {"Nguyễn Văn Hùng", 1970, 11, 23, "031070999888", "99998888", 1, "31", 4},
        {"Trần Thị Lan", 1990, 3, 3, "001190123123", NULL, 2, "01", 5},
        {"Phạm Minh Tuấn", 1988, 8, 8, NULL, NULL, 1, "46", 6},
    };
    *n = sizeof rows / sizeof rows[0];
    for (size_t i = 0; i < *n; i++) {
        pd_member *m = mk(rows[i].name, rows[i].y, rows[i].m, rows[i].d, rows[i].cccd,
                          rows[i].card, rows[i].g, rows[i].prov, NULL);
        ck_assert_int_eq(pd_matcher_add(mt, m, 0), 0);
        pd_member_free(m);
        truth[i] = rows[i].label;
    }
    ck_assert_int_eq(pd_matcher_run(mt), 0);
    return mt;
}

START_TEST(test_match_run_clusters_and_quality)
{
    uint64_t truth[16];
    size_t n;
    pd_matcher *mt = small_run(PD_MATCH_NO_EM, truth, &n);
    ck_assert_uint_eq(pd_matcher_count(mt), n);
    pd_match_stats st;
    ck_assert_int_eq(pd_matcher_stats(&st, mt), 0);
    ck_assert_uint_eq(st.records, n);
    ck_assert_uint_ge(st.candidate_pairs, 4);
    ck_assert_uint_eq(st.clusters, 3);
    pd_match_cluster_iter *ci = NULL;
    ck_assert_int_eq(pd_matcher_clusters(&ci, mt), 0);
    pd_match_cluster c;
    size_t sizes = 0, k = 0;
    while (pd_match_cluster_iter_next(&c, ci) == 0) {
        ck_assert_uint_eq(c.index, k++);
        sizes += c.count;
        for (size_t j = 1; j < c.count; j++)
            ck_assert_uint_eq(truth[c.indexes[j]], truth[c.indexes[0]]);
    }
    ck_assert_uint_eq(sizes, 7);
    ck_assert_int_eq(pd_match_cluster_iter_next(&c, ci), PD_ITEROVER);
    pd_match_cluster_iter_free(ci);
    pd_match_quality q;
    ck_assert_int_eq(pd_matcher_evaluate(&q, mt, truth, n), 0);
    ck_assert_uint_eq(q.true_pairs, 3 + 1 + 1);
    ck_assert(q.pair_f1 == 1.0);
    ck_assert(q.cluster_f1 == 1.0);
    ck_assert_int_eq(pd_matcher_evaluate(&q, mt, truth, n - 1), PD_EINVALID);
    /* pairs: sorted, the namesake pair is not a match */
    pd_match_pair_iter *pi = NULL;
    ck_assert_int_eq(pd_matcher_pairs(&pi, mt, -1e9), 0);
    pd_match_pair p;
    size_t prev_a = 0, prev_b = 0, np = 0, nm = 0;
    while (pd_match_pair_iter_next(&p, pi) == 0) {
        ck_assert(p.index_a < p.index_b);
        ck_assert(np == 0 || p.index_a > prev_a || (p.index_a == prev_a && p.index_b > prev_b));
        prev_a = p.index_a;
        prev_b = p.index_b;
        np++;
        nm += p.is_match;
        if (p.index_b == 7)
            ck_assert_int_eq(p.is_match, 0);
    }
    ck_assert_uint_eq(nm, st.matched_pairs);
    pd_match_pair_iter_free(pi);
    /* explain and index */
    size_t idx;
    pd_uuid none = {{0}};
    ck_assert_int_eq(pd_matcher_index(&idx, mt, &none), PD_ENOTFOUND);
    pd_match_explanation e;
    ck_assert_int_eq(pd_matcher_explain(&e, mt, 0, 2), 0);
    ck_assert_str_eq(e.fields[PD_MATCH_FIELD_NAME].how, "name order swap");
    ck_assert_int_eq(pd_matcher_explain(&e, mt, 0, 99), PD_EINVALID);
    pd_matcher_free(mt);
}
END_TEST

START_TEST(test_match_not_run_errors)
{
    pd_matcher *mt = NULL;
    ck_assert_int_eq(pd_matcher_new(&mt, NULL), 0);
    pd_match_pair_iter *pi = NULL;
    pd_match_cluster_iter *ci = NULL;
    ck_assert_int_eq(pd_matcher_pairs(&pi, mt, 0), PD_EINVALID);
    ck_assert_int_eq(pd_matcher_clusters(&ci, mt), PD_EINVALID);
    ck_assert_int_eq(pd_matcher_add(mt, NULL, 0), PD_EINVALID);
    pd_match_quality q;
    uint64_t t = 0;
    ck_assert_int_eq(pd_matcher_evaluate(&q, mt, &t, 0), PD_EINVALID);
    /* an empty run is fine */
    ck_assert_int_eq(pd_matcher_run(mt), 0);
    pd_match_stats st;
    pd_matcher_stats(&st, mt);
    ck_assert_uint_eq(st.clusters, 0);
    pd_matcher_free(mt);
    pd_matcher_free(NULL);
}
END_TEST

START_TEST(test_match_set_mu)
{
    pd_matcher *mt = NULL;
    ck_assert_int_eq(pd_matcher_new(&mt, NULL), 0);
    double m, u;
    ck_assert_int_eq(pd_matcher_set_mu(mt, PD_MATCH_FIELD_GENDER, PD_MATCH_AGREE, 0.9, 0.5), 0);
    ck_assert_int_eq(pd_matcher_mu(&m, &u, mt, PD_MATCH_FIELD_GENDER, PD_MATCH_AGREE), 0);
    ck_assert(m == 0.9 && u == 0.5);
    ck_assert_int_eq(pd_matcher_set_mu(mt, PD_MATCH_FIELD_GENDER, PD_MATCH_AGREE, 1.5, 0.5), PD_EINVALID);
    ck_assert_int_eq(pd_matcher_set_mu(mt, PD_MATCH_FIELD_GENDER, PD_MATCH_MISSING, 0.5, 0.5), PD_EINVALID);
    ck_assert_int_eq(pd_matcher_set_mu(mt, (pd_match_field)40, PD_MATCH_AGREE, 0.5, 0.5), PD_EINVALID);
    ck_assert_int_eq(pd_matcher_mu(&m, &u, mt, PD_MATCH_FIELD_NAME, PD_MATCH_MISSING), PD_EINVALID);
    /* weights follow: a gender agreement worth log2(0.9/0.5) */
    pd_member *a = mk("A B", 1990, 1, 1, NULL, NULL, 1, NULL, NULL);
    pd_member *b = mk("A B", 1990, 1, 1, NULL, NULL, 1, NULL, NULL);
    pd_match_explanation e;
    ck_assert_int_eq(pd_match_compare(&e, a, b, mt), 0);
    ck_assert(fabs(e.fields[PD_MATCH_FIELD_GENDER].weight - log2(0.9 / 0.5)) < 1e-9);
    pd_member_free(a);
    pd_member_free(b);
    pd_matcher_free(mt);
}
END_TEST

START_TEST(test_match_incremental_reference)
{
    pd_matcher *mt = NULL;
    pd_match_options o = PD_MATCH_OPTIONS_INIT;
    o.flags = PD_MATCH_NO_EM;
    ck_assert_int_eq(pd_matcher_new(&mt, &o), 0);
    /* reference records: two namesakes already settled, never paired together */
    pd_member *r1 = mk("Hoàng Văn Sơn", 1960, 4, 4, "001060111111", NULL, 1, "01", NULL);
    pd_member *r2 = mk("Hoàng Văn Sơn", 1960, 4, 4, "001060111111", NULL, 1, "01", NULL);
    ck_assert_int_eq(pd_matcher_add(mt, r1, PD_MATCH_ADD_REFERENCE), 0);
    ck_assert_int_eq(pd_matcher_add(mt, r2, PD_MATCH_ADD_REFERENCE), 0);
    ck_assert_int_eq(pd_matcher_run(mt), 0);
    pd_match_stats st;
    pd_matcher_stats(&st, mt);
    ck_assert_uint_eq(st.candidate_pairs, 0);
    ck_assert_uint_eq(st.reference_records, 2);
    /* a new record: compared with the reference ones only */
    pd_member *n1 = mk("Hoang Van Son", 1960, 4, 4, NULL, NULL, 1, "01", NULL);
    ck_assert_int_eq(pd_matcher_add(mt, n1, 0), 0);
    ck_assert_int_eq(pd_matcher_run(mt), 0);
    pd_matcher_stats(&st, mt);
    ck_assert_uint_eq(st.candidate_pairs, 2);
    ck_assert_uint_eq(st.clusters, 1);
    /* a second incremental run with nothing new compares nothing, keeps the cluster */
    ck_assert_int_eq(pd_matcher_run(mt), 0);
    pd_matcher_stats(&st, mt);
    ck_assert_uint_eq(st.candidate_pairs, 0);
    ck_assert_uint_eq(st.clusters, 1);
    pd_member_free(r1);
    pd_member_free(r2);
    pd_member_free(n1);
    pd_matcher_free(mt);
}
END_TEST

START_TEST(test_match_add_store_members)
{
    char path[128];
    snprintf(path, sizeof path, "/tmp/check_match_store.%ld.db", (long)getpid());
    unlink(path);
    pd_store *st = NULL;
    pd_store_options so = PD_STORE_OPTIONS_INIT;
    so.flags = PD_STORE_CREATE;
    ck_assert_int_eq(pd_store_open(&st, path, &so), 0);
    pd_member *a = mk("Đặng Thị Thu", 1970, 2, 3, "001170000123", NULL, 2, "01", NULL);
    pd_member *b = mk("Dang Thi Thu", 1970, 2, 3, "001170000123", NULL, 2, "01", NULL);
    pd_member *c = mk("Vũ Văn Hải", 1955, 0, 0, NULL, NULL, 1, "04", NULL);
    ck_assert_int_eq(pd_store_put(NULL, st, pd_member_record(a), NULL), 0);
    ck_assert_int_eq(pd_store_put(NULL, st, pd_member_record(b), NULL), 0);
    ck_assert_int_eq(pd_store_put(NULL, st, pd_member_record(c), NULL), 0);

    pd_matcher *mt = NULL;
    pd_match_options o = PD_MATCH_OPTIONS_INIT;
    o.flags = PD_MATCH_NO_EM;
    ck_assert_int_eq(pd_matcher_new(&mt, &o), 0);
    ck_assert_int_eq(pd_matcher_add_store(mt, st, 0), 0);
    ck_assert_uint_eq(pd_matcher_count(mt), 3);
    ck_assert_int_eq(pd_matcher_run(mt), 0);
    pd_match_stats ms;
    pd_matcher_stats(&ms, mt);
    ck_assert_uint_eq(ms.clusters, 1); /* the two spellings of Đặng Thị Thu */
    pd_matcher_free(mt);
    pd_member_free(a);
    pd_member_free(b);
    pd_member_free(c);
    pd_store_close(st);
    unlink(path);
}
END_TEST

START_TEST(test_match_transitivity_split)
{
    /* a chain A~B (same everything but ids), B~C, with A and C clearly different
     * people: the component is split */
    pd_match_options o = PD_MATCH_OPTIONS_INIT;
    o.flags = PD_MATCH_NO_EM;
    pd_matcher *mt = NULL;
    ck_assert_int_eq(pd_matcher_new(&mt, &o), 0);
    pd_member *a = mk("Đỗ Văn Long", 1971, 6, 6, "001071222333", "55556666", 1, "01", "00004");
    pd_member *b = mk("Đỗ Văn Long", 1971, 6, 6, NULL, "55556666", 1, "01", NULL);
    pd_member *c = mk("Đỗ Văn Long", 1971, 6, 6, "036071999000", "55556666", 1, "36", "12345");
    ck_assert_int_eq(pd_matcher_add(mt, a, 0), 0);
    ck_assert_int_eq(pd_matcher_add(mt, b, 0), 0);
    ck_assert_int_eq(pd_matcher_add(mt, c, 0), 0);
    ck_assert_int_eq(pd_matcher_run(mt), 0);
    pd_match_explanation e;
    pd_matcher_explain(&e, mt, 0, 2);
    pd_match_stats st;
    pd_matcher_stats(&st, mt);
    if (e.score < 0.0) {
        ck_assert_uint_eq(st.split_clusters, 1);
        ck_assert_uint_eq(st.clusters, 1);
        ck_assert_uint_eq(st.clustered_records, 2);
    } else {
        ck_assert_uint_eq(st.split_clusters, 0);
    }
    pd_member_free(a);
    pd_member_free(b);
    pd_member_free(c);
    pd_matcher_free(mt);
}
END_TEST

START_TEST(test_match_em_estimates)
{
    /* many records: 200 people, 40 of them entered twice with a slip; EM runs */
    pd_matcher *mt = NULL;
    ck_assert_int_eq(pd_matcher_new(&mt, NULL), 0);
    static const char *const fam[] = {"Nguyễn", "Trần", "Lê", "Phạm"};
    static const char *const giv[] = {"Hùng", "Lan", "Sơn", "Hoà", "Minh", "Tuấn", "Mai", "Hải"};
    uint64_t truth[260];
    size_t n = 0;
    for (int i = 0; i < 200; i++) {
        char name[64], cccd[16];
        snprintf(name, sizeof name, "%s Văn %s", fam[i % 4], giv[(i / 4) % 8]);
        snprintf(cccd, sizeof cccd, "0010%02d%06d", i % 60, i * 7919 % 1000000);
        int y = 1950 + (i % 5), mo = 1 + i % 12, d = 1 + (i * 7) % 28;
        pd_member *m = mk(name, y, mo, d, cccd, NULL, 1, "01", NULL);
        ck_assert_int_eq(pd_matcher_add(mt, m, 0), 0);
        truth[n++] = (uint64_t)i;
        pd_member_free(m);
        if (i % 5 == 0) {
            cccd[11] = cccd[11] == '9' ? '0' : (char)(cccd[11] + 1);
            m = mk(name, y, d <= 12 ? d : mo, d <= 12 ? mo : d, cccd, NULL, 1, "01", NULL);
            ck_assert_int_eq(pd_matcher_add(mt, m, 0), 0);
            truth[n++] = (uint64_t)i;
            pd_member_free(m);
        }
    }
    ck_assert_int_eq(pd_matcher_run(mt), 0);
    pd_match_stats st;
    pd_matcher_stats(&st, mt);
    ck_assert_int_gt(st.em_iterations, 0);
    double m, u;
    pd_matcher_mu(&m, &u, mt, PD_MATCH_FIELD_CCCD, PD_MATCH_PARTIAL);
    ck_assert(m > u);
    pd_match_quality q;
    ck_assert_int_eq(pd_matcher_evaluate(&q, mt, truth, n), 0);
    ck_assert(q.pair_recall >= 0.95);
    ck_assert(q.pair_precision >= 0.95);
    pd_matcher_free(mt);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("match");
    TCase *t = tcase_create("comparators");
    tcase_add_test(t, test_match_jaro_winkler_values);
    tcase_add_test(t, test_match_name_similarity_vietnamese);
    tcase_add_test(t, test_match_id_compare_slips);
    tcase_add_test(t, test_match_date_compare_partial_swaps);
    tcase_add_test(t, test_match_compare_explains_fields);
    tcase_add_test(t, test_match_compare_addresses_2025_conversion);
    tcase_add_test(t, test_match_names_levels);
    suite_add_tcase(s, t);
    t = tcase_create("matcher");
    tcase_add_test(t, test_match_options_init_versions);
    tcase_add_test(t, test_match_run_clusters_and_quality);
    tcase_add_test(t, test_match_not_run_errors);
    tcase_add_test(t, test_match_set_mu);
    tcase_add_test(t, test_match_incremental_reference);
    tcase_add_test(t, test_match_add_store_members);
    tcase_add_test(t, test_match_transitivity_split);
    tcase_add_test(t, test_match_em_estimates);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
