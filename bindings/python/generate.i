/* generate.i: bindings of the generate module (generate.h, score.h).
 * The Pythonic layer is partydata/_generate.py: partydata.generate(), partydata.score(),
 * partydata.Generator. */
%{
#include "partydata/generate.h"
#include "partydata/score.h"
%}

%nodefaultctor pd_generator;
%nodefaultctor pd_score;
typedef struct pd_generator {} pd_generator;
typedef struct pd_score {} pd_score;
%extend pd_generator { ~pd_generator() { pd_generator_free($self); } }
%extend pd_score { ~pd_score() { pd_score_free($self); } }
PD_OUT_HANDLE(pd_generator)
PD_OUT_HANDLE(pd_score)

#define PD_GENERATE_PRE2025 1u
#define PD_GENERATE_NO_ORGS 2u

long long pd_generator_expected(const pd_generator *g);
pd_rc pd_score_findings(pd_score **out, const char *truth_path, const char *findings_path);
pd_rc pd_score_clusters(pd_score **out, const char *truth_path, const char *clusters_path);
size_t pd_score_count(const pd_score *s);
pd_rc pd_score_to_json(char **out, const pd_score *s);
pd_rc pd_score_to_text(char **out, const pd_score *s);

%{
static int pd_py_gen_opts(pd_generate_options *o, long long members, const char *province,
                          unsigned long long seed, double dirty, double duplicates,
                          unsigned int flags, const pd_date *as_of)
{
    int rc = pd_generate_options_init(o, PD_GENERATE_OPTIONS_VERSION);
    if (rc < 0)
        return rc;
    o->members = members;
    o->province = province;
    o->seed = (uint64_t)seed;
    o->dirty = dirty;
    o->duplicates = duplicates;
    o->flags = flags;
    if (as_of)
        o->as_of = *as_of;
    return 0;
}

static PyObject *pd_py_truth_dict(const pd_truth_item *it)
{
    char buf[PD_UUID_STRLEN];
    if (it->type == PD_TRUTH_DEFECT)
        return Py_BuildValue("{s:s,s:s,s:s,s:s,s:s,s:s}", "type", "defect", "record_id",
                             pd_uuid_format(buf, &it->record_id), "path", it->path, "kind", it->kind,
                             "clean", it->clean, "dirty", it->dirty);
    PyObject *m = PyList_New((Py_ssize_t)it->member_count);
    for (size_t i = 0; m && i < it->member_count; i++)
        PyList_SET_ITEM(m, (Py_ssize_t)i, PyUnicode_FromString(pd_uuid_format(buf, &it->members[i])));
    if (!m)
        return NULL;
    return Py_BuildValue("{s:s,s:N}", "type", "cluster", "members", m);
}

static PyObject *pd_py_stats_dict(const pd_generate_stats *st)
{
    return Py_BuildValue("{s:L,s:L,s:L,s:L,s:L,s:L,s:L}", "organizations", st->organizations,
                         "members", st->members, "persons", st->persons, "duplicates",
                         st->duplicates, "dirty_records", st->dirty_records, "defects",
                         st->defects, "clusters", st->clusters);
}

%}

%inline %{
/* pd_generate_options_init + pd_generator_new */
pd_rc pd_py_generator_new(pd_generator **out, long long members, const char *province,
                          unsigned long long seed, double dirty, double duplicates,
                          unsigned int flags, const pd_date *as_of)
{
    pd_generate_options o;
    int rc = pd_py_gen_opts(&o, members, province, seed, dirty, duplicates, flags, as_of);
    return rc < 0 ? rc : pd_generator_new(out, &o);
}

/* pd_generator_next without raising on the end: [rc, record or None] */
int pd_py_generator_next(pd_record **out, pd_generator *g)
{
    return pd_generator_next(out, g);
}

/* pd_generator_truth_next until none: a list of dicts (json=0) or of JSON lines
 * (json=1, pd_truth_item_to_json) */
PyObject *pd_py_generator_truth(pd_generator *g, int json)
{
    PyObject *list = PyList_New(0);
    pd_truth_item it;
    while (list && pd_generator_truth_next(&it, g) == 0) {
        PyObject *o = NULL;
        if (json) {
            char *s = NULL;
            int rc = pd_truth_item_to_json(&s, &it);
            if (rc < 0) { Py_DECREF(list); pd_py_raise(rc); return NULL; }
            o = PyUnicode_FromString(s);
            pd_free(s);
        } else {
            o = pd_py_truth_dict(&it);
        }
        if (!o || PyList_Append(list, o) < 0) { Py_XDECREF(o); Py_DECREF(list); return NULL; }
        Py_DECREF(o);
    }
    return list;
}

/* pd_generator_stats as a dict */
PyObject *pd_py_generator_stats(const pd_generator *g)
{
    pd_generate_stats st;
    int rc = pd_generator_stats(&st, g);
    if (rc < 0) { pd_py_raise(rc); return NULL; }
    return pd_py_stats_dict(&st);
}

/* pd_generate_defect_kinds as a list */
PyObject *pd_py_generate_defect_kinds(void)
{
    const char *const *k = pd_generate_defect_kinds();
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && k[i]; i++) {
        PyObject *s = PyUnicode_FromString(k[i]);
        if (!s || PyList_Append(list, s) < 0) { Py_XDECREF(s); Py_DECREF(list); return NULL; }
        Py_DECREF(s);
    }
    return list;
}

/* pd_generate_file: the stats dict, or raise */
PyObject *pd_py_generate_file(const char *path, int format, const char *truth_path,
                              long long members, const char *province, unsigned long long seed,
                              double dirty, double duplicates, unsigned int flags,
                              const pd_date *as_of)
{
    pd_generate_options o;
    pd_generate_stats st;
    int rc = pd_py_gen_opts(&o, members, province, seed, dirty, duplicates, flags, as_of);
    if (rc >= 0) {
        Py_BEGIN_ALLOW_THREADS
        rc = pd_generate_file(&st, path, format, truth_path, &o, NULL, NULL);
        Py_END_ALLOW_THREADS
    }
    if (rc < 0) { pd_py_raise(rc); return NULL; }
    return pd_py_stats_dict(&st);
}

/* pd_score_count + pd_score_get: a list of row dicts (None for undefined ratios) */
PyObject *pd_py_score_rows(const pd_score *s)
{
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && i < pd_score_count(s); i++) {
        const pd_score_row *r = pd_score_get(s, i);
        PyObject *p = r->precision < 0 ? Py_None : PyFloat_FromDouble(r->precision);
        PyObject *rc = r->recall < 0 ? Py_None : PyFloat_FromDouble(r->recall);
        PyObject *f = r->f1 < 0 ? Py_None : PyFloat_FromDouble(r->f1);
        if (p == Py_None) Py_INCREF(p);
        if (rc == Py_None) Py_INCREF(rc);
        if (f == Py_None) Py_INCREF(f);
        PyObject *o = Py_BuildValue("{s:s,s:L,s:L,s:L,s:L,s:L,s:N,s:N,s:N}", "name", r->name,
                                    "truth", r->truth, "found", r->found, "tp_truth", r->tp_truth,
                                    "tp_found", r->tp_found, "fixed", r->fixed, "precision", p,
                                    "recall", rc, "f1", f);
        if (!o || PyList_Append(list, o) < 0) { Py_XDECREF(o); Py_DECREF(list); return NULL; }
        Py_DECREF(o);
    }
    return list;
}

/* pd_score_find as a dict, or None */
PyObject *pd_py_score_find(const pd_score *s, const char *name)
{
    const pd_score_row *r = pd_score_find(s, name);
    if (!r)
        Py_RETURN_NONE;
    return Py_BuildValue("{s:s,s:L,s:L,s:d,s:d,s:d}", "name", r->name, "truth", r->truth,
                         "found", r->found, "precision", r->precision, "recall", r->recall,
                         "f1", r->f1);
}
%}
