/* check_store.c: the SQLite store: open and migrations, put/get/delete, history,
 * transactions, duplicates, queries, statistics, faults, import and export. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "partydata/partydata.h"

static char tmpdir[256];

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/check_store.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "chmod -R u+w %s; rm -rf %s", tmpdir, tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

static char *tpath(const char *name)
{
    static char buf[4][320];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, name);
    return buf[i];
}

static pd_store *open_new(const char *name)
{
    pd_store_options o = PD_STORE_OPTIONS_INIT;
    o.flags = PD_STORE_CREATE;
    pd_store *st = NULL;
    ck_assert_int_eq(pd_store_open(&st, tpath(name), &o), 0);
    return st;
}

static pd_record *mk_org(const char *name, const pd_record *parent)
{
    pd_record *r = NULL;
    ck_assert_int_eq(pd_record_new(&r, PD_KIND_ORG), 0);
    ck_assert_int_eq(pd_record_set(r, "name", name), 0);
    ck_assert_int_eq(pd_record_set(r, "admin_unit.province_code", "01"), 0);
    if (parent) {
        pd_uuid p;
        ck_assert_int_eq(pd_record_id(&p, parent), 0);
        ck_assert_int_eq(pd_org_set_parent_id(pd_record_org(r), &p), 0);
    }
    return r;
}

static pd_record *mk_member(const char *name, const char *cccd, const char *province,
                            pd_gender g, pd_status s, const pd_record *org)
{
    pd_record *r = NULL;
    ck_assert_int_eq(pd_record_new(&r, PD_KIND_MEMBER), 0);
    pd_member *m = pd_record_member(r);
    ck_assert_int_eq(pd_member_set_full_name(m, name), 0);
    if (cccd)
        ck_assert_int_eq(pd_member_set_cccd(m, cccd), 0);
    pd_member_set_gender(m, g);
    pd_member_set_status(m, s);
    pd_date d = {1980, 5, 0};
    ck_assert_int_eq(pd_member_set_birth_date(m, &d), 0);
    pd_date a = {2005, 3, 2};
    ck_assert_int_eq(pd_member_set_admission_date(m, &a), 0);
    if (province)
        ck_assert_int_eq(pd_record_set(r, "permanent_residence.province_code", province), 0);
    if (org) {
        pd_uuid o;
        ck_assert_int_eq(pd_record_id(&o, org), 0);
        ck_assert_int_eq(pd_member_set_current_org_id(m, &o), 0);
    }
    return r;
}

static void put_ok(pd_store *st, pd_record *r, pd_store_outcome expect)
{
    pd_store_outcome out = 0;
    ck_assert_int_eq(pd_store_put(&out, st, r, NULL), 0);
    ck_assert_int_eq(out, expect);
}

static int64_t revision_of(const pd_record *r)
{
    char *v = NULL;
    ck_assert_int_eq(pd_record_get(&v, r, "provenance.revision"), 0);
    int64_t n = atoll(v);
    pd_free(v);
    return n;
}

static long long sql_count(pd_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(pd_store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
    long long n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

/* ---- options ---------------------------------------------------------------------- */

START_TEST(test_store_options_init_matches_macro)
{
    pd_store_options a = PD_STORE_OPTIONS_INIT, b;
    memset(&b, 0xff, sizeof b);
    ck_assert_int_eq(pd_store_options_init(&b, PD_STORE_OPTIONS_VERSION), 0);
    ck_assert_int_eq(b.version, a.version);
    ck_assert_int_eq(b.flags, 0);
    ck_assert_int_eq(b.cache_kib, 0);
    ck_assert_int_eq(b.busy_timeout_ms, 0);
    ck_assert_ptr_null(b.node);
    ck_assert_ptr_null(b.author);
    ck_assert_int_eq(b.max_page_count, 0);
    ck_assert_int_eq(b.create_version, 0);
    ck_assert_int_eq(pd_store_options_init(&b, 99), PD_EINVALID);
    pd_store_query qb;
    memset(&qb, 0xff, sizeof qb);
    ck_assert_int_eq(pd_store_query_init(&qb, PD_STORE_QUERY_VERSION), 0);
    ck_assert_int_eq(qb.kind, PD_KIND_NONE);
    ck_assert_ptr_null(qb.org);
    ck_assert_int_eq(qb.status, 0);
    ck_assert_int_eq(qb.limit, 0);
    ck_assert_int_eq(pd_store_query_init(&qb, 7), PD_EINVALID);
    pd_import_options ib;
    memset(&ib, 0xff, sizeof ib);
    ck_assert_int_eq(pd_import_options_init(&ib, PD_IMPORT_OPTIONS_VERSION), 0);
    ck_assert_int_eq(ib.version, PD_IMPORT_OPTIONS_VERSION);
    ck_assert_int_eq(ib.flags, 0);
    ck_assert_int_eq(ib.format, 0);
    ck_assert_int_eq(ib.batch_size, 0);
    ck_assert_ptr_null(ib.rejects_path);
    ck_assert_ptr_null(ib.progress);
    ck_assert_int_eq(pd_import_options_init(&ib, 0), PD_EINVALID);
    pd_export_options eb;
    memset(&eb, 0xff, sizeof eb);
    ck_assert_int_eq(pd_export_options_init(&eb, PD_EXPORT_OPTIONS_VERSION), 0);
    ck_assert_int_eq(eb.version, PD_EXPORT_OPTIONS_VERSION);
    ck_assert_int_eq(eb.format, 0);
    ck_assert_ptr_null(eb.org);
    ck_assert_ptr_null(eb.progress);
    ck_assert_int_eq(pd_export_options_init(&eb, 5), PD_EINVALID);
}
END_TEST

/* ---- open ---------------------------------------------------------------------------- */

START_TEST(test_store_open_missing)
{
    pd_store *st = (pd_store *)1;
    ck_assert_int_eq(pd_store_open(&st, tpath("none.db"), NULL), PD_ENOTFOUND);
    ck_assert_ptr_null(st);
    ck_assert_int_eq(pd_error_last()->code, PD_ENOTFOUND);
    pd_store_options o = PD_STORE_OPTIONS_INIT;
    o.version = 42;
    ck_assert_int_eq(pd_store_open(&st, tpath("x.db"), &o), PD_EINVALID);
}
END_TEST

START_TEST(test_store_open_create_and_version)
{
    pd_store *st = open_new("a.db");
    int v = 0;
    ck_assert_int_eq(pd_store_schema_version(&v, st), 0);
    ck_assert_int_eq(v, PD_STORE_SCHEMA_VERSION);
    int64_t rev = -1;
    ck_assert_int_eq(pd_store_current_revision(&rev, st), 0);
    ck_assert_int_eq(rev, 0);
    ck_assert_int_eq(pd_store_close(st), 0);
    ck_assert_int_eq(pd_store_open(&st, tpath("a.db"), NULL), 0);
    pd_store_close(st);
    ck_assert_int_eq(pd_store_close(NULL), 0);
}
END_TEST

START_TEST(test_store_open_not_a_database)
{
    FILE *fp = fopen(tpath("junk.db"), "wb");
    for (int i = 0; i < 500; i++)
        fputs("this is not a database at all, only text\n", fp);
    fclose(fp);
    pd_store *st = NULL;
    ck_assert_int_eq(pd_store_open(&st, tpath("junk.db"), NULL), PD_ESTORE);
    ck_assert_ptr_nonnull(strstr(pd_error_last()->message, "not a database"));
    ck_assert_int_eq(pd_error_last()->store_code & 0xff, SQLITE_NOTADB);
    /* a SQLite file of another application */
    sqlite3 *db = NULL;
    sqlite3_open(tpath("other.db"), &db);
    sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
    sqlite3_close(db);
    ck_assert_int_eq(pd_store_open(&st, tpath("other.db"), NULL), PD_EINVALID);
    ck_assert_ptr_nonnull(strstr(pd_error_last()->message, "not a partydata store"));
}
END_TEST

START_TEST(test_store_open_truncated)
{
    pd_store *st = open_new("t.db");
    pd_record *org = mk_org("Chi bộ 1", NULL);
    put_ok(st, org, PD_STORE_INSERTED);
    ck_assert_int_eq(pd_store_begin(st), 0);
    for (int i = 0; i < 300; i++) {
        pd_record *m = mk_member("Nguyễn Văn A", NULL, "01", PD_GENDER_NAM,
                                 PD_STATUS_CHINH_THUC, org);
        put_ok(st, m, PD_STORE_INSERTED);
        pd_record_free(m);
    }
    ck_assert_int_eq(pd_store_commit(st), 0);
    pd_record_free(org);
    /* fold the WAL into the file, then cut the file in half */
    sqlite3_exec(pd_store_db(st), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    pd_store_close(st);
    struct stat sb;
    ck_assert_int_eq(stat(tpath("t.db"), &sb), 0);
    ck_assert_int_eq(truncate(tpath("t.db"), sb.st_size / 2), 0);
    unlink(tpath("t.db-wal"));
    int rc = pd_store_open(&st, tpath("t.db"), NULL);
    if (rc == 0) {
        /* SQLite opens lazily: the damage shows on reading or checking */
        pd_strarray problems = {0};
        long long n = 0;
        int qrc = pd_store_count(&n, st, NULL);
        int crc = pd_store_check(&problems, st);
        ck_assert(qrc == PD_ESTORE || crc == PD_ESTORE || problems.count > 0);
        pd_strarray_dispose(&problems);
        pd_store_close(st);
    } else {
        ck_assert_int_eq(rc, PD_ESTORE);
    }
}
END_TEST

START_TEST(test_store_open_newer_version)
{
    pd_store *st = open_new("n.db");
    pd_store_close(st);
    sqlite3 *db = NULL;
    sqlite3_open(tpath("n.db"), &db);
    sqlite3_exec(db, "PRAGMA user_version=99", NULL, NULL, NULL);
    sqlite3_close(db);
    ck_assert_int_eq(pd_store_open(&st, tpath("n.db"), NULL), PD_EVERSION);
    ck_assert_ptr_nonnull(strstr(pd_error_last()->message, "newer"));
    ck_assert_ptr_null(st);
}
END_TEST

START_TEST(test_store_open_readonly_file)
{
    pd_store *st = open_new("r.db");
    pd_record *org = mk_org("Đảng bộ", NULL);
    put_ok(st, org, PD_STORE_INSERTED);
    sqlite3_exec(pd_store_db(st), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    pd_store_close(st);
    if (geteuid() == 0) {
        /* root writes read-only files: use the read-only flag only */
    } else {
        ck_assert_int_eq(chmod(tpath("r.db"), 0444), 0);
        ck_assert_int_eq(pd_store_open(&st, tpath("r.db"), NULL), PD_EREADONLY);
    }
    pd_store_options o = PD_STORE_OPTIONS_INIT;
    o.flags = PD_STORE_READONLY;
    ck_assert_int_eq(pd_store_open(&st, tpath("r.db"), &o), 0);
    pd_record *got = NULL;
    pd_uuid id;
    pd_record_id(&id, org);
    ck_assert_int_eq(pd_store_get(&got, st, &id), 0);
    pd_record_free(got);
    ck_assert_int_eq(pd_store_put(NULL, st, org, NULL), PD_EREADONLY);
    ck_assert_int_eq(pd_store_begin(st), PD_EREADONLY);
    ck_assert_int_eq(pd_store_import(NULL, st, tpath("x.jsonl"), NULL), PD_EREADONLY);
    pd_store_close(st);
    pd_record_free(org);
}
END_TEST

START_TEST(test_store_open_migrate_v1_to_v2)
{
    pd_store_options o = PD_STORE_OPTIONS_INIT;
    o.flags = PD_STORE_CREATE;
    o.create_version = 1;
    pd_store *st = NULL;
    ck_assert_int_eq(pd_store_open(&st, tpath("m.db"), &o), 0);
    int v = 0;
    ck_assert_int_eq(pd_store_schema_version(&v, st), 0);
    ck_assert_int_eq(v, 1);
    pd_record *org = mk_org("Chi bộ cũ", NULL);
    ck_assert_int_eq(pd_store_put(NULL, st, org, NULL), PD_EVERSION);
    /* data written by a v1 library */
    ck_assert_int_eq(sqlite3_exec(pd_store_db(st),
                                  "INSERT INTO organizations(id, name, revision, store_rev, "
                                  "updated_at, pb) VALUES(x'00112233445566778899aabbccddeeff', "
                                  "'Old', 1, 1, 0, x'0a1000112233445566778899aabbccddeeff')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    pd_store_close(st);
    /* read-only open of an old file: refused */
    o.flags = PD_STORE_READONLY;
    o.create_version = 0;
    ck_assert_int_eq(pd_store_open(&st, tpath("m.db"), &o), PD_EVERSION);
    /* read-write: migrated */
    ck_assert_int_eq(pd_store_open(&st, tpath("m.db"), NULL), 0);
    ck_assert_int_eq(pd_store_schema_version(&v, st), 0);
    ck_assert_int_eq(v, 2);
    ck_assert_int_eq(sql_count(st, "SELECT count(*) FROM duplicate_candidates"), 0);
    ck_assert_int_eq(sql_count(st, "SELECT count(*) FROM v_organizations WHERE name='Old'"), 1);
    put_ok(st, org, PD_STORE_INSERTED);
    pd_strarray problems = {0};
    ck_assert_int_eq(pd_store_check(&problems, st), 0);
    ck_assert_int_eq(problems.count, 0);
    pd_store_close(st);
    pd_record_free(org);
}
END_TEST

/* ---- put / get ----------------------------------------------------------------------- */

START_TEST(test_store_put_get_roundtrip)
{
    pd_store *st = open_new("p.db");
    pd_record *org = mk_org("Chi bộ Thôn 1", NULL);
    pd_record *m = mk_member("Trần Thị Bình", "001190000001", "01", PD_GENDER_NU,
                             PD_STATUS_CHINH_THUC, org);
    put_ok(st, org, PD_STORE_INSERTED);
    put_ok(st, m, PD_STORE_INSERTED);
    pd_uuid id;
    pd_record_id(&id, m);
    pd_record *got = NULL;
    ck_assert_int_eq(pd_store_get(&got, st, &id), 0);
    ck_assert_int_eq(pd_record_kind(got), PD_KIND_MEMBER);
    ck_assert_str_eq(pd_member_full_name(pd_record_member(got)), "Trần Thị Bình");
    ck_assert_int_eq(revision_of(got), 1);
    /* equal apart from provenance */
    pd_record_clear(got, "provenance");
    ck_assert(pd_record_equal(got, m));
    pd_record_free(got);
    /* identical content: no new revision */
    put_ok(st, m, PD_STORE_UNCHANGED);
    int64_t rev = 0;
    pd_store_current_revision(&rev, st);
    ck_assert_int_eq(rev, 2);
    /* change: revision 2 */
    pd_member_set_full_name(pd_record_member(m), "Trần Thị Bình An");
    put_ok(st, m, PD_STORE_UPDATED);
    ck_assert_int_eq(pd_store_get(&got, st, &id), 0);
    ck_assert_int_eq(revision_of(got), 2);
    pd_record_free(got);
    /* natural keys */
    ck_assert_int_eq(pd_store_get_by_cccd(&got, st, "001190000001"), 0);
    ck_assert_str_eq(pd_member_full_name(pd_record_member(got)), "Trần Thị Bình An");
    pd_record_free(got);
    ck_assert_int_eq(pd_store_get_by_cccd(&got, st, "999999999999"), PD_ENOTFOUND);
    ck_assert_ptr_null(got);
    pd_member_set_party_card_no(pd_record_member(m), "12345678");
    put_ok(st, m, PD_STORE_UPDATED);
    ck_assert_int_eq(pd_store_get_by_card(&got, st, "12345678"), 0);
    pd_record_free(got);
    ck_assert_int_eq(pd_store_get_by_card(&got, st, "0000"), PD_ENOTFOUND);
    pd_uuid other;
    pd_uuid_new(&other);
    ck_assert_int_eq(pd_store_get(&got, st, &other), PD_ENOTFOUND);
    pd_record_free(m);
    pd_record_free(org);
    pd_store_close(st);
}
END_TEST

START_TEST(test_store_put_invalid)
{
    pd_store *st = open_new("i.db");
    pd_record *m = mk_member("Lê Văn C", NULL, NULL, PD_GENDER_NAM, 0, NULL);
    pd_record_clear(m, "id");
    ck_assert_int_eq(pd_store_put(NULL, st, m, NULL), PD_EINVALID);
    ck_assert_str_eq(pd_error_last()->field_path, "id");
    ck_assert_int_eq(pd_store_put(NULL, st, NULL, NULL), PD_EINVALID);
    pd_store_write w = PD_STORE_WRITE_INIT;
    w.version = 9;
    pd_record_free(m);
    m = mk_member("Lê Văn C", NULL, NULL, PD_GENDER_NAM, 0, NULL);
    ck_assert_int_eq(pd_store_put(NULL, st, m, &w), PD_EINVALID);
    pd_record_free(m);
    pd_store_close(st);
}
END_TEST

START_TEST(test_store_put_unknown_org)
{
    pd_store *st = open_new("u.db");
    pd_record *org = mk_org("Not stored", NULL);
    pd_record *m = mk_member("Phạm D", NULL, NULL, PD_GENDER_NAM, 0, org);
    ck_assert_int_eq(pd_store_put(NULL, st, m, NULL), PD_ENOTFOUND);
    ck_assert_str_eq(pd_error_last()->field_path, "current_org_id");
    ck_assert_ptr_nonnull(strstr(pd_error_last()->message, "unknown organization"));
    long long n = -1;
    ck_assert_int_eq(pd_store_count(&n, st, NULL), 0);
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(sql_count(st, "SELECT count(*) FROM history"), 0);
    pd_record_free(m);
    pd_record_free(org);
    pd_store_close(st);
}
END_TEST

START_TEST(test_store_put_duplicate_cccd)
{
    pd_store *st = open_new("d.db");
    pd_record *a = mk_member("Nguyễn Văn An", "001080000123", "01", PD_GENDER_NAM, 2, NULL);
    pd_record *b = mk_member("Nguyen Van An", "001080000123", "01", PD_GENDER_NAM, 2, NULL);
    put_ok(st, a, PD_STORE_INSERTED);
    put_ok(st, b, PD_STORE_INSERTED);
    long long n = 0;
    pd_store_count(&n, st, NULL);
    ck_assert_int_eq(n, 2);
    pd_uuid bid;
    pd_record_id(&bid, b);
    pd_findings *f = NULL;
    pd_findings_new(&f);
    ck_assert_int_eq(pd_store_findings(f, st, &bid), 0);
    ck_assert_int_eq(pd_findings_count(f), 1);
    ck_assert_str_eq(pd_findings_get(f, 0)->rule, "PD-S001");
    ck_assert_str_eq(pd_findings_get(f, 0)->path, "id_numbers[0].number");
    pd_findings_free(f);
    ck_assert_int_eq(sql_count(st, "SELECT count(*) FROM duplicate_candidates WHERE key='cccd'"),
                     1);
    /* an update of b that keeps the CCCD does not flag again */
    pd_member_set_full_name(pd_record_member(b), "Nguyễn Văn Ân");
    put_ok(st, b, PD_STORE_UPDATED);
    ck_assert_int_eq(sql_count(st, "SELECT count(*) FROM findings"), 1);
    pd_record_free(a);
    pd_record_free(b);
    pd_store_close(st);
}
END_TEST

/* ---- delete, history ------------------------------------------------------------------ */

START_TEST(test_store_delete_and_conflict)
{
    pd_store *st = open_new("del.db");
    pd_record *org = mk_org("Org", NULL);
    pd_record *m = mk_member("Vũ E", NULL, NULL, PD_GENDER_NU, 1, org);
    put_ok(st, org, PD_STORE_INSERTED);
    put_ok(st, m, PD_STORE_INSERTED);
    pd_uuid oid, mid;
    pd_record_id(&oid, org);
    pd_record_id(&mid, m);
    ck_assert_int_eq(pd_store_delete(st, &oid, NULL), PD_ECONFLICT);
    pd_record *got = NULL;
    ck_assert_int_eq(pd_store_get(&got, st, &oid), 0);
    pd_record_free(got);
    ck_assert_int_eq(pd_store_delete(st, &mid, NULL), 0);
    ck_assert_int_eq(pd_store_get(&got, st, &mid), PD_ENOTFOUND);
    ck_assert_int_eq(pd_store_delete(st, &mid, NULL), PD_ENOTFOUND);
    ck_assert_int_eq(pd_store_delete(st, &oid, NULL), 0);
    /* re-insert continues the revision numbers */
    put_ok(st, org, PD_STORE_INSERTED);
    ck_assert_int_eq(pd_store_get(&got, st, &oid), 0);
    ck_assert_int_eq(revision_of(got), 3);
    pd_record_free(got);
    pd_record_free(m);
    pd_record_free(org);
    pd_store_close(st);
}
END_TEST

START_TEST(test_store_history_replay_and_as_of)
{
    pd_store *st = open_new("h.db");
    pd_record *m = mk_member("Đỗ Văn F", NULL, NULL, PD_GENDER_NAM, 1, NULL);
    pd_uuid id;
    pd_record_id(&id, m);
    pd_store_write w = PD_STORE_WRITE_INIT;
    w.author = "tester";
    w.reason = "admission";
    w.decision_number = "12-QĐ/ĐU";
    ck_assert_int_eq(pd_store_put(NULL, st, m, &w), 0);
    pd_member_set_status(pd_record_member(m), PD_STATUS_CHINH_THUC);
    w.reason = "recognition";
    w.decision_number = "15-QĐ/ĐU";
    ck_assert_int_eq(pd_store_put(NULL, st, m, &w), 0);
    pd_member_set_full_name(pd_record_member(m), "Đỗ Văn Phúc");
    ck_assert_int_eq(pd_store_put(NULL, st, m, NULL), 0);

    pd_store_history_iter *it = NULL;
    ck_assert_int_eq(pd_store_history(&it, st, &id), 0);
    const pd_store_revision *rv = NULL;
    int64_t ts[3];
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(pd_store_history_next(&rv, it), 0);
        ck_assert_int_eq(rv->revision, i + 1);
        ck_assert_ptr_nonnull(rv->record);
        ts[i] = rv->timestamp_us;
    }
    ck_assert_str_eq(rv->operation, "update");
    ck_assert_str_eq(pd_member_full_name(pd_record_member((pd_record *)rv->record)),
                     "Đỗ Văn Phúc");
    ck_assert_int_eq(pd_store_history_next(&rv, it), PD_ITEROVER);
    pd_store_history_free(it);
    ck_assert(ts[0] < ts[1] && ts[1] < ts[2]);

    ck_assert_int_eq(pd_store_history(&it, st, &id), 0);
    ck_assert_int_eq(pd_store_history_next(&rv, it), 0);
    ck_assert_str_eq(rv->operation, "insert");
    ck_assert_str_eq(rv->author, "tester");
    ck_assert_str_eq(rv->decision_number, "12-QĐ/ĐU");
    ck_assert_int_eq(pd_member_status(pd_record_member((pd_record *)rv->record)), PD_STATUS_DU_BI);
    pd_store_history_free(it);

    pd_record *old = NULL;
    ck_assert_int_eq(pd_store_get_as_of(&old, st, &id, ts[1]), 0);
    ck_assert_int_eq(pd_member_status(pd_record_member(old)), PD_STATUS_CHINH_THUC);
    ck_assert_str_eq(pd_member_full_name(pd_record_member(old)), "Đỗ Văn F");
    ck_assert_int_eq(revision_of(old), 2);
    pd_record_free(old);
    ck_assert_int_eq(pd_store_get_as_of(&old, st, &id, ts[0] - 1), PD_ENOTFOUND);
    ck_assert_int_eq(pd_store_delete(st, &id, NULL), 0);
    ck_assert_int_eq(pd_store_get_as_of(&old, st, &id, ts[2]), 0);
    ck_assert_str_eq(pd_member_full_name(pd_record_member(old)), "Đỗ Văn Phúc");
    pd_record_free(old);
    ck_assert_int_eq(pd_store_get_as_of(&old, st, &id, INT64_MAX), PD_ENOTFOUND);
    pd_uuid none;
    pd_uuid_new(&none);
    ck_assert_int_eq(pd_store_history(&it, st, &none), PD_ENOTFOUND);
    ck_assert_ptr_null(it);
    pd_record_free(m);
    pd_store_close(st);
}
END_TEST

/* ---- transactions ------------------------------------------------------------------------ */

START_TEST(test_store_transaction_rollback)
{
    pd_store *st = open_new("tx.db");
    ck_assert_int_eq(pd_store_commit(st), PD_EINVALID);
    ck_assert_int_eq(pd_store_rollback(st), PD_EINVALID);
    ck_assert_int_eq(pd_store_begin(st), 0);
    ck_assert_int_eq(pd_store_begin(st), PD_EINVALID);
    pd_record *m = mk_member("Hồ G", NULL, NULL, PD_GENDER_NAM, 1, NULL);
    put_ok(st, m, PD_STORE_INSERTED);
    ck_assert_int_eq(pd_store_rollback(st), 0);
    pd_uuid id;
    pd_record_id(&id, m);
    pd_record *got = NULL;
    ck_assert_int_eq(pd_store_get(&got, st, &id), PD_ENOTFOUND);
    ck_assert_int_eq(pd_store_begin(st), 0);
    put_ok(st, m, PD_STORE_INSERTED);
    /* a failing put inside the transaction does not spoil it */
    pd_record *org = mk_org("absent", NULL);
    pd_record *bad = mk_member("X", NULL, NULL, 0, 0, org);
    ck_assert_int_eq(pd_store_put(NULL, st, bad, NULL), PD_ENOTFOUND);
    ck_assert_int_eq(pd_store_commit(st), 0);
    ck_assert_int_eq(pd_store_get(&got, st, &id), 0);
    pd_record_free(got);
    pd_record_free(bad);
    pd_record_free(org);
    pd_record_free(m);
    pd_store_close(st);
}
END_TEST

START_TEST(test_store_locked_busy)
{
    pd_store *st = open_new("lock.db");
    sqlite3 *other = NULL;
    ck_assert_int_eq(sqlite3_open(tpath("lock.db"), &other), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    pd_record *m = mk_member("Lý H", NULL, NULL, PD_GENDER_NAM, 1, NULL);
    ck_assert_int_eq(pd_store_put(NULL, st, m, NULL), PD_EBUSY);
    ck_assert_int_eq(pd_error_last()->store_code & 0xff, SQLITE_BUSY);
    ck_assert_int_eq(pd_store_begin(st), PD_EBUSY);
    sqlite3_exec(other, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(other);
    put_ok(st, m, PD_STORE_INSERTED);
    pd_record_free(m);
    pd_store_close(st);
}
END_TEST

START_TEST(test_store_disk_full)
{
    pd_store_options o = PD_STORE_OPTIONS_INIT;
    o.flags = PD_STORE_CREATE;
    pd_store *st = NULL;
    ck_assert_int_eq(pd_store_open(&st, tpath("full.db"), &o), 0);
    pd_store_close(st);
    o.flags = 0;
    o.max_page_count = 40;
    ck_assert_int_eq(pd_store_open(&st, tpath("full.db"), &o), 0);
    int rc = 0, stored = 0;
    char name[128];
    pd_uuid first;
    for (int i = 0; i < 5000 && rc == 0; i++) {
        snprintf(name, sizeof name, "Người Số %d với tên dài", i);
        pd_record *m = mk_member(name, NULL, "01", PD_GENDER_NAM, 2, NULL);
        if (i == 0)
            pd_record_id(&first, m);
        rc = pd_store_put(NULL, st, m, NULL);
        if (rc == 0)
            stored++;
        pd_record_free(m);
    }
    ck_assert_int_eq(rc, PD_EFULL);
    ck_assert_int_gt(stored, 0);
    long long n = 0;
    ck_assert_int_eq(pd_store_count(&n, st, NULL), 0);
    ck_assert_int_eq(n, stored);
    pd_record *got = NULL;
    ck_assert_int_eq(pd_store_get(&got, st, &first), 0);
    pd_record_free(got);
    pd_strarray problems = {0};
    ck_assert_int_eq(pd_store_check(&problems, st), 0);
    ck_assert_int_eq(problems.count, 0);
    pd_store_close(st);
}
END_TEST

/* ---- queries and statistics --------------------------------------------------------- */

typedef struct tree {
    pd_record *root, *a, *b, *a1;
} tree;

static pd_store *populated(tree *t)
{
    pd_store *st = open_new("q.db");
    t->root = mk_org("Đảng bộ Tỉnh", NULL);
    t->a = mk_org("Đảng bộ xã A", t->root);
    t->b = mk_org("Đảng bộ xã B", t->root);
    ck_assert_int_eq(pd_record_set(t->b, "admin_unit.province_code", "79"), 0);
    t->a1 = mk_org("Chi bộ thôn A1", t->a);
    put_ok(st, t->root, PD_STORE_INSERTED);
    put_ok(st, t->a, PD_STORE_INSERTED);
    put_ok(st, t->b, PD_STORE_INSERTED);
    put_ok(st, t->a1, PD_STORE_INSERTED);
    struct {
        const char *name, *prov;
        pd_gender g;
        pd_status s;
        pd_record *org;
    } ms[] = {
        {"Nguyễn Văn An", "01", PD_GENDER_NAM, PD_STATUS_CHINH_THUC, t->a1},
        {"Nguyễn Thị Bích", "01", PD_GENDER_NU, PD_STATUS_CHINH_THUC, t->a1},
        {"Trần Văn Cường", "01", PD_GENDER_NAM, PD_STATUS_DU_BI, t->a},
        {"Lê Thị Dung", "79", PD_GENDER_NU, PD_STATUS_CHINH_THUC, t->b},
        {"Nguyễn Hữu Em", "79", PD_GENDER_NAM, PD_STATUS_TU_TRAN, t->b},
    };
    for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++) {
        pd_record *m = mk_member(ms[i].name, NULL, ms[i].prov, ms[i].g, ms[i].s, ms[i].org);
        put_ok(st, m, PD_STORE_INSERTED);
        pd_record_free(m);
    }
    return st;
}

static void free_tree(tree *t)
{
    pd_record_free(t->root);
    pd_record_free(t->a);
    pd_record_free(t->b);
    pd_record_free(t->a1);
}

static long long count_q(pd_store *st, const pd_store_query *q)
{
    pd_store_iter *it = NULL;
    ck_assert_int_eq(pd_store_query_open(&it, st, q), 0);
    const pd_record *r;
    long long n = 0;
    int rc;
    while ((rc = pd_store_iter_next(&r, it)) == 0)
        n++;
    ck_assert_int_eq(rc, PD_ITEROVER);
    pd_store_iter_free(it);
    long long c = -1;
    ck_assert_int_eq(pd_store_count(&c, st, q), 0);
    ck_assert_int_eq(c, n);
    return n;
}

START_TEST(test_store_query_filters)
{
    tree t;
    pd_store *st = populated(&t);
    pd_store_query q = PD_STORE_QUERY_INIT;
    ck_assert_int_eq(count_q(st, &q), 5);
    pd_uuid a;
    pd_record_id(&a, t.a);
    q.org = &a;
    ck_assert_int_eq(count_q(st, &q), 3);
    q.kind = PD_KIND_ORG;
    ck_assert_int_eq(count_q(st, &q), 2);
    q.kind = PD_KIND_NONE;
    q.org = NULL;
    q.province_code = "79";
    ck_assert_int_eq(count_q(st, &q), 2);
    q.province_code = NULL;
    q.status = PD_STATUS_CHINH_THUC;
    ck_assert_int_eq(count_q(st, &q), 3);
    q.status = 0;
    q.name_prefix = "NGUYEN";
    ck_assert_int_eq(count_q(st, &q), 3);
    q.name_prefix = "Nguyễn Thị";
    ck_assert_int_eq(count_q(st, &q), 1);
    q.name_prefix = NULL;
    q.limit = 2;
    ck_assert_int_eq(count_q(st, &q), 2);
    q.limit = 0;
    int64_t rev = 0;
    pd_store_current_revision(&rev, st);
    q.since_revision = rev - 2;
    ck_assert_int_eq(count_q(st, &q), 2);
    q.since_revision = 0;
    q.kind = PD_KIND_ORG;
    q.status = 1;
    pd_store_iter *it = NULL;
    ck_assert_int_eq(pd_store_query_open(&it, st, &q), PD_EINVALID);
    q.kind = (pd_kind)42;
    ck_assert_int_eq(pd_store_query_open(&it, st, &q), PD_EINVALID);
    q = (pd_store_query)PD_STORE_QUERY_INIT;
    q.version = 3;
    ck_assert_int_eq(pd_store_query_open(&it, st, &q), PD_EINVALID);
    ck_assert_ptr_null(it);
    free_tree(&t);
    pd_store_close(st);
}
END_TEST

START_TEST(test_store_stats_grouped)
{
    tree t;
    pd_store *st = populated(&t);
    pd_stats *s = NULL;
    ck_assert_int_eq(pd_store_stats(&s, st, "province,gender", NULL), 0);
    ck_assert_int_eq(pd_stats_dims(s), 2);
    ck_assert_str_eq(pd_stats_dim_name(s, 1), "gender");
    ck_assert_int_eq(pd_stats_rows(s), 4);
    ck_assert_str_eq(pd_stats_key(s, 0, 0), "01");
    ck_assert_str_eq(pd_stats_key(s, 0, 1), "NAM");
    ck_assert_int_eq(pd_stats_count(s, 0), 2);
    ck_assert_str_eq(pd_stats_key(s, 3, 0), "79");
    ck_assert_str_eq(pd_stats_key(s, 3, 1), "NU");
    ck_assert_int_eq(pd_stats_count(s, 3), 1);
    ck_assert_ptr_null(pd_stats_key(s, 9, 0));
    pd_stats_free(s);
    pd_store_query q = PD_STORE_QUERY_INIT;
    q.status = PD_STATUS_CHINH_THUC;
    ck_assert_int_eq(pd_store_stats(&s, st, "admission_year", &q), 0);
    ck_assert_int_eq(pd_stats_rows(s), 1);
    ck_assert_str_eq(pd_stats_key(s, 0, 0), "2005");
    ck_assert_int_eq(pd_stats_count(s, 0), 3);
    pd_stats_free(s);
    ck_assert_int_eq(pd_store_stats(&s, st, NULL, NULL), 0);
    ck_assert_int_eq(pd_stats_rows(s), 1);
    ck_assert_int_eq(pd_stats_count(s, 0), 5);
    pd_stats_free(s);
    ck_assert_int_eq(pd_store_stats(&s, st, "province,shoe_size", NULL), PD_EINVALID);
    ck_assert_ptr_nonnull(strstr(pd_error_last()->message, "shoe_size"));
    ck_assert_ptr_null(s);
    /* the analysts' view */
    ck_assert_int_eq(sql_count(st, "SELECT count(*) FROM v_members WHERE status='CHINH_THUC' "
                                   "AND gender='NU'"),
                     2);
    free_tree(&t);
    pd_store_close(st);
}
END_TEST

START_TEST(test_store_check_sound)
{
    tree t;
    pd_store *st = populated(&t);
    pd_strarray problems = {0};
    ck_assert_int_eq(pd_store_check(&problems, st), 0);
    ck_assert_int_eq(problems.count, 0);
    /* a corrupt blob is found */
    sqlite3_exec(pd_store_db(st), "UPDATE members SET pb = x'ffffffff' WHERE rowid = 1", NULL,
                 NULL, NULL);
    ck_assert_int_eq(pd_store_check(&problems, st), 0);
    ck_assert_int_eq(problems.count, 1);
    ck_assert_ptr_nonnull(strstr(problems.strings[0], "does not decode"));
    pd_strarray_dispose(&problems);
    pd_store_iter *it = NULL;
    const pd_record *r = NULL;
    ck_assert_int_eq(pd_store_query_open(&it, st, NULL), 0);
    ck_assert_int_eq(pd_store_iter_next(&r, it), PD_EPARSE);
    pd_store_iter_free(it);
    free_tree(&t);
    pd_store_close(st);
}
END_TEST

/* ---- import / export ------------------------------------------------------------------ */

static void write_jsonl(const char *path, pd_record **recs, size_t n, const char *extra)
{
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    for (size_t i = 0; i < n; i++) {
        char *j = NULL;
        ck_assert_int_eq(pd_record_to_json(&j, recs[i], 0), 0);
        fprintf(fp, "%s\n", j);
        pd_free(j);
    }
    if (extra)
        fputs(extra, fp);
    fclose(fp);
}

START_TEST(test_store_import_counts_and_reimport)
{
    pd_store *st = open_new("imp.db");
    pd_record *recs[6];
    recs[0] = mk_org("Đảng bộ", NULL);
    recs[1] = mk_org("Chi bộ", recs[0]);
    recs[2] = mk_member("Nguyễn Văn An", "001080000001", "01", PD_GENDER_NAM, 2, recs[1]);
    recs[3] = mk_member("Trần Thị Bình", "001080000002", "01", PD_GENDER_NU, 2, recs[1]);
    recs[4] = mk_member("Lê Văn Cường", NULL, "01", PD_GENDER_NAM, 1, recs[1]);
    pd_record_clear(recs[4], "id"); /* gets a content-derived id */
    pd_record *ghost = mk_org("ghost", NULL);
    recs[5] = mk_member("Hà Văn Dũng", NULL, "01", PD_GENDER_NAM, 1, ghost);
    write_jsonl(tpath("in.jsonl"), recs, 6, "{\"member\": {\"fullName\": 12\n{broken\n");
    pd_import_options o = PD_IMPORT_OPTIONS_INIT;
    o.rejects_path = tpath("rej.jsonl");
    o.batch_size = 2;
    pd_import_stats n;
    ck_assert_int_eq(pd_store_import(&n, st, tpath("in.jsonl"), &o), 0);
    ck_assert_int_eq(n.read, 8);
    ck_assert_int_eq(n.inserted, 5);
    ck_assert_int_eq(n.rejected, 3);
    ck_assert_int_eq(n.read, n.inserted + n.updated + n.unchanged + n.rejected);
    ck_assert_int_eq(sql_count(st, "SELECT count(*) FROM rejects"), 3);
    ck_assert_int_eq(sql_count(st, "SELECT count(*) FROM rejects WHERE reason LIKE "
                                   "'%unknown organization%'"),
                     1);
    /* the reject file holds the original lines */
    FILE *fp = fopen(tpath("rej.jsonl"), "r");
    ck_assert_ptr_nonnull(fp);
    char line[4096];
    int lines = 0;
    while (fgets(line, sizeof line, fp))
        lines++;
    fclose(fp);
    ck_assert_int_eq(lines, 3);
    /* the member without an id is findable and re-import changes nothing */
    pd_store_query q = PD_STORE_QUERY_INIT;
    q.name_prefix = "le van cuong";
    ck_assert_int_eq(count_q(st, &q), 1);
    int64_t rev0 = 0, rev1 = 0;
    pd_store_current_revision(&rev0, st);
    ck_assert_int_eq(pd_store_import(&n, st, tpath("in.jsonl"), &o), 0);
    ck_assert_int_eq(n.read, 8);
    ck_assert_int_eq(n.inserted, 0);
    ck_assert_int_eq(n.updated, 0);
    ck_assert_int_eq(n.unchanged, 5);
    ck_assert_int_eq(n.rejected, 3);
    pd_store_current_revision(&rev1, st);
    ck_assert_int_eq(rev0, rev1);
    ck_assert_int_eq(sql_count(st, "SELECT count(*) FROM rejects"), 3);
    ck_assert_int_eq(count_q(st, &q), 1);
    ck_assert_int_eq(pd_store_import(&n, st, tpath("absent.jsonl"), &o), PD_ENOTFOUND);
    for (int i = 0; i < 6; i++)
        pd_record_free(recs[i]);
    pd_record_free(ghost);
    pd_store_close(st);
}
END_TEST

START_TEST(test_store_import_strict_and_findings)
{
    pd_store *st = open_new("strict.db");
    pd_record *recs[2];
    recs[0] = mk_member("Nguyễn Văn An", NULL, "01", PD_GENDER_NAM, 2, NULL);
    /* admission before birth: a validation error */
    recs[1] = mk_member("Trần Văn Bé", NULL, "01", PD_GENDER_NAM, 2, NULL);
    pd_date born = {2010, 1, 1};
    pd_member_set_birth_date(pd_record_member(recs[1]), &born);
    write_jsonl(tpath("s.jsonl"), recs, 2, NULL);
    pd_import_stats n;
    ck_assert_int_eq(pd_store_import(&n, st, tpath("s.jsonl"), NULL), 0);
    ck_assert_int_eq(n.inserted, 2);
    ck_assert_int_ge(n.needs_review, 1);
    ck_assert_int_ge(n.findings, 1);
    long long with_errors = n.needs_review;
    pd_uuid bid;
    pd_record_id(&bid, recs[1]);
    int review = 0;
    ck_assert_int_eq(pd_store_needs_review(&review, st, &bid), 0);
    ck_assert_int_eq(review, 1);
    ck_assert_int_ge(sql_count(st, "SELECT count(*) FROM findings WHERE severity = 3"), 1);
    pd_store_close(st);
    st = open_new("strict2.db");
    pd_import_options o = PD_IMPORT_OPTIONS_INIT;
    o.flags = PD_IMPORT_STRICT;
    ck_assert_int_eq(pd_store_import(&n, st, tpath("s.jsonl"), &o), 0);
    ck_assert_int_eq(n.inserted, 2 - with_errors);
    ck_assert_int_eq(n.rejected, with_errors);
    ck_assert_int_eq(sql_count(st, "SELECT count(*) FROM rejects WHERE reason LIKE 'strict%'"),
                     with_errors);
    pd_store_close(st);
    pd_record_free(recs[0]);
    pd_record_free(recs[1]);
}
END_TEST

START_TEST(test_store_export_roundtrip)
{
    tree t;
    pd_store *st = populated(&t);
    long long count = 0;
    ck_assert_int_eq(pd_store_export(&count, st, tpath("all.jsonl"), NULL), 0);
    ck_assert_int_eq(count, 9);
    pd_export_options eo = PD_EXPORT_OPTIONS_INIT;
    pd_uuid a;
    pd_record_id(&a, t.a);
    eo.org = &a;
    ck_assert_int_eq(pd_store_export(&count, st, tpath("a.pb"), &eo), 0);
    ck_assert_int_eq(count, 5); /* 2 organizations, 3 members */
    pd_uuid none;
    pd_uuid_new(&none);
    eo.org = &none;
    ck_assert_int_eq(pd_store_export(&count, st, tpath("x.pb"), &eo), PD_ENOTFOUND);
    /* import the export into a new store: same records */
    pd_store *st2 = open_new("copy.db");
    pd_import_options o = PD_IMPORT_OPTIONS_INIT;
    o.flags = PD_IMPORT_NO_NORMALIZE | PD_IMPORT_NO_VALIDATE;
    pd_import_stats n;
    ck_assert_int_eq(pd_store_import(&n, st2, tpath("all.jsonl"), &o), 0);
    ck_assert_int_eq(n.inserted, 9);
    pd_store_iter *it = NULL;
    ck_assert_int_eq(pd_store_query_open(&it, st, NULL), 0);
    const pd_record *r;
    int rc, seen = 0;
    while ((rc = pd_store_iter_next(&r, it)) == 0) {
        pd_uuid id;
        pd_record_id(&id, r);
        pd_record *copy = NULL, *orig = NULL;
        ck_assert_int_eq(pd_store_get(&copy, st2, &id), 0);
        pd_record_dup(&orig, r);
        pd_record_clear(copy, "provenance");
        pd_record_clear(orig, "provenance");
        ck_assert(pd_record_equal(copy, orig));
        pd_record_free(copy);
        pd_record_free(orig);
        seen++;
    }
    ck_assert_int_eq(rc, PD_ITEROVER);
    ck_assert_int_eq(seen, 5);
    pd_store_iter_free(it);
    pd_store_close(st2);
    free_tree(&t);
    pd_store_close(st);
}
END_TEST

START_TEST(test_store_import_after_delete_revision)
{
    pd_store *st = open_new("ad.db");
    pd_record *m = mk_member("Mai Văn Tư", NULL, "01", PD_GENDER_NAM, 2, NULL);
    put_ok(st, m, PD_STORE_INSERTED);
    pd_uuid id;
    pd_record_id(&id, m);
    ck_assert_int_eq(pd_store_delete(st, &id, NULL), 0);
    write_jsonl(tpath("ad.jsonl"), &m, 1, NULL);
    pd_import_options o = PD_IMPORT_OPTIONS_INIT;
    o.flags = PD_IMPORT_NO_NORMALIZE | PD_IMPORT_NO_VALIDATE;
    pd_import_stats n;
    ck_assert_int_eq(pd_store_import(&n, st, tpath("ad.jsonl"), &o), 0);
    ck_assert_int_eq(n.inserted, 1);
    pd_record *got = NULL;
    ck_assert_int_eq(pd_store_get(&got, st, &id), 0);
    ck_assert_int_eq(revision_of(got), 3);
    pd_record_free(got);
    pd_record_free(m);
    pd_store_close(st);
}
END_TEST

static int stop_at_first(long long records, long long bytes, void *payload)
{
    (void)bytes;
    *(long long *)payload = records;
    return 1;
}

START_TEST(test_store_import_faults)
{
    pd_store *st = open_new("f.db");
    enum { N = 60 };
    pd_record *recs[N];
    recs[0] = mk_org("Chi bộ", NULL);
    for (int i = 1; i < N; i++) {
        char name[64];
        snprintf(name, sizeof name, "Nguyễn Văn Số %d với tên khá dài", i);
        recs[i] = mk_member(name, NULL, "01", PD_GENDER_NAM, 2, recs[0]);
    }
    write_jsonl(tpath("f.jsonl"), recs, N, NULL);
    pd_import_options o = PD_IMPORT_OPTIONS_INIT;
    o.batch_size = 10;
    pd_import_stats n;
    /* an explicit transaction is open */
    ck_assert_int_eq(pd_store_begin(st), 0);
    ck_assert_int_eq(pd_store_import(&n, st, tpath("f.jsonl"), &o), PD_EINVALID);
    ck_assert_int_eq(pd_store_rollback(st), 0);
    /* the reject file cannot be written */
    o.rejects_path = "/nonexistent-dir/rejects.jsonl";
    ck_assert_int_eq(pd_store_import(&n, st, tpath("f.jsonl"), &o), PD_EIO);
    o.rejects_path = NULL;
    /* the progress callback stops it after the first batch: that batch is kept */
    long long seen = 0;
    o.progress = stop_at_first;
    o.payload = &seen;
    ck_assert_int_eq(pd_store_import(&n, st, tpath("f.jsonl"), &o), PD_EUSER);
    ck_assert_int_eq(seen, 10);
    ck_assert_int_eq(n.inserted, 10);
    o.progress = NULL;
    pd_store_close(st);
    /* a quota: PD_EFULL, whole batches kept, the file sound; then the rest */
    pd_store_options so = PD_STORE_OPTIONS_INIT;
    so.max_page_count = 30;
    ck_assert_int_eq(pd_store_open(&st, tpath("f.db"), &so), 0);
    int rc = pd_store_import(&n, st, tpath("f.jsonl"), &o);
    ck_assert_int_eq(rc, PD_EFULL);
    long long stored = 0;
    ck_assert_int_eq(pd_store_count(&stored, st, NULL), 0);
    ck_assert_int_eq((stored + 1) % 10, 0);
    ck_assert_int_lt(stored, N - 1);
    pd_strarray problems = {0};
    ck_assert_int_eq(pd_store_check(&problems, st), 0);
    ck_assert_int_eq(problems.count, 0);
    pd_store_close(st);
    ck_assert_int_eq(pd_store_open(&st, tpath("f.db"), NULL), 0);
    ck_assert_int_eq(pd_store_import(&n, st, tpath("f.jsonl"), &o), 0);
    ck_assert_int_eq(n.inserted + n.unchanged, N);
    ck_assert_int_eq(pd_store_count(&stored, st, NULL), 0);
    ck_assert_int_eq(stored, N - 1);
    /* CSV cannot hold every member: PD_ELIMIT */
    pd_record *big = mk_member("Đinh Văn Nhiều", NULL, "01", PD_GENDER_NAM, 2, NULL);
    for (int i = 0; i < 5; i++) {
        char path[32];
        snprintf(path, sizeof path, "aliases[%d]", i);
        ck_assert_int_eq(pd_record_set(big, path, "Bí danh"), 0);
    }
    put_ok(st, big, PD_STORE_INSERTED);
    long long count = 0;
    ck_assert_int_eq(pd_store_export(&count, st, tpath("out.csv"), NULL), PD_ELIMIT);
    pd_record_free(big);
    pd_store_close(st);
    for (int i = 0; i < N; i++)
        pd_record_free(recs[i]);
}
END_TEST

static Suite *store_suite(void)
{
    Suite *s = suite_create("store");
    TCase *tc;
    tc = tcase_create("options");
    tcase_add_test(tc, test_store_options_init_matches_macro);
    suite_add_tcase(s, tc);

    tc = tcase_create("open");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_store_open_missing);
    tcase_add_test(tc, test_store_open_create_and_version);
    tcase_add_test(tc, test_store_open_not_a_database);
    tcase_add_test(tc, test_store_open_truncated);
    tcase_add_test(tc, test_store_open_newer_version);
    tcase_add_test(tc, test_store_open_readonly_file);
    tcase_add_test(tc, test_store_open_migrate_v1_to_v2);
    suite_add_tcase(s, tc);

    tc = tcase_create("put_get");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_store_put_get_roundtrip);
    tcase_add_test(tc, test_store_put_invalid);
    tcase_add_test(tc, test_store_put_unknown_org);
    tcase_add_test(tc, test_store_put_duplicate_cccd);
    tcase_add_test(tc, test_store_delete_and_conflict);
    suite_add_tcase(s, tc);

    tc = tcase_create("history");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_store_history_replay_and_as_of);
    suite_add_tcase(s, tc);

    tc = tcase_create("transactions_faults");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_store_transaction_rollback);
    tcase_add_test(tc, test_store_locked_busy);
    tcase_add_test(tc, test_store_disk_full);
    suite_add_tcase(s, tc);

    tc = tcase_create("query_stats");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_store_query_filters);
    tcase_add_test(tc, test_store_stats_grouped);
    tcase_add_test(tc, test_store_check_sound);
    suite_add_tcase(s, tc);

    tc = tcase_create("import_export");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_store_import_counts_and_reimport);
    tcase_add_test(tc, test_store_import_strict_and_findings);
    tcase_add_test(tc, test_store_export_roundtrip);
    tcase_add_test(tc, test_store_import_faults);
    tcase_add_test(tc, test_store_import_after_delete_revision);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(store_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
