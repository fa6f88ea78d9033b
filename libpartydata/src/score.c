/*
 * score.c: score findings and duplicate clusters against the generator's truth
 * (score.h). The truth is loaded in memory (a few dozen bytes per defect); the
 * findings and clusters are streamed line by line.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pd_internal.h"
#include "partydata/score.h"

struct pd_score {
    pd_score_row *rows;
    size_t n, cap;
};

/* ---- small containers ------------------------------------------------------------- */

typedef struct defect {
    pd_uuid id;
    char *path;      /* as in the truth */
    char *base;      /* path without [n] indexes */
    char *clean;
    int kind;        /* index into kinds */
    int matched, fixed;
    long next;       /* next defect of the same record (chain), -1 */
} defect;

typedef struct strtab { char **s; size_t n, cap; } strtab;

static int strtab_index(strtab *t, const char *s)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->s[i], s)) return (int)i;
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 16;
        char **p = realloc(t->s, nc * sizeof *p);
        if (!p) return -1;
        t->s = p;
        t->cap = nc;
    }
    if (!(t->s[t->n] = pd__strdup(s))) return -1;
    return (int)t->n++;
}

static void strtab_free(strtab *t)
{
    for (size_t i = 0; i < t->n; i++) free(t->s[i]);
    free(t->s);
}

/* uuid → long value hash map (open addressing) */
typedef struct idmap { pd_uuid *keys; long *vals; size_t cap, n; } idmap;

static size_t id_hash(const pd_uuid *u)
{
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < 16; i++) { h ^= u->bytes[i]; h *= 1099511628211ULL; }
    return (size_t)h;
}

static long *idmap_slot(idmap *m, const pd_uuid *u, int insert)
{
    if (insert && (m->n + 1) * 2 > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 1024;
        pd_uuid *k = calloc(nc, sizeof *k);
        long *v = malloc(nc * sizeof *v);
        if (!k || !v) { free(k); free(v); return NULL; }
        for (size_t i = 0; i < nc; i++) v[i] = -2; /* empty */
        for (size_t i = 0; i < m->cap; i++) {
            if (m->vals[i] == -2) continue;
            size_t j = id_hash(&m->keys[i]) & (nc - 1);
            while (v[j] != -2) j = (j + 1) & (nc - 1);
            k[j] = m->keys[i];
            v[j] = m->vals[i];
        }
        free(m->keys); free(m->vals);
        m->keys = k; m->vals = v; m->cap = nc;
    }
    if (!m->cap) return NULL;
    size_t j = id_hash(u) & (m->cap - 1);
    while (m->vals[j] != -2) {
        if (!memcmp(m->keys[j].bytes, u->bytes, 16)) return &m->vals[j];
        j = (j + 1) & (m->cap - 1);
    }
    if (!insert) return NULL;
    m->keys[j] = *u;
    m->vals[j] = -1;
    m->n++;
    return &m->vals[j];
}

static void idmap_free(idmap *m) { free(m->keys); free(m->vals); }

/* ---- rows ---------------------------------------------------------------------------- */

static double ratio(long long a, long long b) { return b > 0 ? (double)a / (double)b : -1.0; }

static int add_row(pd_score *s, const char *name, long long truth, long long found,
                   long long tp_truth, long long tp_found, long long fixed)
{
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 16;
        pd_score_row *r = realloc(s->rows, nc * sizeof *r);
        if (!r) return pd_error__oom();
        s->rows = r;
        s->cap = nc;
    }
    pd_score_row *r = &s->rows[s->n];
    memset(r, 0, sizeof *r);
    if (!(r->name = pd__strdup(name))) return PD_ENOMEM;
    s->n++;
    r->truth = truth; r->found = found; r->tp_truth = tp_truth; r->tp_found = tp_found;
    r->fixed = fixed;
    r->precision = ratio(tp_found, found);
    r->recall = ratio(tp_truth, truth);
    r->f1 = r->precision > 0 && r->recall > 0 ? 2 * r->precision * r->recall / (r->precision + r->recall)
          : (r->precision == 0 || r->recall == 0) ? 0.0 : -1.0;
    return 0;
}

void pd_score_free(pd_score *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) free((char *)s->rows[i].name);
    free(s->rows);
    free(s);
}

size_t pd_score_count(const pd_score *s) { return s ? s->n : 0; }

const pd_score_row *pd_score_get(const pd_score *s, size_t i)
{
    return s && i < s->n ? &s->rows[i] : NULL;
}

const pd_score_row *pd_score_find(const pd_score *s, const char *name)
{
    if (!s || !name) return NULL;
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->rows[i].name, name)) return &s->rows[i];
    return NULL;
}

/* ---- reading JSONL ------------------------------------------------------------------------ */

typedef int (*line_fn)(json_t *obj, long line, void *ctx);

static int read_jsonl(const char *path, line_fn fn, void *ctx)
{
    FILE *fp = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!fp)
        return pd_error__set(errno == ENOENT ? PD_ENOTFOUND : PD_EIO, "score: cannot open %s: %s",
                             path, strerror(errno));
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    long line = 0;
    int rc = 0;
    while ((n = getline(&buf, &cap, fp)) >= 0) {
        line++;
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = 0;
        size_t k = 0;
        while (k < (size_t)n && (buf[k] == ' ' || buf[k] == '\t')) k++;
        if (k == (size_t)n) continue;
        json_error_t err;
        json_t *o = json_loadb(buf, (size_t)n, 0, &err);
        if (!o || !json_is_object(o)) {
            json_decref(o);
            rc = pd_error__set(PD_EPARSE, "score: %s line %ld: not a JSON object (%s)", path, line,
                               o ? "other value" : err.text);
            pd_error__set_position(path, line, o ? 0 : err.column, line, -1);
            break;
        }
        rc = fn(o, line, ctx);
        json_decref(o);
        if (rc) {
            pd_error__set_position(path, line, 0, line, -1);
            break;
        }
    }
    if (!rc && ferror(fp)) rc = pd_error__set(PD_EIO, "score: read error on %s", path);
    free(buf);
    if (fp != stdin) fclose(fp);
    return rc;
}

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---- truth -------------------------------------------------------------------------------- */

typedef struct truth {
    defect *d; size_t nd, capd;
    idmap by_record;           /* record id → first defect index */
    strtab kinds;
    /* clusters */
    idmap cluster_of;          /* record id → truth cluster index */
    size_t *csize; size_t nc, capc;
    long long pairs;
    struct { int kind; const char *base; } *kb; /* distinct (kind, field) pairs */
    size_t nkb;
} truth;

static int truth_index_fields(truth *t)
{
    t->kb = malloc((t->nd ? t->nd : 1) * sizeof *t->kb);
    if (!t->kb) return pd_error__oom();
    for (size_t i = 0; i < t->nd; i++) {
        size_t j;
        for (j = 0; j < t->nkb; j++)
            if (t->kb[j].kind == t->d[i].kind && !strcmp(t->kb[j].base, t->d[i].base)) break;
        if (j < t->nkb) continue;
        t->kb[t->nkb].kind = t->d[i].kind;
        t->kb[t->nkb].base = t->d[i].base;
        t->nkb++;
        if (t->nkb > 4096) break;
    }
    return 0;
}

static char *strip_indexes(const char *p)
{
    char *r = pd__strdup(p);
    if (!r) return NULL;
    char *w = r;
    for (const char *s = p; *s; s++) {
        if (*s == '[') { while (*s && *s != ']') s++; if (!*s) break; continue; }
        *w++ = *s;
    }
    *w = 0;
    return r;
}

static int truth_line(json_t *o, long line, void *ctx)
{
    truth *t = ctx;
    const char *type = jstr(o, "type");
    if (!type) return pd_error__set(PD_EPARSE, "score: truth line %ld has no \"type\"", line);
    if (!strcmp(type, "defect")) {
        const char *rid = jstr(o, "record_id"), *path = jstr(o, "path"), *kind = jstr(o, "kind");
        const char *clean = jstr(o, "clean");
        pd_uuid id;
        if (!rid || pd_uuid_parse(&id, rid) || !path || !kind)
            return pd_error__set(PD_EPARSE, "score: truth line %ld: defect needs record_id, path, kind", line);
        if (t->nd == t->capd) {
            size_t nc = t->capd ? t->capd * 2 : 1024;
            defect *d = realloc(t->d, nc * sizeof *d);
            if (!d) return pd_error__oom();
            t->d = d;
            t->capd = nc;
        }
        defect *d = &t->d[t->nd];
        memset(d, 0, sizeof *d);
        d->id = id;
        d->path = pd__strdup(path);
        d->base = strip_indexes(path);
        d->clean = pd__strdup(clean ? clean : "");
        d->kind = strtab_index(&t->kinds, kind);
        if (!d->path || !d->base || !d->clean || d->kind < 0) {
            free(d->path); free(d->base); free(d->clean);
            return pd_error__oom();
        }
        long *slot = idmap_slot(&t->by_record, &id, 1);
        if (!slot) return pd_error__oom();
        d->next = *slot;
        *slot = (long)t->nd;
        t->nd++;
        return 0;
    }
    if (!strcmp(type, "cluster")) {
        json_t *m = json_object_get(o, "members");
        if (!json_is_array(m))
            return pd_error__set(PD_EPARSE, "score: truth line %ld: cluster without members", line);
        if (t->nc == t->capc) {
            size_t nc = t->capc ? t->capc * 2 : 256;
            size_t *p = realloc(t->csize, nc * sizeof *p);
            if (!p) return pd_error__oom();
            t->csize = p;
            t->capc = nc;
        }
        size_t k = 0;
        for (size_t i = 0; i < json_array_size(m); i++) {
            json_t *v = json_array_get(m, i);
            pd_uuid id;
            if (!json_is_string(v) || pd_uuid_parse(&id, json_string_value(v)))
                return pd_error__set(PD_EPARSE, "score: truth line %ld: bad member id", line);
            long *slot = idmap_slot(&t->cluster_of, &id, 1);
            if (!slot) return pd_error__oom();
            if (*slot == -1) { *slot = (long)t->nc; k++; }
        }
        t->csize[t->nc++] = k;
        t->pairs += (long long)k * (long long)(k - 1) / 2;
        return 0;
    }
    return 0; /* unknown types are skipped (forward compatibility) */
}

static void truth_free(truth *t)
{
    for (size_t i = 0; i < t->nd; i++) { free(t->d[i].path); free(t->d[i].base); free(t->d[i].clean); }
    free(t->d);
    idmap_free(&t->by_record);
    idmap_free(&t->cluster_of);
    strtab_free(&t->kinds);
    free(t->csize);
    free(t->kb);
}

/* ---- findings ------------------------------------------------------------------------------- */

/* Either path is a prefix of the other at a field boundary ('.', '[' or end);
 * "" (whole record) matches nothing. */
static int path_match(const char *a, const char *b)
{
    if (!*a || !*b) return 0;
    size_t la = strlen(a), lb = strlen(b);
    const char *s = la <= lb ? a : b, *l = la <= lb ? b : a;
    size_t ls = la <= lb ? la : lb;
    if (strncmp(s, l, ls)) return 0;
    return l[ls] == 0 || l[ls] == '.' || l[ls] == '[';
}

typedef struct fctx {
    truth *t;
    strtab rules;
    long long *rule_found, *rule_tp; size_t rule_cap;
    long long *kind_tp, *kind_fp; /* per kind, findings */
    long long found, tp;
    idmap dup_seen;                 /* cluster records flagged */
    long long dup_flagged, dup_tp;
} fctx;

static int finding_line(json_t *o, long line, void *ctx)
{
    (void)line;
    fctx *f = ctx;
    truth *t = f->t;
    const char *rule = jstr(o, "rule"), *path = jstr(o, "path"), *rid = jstr(o, "record_id");
    const char *newv = jstr(o, "new"); /* pd_finding_to_json(); "new_value" also read */
    if (!newv) newv = jstr(o, "new_value");
    if (!rule) rule = "?";
    if (!path) path = "";
    int ri = strtab_index(&f->rules, rule);
    if (ri < 0) return pd_error__oom();
    if ((size_t)ri >= f->rule_cap) {
        size_t nc = f->rule_cap ? f->rule_cap * 2 : 64;
        long long *a = realloc(f->rule_found, nc * sizeof *a);
        if (!a) return pd_error__oom();
        f->rule_found = a;
        long long *b = realloc(f->rule_tp, nc * sizeof *b);
        if (!b) return pd_error__oom();
        f->rule_tp = b;
        for (size_t i = f->rule_cap; i < nc; i++) f->rule_found[i] = f->rule_tp[i] = 0;
        f->rule_cap = nc;
    }
    f->found++;
    f->rule_found[ri]++;
    int matched = 0;
    pd_uuid id;
    long *slot = NULL;
    if (rid && pd_uuid_parse(&id, rid) == 0) slot = idmap_slot(&t->by_record, &id, 0);
    if (slot) {
        unsigned char seen[64] = { 0 };
        for (long i = *slot; i >= 0; i = t->d[i].next) {
            defect *d = &t->d[i];
            if (!path_match(d->path, path)) continue;
            matched = 1;
            d->matched = 1;
            if (newv && !strcmp(newv, d->clean)) d->fixed = 1;
            if (d->kind < 64 && !seen[d->kind]) { seen[d->kind] = 1; f->kind_tp[d->kind]++; }
        }
    }
    /* a finding on a record of a truth cluster
     * that names no injected defect detects the duplicate */
    if (!matched && rid && pd_uuid_parse(&id, rid) == 0) {
        long *cs = idmap_slot(&t->cluster_of, &id, 0);
        if (cs && *cs >= 0) {
            long *ds = idmap_slot(&f->dup_seen, &id, 1);
            if (!ds) return pd_error__oom();
            if (*ds == -1) { *ds = 1; f->dup_flagged++; }
            f->dup_tp++;
            matched = 1;
        }
    }
    if (matched) {
        f->tp++;
        f->rule_tp[ri]++;
        return 0;
    }
    /* a false positive: charge it to every kind injected on this field */
    char *base = strip_indexes(path);
    if (!base) return pd_error__oom();
    if (*base) {
        for (size_t i = 0; i < t->nkb; i++)
            if (path_match(t->kb[i].base, base)) f->kind_fp[t->kb[i].kind]++;
    }
    free(base);
    return 0;
}

int pd_score_findings(pd_score **out, const char *truth_path, const char *findings_path)
{
    if (!out || !truth_path || !findings_path) return pd_error__set(PD_EINVALID, "score: NULL argument");
    *out = NULL;
    truth t;
    memset(&t, 0, sizeof t);
    fctx f;
    memset(&f, 0, sizeof f);
    pd_score *s = calloc(1, sizeof *s);
    int rc = s ? 0 : pd_error__oom();
    if (!rc) rc = read_jsonl(truth_path, truth_line, &t);
    if (!rc) rc = truth_index_fields(&t);
    if (!rc && t.kinds.n > 64) rc = pd_error__set(PD_ELIMIT, "score: more than 64 defect kinds");
    if (!rc) {
        f.t = &t;
        f.kind_tp = calloc(64, sizeof *f.kind_tp);
        f.kind_fp = calloc(64, sizeof *f.kind_fp);
        if (!f.kind_tp || !f.kind_fp) rc = pd_error__oom();
    }
    if (!rc) rc = read_jsonl(findings_path, finding_line, &f);
    if (!rc) {
        for (size_t k = 0; k < t.kinds.n && !rc; k++) {
            long long n = 0, m = 0, fx = 0;
            for (size_t i = 0; i < t.nd; i++)
                if (t.d[i].kind == (int)k) { n++; m += t.d[i].matched; fx += t.d[i].fixed; }
            rc = add_row(s, t.kinds.s[k], n, f.kind_tp[k] + f.kind_fp[k], m, f.kind_tp[k], fx);
        }
        for (size_t r = 0; r < f.rules.n && !rc; r++) {
            char name[96];
            snprintf(name, sizeof name, "rule:%s", f.rules.s[r]);
            rc = add_row(s, name, 0, f.rule_found[r], 0, f.rule_tp[r], 0);
            if (!rc) s->rows[s->n - 1].recall = -1, s->rows[s->n - 1].f1 = -1;
        }
        long long cl_records = (long long)t.cluster_of.n;
        if (!rc && cl_records)
            rc = add_row(s, "duplicate", cl_records, f.dup_tp, f.dup_flagged, f.dup_tp, 0);
        long long m = 0, fx = 0;
        for (size_t i = 0; i < t.nd; i++) { m += t.d[i].matched; fx += t.d[i].fixed; }
        if (!rc) rc = add_row(s, "overall", (long long)t.nd + cl_records, f.found, m + f.dup_flagged, f.tp, fx);
    }
    truth_free(&t);
    strtab_free(&f.rules);
    free(f.rule_found); free(f.rule_tp); free(f.kind_tp); free(f.kind_fp);
    idmap_free(&f.dup_seen);
    if (rc) { pd_score_free(s); return rc; }
    *out = s;
    return 0;
}

/* ---- clusters -------------------------------------------------------------------------------- */

typedef struct cctx {
    truth *t;
    long long pairs_found, pairs_tp, clusters_found, clusters_tp;
} cctx;

static int cluster_line(json_t *o, long line, void *ctx)
{
    cctx *c = ctx;
    json_t *m = json_object_get(o, "members");
    if (!json_is_array(m)) return pd_error__set(PD_EPARSE, "score: clusters line %ld: no \"members\" array", line);
    size_t n = json_array_size(m);
    if (n < 2) return 0;
    long *tc = malloc(n * sizeof *tc);
    if (!tc) return pd_error__oom();
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(m, i);
        pd_uuid id;
        if (!json_is_string(v) || pd_uuid_parse(&id, json_string_value(v))) {
            free(tc);
            return pd_error__set(PD_EPARSE, "score: clusters line %ld: bad member id", line);
        }
        long *slot = idmap_slot(&c->t->cluster_of, &id, 0);
        tc[i] = slot ? *slot : -1;
    }
    c->clusters_found++;
    int same = tc[0] >= 0;
    for (size_t i = 0; i < n; i++) {
        if (tc[i] != tc[0]) same = 0;
        for (size_t j = i + 1; j < n; j++) {
            c->pairs_found++;
            if (tc[i] >= 0 && tc[i] == tc[j]) c->pairs_tp++;
        }
    }
    if (same && c->t->csize[tc[0]] == n) c->clusters_tp++;
    free(tc);
    return 0;
}

int pd_score_clusters(pd_score **out, const char *truth_path, const char *clusters_path)
{
    if (!out || !truth_path || !clusters_path) return pd_error__set(PD_EINVALID, "score: NULL argument");
    *out = NULL;
    truth t;
    memset(&t, 0, sizeof t);
    cctx c;
    memset(&c, 0, sizeof c);
    c.t = &t;
    pd_score *s = calloc(1, sizeof *s);
    int rc = s ? 0 : pd_error__oom();
    if (!rc) rc = read_jsonl(truth_path, truth_line, &t);
    if (!rc) rc = read_jsonl(clusters_path, cluster_line, &c);
    if (!rc) {
        long long ptp = c.pairs_tp > t.pairs ? t.pairs : c.pairs_tp;
        rc = add_row(s, "pairs", t.pairs, c.pairs_found, ptp, c.pairs_tp, 0);
        if (!rc) rc = add_row(s, "clusters", (long long)t.nc, c.clusters_found, c.clusters_tp, c.clusters_tp, 0);
    }
    truth_free(&t);
    if (rc) { pd_score_free(s); return rc; }
    *out = s;
    return 0;
}

/* ---- output ------------------------------------------------------------------------------------ */

int pd_score_to_json(char **out, const pd_score *s)
{
    if (!out || !s) return pd_error__set(PD_EINVALID, "score: NULL argument");
    *out = NULL;
    json_t *root = json_object(), *rows = json_array();
    if (!root || !rows) { json_decref(root); json_decref(rows); return pd_error__oom(); }
    json_object_set_new(root, "rows", rows);
    for (size_t i = 0; i < s->n; i++) {
        const pd_score_row *r = &s->rows[i];
        json_t *o = json_object();
        if (!o) { json_decref(root); return pd_error__oom(); }
        json_object_set_new(o, "name", json_string(r->name));
        json_object_set_new(o, "truth", json_integer(r->truth));
        json_object_set_new(o, "found", json_integer(r->found));
        json_object_set_new(o, "tp_truth", json_integer(r->tp_truth));
        json_object_set_new(o, "tp_found", json_integer(r->tp_found));
        json_object_set_new(o, "fixed", json_integer(r->fixed));
        json_object_set_new(o, "precision", r->precision < 0 ? json_null() : json_real(r->precision));
        json_object_set_new(o, "recall", r->recall < 0 ? json_null() : json_real(r->recall));
        json_object_set_new(o, "f1", r->f1 < 0 ? json_null() : json_real(r->f1));
        json_array_append_new(rows, o);
    }
    char *txt = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
    json_decref(root);
    if (!txt) return pd_error__oom();
    *out = txt;
    return 0;
}

static void fmt_ratio(char *buf, size_t n, double v)
{
    if (v < 0) snprintf(buf, n, "%s", "-");
    else snprintf(buf, n, "%.3f", v);
}

int pd_score_to_text(char **out, const pd_score *s)
{
    if (!out || !s) return pd_error__set(PD_EINVALID, "score: NULL argument");
    *out = NULL;
    size_t cap = 256 + s->n * 160, len = 0;
    char *b = malloc(cap);
    if (!b) return pd_error__oom();
    len += (size_t)snprintf(b + len, cap - len, "%-28s %9s %9s %9s %9s %7s %9s %9s %9s\n", "measure",
                            "truth", "found", "tp_truth", "tp_found", "fixed", "precision", "recall", "f1");
    for (size_t i = 0; i < s->n; i++) {
        const pd_score_row *r = &s->rows[i];
        char p[16], rc[16], f[16];
        fmt_ratio(p, sizeof p, r->precision);
        fmt_ratio(rc, sizeof rc, r->recall);
        fmt_ratio(f, sizeof f, r->f1);
        len += (size_t)snprintf(b + len, cap - len, "%-28.28s %9lld %9lld %9lld %9lld %7lld %9s %9s %9s\n",
                                r->name, r->truth, r->found, r->tp_truth, r->tp_found, r->fixed, p, rc, f);
    }
    *out = b;
    return 0;
}
