/*
 * main.c: the `partydata` command dispatcher.
 */
#include <string.h>

#include "cli.h"

typedef struct command {
    const char *name;
    pd_cli_fn fn;
    const char *summary;
    int own_help; /* the command answers --help itself, in more detail */
} command;

static const command commands[] = {
    {"convert", pd_cli_convert, "convert IN OUT [--from F] [--to F]   change format, never content", 1},
    {"normalize", pd_cli_normalize, "normalize IN OUT                     clean records, report every change", 1},
    {"validate", pd_cli_validate, "validate FILE [--as-of D] [--format text|jsonl] [--rules]", 1},
    {"refdata", pd_cli_refdata, "refdata provinces|communes|ethnic|religions|lookup ...  reference tables", 1},
    {"generate", pd_cli_generate, "generate [--members N] [--province C|all] [--seed S] ... OUT", 1},
    {"score", pd_cli_score, "score --truth T (--findings F | --clusters C)", 1},
    {"init", pd_cli_init, "init DB                              create a database", 0},
    {"import", pd_cli_import, "import DB FILE... [--rejects F] [--strict] [--no-normalize] [--no-validate] [--format F] [--batch N]", 0},
    {"export", pd_cli_export, "export DB OUT [--org ID] [--format pb|jsonl|csv]", 0},
    {"show", pd_cli_show, "show DB ID|CCCD|CARD                 one record, its findings", 0},
    {"history", pd_cli_history, "history DB ID [--full]                a record's revisions", 0},
    {"stats", pd_cli_stats, "stats DB [--by DIM,...] [--province C] [--status S] [--org ID] [--format table|csv|json]", 0},
    {"check", pd_cli_check, "check DB                             integrity and validation", 0},
    {"dedup", pd_cli_dedup, "dedup DB [--threshold T] [--explain] [--format text|jsonl]", 0},
    {"merge", pd_cli_merge, "merge DB ID ID [--reason R]           merge two member records", 0},
    {"unmerge", pd_cli_unmerge, "unmerge DB ID                        undo a merge", 0},
    {"org-merge", pd_cli_org_merge, "org-merge DB (FROM TO | --table FILE|2025) --decision N --date D [--dry-run]", 0},
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
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i].name))
            continue;
        if (!commands[i].own_help && argc > 2 &&
            (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
            printf("usage: partydata %s\n\nexit codes: 0 success, 1 data problems, 2 bad command "
                   "line, 3 I/O, 4 internal (see partydata(1))\n", commands[i].summary);
            return PD_EXIT_OK;
        }
        return commands[i].fn(argc - 1, argv + 1);
    }
    fprintf(stderr, "partydata: unknown command '%s' (try --help)\n", argv[1]);
    return PD_EXIT_USAGE;
}
