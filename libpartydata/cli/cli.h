/*
 * cli.h: the `partydata` command. It uses the public API only (first user of the
 * library). Each module owns one cmd_<module>.c with its commands.
 */
#ifndef PD_CLI_H
#define PD_CLI_H

#include <stdio.h>

#include "partydata/partydata.h"

/* Exit codes: the same for every command; documented in --help and partydata(1). */
enum {
    PD_EXIT_OK = 0,       /* success */
    PD_EXIT_DATA = 1,     /* done, but the data has problems (errors found, rejects) */
    PD_EXIT_USAGE = 2,    /* bad command line */
    PD_EXIT_IO = 3,       /* a file could not be read or written */
    PD_EXIT_INTERNAL = 4  /* out of memory or another internal failure */
};

typedef int (*pd_cli_fn)(int argc, char **argv);

/* Commands (argv[0] is the command name). */
int pd_cli_convert(int argc, char **argv);
int pd_cli_refdata(int argc, char **argv);
int pd_cli_normalize(int argc, char **argv);
int pd_cli_validate(int argc, char **argv);
int pd_cli_generate(int argc, char **argv);
int pd_cli_score(int argc, char **argv);
int pd_cli_init(int argc, char **argv);
int pd_cli_import(int argc, char **argv);
int pd_cli_export(int argc, char **argv);
int pd_cli_show(int argc, char **argv);
int pd_cli_history(int argc, char **argv);
int pd_cli_stats(int argc, char **argv);
int pd_cli_check(int argc, char **argv);
int pd_cli_dedup(int argc, char **argv);
int pd_cli_merge(int argc, char **argv);
int pd_cli_unmerge(int argc, char **argv);
int pd_cli_org_merge(int argc, char **argv);

/* cli_util.c */

/* Print "partydata CMD: <message> (<source>:<line>, record N, path P) [rule]" from
 * pd_error_last() to stderr and return the exit code that fits the error code. */
int pd_cli_fail(const char *cmd, int rc);
/* Print a usage error and return PD_EXIT_USAGE. */
int pd_cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The exit code for a library return code. */
int pd_cli_exit_code(int rc);
/* Parse a whole non-negative decimal number; 0 on success, -1 on junk or overflow. */
int pd_cli_parse_long(long *out, const char *s);
/* Parse a real number in [lo, hi] written with '.', locale-independent. */
int pd_cli_parse_double(double *out, const char *s, double lo, double hi);

/* A progress bar on stderr, drawn only when stderr is a TTY. */
typedef struct pd_cli_progress {
    const char *label;
    long long total; /* 0 = unknown */
    long long done;
    int enabled;
    double last_draw;
} pd_cli_progress;
void pd_cli_progress_start(pd_cli_progress *p, const char *label, long long total);
void pd_cli_progress_update(pd_cli_progress *p, long long done);
void pd_cli_progress_end(pd_cli_progress *p);

/* Output files are written to a temporary file beside the target and renamed at the
 * end, so a failed run never leaves a partial file in place of a good one.
 * pd_cli_out_open: "-" means stdout. */
typedef struct pd_cli_out {
    FILE *fp;
    char *final_path; /* NULL for stdout */
    char *temp_path;
} pd_cli_out;
int pd_cli_out_open(pd_cli_out *o, const char *path);
/* Commit (rename) when ok, else remove the temporary file. Returns 0 or -1. */
int pd_cli_out_close(pd_cli_out *o, int ok);
/* A temporary path beside `path` ("path.tmp.PID"); free() it. */
char *pd_cli_temp_path(const char *path);

#endif
