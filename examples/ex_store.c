/*
 * ex_store.c: the embedded store. Create a database, put an organization and its
 * members, read one back by CCCD, update it (a new revision with its reason), print
 * its history and a statistics table.
 *
 * usage: ex_store DB
 */
#include <stdio.h>
#include <string.h>

#include <partydata/partydata.h>

static int fail(const char *what)
{
    const pd_error *e = pd_error_last();
    fprintf(stderr, "%s: %s (%s)\n", what, e->message, pd_code_name(e->code));
    return 1;
}

static int put_org(pd_store *st, pd_uuid *org_id)
{
    pd_org *o = NULL;
    if (pd_org_new(&o) < 0)
        return -1;
    pd_record *r = pd_org_record(o);
    int rc = pd_org_set_name(o, "Chi bộ Khu phố 1");
    if (rc == 0)
        rc = pd_record_set(r, "kind", "CHI_BO");
    if (rc == 0)
        rc = pd_record_set(r, "admin_unit.province_code", "44");
    if (rc == 0)
        rc = pd_org_id(org_id, o);
    if (rc == 0)
        rc = pd_store_put(NULL, st, r, NULL);
    pd_org_free(o);
    return rc;
}

static int put_member(pd_store *st, const pd_uuid *org_id, const char *name, const char *cccd,
                      pd_gender g)
{
    pd_member *m = NULL;
    pd_date birth = {1980, 5, 0};
    if (pd_member_new(&m) < 0)
        return -1;
    int rc = pd_member_set_full_name(m, name);
    if (rc == 0) rc = pd_member_set_gender(m, g);
    if (rc == 0) rc = pd_member_set_birth_date(m, &birth);
    if (rc == 0) rc = pd_member_set_cccd(m, cccd);
    if (rc == 0) rc = pd_member_set_status(m, PD_STATUS_CHINH_THUC);
    if (rc == 0) rc = pd_member_set_current_org_id(m, org_id);
    if (rc == 0) rc = pd_record_set(pd_member_record(m), "permanent_residence.province_code", "44");
    if (rc == 0) rc = pd_store_put(NULL, st, pd_member_record(m), NULL);
    pd_member_free(m);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: ex_store DB\n");
        return 2;
    }
    pd_store *st = NULL;
    pd_store_options opts = PD_STORE_OPTIONS_INIT;
    opts.flags = PD_STORE_CREATE;
    if (pd_store_open(&st, argv[1], &opts) < 0)
        return fail("open");

    pd_uuid org_id;
    int status = 1;
    if (put_org(st, &org_id) < 0 ||
        put_member(st, &org_id, "Nguyễn Văn An", "044080000001", PD_GENDER_NAM) < 0 ||
        put_member(st, &org_id, "Trần Thị Bình", "044180000002", PD_GENDER_NU) < 0 ||
        put_member(st, &org_id, "Lê Thị Cúc", "044180000003", PD_GENDER_NU) < 0) {
        status = fail("put");
        goto out;
    }

    pd_record *r = NULL;
    if (pd_store_get_by_cccd(&r, st, "044180000002") < 0) {
        status = fail("get by CCCD");
        goto out;
    }
    printf("found: %s\n", pd_member_full_name(pd_record_member(r)));
    pd_record_set(r, "occupation", "Giáo viên");
    pd_store_write w = PD_STORE_WRITE_INIT;
    w.author = "ex_store";
    w.reason = "bổ sung nghề nghiệp";
    w.decision_number = "05-QĐ/ĐU";
    pd_store_outcome outcome;
    int rc = pd_store_put(&outcome, st, r, &w);
    pd_uuid id;
    pd_record_id(&id, r);
    pd_record_free(r);
    if (rc < 0) {
        status = fail("update");
        goto out;
    }
    printf("update: %s\n", outcome == PD_STORE_UPDATED ? "new revision" : "no change");

    pd_store_history_iter *hit = NULL;
    const pd_store_revision *rev = NULL;
    int revisions = 0;
    if (pd_store_history(&hit, st, &id) == 0) {
        while (pd_store_history_next(&rev, hit) == 0)
            revisions++;
        pd_store_history_free(hit);
    }
    printf("history: %d revisions\n", revisions);

    pd_stats *s = NULL;
    if (pd_store_stats(&s, st, "gender,status", NULL) < 0) {
        status = fail("stats");
        goto out;
    }
    printf("%-8s %-12s %s\n", "gender", "status", "members");
    long long total = 0;
    for (size_t i = 0; i < pd_stats_rows(s); i++) {
        const char *g = pd_stats_key(s, i, 0), *stt = pd_stats_key(s, i, 1);
        printf("%-8s %-12s %lld\n", g ? g : "?", stt ? stt : "?", pd_stats_count(s, i));
        total += pd_stats_count(s, i);
    }
    pd_stats_free(s);
    status = (total == 3 && revisions == 2) ? 0 : 1;
out:
    pd_store_close(st);
    return status;
}
