/* validate.i: bindings of the validate module (validate.h).
 *
 * Findings and catalogue entries cross as plain dicts (the Pythonic layer,
 * partydata/_validate.py, turns them into Finding and Rule objects). A pd_validator
 * proxy owns its validator. Options cross as separate arguments: as_of and today as
 * (year, month, day) tuples or None, flags (PD_VALIDATE_*), rules (filter or None). */
%{
#include "partydata/validate.h"

static PyObject *pd_py_str(const char *s)
{
    if (!s)
        Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogateescape");
}

static PyObject *pd_py_finding_dict(const pd_finding *f)
{
    char idbuf[PD_UUID_STRLEN];
    PyObject *id = pd_uuid_is_nil(&f->record_id) ? (Py_INCREF(Py_None), Py_None)
                                                  : PyUnicode_FromString(pd_uuid_format(idbuf, &f->record_id));
    PyObject *d = Py_BuildValue("{s:N,s:s,s:N,s:N,s:N,s:N,s:N,s:l,s:N,s:O}",
        "rule", pd_py_str(f->rule), "severity", pd_severity_name(f->severity),
        "path", pd_py_str(f->path), "message_vi", pd_py_str(f->message_vi),
        "message_en", pd_py_str(f->message_en), "old_value", pd_py_str(f->old_value),
        "new_value", pd_py_str(f->new_value), "record", f->record, "record_id", id,
        "possible", f->possible ? Py_True : Py_False);
    return d;
}

/* the findings of `list` from index `from` as a list of dicts */
static PyObject *pd_py_findings_from(const pd_findings *list, size_t from)
{
    size_t n = pd_findings_count(list);
    PyObject *out = PyList_New(0);
    if (!out)
        return NULL;
    for (size_t i = from; i < n; i++) {
        PyObject *d = pd_py_finding_dict(pd_findings_get(list, i));
        if (!d || PyList_Append(out, d) < 0) {
            Py_XDECREF(d);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(d);
    }
    return out;
}

static PyObject *pd_py_rule_dict(const pd_rule *r)
{
    if (!r)
        Py_RETURN_NONE;
    return Py_BuildValue("{s:s,s:s,s:N,s:N,s:s,s:s,s:N,s:(iii),s:(iii),s:I}", "code", r->code,
        "severity", pd_severity_name(r->severity), "message_vi", pd_py_str(r->message_vi),
        "message_en", pd_py_str(r->message_en), "paths", r->paths, "kinds", r->kinds,
        "source", pd_py_str(r->source), "valid_from", r->valid_from.year, r->valid_from.month,
        r->valid_from.day, "valid_to", r->valid_to.year, r->valid_to.month, r->valid_to.day,
        "scope", r->scope);
}

static void pd_py_fill_opts(pd_validate_options *o, const pd_date *as_of, const pd_date *today,
                            unsigned flags, const char *rules)
{
    pd_validate_options d;
    pd_validate_options_init(&d, PD_VALIDATE_OPTIONS_VERSION);
    *o = d;
    if (as_of)
        o->as_of = *as_of;
    if (today)
        o->today = *today;
    o->flags = flags;
    o->rules = rules;
}
%}

#define PD_VALIDATE_OPTIONS_VERSION 1
#define PD_VALIDATE_SKIP_WARNINGS 1u
#define PD_VALIDATE_SKIP_INFO 2u
#define PD_VALIDATE_NO_POSSIBLE 4u
#define PD_VALIDATE_ALL_PERIODS 8u
#define PD_RULE_SCOPE_RECORD 1
#define PD_RULE_SCOPE_SET 2
#define PD_RULE_SCOPE_INPUT 4

%nodefaultctor pd_validator;
typedef struct pd_validator {} pd_validator;
%extend pd_validator { ~pd_validator() { pd_validator_free($self); } }
PD_OUT_HANDLE(pd_validator)

size_t pd_validate_rule_count(void);
pd_rc pd_validate_rules_markdown(char **out);

%inline %{
/* pd_validate_rule_get: the i-th catalogue entry as a dict, None past the end */
PyObject *pd_py_validate_rule_get(size_t i) { return pd_py_rule_dict(pd_validate_rule_get(i)); }

/* pd_validate_rule_find: the entry of `code` in force on as_of (None: the newest), or None */
PyObject *pd_py_validate_rule_find(const char *code, const pd_date *as_of)
{
    return pd_py_rule_dict(pd_validate_rule_find(code, as_of));
}

/* pd_validate_rule_in_force for the entry of index i */
int pd_py_validate_rule_in_force(size_t i, const pd_date *day)
{
    return pd_validate_rule_in_force(pd_validate_rule_get(i), day);
}

/* pd_validate_record: the findings of one record as a list of dicts (raises on error) */
PyObject *pd_py_validate_record(const pd_record *r, const pd_date *as_of, const pd_date *today,
                                unsigned flags, const char *rules)
{
    pd_validate_options o;
    pd_py_fill_opts(&o, as_of, today, flags, rules);
    pd_findings *l = NULL;
    int rc = pd_findings_new(&l);
    if (rc >= 0)
        rc = pd_validate_record(l, r, &o);
    if (rc < 0) {
        pd_findings_free(l);
        pd_py_raise(rc);
        return NULL;
    }
    PyObject *res = pd_py_findings_from(l, 0);
    pd_findings_free(l);
    return res;
}

/* pd_validator_new with the options as arguments */
pd_rc pd_py_validator_new(pd_validator **out, const pd_date *as_of, const pd_date *today,
                          unsigned flags, const char *rules)
{
    pd_validate_options o;
    pd_py_fill_opts(&o, as_of, today, flags, rules);
    return pd_validator_new(out, &o);
}

/* pd_validator_add: the record's findings as a list of dicts */
PyObject *pd_py_validator_add(pd_validator *v, const pd_record *r, long record_index)
{
    pd_findings *l = NULL;
    int rc = pd_findings_new(&l);
    if (rc >= 0)
        rc = pd_validator_add(l, v, r, record_index);
    if (rc < 0) {
        pd_findings_free(l);
        pd_py_raise(rc);
        return NULL;
    }
    PyObject *res = pd_py_findings_from(l, 0);
    pd_findings_free(l);
    return res;
}

/* pd_validator_add_decode_error: the PD-R000 finding as a list of one dict */
PyObject *pd_py_validator_add_decode_error(pd_validator *v, long record_index, const char *detail)
{
    pd_findings *l = NULL;
    int rc = pd_findings_new(&l);
    if (rc >= 0)
        rc = pd_validator_add_decode_error(l, v, record_index, detail);
    if (rc < 0) {
        pd_findings_free(l);
        pd_py_raise(rc);
        return NULL;
    }
    PyObject *res = pd_py_findings_from(l, 0);
    pd_findings_free(l);
    return res;
}

/* pd_validator_finish: the set rules' findings as a list of dicts */
PyObject *pd_py_validator_finish(pd_validator *v)
{
    pd_findings *l = NULL;
    int rc = pd_findings_new(&l);
    if (rc >= 0)
        rc = pd_validator_finish(l, v);
    if (rc < 0) {
        pd_findings_free(l);
        pd_py_raise(rc);
        return NULL;
    }
    PyObject *res = pd_py_findings_from(l, 0);
    pd_findings_free(l);
    return res;
}

/* pd_validator_stats: (records, errors, warnings, infos) */
PyObject *pd_py_validator_stats(const pd_validator *v)
{
    size_t a = 0, b = 0, c = 0, d = 0;
    pd_validator_stats(v, &a, &b, &c, &d);
    return Py_BuildValue("(nnnn)", (Py_ssize_t)a, (Py_ssize_t)b, (Py_ssize_t)c, (Py_ssize_t)d);
}
%}
