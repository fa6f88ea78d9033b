/*
 * finding.c: the findings list. Strings are copied in so that callers may build
 * findings from stack buffers.
 */
#include <jansson.h>

#include "pd_internal.h"

struct pd_findings {
    pd_finding *items;
    size_t count, cap;
};

int pd_findings_new(pd_findings **out)
{
    if (!out)
        return pd_error__set(PD_EINVALID, "pd_findings_new: out is NULL");
    *out = calloc(1, sizeof(**out));
    return *out ? 0 : pd_error__oom();
}

static void finding_release(pd_finding *f)
{
    free((char *)f->rule);
    free((char *)f->path);
    free((char *)f->message_vi);
    free((char *)f->message_en);
    free((char *)f->old_value);
    free((char *)f->new_value);
}

void pd_findings_clear(pd_findings *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++)
        finding_release(&list->items[i]);
    list->count = 0;
}

void pd_findings_free(pd_findings *list)
{
    if (!list)
        return;
    pd_findings_clear(list);
    free(list->items);
    free(list);
}

size_t pd_findings_count(const pd_findings *list)
{
    return list ? list->count : 0;
}

const pd_finding *pd_findings_get(const pd_findings *list, size_t i)
{
    return (list && i < list->count) ? &list->items[i] : NULL;
}

static int dup_opt(const char **dst, const char *src, const char *fallback)
{
    if (!src)
        src = fallback;
    if (!src) {
        *dst = NULL;
        return 0;
    }
    *dst = pd__strdup(src);
    return *dst ? 0 : PD_ENOMEM;
}

int pd_findings_add(pd_findings *list, const pd_finding *f)
{
    if (!list || !f || !f->rule)
        return pd_error__set(PD_EINVALID, "pd_findings_add: NULL list, finding or rule");
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 8;
        pd_finding *items = realloc(list->items, cap * sizeof(*items));
        if (!items)
            return pd_error__oom();
        list->items = items;
        list->cap = cap;
    }
    pd_finding c = *f;
    c.rule = c.path = c.message_vi = c.message_en = c.old_value = c.new_value = NULL;
    if (dup_opt(&c.rule, f->rule, NULL) || dup_opt(&c.path, f->path, "") ||
        dup_opt(&c.message_vi, f->message_vi, "") ||
        dup_opt(&c.message_en, f->message_en, "") ||
        dup_opt(&c.old_value, f->old_value, NULL) ||
        dup_opt(&c.new_value, f->new_value, NULL)) {
        finding_release(&c);
        return PD_ENOMEM;
    }
    list->items[list->count++] = c;
    return 0;
}

size_t pd_findings_count_at_least(const pd_findings *list, pd_severity min)
{
    size_t n = 0;
    for (size_t i = 0; list && i < list->count; i++)
        if (list->items[i].severity >= min)
            n++;
    return n;
}

const char *pd_severity_name(pd_severity s)
{
    switch (s) {
    case PD_SEVERITY_INFO: return "info";
    case PD_SEVERITY_WARNING: return "warning";
    case PD_SEVERITY_ERROR: return "error";
    default: return "?";
    }
}

/* json_string() refuses invalid UTF-8 (a finding may be about exactly that): such a
 * value is written as null rather than dropping the whole finding. */
static void set_text(json_t *o, const char *key, const char *v)
{
    json_t *s = json_string(v);
    json_object_set_new(o, key, s ? s : json_null());
}

int pd_finding_to_json(char **out, const pd_finding *f)
{
    if (!out || !f)
        return pd_error__set(PD_EINVALID, "pd_finding_to_json: NULL argument");
    *out = NULL;
    json_t *o = json_object();
    if (!o)
        return pd_error__oom();
    json_object_set_new(o, "rule", json_string(f->rule ? f->rule : ""));
    json_object_set_new(o, "severity", json_string(pd_severity_name(f->severity)));
    json_object_set_new(o, "path", json_string(f->path ? f->path : ""));
    json_object_set_new(o, "message_vi", json_string(f->message_vi ? f->message_vi : ""));
    json_object_set_new(o, "message_en", json_string(f->message_en ? f->message_en : ""));
    if (f->old_value)
        set_text(o, "old", f->old_value);
    if (f->new_value)
        set_text(o, "new", f->new_value);
    if (f->record)
        json_object_set_new(o, "record", json_integer(f->record));
    if (!pd_uuid_is_nil(&f->record_id)) {
        char buf[PD_UUID_STRLEN];
        json_object_set_new(o, "record_id", json_string(pd_uuid_format(buf, &f->record_id)));
    }
    if (f->possible)
        json_object_set_new(o, "possible", json_true());
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!s)
        return pd_error__oom();
    *out = pd__strdup(s);
    free(s);
    return *out ? 0 : PD_ENOMEM;
}
