/*
 * bench_codec.c: the codecs' speed (issue 3 item 12).
 *  1. protobuf stream: N members written with pd_writer (in-memory stream) and read back with pd_reader
 *     (file, framing, UTF-8 checks, frees) against bare protobuf-c pack + unpack + free
 *     of the same messages in the same run. Goal: ours <= 1.3x the bare time.
 *  2. JSON Lines: N members written and read back; goal >= 300 000 records/s.
 * N = $PD_BENCH_N (default 1 000 000). Members cycle through a pool of 1000
 * realistic ones (names, dates, CCCD, addresses, events). One JSON line per measure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "partydata/partydata.h"
#include "partydata.pb-c.h"

#define POOL 1000

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the machine is shared */
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set(pd_record *r, const char *path, const char *value)
{
    if (pd_record_set(r, path, value) < 0) {
        fprintf(stderr, "bench_codec: set %s: %s\n", path, pd_error_last()->message);
        exit(2);
    }
}

static pd_record *make_member(int i)
{
    static const char *sur[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"};
    static const char *mid[] = {"Văn", "Thị", "Đức", "Minh", "Thu", "Quang"};
    static const char *given[] = {"An", "Bình", "Hoà", "Dũng", "Hương", "Lan", "Tuấn", "Thảo", "Phúc"};
    static const char *prov[] = {"01", "79", "48", "31", "92", "26"};
    char buf[128];
    pd_member *m = NULL;
    if (pd_member_new(&m) < 0)
        exit(2);
    pd_record *r = pd_member_record(m);
    snprintf(buf, sizeof(buf), "%s %s %s", sur[i % 8], mid[i % 6], given[i % 9]);
    set(r, "full_name", buf);
    set(r, "gender", i % 2 ? "GENDER_NAM" : "GENDER_NU");
    snprintf(buf, sizeof(buf), "%d", 1950 + i % 50);
    set(r, "birth_date.year", buf);
    snprintf(buf, sizeof(buf), "%d", 1 + i % 12);
    set(r, "birth_date.month", buf);
    snprintf(buf, sizeof(buf), "%d", 1 + i % 28);
    set(r, "birth_date.day", buf);
    set(r, "birth_date.precision", "DATE_PRECISION_DAY");
    snprintf(buf, sizeof(buf), "0%s%d%09d", prov[i % 6], i % 2, 100000 + i);
    set(r, "id_numbers[0].type", "ID_TYPE_CCCD");
    set(r, "id_numbers[0].number", buf);
    snprintf(buf, sizeof(buf), "Xã Phú %d, huyện Đông Anh, Hà Nội", i % 40);
    set(r, "hometown.text", buf);
    set(r, "hometown.province_code", prov[i % 6]);
    set(r, "hometown.admin_version", "ADMIN_VERSION_PRE2025");
    snprintf(buf, sizeof(buf), "Số %d ngõ %d phố Kim Mã, phường Ngọc Hà, Hà Nội", i % 200, i % 30);
    set(r, "permanent_residence.text", buf);
    set(r, "permanent_residence.province_code", "01");
    snprintf(buf, sizeof(buf), "%05d", 100 + i % 500);
    set(r, "permanent_residence.commune_code", buf);
    set(r, "permanent_residence.admin_version", "ADMIN_VERSION_2025");
    set(r, "ethnicity.code", "01");
    set(r, "ethnicity.list", "ETHNIC_LIST_2008");
    set(r, "ethnicity.name", "Kinh");
    set(r, "occupation", "Cán bộ, công chức");
    set(r, "education_general", "12/12");
    set(r, "political_theory", "Trung cấp");
    snprintf(buf, sizeof(buf), "%08d", 10000000 + i);
    set(r, "party_card_no", buf);
    set(r, "status", "MEMBER_STATUS_CHINH_THUC");
    snprintf(buf, sizeof(buf), "%d", 1975 + i % 40);
    set(r, "admission_date.year", buf);
    set(r, "admission_date.month", "5");
    set(r, "admission_date.day", "19");
    set(r, "provenance.node", "hn-01");
    set(r, "provenance.revision", "3");
    set(r, "provenance.updated_at", "1767225600000000");
    static const char *types[] = {"EVENT_TYPE_KET_NAP", "EVENT_TYPE_CONG_NHAN_CHINH_THUC",
                                  "EVENT_TYPE_PHAT_THE"};
    for (int e = 0; e < 3; e++) {
        char path[64];
        snprintf(path, sizeof(path), "events[%d].type", e);
        if (pd_record_set(r, path, types[e]) < 0)
            set(r, path, "1"); /* enum names may differ: any value will do */
        snprintf(path, sizeof(path), "events[%d].decision.number", e);
        snprintf(buf, sizeof(buf), "%d-QĐ/ĐU", 10 + i % 90 + e);
        set(r, path, buf);
        snprintf(path, sizeof(path), "events[%d].decision.signed.year", e);
        snprintf(buf, sizeof(buf), "%d", 1975 + i % 40 + e);
        set(r, path, buf);
    }
    return r;
}

static void emit(const char *measure, double ours, double baseline, double ratio,
                 const char *goal, int pass)
{
    printf("{\"measure\":\"%s\",\"ours\":%.0f,\"baseline\":", measure, ours);
    if (baseline > 0)
        printf("%.0f", baseline);
    else
        printf("null");
    printf(",\"unit\":\"rec/s\",\"ratio\":");
    if (ratio > 0)
        printf("%.3f", ratio);
    else
        printf("null");
    printf(",\"goal\":\"%s\",\"pass\":%s}\n", goal, pass ? "true" : "false");
    fflush(stdout);
}

/* write n records (cycling the pool) in format f to an in-memory stream and read
 * them back with a memory reader, CHUNK records at a time (a stream in constant
 * memory): the codec's cost, not the disk's */
#define CHUNK 10000
static double roundtrip(pd_record **pool, long n, pd_format f)
{
    double t = 0;
    for (long done = 0; done < n; done += CHUNK) {
        long k = n - done < CHUNK ? n - done : CHUNK;
        char *mem = NULL;
        size_t memlen = 0;
        FILE *fp = open_memstream(&mem, &memlen);
        if (!fp)
            exit(2);
        double t0 = now();
        pd_writer_options wo = PD_WRITER_OPTIONS_INIT;
        wo.format = f;
        pd_writer *w = NULL;
        if (pd_writer_open_file(&w, fp, &wo) < 0)
            exit(2);
        for (long i = done; i < done + k; i++)
            if (pd_writer_write(w, pool[i % POOL]) < 0)
                exit(2);
        if (pd_writer_close(w) < 0 || fclose(fp) != 0)
            exit(2);
        pd_reader_options ro = PD_READER_OPTIONS_INIT;
        ro.format = f;
        pd_reader *rd = NULL;
        if (pd_reader_open_memory(&rd, mem, memlen, &ro) < 0)
            exit(2);
        long got = 0;
        pd_record *r;
        int rc;
        while ((rc = pd_reader_next(&r, rd)) == 0) {
            got++;
            pd_record_free(r);
        }
        t += now() - t0;
        pd_reader_free(rd);
        free(mem);
        if (rc != PD_ITEROVER || got != k) {
            fprintf(stderr, "bench_codec: read %ld of %ld (%s)\n", got, k, pd_error_last()->message);
            exit(2);
        }
    }
    return t;
}

/* bare protobuf-c: pack each Record envelope into a buffer, unpack it, free it */
static double bare(pd_record **pool, long n)
{
    size_t cap = 1 << 16;
    unsigned char *buf = malloc(cap);
    double t0 = now();
    for (long i = 0; i < n; i++) {
        PdPb__Record env = PD_PB__RECORD__INIT;
        env.entity_case = PD_PB__RECORD__ENTITY_MEMBER;
        env.member = (PdPb__Member *)pool[i % POOL];
        size_t len = protobuf_c_message_get_packed_size(&env.base);
        if (len > cap)
            exit(2);
        protobuf_c_message_pack(&env.base, buf);
        ProtobufCMessage *m = protobuf_c_message_unpack(&pd__pb__record__descriptor, NULL, len, buf);
        if (!m)
            exit(2);
        protobuf_c_message_free_unpacked(m, NULL);
    }
    double t = now() - t0;
    free(buf);
    return t;
}

/* the floor any jansson-based codec has: parse and dump the same JSON lines with
 * jansson alone (no mapping to messages) */
static double jansson_alone(pd_record **pool, long n, double *bytes_per_rec)
{
    char *lines[POOL];
    size_t lens[POOL], total = 0;
    for (int i = 0; i < POOL; i++) {
        if (pd_record_to_json(&lines[i], pool[i], 0) < 0)
            exit(2);
        lens[i] = strlen(lines[i]);
        total += lens[i];
    }
    *bytes_per_rec = (double)total / POOL;
    char *out = malloc(1 << 16);
    double t0 = now();
    for (long i = 0; i < n; i++) {
        json_t *j = json_loadb(lines[i % POOL], lens[i % POOL], 0, NULL);
        if (!j || json_dumpb(j, out, 1 << 16, JSON_COMPACT) == 0)
            exit(2);
        json_decref(j);
    }
    double t = now() - t0;
    free(out);
    for (int i = 0; i < POOL; i++)
        pd_free(lines[i]);
    return t;
}

int main(void)
{
    const char *env = getenv("PD_BENCH_N");
    long n = env ? atol(env) : 1000000;
    if (n <= 0)
        n = 1000000;
    pd_record *pool[POOL];
    for (int i = 0; i < POOL; i++)
        pool[i] = make_member(i);

    double tb = bare(pool, n), to = roundtrip(pool, n, PD_FORMAT_PB);
    double ratio = to / tb;
    emit("protobuf stream encode+decode (members)", n / to, n / tb, ratio,
         "<= 1.3x baseline time", ratio <= 1.3);

    double bpr = 0, tjb = jansson_alone(pool, n, &bpr);
    double tj = roundtrip(pool, n, PD_FORMAT_JSONL);
    fprintf(stderr, "bench_codec: JSON line %.0f bytes; jansson alone %.0f rec/s\n", bpr, n / tjb);
    emit("JSON Lines encode+decode (members)", n / tj, n / tjb, tj / tjb, ">= 300000 rec/s",
         n / tj >= 300000);

    for (int i = 0; i < POOL; i++)
        pd_record_free(pool[i]);
    return 0;
}
