/*
 * bench_validate.c: normalize + validate of PD_BENCH_N members (default 1,000,000) on
 * one core, beside the bare protobuf decode rate of the same input.
 *
 * The input is a pool of 4,096 distinct encoded members (Record envelopes) cycled N
 * times; after decoding, each copy gets its own id, CCCD and party card number (not
 * timed) so that the set validator's hash sets grow as with N distinct members.
 * Timed: pd_normalize_record + pd_validator_add per record, and pd_validator_finish.
 * Goal (issue 4): >= 500,000 records/s.
 * Output: one JSON object per measure (HELPERS.md format).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "partydata/partydata.h"

#define POOL 4096

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: one core, whatever the load */
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *const surnames[] = { "Nguy\xe1\xbb\x85n", "Tr\xe1\xba\xa7n", "L\xc3\xaa",
                                        "Ph\xe1\xba\xa1m", "Ho\xc3\xa0ng", "V\xc5\xa9" };
static const char *const given[] = { "An", "B\xc3\xacnh", "C\xc6\xb0\xe1\xbb\x9dng", "D\xc5\xa9ng",
                                     "H\xc3\xb9ng", "Lan", "Mai", "Ph\xc6\xb0\xc6\xa1ng" };

static int set(pd_record *r, const char *path, const char *v)
{
    int rc = pd_record_set(r, path, v);
    if (rc < 0)
        fprintf(stderr, "bench_validate: set %s=%s: %s\n", path, v, pd_error_last()->message);
    return rc;
}

static pd_record *make_member(int i)
{
    pd_record *r = NULL;
    char buf[128];
    if (pd_record_new(&r, PD_KIND_MEMBER) < 0)
        return NULL;
    int female = i % 2;
    snprintf(buf, sizeof buf, "%s %s %s", surnames[i % 6], female ? "Th\xe1\xbb\x8b" : "V\xc4\x83n",
             given[(i / 6) % 8]);
    set(r, "full_name", buf);
    set(r, "gender", female ? "NU" : "NAM");
    int by = 1940 + i % 45;
    snprintf(buf, sizeof buf, "%d", by);
    set(r, "birth_date.year", buf);
    snprintf(buf, sizeof buf, "%d", 1 + i % 12);
    set(r, "birth_date.month", buf);
    if (i % 5) {
        snprintf(buf, sizeof buf, "%d", 1 + i % 28);
        set(r, "birth_date.day", buf);
    }
    set(r, "birthplace.text", "X\xc3\xa3 \xc4\x90\xc3\xb4ng Anh, H\xc3\xa0 N\xe1\xbb\x99i");
    set(r, "birthplace.province_code", "01");
    set(r, "ethnicity.code", "01");
    set(r, "ethnicity.list", "ETHNIC_LIST_2008");
    set(r, "ethnicity.name", "Kinh");
    set(r, "religion.code", "00");
    set(r, "id_numbers[0].type", "CCCD");
    set(r, "id_numbers[0].number", "001000000000");
    set(r, "education_general", "12/12");
    set(r, "occupation", "C\xc3\xb4ng ch\xe1\xbb\xa9\x63");
    int ay = by + 20 + i % 15;
    snprintf(buf, sizeof buf, "%d", ay);
    set(r, "admission_decision_date.year", buf);
    set(r, "admission_decision_date.month", "3");
    set(r, "admission_decision_date.day", "1");
    set(r, "admission_date.year", buf);
    set(r, "admission_date.month", "3");
    set(r, "admission_date.day", "20");
    snprintf(buf, sizeof buf, "%d", ay + 1);
    set(r, "official_date.year", buf);
    set(r, "official_date.month", "3");
    set(r, "official_date.day", "20");
    set(r, "status", "CHINH_THUC");
    set(r, "party_card_no", "00000000");
    set(r, "record_no", "123456HN");
    set(r, "contacts.phones[0]", "0912345678");
    set(r, "current_org_id", "0190a000-0000-7000-8000-000000000001");
    set(r, "memberships[0].org_id", "0190a000-0000-7000-8000-000000000001");
    set(r, "memberships[0].kind", "CHINH_THUC");
    snprintf(buf, sizeof buf, "%d", ay);
    set(r, "memberships[0].from.year", buf);
    set(r, "events[0].type", "KET_NAP");
    set(r, "events[0].effective_date.year", buf);
    set(r, "events[0].effective_date.month", "3");
    set(r, "events[0].effective_date.day", "1");
    set(r, "events[1].type", "CONG_NHAN_CHINH_THUC");
    snprintf(buf, sizeof buf, "%d", ay + 1);
    set(r, "events[1].effective_date.year", buf);
    set(r, "events[1].effective_date.month", "3");
    set(r, "events[1].effective_date.day", "20");
    return r;
}

int main(void)
{
    long n = 1000000;
    const char *env = getenv("PD_BENCH_N");
    if (env && atol(env) > 0)
        n = atol(env);

    unsigned char *pool[POOL];
    size_t plen[POOL];
    for (int i = 0; i < POOL; i++) {
        pd_record *r = make_member(i);
        if (!r || pd_record_to_pb(&pool[i], &plen[i], r) < 0) {
            fprintf(stderr, "bench_validate: cannot build the input: %s\n", pd_error_last()->message);
            return 1;
        }
        pd_record_free(r);
    }

    /* baseline: bare decode of the same input */
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        pd_record *r = NULL;
        if (pd_record_from_pb(&r, pool[i % POOL], plen[i % POOL]) < 0)
            return 1;
        pd_record_free(r);
    }
    double t_decode = now_s() - t0;

    /* normalize + validate */
    pd_validate_options vo = PD_VALIDATE_OPTIONS_INIT;
    vo.today.year = 2026;
    vo.today.month = 1;
    vo.today.day = 1;
    pd_normalize_options no = PD_NORMALIZE_OPTIONS_INIT;
    pd_validator *v = NULL;
    pd_findings *findings = NULL, *changes = NULL;
    if (pd_validator_new(&v, &vo) < 0 || pd_findings_new(&findings) < 0 ||
        pd_findings_new(&changes) < 0)
        return 1;
    double t_norm = 0, t_val = 0;
    long by_rule[64] = { 0 };
    size_t total_findings = 0, total_changes = 0;
    /* batches of BATCH (64, cache-warm as in a streaming pipeline) records: decode and make distinct (not timed), then time the
     * normalizer over the batch and the validator over the batch (no timer call per
     * record: CPU-time clocks are system calls) */
    enum { BATCH = 64 };
    pd_record *batch[BATCH];
    for (long base = 0; base < n; base += BATCH) {
        long m = n - base < BATCH ? n - base : BATCH;
        for (long j = 0; j < m; j++) {
            long i = base + j;
            if (pd_record_from_pb(&batch[j], pool[i % POOL], plen[i % POOL]) < 0)
                return 1;
            char buf[40];
            pd_uuid id;
            pd_uuid_new(&id);
            pd_record_set_id(batch[j], &id);
            snprintf(buf, sizeof buf, "001%d%02ld%06ld", (int)((i % POOL) % 2),
                     (long)(1940 + (i % POOL) % 45) % 100, i % 1000000);
            pd_record_set(batch[j], "id_numbers[0].number", buf);
            snprintf(buf, sizeof buf, "%08ld", i % 100000000);
            pd_record_set(batch[j], "party_card_no", buf);
        }
        double a = now_s();
        for (long j = 0; j < m; j++) {
            no.record = base + j + 1;
            if (pd_normalize_record(batch[j], changes, &no) < 0)
                return 1;
        }
        double b = now_s();
        for (long j = 0; j < m; j++)
            if (pd_validator_add(findings, v, batch[j], base + j + 1) < 0)
                return 1;
        double c = now_s();
        t_norm += b - a;
        t_val += c - b;
        total_findings += pd_findings_count(findings);
        for (size_t k = 0; k < pd_findings_count(findings); k++) {
            const char *code = pd_findings_get(findings, k)->rule;
            int cd = atoi(code + 4);
            if (cd >= 0 && cd < 64)
                by_rule[cd]++;
        }
        total_changes += pd_findings_count(changes);
        pd_findings_clear(findings);
        pd_findings_clear(changes);
        for (long j = 0; j < m; j++)
            pd_record_free(batch[j]);
    }
    double a = now_s();
    if (pd_validator_finish(findings, v) < 0)
        return 1;
    t_val += now_s() - a;
    total_findings += pd_findings_count(findings);

    double r_decode = (double)n / t_decode;
    double r_val = (double)n / t_val;
    double r_both = (double)n / (t_val + t_norm);
    fprintf(stderr,
            "bench_validate: N=%ld decode %.0f rec/s, validate %.0f rec/s, normalize+validate "
            "%.0f rec/s (%zu findings, %zu normalizer changes)\n",
            n, r_decode, r_val, r_both, total_findings, total_changes);
    printf("{\"measure\":\"normalize+validate %ld members\",\"ours\":%.0f,\"baseline\":%.0f,"
           "\"unit\":\"rec/s\",\"ratio\":%.2f,\"goal\":\">= 500000 rec/s\",\"pass\":%s}\n",
           n, r_both, r_decode, r_decode / r_both, r_both >= 500000 ? "true" : "false");
    printf("{\"measure\":\"validate only %ld members\",\"ours\":%.0f,\"baseline\":%.0f,"
           "\"unit\":\"rec/s\",\"ratio\":%.2f,\"goal\":\">= 500000 rec/s\",\"pass\":%s}\n",
           n, r_val, r_decode, r_decode / r_val, r_val >= 500000 ? "true" : "false");
    for (int c = 0; c < 64; c++)
        if (by_rule[c])
            fprintf(stderr, "bench_validate:   PD-R%03d x %ld\n", c, by_rule[c]);
    for (int i = 0; i < POOL; i++)
        pd_free(pool[i]);
    pd_findings_free(findings);
    pd_findings_free(changes);
    pd_validator_free(v);
    return 0;
}
