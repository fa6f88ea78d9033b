/*
 * cmd_normalize.c: `partydata normalize IN OUT [--findings F]`: clean records and
 * report every change.
 */
#include <string.h>

#include "cli.h"
#include "partydata/codec.h"
#include "partydata/normalize.h"

static void normalize_help(FILE *fp)
{
    fprintf(fp,
        "usage: partydata normalize IN OUT [--findings FILE] [--from F] [--to F]\n"
        "                           [--dry-run] [--keep-original] [--no-places]\n"
        "                           [--pre2025-places] [--convert-codes]\n"
        "                           [--ethnic-list 1979|2008]\n"
        "\n"
        "Read the records of IN (pb, jsonl or csv, from the extension or --from),\n"
        "normalize them (Unicode NFC, spaces, look-alike letters, apostrophes, name\n"
        "case, phones, id numbers, place names -> administrative codes, ethnicity and\n"
        "religion names -> codes, date precision) and write them to OUT. Every change\n"
        "is a finding (rule PD-N0xx, path, old and new value): with --findings they\n"
        "are written there as JSON Lines, otherwise a summary per rule goes to stderr.\n"
        "Nothing is changed silently; what cannot be fixed safely (invalid UTF-8,\n"
        "CCCD numbers that lost their leading zeros, ambiguous names) is reported as a\n"
        "warning and left as it was.\n"
        "\n"
        "  --dry-run          report the changes, write the records unchanged\n"
        "  --keep-original    keep a changed full name in the member's aliases\n"
        "  --no-places        do not resolve addresses to codes\n"
        "  --pre2025-places   keep pre-2025 codes instead of converting to 2025 units\n"
        "  --convert-codes    also convert addresses coded pre-2025 to 2025 successors\n"
        "  --ethnic-list L    list for ethnic codes set from names (default 2008)\n"
        "\n"
        "exit codes: 0 done, 1 done but some records could not be read, 2 usage,\n"
        "3 I/O error, 4 internal failure\n");
}

typedef struct rule_count {
    char rule[16];
    long n;
} rule_count;

int pd_cli_normalize(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *findings_path = NULL;
    pd_reader_options ro;
    pd_writer_options wo;
    pd_normalize_options no;
    pd_reader *rd = NULL;
    pd_writer *wr = NULL;
    pd_findings *fs = NULL;
    pd_cli_out fo = {NULL, NULL, NULL};
    rule_count counts[64];
    size_t ncounts = 0, i;
    long nrec = 0, nbad = 0, nchanged = 0;
    int rc = 0, exit_code = PD_EXIT_OK, fo_open = 0;

    pd_reader_options_init(&ro, PD_READER_OPTIONS_VERSION);
    pd_writer_options_init(&wo, PD_WRITER_OPTIONS_VERSION);
    pd_normalize_options_init(&no, PD_NORMALIZE_OPTIONS_VERSION);
    for (int a = 1; a < argc; a++) {
        const char *s = argv[a];
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            normalize_help(stdout);
            return PD_EXIT_OK;
        }
        if ((!strcmp(s, "--findings") || !strcmp(s, "--from") || !strcmp(s, "--to") ||
             !strcmp(s, "--ethnic-list")) && a + 1 >= argc)
            return pd_cli_usage("normalize", "%s needs a value", s);
        if (!strcmp(s, "--findings"))
            findings_path = argv[++a];
        else if (!strcmp(s, "--from")) {
            if (pd_format_parse(&ro.format, argv[++a]) < 0)
                return pd_cli_usage("normalize", "unknown format '%s'", argv[a]);
        } else if (!strcmp(s, "--to")) {
            if (pd_format_parse(&wo.format, argv[++a]) < 0)
                return pd_cli_usage("normalize", "unknown format '%s'", argv[a]);
        } else if (!strcmp(s, "--ethnic-list")) {
            const char *l = argv[++a];
            if (!strcmp(l, "1979"))
                no.ethnic_list = PD_ETHNIC_LIST_1979;
            else if (!strcmp(l, "2008"))
                no.ethnic_list = PD_ETHNIC_LIST_2008;
            else
                return pd_cli_usage("normalize", "--ethnic-list is 1979 or 2008");
        } else if (!strcmp(s, "--dry-run"))
            no.flags |= PD_NORMALIZE_DRY_RUN;
        else if (!strcmp(s, "--keep-original"))
            no.flags |= PD_NORMALIZE_KEEP_ORIGINAL;
        else if (!strcmp(s, "--no-places"))
            no.flags |= PD_NORMALIZE_NO_PLACES;
        else if (!strcmp(s, "--pre2025-places"))
            no.flags |= PD_NORMALIZE_PLACES_PRE2025;
        else if (!strcmp(s, "--convert-codes"))
            no.flags |= PD_NORMALIZE_CONVERT_CODES;
        else if (s[0] == '-' && s[1] != '\0')
            return pd_cli_usage("normalize", "unknown option '%s'", s);
        else if (!in)
            in = s;
        else if (!out)
            out = s;
        else
            return pd_cli_usage("normalize", "too many arguments");
    }
    if (!in || !out)
        return pd_cli_usage("normalize", "IN and OUT are required (see --help)");
    if (wo.format == PD_FORMAT_AUTO && ro.format != PD_FORMAT_AUTO && !strcmp(out, "-"))
        wo.format = ro.format;

    if ((rc = pd_reader_open(&rd, in, &ro)) != 0)
        return pd_cli_fail("normalize", rc);
    if ((rc = pd_writer_open(&wr, out, &wo)) != 0) {
        pd_reader_free(rd);
        return pd_cli_fail("normalize", rc);
    }
    if ((rc = pd_findings_new(&fs)) != 0)
        goto fail;
    if (findings_path) {
        if (pd_cli_out_open(&fo, findings_path) != 0) {
            fprintf(stderr, "partydata normalize: cannot write %s\n", findings_path);
            exit_code = PD_EXIT_IO;
            goto done;
        }
        fo_open = 1;
    }
    for (;;) {
        pd_record *r = NULL;
        rc = pd_reader_next(&r, rd);
        if (rc == PD_ITEROVER) {
            rc = 0;
            break;
        }
        if (rc == PD_EIO)
            goto fail;
        if (rc < 0) {
            pd_cli_fail("normalize", rc);
            nbad++;
            continue;
        }
        nrec++;
        pd_findings_clear(fs);
        no.record = pd_reader_record_index(rd);
        rc = pd_normalize_record(r, fs, &no);
        if (rc == 0)
            rc = pd_writer_write(wr, r);
        pd_record_free(r);
        if (rc)
            goto fail;
        if (pd_findings_count(fs) > 0)
            nchanged++;
        for (i = 0; i < pd_findings_count(fs); i++) {
            const pd_finding *f = pd_findings_get(fs, i);
            size_t k;
            if (fo_open) {
                char *js = NULL;
                if ((rc = pd_finding_to_json(&js, f)) != 0)
                    goto fail;
                fputs(js, fo.fp);
                fputc('\n', fo.fp);
                pd_free(js);
            }
            for (k = 0; k < ncounts; k++)
                if (!strcmp(counts[k].rule, f->rule))
                    break;
            if (k == ncounts && ncounts < sizeof counts / sizeof counts[0]) {
                strncpy(counts[k].rule, f->rule, sizeof counts[k].rule - 1);
                counts[k].rule[sizeof counts[k].rule - 1] = '\0';
                counts[k].n = 0;
                ncounts++;
            }
            if (k < ncounts)
                counts[k].n++;
        }
    }
    if ((rc = pd_writer_close(wr)) != 0) {
        wr = NULL;
        goto fail;
    }
    wr = NULL;
    if (fo_open) {
        fo_open = 0;
        if (pd_cli_out_close(&fo, 1) != 0) {
            fprintf(stderr, "partydata normalize: cannot write %s\n", findings_path);
            exit_code = PD_EXIT_IO;
            goto done;
        }
    }
    fprintf(stderr, "partydata normalize: %ld records, %ld changed or flagged, %ld unreadable%s\n", nrec,
            nchanged, nbad, (no.flags & PD_NORMALIZE_DRY_RUN) ? " (dry run: nothing changed)" : "");
    if (!findings_path)
        for (i = 0; i < ncounts; i++)
            fprintf(stderr, "  %s  %ld\n", counts[i].rule, counts[i].n);
    exit_code = nbad ? PD_EXIT_DATA : PD_EXIT_OK;
    goto done;
fail:
    exit_code = pd_cli_fail("normalize", rc);
done:
    if (fo_open)
        pd_cli_out_close(&fo, 0);
    if (wr)
        pd_writer_close(wr);
    pd_reader_free(rd);
    pd_findings_free(fs);
    return exit_code;
}
