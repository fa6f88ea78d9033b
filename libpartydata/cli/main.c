/*
 * main.c: the `partydata` command dispatcher.
 */
#include <string.h>

#include "cli.h"

typedef struct command {
    const char *name;
    pd_cli_fn fn;
    const char *summary;
} command;

static const command commands[] = {
    {"convert", pd_cli_convert, "convert IN OUT [--from F] [--to F]   change format, never content"},
    {"normalize", pd_cli_normalize, "normalize IN OUT                     clean records, report every change"},
    {"validate", pd_cli_validate, "validate FILE [--as-of D] [--format text|jsonl] [--rules]"},
    {"refdata", pd_cli_refdata, "refdata provinces|communes|ethnic|religions|lookup ...  reference tables"},
    {"generate", pd_cli_generate, "generate [--members N] [--province C|all] [--seed S] ... OUT"},
    {"score", pd_cli_score, "score --truth T (--findings F | --clusters C)"},
    {"init", pd_cli_init, "init DB                              create a database"},
    {"import", pd_cli_import, "import DB FILE... [--rejects F] [--strict]"},
    {"export", pd_cli_export, "export DB OUT [--org ID]"},
    {"show", pd_cli_show, "show DB ID|CCCD"},
    {"history", pd_cli_history, "history DB ID"},
    {"stats", pd_cli_stats, "stats DB [--by province,gender,status,...] [--format table|csv|json]"},
    {"check", pd_cli_check, "check DB                             integrity and validation"},
    {"dedup", pd_cli_dedup, "dedup DB [--threshold T] [--explain] [--format text|jsonl]"},
    {"merge", pd_cli_merge, "merge DB ID ID                       merge two member records"},
    {"unmerge", pd_cli_unmerge, "unmerge DB ID                        undo a merge"},
    {"org-merge", pd_cli_org_merge, "org-merge DB FROM TO --decision N --date D | --table F"},
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: partydata COMMAND [ARGS]\n       partydata --help | --version\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(fp, "  %s\n", commands[i].summary);
    fprintf(fp, "\nexit codes:\n"
                "  0  success\n"
                "  1  done, but the data has problems (errors found, records rejected)\n"
                "  2  bad command line\n"
                "  3  a file could not be read or written\n"
                "  4  internal failure (out of memory, ...)\n"
                "\n`partydata COMMAND --help` describes one command; see also partydata(1).\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return PD_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return PD_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("partydata %s (libpartydata %s)\n", PD_VERSION, pd_version_string());
        return PD_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "partydata: unknown command '%s' (try --help)\n", argv[1]);
    return PD_EXIT_USAGE;
}
