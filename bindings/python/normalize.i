/* normalize.i: bindings of the normalize module (normalize.h).
 *
 * String helpers return str (or raise InvalidError / ParseError); structured results
 * (name parts, id numbers, places) cross as dicts; pd_normalize_record takes a record
 * proxy and returns the findings as a list of dicts (the Pythonic layer,
 * partydata/_normalize.py, wraps them). */
%{
#include "partydata/normalize.h"

static PyObject *pd_py_nz_str(const char *s)
{
    if (!s)
        Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogateescape");
}
%}

pd_rc pd_normalize_text(char **out, const char *s);
pd_rc pd_normalize_fold(char **out, const char *s);
pd_rc pd_normalize_tone_key(char **out, const char *s);
pd_rc pd_normalize_name_case(char **out, const char *s);
pd_rc pd_normalize_phone(char **out, const char *s);
pd_rc pd_normalize_date_parse(pd_date *out, const char *s);
pd_rc pd_normalize_date_parse_pivot(pd_date *out, const char *s, int pivot);
int pd_normalize_date_valid(const pd_date *d);
#define PD_NORMALIZE_YEAR_PIVOT 30
#define PD_NORMALIZE_DRY_RUN 1
#define PD_NORMALIZE_KEEP_ORIGINAL 2
#define PD_NORMALIZE_NO_PLACES 4
#define PD_NORMALIZE_PLACES_PRE2025 8
#define PD_NORMALIZE_CONVERT_CODES 16

%inline %{
/* pd_normalize_split_name: (family, middle, given) */
PyObject *pd_py_normalize_split_name(const char *full_name)
{
    pd_name_parts p;
    PyObject *t;
    int rc = pd_normalize_split_name(&p, full_name);
    if (rc) {
        pd_py_raise(rc);
        return NULL;
    }
    t = Py_BuildValue("(NNN)", pd_py_nz_str(p.family), pd_py_nz_str(p.middle), pd_py_nz_str(p.given));
    pd_name_parts_dispose(&p);
    return t;
}

/* pd_normalize_id_number: {"ok", "number", "type", "suggestion", "error"} (never raises
 * for a bad number: the dict says why) */
PyObject *pd_py_normalize_id_number(const char *s, int stated)
{
    pd_id_norm r;
    int rc = pd_normalize_id_number(&r, s, (pd_id_type)stated);
    return Py_BuildValue("{s:O,s:N,s:i,s:N,s:N}", "ok", rc == 0 ? Py_True : Py_False,
                         "number", pd_py_nz_str(r.number), "type", (int)r.type,
                         "suggestion", r.suggestion[0] ? pd_py_nz_str(r.suggestion) : (Py_INCREF(Py_None), Py_None),
                         "error", rc ? pd_py_nz_str(pd_error_last()->message) : (Py_INCREF(Py_None), Py_None));
}

/* pd_normalize_place: a dict, or raise NotFoundError */
PyObject *pd_py_normalize_place(const char *text, int to_2025)
{
    pd_place_match m;
    int rc = pd_normalize_place(&m, text, to_2025);
    if (rc) {
        pd_py_raise(rc);
        return NULL;
    }
    return Py_BuildValue("{s:s,s:s,s:s,s:i,s:O,s:O,s:O}", "province_code", m.province_code,
                         "district_code", m.district_code, "commune_code", m.commune_code, "gen", (int)m.gen,
                         "converted", m.converted ? Py_True : Py_False, "split", m.split ? Py_True : Py_False,
                         "ambiguous", m.ambiguous ? Py_True : Py_False);
}

/* pd_normalize_record with options as arguments; returns the findings (list of dicts) */
PyObject *pd_py_normalize_record(pd_record *r, unsigned int flags, int ethnic_list, long record)
{
    pd_normalize_options o;
    pd_findings *fs = NULL;
    PyObject *out;
    size_t i, n;
    int rc;
    pd_normalize_options_init(&o, PD_NORMALIZE_OPTIONS_VERSION);
    o.flags = flags;
    o.ethnic_list = (pd_ethnic_list)ethnic_list;
    o.record = record;
    if ((rc = pd_findings_new(&fs)) != 0 || (rc = pd_normalize_record(r, fs, &o)) != 0) {
        pd_findings_free(fs);
        pd_py_raise(rc);
        return NULL;
    }
    n = pd_findings_count(fs);
    out = PyList_New((Py_ssize_t)n);
    for (i = 0; out && i < n; i++) {
        const pd_finding *f = pd_findings_get(fs, i);
        char idbuf[PD_UUID_STRLEN];
        PyObject *id = pd_uuid_is_nil(&f->record_id) ? (Py_INCREF(Py_None), Py_None)
                                                      : PyUnicode_FromString(pd_uuid_format(idbuf, &f->record_id));
        PyList_SET_ITEM(out, (Py_ssize_t)i, Py_BuildValue("{s:N,s:s,s:N,s:N,s:N,s:N,s:N,s:l,s:N}",
            "rule", pd_py_nz_str(f->rule), "severity", pd_severity_name(f->severity),
            "path", pd_py_nz_str(f->path), "message_vi", pd_py_nz_str(f->message_vi),
            "message_en", pd_py_nz_str(f->message_en), "old_value", pd_py_nz_str(f->old_value),
            "new_value", pd_py_nz_str(f->new_value), "record", f->record, "record_id", id));
    }
    pd_findings_free(fs);
    return out;
}
%}
