/*
 * ex_records.c: records end to end. Make sample members, set fields by typed
 * setters and by field path, write them as a protobuf stream and as JSON Lines,
 * read both back, and check they are equal.
 *
 * usage: ex_records [DIR]   (files are written in DIR, default ".")
 */
#include <stdio.h>
#include <string.h>

#include <partydata/partydata.h>

#define N 5

static int fail(const char *what)
{
    const pd_error *e = pd_error_last();
    fprintf(stderr, "%s: %s (%s)\n", what, e->message, pd_code_name(e->code));
    return 1;
}

static int make_member(pd_record **out, int i)
{
    static const char *names[N] = {"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường",
                                   "Phạm Thị Dung", "Hoàng Văn Em"};
    pd_member *m = NULL;
    char cccd[16];
    pd_date birth = {1970 + i, 1 + i, 10 + i}, admitted = {2000 + i, 3, 0};
    if (pd_member_new(&m) < 0)
        return -1;
    snprintf(cccd, sizeof cccd, "0440%02d%06d", (70 + i) % 100, 123450 + i);
    if (pd_member_set_full_name(m, names[i]) < 0 ||
        pd_member_set_gender(m, i % 2 ? PD_GENDER_NU : PD_GENDER_NAM) < 0 ||
        pd_member_set_birth_date(m, &birth) < 0 || pd_member_set_cccd(m, cccd) < 0 ||
        pd_member_set_admission_decision_date(m, &admitted) < 0 ||
        pd_member_set_status(m, PD_STATUS_CHINH_THUC) < 0) {
        pd_member_free(m);
        return -1;
    }
    pd_record *r = pd_member_record(m);
    /* generic access by field path, driven by the schema's descriptors */
    if (pd_record_set(r, "hometown.province_code", "44") < 0 ||
        pd_record_set(r, "ethnicity.code", "01") < 0 ||
        pd_record_set(r, "ethnicity.list", "ETHNIC_LIST_2008") < 0 ||
        pd_record_set(r, "events[0].type", "KET_NAP") < 0 ||
        pd_record_set(r, "events[0].decision.number", "12-QĐ/ĐU") < 0) {
        pd_record_free(r);
        return -1;
    }
    *out = r;
    return 0;
}

static int write_all(const char *path, pd_record **recs)
{
    pd_writer *w = NULL;
    if (pd_writer_open(&w, path, NULL) < 0)
        return -1;
    for (int i = 0; i < N; i++)
        if (pd_writer_write(w, recs[i]) < 0) {
            pd_writer_close(w);
            return -1;
        }
    return pd_writer_close(w);
}

static int read_back(const char *path, pd_record **recs, int *equal)
{
    pd_reader *rd = NULL;
    pd_record *r = NULL;
    int i = 0, rc;
    *equal = 0;
    if (pd_reader_open(&rd, path, NULL) < 0)
        return -1;
    while ((rc = pd_reader_next(&r, rd)) == 0) {
        if (i < N && pd_record_equal(r, recs[i]))
            (*equal)++;
        pd_record_free(r);
        i++;
    }
    pd_reader_free(rd);
    return rc == PD_ITEROVER ? i : -1;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    pd_record *recs[N] = {0};
    char pb[1024], jsonl[1024];
    int status = 1;

    snprintf(pb, sizeof pb, "%s/ex_records.pb", dir);
    snprintf(jsonl, sizeof jsonl, "%s/ex_records.jsonl", dir);
    for (int i = 0; i < N; i++)
        if (make_member(&recs[i], i) < 0) {
            status = fail("make member");
            goto out;
        }

    char *year = NULL;
    if (pd_record_get(&year, recs[0], "birth_date.year") < 0) {
        status = fail("get birth_date.year");
        goto out;
    }
    printf("%s, born %s\n", pd_member_full_name(pd_record_member(recs[0])), year);
    pd_free(year);

    char *json = NULL;
    if (pd_record_to_json(&json, recs[0], 0) < 0) {
        status = fail("to json");
        goto out;
    }
    printf("as JSON: %.100s...\n", json);
    pd_free(json);

    if (write_all(pb, recs) < 0 || write_all(jsonl, recs) < 0) {
        status = fail("write");
        goto out;
    }
    int eq_pb, eq_json;
    int n_pb = read_back(pb, recs, &eq_pb), n_json = read_back(jsonl, recs, &eq_json);
    if (n_pb < 0 || n_json < 0) {
        status = fail("read");
        goto out;
    }
    printf("protobuf stream: %d records read, %d equal to the originals\n", n_pb, eq_pb);
    printf("JSON Lines:      %d records read, %d equal to the originals\n", n_json, eq_json);

    pd_strarray diff = {0};
    pd_record_set(recs[1], "full_name", "Trần Thị Bính");
    if (pd_record_diff(&diff, recs[0], recs[1]) == 0) {
        printf("member 1 and 2 differ in %zu fields, e.g. %s\n", diff.count,
               diff.count ? diff.strings[0] : "-");
        pd_strarray_dispose(&diff);
    }
    status = (n_pb == N && eq_pb == N && n_json == N && eq_json == N) ? 0 : 1;
out:
    for (int i = 0; i < N; i++)
        pd_record_free(recs[i]);
    return status;
}
