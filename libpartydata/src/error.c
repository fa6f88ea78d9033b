/*
 * error.c: the thread-local last error.
 *
 * Messages are formatted into a fixed per-thread buffer so that reporting an error
 * never needs to allocate (out-of-memory must be reportable too).
 */
#include <stdio.h>

#include "pd_internal.h"

#define MSG_MAX 1024
#define PATH_MAX_LEN 512
#define SOURCE_MAX 512
#define RULE_MAX 32

typedef struct pd_error_state {
    pd_error pub;
    char message[MSG_MAX];
    char path[PATH_MAX_LEN];
    char source[SOURCE_MAX];
    char rule[RULE_MAX];
} pd_error_state;

static _Thread_local pd_error_state err = {.pub = {.message = "", .offset = -1}};

const pd_error *pd_error_last(void)
{
    if (err.pub.message == NULL)
        err.pub.message = "";
    return &err.pub;
}

void pd_error_clear(void)
{
    memset(&err.pub, 0, sizeof(err.pub));
    err.pub.message = "";
    err.pub.offset = -1;
}

static void copy_bounded(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int pd_error__vset(int code, const char *fmt, va_list ap)
{
    pd_error_clear();
    err.pub.code = code;
    vsnprintf(err.message, sizeof(err.message), fmt, ap);
    err.pub.message = err.message;
    return code;
}

int pd_error__set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pd_error__vset(code, fmt, ap);
    va_end(ap);
    return code;
}

int pd_error__oom(void)
{
    pd_error_clear();
    err.pub.code = PD_ENOMEM;
    err.pub.message = "out of memory";
    return PD_ENOMEM;
}

void pd_error__set_path(const char *path)
{
    if (!path) {
        err.pub.field_path = NULL;
        return;
    }
    copy_bounded(err.path, sizeof(err.path), path);
    err.pub.field_path = err.path;
}

void pd_error__set_rule(const char *rule)
{
    if (!rule) {
        err.pub.rule = NULL;
        return;
    }
    copy_bounded(err.rule, sizeof(err.rule), rule);
    err.pub.rule = err.rule;
}

void pd_error__set_position(const char *source, long line, long column, long record,
                            long long offset)
{
    if (source) {
        copy_bounded(err.source, sizeof(err.source), source);
        err.pub.source = err.source;
    } else {
        err.pub.source = NULL;
    }
    err.pub.line = line;
    err.pub.column = column;
    err.pub.record = record;
    err.pub.offset = offset;
}

void pd_error__set_store_code(int store_code)
{
    err.pub.store_code = store_code;
}

const char *pd_code_name(int code)
{
    switch (code) {
    case PD_OK: return "PD_OK";
    case PD_ERROR: return "PD_ERROR";
    case PD_ENOMEM: return "PD_ENOMEM";
    case PD_EINVALID: return "PD_EINVALID";
    case PD_ENOTFOUND: return "PD_ENOTFOUND";
    case PD_EEXISTS: return "PD_EEXISTS";
    case PD_EPARSE: return "PD_EPARSE";
    case PD_EIO: return "PD_EIO";
    case PD_ESTORE: return "PD_ESTORE";
    case PD_ECONFLICT: return "PD_ECONFLICT";
    case PD_ESCOPE: return "PD_ESCOPE";
    case PD_EVERSION: return "PD_EVERSION";
    case PD_ELIMIT: return "PD_ELIMIT";
    case PD_EREADONLY: return "PD_EREADONLY";
    case PD_EBUSY: return "PD_EBUSY";
    case PD_EFULL: return "PD_EFULL";
    case PD_ESIGNATURE: return "PD_ESIGNATURE";
    case PD_EUSER: return "PD_EUSER";
    case PD_EVALIDATION: return "PD_EVALIDATION";
    case PD_ITEROVER: return "PD_ITEROVER";
    default: return "PD_E?";
    }
}
