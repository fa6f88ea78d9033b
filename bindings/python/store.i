/* store.i: bindings of the store module (store.h).
 *
 * A store crosses as a pd_py_store proxy { pd_store *st }: close() closes the store
 * and clears the pointer, so the destructor never closes it twice; every function
 * refuses a closed store with InvalidError. Iterators (pd_store_iter) are owned
 * proxies; records come out as owned pd_record proxies (copies), which
 * partydata/_store.py wraps into Record objects. Options structs are flattened into
 * arguments here. The Pythonic layer is partydata/_store.py. */
%{
#include "partydata/store.h"

typedef struct pd_py_store {
    pd_store *st;
} pd_py_store;

/* The error for a closed store, set through the public API (PD_EINVALID, "NULL store");
 * partydata/_store.py checks first and says "closed". */
static int pd_error__py_closed(void)
{
    return pd_store_begin(NULL);
}

static int pd_py_store_ok(pd_py_store *s)
{
    if (!s || !s->st)
        return pd_error__py_closed();
    return 0;
}

static PyObject *pd_py_store_str(const char *s)
{
    if (!s)
        Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogateescape");
}

static int pd_py_store_parse_org(pd_uuid *u, const char *org)
{
    if (!org)
        return 0;
    return pd_uuid_parse(u, org) < 0 ? -1 : 1;
}
%}

%nodefaultctor pd_py_store;
typedef struct pd_py_store {} pd_py_store;
%extend pd_py_store {
    ~pd_py_store() {
        pd_store_close($self->st);
        free($self);
    }
}
%nodefaultctor pd_store_iter;
typedef struct pd_store_iter {} pd_store_iter;
%extend pd_store_iter { ~pd_store_iter() { pd_store_iter_free($self); } }

PD_OUT_HANDLE(pd_py_store)
PD_OUT_HANDLE(pd_store_iter)

%inline %{
pd_rc pd_py_store_open(pd_py_store **out, const char *path, int create, int readonly,
                       long cache_kib, int busy_timeout_ms)
{
    pd_store_options o;
    pd_store_options_init(&o, PD_STORE_OPTIONS_VERSION);
    o.flags = (create ? PD_STORE_CREATE : 0u) | (readonly ? PD_STORE_READONLY : 0u);
    o.cache_kib = cache_kib > 0 ? (size_t)cache_kib : 0;
    o.busy_timeout_ms = busy_timeout_ms;
    pd_store *st = NULL;
    int rc = pd_store_open(&st, path, &o);
    if (rc < 0)
        return rc;
    *out = malloc(sizeof **out);
    if (!*out) {
        pd_store_close(st);
        return PD_ENOMEM;
    }
    (*out)->st = st;
    return 0;
}

/* Close and clear: a second close (or the destructor) is a no-op. */
pd_rc pd_py_store_close(pd_py_store *s)
{
    if (!s || !s->st)
        return 0;
    int rc = pd_store_close(s->st);
    s->st = NULL;
    return rc;
}

int pd_py_store_is_open(pd_py_store *s) { return s && s->st; }

pd_rc pd_py_store_put(size_t *out, pd_py_store *s, const pd_record *r, const char *author,
                      const char *reason, const char *decision_number)
{
    int rc = pd_py_store_ok(s);
    if (rc < 0)
        return rc;
    pd_store_write w = PD_STORE_WRITE_INIT;
    w.author = author;
    w.reason = reason;
    w.decision_number = decision_number;
    pd_store_outcome oc = 0;
    rc = pd_store_put(&oc, s->st, r, &w);
    *out = (size_t)oc;
    return rc;
}

pd_rc pd_py_store_get(pd_record **out, pd_py_store *s, const pd_uuid *id)
{
    int rc = pd_py_store_ok(s);
    return rc < 0 ? rc : pd_store_get(out, s->st, id);
}

pd_rc pd_py_store_get_by_cccd(pd_record **out, pd_py_store *s, const char *cccd)
{
    int rc = pd_py_store_ok(s);
    return rc < 0 ? rc : pd_store_get_by_cccd(out, s->st, cccd);
}

pd_rc pd_py_store_get_by_card(pd_record **out, pd_py_store *s, const char *card)
{
    int rc = pd_py_store_ok(s);
    return rc < 0 ? rc : pd_store_get_by_card(out, s->st, card);
}

pd_rc pd_py_store_get_as_of(pd_record **out, pd_py_store *s, const pd_uuid *id,
                            long long timestamp_us)
{
    int rc = pd_py_store_ok(s);
    return rc < 0 ? rc : pd_store_get_as_of(out, s->st, id, (int64_t)timestamp_us);
}

pd_rc pd_py_store_delete(pd_py_store *s, const pd_uuid *id, const char *author,
                         const char *reason, const char *decision_number)
{
    int rc = pd_py_store_ok(s);
    if (rc < 0)
        return rc;
    pd_store_write w = PD_STORE_WRITE_INIT;
    w.author = author;
    w.reason = reason;
    w.decision_number = decision_number;
    return pd_store_delete(s->st, id, &w);
}

pd_rc pd_py_store_begin(pd_py_store *s)
{
    int rc = pd_py_store_ok(s);
    return rc < 0 ? rc : pd_store_begin(s->st);
}
pd_rc pd_py_store_commit(pd_py_store *s)
{
    int rc = pd_py_store_ok(s);
    return rc < 0 ? rc : pd_store_commit(s->st);
}
pd_rc pd_py_store_rollback(pd_py_store *s)
{
    int rc = pd_py_store_ok(s);
    return rc < 0 ? rc : pd_store_rollback(s->st);
}

pd_rc pd_py_store_schema_version(size_t *out, pd_py_store *s)
{
    int v = 0, rc = pd_py_store_ok(s);
    if (rc == 0)
        rc = pd_store_schema_version(&v, s->st);
    *out = (size_t)v;
    return rc;
}

pd_rc pd_py_store_revision(size_t *out, pd_py_store *s)
{
    int64_t v = 0;
    int rc = pd_py_store_ok(s);
    if (rc == 0)
        rc = pd_store_current_revision(&v, s->st);
    *out = (size_t)v;
    return rc;
}

static int pd_py_store_make_query(pd_store_query *q, pd_uuid *org_id, int kind,
                                  const char *org, const char *province, int status,
                                  const char *name_prefix, long long since, int needs_review,
                                  long long limit)
{
    pd_store_query_init(q, PD_STORE_QUERY_VERSION);
    q->kind = (pd_kind)kind;
    int p = pd_py_store_parse_org(org_id, org);
    if (p < 0)
        return PD_EPARSE;
    q->org = p ? org_id : NULL;
    q->province_code = province;
    q->status = status;
    q->name_prefix = name_prefix;
    q->since_revision = since;
    q->needs_review = needs_review;
    q->limit = limit;
    return 0;
}

pd_rc pd_py_store_query(pd_store_iter **out, pd_py_store *s, int kind, const char *org,
                        const char *province, int status, const char *name_prefix,
                        long long since, int needs_review, long long limit)
{
    pd_store_query q;
    pd_uuid org_id;
    int rc = pd_py_store_ok(s);
    if (rc < 0)
        return rc;
    if ((rc = pd_py_store_make_query(&q, &org_id, kind, org, province, status, name_prefix,
                                     since, needs_review, limit)) < 0)
        return pd_uuid_parse(&org_id, org);
    return pd_store_query_open(out, s->st, &q);
}

pd_rc pd_py_store_count(size_t *out, pd_py_store *s, int kind, const char *org,
                        const char *province, int status, const char *name_prefix,
                        long long since, int needs_review, long long limit)
{
    pd_store_query q;
    pd_uuid org_id;
    long long n = 0;
    int rc = pd_py_store_ok(s);
    if (rc < 0)
        return rc;
    if ((rc = pd_py_store_make_query(&q, &org_id, kind, org, province, status, name_prefix,
                                     since, needs_review, limit)) < 0)
        return pd_uuid_parse(&org_id, org);
    rc = pd_store_count(&n, s->st, &q);
    *out = (size_t)n;
    return rc;
}

/* The next record as an owned copy; None at the end. */
pd_rc pd_py_store_iter_next(pd_record **out, pd_store_iter *it)
{
    const pd_record *r = NULL;
    int rc = pd_store_iter_next(&r, it);
    if (rc == PD_ITEROVER)
        return 0;
    if (rc < 0)
        return rc;
    return pd_record_dup(out, r);
}

/* Grouped counts: a list of tuples (key..., count). */
PyObject *pd_py_store_stats(pd_py_store *s, const char *dims, const char *org,
                            const char *province, int status)
{
    pd_store_query q;
    pd_uuid org_id;
    pd_stats *st = NULL;
    int rc = pd_py_store_ok(s);
    if (rc == 0 && (rc = pd_py_store_make_query(&q, &org_id, 0, org, province, status, NULL,
                                                0, 0, 0)) < 0)
        rc = pd_uuid_parse(&org_id, org);
    if (rc == 0)
        rc = pd_store_stats(&st, s->st, dims, &q);
    if (rc < 0) {
        pd_py_raise(rc);
        return NULL;
    }
    size_t nd = pd_stats_dims(st), nr = pd_stats_rows(st);
    PyObject *list = PyList_New((Py_ssize_t)nr + 1);
    PyObject *head = list ? PyTuple_New((Py_ssize_t)nd + 1) : NULL;
    if (!head)
        Py_CLEAR(list);
    for (size_t j = 0; head && j < nd; j++)
        PyTuple_SET_ITEM(head, (Py_ssize_t)j, pd_py_store_str(pd_stats_dim_name(st, j)));
    if (head) {
        PyTuple_SET_ITEM(head, (Py_ssize_t)nd, PyUnicode_FromString("count"));
        PyList_SET_ITEM(list, 0, head);
    }
    for (size_t i = 0; list && i < nr; i++) {
        PyObject *t = PyTuple_New((Py_ssize_t)nd + 1);
        if (!t) {
            Py_CLEAR(list);
            break;
        }
        for (size_t j = 0; j < nd; j++)
            PyTuple_SET_ITEM(t, (Py_ssize_t)j, pd_py_store_str(pd_stats_key(st, i, j)));
        PyTuple_SET_ITEM(t, (Py_ssize_t)nd, PyLong_FromLongLong(pd_stats_count(st, i)));
        PyList_SET_ITEM(list, (Py_ssize_t)i + 1, t);
    }
    pd_stats_free(st);
    return list;
}

/* Import; the counts as a dict. */
PyObject *pd_py_store_import(pd_py_store *s, const char *path, unsigned int flags,
                             const char *rejects, long batch_size, int format,
                             const char *author, const char *reason,
                             const char *decision_number)
{
    pd_import_options o;
    pd_import_options_init(&o, PD_IMPORT_OPTIONS_VERSION);
    pd_import_stats n;
    memset(&n, 0, sizeof n);
    int rc = pd_py_store_ok(s);
    if (rc == 0) {
        o.flags = flags;
        o.rejects_path = rejects;
        o.batch_size = batch_size > 0 ? (size_t)batch_size : 0;
        o.format = format;
        o.author = author;
        o.reason = reason;
        o.decision_number = decision_number;
        Py_BEGIN_ALLOW_THREADS
        rc = pd_store_import(&n, s->st, path, &o);
        Py_END_ALLOW_THREADS
    }
    if (rc < 0) {
        pd_py_raise(rc);
        return NULL;
    }
    return Py_BuildValue("{s:L,s:L,s:L,s:L,s:L,s:L,s:L,s:L}", "read", n.read, "inserted",
                         n.inserted, "updated", n.updated, "unchanged", n.unchanged,
                         "rejected", n.rejected, "findings", n.findings, "needs_review",
                         n.needs_review, "duplicates", n.duplicates);
}

pd_rc pd_py_store_export(size_t *out, pd_py_store *s, const char *path, const char *org,
                         int format)
{
    pd_export_options o;
    pd_export_options_init(&o, PD_EXPORT_OPTIONS_VERSION);
    pd_uuid org_id;
    long long n = 0;
    int rc = pd_py_store_ok(s);
    if (rc < 0)
        return rc;
    int p = pd_py_store_parse_org(&org_id, org);
    if (p < 0)
        return pd_uuid_parse(&org_id, org);
    o.org = p ? &org_id : NULL;
    o.format = format;
    Py_BEGIN_ALLOW_THREADS
    rc = pd_store_export(&n, s->st, path, &o);
    Py_END_ALLOW_THREADS
    *out = (size_t)n;
    return rc;
}

/* The revisions of a record: a list of dicts; "record" is an owned pd_record proxy
 * (None for a deletion). */
PyObject *pd_py_store_history(pd_py_store *s, const pd_uuid *id)
{
    pd_store_history_iter *it = NULL;
    int rc = pd_py_store_ok(s);
    if (rc == 0)
        rc = pd_store_history(&it, s->st, id);
    if (rc < 0) {
        pd_py_raise(rc);
        return NULL;
    }
    PyObject *list = PyList_New(0);
    const pd_store_revision *rv;
    while (list && (rc = pd_store_history_next(&rv, it)) == 0) {
        PyObject *rec = Py_None;
        pd_record *copy = NULL;
        if (rv->record) {
            if (pd_record_dup(&copy, rv->record) < 0) {
                Py_CLEAR(list);
                break;
            }
            rec = SWIG_NewPointerObj(SWIG_as_voidptr(copy), SWIGTYPE_p_pd_record,
                                     SWIG_POINTER_OWN);
        } else {
            Py_INCREF(rec);
        }
        PyObject *d = Py_BuildValue(
            "{s:L,s:L,s:L,s:N,s:N,s:N,s:N,s:N,s:N}", "revision", (long long)rv->revision,
            "store_revision", (long long)rv->store_revision, "timestamp_us",
            (long long)rv->timestamp_us, "operation", pd_py_store_str(rv->operation), "node",
            pd_py_store_str(rv->node), "author", pd_py_store_str(rv->author), "reason",
            pd_py_store_str(rv->reason), "decision_number",
            pd_py_store_str(rv->decision_number), "record", rec);
        if (!d || PyList_Append(list, d) < 0)
            Py_CLEAR(list);
        Py_XDECREF(d);
    }
    pd_store_history_free(it);
    if (list && rc != PD_ITEROVER) {
        Py_DECREF(list);
        pd_py_raise(rc);
        return NULL;
    }
    return list;
}

/* Findings stored for a record: a list of dicts. */
PyObject *pd_py_store_findings(pd_py_store *s, const pd_uuid *id)
{
    pd_findings *f = NULL;
    int rc = pd_py_store_ok(s);
    if (rc == 0 && (rc = pd_findings_new(&f)) == 0)
        rc = pd_store_findings(f, s->st, id);
    if (rc < 0) {
        pd_findings_free(f);
        pd_py_raise(rc);
        return NULL;
    }
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && i < pd_findings_count(f); i++) {
        const pd_finding *x = pd_findings_get(f, i);
        PyObject *d = Py_BuildValue("{s:N,s:N,s:N,s:N,s:N}", "rule", pd_py_store_str(x->rule),
                                    "severity", pd_py_store_str(pd_severity_name(x->severity)),
                                    "path", pd_py_store_str(x->path), "message",
                                    pd_py_store_str(x->message_en), "message_vi",
                                    pd_py_store_str(x->message_vi));
        if (!d || PyList_Append(list, d) < 0)
            Py_CLEAR(list);
        Py_XDECREF(d);
    }
    pd_findings_free(f);
    return list;
}

pd_rc pd_py_store_needs_review(size_t *out, pd_py_store *s, const pd_uuid *id)
{
    int v = 0, rc = pd_py_store_ok(s);
    if (rc == 0)
        rc = pd_store_needs_review(&v, s->st, id);
    *out = (size_t)v;
    return rc;
}

pd_rc pd_py_store_check(pd_strarray *out, pd_py_store *s)
{
    int rc = pd_py_store_ok(s);
    return rc < 0 ? rc : pd_store_check(out, s->st);
}
%}

%constant int PD_STORE_SCHEMA_VERSION = PD_STORE_SCHEMA_VERSION;
%constant int PD_IMPORT_STRICT = PD_IMPORT_STRICT;
%constant int PD_IMPORT_NO_NORMALIZE = PD_IMPORT_NO_NORMALIZE;
%constant int PD_IMPORT_NO_VALIDATE = PD_IMPORT_NO_VALIDATE;
