/* core.i: error mapping, out-parameter typemaps and the core module (errors, ids,
 * version, findings). Conventions for every module's .i:
 *  - declare fallible functions with return type `pd_rc`: a negative value raises
 *    the partydata.Error subclass for pd_error_last(), otherwise returns nothing
 *    (or the out-parameters);
 *  - `char **out` returns a str (freed with pd_free), `pd_strarray *out` a list;
 *  - PD_OUT_HANDLE(type) makes `type **out` return an owned proxy. */
%{
#include "partydata/partydata.h"
typedef int pd_rc;

/* Raise the Python exception for the calling thread's last error:
 * partydata._errors.from_last(code, message, path, source, line, column, record,
 * offset, rule) builds the right subclass. */
static void pd_py_raise(int rc)
{
    const pd_error *e = pd_error_last();
    PyObject *mod = PyImport_ImportModule("partydata._errors");
    if (!mod)
        return;
    PyObject *exc = PyObject_CallMethod(mod, "from_last", "isssllllls", rc,
        (e->code == rc && e->message) ? e->message : pd_code_name(rc),
        e->code == rc ? e->field_path : NULL, e->code == rc ? e->source : NULL,
        e->code == rc ? e->line : 0L, e->code == rc ? e->column : 0L,
        e->code == rc ? e->record : 0L, e->code == rc ? (long)e->offset : -1L,
        0L, e->code == rc ? e->rule : NULL);
    Py_DECREF(mod);
    if (!exc)
        return;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
}
%}

%include "stdint.i"
typedef int pd_rc;
%typemap(out) pd_rc {
    if ($1 < 0) {
        pd_py_raise($1);
        SWIG_fail;
    }
    $result = SWIG_Py_Void();
}

/* char **out: a new string owned by the caller */
%typemap(in, numinputs=0) char **out (char *tmp = NULL) { $1 = &tmp; }
%typemap(argout) char **out {
    if (tmp$argnum) {
        PyObject *s = PyUnicode_DecodeUTF8(tmp$argnum, strlen(tmp$argnum), "surrogateescape");
        pd_free(tmp$argnum);
        if (!s) SWIG_fail;
        $result = SWIG_Python_AppendOutput($result, s);
    } else {
        $result = SWIG_Python_AppendOutput($result, SWIG_Py_Void());
    }
}

/* pd_strarray *out: a list of str */
%typemap(in, numinputs=0) pd_strarray *out (pd_strarray tmp = {0}) { $1 = &tmp; }
%typemap(argout) pd_strarray *out {
    PyObject *list = PyList_New((Py_ssize_t)tmp$argnum.count);
    for (size_t i = 0; list && i < tmp$argnum.count; i++)
        PyList_SET_ITEM(list, (Py_ssize_t)i, PyUnicode_DecodeUTF8(tmp$argnum.strings[i],
                        strlen(tmp$argnum.strings[i]), "surrogateescape"));
    pd_strarray_dispose(&tmp$argnum);
    if (!list) SWIG_fail;
    $result = SWIG_Python_AppendOutput($result, list);
}

/* size_t *out: an int */
%typemap(in, numinputs=0) size_t *out (size_t tmp = 0) { $1 = &tmp; }
%typemap(argout) size_t *out { $result = SWIG_Python_AppendOutput($result, PyLong_FromSize_t(tmp$argnum)); }

/* pd_uuid: crosses as its 36-character text */
%typemap(in) const pd_uuid * (pd_uuid tmp) {
    const char *s = PyUnicode_Check($input) ? PyUnicode_AsUTF8($input) : NULL;
    if (!s || pd_uuid_parse(&tmp, s) != 0) {
        PyErr_SetString(PyExc_ValueError, "expected a UUID string");
        SWIG_fail;
    }
    $1 = &tmp;
}
%typemap(typecheck) const pd_uuid * { $1 = PyUnicode_Check($input); }
%typemap(in, numinputs=0) pd_uuid *out (pd_uuid tmp) { memset(&tmp, 0, sizeof tmp); $1 = &tmp; }
%typemap(argout) pd_uuid *out {
    char buf[PD_UUID_STRLEN];
    $result = SWIG_Python_AppendOutput($result, PyUnicode_FromString(pd_uuid_format(buf, &tmp$argnum)));
}

/* pd_date: crosses as a (year, month, day) tuple, 0 = unknown part */
%typemap(in) const pd_date * (pd_date tmp) {
    if ($input == Py_None) { $1 = NULL; }
    else {
        if (!PyArg_ParseTuple($input, "iii", &tmp.year, &tmp.month, &tmp.day)) SWIG_fail;
        $1 = &tmp;
    }
}
%typemap(typecheck) const pd_date * { $1 = ($input == Py_None) || PyTuple_Check($input); }
%typemap(in, numinputs=0) pd_date *out (pd_date tmp = {0, 0, 0}) { $1 = &tmp; }
%typemap(argout) pd_date *out {
    $result = SWIG_Python_AppendOutput($result, Py_BuildValue("(iii)", tmp$argnum.year,
                                       tmp$argnum.month, tmp$argnum.day));
}

/* PD_OUT_HANDLE(type): `type **out` returns a proxy that owns the object */
%define PD_OUT_HANDLE(TYPE)
%typemap(in, numinputs=0) TYPE **out (TYPE *tmp = NULL) { $1 = &tmp; }
%typemap(argout) TYPE **out {
    $result = SWIG_Python_AppendOutput($result, tmp$argnum
        ? SWIG_NewPointerObj(SWIG_as_voidptr(tmp$argnum), $descriptor(TYPE *), SWIG_POINTER_OWN)
        : SWIG_Py_Void());
}
%enddef

/* ---- core module ---------------------------------------------------------- */
int pd_version_number(void);
const char *pd_version_string(void);
const char *pd_code_name(int code);
void pd_error_clear(void);
pd_rc pd_uuid_new(pd_uuid *out);
int64_t pd_uuid_time_ms(const pd_uuid *id);
%inline %{
/* For tests of the error mapping: the thread's last error fields. */
PyObject *pd_py_error_last(void)
{
    const pd_error *e = pd_error_last();
    return Py_BuildValue("{s:i,s:s,s:z,s:z,s:l,s:l,s:l,s:L,s:z}", "code", e->code,
                         "message", e->message, "path", e->field_path, "source", e->source,
                         "line", e->line, "column", e->column, "record", e->record,
                         "offset", (long long)e->offset, "rule", e->rule);
}
/* pd_uuid_parse + pd_uuid_format: canonical text of a UUID, or raise. */
pd_rc pd_py_uuid_canonical(char **out, const char *text)
{
    pd_uuid u;
    int rc = pd_uuid_parse(&u, text);
    if (rc < 0)
        return rc;
    *out = malloc(PD_UUID_STRLEN);
    if (!*out)
        return PD_ENOMEM;
    pd_uuid_format(*out, &u);
    return 0;
}
int pd_py_uuid_cmp(const pd_uuid *a, const pd_uuid *b) { return pd_uuid_cmp(a, b); }
int pd_py_uuid_is_nil(const pd_uuid *a) { return pd_uuid_is_nil(a); }
%}


/* ---- findings (finding.h) ----------------------------------------------------- */
%nodefaultctor pd_findings;
typedef struct pd_findings {} pd_findings;
%extend pd_findings { ~pd_findings() { pd_findings_free($self); } }
PD_OUT_HANDLE(pd_findings)
pd_rc pd_findings_new(pd_findings **out);
size_t pd_findings_count(const pd_findings *list);
void pd_findings_clear(pd_findings *list);
size_t pd_findings_count_at_least(const pd_findings *list, int min);
const char *pd_severity_name(int s);
%inline %{
/* pd_findings_add with the finding's fields as arguments. */
pd_rc pd_py_findings_add(pd_findings *list, const char *rule, int severity, const char *path,
                         const char *message_vi, const char *message_en,
                         const char *old_value, const char *new_value, long record)
{
    pd_finding f = {.rule = rule, .severity = (pd_severity)severity, .path = path,
                    .message_vi = message_vi, .message_en = message_en,
                    .old_value = old_value, .new_value = new_value, .record = record};
    return pd_findings_add(list, &f);
}
/* pd_findings_get + pd_finding_to_json: the i-th finding as its JSON text. */
pd_rc pd_py_findings_json(char **out, const pd_findings *list, size_t i)
{
    const pd_finding *f = pd_findings_get(list, i);
    if (!f)
        return PD_ENOTFOUND;
    return pd_finding_to_json(out, f);
}
%}
