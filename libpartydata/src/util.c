/*
 * util.c: allocation helpers shared by the modules; each reports out-of-memory
 * through the last error so callers can simply return PD_ENOMEM.
 */
#include <stdio.h>

#include "pd_internal.h"

void pd_free(void *p)
{
    free(p);
}

char *pd__strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d) {
        pd_error__oom();
        return NULL;
    }
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *pd__strdup(const char *s)
{
    return pd__strndup(s, strlen(s));
}

char *pd__asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        pd_error__set(PD_ERROR, "formatting failed");
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (!s) {
        pd_error__oom();
        return NULL;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

int pd__strarray_push(pd_strarray *a, const char *s)
{
    char *copy = pd__strdup(s);
    if (!copy)
        return PD_ENOMEM;
    char **grown = realloc(a->strings, (a->count + 1) * sizeof(*grown));
    if (!grown) {
        free(copy);
        return pd_error__oom();
    }
    grown[a->count++] = copy;
    a->strings = grown;
    return 0;
}

void pd_strarray_dispose(pd_strarray *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->count; i++)
        free(a->strings[i]);
    free(a->strings);
    a->strings = NULL;
    a->count = 0;
}
