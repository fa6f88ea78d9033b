/* check_normalize.c: placeholder while the suite is written. */
#include <check.h>
#include <stdlib.h>
#include "partydata/partydata.h"
#include "partydata/normalize.h"
START_TEST(test_normalize_placeholder) { ck_assert_int_eq(1, 1); }
END_TEST
int main(void)
{
    Suite *s = suite_create("normalize");
    TCase *tc = tcase_create("placeholder");
    SRunner *sr;
    int nf;
    tcase_add_test(tc, test_normalize_placeholder);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
