/* refdata.i: bindings of the refdata module (refdata.h).
 *
 * The tables are static: rows cross as plain dicts (copies), lists of rows as lists.
 * Functions returning a row raise NotFoundError / ConflictError (ambiguous name) like
 * the C functions; the Pythonic layer is partydata/_refdata.py. */
%{
#include "partydata/refdata.h"

static PyObject *pd_py_rd_str(const char *s)
{
    if (!s)
        Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogateescape");
}

static PyObject *pd_py_rd_province(const pd_province *p)
{
    return Py_BuildValue("{s:N,s:N,s:N,s:N,s:i,s:N,s:N,s:N,s:N}", "code", pd_py_rd_str(p->code),
                         "name", pd_py_rd_str(p->name), "full_name", pd_py_rd_str(p->full_name),
                         "type", pd_py_rd_str(p->type), "gen", (int)p->gen,
                         "cccd_code", pd_py_rd_str(p->cccd_code),
                         "successor_code", pd_py_rd_str(p->successor_code),
                         "formed_from", pd_py_rd_str(p->formed_from),
                         "former_name", pd_py_rd_str(p->former_name));
}

static PyObject *pd_py_rd_commune(const pd_commune *c)
{
    return Py_BuildValue("{s:N,s:N,s:N,s:N,s:i,s:N,s:N,s:N,s:O}", "code", pd_py_rd_str(c->code),
                         "name", pd_py_rd_str(c->name), "full_name", pd_py_rd_str(c->full_name),
                         "type", pd_py_rd_str(c->type), "gen", (int)c->gen,
                         "province_code", pd_py_rd_str(c->province_code),
                         "district_code", pd_py_rd_str(c->district_code),
                         "district_name", pd_py_rd_str(c->district_name),
                         "valid", c->valid ? Py_True : Py_False);
}

static PyObject *pd_py_rd_conversion(const pd_conversion *v)
{
    return Py_BuildValue("{s:N,s:N,s:O,s:N,s:N,s:N,s:N,s:N,s:N,s:N,s:N}", "old_code", pd_py_rd_str(v->old_code),
                         "new_code", pd_py_rd_str(v->new_code), "partial", v->partial ? Py_True : Py_False,
                         "old_full_name", pd_py_rd_str(v->old_full_name),
                         "new_full_name", pd_py_rd_str(v->new_full_name),
                         "old_province_code", pd_py_rd_str(v->old_province_code),
                         "new_province_code", pd_py_rd_str(v->new_province_code),
                         "old_district_code", pd_py_rd_str(v->old_district_code),
                         "old_level", pd_py_rd_str(v->old_level), "legal_basis", pd_py_rd_str(v->legal_basis),
                         "note", pd_py_rd_str(v->note));
}

static PyObject *pd_py_rd_ethnic(const pd_ethnic_group *g)
{
    return Py_BuildValue("{s:N,s:N,s:N,s:N,s:N,s:N}", "code_2008",
                         pd_py_rd_str(pd_refdata_ethnic_code(g, PD_ETHNIC_LIST_2008)), "code_1979",
                         pd_py_rd_str(pd_refdata_ethnic_code(g, PD_ETHNIC_LIST_1979)), "name", pd_py_rd_str(g->name),
                         "aliases", pd_py_rd_str(g->aliases), "name_1979", pd_py_rd_str(g->name_1979),
                         "other_names_1979", pd_py_rd_str(g->other_names_1979));
}

static PyObject *pd_py_rd_religion(const pd_religion *r)
{
    return Py_BuildValue("{s:N,s:N,s:N}", "code", pd_py_rd_str(r->code), "name", pd_py_rd_str(r->name),
                         "aliases", pd_py_rd_str(r->aliases));
}

static PyObject *pd_py_rd_label(const pd_label *l)
{
    return Py_BuildValue("{s:N,s:i,s:N,s:N,s:N,s:N}", "enum_type", pd_py_rd_str(l->enum_type),
                         "value", l->value, "name", pd_py_rd_str(l->name),
                         "short_name", pd_py_rd_str(l->short_name), "vi", pd_py_rd_str(l->vi),
                         "en", pd_py_rd_str(l->en));
}

static PyObject *pd_py_rd_name(const pd_name_stat *s)
{
    return Py_BuildValue("{s:N,s:C,s:l,s:d,s:d}", "name", pd_py_rd_str(s->name), "gender", (int)s->gender,
                         "count", s->count, "share_percent", s->share_percent,
                         "published_percent", s->published_percent);
}

/* raise for rc < 0 (as the pd_rc typemap does) */
static PyObject *pd_py_rd_fail(int rc)
{
    pd_py_raise(rc);
    return NULL;
}
%}

typedef enum pd_admin_gen { PD_ADMIN_GEN_ANY = 0, PD_ADMIN_GEN_PRE2025 = 1, PD_ADMIN_GEN_2025 = 2 } pd_admin_gen;
typedef enum pd_ethnic_list {
    PD_ETHNIC_LIST_UNSPECIFIED = 0, PD_ETHNIC_LIST_1979 = 1, PD_ETHNIC_LIST_2008 = 2
} pd_ethnic_list;
typedef enum pd_name_table { PD_NAME_SURNAME = 1, PD_NAME_MIDDLE = 2, PD_NAME_GIVEN = 3 } pd_name_table;

size_t pd_refdata_province_count(pd_admin_gen gen);
size_t pd_refdata_commune_count(pd_admin_gen gen);
size_t pd_refdata_conversion_count(void);
size_t pd_refdata_change_count(void);
size_t pd_refdata_ethnic_count(void);
size_t pd_refdata_religion_count(void);
size_t pd_refdata_label_count(void);
size_t pd_refdata_name_count(pd_name_table table);
pd_admin_gen pd_refdata_gen_as_of(const pd_date *date);
pd_rc pd_refdata_ethnic_candidates(pd_strarray *out, const char *name);

%inline %{
/* ---- whole tables (lists of dicts) ---- */
PyObject *pd_py_refdata_provinces(int gen)
{
    size_t n = pd_refdata_province_count((pd_admin_gen)gen), i;
    PyObject *l = PyList_New((Py_ssize_t)n);
    for (i = 0; l && i < n; i++)
        PyList_SET_ITEM(l, (Py_ssize_t)i, pd_py_rd_province(pd_refdata_province_at((pd_admin_gen)gen, i)));
    return l;
}
PyObject *pd_py_refdata_communes(int gen)
{
    size_t n = pd_refdata_commune_count((pd_admin_gen)gen), i;
    PyObject *l = PyList_New((Py_ssize_t)n);
    for (i = 0; l && i < n; i++)
        PyList_SET_ITEM(l, (Py_ssize_t)i, pd_py_rd_commune(pd_refdata_commune_at((pd_admin_gen)gen, i)));
    return l;
}
PyObject *pd_py_refdata_conversions(void)
{
    size_t n = pd_refdata_conversion_count(), i;
    PyObject *l = PyList_New((Py_ssize_t)n);
    for (i = 0; l && i < n; i++)
        PyList_SET_ITEM(l, (Py_ssize_t)i, pd_py_rd_conversion(pd_refdata_conversion_at(i)));
    return l;
}
PyObject *pd_py_refdata_changes(void)
{
    size_t n = pd_refdata_change_count(), i;
    PyObject *l = PyList_New((Py_ssize_t)n);
    for (i = 0; l && i < n; i++) {
        const pd_admin_change *c = pd_refdata_change_at(i);
        PyList_SET_ITEM(l, (Py_ssize_t)i, Py_BuildValue("{s:N,s:N,s:N,s:N,s:N,s:(iii),s:N}",
            "level", pd_py_rd_str(c->level), "code", pd_py_rd_str(c->code), "field", pd_py_rd_str(c->field),
            "old_value", pd_py_rd_str(c->old_value), "new_value", pd_py_rd_str(c->new_value),
            "effective", c->effective.year, c->effective.month, c->effective.day,
            "legal_basis", pd_py_rd_str(c->legal_basis)));
    }
    return l;
}
PyObject *pd_py_refdata_ethnic_groups(void)
{
    size_t n = pd_refdata_ethnic_count(), i;
    PyObject *l = PyList_New((Py_ssize_t)n);
    for (i = 0; l && i < n; i++)
        PyList_SET_ITEM(l, (Py_ssize_t)i, pd_py_rd_ethnic(pd_refdata_ethnic_at(i)));
    return l;
}
PyObject *pd_py_refdata_religions(void)
{
    size_t n = pd_refdata_religion_count(), i;
    PyObject *l = PyList_New((Py_ssize_t)n);
    for (i = 0; l && i < n; i++)
        PyList_SET_ITEM(l, (Py_ssize_t)i, pd_py_rd_religion(pd_refdata_religion_at(i)));
    return l;
}
PyObject *pd_py_refdata_labels(void)
{
    size_t n = pd_refdata_label_count(), i;
    PyObject *l = PyList_New((Py_ssize_t)n);
    for (i = 0; l && i < n; i++)
        PyList_SET_ITEM(l, (Py_ssize_t)i, pd_py_rd_label(pd_refdata_label_at(i)));
    return l;
}
PyObject *pd_py_refdata_names(int table)
{
    size_t n = pd_refdata_name_count((pd_name_table)table), i;
    PyObject *l = PyList_New((Py_ssize_t)n);
    for (i = 0; l && i < n; i++)
        PyList_SET_ITEM(l, (Py_ssize_t)i, pd_py_rd_name(pd_refdata_name_at((pd_name_table)table, i)));
    return l;
}

/* ---- look-ups (a dict, or raise) ---- */
PyObject *pd_py_refdata_province(int gen, const char *code)
{
    const pd_province *p;
    int rc = pd_refdata_province(&p, (pd_admin_gen)gen, code);
    return rc ? pd_py_rd_fail(rc) : pd_py_rd_province(p);
}
PyObject *pd_py_refdata_province_by_name(int gen, const char *name)
{
    const pd_province *p;
    int rc = pd_refdata_province_by_name(&p, (pd_admin_gen)gen, name);
    return rc ? pd_py_rd_fail(rc) : pd_py_rd_province(p);
}
PyObject *pd_py_refdata_commune(int gen, const char *code)
{
    const pd_commune *c;
    int rc = pd_refdata_commune(&c, (pd_admin_gen)gen, code);
    return rc ? pd_py_rd_fail(rc) : pd_py_rd_commune(c);
}
PyObject *pd_py_refdata_commune_by_name(int gen, const char *province_code, const char *name)
{
    const pd_commune *c;
    int rc = pd_refdata_commune_by_name(&c, (pd_admin_gen)gen, province_code, name);
    return rc ? pd_py_rd_fail(rc) : pd_py_rd_commune(c);
}
PyObject *pd_py_refdata_commune_successors(const char *old_code)
{
    const pd_conversion *v;
    size_t n, i;
    int rc = pd_refdata_commune_successors(&v, &n, old_code);
    PyObject *l;
    if (rc)
        return pd_py_rd_fail(rc);
    l = PyList_New((Py_ssize_t)n);
    for (i = 0; l && i < n; i++)
        PyList_SET_ITEM(l, (Py_ssize_t)i, pd_py_rd_conversion(&v[i]));
    return l;
}
PyObject *pd_py_refdata_commune_predecessors(const char *new_code)
{
    const pd_conversion **v;
    size_t n, i;
    int rc = pd_refdata_commune_predecessors(&v, &n, new_code);
    PyObject *l;
    if (rc)
        return pd_py_rd_fail(rc);
    l = PyList_New((Py_ssize_t)n);
    for (i = 0; l && i < n; i++)
        PyList_SET_ITEM(l, (Py_ssize_t)i, pd_py_rd_conversion(v[i]));
    pd_free(v);
    return l;
}
/* (commune dict, type that day) */
PyObject *pd_py_refdata_commune_as_of(const char *code, const pd_date *date)
{
    const pd_commune *c;
    const char *t;
    int rc = pd_refdata_commune_as_of(&c, &t, code, date);
    return rc ? pd_py_rd_fail(rc) : Py_BuildValue("(NN)", pd_py_rd_commune(c), pd_py_rd_str(t));
}
PyObject *pd_py_refdata_province_as_of(const char *code, const pd_date *date)
{
    const pd_province *p;
    const char *t;
    int rc = pd_refdata_province_as_of(&p, &t, code, date);
    return rc ? pd_py_rd_fail(rc) : Py_BuildValue("(NN)", pd_py_rd_province(p), pd_py_rd_str(t));
}
/* types on a date: pd_refdata_commune_type_as_of / pd_refdata_province_type_as_of */
PyObject *pd_py_refdata_commune_type_as_of(int gen, const char *code, const pd_date *date)
{
    const pd_commune *c;
    int rc = pd_refdata_commune(&c, (pd_admin_gen)gen, code);
    return rc ? pd_py_rd_fail(rc) : pd_py_rd_str(pd_refdata_commune_type_as_of(c, date));
}
PyObject *pd_py_refdata_province_type_as_of(int gen, const char *code, const pd_date *date)
{
    const pd_province *p;
    int rc = pd_refdata_province(&p, (pd_admin_gen)gen, code);
    return rc ? pd_py_rd_fail(rc) : pd_py_rd_str(pd_refdata_province_type_as_of(p, date));
}
PyObject *pd_py_refdata_cccd_decode(const char *cccd)
{
    pd_cccd_info ci;
    int rc = pd_refdata_cccd_decode(&ci, cccd);
    if (rc && rc != PD_ENOTFOUND)
        return pd_py_rd_fail(rc);
    return Py_BuildValue("{s:N,s:i,s:i}", "province", ci.province ? pd_py_rd_province(ci.province)
                                                                  : (Py_INCREF(Py_None), Py_None),
                         "gender", (int)ci.gender, "birth_year", ci.birth_year);
}
PyObject *pd_py_refdata_cccd_province(const char *code3)
{
    const pd_province *p;
    int rc = pd_refdata_cccd_province(&p, code3);
    return rc ? pd_py_rd_fail(rc) : pd_py_rd_province(p);
}
PyObject *pd_py_refdata_ethnic_by_code(int list, const char *code)
{
    const pd_ethnic_group *g;
    int rc = pd_refdata_ethnic_by_code(&g, (pd_ethnic_list)list, code);
    return rc ? pd_py_rd_fail(rc) : pd_py_rd_ethnic(g);
}
PyObject *pd_py_refdata_ethnic_by_name(const char *name)
{
    const pd_ethnic_group *g;
    int rc = pd_refdata_ethnic_by_name(&g, name);
    return rc ? pd_py_rd_fail(rc) : pd_py_rd_ethnic(g);
}
PyObject *pd_py_refdata_religion_by_code(const char *code)
{
    const pd_religion *r;
    int rc = pd_refdata_religion_by_code(&r, code);
    return rc ? pd_py_rd_fail(rc) : pd_py_rd_religion(r);
}
PyObject *pd_py_refdata_religion_by_name(const char *name)
{
    const pd_religion *r;
    int rc = pd_refdata_religion_by_name(&r, name);
    return rc ? pd_py_rd_fail(rc) : pd_py_rd_religion(r);
}
PyObject *pd_py_refdata_label(const char *enum_type, int value)
{
    const pd_label *l;
    int rc = pd_refdata_label(&l, enum_type, value);
    return rc ? pd_py_rd_fail(rc) : pd_py_rd_label(l);
}
PyObject *pd_py_refdata_label_by_name(const char *enum_type, const char *name)
{
    const pd_label *l;
    int rc = pd_refdata_label_by_name(&l, enum_type, name);
    return rc ? pd_py_rd_fail(rc) : pd_py_rd_label(l);
}
PyObject *pd_py_refdata_name_find(int table, const char *name)
{
    const pd_name_stat *s;
    int rc = pd_refdata_name_find(&s, (pd_name_table)table, name);
    return rc ? pd_py_rd_fail(rc) : pd_py_rd_name(s);
}
%}
