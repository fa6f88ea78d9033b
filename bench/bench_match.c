/*
 * bench_match.c: deduplication of N members (env PD_BENCH_N, default 1000000) with
 * 2% duplicates and 5% dirty records, made by the library's generator (truth from
 * its cluster items), or with PD_BENCH_GEN=own by a small generator of this file. Prints one JSON object per measure (HELPERS.md format):
 * dedup time, records/s, candidate pairs, pairs/s, peak RSS, pair and cluster F1.
 *
 * The goal of issue 7: 1 M members in under 60 s on a 2-core machine, F1 >= 0.98.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "partydata/partydata.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- a small generator with truth -------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1DULL;
}
static double rndf(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }
static int rndi(int n) { return (int)(rnd() % (uint64_t)n); }

static const char *const surnames[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan",
                                       "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
                                       "Lý", "Đinh", "Trương", "Lương", "Mai", "Cao", "Tạ",
                                       "Lâm", "Hà", "Đoàn", "Vương", "Trịnh", "Chu", "Kiều",
                                       "Tô"};
static const int surname_w[] = {380, 110, 95, 70, 50, 40, 45, 40, 30, 20, 20, 14, 13, 13, 10,
                                5, 5, 5, 4, 4, 4, 3, 3, 3, 3, 2, 2, 2, 2, 2};
static const char *const middle_m[] = {"Văn", "Văn", "Văn", "Đức", "Minh", "Hữu", "Quang",
                                       "Xuân", "Thanh", "Công", "Mạnh", "Ngọc", "Quốc",
                                       "Anh", "Đình", "Trọng", "Tiến", "Bá", "Duy", "Hoàng"};
static const char *const middle_f[] = {"Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim",
                                       "Hồng", "Minh", "Thuý", "Phương", "Bích", "Mỹ",
                                       "Diệu", "Hoài", "Khánh", "Lan", "Quỳnh", "Hải", "Như"};
static const char *const given_m[] = {
    "Hùng", "Dũng", "Tuấn", "Hải", "Nam", "Sơn", "Thắng", "Long", "Quân", "Hiếu", "Phong",
    "Trung", "Đức", "Minh", "Bình", "Cường", "Hoà", "Khoa", "Tùng", "Thành", "Việt", "Toàn",
    "Phúc", "Lâm", "Hưng", "Tâm", "Vinh", "Quý", "Thuỷ", "Lợi", "Tài", "Thịnh", "Kiên",
    "Hoàng", "Huy", "Khánh", "Lực", "Mạnh", "Nghĩa", "Phú", "Quang", "Sang", "Tín", "Trí",
    "Tú", "Vũ", "Xuân", "An", "Bảo", "Chiến", "Định", "Giang", "Hậu", "Kỳ", "Luận", "Ngọc",
    "Nhân", "Phát", "Quyết", "Thái"};
static const char *const given_f[] = {
    "Lan", "Hương", "Hoa", "Mai", "Linh", "Hà", "Thảo", "Trang", "Nga", "Hằng", "Thuỷ", "Loan",
    "Yến", "Nhung", "Huyền", "Phương", "Oanh", "Vân", "Dung", "Hạnh", "Tuyết", "Liên", "Thoa",
    "Hoà", "Ngân", "Quỳnh", "Giang", "Hiền", "Lệ", "Châu", "Diệp", "Điệp", "Hồng", "Khuê",
    "Ly", "My", "Nhàn", "Nhi", "Sương", "Tâm", "Thu", "Thuý", "Trinh", "Uyên", "Vy", "Xuân",
    "Anh", "Bích", "Cúc", "Duyên"};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

typedef struct person {
    char name[96];
    int gender;
    pd_date birth;
    char cccd[16];
    char card[16];
    char home_prov[4];
    char home_commune[8];
    char res_commune[8];
    char res_prov[4];
} person;

static const char *pick_surname(void)
{
    int total = 0;
    for (size_t i = 0; i < NELEM(surname_w); i++)
        total += surname_w[i];
    int r = rndi(total);
    for (size_t i = 0; i < NELEM(surname_w); i++) {
        if (r < surname_w[i])
            return surnames[i];
        r -= surname_w[i];
    }
    return surnames[0];
}

static void make_person(person *p)
{
    p->gender = 1 + rndi(2);
    const char *mid = p->gender == 1 ? middle_m[rndi(NELEM(middle_m))] : middle_f[rndi(NELEM(middle_f))];
    const char *giv = p->gender == 1 ? given_m[rndi(NELEM(given_m))] : given_f[rndi(NELEM(given_f))];
    if (rndf() < 0.3) { /* two-syllable given name */
        const char *g2 = p->gender == 1 ? given_m[rndi(NELEM(given_m))] : given_f[rndi(NELEM(given_f))];
        snprintf(p->name, sizeof p->name, "%s %s %s %s", pick_surname(), mid, g2, giv);
    } else {
        snprintf(p->name, sizeof p->name, "%s %s %s", pick_surname(), mid, giv);
    }
    p->birth.year = 1940 + rndi(65);
    p->birth.month = 1 + rndi(12);
    p->birth.day = 1 + rndi(28);
    int prov = 1 + rndi(34);
    snprintf(p->home_prov, sizeof p->home_prov, "%02d", prov);
    snprintf(p->home_commune, sizeof p->home_commune, "%05d", prov * 1000 + rndi(100));
    int rprov = rndf() < 0.7 ? prov : 1 + rndi(34);
    snprintf(p->res_prov, sizeof p->res_prov, "%02d", rprov);
    snprintf(p->res_commune, sizeof p->res_commune, "%05d", rprov * 1000 + rndi(100));
    p->cccd[0] = p->card[0] = '\0';
    if (rndf() < 0.85)
        snprintf(p->cccd, sizeof p->cccd, "%03d%d%02d%06d", prov, p->gender == 1 ? 0 : 1,
                 p->birth.year % 100, rndi(1000000));
    if (rndf() < 0.7)
        snprintf(p->card, sizeof p->card, "%08d", rndi(100000000));
}

/* defects ---------------------------------------------------------------------------- */

static void strip_accents(char *s)
{
    char *f = NULL;
    if (pd_normalize_fold(&f, s) == 0 && f) {
        /* fold lower-cases: restore capitals at word starts */
        int start = 1;
        for (char *q = f; *q; q++) {
            if (start && *q >= 'a' && *q <= 'z')
                *q = (char)(*q - 32);
            start = *q == ' ';
        }
        snprintf(s, 96, "%s", f);
        pd_free(f);
    }
}

static void retone(char *s)
{
    /* old-style tone placement: "oà" → "òa", "uý" → "úy", "oá" → "óa" */
    static const char *const from[] = {"oà", "oá", "oả", "oã", "oạ", "uý", "uỳ", "uỷ", "uỹ", "uỵ"};
    static const char *const to[] = {"òa", "óa", "ỏa", "õa", "ọa", "úy", "ùy", "ủy", "ũy", "ụy"};
    for (size_t i = 0; i < NELEM(from); i++) {
        char *q = strstr(s, from[i]);
        if (q && strlen(from[i]) == strlen(to[i])) {
            memcpy(q, to[i], strlen(to[i]));
            return;
        }
    }
}

static void typo_name(char *s)
{
    size_t n = strlen(s);
    for (int tries = 0; tries < 10; tries++) {
        size_t i = (size_t)rndi((int)n);
        if (s[i] >= 'a' && s[i] <= 'z') {
            s[i] = (char)('a' + rndi(26));
            return;
        }
    }
}

static void swap_order(char *s)
{
    /* "Nguyễn Văn Hùng" → "Văn Hùng Nguyễn" (surname moved last) */
    char *sp = strchr(s, ' ');
    if (!sp)
        return;
    char tmp[96];
    snprintf(tmp, sizeof tmp, "%s %.*s", sp + 1, (int)(sp - s), s);
    snprintf(s, 96, "%s", tmp);
}

static void slip_digits(char *s)
{
    size_t n = strlen(s);
    if (n < 3)
        return;
    size_t i = (size_t)rndi((int)n - 1);
    if (rndf() < 0.5) {
        char c = s[i];
        s[i] = s[i + 1];
        s[i + 1] = c;
    } else {
        s[i] = (char)('0' + (s[i] - '0' + 1 + rndi(9)) % 10);
    }
}

static void dirty(person *p)
{
    int k = rndi(8);
    switch (k) {
    case 0: strip_accents(p->name); break;
    case 1: typo_name(p->name); break;
    case 2: retone(p->name); break;
    case 3: slip_digits(p->cccd); break;
    case 4: { int t = p->birth.day; if (t <= 12) { p->birth.day = p->birth.month; p->birth.month = t; } break; }
    case 5: p->birth.month = p->birth.day = 0; break;
    case 6: slip_digits(p->card); break;
    default: p->home_commune[0] = '\0'; break;
    }
}

/* a duplicate: the same person entered again (moved, typed differently) */
static void reenter(person *p)
{
    if (rndf() < 0.3)
        p->cccd[0] = '\0';
    if (rndf() < 0.4)
        p->card[0] = '\0';
    if (rndf() < 0.5) { /* moved */
        int rprov = 1 + rndi(34);
        snprintf(p->res_prov, sizeof p->res_prov, "%02d", rprov);
        snprintf(p->res_commune, sizeof p->res_commune, "%05d", rprov * 1000 + rndi(100));
    }
    double r = rndf();
    if (r < 0.2)
        retone(p->name);
    else if (r < 0.35)
        strip_accents(p->name);
    else if (r < 0.42)
        typo_name(p->name);
    else if (r < 0.45)
        swap_order(p->name);
    r = rndf();
    if (r < 0.08)
        p->birth.month = p->birth.day = 0;
    else if (r < 0.12 && p->birth.day <= 12) {
        int t = p->birth.day;
        p->birth.day = p->birth.month;
        p->birth.month = t;
    }
    if (rndf() < 0.05)
        slip_digits(p->cccd);
}

static pd_member *to_member(const person *p)
{
    pd_member *m = NULL;
    if (pd_member_new(&m) < 0)
        return NULL;
    pd_member_set_full_name(m, p->name);
    pd_member_set_gender(m, (pd_gender)p->gender);
    if (p->birth.year)
        pd_member_set_birth_date(m, &p->birth);
    if (p->cccd[0])
        pd_member_set_cccd(m, p->cccd);
    if (p->card[0])
        pd_member_set_party_card_no(m, p->card);
    pd_record *r = pd_member_record(m);
    pd_record_set(r, "hometown.admin_version", "ADMIN_VERSION_2025");
    pd_record_set(r, "hometown.province_code", p->home_prov);
    if (p->home_commune[0])
        pd_record_set(r, "hometown.commune_code", p->home_commune);
    pd_record_set(r, "permanent_residence.admin_version", "ADMIN_VERSION_2025");
    pd_record_set(r, "permanent_residence.province_code", p->res_prov);
    pd_record_set(r, "permanent_residence.commune_code", p->res_commune);
    return m;
}

/* id → record index, open addressing */
typedef struct idmap {
    pd_uuid *ids;
    size_t *idx;
    size_t cap;
} idmap;

static size_t idhash(const pd_uuid *u)
{
    uint64_t h;
    memcpy(&h, u->bytes + 8, 8);
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    return (size_t)(h ^ (h >> 32));
}

static void idmap_put(idmap *m, const pd_uuid *u, size_t i)
{
    size_t k = idhash(u) & (m->cap - 1);
    while (m->idx[k] != (size_t)-1)
        k = (k + 1) & (m->cap - 1);
    m->ids[k] = *u;
    m->idx[k] = i;
}

static size_t idmap_get(const idmap *m, const pd_uuid *u)
{
    size_t k = idhash(u) & (m->cap - 1);
    while (m->idx[k] != (size_t)-1) {
        if (!memcmp(m->ids[k].bytes, u->bytes, 16))
            return m->idx[k];
        k = (k + 1) & (m->cap - 1);
    }
    return (size_t)-1;
}

/* Records from the library's generator (issue 7's "generated data with truth"):
 * N persons, 2% entered twice or more, 5% of records dirty. */
static long lib_generate(pd_matcher *mt, uint64_t **truth_out, long n, double *t_add,
                         double *t_gen)
{
    pd_generate_options go = PD_GENERATE_OPTIONS_INIT;
    go.seed = 2026;
    go.members = n;
    go.dirty = 0.05;
    go.duplicates = 0.02;
    go.flags = PD_GENERATE_NO_ORGS;
    pd_generator *g = NULL;
    if (pd_generator_new(&g, &go) < 0)
        return -1;
    size_t cap = (size_t)n + (size_t)n / 10 + 16, made = 0;
    idmap map;
    map.cap = 1;
    while (map.cap < cap * 2)
        map.cap *= 2;
    map.ids = malloc(map.cap * sizeof *map.ids);
    map.idx = malloc(map.cap * sizeof *map.idx);
    uint64_t *truth = malloc(cap * sizeof *truth);
    if (!map.ids || !map.idx || !truth)
        return -1;
    memset(map.idx, 0xff, map.cap * sizeof *map.idx);
    pd_record *r;
    int rc;
    double t0 = now(), tadd = 0.0;
    while ((rc = pd_generator_next(&r, g)) == 0) {
        pd_member *m = pd_record_member(r);
        if (m && made < cap) {
            pd_uuid id;
            pd_member_id(&id, m);
            double ta = now();
            if (pd_matcher_add(mt, m, 0) < 0)
                return -1;
            tadd += now() - ta;
            idmap_put(&map, &id, made);
            truth[made] = made;
            made++;
        }
        pd_record_free(r);
    }
    pd_truth_item it;
    while (pd_generator_truth_next(&it, g) == 0) {
        if (it.type != PD_TRUTH_CLUSTER || it.member_count < 2)
            continue;
        size_t first = idmap_get(&map, &it.members[0]);
        for (size_t k = 1; k < it.member_count && first != (size_t)-1; k++) {
            size_t j = idmap_get(&map, &it.members[k]);
            if (j != (size_t)-1)
                truth[j] = truth[first];
        }
    }
    *t_gen = now() - t0 - tadd;
    *t_add = tadd;
    pd_generator_free(g);
    free(map.ids);
    free(map.idx);
    *truth_out = truth;
    return (long)made;
}

int main(void)
{
    long n = 1000000;
    const char *e = getenv("PD_BENCH_N");
    if (e && atol(e) > 0)
        n = atol(e);
    pd_matcher *mt = NULL;
    if (pd_matcher_new(&mt, NULL) < 0) {
        fprintf(stderr, "bench_match: %s\n", pd_error_last()->message);
        return 1;
    }
    uint64_t *truth = NULL;
    double t_add = 0.0, t_gen = 0.0;
    const char *src = getenv("PD_BENCH_GEN");
    int own = src && !strcmp(src, "own");
    if (!own) {
        long made = lib_generate(mt, &truth, n, &t_add, &t_gen);
        if (made < 0) {
            fprintf(stderr, "bench_match: generator: %s\n", pd_error_last()->message);
            return 1;
        }
        fprintf(stderr, "bench_match: library generator: %ld records in %.1fs\n", made, t_gen);
        n = made;
        goto run;
    }
    truth = malloc((size_t)n * sizeof *truth);
    if (!truth)
        return 1;
    /* records: persons, 2% of them entered twice; 5% of records dirty */
    long made = 0;
    uint64_t label = 0;
    while (made < n) {
        person p;
        make_person(&p);
        label++;
        int copies = (rndf() < 0.02 && made + 1 < n) ? 2 : 1;
        for (int c = 0; c < copies; c++) {
            person q = p;
            if (c > 0)
                reenter(&q);
            if (rndf() < 0.05)
                dirty(&q);
            pd_member *m = to_member(&q);
            double ta = now();
            int arc = m ? pd_matcher_add(mt, m, 0) : -1;
            t_add += now() - ta;
            if (arc < 0) {
                fprintf(stderr, "bench_match: %s\n", pd_error_last()->message);
                return 1;
            }
            pd_member_free(m);
            truth[made++] = label;
        }
    }
run:;
    double t0 = now();
    if (pd_matcher_run(mt) < 0) {
        fprintf(stderr, "bench_match: run: %s\n", pd_error_last()->message);
        return 1;
    }
    double t_run = now() - t0;
    double dt = t_add + t_run; /* feature extraction + blocking, scoring, clustering */
    pd_match_stats st;
    pd_matcher_stats(&st, mt);
    pd_match_quality q;
    pd_matcher_evaluate(&q, mt, truth, (size_t)n);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr,
            "bench_match: N=%ld time=%.2fs (add %.2fs, run %.2fs) candidates=%zu matched=%zu clusters=%zu split=%zu "
            "skipped_blocks=%zu em_iter=%d\n"
            "  pairs P=%.4f R=%.4f F1=%.4f (true %zu found %zu correct %zu)\n"
            "  clusters P=%.4f R=%.4f F1=%.4f\n",
            n, dt, t_add, t_run, st.candidate_pairs, st.matched_pairs, st.clusters, st.split_clusters,
            st.skipped_blocks, st.em_iterations, q.pair_precision, q.pair_recall, q.pair_f1,
            q.true_pairs, q.found_pairs, q.correct_pairs, q.cluster_precision,
            q.cluster_recall, q.cluster_f1);
    int ok_time = dt * 1000000.0 / (double)n < 60.0;
    printf("{\"measure\":\"dedup %ld members\",\"ours\":%.0f,\"baseline\":null,\"unit\":\"rec/s\","
           "\"ratio\":null,\"goal\":\"1 M members in < 60 s\",\"pass\":%s}\n",
           n, (double)n / dt, ok_time ? "true" : "false");
    printf("{\"measure\":\"dedup time\",\"ours\":%.3f,\"baseline\":null,\"unit\":\"s\","
           "\"ratio\":null,\"goal\":\"< 60 s per 1 M\",\"pass\":%s}\n",
           dt, ok_time ? "true" : "false");
    printf("{\"measure\":\"dedup candidate pairs\",\"ours\":%zu,\"baseline\":null,\"unit\":\"pairs\","
           "\"ratio\":null,\"goal\":\"info\",\"pass\":true}\n",
           st.candidate_pairs);
    printf("{\"measure\":\"dedup pairs/s\",\"ours\":%.0f,\"baseline\":null,\"unit\":\"pairs/s\","
           "\"ratio\":null,\"goal\":\"info\",\"pass\":true}\n",
           (double)st.candidate_pairs / dt);
    printf("{\"measure\":\"dedup peak RSS\",\"ours\":%ld,\"baseline\":null,\"unit\":\"KiB\","
           "\"ratio\":null,\"goal\":\"info\",\"pass\":true}\n",
           ru.ru_maxrss);
    printf("{\"measure\":\"dedup pair F1\",\"ours\":%.4f,\"baseline\":null,\"unit\":\"F1\","
           "\"ratio\":null,\"goal\":\">= 0.98\",\"pass\":%s}\n",
           q.pair_f1, q.pair_f1 >= 0.98 ? "true" : "false");
    printf("{\"measure\":\"dedup cluster F1\",\"ours\":%.4f,\"baseline\":null,\"unit\":\"F1\","
           "\"ratio\":null,\"goal\":\">= 0.98\",\"pass\":%s}\n",
           q.cluster_f1, q.cluster_f1 >= 0.98 ? "true" : "false");
    pd_matcher_free(mt);
    free(truth);
    return 0;
}
