/* match.i: bindings of the match and merge modules (match.h, merge.h).
 *
 * A matcher is an owned pd_matcher proxy; pair and cluster iterators are owned
 * proxies whose next() returns a plain tuple or None at the end; explanations,
 * statistics, quality and counts come out as dicts. Options structs are flattened
 * into arguments. Stores are the pd_py_store proxies of store.i. The Pythonic layer
 * is partydata/_match.py. */
%{
#include "partydata/match.h"
#include "partydata/merge.h"

static PyObject *pd_py_explanation(const pd_match_explanation *e)
{
    PyObject *fields = PyList_New(0);
    if (!fields)
        return NULL;
    for (int i = 0; i < PD_MATCH_NFIELDS; i++) {
        const pd_match_field_score *f = &e->fields[i];
        PyObject *d = Py_BuildValue("{s:s,s:s,s:d,s:s,s:d}", "field", f->name, "level",
                                    pd_match_level_name(f->level), "weight", f->weight, "how",
                                    f->how ? f->how : "", "similarity", f->similarity);
        if (!d || PyList_Append(fields, d) < 0) {
            Py_XDECREF(d);
            Py_DECREF(fields);
            return NULL;
        }
        Py_DECREF(d);
    }
    return Py_BuildValue("{s:d,s:N}", "score", e->score, "fields", fields);
}

static PyObject *pd_py_uuid_str(const pd_uuid *u)
{
    char b[PD_UUID_STRLEN];
    return PyUnicode_FromString(pd_uuid_format(b, u));
}
%}

%nodefaultctor pd_matcher;
typedef struct pd_matcher {} pd_matcher;
%extend pd_matcher { ~pd_matcher() { pd_matcher_free($self); } }
%nodefaultctor pd_match_pair_iter;
typedef struct pd_match_pair_iter {} pd_match_pair_iter;
%extend pd_match_pair_iter { ~pd_match_pair_iter() { pd_match_pair_iter_free($self); } }
%nodefaultctor pd_match_cluster_iter;
typedef struct pd_match_cluster_iter {} pd_match_cluster_iter;
%extend pd_match_cluster_iter { ~pd_match_cluster_iter() { pd_match_cluster_iter_free($self); } }
PD_OUT_HANDLE(pd_matcher)
PD_OUT_HANDLE(pd_match_pair_iter)
PD_OUT_HANDLE(pd_match_cluster_iter)

%apply pd_strarray *out { pd_strarray *conflicts };

#define PD_MATCH_NO_EM 1u
#define PD_MATCH_NO_TRANSITIVITY 2u
#define PD_MATCH_KEEP_ALL_PAIRS 4u
#define PD_MATCH_ADD_REFERENCE 1u
#define PD_MERGE3_THEIRS 1u
#define PD_MATCH_NFIELDS 12

pd_rc pd_matcher_add(pd_matcher *mt, const pd_member *m, unsigned int flags);
size_t pd_matcher_count(const pd_matcher *mt);
pd_rc pd_matcher_set_mu(pd_matcher *mt, int field, int level, double m, double u);
pd_rc pd_matcher_run(pd_matcher *mt);
pd_rc pd_matcher_pairs(pd_match_pair_iter **out, const pd_matcher *mt, double min_score);
pd_rc pd_matcher_clusters(pd_match_cluster_iter **out, const pd_matcher *mt);
double pd_match_jaro_winkler(const char *a, const char *b);
const char *pd_match_field_name(int field);
const char *pd_match_level_name(int level);

%inline %{
pd_rc pd_py_matcher_new(pd_matcher **out, double threshold, unsigned int flags,
                        int em_iterations, long max_block)
{
    pd_match_options o;
    pd_match_options_init(&o, PD_MATCH_OPTIONS_VERSION);
    o.threshold = threshold;
    o.flags = flags;
    o.em_iterations = em_iterations;
    o.max_block = max_block > 0 ? (size_t)max_block : 0;
    return pd_matcher_new(out, &o);
}

pd_rc pd_py_matcher_add_store(pd_matcher *mt, pd_py_store *s, unsigned int flags)
{
    if (!s || !s->st)
        return pd_matcher_add_store(mt, NULL, flags);
    return pd_matcher_add_store(mt, s->st, flags);
}

pd_rc pd_py_matcher_add_store_candidates(pd_matcher *mt, pd_py_store *s, const pd_member *m,
                                        unsigned int flags)
{
    return pd_matcher_add_store_candidates(mt, s ? s->st : NULL, m, flags);
}

PyObject *pd_py_matcher_mu(pd_matcher *mt, int field, int level)
{
    double m, u;
    int rc = pd_matcher_mu(&m, &u, mt, (pd_match_field)field, (pd_match_level)level);
    if (rc < 0) {
        pd_py_raise(rc);
        return NULL;
    }
    return Py_BuildValue("(dd)", m, u);
}

PyObject *pd_py_matcher_stats(pd_matcher *mt)
{
    pd_match_stats s;
    int rc = pd_matcher_stats(&s, mt);
    if (rc < 0) {
        pd_py_raise(rc);
        return NULL;
    }
    return Py_BuildValue("{s:n,s:n,s:n,s:n,s:n,s:n,s:n,s:n,s:i}", "records", (Py_ssize_t)s.records,
                         "reference_records", (Py_ssize_t)s.reference_records,
                         "candidate_pairs", (Py_ssize_t)s.candidate_pairs,
                         "matched_pairs", (Py_ssize_t)s.matched_pairs,
                         "clusters", (Py_ssize_t)s.clusters,
                         "clustered_records", (Py_ssize_t)s.clustered_records,
                         "split_clusters", (Py_ssize_t)s.split_clusters,
                         "skipped_blocks", (Py_ssize_t)s.skipped_blocks,
                         "em_iterations", s.em_iterations);
}

/* (a, b, index_a, index_b, score, is_match) or None at the end */
PyObject *pd_py_pair_next(pd_match_pair_iter *it)
{
    pd_match_pair p;
    int rc = pd_match_pair_iter_next(&p, it);
    if (rc == PD_ITEROVER)
        Py_RETURN_NONE;
    if (rc < 0) {
        pd_py_raise(rc);
        return NULL;
    }
    return Py_BuildValue("(NNnndO)", pd_py_uuid_str(&p.a), pd_py_uuid_str(&p.b),
                         (Py_ssize_t)p.index_a, (Py_ssize_t)p.index_b, p.score,
                         p.is_match ? Py_True : Py_False);
}

/* (index, [ids], [indexes]) or None at the end */
PyObject *pd_py_cluster_next(pd_match_cluster_iter *it)
{
    pd_match_cluster c;
    int rc = pd_match_cluster_iter_next(&c, it);
    if (rc == PD_ITEROVER)
        Py_RETURN_NONE;
    if (rc < 0) {
        pd_py_raise(rc);
        return NULL;
    }
    PyObject *ids = PyList_New((Py_ssize_t)c.count), *idx = PyList_New((Py_ssize_t)c.count);
    if (!ids || !idx) {
        Py_XDECREF(ids);
        Py_XDECREF(idx);
        return NULL;
    }
    for (size_t k = 0; k < c.count; k++) {
        PyList_SET_ITEM(ids, (Py_ssize_t)k, pd_py_uuid_str(&c.members[k]));
        PyList_SET_ITEM(idx, (Py_ssize_t)k, PyLong_FromSize_t(c.indexes[k]));
    }
    return Py_BuildValue("(nNN)", (Py_ssize_t)c.index, ids, idx);
}

PyObject *pd_py_matcher_explain(pd_matcher *mt, long a, long b)
{
    pd_match_explanation e;
    int rc = (a < 0 || b < 0) ? pd_matcher_explain(&e, mt, (size_t)-1, 0)
                              : pd_matcher_explain(&e, mt, (size_t)a, (size_t)b);
    if (rc < 0) {
        pd_py_raise(rc);
        return NULL;
    }
    return pd_py_explanation(&e);
}

/* the explanation as text (pd_match_explanation_text) or JSON (..._json) */
pd_rc pd_py_matcher_explain_str(char **out, pd_matcher *mt, long a, long b, int json)
{
    pd_match_explanation e;
    int rc = (a < 0 || b < 0) ? pd_matcher_explain(&e, mt, (size_t)-1, 0)
                              : pd_matcher_explain(&e, mt, (size_t)a, (size_t)b);
    if (rc < 0)
        return rc;
    return json ? pd_match_explanation_json(out, &e) : pd_match_explanation_text(out, &e);
}

pd_rc pd_py_matcher_index(size_t *out, pd_matcher *mt, const pd_uuid *id)
{
    return pd_matcher_index(out, mt, id);
}

PyObject *pd_py_match_compare(const pd_member *a, const pd_member *b, pd_matcher *mt)
{
    pd_match_explanation e;
    int rc = pd_match_compare(&e, a, b, mt);
    if (rc < 0) {
        pd_py_raise(rc);
        return NULL;
    }
    return pd_py_explanation(&e);
}

/* truth: a sequence of ints, one label per record */
PyObject *pd_py_matcher_evaluate(pd_matcher *mt, PyObject *labels)
{
    PyObject *seq = PySequence_Fast(labels, "truth must be a sequence of labels");
    if (!seq)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    uint64_t *t = malloc((size_t)(n ? n : 1) * sizeof *t);
    if (!t) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_hash_t hv = PyObject_Hash(PySequence_Fast_GET_ITEM(seq, i));
        if (hv == -1 && PyErr_Occurred()) {
            free(t);
            Py_DECREF(seq);
            return NULL;
        }
        t[i] = (uint64_t)hv;
    }
    Py_DECREF(seq);
    pd_match_quality q;
    int rc = pd_matcher_evaluate(&q, mt, t, (size_t)n);
    free(t);
    if (rc < 0) {
        pd_py_raise(rc);
        return NULL;
    }
    return Py_BuildValue("{s:d,s:d,s:d,s:d,s:d,s:d,s:n,s:n,s:n,s:n,s:n,s:n}",
                         "pair_precision", q.pair_precision, "pair_recall", q.pair_recall,
                         "pair_f1", q.pair_f1, "cluster_precision", q.cluster_precision,
                         "cluster_recall", q.cluster_recall, "cluster_f1", q.cluster_f1,
                         "true_pairs", (Py_ssize_t)q.true_pairs, "found_pairs",
                         (Py_ssize_t)q.found_pairs, "correct_pairs", (Py_ssize_t)q.correct_pairs,
                         "true_clusters", (Py_ssize_t)q.true_clusters, "found_clusters",
                         (Py_ssize_t)q.found_clusters, "correct_clusters",
                         (Py_ssize_t)q.correct_clusters);
}

PyObject *pd_py_match_name_similarity(const char *a, const char *b)
{
    const char *how = NULL;
    double s = pd_match_name_similarity(a, b, &how);
    return Py_BuildValue("(ds)", s, how ? how : "");
}

PyObject *pd_py_match_id_compare(const char *a, const char *b)
{
    const char *how = NULL;
    pd_match_level l = pd_match_id_compare(a, b, &how);
    return Py_BuildValue("(ss)", pd_match_level_name(l), how ? how : "");
}

PyObject *pd_py_match_date_compare(const pd_date *a, const pd_date *b)
{
    const char *how = NULL;
    pd_match_level l = pd_match_date_compare(a, b, &how);
    return Py_BuildValue("(ss)", pd_match_level_name(l), how ? how : "");
}

/* ---- merge ----------------------------------------------------------------------- */

pd_rc pd_py_member_golden(pd_record **out, pd_record *survivor, pd_record *loser)
{
    pd_member *g = NULL;
    int rc = pd_member_golden(&g, pd_record_member(survivor), pd_record_member(loser), NULL);
    if (rc < 0)
        return rc;
    *out = pd_member_record(g);
    return 0;
}

pd_rc pd_py_merge3(pd_record **out, pd_strarray *conflicts, const pd_record *base,
                   const pd_record *ours, const pd_record *theirs, unsigned int flags)
{
    return pd_merge3(out, conflicts, base, ours, theirs, flags);
}

pd_rc pd_py_merge_members(pd_py_store *s, const pd_uuid *survivor, const pd_uuid *loser,
                          const char *reason, const char *decision_number, const char *author)
{
    pd_merge_options o;
    pd_merge_options_init(&o, PD_MERGE_OPTIONS_VERSION);
    o.reason = reason;
    o.decision_number = decision_number;
    o.author = author;
    return pd_merge_members(s ? s->st : NULL, survivor, loser, &o);
}

pd_rc pd_py_unmerge_member(pd_py_store *s, const pd_uuid *loser, const char *reason)
{
    pd_merge_options o;
    pd_merge_options_init(&o, PD_MERGE_OPTIONS_VERSION);
    o.reason = reason;
    return pd_unmerge_member(s ? s->st : NULL, loser, &o);
}

pd_rc pd_py_merge_resolve(pd_uuid *out, pd_py_store *s, const pd_uuid *id)
{
    return pd_merge_resolve(out, s ? s->st : NULL, id);
}

/* from/to: ids (single) or from = table path and to = NULL (batch) */
PyObject *pd_py_org_merge(pd_py_store *s, const char *from, const char *to,
                          const char *decision_number, int year, int month, int day,
                          const char *reason, const char *author, int dry_run)
{
    pd_org_merge_options o;
    pd_org_merge_options_init(&o, PD_ORG_MERGE_OPTIONS_VERSION);
    o.decision_number = decision_number;
    o.date.year = year;
    o.date.month = month;
    o.date.day = day;
    o.reason = reason;
    o.author = author;
    o.dry_run = dry_run;
    pd_org_merge_counts c;
    memset(&c, 0, sizeof c);
    int rc;
    pd_store *st = s ? s->st : NULL;
    if (!to) {
        rc = pd_org_merge_table(&c, st, from, &o);
    } else {
        pd_uuid f, t;
        rc = pd_uuid_parse(&f, from);
        if (rc == 0)
            rc = pd_uuid_parse(&t, to);
        if (rc == 0)
            rc = pd_org_merge(&c, st, &f, &t, &o);
    }
    if (rc < 0) {
        pd_py_raise(rc);
        return NULL;
    }
    return Py_BuildValue("{s:n,s:n,s:n,s:n,s:n,s:n,s:n,s:n}", "orgs_merged", (Py_ssize_t)c.orgs_merged,
                         "members_moved", (Py_ssize_t)c.members_moved, "memberships_closed",
                         (Py_ssize_t)c.memberships_closed, "memberships_opened",
                         (Py_ssize_t)c.memberships_opened, "suborgs_moved",
                         (Py_ssize_t)c.suborgs_moved, "events", (Py_ssize_t)c.events, "skipped",
                         (Py_ssize_t)c.skipped, "residence_links_moved",
                         (Py_ssize_t)c.residence_links_moved);
}
%}
