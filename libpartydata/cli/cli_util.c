/*
 * cli_util.c: what every command shares: error printing, exit codes, number
 * parsing, progress bars and write-then-rename output files.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

int pd_cli_exit_code(int rc)
{
    switch (rc) {
    case PD_OK: return PD_EXIT_OK;
    case PD_EINVALID: return PD_EXIT_USAGE;
    case PD_EIO: case PD_ENOTFOUND: case PD_EREADONLY: case PD_EBUSY: case PD_EFULL:
        return PD_EXIT_IO;
    case PD_EPARSE: case PD_EVALIDATION: case PD_ECONFLICT: case PD_EVERSION:
    case PD_ELIMIT: case PD_ESIGNATURE: case PD_ESCOPE:
        return PD_EXIT_DATA;
    case PD_ESTORE: return PD_EXIT_IO;
    default: return PD_EXIT_INTERNAL;
    }
}

int pd_cli_fail(const char *cmd, int rc)
{
    const pd_error *e = pd_error_last();
    fprintf(stderr, "partydata %s: %s", cmd, e->code ? e->message : pd_code_name(rc));
    if (e->source || e->line || e->record) {
        fprintf(stderr, " (");
        const char *sep = "";
        if (e->source) { fprintf(stderr, "%s", e->source); sep = ":"; }
        if (e->line) { fprintf(stderr, "%s%ld", e->source ? ":" : "line ", e->line); sep = ", "; }
        if (e->record) { fprintf(stderr, "%srecord %ld", *sep ? ", " : "", e->record); }
        fprintf(stderr, ")");
    }
    if (e->field_path)
        fprintf(stderr, " at %s", e->field_path);
    if (e->rule)
        fprintf(stderr, " [%s]", e->rule);
    fprintf(stderr, "\n");
    return pd_cli_exit_code(rc);
}

int pd_cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "partydata %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (try 'partydata %s --help')\n", cmd);
    return PD_EXIT_USAGE;
}

int pd_cli_parse_long(long *out, const char *s)
{
    if (!s || !*s)
        return -1;
    long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        if (v > (LONG_MAX - (*p - '0')) / 10)
            return -1;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return 0;
}

/* strtod is locale-dependent (style.md): parse digits '.' digits by hand. */
int pd_cli_parse_double(double *out, const char *s, double lo, double hi)
{
    if (!s || !*s)
        return -1;
    double v = 0, scale = 1;
    int seen_dot = 0, digits = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.' && !seen_dot) {
            seen_dot = 1;
        } else if (*p >= '0' && *p <= '9') {
            digits++;
            if (seen_dot) {
                scale /= 10;
                v += (*p - '0') * scale;
            } else {
                v = v * 10 + (*p - '0');
            }
        } else {
            return -1;
        }
    }
    if (!digits || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

void pd_cli_progress_start(pd_cli_progress *p, const char *label, long long total)
{
    memset(p, 0, sizeof(*p));
    p->label = label;
    p->total = total;
    p->enabled = isatty(STDERR_FILENO);
}

void pd_cli_progress_update(pd_cli_progress *p, long long done)
{
    p->done = done;
    if (!p->enabled)
        return;
    double t = now_s();
    if (t - p->last_draw < 0.1)
        return;
    p->last_draw = t;
    if (p->total > 0) {
        int width = 30, filled = (int)(width * (double)done / (double)p->total);
        if (filled > width)
            filled = width;
        fprintf(stderr, "\r%-10s [%.*s%*s] %lld/%lld", p->label, filled,
                "##############################", width - filled, "", done, p->total);
    } else {
        fprintf(stderr, "\r%-10s %lld", p->label, done);
    }
    fflush(stderr);
}

void pd_cli_progress_end(pd_cli_progress *p)
{
    if (p->enabled) {
        p->last_draw = 0;
        pd_cli_progress_update(p, p->done);
        fprintf(stderr, "\n");
    }
}

char *pd_cli_temp_path(const char *path)
{
    size_t n = strlen(path) + 32;
    char *t = malloc(n);
    if (t)
        snprintf(t, n, "%s.tmp.%ld", path, (long)getpid());
    return t;
}

int pd_cli_out_open(pd_cli_out *o, const char *path)
{
    memset(o, 0, sizeof(*o));
    if (!strcmp(path, "-")) {
        o->fp = stdout;
        return 0;
    }
    o->final_path = strdup(path);
    o->temp_path = pd_cli_temp_path(path);
    if (!o->final_path || !o->temp_path) {
        free(o->final_path);
        free(o->temp_path);
        return -1;
    }
    o->fp = fopen(o->temp_path, "wb");
    if (!o->fp) {
        fprintf(stderr, "partydata: cannot write %s: %s\n", path, strerror(errno));
        free(o->final_path);
        free(o->temp_path);
        o->final_path = o->temp_path = NULL;
        return -1;
    }
    return 0;
}

int pd_cli_out_close(pd_cli_out *o, int ok)
{
    int rc = 0;
    if (!o->fp)
        return -1;
    if (o->fp == stdout) {
        rc = fflush(stdout) ? -1 : 0;
    } else {
        if (fclose(o->fp) != 0)
            ok = 0, rc = -1;
        if (ok && rename(o->temp_path, o->final_path) != 0) {
            fprintf(stderr, "partydata: cannot rename %s: %s\n", o->temp_path, strerror(errno));
            rc = -1;
            ok = 0;
        }
        if (!ok)
            unlink(o->temp_path);
    }
    free(o->final_path);
    free(o->temp_path);
    memset(o, 0, sizeof(*o));
    return ok ? rc : -1;
}
