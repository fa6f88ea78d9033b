/* check_codec.c: protobuf stream, JSON Lines and CSV codecs; every bad input of
 * issue 3 with its reported position; read = ok + rejected. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "partydata/partydata.h"

/* ---- fixtures ---------------------------------------------------------------------- */

static pd_record *sample_member(void)
{
    pd_member *m = NULL;
    ck_assert_int_eq(pd_member_new(&m), 0);
    pd_record *r = pd_member_record(m);
    ck_assert_int_eq(pd_member_set_full_name(m, "Nguyễn Thị Hoà"), 0);
    ck_assert_int_eq(pd_member_set_gender(m, PD_GENDER_NU), 0);
    pd_date d = {1975, 4, 30};
    ck_assert_int_eq(pd_member_set_birth_date(m, &d), 0);
    ck_assert_int_eq(pd_member_set_cccd(m, "001175012345"), 0);
    ck_assert_int_eq(pd_record_set(r, "hometown.text", "Hà Nội"), 0);
    ck_assert_int_eq(pd_record_set(r, "provenance.revision", "9007199254740993"), 0);
    ck_assert_int_eq(pd_record_set(r, "aliases[0]", ""), 0);
    ck_assert_int_eq(pd_record_set(r, "aliases[1]", "Hoà"), 0);
    ck_assert_int_eq(pd_record_set(r, "events[0].type", "EVENT_TYPE_KET_NAP"), 0);
    ck_assert_int_eq(pd_record_set(r, "events[0].decision.number", "12-QĐ/ĐU"), 0);
    ck_assert_int_eq(pd_record_set(r, "is_213", "false"), 0);
    ck_assert_int_eq(pd_record_set(r, "photo", "AP8A/w=="), 0);
    return r;
}

/* Read everything; count good and bad records; keep the first error. */
typedef struct tally {
    int ok, bad, last_rc;
    pd_error first;
    char msg[256], path[128];
} tally;

static void read_all(tally *t, pd_reader *rd)
{
    memset(t, 0, sizeof(*t));
    for (;;) {
        pd_record *r = NULL;
        int rc = pd_reader_next(&r, rd);
        if (rc == PD_ITEROVER)
            break;
        if (rc == PD_EIO || rc == PD_ENOMEM) {
            t->last_rc = rc;
            break;
        }
        if (rc < 0) {
            if (t->bad++ == 0) {
                t->first = *pd_error_last();
                snprintf(t->msg, sizeof(t->msg), "%s", t->first.message);
                snprintf(t->path, sizeof(t->path), "%s",
                         t->first.field_path ? t->first.field_path : "");
            }
            t->last_rc = rc;
            ck_assert_ptr_null(r);
            continue;
        }
        t->ok++;
        pd_record_free(r);
    }
}

static void read_mem(tally *t, const void *data, size_t len, pd_format f, size_t max)
{
    pd_reader_options o = PD_READER_OPTIONS_INIT;
    o.format = f;
    o.max_record_bytes = max;
    pd_reader *rd = NULL;
    ck_assert_int_eq(pd_reader_open_memory(&rd, data, len, &o), 0);
    read_all(t, rd);
    pd_reader_free(rd);
}

static char *tmp_path(const char *suffix)
{
    static int n;
    char *p = malloc(256);
    snprintf(p, 256, "/tmp/check_codec.%ld.%d%s", (long)getpid(), n++, suffix);
    return p;
}

/* ---- single records ------------------------------------------------------------------ */

START_TEST(test_codec_pb_roundtrip)
{
    pd_record *r = sample_member(), *back = NULL;
    unsigned char *buf = NULL;
    size_t len = 0;
    ck_assert_int_eq(pd_record_to_pb(&buf, &len, r), 0);
    ck_assert_uint_gt(len, 20);
    ck_assert_int_eq(buf[0], 0x0a); /* Record.member, length-delimited */
    ck_assert_int_eq(pd_record_from_pb(&back, buf, len), 0);
    ck_assert_int_eq(pd_record_kind(back), PD_KIND_MEMBER);
    ck_assert(pd_record_equal(r, back));
    unsigned char *buf2 = NULL;
    size_t len2 = 0;
    ck_assert_int_eq(pd_record_to_pb(&buf2, &len2, back), 0);
    ck_assert_uint_eq(len, len2);
    ck_assert(memcmp(buf, buf2, len) == 0);
    pd_free(buf);
    pd_free(buf2);
    pd_record_free(back);
    pd_record_free(r);
}
END_TEST

START_TEST(test_codec_pb_unknown_fields_survive)
{
    /* Record{member{full_name:"ab", field 99: varint 1}} */
    const unsigned char in[] = {0x0a, 0x07, 0x1a, 0x02, 'a', 'b', 0x98, 0x06, 0x01};
    pd_record *r = NULL;
    ck_assert_int_eq(pd_record_from_pb(&r, in, sizeof(in)), 0);
    unsigned char *out = NULL;
    size_t len = 0;
    ck_assert_int_eq(pd_record_to_pb(&out, &len, r), 0);
    ck_assert_uint_eq(len, sizeof(in));
    ck_assert(memcmp(in, out, len) == 0);
    pd_free(out);
    pd_record_free(r);
}
END_TEST

START_TEST(test_codec_pb_bad_utf8_and_nul)
{
    pd_record *r = NULL;
    const unsigned char bad[] = {0x0a, 0x05, 0x1a, 0x03, 'a', 0xff, 'b'};
    ck_assert_int_eq(pd_record_from_pb(&r, bad, sizeof(bad)), PD_EPARSE);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(pd_error_last()->field_path, "full_name");
    ck_assert_ptr_nonnull(strstr(pd_error_last()->message, "UTF-8"));
    const unsigned char nul[] = {0x0a, 0x05, 0x1a, 0x03, 'a', 0x00, 'b'};
    ck_assert_int_eq(pd_record_from_pb(&r, nul, sizeof(nul)), PD_EPARSE);
    ck_assert_str_eq(pd_error_last()->field_path, "full_name");
    ck_assert_ptr_nonnull(strstr(pd_error_last()->message, "NUL"));
    /* nested and repeated: aliases[1] (field 5) */
    const unsigned char rep[] = {0x0a, 0x07, 0x2a, 0x01, 'x', 0x2a, 0x02, 0xc3, 0x28};
    ck_assert_int_eq(pd_record_from_pb(&r, rep, sizeof(rep)), PD_EPARSE);
    ck_assert_str_eq(pd_error_last()->field_path, "aliases[1]");
    /* field number 0 hidden in an over-long tag (found by fuzz_pb): protobuf-c takes
     * it but could not read its own output back */
    const unsigned char zero[] = {0x0a, 0x05, 0x1a, 0x00, 0x80, 0x00, 0x00};
    ck_assert_int_eq(pd_record_from_pb(&r, zero, sizeof(zero)), PD_EPARSE);
    ck_assert_ptr_nonnull(strstr(pd_error_last()->message, "field number 0"));
    /* no entity */
    ck_assert_int_eq(pd_record_from_pb(&r, (const unsigned char *)"", 0), PD_EPARSE);
    /* garbage */
    const unsigned char junk[] = {0x0a, 0x09, 0x01};
    ck_assert_int_eq(pd_record_from_pb(&r, junk, sizeof(junk)), PD_EPARSE);
}
END_TEST

START_TEST(test_codec_json_mapping)
{
    pd_record *r = sample_member(), *back = NULL;
    char *js = NULL;
    ck_assert_int_eq(pd_record_to_json(&js, r, 0), 0);
    ck_assert(strncmp(js, "{\"member\":{", 11) == 0);
    ck_assert_ptr_nonnull(strstr(js, "\"fullName\":\"Nguyễn Thị Hoà\""));
    ck_assert_ptr_nonnull(strstr(js, "\"gender\":\"GENDER_NU\""));
    ck_assert_ptr_nonnull(strstr(js, "\"revision\":\"9007199254740993\""));
    ck_assert_ptr_nonnull(strstr(js, "\"photo\":\"AP8A/w==\""));
    ck_assert_ptr_nonnull(strstr(js, "\"is213\":false"));
    ck_assert_ptr_null(strchr(js, '\n'));
    ck_assert_int_eq(pd_record_from_json(&back, js, strlen(js), PD_KIND_NONE, 0), 0);
    ck_assert(pd_record_equal(r, back));
    pd_record_free(back);
    pd_free(js);
    ck_assert_int_eq(pd_record_to_json(&js, r, PD_JSON_BARE), 0);
    ck_assert(strncmp(js, "{\"id\":", 6) == 0);
    ck_assert_int_eq(pd_record_from_json(&back, js, strlen(js), PD_KIND_MEMBER, 0), 0);
    ck_assert(pd_record_equal(r, back));
    pd_record_free(back);
    pd_free(js);
    pd_record_free(r);
}
END_TEST

START_TEST(test_codec_json_accepts_both_spellings)
{
    const char *in = "{\"member\":{\"full_name\":\"A\",\"birthDate\":{\"year\":\"1990\"},"
                     "\"gender\":2,\"provenance\":{\"revision\":5,\"updated_at\":\"-7\"},"
                     "\"photo\":\"_-8\",\"status\":\"MEMBER_STATUS_CHINH_THUC\"}}";
    pd_record *r = NULL;
    ck_assert_int_eq(pd_record_from_json(&r, in, strlen(in), PD_KIND_NONE, 0), 0);
    char *v = NULL;
    ck_assert_int_eq(pd_record_get(&v, r, "birth_date.year"), 0);
    ck_assert_str_eq(v, "1990");
    pd_free(v);
    ck_assert_int_eq(pd_record_get(&v, r, "provenance.updated_at"), 0);
    ck_assert_str_eq(v, "-7");
    pd_free(v);
    ck_assert_int_eq(pd_member_gender(pd_record_member(r)), PD_GENDER_NU);
    unsigned char *pb = NULL;
    size_t n = 0;
    ck_assert_int_eq(pd_record_to_pb(&pb, &n, r), 0);
    pd_free(pb);
    pd_record_free(r);
}
END_TEST

static void json_bad(const char *in, unsigned flags, const char *path, const char *msg_part)
{
    pd_record *r = NULL;
    int rc = pd_record_from_json(&r, in, strlen(in), PD_KIND_NONE, flags);
    ck_assert_msg(rc == PD_EPARSE, "%s: rc %d", in, rc);
    ck_assert_ptr_null(r);
    const pd_error *e = pd_error_last();
    if (path)
        ck_assert_msg(e->field_path && !strcmp(e->field_path, path), "%s: path %s", in,
                      e->field_path ? e->field_path : "(null)");
    ck_assert_msg(strstr(e->message, msg_part) != NULL, "%s: message %s", in, e->message);
}

START_TEST(test_codec_json_bad_input)
{
    json_bad("{\"member\":{\"fullName\":\"A\",\"nickname\":\"B\"}}", 0, "nickname",
             "unknown field \"nickname\"");
    json_bad("{\"member\":{\"fullName\":5}}", 0, "full_name", "expected a string");
    json_bad("{\"member\":{\"birthDate\":{\"year\":\"x\"}}}", 0, "birth_date.year",
             "expected an integer");
    json_bad("{\"member\":{\"birthDate\":{\"year\":3000000000}}}", 0, "birth_date.year",
             "out of range");
    json_bad("{\"member\":{\"provenance\":{\"revision\":\"99999999999999999999\"}}}", 0,
             "provenance.revision", "out of range");
    json_bad("{\"member\":{\"birthDate\":{\"year\":1.5}}}", 0, "birth_date.year",
             "expected an integer");
    json_bad("{\"member\":{\"gender\":\"GENDER_X\"}}", 0, "gender", "unknown");
    json_bad("{\"member\":{\"aliases\":\"A\"}}", 0, "aliases", "expected an array");
    json_bad("{\"member\":{\"events\":[{},{\"decision\":[]}]}}", 0, "events[1].decision",
             "expected an object");
    json_bad("{\"member\":{\"photo\":\"!!\"}}", 0, "photo", "base64");
    json_bad("{\"member\":{\"is213\":1}}", 0, "is_213", "true or false");
    json_bad("{\"member\":{\"fullName\":\"a\\u0000b\"}}", 0, NULL, "invalid JSON");
    json_bad("{\"member\":{\"fullName\":\"a\xff\"}}", 0, NULL, "invalid JSON");
    json_bad("{\"member\":{}, \"organization\":{}}", 0, NULL, "more than one entity");
    json_bad("{}", 0, NULL, "no entity");
    json_bad("[1]", 0, NULL, "expected a JSON object");
    json_bad("{\"member\":{\"fullName\":\"A\"}", 0, NULL, "invalid JSON");
    json_bad("{\"thing\":{}}", 0, NULL, "unknown field \"thing\"");
    /* ignoring unknown keys and enum names */
    pd_record *r = NULL;
    const char *in = "{\"member\":{\"fullName\":\"A\",\"nickname\":{\"x\":[1]},\"gender\":\"X\"},\"z\":1}";
    ck_assert_int_eq(pd_record_from_json(&r, in, strlen(in), PD_KIND_NONE, PD_JSON_IGNORE_UNKNOWN), 0);
    ck_assert_str_eq(pd_member_full_name(pd_record_member(r)), "A");
    pd_record_free(r);
    ck_assert_int_eq(pd_record_from_json(&r, "{}", 2, (pd_kind)77, 0), PD_EINVALID);
}
END_TEST

START_TEST(test_codec_json_deep_nesting)
{
    size_t depth = 100000, n = 0;
    char *s = malloc(depth * 2 + 64);
    n += (size_t)sprintf(s, "{\"member\":{\"fullName\":");
    for (size_t i = 0; i < depth; i++)
        s[n++] = '[';
    for (size_t i = 0; i < depth; i++)
        s[n++] = ']';
    s[n++] = '}';
    s[n++] = '}';
    pd_record *r = NULL;
    ck_assert_int_eq(pd_record_from_json(&r, s, n, PD_KIND_NONE, 0), PD_EPARSE);
    ck_assert_ptr_nonnull(strstr(pd_error_last()->message, "depth"));
    ck_assert_int_gt(pd_error_last()->column, 0);
    free(s);
}
END_TEST

/* ---- streams ----------------------------------------------------------------------------- */

static void roundtrip_file(pd_format f, const char *suffix)
{
    char *path = tmp_path(suffix);
    pd_writer *w = NULL;
    ck_assert_int_eq(pd_writer_open(&w, path, NULL), 0);
    pd_record *recs[3];
    for (int i = 0; i < 3; i++) {
        recs[i] = sample_member();
        ck_assert_int_eq(pd_writer_write(w, recs[i]), 0);
    }
    ck_assert_int_eq(pd_writer_count(w), 3);
    ck_assert_int_eq(pd_writer_close(w), 0);
    pd_reader *rd = NULL;
    ck_assert_int_eq(pd_reader_open(&rd, path, NULL), 0);
    ck_assert_int_eq(pd_reader_format(rd), f);
    for (int i = 0; i < 3; i++) {
        pd_record *r = NULL;
        ck_assert_int_eq(pd_reader_next(&r, rd), 0);
        ck_assert_int_eq(pd_reader_record_index(rd), i + 1);
        ck_assert_msg(pd_record_equal(r, recs[i]), "record %d differs", i);
        size_t rawlen = 0;
        ck_assert_ptr_nonnull(pd_reader_raw(rd, &rawlen));
        ck_assert_uint_gt(rawlen, 10);
        pd_record_free(r);
        pd_record_free(recs[i]);
    }
    pd_record *r = NULL;
    ck_assert_int_eq(pd_reader_next(&r, rd), PD_ITEROVER);
    ck_assert_int_eq(pd_reader_next(&r, rd), PD_ITEROVER);
    pd_reader_free(rd);
    unlink(path);
    free(path);
}

START_TEST(test_codec_stream_roundtrip_pb) { roundtrip_file(PD_FORMAT_PB, ".pb"); }
END_TEST
START_TEST(test_codec_stream_roundtrip_jsonl) { roundtrip_file(PD_FORMAT_JSONL, ".jsonl"); }
END_TEST
START_TEST(test_codec_stream_roundtrip_csv) { roundtrip_file(PD_FORMAT_CSV, ".csv"); }
END_TEST

START_TEST(test_codec_reader_pb_bad_framing)
{
    tally t;
    /* good, then a record whose unpack fails (framing intact), then good */
    const unsigned char s1[] = {0x04, 0x0a, 0x02, 0x1a, 0x00, 0x03, 0x0a, 0x09, 0x01,
                                0x04, 0x0a, 0x02, 0x1a, 0x00};
    read_mem(&t, s1, sizeof(s1), PD_FORMAT_PB, 0);
    ck_assert_int_eq(t.ok, 2);
    ck_assert_int_eq(t.bad, 1);
    ck_assert_int_eq(t.first.record, 2);
    ck_assert_int_eq(t.first.offset, 5);
    /* truncated varint at the end */
    const unsigned char s2[] = {0x04, 0x0a, 0x02, 0x1a, 0x00, 0x80};
    read_mem(&t, s2, sizeof(s2), PD_FORMAT_PB, 0);
    ck_assert_int_eq(t.ok, 1);
    ck_assert_int_eq(t.bad, 1);
    ck_assert_int_eq(t.first.record, 2);
    ck_assert_int_eq(t.first.offset, 5);
    ck_assert_ptr_nonnull(strstr(t.msg, "truncated"));
    /* a length past the end */
    const unsigned char s3[] = {0x04, 0x0a, 0x02, 0x1a, 0x00, 0x20, 0x0a};
    read_mem(&t, s3, sizeof(s3), PD_FORMAT_PB, 0);
    ck_assert_int_eq(t.ok, 1);
    ck_assert_int_eq(t.bad, 1);
    ck_assert_ptr_nonnull(strstr(t.msg, "past the end"));
    ck_assert_int_eq(t.first.offset, 5);
    /* an over-long varint */
    const unsigned char s4[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    read_mem(&t, s4, sizeof(s4), PD_FORMAT_PB, 0);
    ck_assert_int_eq(t.bad, 1);
    ck_assert_int_eq(t.first.record, 1);
    /* a record over the limit is skipped, the next one read */
    unsigned char s5[64 + 8];
    size_t n = 0;
    s5[n++] = 40;
    s5[n++] = 0x0a;
    s5[n++] = 38;
    s5[n++] = 0x1a;
    s5[n++] = 36;
    memset(s5 + n, 'x', 36);
    n += 36;
    s5[n++] = 0x04, s5[n++] = 0x0a, s5[n++] = 0x02, s5[n++] = 0x1a, s5[n++] = 0x00;
    read_mem(&t, s5, n, PD_FORMAT_PB, 16);
    ck_assert_int_eq(t.ok, 1);
    ck_assert_int_eq(t.bad, 1);
    ck_assert_int_eq(t.first.code, PD_ELIMIT);
    ck_assert_int_eq(t.first.record, 1);
    /* invalid UTF-8 in the second record: path and position */
    const unsigned char s6[] = {0x04, 0x0a, 0x02, 0x1a, 0x00, 0x07, 0x0a, 0x05, 0x1a, 0x03,
                                'a', 0xc0, 0xaf};
    read_mem(&t, s6, sizeof(s6), PD_FORMAT_PB, 0);
    ck_assert_int_eq(t.ok, 1);
    ck_assert_int_eq(t.bad, 1);
    ck_assert_str_eq(t.path, "full_name");
    ck_assert_int_eq(t.first.record, 2);
    ck_assert_int_eq(t.first.offset, 5);
}
END_TEST

START_TEST(test_codec_reader_jsonl_bad_lines)
{
    const char *in =
        "{\"member\":{\"fullName\":\"A\"}}\n"
        "\n"
        "{\"member\":{\"fullName\":\"B\",\"x\":1}}\n"
        "{\"member\":{\"birthDate\":{\"month\":[]}}}\r\n"
        "{\"member\":{\"fullName\":\"\xe1\x80\"}}\n"
        "not json\n"
        "{\"organization\":{\"name\":\"Chi bộ 1\"}}";
    tally t;
    read_mem(&t, in, strlen(in), PD_FORMAT_JSONL, 0);
    ck_assert_int_eq(t.ok, 2);
    ck_assert_int_eq(t.bad, 4);
    ck_assert_int_eq(t.first.line, 3);
    ck_assert_int_eq(t.first.record, 2);
    ck_assert_str_eq(t.path, "x");
    ck_assert_ptr_nonnull(strstr(t.msg, "\"x\""));
    ck_assert_int_eq(t.first.offset, 29);
    ck_assert_str_eq(t.first.source, "<memory>");
}
END_TEST

START_TEST(test_codec_reader_jsonl_huge_line)
{
    /* a 100 MB line between two good ones: rejected with its line, memory bounded */
    char *path = tmp_path(".jsonl");
    FILE *fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    fputs("{\"member\":{\"fullName\":\"A\"}}\n{\"member\":{\"fullName\":\"", fp);
    char *chunk = malloc(1 << 20);
    memset(chunk, 'a', 1 << 20);
    for (int i = 0; i < 100; i++)
        fwrite(chunk, 1, 1 << 20, fp);
    free(chunk);
    fputs("\"}}\n{\"member\":{\"fullName\":\"C\"}}\n", fp);
    fclose(fp);
    pd_reader_options o = PD_READER_OPTIONS_INIT;
    pd_reader *rd = NULL;
    ck_assert_int_eq(pd_reader_open(&rd, path, &o), 0);
    tally t;
    read_all(&t, rd);
    ck_assert_int_eq(t.ok, 2);
    ck_assert_int_eq(t.bad, 1);
    ck_assert_int_eq(t.first.code, PD_ELIMIT);
    ck_assert_int_eq(t.first.line, 2);
    ck_assert_int_eq(t.first.record, 2);
    ck_assert_int_eq(pd_reader_record_index(rd), 3);
    pd_reader_free(rd);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_codec_reader_csv_bad_rows)
{
    pd_strarray cols;
    ck_assert_int_eq(pd_csv_columns(&cols), 0);
    ck_assert_uint_gt(cols.count, 50);
    ck_assert_str_eq(cols.strings[0], "id");
    pd_strarray_dispose(&cols);
    const char *in =
        "full_name,birth_date.year,id_numbers[0].number,aliases[1]\n"
        "\"Lê Văn A\",1970,001070000001,\n"
        "B,1971\n"
        "\"C\",19\"72,,\n"
        "\"D, \"\"the second\"\"\",1973,,\"x\ny\"\n"
        "E,abc,,\n"
        "F,1975,,\n";
    tally t;
    read_mem(&t, in, strlen(in), PD_FORMAT_CSV, 0);
    ck_assert_int_eq(t.ok, 3);
    ck_assert_int_eq(t.bad, 3);
    ck_assert_int_eq(t.first.line, 3);
    ck_assert_int_eq(t.first.record, 2);
    ck_assert_ptr_nonnull(strstr(t.msg, "2 fields"));
    /* values and the line of a later bad row */
    pd_reader_options o = PD_READER_OPTIONS_INIT;
    o.format = PD_FORMAT_CSV;
    pd_reader *rd = NULL;
    ck_assert_int_eq(pd_reader_open_memory(&rd, in, strlen(in), &o), 0);
    pd_record *r = NULL;
    ck_assert_int_eq(pd_reader_next(&r, rd), 0);
    ck_assert_str_eq(pd_member_full_name(pd_record_member(r)), "Lê Văn A");
    char *v = NULL;
    ck_assert_int_eq(pd_record_get(&v, r, "id_numbers[0].number"), 0);
    ck_assert_str_eq(v, "001070000001");
    pd_free(v);
    ck_assert_int_eq(pd_record_has(r, "aliases[0]"), 0);
    pd_record_free(r);
    ck_assert_int_eq(pd_reader_next(&r, rd), PD_EPARSE);
    ck_assert_int_eq(pd_reader_next(&r, rd), PD_EPARSE); /* broken quote */
    ck_assert_int_eq(pd_error_last()->line, 4);
    ck_assert_ptr_nonnull(strstr(pd_error_last()->message, "quote"));
    size_t rawlen;
    const unsigned char *raw = pd_reader_raw(rd, &rawlen);
    ck_assert(rawlen == 11 && memcmp(raw, "\"C\",19\"72,,", 11) == 0);
    ck_assert_int_eq(pd_reader_next(&r, rd), 0); /* quoted comma, quotes, newline */
    ck_assert_str_eq(pd_member_full_name(pd_record_member(r)), "D, \"the second\"");
    ck_assert_int_eq(pd_record_get(&v, r, "aliases[1]"), 0);
    ck_assert_str_eq(v, "x\ny");
    pd_free(v);
    ck_assert_int_eq(pd_record_get(&v, r, "aliases[0]"), 0);
    ck_assert_str_eq(v, "");
    pd_free(v);
    pd_record_free(r);
    ck_assert_int_eq(pd_reader_next(&r, rd), PD_EPARSE);
    ck_assert_int_eq(pd_error_last()->line, 7);
    ck_assert_str_eq(pd_error_last()->field_path, "birth_date.year");
    ck_assert_int_eq(pd_reader_next(&r, rd), 0);
    pd_record_free(r);
    ck_assert_int_eq(pd_reader_next(&r, rd), PD_ITEROVER);
    pd_reader_free(rd);
    /* invalid UTF-8 and a NUL byte in CSV cells: line and column path */
    static const char bytes_in[] = "full_name,occupation\nA,ok\nB,x\xff\nC,y\0z\nD,ok\n";
    ck_assert_int_eq(pd_reader_open_memory(&rd, bytes_in, sizeof(bytes_in) - 1, &o), 0);
    ck_assert_int_eq(pd_reader_next(&r, rd), 0);
    pd_record_free(r);
    ck_assert_int_eq(pd_reader_next(&r, rd), PD_EPARSE);
    ck_assert_int_eq(pd_error_last()->line, 3);
    ck_assert_str_eq(pd_error_last()->field_path, "occupation");
    ck_assert_ptr_nonnull(strstr(pd_error_last()->message, "UTF-8"));
    ck_assert_int_eq(pd_reader_next(&r, rd), PD_EPARSE);
    ck_assert_int_eq(pd_error_last()->line, 4);
    ck_assert_ptr_nonnull(strstr(pd_error_last()->message, "NUL"));
    ck_assert_int_eq(pd_reader_next(&r, rd), 0);
    ck_assert_str_eq(pd_member_full_name(pd_record_member(r)), "D");
    pd_record_free(r);
    ck_assert_int_eq(pd_reader_record_index(rd), 4);
    pd_reader_free(rd);
    /* an unknown header column, an unterminated quote at the end */
    ck_assert_int_eq(pd_reader_open_memory(&rd, "full_name,shoe_size\n", 20, &o), PD_EPARSE);
    ck_assert_ptr_nonnull(strstr(pd_error_last()->message, "shoe_size"));
    const char *open_quote = "full_name\nA\n\"B\nC\n";
    read_mem(&t, open_quote, strlen(open_quote), PD_FORMAT_CSV, 0);
    ck_assert_int_eq(t.ok, 1);
    ck_assert_int_eq(t.bad, 1);
    ck_assert_int_eq(t.first.line, 3);
}
END_TEST

START_TEST(test_codec_reader_open_file_offsets)
{
    pd_record *r = sample_member();
    unsigned char *buf = NULL;
    size_t len = 0;
    ck_assert_int_eq(pd_record_to_pb(&buf, &len, r), 0);
    FILE *fp = tmpfile();
    ck_assert_ptr_nonnull(fp);
    long long prefix = 0; /* bytes of the varint length */
    for (int i = 0; i < 2; i++) {
        prefix = 0;
        for (size_t v = len; ; v >>= 7) {
            fputc((int)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0)), fp);
            prefix++;
            if (v < 0x80)
                break;
        }
        fwrite(buf, 1, len, fp);
    }
    rewind(fp);
    pd_reader *rd = NULL;
    pd_reader_options o = PD_READER_OPTIONS_INIT;
    o.name = "stream";
    ck_assert_int_eq(pd_reader_open_file(&rd, fp, &o), 0);
    pd_record *back = NULL;
    ck_assert_int_eq(pd_reader_next(&back, rd), 0);
    ck_assert_int_eq(pd_reader_offset(rd), 0);
    ck_assert(pd_record_equal(r, back));
    pd_record_free(back);
    ck_assert_int_eq(pd_reader_next(&back, rd), 0);
    ck_assert_int_eq(pd_reader_offset(rd), (long long)len + prefix); /* second record */
    ck_assert_int_eq(pd_reader_record_index(rd), 2);
    pd_record_free(back);
    ck_assert_int_eq(pd_reader_next(&back, rd), PD_ITEROVER);
    pd_reader_free(rd);
    fclose(fp); /* the reader does not close a stream it was given */
    pd_free(buf);
    pd_record_free(r);
}
END_TEST

START_TEST(test_codec_writer_errors)
{
    pd_writer_options o = PD_WRITER_OPTIONS_INIT;
    o.format = PD_FORMAT_CSV;
    pd_writer *w = NULL;
    FILE *fp = tmpfile();
    ck_assert_int_eq(pd_writer_open_file(&w, fp, &o), 0);
    pd_org *org = NULL;
    ck_assert_int_eq(pd_org_new(&org), 0);
    ck_assert_int_eq(pd_writer_write(w, pd_org_record(org)), PD_EINVALID);
    pd_record *r = sample_member();
    for (int i = 0; i <= PD_CSV_MAX_REPEAT; i++) {
        char p[32];
        snprintf(p, sizeof(p), "events[%d].type", i);
        ck_assert_int_eq(pd_record_set(r, p, "EVENT_TYPE_KET_NAP"), 0);
    }
    ck_assert_int_eq(pd_writer_write(w, r), PD_ELIMIT);
    ck_assert_str_eq(pd_error_last()->field_path, "events");
    ck_assert_int_eq(pd_writer_count(w), 0);
    ck_assert_int_eq(pd_writer_close(w), 0);
    fclose(fp);
    ck_assert_int_eq(pd_writer_write(NULL, r), PD_EINVALID);
    /* a full disk */
    ck_assert_int_eq(pd_writer_open(&w, "/dev/full", NULL), 0);
    for (int i = 0; i < 2000; i++)
        pd_writer_write(w, r);
    ck_assert_int_eq(pd_writer_close(w), PD_EIO);
    ck_assert_int_eq(pd_writer_open(&w, "/nonexistent/dir/x.pb", NULL), PD_EIO);
    pd_record_free(r);
    pd_org_free(org);
}
END_TEST

START_TEST(test_codec_options_and_formats)
{
    pd_reader_options ro = PD_READER_OPTIONS_INIT, ro2;
    ck_assert_int_eq(pd_reader_options_init(&ro2, PD_READER_OPTIONS_VERSION), 0);
    ck_assert(ro.version == ro2.version && ro.format == ro2.format && ro.flags == ro2.flags &&
              ro.max_record_bytes == ro2.max_record_bytes && ro.name == ro2.name);
    ck_assert_int_eq(pd_reader_options_init(&ro2, 99), PD_EINVALID);
    pd_writer_options wo = PD_WRITER_OPTIONS_INIT, wo2;
    ck_assert_int_eq(pd_writer_options_init(&wo2, PD_WRITER_OPTIONS_VERSION), 0);
    ck_assert(wo.version == wo2.version && wo.format == wo2.format && wo.flags == wo2.flags);
    ck_assert_int_eq(pd_writer_options_init(&wo2, 0), PD_EINVALID);
    ck_assert_int_eq(pd_format_from_path("a/b.PB"), PD_FORMAT_PB);
    ck_assert_int_eq(pd_format_from_path("x.jsonl"), PD_FORMAT_JSONL);
    ck_assert_int_eq(pd_format_from_path("x.csv"), PD_FORMAT_CSV);
    ck_assert_int_eq(pd_format_from_path("x.txt"), PD_FORMAT_AUTO);
    pd_format f;
    ck_assert_int_eq(pd_format_parse(&f, "jsonl"), 0);
    ck_assert_int_eq(f, PD_FORMAT_JSONL);
    ck_assert_int_eq(pd_format_parse(&f, "xml"), PD_EINVALID);
    ck_assert_str_eq(pd_format_name(PD_FORMAT_CSV), "csv");
    pd_reader *rd = NULL;
    ck_assert_int_eq(pd_reader_open(&rd, "/nonexistent.pb", NULL), PD_ENOTFOUND);
    ro.version = 42;
    ck_assert_int_eq(pd_reader_open_memory(&rd, "", 0, &ro), PD_EINVALID);
    ck_assert_ptr_null(rd);
    /* a JSONL stream is recognised by content when the name says nothing */
    const char *js = "{\"member\":{}}\n";
    ck_assert_int_eq(pd_reader_open_memory(&rd, js, strlen(js), NULL), 0);
    ck_assert_int_eq(pd_reader_format(rd), PD_FORMAT_JSONL);
    ck_assert_ptr_null(pd_reader_raw(rd, NULL));
    pd_reader_free(rd);
    /* ... but a protobuf stream whose first record is 123 bytes starts with '{' too */
    unsigned char pb[124];
    pb[0] = 123, pb[1] = 0x0a, pb[2] = 121, pb[3] = 0x1a, pb[4] = 119;
    memset(pb + 5, 'x', 119);
    ck_assert_int_eq(pd_reader_open_memory(&rd, pb, sizeof(pb), NULL), 0);
    ck_assert_int_eq(pd_reader_format(rd), PD_FORMAT_PB);
    pd_record *r = NULL;
    ck_assert_int_eq(pd_reader_next(&r, rd), 0);
    ck_assert_uint_eq(strlen(pd_member_full_name(pd_record_member(r))), 119);
    pd_record_free(r);
    pd_reader_free(rd);
    pd_reader_free(NULL);
    ck_assert_int_eq(pd_writer_close(NULL), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("codec");
    TCase *tc = tcase_create("pb");
    tcase_add_test(tc, test_codec_pb_roundtrip);
    tcase_add_test(tc, test_codec_pb_unknown_fields_survive);
    tcase_add_test(tc, test_codec_pb_bad_utf8_and_nul);
    suite_add_tcase(s, tc);
    tc = tcase_create("json");
    tcase_add_test(tc, test_codec_json_mapping);
    tcase_add_test(tc, test_codec_json_accepts_both_spellings);
    tcase_add_test(tc, test_codec_json_bad_input);
    tcase_add_test(tc, test_codec_json_deep_nesting);
    suite_add_tcase(s, tc);
    tc = tcase_create("stream");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_codec_stream_roundtrip_pb);
    tcase_add_test(tc, test_codec_stream_roundtrip_jsonl);
    tcase_add_test(tc, test_codec_stream_roundtrip_csv);
    tcase_add_test(tc, test_codec_reader_pb_bad_framing);
    tcase_add_test(tc, test_codec_reader_jsonl_bad_lines);
    tcase_add_test(tc, test_codec_reader_jsonl_huge_line);
    tcase_add_test(tc, test_codec_reader_csv_bad_rows);
    tcase_add_test(tc, test_codec_writer_errors);
    tcase_add_test(tc, test_codec_reader_open_file_offsets);
    tcase_add_test(tc, test_codec_options_and_formats);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
