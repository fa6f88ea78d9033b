/* check_merge.c: golden records, pd_merge3, member merge/unmerge in a store (exact
 * round trip), organization consolidation (single and batch), bad input. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "partydata/partydata.h"

static char *idtext(const pd_uuid *u)
{
    static char buf[4][PD_UUID_STRLEN];
    static int k;
    k = (k + 1) % 4;
    return pd_uuid_format(buf[k], u);
}

static void setf(pd_record *r, const char *path, const char *v)
{
    int rc = pd_record_set(r, path, v);
    ck_assert_msg(rc == 0, "set %s=%s: %s", path, v, pd_error_last()->message);
}

static char *getf(const pd_record *r, const char *path)
{
    char *v = NULL;
    if (pd_record_get(&v, r, path) < 0)
        return NULL;
    return v;
}

/* the content bytes of a record without its provenance */
static unsigned char *content(size_t *len, const pd_record *r)
{
    pd_record *c = NULL;
    ck_assert_int_eq(pd_record_dup(&c, r), 0);
    pd_record_clear(c, "provenance");
    unsigned char *b = NULL;
    ck_assert_int_eq(pd_record_to_pb(&b, len, c), 0);
    pd_record_free(c);
    return b;
}

/* ---- golden ------------------------------------------------------------------------ */

START_TEST(test_merge_golden_survivorship)
{
    pd_member *a = NULL, *b = NULL, *g = NULL;
    ck_assert_int_eq(pd_member_new(&a), 0);
    ck_assert_int_eq(pd_member_new(&b), 0);
    pd_record *ra = pd_member_record(a), *rb = pd_member_record(b);
    setf(ra, "full_name", "Nguyễn Văn Hùng");
    setf(rb, "full_name", "Nguyen Van Hung");
    setf(ra, "birth_date.year", "1970");                 /* year only */
    setf(rb, "birth_date.year", "1970");
    setf(rb, "birth_date.month", "5");
    setf(rb, "birth_date.day", "1");                     /* more precise: wins */
    setf(ra, "occupation", "Giáo viên");                 /* only in a */
    setf(rb, "party_card_no", "12345678");               /* only in b: non-empty wins */
    setf(ra, "id_numbers[0].type", "CCCD");
    setf(ra, "id_numbers[0].number", "001070000111");
    setf(rb, "id_numbers[0].type", "CCCD");
    setf(rb, "id_numbers[0].number", "001070000111");    /* same: not duplicated */
    setf(rb, "id_numbers[1].type", "CMND9");
    setf(rb, "id_numbers[1].number", "012345678");
    /* b's latest decision is later: b wins conflicts without precision */
    setf(ra, "admission_date.year", "1995");
    setf(rb, "admission_date.year", "1995");
    setf(ra, "events[0].effective_date.year", "2000");
    setf(rb, "events[0].effective_date.year", "2020");
    setf(ra, "history_notes", "old note");
    setf(rb, "history_notes", "new note");
    ck_assert_int_eq(pd_member_golden(&g, a, b, NULL), 0);
    pd_record *rg = pd_member_record(g);
    pd_uuid ia, ig;
    pd_member_id(&ia, a);
    pd_member_id(&ig, g);
    ck_assert_int_eq(pd_uuid_cmp(&ia, &ig), 0);
    char *v;
    ck_assert_str_eq((v = getf(rg, "birth_date.day")), "1");
    pd_free(v);
    ck_assert_str_eq((v = getf(rg, "occupation")), "Giáo viên");
    pd_free(v);
    ck_assert_str_eq((v = getf(rg, "party_card_no")), "12345678");
    pd_free(v);
    ck_assert_str_eq((v = getf(rg, "history_notes")), "new note");
    pd_free(v);
    size_t n;
    ck_assert_int_eq(pd_record_count(&n, rg, "id_numbers"), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(pd_record_count(&n, rg, "events"), 0);
    ck_assert_uint_eq(n, 2);
    /* the later record's name wins; the other is kept as an alias */
    ck_assert_str_eq(pd_member_full_name(g), "Nguyen Van Hung");
    ck_assert_str_eq((v = getf(rg, "aliases[0]")), "Nguyễn Văn Hùng");
    pd_free(v);
    ck_assert_int_eq(pd_record_has(rg, "merged_into_id"), 0);
    pd_member_free(g);
    /* ranked sources break ties */
    pd_record_clear(ra, "events");
    pd_record_clear(rb, "events");
    setf(ra, "source", "hanoi-2019");
    setf(rb, "source", "excel");
    const char *rank[] = {"hanoi-2019", "excel"};
    pd_merge_options o = PD_MERGE_OPTIONS_INIT;
    o.source_ranking = rank;
    o.source_ranking_count = 2;
    ck_assert_int_eq(pd_member_golden(&g, a, b, &o), 0);
    ck_assert_str_eq((v = getf(pd_member_record(g), "history_notes")), "old note");
    pd_free(v);
    pd_member_free(g);
    /* bad input */
    ck_assert_int_eq(pd_member_golden(&g, a, a, NULL), PD_EINVALID);
    ck_assert_ptr_null(g);
    ck_assert_int_eq(pd_member_golden(&g, a, NULL, NULL), PD_EINVALID);
    setf(rb, "merged_into_id", idtext(&ia));
    ck_assert_int_eq(pd_member_golden(&g, a, b, NULL), PD_EINVALID);
    o.version = 42;
    pd_record_clear(rb, "merged_into_id");
    ck_assert_int_eq(pd_member_golden(&g, a, b, &o), PD_EINVALID);
    pd_member_free(a);
    pd_member_free(b);
}
END_TEST

START_TEST(test_merge_options_init)
{
    pd_merge_options o;
    ck_assert_int_eq(pd_merge_options_init(&o, PD_MERGE_OPTIONS_VERSION), 0);
    ck_assert_uint_eq(o.version, PD_MERGE_OPTIONS_VERSION);
    ck_assert_ptr_null(o.reason);
    ck_assert_int_eq(pd_merge_options_init(&o, 7), PD_EINVALID);
    pd_org_merge_options p;
    ck_assert_int_eq(pd_org_merge_options_init(&p, PD_ORG_MERGE_OPTIONS_VERSION), 0);
    ck_assert_int_eq(p.date.year, 0);
    ck_assert_int_eq(pd_org_merge_options_init(&p, 7), PD_EINVALID);
}
END_TEST

/* ---- 3-way merge ---------------------------------------------------------------------- */

START_TEST(test_merge_merge3_fields)
{
    pd_member *base = NULL;
    ck_assert_int_eq(pd_member_new(&base), 0);
    pd_record *rb = pd_member_record(base);
    setf(rb, "full_name", "Lê Văn Nam");
    setf(rb, "occupation", "Nông dân");
    setf(rb, "birth_date.year", "1965");
    setf(rb, "events[0].id", "01900000-0000-7000-8000-000000000001");
    setf(rb, "events[0].note", "base");
    pd_record *ro = NULL, *rt = NULL, *out = NULL;
    ck_assert_int_eq(pd_record_dup(&ro, rb), 0);
    ck_assert_int_eq(pd_record_dup(&rt, rb), 0);
    setf(ro, "occupation", "Cán bộ");           /* ours only */
    setf(rt, "birth_date.month", "2");          /* theirs only */
    setf(ro, "history_notes", "same");          /* both, same */
    setf(rt, "history_notes", "same");
    setf(ro, "full_name", "Lê Văn Năm");        /* both, different: conflict */
    setf(rt, "full_name", "Lê Văn Nạm");
    setf(ro, "events[0].note", "ours");         /* element by id: conflict inside */
    setf(rt, "events[0].note", "theirs");
    setf(rt, "events[1].id", "01900000-0000-7000-8000-000000000002"); /* added by theirs */
    pd_strarray conf = {0};
    ck_assert_int_eq(pd_merge3(&out, &conf, rb, ro, rt, 0), 0);
    char *v;
    ck_assert_str_eq((v = getf(out, "occupation")), "Cán bộ");
    pd_free(v);
    ck_assert_str_eq((v = getf(out, "birth_date.month")), "2");
    pd_free(v);
    ck_assert_str_eq((v = getf(out, "history_notes")), "same");
    pd_free(v);
    ck_assert_str_eq((v = getf(out, "full_name")), "Lê Văn Năm");
    pd_free(v);
    ck_assert_str_eq((v = getf(out, "events[0].note")), "ours");
    pd_free(v);
    size_t n;
    pd_record_count(&n, out, "events");
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(conf.count, 2);
    ck_assert_str_eq(conf.strings[0], "full_name");
    ck_assert_str_eq(conf.strings[1], "events[0].note");
    pd_strarray_dispose(&conf);
    pd_record_free(out);
    /* theirs on conflict */
    ck_assert_int_eq(pd_merge3(&out, NULL, rb, ro, rt, PD_MERGE3_THEIRS), 0);
    ck_assert_str_eq((v = getf(out, "full_name")), "Lê Văn Nạm");
    pd_free(v);
    pd_record_free(out);
    /* no base: every difference is a conflict */
    ck_assert_int_eq(pd_merge3(&out, &conf, NULL, ro, rt, 0), 0);
    ck_assert_uint_ge(conf.count, 2);
    pd_strarray_dispose(&conf);
    pd_record_free(out);
    /* deleted on one side, unchanged on the other: deleted */
    pd_record_clear(rt, "events");
    pd_record_clear(ro, "events");
    setf(ro, "events[0].id", "01900000-0000-7000-8000-000000000001");
    setf(ro, "events[0].note", "base");
    ck_assert_int_eq(pd_merge3(&out, &conf, rb, ro, rt, 0), 0);
    pd_record_count(&n, out, "events");
    ck_assert_uint_eq(n, 0);
    pd_strarray_dispose(&conf);
    pd_record_free(out);
    /* kinds differ */
    pd_org *org = NULL;
    pd_org_new(&org);
    ck_assert_int_eq(pd_merge3(&out, NULL, rb, ro, pd_org_record(org), 0), PD_EINVALID);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(pd_merge3(&out, NULL, rb, NULL, rt, 0), PD_EINVALID);
    pd_org_free(org);
    pd_record_free(ro);
    pd_record_free(rt);
    pd_member_free(base);
}
END_TEST

/* ---- store: members ---------------------------------------------------------------------- */

static pd_store *open_mem(void)
{
    pd_store *st = NULL;
    pd_store_options o = PD_STORE_OPTIONS_INIT;
    o.flags = PD_STORE_CREATE;
    int rc = pd_store_open(&st, ":memory:", &o);
    ck_assert_msg(rc == 0, "open: %s", pd_error_last()->message);
    return st;
}

static void put(pd_store *st, pd_record *r)
{
    int rc = pd_store_put(NULL, st, r, NULL);
    ck_assert_msg(rc == 0, "put: %s", pd_error_last()->message);
}

static pd_uuid new_org(pd_store *st, const char *name, const pd_uuid *parent, const char *code)
{
    pd_org *o = NULL;
    ck_assert_int_eq(pd_org_new(&o), 0);
    pd_org_set_name(o, name);
    if (parent)
        pd_org_set_parent_id(o, parent);
    if (code)
        setf(pd_org_record(o), "code", code);
    setf(pd_org_record(o), "valid_from.year", "2000");
    put(st, pd_org_record(o));
    pd_uuid id;
    pd_org_id(&id, o);
    pd_org_free(o);
    return id;
}

static pd_uuid new_member(pd_store *st, const char *name, const pd_uuid *org, const char *cccd)
{
    pd_member *m = NULL;
    ck_assert_int_eq(pd_member_new(&m), 0);
    pd_member_set_full_name(m, name);
    pd_date d = {1970, 5, 1};
    pd_member_set_birth_date(m, &d);
    if (cccd)
        pd_member_set_cccd(m, cccd);
    pd_record *r = pd_member_record(m);
    if (org) {
        pd_member_set_current_org_id(m, org);
        pd_uuid mid;
        pd_uuid_new(&mid);
        setf(r, "memberships[0].id", idtext(&mid));
        setf(r, "memberships[0].org_id", idtext(org));
        setf(r, "memberships[0].kind", "CHINH_THUC");
        setf(r, "memberships[0].from.year", "1998");
    }
    put(st, r);
    pd_uuid id;
    pd_member_id(&id, m);
    pd_member_free(m);
    return id;
}

static int64_t rev(pd_store *st)
{
    int64_t r = -1;
    ck_assert_int_eq(pd_store_current_revision(&r, st), 0);
    return r;
}

START_TEST(test_merge_members_roundtrip_exact)
{
    pd_store *st = open_mem();
    pd_uuid org = new_org(st, "Chi bộ 1", NULL, NULL);
    pd_uuid a = new_member(st, "Nguyễn Văn Hùng", &org, "001070000111");
    pd_uuid b = new_member(st, "Nguyen Van Hung", NULL, NULL);
    /* a stand-alone membership of the loser */
    pd_membership *ms = NULL;
    ck_assert_int_eq(pd_membership_new(&ms), 0);
    pd_membership_set_member_id(ms, &b);
    pd_membership_set_org_id(ms, &org);
    pd_membership_set_kind(ms, PD_MEMBERSHIP_TAM_THOI);
    put(st, pd_membership_record(ms));
    pd_uuid msid;
    pd_record_id(&msid, pd_membership_record(ms));
    pd_membership_free(ms);
    /* snapshot */
    pd_record *ra = NULL, *rb = NULL, *rm = NULL;
    ck_assert_int_eq(pd_store_get(&ra, st, &a), 0);
    ck_assert_int_eq(pd_store_get(&rb, st, &b), 0);
    ck_assert_int_eq(pd_store_get(&rm, st, &msid), 0);
    size_t la, lb, lm;
    unsigned char *ca = content(&la, ra), *cb = content(&lb, rb), *cm = content(&lm, rm);
    pd_record_free(ra);
    pd_record_free(rb);
    pd_record_free(rm);

    pd_merge_options o = PD_MERGE_OPTIONS_INIT;
    o.reason = "same person entered twice";
    o.decision_number = "12-QĐ/TU";
    int rc = pd_merge_members(st, &a, &b, &o);
    ck_assert_msg(rc == 0, "merge: %s", pd_error_last()->message);
    /* the loser redirects, the survivor is golden with a merge event */
    pd_record *r = NULL;
    ck_assert_int_eq(pd_store_get(&r, st, &b), 0);
    char *v = getf(r, "merged_into_id");
    ck_assert_str_eq(v, idtext(&a));
    pd_free(v);
    pd_record_free(r);
    pd_uuid res;
    ck_assert_int_eq(pd_merge_resolve(&res, st, &b), 0);
    ck_assert_int_eq(pd_uuid_cmp(&res, &a), 0);
    ck_assert_int_eq(pd_store_get(&r, st, &a), 0);
    size_t n;
    pd_record_count(&n, r, "events");
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq((v = getf(r, "events[0].type")), "EVENT_TYPE_HOP_NHAT_HO_SO");
    pd_free(v);
    ck_assert_str_eq((v = getf(r, "events[0].related_id")), idtext(&b));
    pd_free(v);
    ck_assert_str_eq((v = getf(r, "aliases[0]")), "Nguyen Van Hung");
    pd_free(v);
    pd_record_free(r);
    /* the stand-alone membership follows the survivor */
    ck_assert_int_eq(pd_store_get(&r, st, &msid), 0);
    ck_assert_str_eq((v = getf(r, "member_id")), idtext(&a));
    pd_free(v);
    pd_record_free(r);
    /* history has the reason */
    pd_store_history_iter *hi = NULL;
    const pd_store_revision *rv;
    int found = 0;
    ck_assert_int_eq(pd_store_history(&hi, st, &b), 0);
    while (pd_store_history_next(&rv, hi) == 0)
        if (rv->reason && strstr(rv->reason, "same person entered twice") && rv->decision_number &&
            !strcmp(rv->decision_number, "12-QĐ/TU"))
            found = 1;
    pd_store_history_free(hi);
    ck_assert(found);

    /* bad input: nothing changes */
    int64_t before = rev(st);
    pd_uuid missing;
    pd_uuid_new(&missing);
    ck_assert_int_eq(pd_merge_members(st, &a, &a, NULL), PD_EINVALID);
    ck_assert_int_eq(pd_merge_members(st, &a, &missing, NULL), PD_ENOTFOUND);
    ck_assert_int_eq(pd_merge_members(st, &missing, &a, NULL), PD_ENOTFOUND);
    ck_assert_int_eq(pd_merge_members(st, &a, &b, NULL), PD_ECONFLICT);
    ck_assert_int_eq(pd_merge_members(st, &b, &a, NULL), PD_ECONFLICT);
    ck_assert_int_eq(pd_unmerge_member(st, &a, NULL), PD_EINVALID);
    ck_assert_int_eq(pd_unmerge_member(st, &missing, NULL), PD_ENOTFOUND);
    ck_assert_int_eq(pd_merge_resolve(&res, st, &missing), PD_ENOTFOUND);
    ck_assert_int_eq(rev(st), before);

    /* unmerge: exactly the content of before */
    rc = pd_unmerge_member(st, &b, &o);
    ck_assert_msg(rc == 0, "unmerge: %s", pd_error_last()->message);
    pd_record *ra2 = NULL, *rb2 = NULL, *rm2 = NULL;
    ck_assert_int_eq(pd_store_get(&ra2, st, &a), 0);
    ck_assert_int_eq(pd_store_get(&rb2, st, &b), 0);
    ck_assert_int_eq(pd_store_get(&rm2, st, &msid), 0);
    size_t la2, lb2, lm2;
    unsigned char *ca2 = content(&la2, ra2), *cb2 = content(&lb2, rb2), *cm2 = content(&lm2, rm2);
    ck_assert_uint_eq(la, la2);
    ck_assert_uint_eq(lb, lb2);
    ck_assert_uint_eq(lm, lm2);
    ck_assert(memcmp(ca, ca2, la) == 0);
    ck_assert(memcmp(cb, cb2, lb) == 0);
    ck_assert(memcmp(cm, cm2, lm) == 0);
    ck_assert_int_eq(pd_unmerge_member(st, &b, NULL), PD_EINVALID); /* not merged any more */
    pd_free(ca);
    pd_free(cb);
    pd_free(cm);
    pd_free(ca2);
    pd_free(cb2);
    pd_free(cm2);
    pd_record_free(ra2);
    pd_record_free(rb2);
    pd_record_free(rm2);
    /* merge again works after an unmerge */
    ck_assert_int_eq(pd_merge_members(st, &b, &a, NULL), 0);
    ck_assert_int_eq(pd_merge_resolve(&res, st, &a), 0);
    ck_assert_int_eq(pd_uuid_cmp(&res, &b), 0);
    pd_store_close(st);
}
END_TEST

START_TEST(test_merge_unmerge_refuses_changed_survivor)
{
    pd_store *st = open_mem();
    pd_uuid a = new_member(st, "Trần Thị Lan", NULL, NULL);
    pd_uuid b = new_member(st, "Tran Thi Lan", NULL, NULL);
    ck_assert_int_eq(pd_merge_members(st, &a, &b, NULL), 0);
    pd_record *r = NULL;
    ck_assert_int_eq(pd_store_get(&r, st, &a), 0);
    setf(r, "occupation", "changed after the merge");
    put(st, r);
    pd_record_free(r);
    int64_t before = rev(st);
    ck_assert_int_eq(pd_unmerge_member(st, &b, NULL), PD_ECONFLICT);
    ck_assert_int_eq(rev(st), before);
    /* not a member: refused */
    pd_uuid org = new_org(st, "Chi bộ", NULL, NULL);
    ck_assert_int_eq(pd_merge_members(st, &a, &org, NULL), PD_EINVALID);
    /* a cycle of redirects (written by hand) is reported, not followed forever */
    pd_uuid c = new_member(st, "C", NULL, NULL), d = new_member(st, "D", NULL, NULL);
    ck_assert_int_eq(pd_store_get(&r, st, &c), 0);
    setf(r, "merged_into_id", idtext(&d));
    put(st, r);
    pd_record_free(r);
    ck_assert_int_eq(pd_store_get(&r, st, &d), 0);
    setf(r, "merged_into_id", idtext(&c));
    put(st, r);
    pd_record_free(r);
    pd_uuid res;
    ck_assert_int_eq(pd_merge_resolve(&res, st, &c), PD_ECONFLICT);
    pd_store_close(st);
}
END_TEST

/* ---- store: organizations ---------------------------------------------------------- */

START_TEST(test_merge_org_merge_moves_everything)
{
    pd_store *st = open_mem();
    pd_uuid root = new_org(st, "Tỉnh uỷ", NULL, "T");
    pd_uuid A = new_org(st, "Đảng bộ xã A", &root, "A");
    pd_uuid B = new_org(st, "Đảng bộ xã B", &root, "B");
    pd_uuid A1 = new_org(st, "Chi bộ thôn 1", &A, "A1");
    pd_uuid m1 = new_member(st, "Nguyễn Văn Một", &A, NULL);
    pd_uuid m2 = new_member(st, "Nguyễn Văn Hai", &A, NULL);
    pd_uuid m3 = new_member(st, "Nguyễn Văn Ba", &B, NULL);
    /* a stand-alone open membership of m3 in A (temporary) */
    pd_membership *ms = NULL;
    pd_membership_new(&ms);
    pd_membership_set_member_id(ms, &m3);
    pd_membership_set_org_id(ms, &A);
    pd_membership_set_kind(ms, PD_MEMBERSHIP_TAM_THOI);
    put(st, pd_membership_record(ms));
    pd_membership_free(ms);
    /* a residence link of m3 to A */
    pd_record *rl = NULL;
    ck_assert_int_eq(pd_record_new(&rl, PD_KIND_RESIDENCE_LINK), 0);
    setf(rl, "member_id", idtext(&m3));
    setf(rl, "org_id", idtext(&A));
    setf(rl, "from.year", "2020");
    put(st, rl);
    pd_uuid rlid;
    pd_record_id(&rlid, rl);
    pd_record_free(rl);

    pd_org_merge_options o = PD_ORG_MERGE_OPTIONS_INIT;
    o.decision_number = "1234-QĐ/TU";
    o.date = (pd_date){2025, 7, 1};
    pd_org_merge_counts c;
    memset(&c, 0, sizeof c);
    /* bad input first: nothing changes */
    int64_t before = rev(st);
    pd_uuid missing;
    pd_uuid_new(&missing);
    ck_assert_int_eq(pd_org_merge(&c, st, &A, &A, &o), PD_EINVALID);
    ck_assert_int_eq(pd_org_merge(&c, st, &A, &A1, &o), PD_ECONFLICT);  /* into its subtree */
    ck_assert_int_eq(pd_org_merge(&c, st, &root, &B, &o), PD_ECONFLICT); /* cycle */
    ck_assert_int_eq(pd_org_merge(&c, st, &missing, &B, &o), PD_ENOTFOUND);
    ck_assert_int_eq(pd_org_merge(&c, st, &m1, &B, &o), PD_EINVALID);   /* not an org */
    pd_org_merge_options bad = o;
    bad.decision_number = NULL;
    ck_assert_int_eq(pd_org_merge(&c, st, &A, &B, &bad), PD_EINVALID);
    bad = o;
    bad.date.day = 0;
    ck_assert_int_eq(pd_org_merge(&c, st, &A, &B, &bad), PD_EINVALID);
    ck_assert_int_eq(rev(st), before);
    ck_assert_uint_eq(c.orgs_merged, 0);
    /* dry run counts, changes nothing */
    bad = o;
    bad.dry_run = 1;
    ck_assert_int_eq(pd_org_merge(&c, st, &A, &B, &bad), 0);
    ck_assert_uint_eq(c.members_moved, 2);
    ck_assert_int_eq(rev(st), before);
    memset(&c, 0, sizeof c);

    int rc = pd_org_merge(&c, st, &A, &B, &o);
    ck_assert_msg(rc == 0, "org merge: %s", pd_error_last()->message);
    ck_assert_uint_eq(c.orgs_merged, 1);
    ck_assert_uint_eq(c.members_moved, 2);
    ck_assert_uint_eq(c.memberships_closed, 3);
    ck_assert_uint_eq(c.memberships_opened, c.memberships_closed);
    ck_assert_uint_eq(c.suborgs_moved, 1);
    ck_assert_uint_eq(c.events, 3);
    ck_assert_uint_eq(c.residence_links_moved, 1);
    pd_record *r0 = NULL;
    ck_assert_int_eq(pd_store_get(&r0, st, &rlid), 0);
    ck_assert_int_eq(pd_record_has(r0, "to"), 1);
    pd_record_free(r0);
    /* A closed with its successor; B knows its predecessor; A1 under B */
    pd_record *r = NULL;
    char *v;
    ck_assert_int_eq(pd_store_get(&r, st, &A), 0);
    ck_assert_str_eq((v = getf(r, "valid_to.year")), "2025");
    pd_free(v);
    ck_assert_str_eq((v = getf(r, "successor_ids[0]")), idtext(&B));
    pd_free(v);
    pd_record_free(r);
    ck_assert_int_eq(pd_store_get(&r, st, &B), 0);
    ck_assert_str_eq((v = getf(r, "predecessor_ids[0]")), idtext(&A));
    pd_free(v);
    pd_record_free(r);
    ck_assert_int_eq(pd_store_get(&r, st, &A1), 0);
    ck_assert_str_eq((v = getf(r, "parent_id")), idtext(&B));
    pd_free(v);
    pd_record_free(r);
    /* m1: old membership closed on the date, new one opened on the same date in B */
    ck_assert_int_eq(pd_store_get(&r, st, &m1), 0);
    ck_assert_str_eq((v = getf(r, "current_org_id")), idtext(&B));
    pd_free(v);
    ck_assert_str_eq((v = getf(r, "memberships[0].to.month")), "7");
    pd_free(v);
    ck_assert_str_eq((v = getf(r, "memberships[1].from.day")), "1");
    pd_free(v);
    ck_assert_str_eq((v = getf(r, "memberships[1].org_id")), idtext(&B));
    pd_free(v);
    ck_assert_int_eq(pd_record_has(r, "memberships[1].to"), 0);
    pd_record_free(r);
    (void)m2;
    /* A is closed now: merging it again is refused */
    before = rev(st);
    ck_assert_int_eq(pd_org_merge(NULL, st, &A, &B, &o), PD_ECONFLICT);
    ck_assert_int_eq(pd_org_merge(NULL, st, &B, &A, &o), PD_ECONFLICT);
    ck_assert_int_eq(rev(st), before);
    pd_store_close(st);
}
END_TEST

START_TEST(test_merge_org_merge_table_batch)
{
    pd_store *st = open_mem();
    pd_uuid root = new_org(st, "Tỉnh uỷ", NULL, "T");
    pd_uuid X = new_org(st, "Xã X", &root, "X");
    new_org(st, "Xã Y", &root, "Y");
    new_org(st, "Xã Z", &root, "Z");
    new_org(st, "Xã W", &root, "W");
    new_member(st, "A", &X, NULL);
    char dir[] = "/tmp/check_merge.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/table.csv", dir);
    FILE *fp = fopen(path, "w");
    fputs("from,to\nY,X\nZ,X\nNOPE,X\n", fp);
    fclose(fp);
    pd_org_merge_options o = PD_ORG_MERGE_OPTIONS_INIT;
    o.decision_number = "99-NQ/TW";
    o.date = (pd_date){2025, 7, 1};
    pd_org_merge_counts c;
    memset(&c, 0, sizeof c);
    int rc = pd_org_merge_table(&c, st, path, &o);
    ck_assert_msg(rc == 0, "table: %s", pd_error_last()->message);
    ck_assert_uint_eq(c.orgs_merged, 2);
    ck_assert_uint_eq(c.skipped, 1);
    ck_assert_uint_eq(c.members_moved, 0);
    /* a bad table: parse error, nothing changed */
    fp = fopen(path, "w");
    fputs("from,to\nX\n", fp);
    fclose(fp);
    int64_t before = rev(st);
    ck_assert_int_eq(pd_org_merge_table(&c, st, path, &o), PD_EPARSE);
    ck_assert_int_eq(pd_error_last()->line, 2);
    /* a row that fails (a cycle: root into X) rolls back the whole batch */
    fp = fopen(path, "w");
    fputs("W,X\nT,X\n", fp);
    fclose(fp);
    ck_assert_int_eq(pd_org_merge_table(&c, st, path, &o), PD_ECONFLICT);
    ck_assert_int_eq(rev(st), before);
    unlink(path);
    ck_assert_int_eq(pd_org_merge_table(&c, st, path, &o), PD_ENOTFOUND);
    rmdir(dir);
    pd_store_close(st);
}
END_TEST

START_TEST(test_merge_matcher_store_candidates)
{
    /* incremental matching against a store through its indexes */
    pd_store *st = open_mem();
    pd_uuid a = new_member(st, "Nguyễn Văn Hùng", NULL, "001070000111");
    new_member(st, "Trần Văn Hùng", NULL, "001070999999");
    new_member(st, "Lê Thị Lan", NULL, NULL);
    pd_member *n = NULL;
    ck_assert_int_eq(pd_member_new(&n), 0);
    pd_member_set_full_name(n, "Nguyen Van Hung");
    pd_date d = {1970, 5, 1};
    pd_member_set_birth_date(n, &d);
    pd_matcher *mt = NULL;
    ck_assert_int_eq(pd_matcher_new(&mt, NULL), 0);
    int rc = pd_matcher_add_store_candidates(mt, st, n, 0);
    ck_assert_msg(rc == 0, "candidates: %s", pd_error_last()->message);
    /* the new record and the one stored namesake of the same birth year */
    ck_assert_uint_eq(pd_matcher_count(mt), 2);
    ck_assert_int_eq(pd_matcher_add_store_candidates(mt, st, n, 0), 0); /* idempotent */
    ck_assert_uint_eq(pd_matcher_count(mt), 2);
    ck_assert_int_eq(pd_matcher_run(mt), 0);
    pd_match_cluster_iter *ci = NULL;
    pd_match_cluster c;
    ck_assert_int_eq(pd_matcher_clusters(&ci, mt), 0);
    ck_assert_int_eq(pd_match_cluster_iter_next(&c, ci), 0);
    ck_assert_uint_eq(c.count, 2);
    ck_assert(pd_uuid_cmp(&c.members[0], &a) == 0 || pd_uuid_cmp(&c.members[1], &a) == 0);
    pd_match_cluster_iter_free(ci);
    ck_assert_int_eq(pd_matcher_add_store_candidates(mt, NULL, n, 0), PD_EINVALID);
    pd_matcher_free(mt);
    pd_member_free(n);
    pd_store_close(st);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("merge");
    TCase *t = tcase_create("golden");
    tcase_add_test(t, test_merge_golden_survivorship);
    tcase_add_test(t, test_merge_options_init);
    suite_add_tcase(s, t);
    t = tcase_create("merge3");
    tcase_add_test(t, test_merge_merge3_fields);
    suite_add_tcase(s, t);
    t = tcase_create("members");
    tcase_add_test(t, test_merge_members_roundtrip_exact);
    tcase_add_test(t, test_merge_unmerge_refuses_changed_survivor);
    tcase_add_test(t, test_merge_matcher_store_candidates);
    suite_add_tcase(s, t);
    t = tcase_create("organizations");
    tcase_add_test(t, test_merge_org_merge_moves_everything);
    tcase_add_test(t, test_merge_org_merge_table_batch);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
