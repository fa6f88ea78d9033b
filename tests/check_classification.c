/* check_classification.c: field classification levels and stripping. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "partydata/partydata.h"

START_TEST(test_classification_field_levels)
{
    pd_classification c = 99;
    ck_assert_int_eq(pd_field_classification(&c, PD_KIND_MEMBER, "full_name"), 0);
    ck_assert_int_eq(c, PD_CLASS_PERSONAL);
    ck_assert_int_eq(pd_field_classification(&c, PD_KIND_MEMBER, "ethnicity.code"), 0);
    ck_assert_int_eq(c, PD_CLASS_SENSITIVE);
    ck_assert_int_eq(pd_field_classification(&c, PD_KIND_MEMBER, "id_numbers[0].number"), 0);
    ck_assert_int_eq(c, PD_CLASS_SENSITIVE);
    ck_assert_int_eq(pd_field_classification(&c, PD_KIND_MEMBER, "events[2].discipline_form"), 0);
    ck_assert_int_eq(c, PD_CLASS_SENSITIVE);
    ck_assert_int_eq(pd_field_classification(&c, PD_KIND_MEMBER, "events[].type"), 0);
    ck_assert_int_eq(c, PD_CLASS_NONE);
    ck_assert_int_eq(pd_field_classification(&c, PD_KIND_ORG, "name"), 0);
    ck_assert_int_eq(c, PD_CLASS_NONE);
    ck_assert_int_eq(pd_field_classification(&c, PD_KIND_EVENT, "reason"), 0);
    ck_assert_int_eq(c, PD_CLASS_PERSONAL);
}
END_TEST

START_TEST(test_classification_field_bad_path)
{
    pd_classification c;
    ck_assert_int_eq(pd_field_classification(&c, PD_KIND_MEMBER, "no_such_field"), PD_EINVALID);
    ck_assert_str_eq(pd_error_last()->field_path, "no_such_field");
    ck_assert_int_eq(pd_field_classification(&c, PD_KIND_MEMBER, "full_name[0]"), PD_EINVALID);
    ck_assert_int_eq(pd_field_classification(&c, PD_KIND_MEMBER, "full_name.x"), PD_EINVALID);
    ck_assert_int_eq(pd_field_classification(&c, PD_KIND_MEMBER, "events[0"), PD_EINVALID);
    ck_assert_int_eq(pd_field_classification(&c, PD_KIND_NONE, "full_name"), PD_EINVALID);
    ck_assert_int_eq(pd_field_classification(NULL, PD_KIND_MEMBER, "full_name"), PD_EINVALID);
}
END_TEST

START_TEST(test_classification_strip)
{
    pd_record *r = NULL;
    ck_assert_int_eq(pd_record_new(&r, PD_KIND_MEMBER), 0);
    ck_assert_int_eq(pd_record_set(r, "full_name", "Nguyễn Văn An"), 0);
    ck_assert_int_eq(pd_record_set(r, "ethnicity.code", "01"), 0);
    ck_assert_int_eq(pd_record_set(r, "id_numbers[0].number", "001090000001"), 0);
    ck_assert_int_eq(pd_record_set(r, "events[0].type", "KY_LUAT"), 0);
    ck_assert_int_eq(pd_record_set(r, "events[0].discipline_form", "CANH_CAO"), 0);
    ck_assert_int_eq(pd_record_set(r, "events[1].type", "KHEN_THUONG"), 0);
    ck_assert_int_eq(pd_record_set(r, "events[1].reason", "thành tích"), 0);
    ck_assert_int_eq(pd_record_set(r, "status", "CHINH_THUC"), 0);

    pd_record *copy = NULL;
    ck_assert_int_eq(pd_record_dup(&copy, r), 0);
    size_t n = 0;
    ck_assert_int_eq(pd_record_strip(copy, PD_CLASS_PERSONAL, &n), 0);
    ck_assert_uint_eq(n, 3); /* ethnicity, id_numbers, events[0].discipline_form */
    ck_assert_int_eq(pd_record_has(copy, "ethnicity"), 0);
    ck_assert_int_eq(pd_record_has(copy, "id_numbers"), 0);
    ck_assert_int_eq(pd_record_has(copy, "events[0].discipline_form"), 0);
    ck_assert_int_eq(pd_record_has(copy, "events[0].type"), 1);
    ck_assert_int_eq(pd_record_has(copy, "full_name"), 1);
    ck_assert_int_eq(pd_record_has(copy, "events[1].reason"), 1);

    ck_assert_int_eq(pd_record_strip(copy, PD_CLASS_NONE, &n), 0);
    ck_assert_uint_eq(n, 2); /* full_name, events[1].reason */
    ck_assert_int_eq(pd_record_has(copy, "full_name"), 0);
    ck_assert_int_eq(pd_record_has(copy, "status"), 1);

    ck_assert_int_eq(pd_record_strip(r, PD_CLASS_SENSITIVE, &n), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(pd_record_strip(NULL, PD_CLASS_NONE, NULL), PD_EINVALID);
    pd_record_free(copy);
    pd_record_free(r);
    ck_assert_str_eq(pd_classification_name(PD_CLASS_SENSITIVE), "sensitive");
    ck_assert_str_eq(pd_classification_name((pd_classification)7), "?");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("classification");
    TCase *tc = tcase_create("field");
    tcase_add_test(tc, test_classification_field_levels);
    tcase_add_test(tc, test_classification_field_bad_path);
    suite_add_tcase(s, tc);
    tc = tcase_create("strip");
    tcase_add_test(tc, test_classification_strip);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
