/*
 * cmd_match.c: duplicates and merges.
 *
 *   partydata dedup DB [--threshold T] [--explain] [--format text|jsonl]
 *   partydata merge DB SURVIVOR_ID LOSER_ID [--reason R] [--decision N]
 *   partydata unmerge DB LOSER_ID [--reason R]
 *   partydata org-merge DB FROM TO --decision N --date D [--reason R] [--dry-run]
 *   partydata org-merge DB --table FILE|2025 --decision N --date D [--reason R] [--dry-run]
 *
 * dedup JSONL (what `partydata score --clusters` reads), one cluster a line:
 *   {"cluster":N,"members":["<uuid>",...],"pairs":[{"a":"<uuid>","b":"<uuid>","score":S}]}
 * with --explain each pair also has "explain": {"score":S,"fields":[...]}.
 * Text mode prints each cluster with the members' names and its pairs.
 * Exit: 0 done (duplicates are results, not errors), 1 data refused (bad merge:
 * conflict, not found), 2 usage, 3 I/O, 4 internal.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int open_store(pd_store **st, const char *cmd, const char *path, int readonly)
{
    pd_store_options o = PD_STORE_OPTIONS_INIT;
    o.flags = readonly ? PD_STORE_READONLY : 0;
    o.busy_timeout_ms = 5000;
    int rc = pd_store_open(st, path, &o);
    if (rc < 0)
        return pd_cli_fail(cmd, rc);
    return 0;
}

static const char *arg_value(int argc, char **argv, int *i, const char *cmd, int *bad)
{
    if (*i + 1 >= argc) {
        pd_cli_usage(cmd, "%s needs a value", argv[*i]);
        *bad = 1;
        return NULL;
    }
    return argv[++*i];
}

/* ---- dedup ------------------------------------------------------------------------------ */

static char *member_name(pd_store *st, const pd_uuid *id)
{
    pd_record *r = NULL;
    if (pd_store_get(&r, st, id) < 0)
        return NULL;
    pd_member *m = pd_record_member(r);
    const char *n = m ? pd_member_full_name(m) : NULL;
    char *c = n ? malloc(strlen(n) + 1) : NULL;
    if (c)
        memcpy(c, n, strlen(n) + 1);
    pd_record_free(r);
    return c;
}

/* the matching pairs of one cluster, gathered from the pair iterator */
typedef struct cl_pairs {
    pd_match_pair *p;
    size_t n, cap;
} cl_pairs;

static int cl_push(cl_pairs *c, const pd_match_pair *p)
{
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 4;
        pd_match_pair *np = realloc(c->p, nc * sizeof *np);
        if (!np)
            return PD_ENOMEM;
        c->p = np;
        c->cap = nc;
    }
    c->p[c->n++] = *p;
    return 0;
}

static void print_explanation(const pd_matcher *mt, const pd_match_pair *p, int jsonl)
{
    pd_match_explanation e;
    char *txt = NULL;
    if (pd_matcher_explain(&e, mt, p->index_a, p->index_b) < 0)
        return;
    if (jsonl) {
        if (pd_match_explanation_json(&txt, &e) == 0)
            printf(",\"explain\":%s", txt);
        pd_free(txt);
        return;
    }
    if (pd_match_explanation_text(&txt, &e) < 0)
        return;
    for (char *line = txt; *line;) { /* indent the explanation under the pair */
        size_t len = strcspn(line, "\n");
        printf("      %.*s\n", (int)len, line);
        line += len;
        if (*line)
            line++;
    }
    pd_free(txt);
}

int pd_cli_dedup(int argc, char **argv)
{
    const char *cmd = argv[0], *db = NULL, *format = "text";
    double threshold = 0.0;
    int explain = 0, bad = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--threshold")) {
            const char *v = arg_value(argc, argv, &i, cmd, &bad);
            if (bad)
                return PD_EXIT_USAGE;
            if (pd_cli_parse_double(&threshold, v, -1000.0, 1000.0) < 0)
                return pd_cli_usage(cmd, "bad --threshold %s", v);
        } else if (!strcmp(argv[i], "--explain")) {
            explain = 1;
        } else if (!strcmp(argv[i], "--format")) {
            format = arg_value(argc, argv, &i, cmd, &bad);
            if (bad)
                return PD_EXIT_USAGE;
            if (strcmp(format, "text") && strcmp(format, "jsonl"))
                return pd_cli_usage(cmd, "--format is text or jsonl");
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return pd_cli_usage(cmd, "unknown option %s", argv[i]);
        } else if (!db) {
            db = argv[i];
        } else {
            return pd_cli_usage(cmd, "one database only");
        }
    }
    if (!db)
        return pd_cli_usage(cmd, "dedup DB [--threshold T] [--explain] [--format text|jsonl]");
    int jsonl = !strcmp(format, "jsonl");
    pd_store *st = NULL;
    int ec = open_store(&st, cmd, db, 1);
    if (ec)
        return ec;
    pd_match_options mo = PD_MATCH_OPTIONS_INIT;
    mo.threshold = threshold;
    pd_matcher *mt = NULL;
    pd_match_cluster_iter *ci = NULL;
    pd_match_pair_iter *pi = NULL;
    size_t *cl_of = NULL;
    cl_pairs *cp = NULL;
    pd_match_stats stats;
    memset(&stats, 0, sizeof stats);
    int rc;
    if ((rc = pd_matcher_new(&mt, &mo)) < 0 || (rc = pd_matcher_add_store(mt, st, 0)) < 0 ||
        (rc = pd_matcher_run(mt)) < 0)
        goto out;
    pd_matcher_stats(&stats, mt);
    size_t n = pd_matcher_count(mt);
    cl_of = malloc((n ? n : 1) * sizeof *cl_of);
    cp = calloc(stats.clusters ? stats.clusters : 1, sizeof *cp);
    if (!cl_of || !cp) {
        rc = PD_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        cl_of[i] = (size_t)-1;
    pd_match_cluster c;
    if ((rc = pd_matcher_clusters(&ci, mt)) < 0)
        goto out;
    while ((rc = pd_match_cluster_iter_next(&c, ci)) == 0)
        for (size_t k = 0; k < c.count; k++)
            cl_of[c.indexes[k]] = c.index;
    if (rc != PD_ITEROVER)
        goto out;
    pd_match_pair p;
    if ((rc = pd_matcher_pairs(&pi, mt, -1e300)) < 0)
        goto out;
    while ((rc = pd_match_pair_iter_next(&p, pi)) == 0)
        if (p.is_match && cl_of[p.index_a] != (size_t)-1 &&
            (rc = cl_push(&cp[cl_of[p.index_a]], &p)) < 0)
            goto out;
    if (rc != PD_ITEROVER)
        goto out;
    pd_match_cluster_iter_free(ci);
    ci = NULL;
    if ((rc = pd_matcher_clusters(&ci, mt)) < 0)
        goto out;
    while ((rc = pd_match_cluster_iter_next(&c, ci)) == 0) {
        char b[PD_UUID_STRLEN], b2[PD_UUID_STRLEN];
        const cl_pairs *pp = &cp[c.index];
        if (jsonl) {
            printf("{\"cluster\":%zu,\"members\":[", c.index + 1);
            for (size_t k = 0; k < c.count; k++)
                printf("%s\"%s\"", k ? "," : "", pd_uuid_format(b, &c.members[k]));
            printf("],\"pairs\":[");
            for (size_t k = 0; k < pp->n; k++) {
                printf("%s{\"a\":\"%s\",\"b\":\"%s\",\"score\":%.2f", k ? "," : "",
                       pd_uuid_format(b, &pp->p[k].a), pd_uuid_format(b2, &pp->p[k].b),
                       pp->p[k].score);
                if (explain)
                    print_explanation(mt, &pp->p[k], 1);
                printf("}");
            }
            printf("]}\n");
            continue;
        }
        printf("cluster %zu: %zu records\n", c.index + 1, c.count);
        for (size_t k = 0; k < c.count; k++) {
            char *nm = member_name(st, &c.members[k]);
            printf("  %s  %s\n", pd_uuid_format(b, &c.members[k]), nm ? nm : "");
            free(nm);
        }
        for (size_t k = 0; k < pp->n; k++) {
            printf("  pair %s %s  score %+.2f\n", pd_uuid_format(b, &pp->p[k].a),
                   pd_uuid_format(b2, &pp->p[k].b), pp->p[k].score);
            if (explain)
                print_explanation(mt, &pp->p[k], 0);
        }
    }
    if (rc == PD_ITEROVER)
        rc = 0;
    fprintf(jsonl ? stderr : stdout,
            "dedup: %zu records, %zu candidate pairs, %zu matching pairs, %zu clusters\n",
            stats.records, stats.candidate_pairs, stats.matched_pairs, stats.clusters);
out:
    for (size_t k = 0; cp && k < stats.clusters; k++)
        free(cp[k].p);
    free(cp);
    pd_match_pair_iter_free(pi);
    pd_match_cluster_iter_free(ci);
    free(cl_of);
    pd_matcher_free(mt);
    pd_store_close(st);
    if (rc < 0)
        return pd_cli_fail(cmd, rc);
    return PD_EXIT_OK;
}

/* ---- merge / unmerge ---------------------------------------------------------------------- */

static int parse_id(pd_uuid *u, const char *cmd, const char *s)
{
    if (pd_uuid_parse(u, s) < 0)
        return pd_cli_usage(cmd, "not a record id: %s", s);
    return 0;
}

int pd_cli_merge(int argc, char **argv)
{
    const char *cmd = argv[0], *pos[3] = {NULL, NULL, NULL};
    int npos = 0, bad = 0;
    pd_merge_options mo = PD_MERGE_OPTIONS_INIT;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reason"))
            mo.reason = arg_value(argc, argv, &i, cmd, &bad);
        else if (!strcmp(argv[i], "--decision"))
            mo.decision_number = arg_value(argc, argv, &i, cmd, &bad);
        else if (argv[i][0] == '-' && argv[i][1])
            return pd_cli_usage(cmd, "unknown option %s", argv[i]);
        else if (npos < 3)
            pos[npos++] = argv[i];
        else
            npos++;
        if (bad)
            return PD_EXIT_USAGE;
    }
    if (npos != 3)
        return pd_cli_usage(cmd, "merge DB SURVIVOR_ID LOSER_ID [--reason R] [--decision N]");
    pd_uuid s, l;
    int ec;
    if ((ec = parse_id(&s, cmd, pos[1])) || (ec = parse_id(&l, cmd, pos[2])))
        return ec;
    pd_store *st = NULL;
    if ((ec = open_store(&st, cmd, pos[0], 0)))
        return ec;
    int rc = pd_merge_members(st, &s, &l, &mo);
    pd_store_close(st);
    if (rc < 0)
        return pd_cli_fail(cmd, rc);
    printf("merged %s into %s (%s keeps redirecting)\n", pos[2], pos[1], pos[2]);
    return PD_EXIT_OK;
}

int pd_cli_unmerge(int argc, char **argv)
{
    const char *cmd = argv[0], *pos[2] = {NULL, NULL};
    int npos = 0, bad = 0;
    pd_merge_options mo = PD_MERGE_OPTIONS_INIT;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reason"))
            mo.reason = arg_value(argc, argv, &i, cmd, &bad);
        else if (argv[i][0] == '-' && argv[i][1])
            return pd_cli_usage(cmd, "unknown option %s", argv[i]);
        else if (npos < 2)
            pos[npos++] = argv[i];
        else
            npos++;
        if (bad)
            return PD_EXIT_USAGE;
    }
    if (npos != 2)
        return pd_cli_usage(cmd, "unmerge DB LOSER_ID [--reason R]");
    pd_uuid l;
    int ec;
    if ((ec = parse_id(&l, cmd, pos[1])))
        return ec;
    pd_store *st = NULL;
    if ((ec = open_store(&st, cmd, pos[0], 0)))
        return ec;
    int rc = pd_unmerge_member(st, &l, &mo);
    pd_store_close(st);
    if (rc < 0)
        return pd_cli_fail(cmd, rc);
    printf("unmerged %s: both records restored\n", pos[1]);
    return PD_EXIT_OK;
}

/* ---- org-merge ------------------------------------------------------------------------ */

static int parse_iso_date(pd_date *d, const char *s)
{
    int y = 0, m = 0, dd = 0, n = 0;
    for (; s[n] >= '0' && s[n] <= '9' && n < 4; n++)
        y = y * 10 + (s[n] - '0');
    if (n != 4 || s[4] != '-' || !(s[5] >= '0' && s[5] <= '9') || !(s[6] >= '0' && s[6] <= '9') ||
        s[7] != '-' || !(s[8] >= '0' && s[8] <= '9') || !(s[9] >= '0' && s[9] <= '9') || s[10])
        return -1;
    m = (s[5] - '0') * 10 + (s[6] - '0');
    dd = (s[8] - '0') * 10 + (s[9] - '0');
    if (m < 1 || m > 12 || dd < 1 || dd > 31)
        return -1;
    d->year = y;
    d->month = m;
    d->day = dd;
    return 0;
}

int pd_cli_org_merge(int argc, char **argv)
{
    const char *cmd = argv[0], *pos[3] = {NULL, NULL, NULL}, *table = NULL, *date = NULL;
    int npos = 0, bad = 0;
    pd_org_merge_options o = PD_ORG_MERGE_OPTIONS_INIT;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--decision"))
            o.decision_number = arg_value(argc, argv, &i, cmd, &bad);
        else if (!strcmp(argv[i], "--date"))
            date = arg_value(argc, argv, &i, cmd, &bad);
        else if (!strcmp(argv[i], "--reason"))
            o.reason = arg_value(argc, argv, &i, cmd, &bad);
        else if (!strcmp(argv[i], "--table"))
            table = arg_value(argc, argv, &i, cmd, &bad);
        else if (!strcmp(argv[i], "--dry-run"))
            o.dry_run = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return pd_cli_usage(cmd, "unknown option %s", argv[i]);
        else if (npos < 3)
            pos[npos++] = argv[i];
        else
            npos++;
        if (bad)
            return PD_EXIT_USAGE;
    }
    if ((table && npos != 1) || (!table && npos != 3) || !o.decision_number || !date)
        return pd_cli_usage(cmd, "org-merge DB FROM TO --decision N --date YYYY-MM-DD | "
                                 "org-merge DB --table FILE|2025 --decision N --date YYYY-MM-DD");
    if (parse_iso_date(&o.date, date) < 0)
        return pd_cli_usage(cmd, "--date wants YYYY-MM-DD, not %s", date);
    pd_uuid f, t;
    int ec;
    if (!table && ((ec = parse_id(&f, cmd, pos[1])) || (ec = parse_id(&t, cmd, pos[2]))))
        return ec;
    pd_store *st = NULL;
    if ((ec = open_store(&st, cmd, pos[0], 0)))
        return ec;
    pd_org_merge_counts c;
    memset(&c, 0, sizeof c);
    int rc = table ? pd_org_merge_table(&c, st, table, &o) : pd_org_merge(&c, st, &f, &t, &o);
    pd_store_close(st);
    if (rc < 0)
        return pd_cli_fail(cmd, rc);
    printf("%sorganizations merged: %zu\n", o.dry_run ? "(dry run) " : "", c.orgs_merged);
    printf("members moved: %zu\n", c.members_moved);
    printf("memberships closed: %zu\n", c.memberships_closed);
    printf("memberships opened: %zu\n", c.memberships_opened);
    printf("sub-organizations moved: %zu\n", c.suborgs_moved);
    printf("residence links moved: %zu\n", c.residence_links_moved);
    printf("events recorded: %zu\n", c.events);
    if (table)
        printf("rows skipped: %zu\n", c.skipped);
    return PD_EXIT_OK;
}
