/* check_core.c: errors, ids, version, findings, strarray. */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "partydata/partydata.h"

START_TEST(test_version_macro_matches_library)
{
    ck_assert_int_eq(pd_version_number(), PD_VERSION_NUMBER);
    ck_assert_str_eq(pd_version_string(), PD_VERSION);
    ck_assert(PD_VERSION_CHECK(0, 0, 1));
    ck_assert(!PD_VERSION_CHECK(999, 0, 0));
}
END_TEST

START_TEST(test_error_last_never_null)
{
    pd_error_clear();
    const pd_error *e = pd_error_last();
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(e->code, 0);
    ck_assert_str_eq(e->message, "");
    ck_assert_int_eq(e->offset, -1);
}
END_TEST

START_TEST(test_error_set_by_failure)
{
    pd_uuid u;
    ck_assert_int_eq(pd_uuid_parse(&u, "zz"), PD_EPARSE);
    ck_assert_int_eq(pd_error_last()->code, PD_EPARSE);
    ck_assert_ptr_nonnull(strstr(pd_error_last()->message, "UUID"));
    ck_assert_int_eq(pd_uuid_new(NULL), PD_EINVALID);
    ck_assert_int_eq(pd_error_last()->code, PD_EINVALID);
}
END_TEST

static void *thread_err(void *arg)
{
    (void)arg;
    /* a fresh thread starts without an error */
    return (void *)(intptr_t)pd_error_last()->code;
}

START_TEST(test_error_thread_local)
{
    pd_uuid u;
    pd_uuid_parse(&u, "bad");
    pthread_t t;
    void *res = NULL;
    pthread_create(&t, NULL, thread_err, NULL);
    pthread_join(t, &res);
    ck_assert_int_eq((int)(intptr_t)res, 0);
    ck_assert_int_eq(pd_error_last()->code, PD_EPARSE);
}
END_TEST

START_TEST(test_code_names)
{
    ck_assert_str_eq(pd_code_name(PD_ENOTFOUND), "PD_ENOTFOUND");
    ck_assert_str_eq(pd_code_name(PD_ITEROVER), "PD_ITEROVER");
    ck_assert_str_eq(pd_code_name(12345), "PD_E?");
    /* codes are never renumbered */
    ck_assert_int_eq(PD_ENOTFOUND, -4);
    ck_assert_int_eq(PD_ITEROVER, -31);
}
END_TEST

START_TEST(test_uuid_new_v7_monotonic)
{
    pd_uuid prev, cur;
    ck_assert_int_eq(pd_uuid_new(&prev), 0);
    for (int i = 0; i < 100000; i++) {
        ck_assert_int_eq(pd_uuid_new(&cur), 0);
        ck_assert_int_gt(pd_uuid_cmp(&cur, &prev), 0);
        ck_assert_int_eq(cur.bytes[6] >> 4, 7);
        ck_assert_int_eq(cur.bytes[8] >> 6, 2);
        prev = cur;
    }
    ck_assert_int_gt(pd_uuid_time_ms(&cur), 1700000000000LL);
}
END_TEST

START_TEST(test_uuid_parse_format_roundtrip)
{
    pd_uuid u, v;
    char buf[PD_UUID_STRLEN];
    pd_uuid_new(&u);
    pd_uuid_format(buf, &u);
    ck_assert_int_eq(strlen(buf), 36);
    ck_assert_int_eq(pd_uuid_parse(&v, buf), 0);
    ck_assert_int_eq(pd_uuid_cmp(&u, &v), 0);
    ck_assert_int_eq(pd_uuid_parse(&v, "0190A1B2C3D47E5F8A9B0C1D2E3F4A5B"), 0);
    ck_assert_str_eq(pd_uuid_format(buf, &v), "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    ck_assert_int_eq(pd_uuid_parse(&v, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5g"), PD_EPARSE);
    ck_assert(pd_uuid_is_nil(&v));
    ck_assert_int_eq(pd_uuid_parse(&v, "0190a1b2c-3d4-7e5f-8a9b-0c1d2e3f4a5b"), PD_EPARSE);
    ck_assert_int_eq(pd_uuid_parse(NULL, "x"), PD_EINVALID);
    memset(&v, 0, sizeof v);
    v.bytes[6] = 0x40;
    ck_assert_int_eq(pd_uuid_time_ms(&v), -1);
}
END_TEST

START_TEST(test_findings_add_get_json)
{
    pd_findings *l = NULL;
    ck_assert_int_eq(pd_findings_new(&l), 0);
    char rule[16] = "PD-R014";
    pd_finding f = {.rule = rule, .severity = PD_SEVERITY_ERROR, .path = "id_numbers[0].number",
                    .message_en = "CCCD is not 12 digits", .message_vi = "CCCD không đủ 12 chữ số",
                    .old_value = "12 3", .new_value = "123", .record = 7};
    ck_assert_int_eq(pd_findings_add(l, &f), 0);
    strcpy(rule, "PD-R999"); /* the list owns a copy */
    f.rule = "PD-R043";
    f.severity = PD_SEVERITY_WARNING;
    f.old_value = f.new_value = NULL;
    ck_assert_int_eq(pd_findings_add(l, &f), 0);
    ck_assert_uint_eq(pd_findings_count(l), 2);
    ck_assert_str_eq(pd_findings_get(l, 0)->rule, "PD-R014");
    ck_assert_ptr_null(pd_findings_get(l, 2));
    ck_assert_uint_eq(pd_findings_count_at_least(l, PD_SEVERITY_ERROR), 1);
    ck_assert_uint_eq(pd_findings_count_at_least(l, PD_SEVERITY_WARNING), 2);
    char *json = NULL;
    ck_assert_int_eq(pd_finding_to_json(&json, pd_findings_get(l, 0)), 0);
    ck_assert_str_eq(json, "{\"rule\":\"PD-R014\",\"severity\":\"error\",\"path\":"
                           "\"id_numbers[0].number\",\"message_vi\":\"CCCD không đủ 12 chữ số\","
                           "\"message_en\":\"CCCD is not 12 digits\",\"old\":\"12 3\",\"new\":\"123\","
                           "\"record\":7}");
    pd_free(json);
    f.rule = NULL;
    ck_assert_int_eq(pd_findings_add(l, &f), PD_EINVALID);
    pd_findings_clear(l);
    ck_assert_uint_eq(pd_findings_count(l), 0);
    pd_findings_free(l);
    pd_findings_free(NULL);
}
END_TEST

START_TEST(test_finding_json_invalid_utf8_value)
{
    pd_finding f = {.rule = "PD-R002", .severity = PD_SEVERITY_ERROR, .old_value = "\xff\xfe"};
    char *json = NULL;
    ck_assert_int_eq(pd_finding_to_json(&json, &f), 0);
    ck_assert_ptr_nonnull(strstr(json, "\"old\":null"));
    pd_free(json);
    ck_assert_str_eq(pd_severity_name(PD_SEVERITY_INFO), "info");
    ck_assert_str_eq(pd_severity_name((pd_severity)9), "?");
}
END_TEST

START_TEST(test_strarray_dispose)
{
    pd_strarray a = {0};
    pd_strarray_dispose(&a);
    pd_strarray_dispose(NULL);
    a.strings = calloc(2, sizeof(char *));
    a.strings[0] = strdup("x");
    a.strings[1] = strdup("y");
    a.count = 2;
    pd_strarray_dispose(&a);
    ck_assert_ptr_null(a.strings);
    ck_assert_uint_eq(a.count, 0);
    pd_free(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("version");
    tcase_add_test(tc, test_version_macro_matches_library);
    suite_add_tcase(s, tc);
    tc = tcase_create("error");
    tcase_add_test(tc, test_error_last_never_null);
    tcase_add_test(tc, test_error_set_by_failure);
    tcase_add_test(tc, test_error_thread_local);
    tcase_add_test(tc, test_code_names);
    suite_add_tcase(s, tc);
    tc = tcase_create("uuid");
    tcase_add_test(tc, test_uuid_new_v7_monotonic);
    tcase_add_test(tc, test_uuid_parse_format_roundtrip);
    suite_add_tcase(s, tc);
    tc = tcase_create("findings");
    tcase_add_test(tc, test_findings_add_get_json);
    tcase_add_test(tc, test_finding_json_invalid_utf8_value);
    tcase_add_test(tc, test_strarray_dispose);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
