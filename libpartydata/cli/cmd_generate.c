/*
 * cmd_generate.c: `partydata generate` (synthetic data with ground truth) and
 * `partydata score` (findings / clusters against the truth).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void generate_help(FILE *fp)
{
    fprintf(fp,
        "usage: partydata generate [--members N] [--province CODE|all] [--seed S]\n"
        "                          [--dirty RATE] [--duplicates RATE] [--truth FILE]\n"
        "                          [--format jsonl|pb] [--pre2025] [--no-orgs]\n"
        "                          [--as-of YYYY-MM-DD] OUT\n"
        "\n"
        "Write a synthetic world: the organization tree (central, provinces, commune\n"
        "committees, grassroots committees and cells, from the reference data) and N\n"
        "members (default 1000) with realistic names, dates, events and memberships.\n"
        "--province limits it to one province (2-digit code of the 2025 list, or of the\n"
        "pre-2025 list with --pre2025). --dirty RATE (0..1) injects defects into that\n"
        "share of member records (missing diacritics, NFD, tone-mark placement, Ð for\n"
        "Đ, double spaces, wrong case, typing slips, day/month swaps, year-only dates,\n"
        "a wrong CCCD digit, old place names, wrong ethnicity list); --duplicates RATE\n"
        "enters that share of persons again, with variations. --truth FILE gets one\n"
        "JSON line per defect and per duplicate cluster. The same --seed gives the same\n"
        "output. OUT (.jsonl or .pb, or --format; `-` = stdout) is written to a\n"
        "temporary file and renamed at the end. The world's date is 2025-10-01\n"
        "(2025-06-01 with --pre2025) unless --as-of is given.\n"
        "\n"
        "exit codes: 0 ok, 2 bad command line or option, 3 I/O error, 4 internal\n");
}

static void score_help(FILE *fp)
{
    fprintf(fp,
        "usage: partydata score --truth T (--findings F | --clusters C) [--format text|json]\n"
        "\n"
        "Score findings (JSONL of `partydata validate --format jsonl`) or duplicate\n"
        "clusters (JSONL of `partydata dedup --format jsonl`) against the truth file of\n"
        "`partydata generate --truth`. Findings: a finding matches a defect when the\n"
        "record id is the same and one field path is a prefix of the other; recall,\n"
        "precision and F1 per defect kind, per rule (precision) and overall. Clusters:\n"
        "pairwise and exact-cluster precision, recall and F1.\n"
        "\n"
        "exit codes: 0 ok, 2 bad command line, 3 a file could not be read, 1 bad input\n");
}

static int parse_date_arg(pd_date *d, const char *s)
{
    int y, m, dd;
    char tail;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3 || y < 1930 || y > 9999 || m < 1 ||
        m > 12 || dd < 1 || dd > 31)
        return -1;
    d->year = y; d->month = m; d->day = dd;
    return 0;
}

typedef struct prog_ctx { pd_cli_progress bar; } prog_ctx;

int pd_cli_generate(int argc, char **argv)
{
    pd_generate_options o;
    pd_generate_options_init(&o, PD_GENERATE_OPTIONS_VERSION);
    const char *out = NULL, *truth = NULL;
    pd_format fmt = PD_FORMAT_AUTO;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) { generate_help(stdout); return PD_EXIT_OK; }
        int needs = !strcmp(s, "--members") || !strcmp(s, "--province") || !strcmp(s, "--seed") ||
                    !strcmp(s, "--dirty") || !strcmp(s, "--duplicates") || !strcmp(s, "--truth") ||
                    !strcmp(s, "--format") || !strcmp(s, "--as-of");
        if (needs && i + 1 >= argc) return pd_cli_usage("generate", "%s needs a value", s);
        if (!strcmp(s, "--members")) {
            long n;
            if (pd_cli_parse_long(&n, argv[++i]) < 0 || n < 1)
                return pd_cli_usage("generate", "--members must be a whole number >= 1, not '%s'", argv[i]);
            o.members = n;
        } else if (!strcmp(s, "--province")) {
            o.province = argv[++i];
        } else if (!strcmp(s, "--seed")) {
            long n;
            if (pd_cli_parse_long(&n, argv[++i]) < 0)
                return pd_cli_usage("generate", "--seed must be a whole number >= 0, not '%s'", argv[i]);
            o.seed = (uint64_t)n;
        } else if (!strcmp(s, "--dirty") || !strcmp(s, "--duplicates")) {
            double v;
            if (pd_cli_parse_double(&v, argv[++i], 0.0, 1.0) < 0)
                return pd_cli_usage("generate", "%s must be a rate between 0 and 1, not '%s'", s, argv[i]);
            if (s[2] == 'd' && s[3] == 'i') o.dirty = v; else o.duplicates = v;
        } else if (!strcmp(s, "--truth")) {
            truth = argv[++i];
        } else if (!strcmp(s, "--format")) {
            const char *f = argv[++i];
            if (!strcmp(f, "jsonl")) fmt = PD_FORMAT_JSONL;
            else if (!strcmp(f, "pb")) fmt = PD_FORMAT_PB;
            else return pd_cli_usage("generate", "--format must be jsonl or pb, not '%s'", f);
        } else if (!strcmp(s, "--as-of")) {
            if (parse_date_arg(&o.as_of, argv[++i]) < 0)
                return pd_cli_usage("generate", "--as-of must be YYYY-MM-DD, not '%s'", argv[i]);
        } else if (!strcmp(s, "--pre2025")) {
            o.flags |= PD_GENERATE_PRE2025;
        } else if (!strcmp(s, "--no-orgs")) {
            o.flags |= PD_GENERATE_NO_ORGS;
        } else if (s[0] == '-' && s[1] != 0) {
            return pd_cli_usage("generate", "unknown option '%s'", s);
        } else if (!out) {
            out = s;
        } else {
            return pd_cli_usage("generate", "too many arguments");
        }
    }
    if (!out) return pd_cli_usage("generate", "needs OUT (a .jsonl or .pb file, or -)");
    if (fmt == PD_FORMAT_AUTO) {
        fmt = strcmp(out, "-") ? pd_format_from_path(out) : PD_FORMAT_JSONL;
        if (fmt == PD_FORMAT_AUTO) fmt = PD_FORMAT_JSONL;
        if (fmt == PD_FORMAT_CSV)
            return pd_cli_usage("generate", "CSV holds members only: write .jsonl or .pb");
    }
    pd_generator *g = NULL;
    int rc = pd_generator_new(&g, &o);
    if (rc == PD_EINVALID || rc == PD_ENOTFOUND) {
        const pd_error *e = pd_error_last();
        return pd_cli_usage("generate", "%s", e && e->message ? e->message : "bad option");
    }
    if (rc) return pd_cli_fail("generate", rc);
    pd_cli_out fo, to;
    memset(&to, 0, sizeof to);
    if (pd_cli_out_open(&fo, out) < 0) { pd_generator_free(g); return PD_EXIT_IO; }
    if (truth && pd_cli_out_open(&to, truth) < 0) {
        pd_cli_out_close(&fo, 0);
        pd_generator_free(g);
        return PD_EXIT_IO;
    }
    pd_writer *w = NULL;
    pd_writer_options wo;
    pd_writer_options_init(&wo, PD_WRITER_OPTIONS_VERSION);
    wo.format = fmt;
    rc = pd_writer_open_file(&w, fo.fp, &wo);
    pd_cli_progress bar;
    pd_cli_progress_start(&bar, "generate", pd_generator_expected(g));
    long long n = 0;
    int io_bad = 0;
    while (!rc) {
        pd_record *r = NULL;
        rc = pd_generator_next(&r, g);
        if (rc == PD_ITEROVER) { rc = 0; break; }
        if (rc) break;
        rc = pd_writer_write(w, r);
        pd_record_free(r);
        if (rc) break;
        pd_truth_item it;
        while (pd_generator_truth_next(&it, g) == 0) {
            if (!truth) continue;
            char *line = NULL;
            if ((rc = pd_truth_item_to_json(&line, &it)) != 0) break;
            if (fputs(line, to.fp) < 0 || fputc('\n', to.fp) < 0) io_bad = 1;
            pd_free(line);
        }
        if ((++n & 8191) == 0) pd_cli_progress_update(&bar, n);
    }
    pd_cli_progress_end(&bar);
    int wrc = w ? pd_writer_close(w) : 0;
    if (!rc && wrc) rc = wrc;
    if (!rc && io_bad) rc = PD_EIO;
    int ok = rc == 0;
    int crc = pd_cli_out_close(&fo, ok);
    if (truth) crc |= pd_cli_out_close(&to, ok);
    pd_generate_stats st;
    pd_generator_stats(&st, g);
    pd_generator_free(g);
    if (rc) return pd_cli_fail("generate", rc);
    if (crc) return PD_EXIT_IO;
    fprintf(stderr,
            "generated %lld organizations, %lld member records (%lld persons, %lld duplicates), "
            "%lld dirty records with %lld defects, %lld clusters\n",
            st.organizations, st.members, st.persons, st.duplicates, st.dirty_records, st.defects,
            st.clusters);
    return PD_EXIT_OK;
}

int pd_cli_score(int argc, char **argv)
{
    const char *truth = NULL, *findings = NULL, *clusters = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) { score_help(stdout); return PD_EXIT_OK; }
        if ((!strcmp(s, "--truth") || !strcmp(s, "--findings") || !strcmp(s, "--clusters") ||
             !strcmp(s, "--format")) && i + 1 >= argc)
            return pd_cli_usage("score", "%s needs a value", s);
        if (!strcmp(s, "--truth")) truth = argv[++i];
        else if (!strcmp(s, "--findings")) findings = argv[++i];
        else if (!strcmp(s, "--clusters")) clusters = argv[++i];
        else if (!strcmp(s, "--format")) {
            const char *f = argv[++i];
            if (!strcmp(f, "json")) json = 1;
            else if (!strcmp(f, "text")) json = 0;
            else return pd_cli_usage("score", "--format must be text or json, not '%s'", f);
        } else return pd_cli_usage("score", "unknown argument '%s'", s);
    }
    if (!truth) return pd_cli_usage("score", "needs --truth FILE");
    if (!findings == !clusters) return pd_cli_usage("score", "needs one of --findings F or --clusters C");
    pd_score *sc = NULL;
    int rc = findings ? pd_score_findings(&sc, truth, findings) : pd_score_clusters(&sc, truth, clusters);
    if (rc) return pd_cli_fail("score", rc);
    char *txt = NULL;
    rc = json ? pd_score_to_json(&txt, sc) : pd_score_to_text(&txt, sc);
    pd_score_free(sc);
    if (rc) return pd_cli_fail("score", rc);
    fputs(txt, stdout);
    if (json) fputc('\n', stdout);
    pd_free(txt);
    return PD_EXIT_OK;
}
