/*
 * cmd_validate.c: `partydata validate FILE [--as-of D] [--today D]
 *                  [--format text|jsonl|markdown] [--rules] [--only CODES]
 *                  [--input-format pb|jsonl|csv] [--errors-only]`
 *
 * Reads any codec format, runs the record rules on each record and the set rules at
 * the end, and prints the findings: in text mode with rule, severity, path, record
 * position and both languages; in jsonl mode one pd_finding_to_json() object a line.
 * A record that cannot be decoded is a PD-R000 finding, counted, not fatal.
 * Exit: 0 no errors, 1 errors found, 2 usage, 3 I/O, 4 internal.
 * `--rules` prints the catalogue instead (`--format markdown`: docs/rules.md).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int parse_date_arg(pd_date *out, const char *s)
{
    /* YYYY, YYYY-MM, YYYY-MM-DD (ISO, locale-free) */
    int part[3] = { 0, 0, 0 };
    int np = 0;
    const char *p = s;
    while (np < 3) {
        int n = 0, digits = 0;
        while (*p >= '0' && *p <= '9' && digits < 5) {
            n = n * 10 + (*p - '0');
            p++;
            digits++;
        }
        if (!digits || (np == 0 && digits != 4) || (np > 0 && digits != 2))
            return -1;
        part[np++] = n;
        if (*p == '-' && np < 3) {
            p++;
            continue;
        }
        break;
    }
    if (*p)
        return -1;
    if (part[0] < 1 || part[1] > 12 || part[2] > 31 || (np >= 2 && part[1] < 1) ||
        (np == 3 && part[2] < 1))
        return -1;
    out->year = part[0];
    out->month = part[1];
    out->day = part[2];
    return 0;
}

static void print_date(FILE *fp, const pd_date *d, const char *open)
{
    if (!d->year)
        fputs(open, fp);
    else
        fprintf(fp, "%04d-%02d-%02d", d->year, d->month, d->day);
}

static int print_rules(const char *format)
{
    if (format && strcmp(format, "markdown") == 0) {
        char *md = NULL;
        int rc = pd_validate_rules_markdown(&md);
        if (rc < 0)
            return pd_cli_fail("validate", rc);
        fputs(md, stdout);
        pd_free(md);
        return PD_EXIT_OK;
    }
    size_t n = pd_validate_rule_count();
    for (size_t i = 0; i < n; i++) {
        const pd_rule *r = pd_validate_rule_get(i);
        if (format && strcmp(format, "jsonl") == 0) {
            /* reuse the finding encoder for the text fields: a finding with the rule */
            pd_finding f;
            memset(&f, 0, sizeof f);
            f.rule = r->code;
            f.severity = r->severity;
            f.path = r->paths;
            f.message_vi = r->message_vi;
            f.message_en = r->message_en;
            char *js = NULL;
            int rc = pd_finding_to_json(&js, &f);
            if (rc < 0)
                return pd_cli_fail("validate", rc);
            fputs(js, stdout);
            fputc('\n', stdout);
            pd_free(js);
            continue;
        }
        printf("%s  %-7s  ", r->code, pd_severity_name(r->severity));
        print_date(stdout, &r->valid_from, "…");
        fputs(" – ", stdout);
        print_date(stdout, &r->valid_to, "…");
        printf("\n    en: %s\n    vi: %s\n    reads: %s\n    source: %s\n", r->message_en,
               r->message_vi, r->paths, r->source);
    }
    return PD_EXIT_OK;
}

static int print_findings(pd_findings *list, const char *file, int jsonl)
{
    size_t n = pd_findings_count(list);
    for (size_t i = 0; i < n; i++) {
        const pd_finding *f = pd_findings_get(list, i);
        if (jsonl) {
            char *js = NULL;
            int rc = pd_finding_to_json(&js, f);
            if (rc < 0)
                return rc;
            fputs(js, stdout);
            fputc('\n', stdout);
            pd_free(js);
            continue;
        }
        char idbuf[PD_UUID_STRLEN];
        printf("%s:record %ld: %s %s%s [%s]", file, f->record, pd_severity_name(f->severity),
               f->rule, f->possible ? " (possible)" : "", f->path && *f->path ? f->path : "-");
        if (!pd_uuid_is_nil(&f->record_id))
            printf(" id=%s", pd_uuid_format(idbuf, &f->record_id));
        printf("\n    vi: %s\n    en: %s\n", f->message_vi, f->message_en);
    }
    pd_findings_clear(list);
    return 0;
}

static void usage(FILE *fp)
{
    fputs("usage: partydata validate FILE [--as-of YYYY-MM-DD] [--today YYYY-MM-DD]\n"
          "                          [--format text|jsonl] [--input-format pb|jsonl|csv]\n"
          "                          [--only CODES] [--errors-only]\n"
          "       partydata validate --rules [--format text|jsonl|markdown]\n"
          "FILE '-' is standard input. Exit: 0 no errors, 1 errors found, 2 usage, 3 I/O.\n",
          fp);
}

int pd_cli_validate(int argc, char **argv)
{
    const char *file = NULL, *format = NULL, *only = NULL, *in_format = NULL;
    int rules = 0;
    pd_validate_options vo = PD_VALIDATE_OPTIONS_INIT;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return PD_EXIT_OK;
        } else if (strcmp(a, "--rules") == 0) {
            rules = 1;
        } else if (strcmp(a, "--errors-only") == 0) {
            vo.flags |= PD_VALIDATE_SKIP_WARNINGS;
        } else if (strcmp(a, "--as-of") == 0 || strcmp(a, "--today") == 0 ||
                   strcmp(a, "--format") == 0 || strcmp(a, "--only") == 0 ||
                   strcmp(a, "--input-format") == 0) {
            if (i + 1 >= argc)
                return pd_cli_usage("validate", "%s needs a value", a);
            const char *val = argv[++i];
            if (strcmp(a, "--format") == 0) {
                format = val;
            } else if (strcmp(a, "--only") == 0) {
                only = val;
            } else if (strcmp(a, "--input-format") == 0) {
                in_format = val;
            } else {
                pd_date d;
                if (parse_date_arg(&d, val) < 0)
                    return pd_cli_usage("validate", "%s: bad date '%s' (YYYY-MM-DD)", a, val);
                if (strcmp(a, "--as-of") == 0)
                    vo.as_of = d;
                else
                    vo.today = d;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            return pd_cli_usage("validate", "unknown option %s", a);
        } else if (!file) {
            file = a;
        } else {
            return pd_cli_usage("validate", "more than one FILE");
        }
    }
    if (format && strcmp(format, "text") != 0 && strcmp(format, "jsonl") != 0 &&
        !(rules && strcmp(format, "markdown") == 0))
        return pd_cli_usage("validate", "unknown --format %s", format);
    if (rules)
        return print_rules(format);
    if (!file) {
        usage(stderr);
        return PD_EXIT_USAGE;
    }
    int jsonl = format && strcmp(format, "jsonl") == 0;
    vo.rules = only;

    pd_reader_options ro = PD_READER_OPTIONS_INIT;
    if (in_format) {
        if (pd_format_parse(&ro.format, in_format) < 0)
            return pd_cli_usage("validate", "unknown --input-format %s", in_format);
    } else if (strcmp(file, "-") == 0) {
        ro.format = PD_FORMAT_JSONL;
    }
    pd_validator *v = NULL;
    int rc = pd_validator_new(&v, &vo);
    if (rc < 0)
        return pd_cli_fail("validate", rc);
    pd_reader *rd = NULL;
    rc = pd_reader_open(&rd, file, &ro);
    if (rc < 0) {
        pd_validator_free(v);
        int code = pd_cli_fail("validate", rc);
        return (rc == PD_ENOTFOUND || rc == PD_EIO) ? PD_EXIT_IO : code;
    }
    pd_findings *list = NULL;
    if ((rc = pd_findings_new(&list)) < 0) {
        pd_reader_free(rd);
        pd_validator_free(v);
        return pd_cli_fail("validate", rc);
    }
    int exit_code = PD_EXIT_OK;
    for (;;) {
        pd_record *r = NULL;
        rc = pd_reader_next(&r, rd);
        if (rc == PD_ITEROVER)
            break;
        long idx = pd_reader_record_index(rd);
        if (rc == PD_EIO || rc == PD_ENOMEM) {
            exit_code = pd_cli_fail("validate", rc);
            if (rc == PD_EIO)
                exit_code = PD_EXIT_IO;
            break;
        }
        if (rc < 0) {
            const pd_error *e = pd_error_last();
            char *detail = NULL;
            if (e->line > 0)
                detail = malloc(strlen(e->message) + 64);
            if (detail)
                sprintf(detail, "%s (line %ld)", e->message, e->line);
            rc = pd_validator_add_decode_error(list, v, idx, detail);
            free(detail);
        } else {
            rc = pd_validator_add(list, v, r, idx);
            pd_record_free(r);
        }
        if (rc < 0 || print_findings(list, file, jsonl) < 0) {
            exit_code = pd_cli_fail("validate", rc < 0 ? rc : PD_ENOMEM);
            break;
        }
    }
    if (exit_code == PD_EXIT_OK) {
        rc = pd_validator_finish(list, v);
        if (rc < 0 || print_findings(list, file, jsonl) < 0)
            exit_code = pd_cli_fail("validate", rc < 0 ? rc : PD_ENOMEM);
    }
    size_t nrec = 0, nerr = 0, nwarn = 0, ninfo = 0;
    pd_validator_stats(v, &nrec, &nerr, &nwarn, &ninfo);
    if (exit_code == PD_EXIT_OK) {
        fprintf(stderr, "partydata validate: %zu records, %zu errors, %zu warnings, %zu info\n",
                nrec, nerr, nwarn, ninfo);
        if (nerr)
            exit_code = PD_EXIT_DATA;
    }
    fflush(stdout);
    if (ferror(stdout) && exit_code == PD_EXIT_OK)
        exit_code = PD_EXIT_IO;
    pd_findings_free(list);
    pd_reader_free(rd);
    pd_validator_free(v);
    return exit_code;
}
