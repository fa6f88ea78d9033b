/*
 * cmd_codec.c: `partydata convert IN OUT [--from F] [--to F]`: change the format of a
 * record stream, never its content.
 */
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static void convert_help(FILE *fp)
{
    fprintf(fp,
        "usage: partydata convert IN OUT [--from F] [--to F] [--max-record-bytes N]\n"
        "                         [--ignore-unknown] [--rejects FILE]\n"
        "\n"
        "Copy the records of IN to OUT in another format. Formats: pb (protobuf\n"
        "length-delimited Record stream), jsonl (JSON Lines, protobuf JSON mapping),\n"
        "csv (members only, one column per field path). They are guessed from the\n"
        "extensions .pb, .jsonl and .csv; `-` is standard input or output (then give\n"
        "--from/--to, or pb is assumed).\n"
        "\n"
        "The content never changes: every record valid under the schema survives\n"
        "pb -> jsonl -> pb byte for byte, except unknown protobuf fields (JSON cannot\n"
        "carry them) and, for CSV, empty sub-messages and repeated fields longer than\n"
        "the CSV columns (such records are rejected).\n"
        "\n"
        "Bad records are reported on stderr with their position and skipped (and\n"
        "copied as they were to --rejects FILE); the rest is converted. OUT is written\n"
        "to a temporary file and renamed at the end.\n"
        "\n"
        "exit codes:\n"
        "  0  every record converted\n"
        "  1  done, but some records were rejected\n"
        "  2  bad command line\n"
        "  3  a file could not be read or written\n"
        "  4  internal failure (out of memory, ...)\n");
}

typedef struct convert_args {
    const char *in, *out, *rejects;
    pd_format from, to;
    long max_bytes;
    unsigned flags;
} convert_args;

static int parse_args(convert_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof(*a));
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if ((!strcmp(s, "--from") || !strcmp(s, "--to") || !strcmp(s, "--rejects") ||
             !strcmp(s, "--max-record-bytes")) && i + 1 >= argc)
            return pd_cli_usage("convert", "%s needs a value", s);
        if (!strcmp(s, "--from") || !strcmp(s, "--to")) {
            pd_format f;
            if (pd_format_parse(&f, argv[++i]) < 0)
                return pd_cli_usage("convert", "unknown format '%s'", argv[i]);
            *(s[2] == 'f' ? &a->from : &a->to) = f;
        } else if (!strcmp(s, "--rejects")) {
            a->rejects = argv[++i];
        } else if (!strcmp(s, "--max-record-bytes")) {
            if (pd_cli_parse_long(&a->max_bytes, argv[++i]) < 0 || a->max_bytes == 0)
                return pd_cli_usage("convert", "bad --max-record-bytes '%s'", argv[i]);
        } else if (!strcmp(s, "--ignore-unknown")) {
            a->flags |= PD_JSON_IGNORE_UNKNOWN;
        } else if (s[0] == '-' && s[1] == '-') {
            return pd_cli_usage("convert", "unknown option '%s'", s);
        } else if (!a->in) {
            a->in = s;
        } else if (!a->out) {
            a->out = s;
        } else {
            return pd_cli_usage("convert", "too many arguments");
        }
    }
    if (!a->in || !a->out)
        return pd_cli_usage("convert", "needs IN and OUT");
    if (a->from == PD_FORMAT_AUTO && strcmp(a->in, "-"))
        a->from = pd_format_from_path(a->in);
    if (a->to == PD_FORMAT_AUTO)
        a->to = strcmp(a->out, "-") ? pd_format_from_path(a->out) : PD_FORMAT_AUTO;
    if (a->to == PD_FORMAT_AUTO && strcmp(a->out, "-"))
        return pd_cli_usage("convert", "cannot tell the format of '%s': give --to", a->out);
    if (a->to == PD_FORMAT_AUTO)
        a->to = PD_FORMAT_PB;
    return PD_EXIT_OK;
}

/* Copy the last record as it was read to the rejects file, in the input's format
 * (a length prefix for protobuf, a newline for text). */
static void keep_reject(pd_reader *rd, FILE *rej)
{
    size_t n;
    const unsigned char *raw = rej ? pd_reader_raw(rd, &n) : NULL;
    if (!raw)
        return;
    int pb = pd_reader_format(rd) == PD_FORMAT_PB;
    if (pb) {
        size_t v = n;
        do {
            fputc((int)((v & 0x7f) | (v > 0x7f ? 0x80 : 0)), rej);
            v >>= 7;
        } while (v);
    }
    fwrite(raw, 1, n, rej);
    if (!pb)
        fputc('\n', rej);
}

static int run_convert(const convert_args *a)
{
    pd_reader_options ro = PD_READER_OPTIONS_INIT;
    ro.format = a->from;
    ro.flags = a->flags;
    ro.max_record_bytes = (size_t)a->max_bytes;
    pd_reader *rd = NULL;
    int rc = pd_reader_open(&rd, a->in, &ro);
    if (rc < 0)
        return pd_cli_fail("convert", rc);
    pd_cli_out out, rej = {0};
    if (pd_cli_out_open(&out, a->out) < 0) {
        pd_reader_free(rd);
        return PD_EXIT_IO;
    }
    if (a->rejects && pd_cli_out_open(&rej, a->rejects) < 0) {
        pd_cli_out_close(&out, 0);
        pd_reader_free(rd);
        return PD_EXIT_IO;
    }
    pd_writer_options wo = PD_WRITER_OPTIONS_INIT;
    wo.format = a->to;
    pd_writer *w = NULL;
    rc = pd_writer_open_file(&w, out.fp, &wo);
    long ok = 0, bad = 0;
    long long total = 0;
    struct stat st;
    if (strcmp(a->in, "-") && stat(a->in, &st) == 0)
        total = (long long)st.st_size;
    pd_cli_progress prog;
    pd_cli_progress_start(&prog, "convert", total >= (1 << 20) ? total : 0);
    if (total < (1 << 20))
        prog.enabled = 0;
    while (rc >= 0) {
        pd_record *r = NULL;
        rc = pd_reader_next(&r, rd);
        if (rc == PD_ITEROVER) {
            rc = 0;
            break;
        }
        if (rc == PD_EIO || rc == PD_ENOMEM)
            break;
        if (rc < 0) {
            bad++;
            pd_cli_fail("convert", rc);
            keep_reject(rd, rej.fp);
            rc = 0;
            continue;
        }
        rc = pd_writer_write(w, r);
        pd_record_free(r);
        if (rc == PD_EINVALID || rc == PD_ELIMIT) { /* this record cannot go to this format */
            const pd_error *e = pd_error_last();
            bad++;
            fprintf(stderr, "partydata convert: record %ld not written: %s%s%s\n",
                    pd_reader_record_index(rd), e->message, e->field_path ? " at " : "",
                    e->field_path ? e->field_path : "");
            keep_reject(rd, rej.fp);
            rc = 0;
            continue;
        }
        if (rc == 0)
            ok++;
        if ((ok & 1023) == 0)
            pd_cli_progress_update(&prog, pd_reader_offset(rd));
    }
    pd_cli_progress_end(&prog);
    int wrc = pd_writer_close(w);
    if (rc >= 0 && wrc < 0)
        rc = wrc;
    int exit_code = rc < 0 ? pd_cli_fail("convert", rc) : (bad ? PD_EXIT_DATA : PD_EXIT_OK);
    pd_reader_free(rd);
    if (pd_cli_out_close(&out, rc >= 0) < 0 && exit_code == PD_EXIT_OK)
        exit_code = PD_EXIT_IO;
    if (a->rejects && pd_cli_out_close(&rej, 1) < 0 && exit_code == PD_EXIT_OK)
        exit_code = PD_EXIT_IO;
    fprintf(stderr, "partydata convert: %ld records read, %ld converted, %ld rejected\n",
            ok + bad, ok, bad);
    return exit_code;
}

int pd_cli_convert(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            convert_help(stdout);
            return PD_EXIT_OK;
        }
    convert_args a;
    int rc = parse_args(&a, argc, argv);
    if (rc != PD_EXIT_OK)
        return rc;
    return run_convert(&a);
}
