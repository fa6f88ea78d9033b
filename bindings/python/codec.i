/* codec.i: bindings of the codec module (codec.h). The Pythonic layer is
 * partydata/_codec.py (partydata.read / partydata.write); Record.bytes(), to_json()
 * and their inverses in _record.py call the single-record functions here.
 *
 * Readers and writers cross as owning proxies: a reader is freed when collected; a
 * writer is closed (flushed) when collected unless it was closed explicitly, which
 * disowns the proxy first (see _codec.py). The FILE * and memory variants are not
 * bound (Python passes paths). */
%{
#include "partydata/codec.h"
%}

%nodefaultctor pd_reader;
%nodefaultctor pd_writer;
typedef struct pd_reader {} pd_reader;
typedef struct pd_writer {} pd_writer;
%extend pd_reader { ~pd_reader() { pd_reader_free($self); } }
%extend pd_writer { ~pd_writer() { pd_writer_close($self); } }
PD_OUT_HANDLE(pd_reader)
PD_OUT_HANDLE(pd_writer)

typedef enum pd_format { PD_FORMAT_AUTO = 0, PD_FORMAT_PB = 1, PD_FORMAT_JSONL = 2, PD_FORMAT_CSV = 3 } pd_format;
#define PD_JSON_IGNORE_UNKNOWN 1
#define PD_JSON_BARE 2
#define PD_CSV_MAX_REPEAT 3
#define PD_JSON_MAX_DEPTH 64

/* (unsigned char **out, size_t *len): bytes owned by the caller */
%typemap(in, numinputs=0) (unsigned char **out, size_t *len) (unsigned char *tmp = NULL, size_t tlen = 0) {
    $1 = &tmp;
    $2 = &tlen;
}
%typemap(argout) (unsigned char **out, size_t *len) {
    PyObject *b = PyBytes_FromStringAndSize((const char *)tmp$argnum, (Py_ssize_t)tlen$argnum);
    pd_free(tmp$argnum);
    if (!b) SWIG_fail;
    $result = SWIG_Python_AppendOutput($result, b);
}
/* (data, len) and (json, len) from bytes (or str for JSON) */
%typemap(in) (const unsigned char *data, size_t len) (char *buf = NULL, Py_ssize_t n = 0) {
    if (PyBytes_AsStringAndSize($input, &buf, &n) < 0) SWIG_fail;
    $1 = ($1_ltype)buf;
    $2 = (size_t)n;
}
%typemap(in) (const char *json, size_t len) (const char *buf = NULL, Py_ssize_t n = 0) {
    if (PyUnicode_Check($input)) {
        buf = PyUnicode_AsUTF8AndSize($input, &n);
        if (!buf) SWIG_fail;
    } else if (PyBytes_AsStringAndSize($input, (char **)&buf, &n) < 0) {
        SWIG_fail;
    }
    $1 = ($1_ltype)buf;
    $2 = (size_t)n;
}

pd_format pd_format_from_path(const char *path);
const char *pd_format_name(pd_format f);
pd_rc pd_record_to_pb(unsigned char **out, size_t *len, const pd_record *r);
pd_rc pd_record_from_pb(pd_record **out, const unsigned char *data, size_t len);
pd_rc pd_record_to_json(char **out, const pd_record *r, unsigned flags);
pd_rc pd_record_from_json(pd_record **out, const char *json, size_t len, pd_kind kind, unsigned flags);
pd_rc pd_csv_columns(pd_strarray *out);
long pd_reader_record_index(const pd_reader *rd);
long long pd_reader_offset(const pd_reader *rd);
pd_format pd_reader_format(const pd_reader *rd);
pd_rc pd_writer_write(pd_writer *w, const pd_record *r);
long pd_writer_count(const pd_writer *w);
pd_rc pd_writer_close(pd_writer *w);

%inline %{
/* pd_format_parse: the format's number, or raise InvalidError */
pd_rc pd_py_format_parse(size_t *out, const char *name)
{
    pd_format f = PD_FORMAT_AUTO;
    int rc = pd_format_parse(&f, name);
    *out = (size_t)f;
    return rc;
}
/* pd_reader_open with the options as arguments (max_record_bytes 0 = default) */
pd_rc pd_py_reader_open(pd_reader **out, const char *path, int format, unsigned flags,
                        size_t max_record_bytes)
{
    pd_reader_options o;
    pd_reader_options_init(&o, PD_READER_OPTIONS_VERSION);
    o.format = (pd_format)format;
    o.flags = flags;
    o.max_record_bytes = max_record_bytes;
    return pd_reader_open(out, path, &o);
}
/* pd_reader_next without raising: [rc, record or None]; rc is 0, PD_ITEROVER or the
 * error code (details in pd_error_last()) */
int pd_py_reader_next(pd_record **out, pd_reader *rd)
{
    return pd_reader_next(out, rd);
}
/* pd_reader_raw as bytes (None before the first record) */
PyObject *pd_py_reader_raw(const pd_reader *rd)
{
    size_t n = 0;
    const unsigned char *p = pd_reader_raw(rd, &n);
    if (!p)
        Py_RETURN_NONE;
    return PyBytes_FromStringAndSize((const char *)p, (Py_ssize_t)n);
}
pd_rc pd_py_writer_open(pd_writer **out, const char *path, int format)
{
    pd_writer_options o;
    pd_writer_options_init(&o, PD_WRITER_OPTIONS_VERSION);
    o.format = (pd_format)format;
    return pd_writer_open(out, path, &o);
}
%}

%inline %{
/* pd_reader_open_memory over a bytes object: every record it holds, as a list of
 * owned pd_record proxies; the first bad record raises (the buffer only needs to
 * live for this call, so the reader never outlives it). */
PyObject *pd_py_decode_all(PyObject *data, int format, unsigned flags)
{
    char *buf = NULL;
    Py_ssize_t len = 0;
    if (PyBytes_AsStringAndSize(data, &buf, &len) < 0)
        return NULL;
    pd_reader_options o;
    pd_reader_options_init(&o, PD_READER_OPTIONS_VERSION);
    o.format = (pd_format)format;
    o.flags = flags;
    o.name = "<bytes>";
    pd_reader *rd = NULL;
    int rc = pd_reader_open_memory(&rd, buf, (size_t)len, &o);
    if (rc < 0) {
        pd_py_raise(rc);
        return NULL;
    }
    PyObject *list = PyList_New(0);
    pd_record *r = NULL;
    while (list && (rc = pd_reader_next(&r, rd)) == 0) {
        PyObject *obj = SWIG_NewPointerObj(SWIG_as_voidptr(r), SWIGTYPE_p_pd_record, SWIG_POINTER_OWN);
        if (!obj || PyList_Append(list, obj) < 0) {
            Py_XDECREF(obj);
            Py_CLEAR(list);
            break;
        }
        Py_DECREF(obj);
    }
    pd_reader_free(rd);
    if (list && rc != PD_ITEROVER) {
        pd_py_raise(rc);
        Py_CLEAR(list);
    }
    return list;
}
%}
