/*
 * cmd_store.c: the store commands.
 *
 *   partydata init DB
 *   partydata import DB FILE... [--rejects F] [--strict] [--no-normalize]
 *                    [--no-validate] [--format pb|jsonl|csv] [--batch N]
 *   partydata export DB OUT [--org ID] [--format pb|jsonl|csv]
 *   partydata show DB ID|CCCD|CARD
 *   partydata history DB ID [--full]
 *   partydata stats DB [--by province,gender,status,...] [--format table|csv|json]
 *                      [--province P] [--status S] [--org ID]
 *   partydata check DB
 *
 * Exit: 0 success; 1 done but the data has problems (rejects, findings that need
 * review, a failed check); 2 usage; 3 I/O; 4 internal.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"

static int open_store(pd_store **st, const char *cmd, const char *path, unsigned flags)
{
    pd_store_options o = PD_STORE_OPTIONS_INIT;
    o.flags = flags;
    o.busy_timeout_ms = 5000;
    o.author = getenv("USER");
    int rc = pd_store_open(st, path, &o);
    return rc < 0 ? pd_cli_fail(cmd, rc) : 0;
}

int pd_cli_init(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return pd_cli_usage(argv[0], "usage: partydata init DB");
    pd_store *st = NULL;
    int rc = open_store(&st, "init", argv[1], PD_STORE_CREATE);
    if (rc)
        return rc;
    int v = 0;
    pd_store_schema_version(&v, st);
    pd_store_close(st);
    printf("%s: partydata store, schema version %d\n", argv[1], v);
    return PD_EXIT_OK;
}

/* ---- import ---------------------------------------------------------------------- */

static int import_progress(long long records, long long bytes, void *payload)
{
    (void)records;
    pd_cli_progress_update(payload, bytes);
    return 0;
}

static void print_counts(const char *what, const pd_import_stats *n)
{
    printf("%s: read %lld = inserted %lld + updated %lld + unchanged %lld + rejected %lld; "
           "findings %lld, needs review %lld, duplicate candidates %lld\n",
           what, n->read, n->inserted, n->updated, n->unchanged, n->rejected, n->findings,
           n->needs_review, n->duplicates);
}

static void add_counts(pd_import_stats *t, const pd_import_stats *n)
{
    t->read += n->read;
    t->inserted += n->inserted;
    t->updated += n->updated;
    t->unchanged += n->unchanged;
    t->rejected += n->rejected;
    t->findings += n->findings;
    t->needs_review += n->needs_review;
    t->duplicates += n->duplicates;
}

static int parse_format(int *out, const char *cmd, const char *s)
{
    pd_format f;
    if (pd_format_parse(&f, s) < 0)
        return pd_cli_usage(cmd, "unknown format '%s' (pb, jsonl, csv)", s);
    *out = (int)f;
    return 0;
}

int pd_cli_import(int argc, char **argv)
{
    pd_import_options o = PD_IMPORT_OPTIONS_INIT;
    const char *db = NULL;
    const char **files = calloc((size_t)argc, sizeof *files);
    int nfiles = 0, rc;
    if (!files)
        return PD_EXIT_INTERNAL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--rejects") && i + 1 < argc)
            o.rejects_path = argv[++i];
        else if (!strcmp(a, "--strict"))
            o.flags |= PD_IMPORT_STRICT;
        else if (!strcmp(a, "--no-normalize"))
            o.flags |= PD_IMPORT_NO_NORMALIZE;
        else if (!strcmp(a, "--no-validate"))
            o.flags |= PD_IMPORT_NO_VALIDATE;
        else if (!strcmp(a, "--format") && i + 1 < argc) {
            if ((rc = parse_format(&o.format, "import", argv[++i])) != 0) {
                free(files);
                return rc;
            }
        } else if (!strcmp(a, "--batch") && i + 1 < argc) {
            long n;
            if (pd_cli_parse_long(&n, argv[++i]) < 0 || n < 1) {
                free(files);
                return pd_cli_usage("import", "--batch needs a positive number");
            }
            o.batch_size = (size_t)n;
        } else if (a[0] == '-' && a[1]) {
            free(files);
            return pd_cli_usage("import", "unknown option %s", a);
        } else if (!db)
            db = a;
        else
            files[nfiles++] = a;
    }
    if (!db || nfiles == 0) {
        free(files);
        return pd_cli_usage("import", "usage: partydata import DB FILE... [--rejects F] "
                                      "[--strict] [--no-normalize] [--no-validate]");
    }
    if (o.rejects_path && nfiles > 1) {
        free(files);
        return pd_cli_usage("import", "--rejects takes one input file");
    }
    pd_store *st = NULL;
    if ((rc = open_store(&st, "import", db, PD_STORE_CREATE)) != 0) {
        free(files);
        return rc;
    }
    pd_import_stats total;
    memset(&total, 0, sizeof total);
    int exit_code = PD_EXIT_OK;
    for (int f = 0; f < nfiles; f++) {
        struct stat sb;
        pd_cli_progress p;
        pd_cli_progress_start(&p, "import", stat(files[f], &sb) == 0 ? (long long)sb.st_size : 0);
        o.progress = import_progress;
        o.payload = &p;
        pd_import_stats n;
        rc = pd_store_import(&n, st, files[f], &o);
        pd_cli_progress_end(&p);
        print_counts(files[f], &n);
        add_counts(&total, &n);
        if (rc < 0) {
            exit_code = pd_cli_fail("import", rc);
            break;
        }
    }
    if (nfiles > 1)
        print_counts("total", &total);
    if (total.rejected)
        fprintf(stderr, "partydata import: %lld rejected (reasons in the rejects table%s)\n",
                total.rejected, o.rejects_path ? " and the .reasons file" : "");
    if (exit_code == PD_EXIT_OK && (total.rejected || total.needs_review))
        exit_code = PD_EXIT_DATA;
    pd_store_close(st);
    free(files);
    return exit_code;
}

/* ---- export ------------------------------------------------------------------------- */

static int export_progress(long long records, long long bytes, void *payload)
{
    (void)bytes;
    pd_cli_progress_update(payload, records);
    return 0;
}

int pd_cli_export(int argc, char **argv)
{
    pd_export_options o = PD_EXPORT_OPTIONS_INIT;
    const char *db = NULL, *out = NULL;
    pd_uuid org;
    int rc;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--org") && i + 1 < argc) {
            if (pd_uuid_parse(&org, argv[++i]) < 0)
                return pd_cli_usage("export", "--org needs an organization id (UUID)");
            o.org = &org;
        } else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
            if ((rc = parse_format(&o.format, "export", argv[++i])) != 0)
                return rc;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return pd_cli_usage("export", "unknown option %s", argv[i]);
        } else if (!db)
            db = argv[i];
        else if (!out)
            out = argv[i];
        else
            return pd_cli_usage("export", "too many arguments");
    }
    if (!db || !out)
        return pd_cli_usage("export", "usage: partydata export DB OUT [--org ID] "
                                      "[--format pb|jsonl|csv]");
    if (o.format == PD_FORMAT_AUTO)
        o.format = strcmp(out, "-") ? (int)pd_format_from_path(out) : (int)PD_FORMAT_JSONL;
    if (o.format == PD_FORMAT_AUTO)
        o.format = PD_FORMAT_PB;
    pd_store *st = NULL;
    if ((rc = open_store(&st, "export", db, PD_STORE_READONLY)) != 0)
        return rc;
    /* write beside the target and rename at the end: never a partial file in its place */
    char *tmp = strcmp(out, "-") ? pd_cli_temp_path(out) : NULL;
    pd_cli_progress p;
    pd_cli_progress_start(&p, "export", 0); /* records of every kind: total unknown */
    o.progress = export_progress;
    o.payload = &p;
    long long n = 0;
    rc = pd_store_export(&n, st, tmp ? tmp : "-", &o);
    p.done = n;
    pd_cli_progress_end(&p);
    pd_store_close(st);
    if (rc == 0 && tmp && rename(tmp, out) != 0) {
        fprintf(stderr, "partydata export: cannot rename %s: %s\n", tmp, strerror(errno));
        rc = PD_EIO;
    }
    if (rc < 0) {
        if (tmp)
            remove(tmp);
        free(tmp);
        return pd_error_last()->code == rc ? pd_cli_fail("export", rc) : PD_EXIT_IO;
    }
    free(tmp);
    fprintf(stderr, "partydata export: %lld records written to %s\n", n, out);
    return PD_EXIT_OK;
}

/* ---- show / history -------------------------------------------------------------------- */

static void print_record(const pd_record *r)
{
    char *j = NULL;
    if (pd_record_to_json(&j, r, 0) == 0) {
        printf("%s\n", j);
        pd_free(j);
    }
}

int pd_cli_show(int argc, char **argv)
{
    if (argc != 3)
        return pd_cli_usage("show", "usage: partydata show DB ID|CCCD|CARD");
    pd_store *st = NULL;
    int rc = open_store(&st, "show", argv[1], PD_STORE_READONLY);
    if (rc)
        return rc;
    pd_record *r = NULL;
    pd_uuid id;
    if (pd_uuid_parse(&id, argv[2]) == 0)
        rc = pd_store_get(&r, st, &id);
    else if ((rc = pd_store_get_by_cccd(&r, st, argv[2])) == PD_ENOTFOUND)
        rc = pd_store_get_by_card(&r, st, argv[2]);
    if (rc < 0) {
        pd_store_close(st);
        return pd_cli_fail("show", rc);
    }
    print_record(r);
    pd_record_id(&id, r);
    pd_findings *f = NULL;
    int review = 0;
    pd_store_needs_review(&review, st, &id);
    if (pd_findings_new(&f) == 0 && pd_store_findings(f, st, &id) == 0) {
        for (size_t i = 0; i < pd_findings_count(f); i++) {
            const pd_finding *x = pd_findings_get(f, i);
            printf("  %s %-7s %s: %s\n", x->rule, pd_severity_name(x->severity), x->path,
                   x->message_en);
        }
    }
    if (review)
        printf("  (needs review)\n");
    pd_findings_free(f);
    pd_record_free(r);
    pd_store_close(st);
    return PD_EXIT_OK;
}

static void format_time(char buf[32], int64_t us)
{
    time_t t = (time_t)(us / 1000000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int pd_cli_history(int argc, char **argv)
{
    int full = 0;
    const char *db = NULL, *ids = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--full"))
            full = 1;
        else if (!db)
            db = argv[i];
        else if (!ids)
            ids = argv[i];
        else
            return pd_cli_usage("history", "too many arguments");
    }
    pd_uuid id;
    if (!db || !ids || pd_uuid_parse(&id, ids) < 0)
        return pd_cli_usage("history", "usage: partydata history DB ID [--full]");
    pd_store *st = NULL;
    int rc = open_store(&st, "history", db, PD_STORE_READONLY);
    if (rc)
        return rc;
    pd_store_history_iter *it = NULL;
    if ((rc = pd_store_history(&it, st, &id)) < 0) {
        pd_store_close(st);
        return pd_cli_fail("history", rc);
    }
    const pd_store_revision *rv;
    while ((rc = pd_store_history_next(&rv, it)) == 0) {
        char when[32];
        format_time(when, rv->timestamp_us);
        printf("revision %lld  %s  %-6s  by %s", (long long)rv->revision, when, rv->operation,
               rv->author ? rv->author : "?");
        if (rv->decision_number)
            printf("  decision %s", rv->decision_number);
        if (rv->reason)
            printf("  (%s)", rv->reason);
        printf("  [store revision %lld]\n", (long long)rv->store_revision);
        if (full && rv->record)
            print_record(rv->record);
    }
    pd_store_history_free(it);
    pd_store_close(st);
    return rc == PD_ITEROVER ? PD_EXIT_OK : pd_cli_fail("history", rc);
}

/* ---- stats ---------------------------------------------------------------------------- */

static void csv_field(const char *s)
{
    if (!s)
        return;
    if (strpbrk(s, ",\"\n")) {
        putchar('"');
        for (; *s; s++) {
            if (*s == '"')
                putchar('"');
            putchar(*s);
        }
        putchar('"');
    } else {
        fputs(s, stdout);
    }
}

static void json_string(const char *s)
{
    if (!s) {
        fputs("null", stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void print_stats(const pd_stats *s, const char *format)
{
    size_t nd = pd_stats_dims(s), nr = pd_stats_rows(s);
    if (!strcmp(format, "csv")) {
        for (size_t j = 0; j < nd; j++)
            printf("%s,", pd_stats_dim_name(s, j));
        printf("count\n");
        for (size_t i = 0; i < nr; i++) {
            for (size_t j = 0; j < nd; j++) {
                csv_field(pd_stats_key(s, i, j));
                putchar(',');
            }
            printf("%lld\n", pd_stats_count(s, i));
        }
        return;
    }
    if (!strcmp(format, "json")) {
        printf("[");
        for (size_t i = 0; i < nr; i++) {
            printf("%s\n {", i ? "," : "");
            for (size_t j = 0; j < nd; j++) {
                json_string(pd_stats_dim_name(s, j));
                putchar(':');
                json_string(pd_stats_key(s, i, j));
                putchar(',');
            }
            printf("\"count\":%lld}", pd_stats_count(s, i));
        }
        printf("\n]\n");
        return;
    }
    int w[9] = {0};
    for (size_t j = 0; j < nd && j < 8; j++) {
        w[j] = (int)strlen(pd_stats_dim_name(s, j));
        for (size_t i = 0; i < nr; i++) {
            const char *k = pd_stats_key(s, i, j);
            int l = k ? (int)strlen(k) : 1;
            if (l > w[j])
                w[j] = l;
        }
    }
    long long total = 0;
    for (size_t j = 0; j < nd && j < 8; j++)
        printf("%-*s  ", w[j], pd_stats_dim_name(s, j));
    printf("%10s\n", "count");
    for (size_t i = 0; i < nr; i++) {
        for (size_t j = 0; j < nd && j < 8; j++) {
            const char *k = pd_stats_key(s, i, j);
            printf("%-*s  ", w[j], k ? k : "-");
        }
        printf("%10lld\n", pd_stats_count(s, i));
        total += pd_stats_count(s, i);
    }
    if (nd)
        printf("%-*s%10lld\n", 0, "total ", total);
}

static int parse_status(int *out, const char *s)
{
    static const char *names[] = {NULL, "DU_BI", "CHINH_THUC", "XOA_TEN", "KHAI_TRU", "TU_TRAN"};
    const char *p = strncmp(s, "MEMBER_STATUS_", 14) ? s : s + 14;
    for (int i = 1; i <= 5; i++)
        if (!strcasecmp(p, names[i])) {
            *out = i;
            return 0;
        }
    return -1;
}

int pd_cli_stats(int argc, char **argv)
{
    const char *db = NULL, *by = "province", *format = "table";
    pd_store_query q = PD_STORE_QUERY_INIT;
    pd_uuid org;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--by") && i + 1 < argc)
            by = argv[++i];
        else if (!strcmp(a, "--format") && i + 1 < argc)
            format = argv[++i];
        else if (!strcmp(a, "--province") && i + 1 < argc)
            q.province_code = argv[++i];
        else if (!strcmp(a, "--status") && i + 1 < argc) {
            if (parse_status(&q.status, argv[++i]) < 0)
                return pd_cli_usage("stats", "unknown status %s", argv[i]);
        } else if (!strcmp(a, "--org") && i + 1 < argc) {
            if (pd_uuid_parse(&org, argv[++i]) < 0)
                return pd_cli_usage("stats", "--org needs an organization id");
            q.org = &org;
        } else if (a[0] == '-' && a[1])
            return pd_cli_usage("stats", "unknown option %s", a);
        else if (!db)
            db = a;
        else
            return pd_cli_usage("stats", "too many arguments");
    }
    if (!db)
        return pd_cli_usage("stats", "usage: partydata stats DB [--by DIM,...] "
                                     "[--format table|csv|json]");
    if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json"))
        return pd_cli_usage("stats", "unknown format %s (table, csv, json)", format);
    pd_store *st = NULL;
    int rc = open_store(&st, "stats", db, PD_STORE_READONLY);
    if (rc)
        return rc;
    pd_stats *s = NULL;
    if ((rc = pd_store_stats(&s, st, by, &q)) < 0) {
        pd_store_close(st);
        return rc == PD_EINVALID ? (pd_cli_fail("stats", rc), PD_EXIT_USAGE)
                                 : pd_cli_fail("stats", rc);
    }
    print_stats(s, format);
    pd_stats_free(s);
    pd_store_close(st);
    return PD_EXIT_OK;
}

int pd_cli_check(int argc, char **argv)
{
    if (argc != 2)
        return pd_cli_usage("check", "usage: partydata check DB");
    pd_store *st = NULL;
    int rc = open_store(&st, "check", argv[1], PD_STORE_READONLY);
    if (rc)
        return rc;
    pd_strarray problems = {0};
    if ((rc = pd_store_check(&problems, st)) < 0) {
        pd_store_close(st);
        return pd_cli_fail("check", rc);
    }
    for (size_t i = 0; i < problems.count; i++)
        printf("%s\n", problems.strings[i]);
    long long members = 0;
    pd_store_count(&members, st, NULL);
    if (problems.count == 0)
        printf("%s: ok (%lld members)\n", argv[1], members);
    int code = problems.count ? PD_EXIT_DATA : PD_EXIT_OK;
    pd_strarray_dispose(&problems);
    pd_store_close(st);
    return code;
}
