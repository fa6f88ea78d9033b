/*
 * match.c: duplicate detection among members (match.h).
 *
 * Records are reduced to compact features (folded names in an arena, hashes of the
 * tone-placement key, dates, id numbers, addresses converted to 2025 codes). Blocking
 * keys are 64-bit hashes; for each key type the (key, record) entries are sorted and
 * every block yields its pairs. Distinct candidate pairs are compared into a pattern of
 * 2-bit agreement levels (one per field); EM runs over the histogram of patterns, so
 * its cost does not depend on the number of pairs. Scores are sums of per-level
 * weights log2(m/u). Clusters are connected components of matching pairs, checked for
 * transitivity: a component holding a pair with evidence against it is re-built by
 * merging sub-clusters only when no cross pair is against.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <utf8proc.h>

#include "pd_internal.h"

/* ---- small helpers -------------------------------------------------------- */

static uint64_t fnv64(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}
#define FNV0 0xcbf29ce484222325ULL

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* ---- arena of strings ------------------------------------------------------------ */

typedef struct arena {
    char *buf;
    size_t len, cap;
} arena;

/* offset 0 is the empty string ("none") */
static int arena_init(arena *a)
{
    a->cap = 4096;
    a->buf = malloc(a->cap);
    if (!a->buf)
        return pd_error__oom();
    a->buf[0] = '\0';
    a->len = 1;
    return 0;
}

static int arena_add(uint32_t *off, arena *a, const char *s, size_t n)
{
    if (n == 0) {
        *off = 0;
        return 0;
    }
    if (a->len + n + 1 > a->cap) {
        size_t nc = a->cap * 2;
        while (nc < a->len + n + 1)
            nc *= 2;
        if (nc > UINT32_MAX)
            return pd_error__set(PD_ELIMIT, "matcher string arena over 4 GiB");
        char *nb = realloc(a->buf, nc);
        if (!nb)
            return pd_error__oom();
        a->buf = nb;
        a->cap = nc;
    }
    memcpy(a->buf + a->len, s, n);
    a->buf[a->len + n] = '\0';
    *off = (uint32_t)a->len;
    a->len += n + 1;
    return 0;
}

/* ---- Vietnamese text: folding and tone keys --------------------------------- */

static int is_tone_mark(utf8proc_int32_t c)
{
    return c == 0x300 || c == 0x301 || c == 0x303 || c == 0x309 || c == 0x323;
}

static int tone_code(utf8proc_int32_t c)
{
    switch (c) {
    case 0x300: return 1;
    case 0x301: return 2;
    case 0x303: return 3;
    case 0x309: return 4;
    case 0x323: return 5;
    default: return 0;
    }
}

/* Fold s into buf (cap bytes): lower case, no diacritics, đ→d, punctuation as spaces,
 * single spaces, trimmed. Sets *ascii when s had no non-ASCII letter. Returns length. */
static size_t fold_into(char *buf, size_t cap, const char *s, int *ascii)
{
    size_t n = 0;
    int space = 1;
    if (ascii)
        *ascii = 1;
    if (!s)
        goto done;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (*p && n + 8 < cap) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k;
        if (*p < 0x80) {
            c = *p;
            k = 1;
        } else {
            k = utf8proc_iterate(p, -1, &c);
            if (k <= 0) {
                p++;
                continue;
            }
        }
        p += k;
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z')
                c += 32;
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                buf[n++] = (char)c;
                space = 0;
            } else if (!space) {
                buf[n++] = ' ';
                space = 1;
            }
            continue;
        }
        if (ascii)
            *ascii = 0;
        if (c == 0x110 || c == 0x111) {
            buf[n++] = 'd';
            space = 0;
            continue;
        }
        utf8proc_int32_t d[8];
        int last = 0;
        utf8proc_ssize_t m = utf8proc_decompose_char(c, d, 8, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD,
                                                     &last);
        if (m <= 0)
            continue;
        for (utf8proc_ssize_t i = 0; i < m; i++) {
            utf8proc_int32_t e = d[i];
            const utf8proc_property_t *pr = utf8proc_get_property(e);
            if (pr->category == UTF8PROC_CATEGORY_MN)
                continue;
            if (e < 0x80) {
                if ((e >= 'a' && e <= 'z') || (e >= '0' && e <= '9')) {
                    buf[n++] = (char)e;
                    space = 0;
                } else if (!space) {
                    buf[n++] = ' ';
                    space = 1;
                }
            } else if (pr->category == UTF8PROC_CATEGORY_ZS) {
                if (!space) {
                    buf[n++] = ' ';
                    space = 1;
                }
            } else {
                n += (size_t)utf8proc_encode_char(e, (utf8proc_uint8_t *)buf + n);
                space = 0;
            }
        }
    }
done:
    while (n > 0 && buf[n - 1] == ' ')
        n--;
    buf[n] = '\0';
    return n;
}

/* Hash of the tone-placement-independent key: per syllable, the letters with their
 * vowel-quality marks (circumflex, breve, horn; đ kept) and then its tone. Case and
 * the position of the tone mark do not matter: "Hoà" and "hòa" give the same key. */
static uint64_t tone_key_hash(const char *s)
{
    uint64_t h = FNV0;
    int tone = 0, in_word = 0;
    if (!s)
        return 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (*p) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &c);
        if (k <= 0) {
            p++;
            continue;
        }
        p += k;
        utf8proc_int32_t d[8];
        int last = 0;
        utf8proc_ssize_t m = utf8proc_decompose_char(c, d, 8, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD,
                                                     &last);
        for (utf8proc_ssize_t i = 0; i < m; i++) {
            utf8proc_int32_t e = d[i];
            if (is_tone_mark(e)) {
                tone = tone_code(e);
                continue;
            }
            int letter = (e >= 'a' && e <= 'z') || (e >= '0' && e <= '9') ||
                         (e >= 0x80 && utf8proc_get_property(e)->category != UTF8PROC_CATEGORY_ZS &&
                          utf8proc_get_property(e)->category != UTF8PROC_CATEGORY_PO &&
                          utf8proc_get_property(e)->category != UTF8PROC_CATEGORY_PD);
            if (letter) {
                h = fnv64(h, &e, sizeof e);
                in_word = 1;
            } else if (in_word) {
                unsigned char t = (unsigned char)(0xF0 + tone);
                h = fnv64(h, &t, 1);
                tone = 0;
                in_word = 0;
            }
        }
    }
    if (in_word) {
        unsigned char t = (unsigned char)(0xF0 + tone);
        h = fnv64(h, &t, 1);
    }
    return h;
}

/* Hash of the folded tokens in sorted order (name-order swaps). */
static uint64_t sorted_tokens_hash(const char *folded)
{
    const char *tok[16];
    size_t len[16], nt = 0;
    const char *p = folded;
    while (*p && nt < 16) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *q = p;
        while (*q && *q != ' ')
            q++;
        tok[nt] = p;
        len[nt] = (size_t)(q - p);
        nt++;
        p = q;
    }
    for (size_t i = 1; i < nt; i++) { /* insertion sort */
        const char *t = tok[i];
        size_t l = len[i], j = i;
        while (j > 0) {
            size_t ml = len[j - 1] < l ? len[j - 1] : l;
            int c = memcmp(tok[j - 1], t, ml);
            if (c < 0 || (c == 0 && len[j - 1] <= l))
                break;
            tok[j] = tok[j - 1];
            len[j] = len[j - 1];
            j--;
        }
        tok[j] = t;
        len[j] = l;
    }
    uint64_t h = FNV0;
    for (size_t i = 0; i < nt; i++) {
        h = fnv64(h, tok[i], len[i]);
        h = fnv64(h, " ", 1);
    }
    return h;
}

static const char *last_token(const char *folded, size_t *len)
{
    const char *sp = strrchr(folded, ' ');
    const char *t = sp ? sp + 1 : folded;
    *len = strlen(t);
    return t;
}

/* ---- Jaro–Winkler ------------------------------------------------------------------ */

static double jaro_winkler_u32(const uint32_t *a, size_t la, const uint32_t *b, size_t lb)
{
    if (la == 0 && lb == 0)
        return 1.0;
    if (la == 0 || lb == 0)
        return 0.0;
    if (la > 64)
        la = 64;
    if (lb > 64)
        lb = 64;
    size_t win = (la > lb ? la : lb) / 2;
    win = win > 0 ? win - 1 : 0;
    unsigned char ma[64] = {0}, mb[64] = {0};
    size_t m = 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > win ? i - win : 0, hi = i + win + 1 < lb ? i + win + 1 : lb;
        for (size_t j = lo; j < hi; j++) {
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = 1;
                m++;
                break;
            }
        }
    }
    if (m == 0)
        return 0.0;
    size_t t = 0, k = 0;
    for (size_t i = 0; i < la; i++) {
        if (!ma[i])
            continue;
        while (!mb[k])
            k++;
        if (a[i] != b[k])
            t++;
        k++;
    }
    double md = (double)m;
    double jaro = (md / (double)la + md / (double)lb + (md - (double)t / 2.0) / md) / 3.0;
    size_t pre = 0;
    while (pre < 4 && pre < la && pre < lb && a[pre] == b[pre])
        pre++;
    return jaro + (double)pre * 0.1 * (1.0 - jaro);
}

static size_t to_u32(uint32_t *out, size_t cap, const char *s)
{
    size_t n = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (*p && n < cap) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &c);
        if (k <= 0) {
            c = *p;
            k = 1;
        }
        p += k;
        out[n++] = (uint32_t)c;
    }
    return n;
}

PD_EXTERN(double) pd_match_jaro_winkler(const char *a, const char *b)
{
    uint32_t ua[64], ub[64];
    if (!a || !b)
        return 0.0;
    size_t la = to_u32(ua, 64, a), lb = to_u32(ub, 64, b);
    return jaro_winkler_u32(ua, la, ub, lb);
}

/* byte version for folded (ASCII) strings */
static double jw_bytes(const char *a, const char *b)
{
    uint32_t ua[64], ub[64];
    size_t la = 0, lb = 0;
    while (a[la] && la < 64) {
        ua[la] = (unsigned char)a[la];
        la++;
    }
    while (b[lb] && lb < 64) {
        ub[lb] = (unsigned char)b[lb];
        lb++;
    }
    return jaro_winkler_u32(ua, la, ub, lb);
}

/* ---- features ------------------------------------------------------------------- */

enum { ID_CCCD = 0, ID_CMND = 1, ID_CARD = 2, ID_OTHER = 3, NIDS = 4 };
enum { AD_HOME = 0, AD_RES = 1, AD_BIRTH = 2, NADDR = 3 };

typedef struct maddr {
    int32_t commune;  /* 2025 commune code, -1 unknown */
    int16_t province; /* 2025 province code, -1 unknown */
    uint32_t text;    /* folded text, arena offset (0 none) */
} maddr;

typedef struct mfeat {
    pd_uuid id;
    uint64_t name_tone, name_sorted, alt_tone;
    uint32_t name, alt; /* folded full name, folded birth name / first alias */
    uint32_t ids[NIDS]; /* digits (or upper-case letters and digits), arena offsets */
    maddr addr[NADDR];
    int16_t by, ay;
    int8_t bm, bd, am, ad;
    int8_t gender;     /* 0 unknown */
    int8_t name_ascii; /* the name was written without diacritics */
    int16_t eth;       /* list * 100 + code, -1 unknown */
    uint8_t ref;       /* PD_MATCH_ADD_REFERENCE */
    uint16_t gen;      /* run generation at which it was added */
} mfeat;

/* cache of code conversions (pre-2025 → 2025) */
typedef struct conv_entry {
    uint64_t key; /* 0 = empty */
    int32_t commune;
    int16_t province;
} conv_entry;

struct pd_matcher {
    pd_match_options opts;
    arena ar;
    mfeat *f;
    size_t n, cap;
    uint16_t gen; /* current generation (number of runs done) */
    int ran;
    /* m/u per field and level */
    double m[PD_MATCH_NFIELDS][PD_MATCH_NLEVELS], u[PD_MATCH_NFIELDS][PD_MATCH_NLEVELS];
    double w[PD_MATCH_NFIELDS][PD_MATCH_NLEVELS];
    double prior;
    /* kept pairs, sorted by (a, b) */
    struct kpair {
        uint32_t a, b;
        float score;
        uint32_t match;
    } *pairs;
    size_t npairs, cappairs;
    /* clusters */
    size_t *cl_start; /* nclusters + 1 offsets into cl_members */
    size_t *cl_members;
    size_t nclusters;
    pd_match_stats stats;
    conv_entry *conv;
    size_t conv_cap, conv_n;
    uint32_t *idx; /* id → record index + 1 (0 = empty), open addressing; built lazily */
    size_t idx_cap, idx_n;
};

static const char *const field_names[PD_MATCH_NFIELDS] = {
    "full_name", "birth_date", "gender", "cccd", "cmnd", "party_card_no", "other_id",
    "hometown", "residence", "birthplace", "ethnicity", "admission_date"};
static const char *const level_names[PD_MATCH_NLEVELS] = {"MISSING", "DISAGREE", "PARTIAL",
                                                          "AGREE"};

PD_EXTERN(const char *) pd_match_field_name(pd_match_field field)
{
    return (unsigned)field < PD_MATCH_NFIELDS ? field_names[field] : "?";
}

PD_EXTERN(const char *) pd_match_level_name(pd_match_level level)
{
    return (unsigned)level < PD_MATCH_NLEVELS ? level_names[level] : "?";
}

/* default m (match) and u (non-match among candidate pairs): DISAGREE, PARTIAL, AGREE */
static const double default_m[PD_MATCH_NFIELDS][3] = {
    {0.04, 0.16, 0.80}, {0.04, 0.16, 0.80}, {0.02, 0.001, 0.979}, {0.03, 0.07, 0.90},
    {0.03, 0.07, 0.90}, {0.03, 0.07, 0.90}, {0.05, 0.05, 0.90}, {0.10, 0.15, 0.75},
    {0.25, 0.20, 0.55}, {0.10, 0.15, 0.75}, {0.03, 0.02, 0.95}, {0.08, 0.17, 0.75}};
static const double default_u[PD_MATCH_NFIELDS][3] = {
    {0.97, 0.025, 0.005}, {0.95, 0.045, 0.005}, {0.499, 0.002, 0.499},
    {0.9989, 0.001, 0.0001}, {0.9989, 0.001, 0.0001}, {0.9989, 0.001, 0.0001},
    {0.9989, 0.001, 0.0001}, {0.85, 0.12, 0.03}, {0.90, 0.08, 0.02},
    {0.85, 0.12, 0.03}, {0.15, 0.05, 0.80}, {0.95, 0.04, 0.01}};

static void set_weights(pd_matcher *mt)
{
    for (int f = 0; f < PD_MATCH_NFIELDS; f++) {
        mt->w[f][PD_MATCH_MISSING] = 0.0;
        for (int l = 1; l < PD_MATCH_NLEVELS; l++)
            mt->w[f][l] = log2(mt->m[f][l] / mt->u[f][l]);
    }
}

static void default_mu(pd_matcher *mt)
{
    for (int f = 0; f < PD_MATCH_NFIELDS; f++) {
        mt->m[f][0] = mt->u[f][0] = 0.0;
        for (int l = 1; l < PD_MATCH_NLEVELS; l++) {
            mt->m[f][l] = default_m[f][l - 1];
            mt->u[f][l] = default_u[f][l - 1];
        }
    }
    mt->prior = 0.01;
    set_weights(mt);
}

PD_EXTERN(int) pd_match_options_init(pd_match_options *opts, unsigned int version)
{
    if (!opts || version != PD_MATCH_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "unknown pd_match_options version %u", version);
    pd_match_options o = PD_MATCH_OPTIONS_INIT;
    *opts = o;
    return 0;
}

#define DEFAULT_THRESHOLD 10.0

PD_EXTERN(int) pd_matcher_new(pd_matcher **out, const pd_match_options *opts)
{
    if (!out)
        return pd_error__set(PD_EINVALID, "NULL out");
    *out = NULL;
    if (opts && opts->version != PD_MATCH_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "unknown pd_match_options version %u", opts->version);
    if (opts && (isnan(opts->threshold) || opts->em_iterations < 0))
        return pd_error__set(PD_EINVALID, "bad threshold or em_iterations");
    pd_matcher *mt = calloc(1, sizeof *mt);
    if (!mt)
        return pd_error__oom();
    if (opts)
        mt->opts = *opts;
    else
        pd_match_options_init(&mt->opts, PD_MATCH_OPTIONS_VERSION);
    if (mt->opts.threshold == 0.0)
        mt->opts.threshold = DEFAULT_THRESHOLD;
    if (mt->opts.em_iterations == 0)
        mt->opts.em_iterations = 25;
    if (mt->opts.max_block == 0)
        mt->opts.max_block = 500;
    if (mt->opts.em_sample == 0)
        mt->opts.em_sample = 200000;
    if (arena_init(&mt->ar) < 0) {
        free(mt);
        return PD_ENOMEM;
    }
    default_mu(mt);
    *out = mt;
    return 0;
}

PD_EXTERN(void) pd_matcher_free(pd_matcher *mt)
{
    if (!mt)
        return;
    free(mt->ar.buf);
    free(mt->f);
    free(mt->pairs);
    free(mt->cl_start);
    free(mt->cl_members);
    free(mt->conv);
    free(mt->idx);
    free(mt);
}

PD_EXTERN(size_t) pd_matcher_count(const pd_matcher *mt) { return mt ? mt->n : 0; }

PD_EXTERN(int) pd_matcher_set_mu(pd_matcher *mt, pd_match_field field, pd_match_level level,
                                 double m, double u)
{
    if (!mt || (unsigned)field >= PD_MATCH_NFIELDS || level <= PD_MATCH_MISSING ||
        level >= PD_MATCH_NLEVELS || !(m > 0.0 && m < 1.0) || !(u > 0.0 && u < 1.0))
        return pd_error__set(PD_EINVALID, "bad field, level or probability for m/u");
    mt->m[field][level] = m;
    mt->u[field][level] = u;
    set_weights(mt);
    return 0;
}

PD_EXTERN(int) pd_matcher_mu(double *m, double *u, const pd_matcher *mt, pd_match_field field,
                             pd_match_level level)
{
    if (!m || !u || !mt || (unsigned)field >= PD_MATCH_NFIELDS || level <= PD_MATCH_MISSING ||
        level >= PD_MATCH_NLEVELS)
        return pd_error__set(PD_EINVALID, "bad field or level");
    *m = mt->m[field][level];
    *u = mt->u[field][level];
    return 0;
}

/* ---- feature extraction ------------------------------------------------------- */

static int parse_code(const char *s, int maxdigits)
{
    if (!s || !*s)
        return -1;
    int v = 0, n = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
        if (++n > maxdigits)
            return -1;
    }
    return v;
}

/* Cache of address-code conversions: key (version, commune, province) → result. */
static uint64_t conv_key(int ver, int c, int p)
{
    return ((uint64_t)(unsigned)(ver & 3) << 40) | ((uint64_t)(unsigned)(c + 1) << 8) |
           (uint64_t)(unsigned)(p + 1) | (1ULL << 50);
}

static int conv_get(const pd_matcher *mt, uint64_t key, int32_t *commune, int16_t *province)
{
    if (!mt->conv_cap)
        return 0;
    size_t mask = mt->conv_cap - 1, i = (size_t)mix64(key) & mask;
    while (mt->conv[i].key) {
        if (mt->conv[i].key == key) {
            *commune = mt->conv[i].commune;
            *province = mt->conv[i].province;
            return 1;
        }
        i = (i + 1) & mask;
    }
    return 0;
}

static void conv_put(pd_matcher *mt, uint64_t key, int32_t commune, int16_t province)
{
    if (mt->conv_n * 2 >= mt->conv_cap) {
        size_t nc = mt->conv_cap ? mt->conv_cap * 2 : 1024;
        conv_entry *ne = calloc(nc, sizeof *ne);
        if (!ne)
            return; /* the cache is an optimisation only */
        for (size_t i = 0; i < mt->conv_cap; i++)
            if (mt->conv[i].key) {
                size_t k = (size_t)mix64(mt->conv[i].key) & (nc - 1);
                while (ne[k].key)
                    k = (k + 1) & (nc - 1);
                ne[k] = mt->conv[i];
            }
        free(mt->conv);
        mt->conv = ne;
        mt->conv_cap = nc;
    }
    size_t mask = mt->conv_cap - 1, i = (size_t)mix64(key) & mask;
    while (mt->conv[i].key && mt->conv[i].key != key)
        i = (i + 1) & mask;
    if (!mt->conv[i].key)
        mt->conv_n++;
    mt->conv[i].key = key;
    mt->conv[i].commune = commune;
    mt->conv[i].province = province;
}

/* Convert an address's codes to the 2025 generation when refdata knows them. */
static void addr_codes_uncached(const PdPb__Address *a, int ver, int c, int p,
                                int32_t *commune, int16_t *province)
{
    *commune = -1;
    *province = -1;
    if (ver == PD_PB__ADMIN_VERSION__ADMIN_VERSION_PRE2025 || ver == 0) {
        /* pre-2025 or unknown generation: map through the 2025 conversion */
        if (c >= 0) {
            const pd_commune *cm = NULL;
            if (ver == 0 && pd_refdata_commune(&cm, PD_ADMIN_GEN_2025, a->commune_code) == 0) {
                *commune = c;
                *province = (int16_t)parse_code(cm->province_code, 2);
                return;
            }
            const pd_conversion *cv = NULL;
            size_t cnt = 0;
            if (pd_refdata_commune_successors(&cv, &cnt, a->commune_code) == 0 && cnt > 0) {
                *commune = cnt == 1 ? parse_code(cv->new_code, 5) : -1;
                *province = (int16_t)parse_code(cv->new_province_code, 2);
                if (cnt > 1)
                    *commune = parse_code(cv->new_code, 5); /* first part of a split */
                return;
            }
        }
        if (p >= 0) {
            const pd_province *pr = NULL;
            if (ver == 0 && pd_refdata_province(&pr, PD_ADMIN_GEN_2025, a->province_code) == 0) {
                *province = (int16_t)p;
            } else if (pd_refdata_province(&pr, PD_ADMIN_GEN_PRE2025, a->province_code) == 0 &&
                       pr->successor_code) {
                *province = (int16_t)parse_code(pr->successor_code, 2);
            } else {
                *province = (int16_t)p;
            }
        }
        if (c >= 0 && *commune < 0 && ver == 0)
            *commune = c;
        return;
    }
    *commune = c;
    *province = (int16_t)p;
    if (c >= 0 && p < 0) {
        const pd_commune *cm = NULL;
        if (pd_refdata_commune(&cm, PD_ADMIN_GEN_2025, a->commune_code) == 0)
            *province = (int16_t)parse_code(cm->province_code, 2);
    }
}

static void addr_codes(pd_matcher *mt, const PdPb__Address *a, int32_t *commune,
                       int16_t *province)
{
    int c = parse_code(a->commune_code, 5), p = parse_code(a->province_code, 2);
    int ver = a->has_admin_version ? (int)a->admin_version : 0;
    if (c < 0 && p < 0) {
        *commune = -1;
        *province = -1;
        return;
    }
    uint64_t key = conv_key(ver, c, p);
    if (conv_get(mt, key, commune, province))
        return;
    addr_codes_uncached(a, ver, c, p, commune, province);
    conv_put(mt, key, *commune, *province);
}

static int add_folded(uint32_t *off, arena *ar, const char *s, int *ascii)
{
    char buf[512];
    size_t n = fold_into(buf, sizeof buf, s, ascii);
    return arena_add(off, ar, buf, n);
}

static int add_id(uint32_t *off, arena *ar, const char *s)
{
    char buf[64];
    size_t n = 0;
    if (!s)
        return 0;
    for (; *s && n < sizeof buf - 1; s++) {
        char c = *s;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))
            buf[n++] = c;
    }
    if (*off) /* keep the first of a kind */
        return 0;
    return arena_add(off, ar, buf, n);
}

static void date_of(const PdPb__Date *d, int16_t *y, int8_t *m, int8_t *dd)
{
    *y = 0;
    *m = *dd = 0;
    if (!d || !d->has_year || d->year <= 0 || d->year > 9999)
        return;
    *y = (int16_t)d->year;
    if (d->has_month && d->month >= 1 && d->month <= 12) {
        *m = (int8_t)d->month;
        if (d->has_day && d->day >= 1 && d->day <= 31)
            *dd = (int8_t)d->day;
    }
}

static int extract(mfeat *f, pd_matcher *mt, const PdPb__Member *m)
{
    int rc, ascii = 1;
    memset(f, 0, sizeof *f);
    if (m->has_id && m->id.len == 16)
        memcpy(f->id.bytes, m->id.data, 16);
    if ((rc = add_folded(&f->name, &mt->ar, m->full_name, &ascii)) < 0)
        return rc;
    f->name_ascii = (int8_t)ascii;
    if (f->name) {
        f->name_tone = tone_key_hash(m->full_name);
        f->name_sorted = sorted_tokens_hash(mt->ar.buf + f->name);
    }
    const char *alt = m->birth_name && *m->birth_name ? m->birth_name
                      : m->n_aliases > 0 ? m->aliases[0] : NULL;
    if (alt) {
        if ((rc = add_folded(&f->alt, &mt->ar, alt, NULL)) < 0)
            return rc;
        if (f->alt && strcmp(mt->ar.buf + f->alt, mt->ar.buf + f->name) == 0)
            f->alt = 0;
        if (f->alt)
            f->alt_tone = tone_key_hash(alt);
    }
    date_of(m->birth_date, &f->by, &f->bm, &f->bd);
    const PdPb__Date *ad = m->admission_date ? m->admission_date : m->admission_decision_date;
    date_of(ad, &f->ay, &f->am, &f->ad);
    f->gender = m->has_gender ? (int8_t)m->gender : 0;
    for (size_t i = 0; i < m->n_id_numbers; i++) {
        const PdPb__IdNumber *id = m->id_numbers[i];
        if (!id || !id->number)
            continue;
        int t = id->has_type ? (int)id->type : 0;
        int slot = t == PD_PB__ID_TYPE__ID_TYPE_CCCD ? ID_CCCD
                   : (t == PD_PB__ID_TYPE__ID_TYPE_CMND9 || t == PD_PB__ID_TYPE__ID_TYPE_CMND12)
                       ? ID_CMND
                       : ID_OTHER;
        if ((rc = add_id(&f->ids[slot], &mt->ar, id->number)) < 0)
            return rc;
    }
    if ((rc = add_id(&f->ids[ID_CARD], &mt->ar, m->party_card_no)) < 0)
        return rc;
    if (!f->ids[ID_OTHER] && (rc = add_id(&f->ids[ID_OTHER], &mt->ar, m->record_no)) < 0)
        return rc;
    const PdPb__Address *ads[NADDR] = {
        m->hometown, m->permanent_residence ? m->permanent_residence : m->temporary_residence,
        m->birthplace};
    for (int k = 0; k < NADDR; k++) {
        f->addr[k].commune = -1;
        f->addr[k].province = -1;
        f->addr[k].text = 0;
        if (!ads[k])
            continue;
        addr_codes(mt, ads[k], &f->addr[k].commune, &f->addr[k].province);
        if (f->addr[k].commune < 0 && f->addr[k].province < 0 && ads[k]->text &&
            (rc = add_folded(&f->addr[k].text, &mt->ar, ads[k]->text, NULL)) < 0)
            return rc;
    }
    f->eth = -1;
    if (m->ethnicity && m->ethnicity->code) {
        int c = parse_code(m->ethnicity->code, 2);
        int l = m->ethnicity->has_list ? (int)m->ethnicity->list : 0;
        if (c >= 0)
            f->eth = (int16_t)(l * 100 + c);
    }
    return 0;
}

/* ---- id index ---------------------------------------------------------------------- */

static size_t id_slot(const pd_uuid *u, size_t cap)
{
    uint64_t h;
    memcpy(&h, u->bytes + 8, 8);
    return (size_t)mix64(h ^ ((uint64_t)u->bytes[5] << 56)) & (cap - 1);
}

static int idx_insert(pd_matcher *mt, size_t i)
{
    if ((mt->idx_n + 1) * 2 > mt->idx_cap) {
        size_t nc = mt->idx_cap ? mt->idx_cap * 2 : 1024;
        while (nc < (mt->n + 1) * 2)
            nc *= 2;
        uint32_t *ni = calloc(nc, sizeof *ni);
        if (!ni)
            return pd_error__oom();
        free(mt->idx);
        mt->idx = ni;
        mt->idx_cap = nc;
        mt->idx_n = 0;
        for (size_t k = 0; k < mt->n; k++) {
            if (k == i)
                continue;
            size_t s = id_slot(&mt->f[k].id, nc);
            while (ni[s])
                s = (s + 1) & (nc - 1);
            ni[s] = (uint32_t)k + 1;
            mt->idx_n++;
        }
    }
    size_t s = id_slot(&mt->f[i].id, mt->idx_cap);
    while (mt->idx[s])
        s = (s + 1) & (mt->idx_cap - 1);
    mt->idx[s] = (uint32_t)i + 1;
    mt->idx_n++;
    return 0;
}

static long idx_find(const pd_matcher *mt, const pd_uuid *id)
{
    if (!mt->idx_cap)
        return -1;
    size_t s = id_slot(id, mt->idx_cap);
    while (mt->idx[s]) {
        uint32_t k = mt->idx[s] - 1;
        if (!memcmp(mt->f[k].id.bytes, id->bytes, 16))
            return (long)k;
        s = (s + 1) & (mt->idx_cap - 1);
    }
    return -1;
}

/* build the index on first use (bulk adds do not pay for it) */
static int idx_ensure(pd_matcher *mt)
{
    if (mt->idx_cap && mt->idx_n == mt->n)
        return 0;
    free(mt->idx);
    mt->idx = NULL;
    mt->idx_cap = mt->idx_n = 0;
    size_t nc = 1024;
    while (nc < (mt->n + 1) * 2)
        nc *= 2;
    if (!(mt->idx = calloc(nc, sizeof *mt->idx)))
        return pd_error__oom();
    mt->idx_cap = nc;
    for (size_t k = 0; k < mt->n; k++) {
        size_t s = id_slot(&mt->f[k].id, nc);
        while (mt->idx[s])
            s = (s + 1) & (nc - 1);
        mt->idx[s] = (uint32_t)k + 1;
        mt->idx_n++;
    }
    return 0;
}

PD_EXTERN(int) pd_matcher_add(pd_matcher *mt, const pd_member *m, unsigned int flags)
{
    const PdPb__Member *pm = (const PdPb__Member *)m;
    if (!mt || !pm)
        return pd_error__set(PD_EINVALID, "NULL matcher or member");
    if (!pm->has_id || pm->id.len != 16)
        return pd_error__set(PD_EINVALID, "member without an id");
    if (mt->n == mt->cap) {
        size_t nc = mt->cap ? mt->cap * 2 : 1024;
        mfeat *nf = realloc(mt->f, nc * sizeof *nf);
        if (!nf)
            return pd_error__oom();
        mt->f = nf;
        mt->cap = nc;
    }
    if (mt->n >= UINT32_MAX - 1)
        return pd_error__set(PD_ELIMIT, "too many records for one matcher");
    mfeat *f = &mt->f[mt->n];
    int rc = extract(f, mt, pm);
    if (rc < 0)
        return rc;
    f->ref = (flags & PD_MATCH_ADD_REFERENCE) ? 1 : 0;
    f->gen = mt->gen;
    mt->n++;
    if (mt->idx_cap && mt->idx_n == mt->n - 1 && (rc = idx_insert(mt, mt->n - 1)) < 0) {
        mt->n--;
        return rc;
    }
    return 0;
}

/* ---- comparators ---------------------------------------------------------------- */

/* identity numbers: exact, one-digit slip, adjacent transposition, one digit
 * dropped or added (a lost leading zero) */
static pd_match_level id_level(const char *a, const char *b, const char **how)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la == 0 || lb == 0) {
        *how = "missing";
        return PD_MATCH_MISSING;
    }
    if (la == lb) {
        size_t diff = 0, first = 0;
        for (size_t i = 0; i < la; i++)
            if (a[i] != b[i]) {
                if (diff == 0)
                    first = i;
                diff++;
            }
        if (diff == 0) {
            *how = "exact";
            return PD_MATCH_AGREE;
        }
        if (diff == 1 && la >= 6) {
            *how = "one-digit slip";
            return PD_MATCH_PARTIAL;
        }
        if (diff == 2 && first + 1 < la && a[first] == b[first + 1] &&
            a[first + 1] == b[first] && la >= 6) {
            size_t rest = 0;
            for (size_t i = first + 2; i < la; i++)
                rest += a[i] != b[i];
            if (rest == 0) {
                *how = "transposition";
                return PD_MATCH_PARTIAL;
            }
        }
    } else if ((la == lb + 1 || lb == la + 1) && (la > lb ? lb : la) >= 6) {
        const char *l = la > lb ? a : b, *s = la > lb ? b : a;
        size_t i = 0, j = 0, skips = 0;
        while (l[i]) {
            if (s[j] == l[i]) {
                i++;
                j++;
            } else {
                i++;
                skips++;
                if (skips > 1)
                    break;
            }
        }
        if (skips <= 1 && !s[j]) {
            *how = "digit dropped";
            return PD_MATCH_PARTIAL;
        }
    }
    *how = "different";
    return PD_MATCH_DISAGREE;
}

PD_EXTERN(pd_match_level) pd_match_id_compare(const char *a, const char *b, const char **how)
{
    char x[64], y[64];
    size_t nx = 0, ny = 0;
    const char *h = NULL;
    for (const char *p = a ? a : ""; *p && nx < 63; p++)
        if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
            x[nx++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
    for (const char *p = b ? b : ""; *p && ny < 63; p++)
        if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
            y[ny++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
    x[nx] = y[ny] = '\0';
    pd_match_level lv = id_level(x, y, &h);
    if (how)
        *how = h;
    return lv;
}

static int digit_slip(int a, int b)
{
    /* same number of digits, one digit differs, or two adjacent digits swapped */
    char x[8], y[8];
    int nx = snprintf(x, sizeof x, "%d", a), ny = snprintf(y, sizeof y, "%d", b);
    if (nx != ny)
        return 0;
    int diff = 0, first = -1;
    for (int i = 0; i < nx; i++)
        if (x[i] != y[i]) {
            if (first < 0)
                first = i;
            diff++;
        }
    if (diff == 1)
        return 1;
    if (diff == 2 && first + 1 < nx && x[first] == y[first + 1] && x[first + 1] == y[first])
        return 1;
    return 0;
}

static pd_match_level date_level(int ya, int ma, int da, int yb, int mb, int db,
                                 const char **how)
{
    if (ya == 0 || yb == 0) {
        *how = "missing";
        return PD_MATCH_MISSING;
    }
    if (ya == yb && ma == mb && da == db) {
        *how = "exact";
        return PD_MATCH_AGREE;
    }
    if (ya == yb && (ma == 0 || mb == 0 || (ma == mb && (da == 0 || db == 0)))) {
        *how = "partial date";
        return PD_MATCH_PARTIAL;
    }
    if (ya == yb && ma && mb && da && db && ma == db && mb == da) {
        *how = "day/month swap";
        return PD_MATCH_PARTIAL;
    }
    int same_y = ya == yb, same_m = ma == mb, same_d = da == db;
    if (same_m && same_d && digit_slip(ya, yb)) {
        *how = "typing slip in year";
        return PD_MATCH_PARTIAL;
    }
    if (same_y && same_d && ma && mb && digit_slip(ma, mb)) {
        *how = "typing slip in month";
        return PD_MATCH_PARTIAL;
    }
    if (same_y && same_m && da && db && (digit_slip(da, db) || da + 1 == db || db + 1 == da)) {
        *how = "typing slip in day";
        return PD_MATCH_PARTIAL;
    }
    *how = "different";
    return PD_MATCH_DISAGREE;
}

PD_EXTERN(pd_match_level) pd_match_date_compare(const pd_date *a, const pd_date *b,
                                                const char **how)
{
    const char *h = NULL;
    pd_match_level lv;
    if (!a || !b) {
        h = "missing";
        lv = PD_MATCH_MISSING;
    } else {
        lv = date_level(a->year, a->month, a->month ? a->day : 0, b->year, b->month,
                        b->month ? b->day : 0, &h);
    }
    if (how)
        *how = h;
    return lv;
}

#define NAME_JW_PARTIAL 0.90

/* Folded names fa, fb with their tone-key hashes and "written without accents" flags. */
static pd_match_level name_level(const char *fa, uint64_t ta, uint64_t sa, int asa,
                                 const char *fb, uint64_t tb, uint64_t sb, int asb,
                                 const char **how, double *sim)
{
    *sim = 0.0;
    if (!*fa || !*fb) {
        *how = "missing";
        return PD_MATCH_MISSING;
    }
    if (ta == tb) {
        *sim = 1.0;
        *how = "exact (tone placement, case)";
        return PD_MATCH_AGREE;
    }
    int feq = strcmp(fa, fb) == 0;
    if (feq && (asa || asb)) {
        *sim = 1.0;
        *how = "accents missing";
        return PD_MATCH_AGREE;
    }
    if (sa == sb && !feq) {
        *sim = 1.0;
        *how = "name order swap";
        return PD_MATCH_AGREE;
    }
    if (feq) {
        *sim = 0.95;
        *how = "accents differ";
        return PD_MATCH_PARTIAL;
    }
    double j = jw_bytes(fa, fb);
    *sim = j;
    if (j >= NAME_JW_PARTIAL) {
        *how = "jaro-winkler";
        return PD_MATCH_PARTIAL;
    }
    *how = "different";
    return PD_MATCH_DISAGREE;
}

PD_EXTERN(double) pd_match_name_similarity(const char *a, const char *b, const char **how)
{
    char fa[512], fb[512];
    int asa, asb;
    const char *h = "missing";
    double sim = 0.0;
    if (a && b) {
        fold_into(fa, sizeof fa, a, &asa);
        fold_into(fb, sizeof fb, b, &asb);
        name_level(fa, tone_key_hash(a), sorted_tokens_hash(fa), asa, fb, tone_key_hash(b),
                   sorted_tokens_hash(fb), asb, &h, &sim);
    }
    if (how)
        *how = h;
    return sim;
}

static const char *const addr_stop[] = {"xa", "phuong", "thi", "tran", "huyen", "quan",
                                        "tinh", "thanh", "pho", "tp", "tx", "tt", "p",
                                        "q", "h", "x", "dac", "khu", "to", "ap", "thon",
                                        "so", "duong", "xom", NULL};

static int is_stop(const char *t, size_t n)
{
    for (int i = 0; addr_stop[i]; i++)
        if (strlen(addr_stop[i]) == n && memcmp(addr_stop[i], t, n) == 0)
            return 1;
    return 0;
}

/* Dice coefficient of the token sets of two folded address texts (admin words out). */
static double addr_text_sim(const char *a, const char *b)
{
    uint64_t ha[32], hb[32];
    size_t na = 0, nb = 0;
    for (int side = 0; side < 2; side++) {
        const char *p = side ? b : a;
        uint64_t *h = side ? hb : ha;
        size_t *n = side ? &nb : &na;
        while (*p && *n < 32) {
            while (*p == ' ')
                p++;
            const char *q = p;
            while (*q && *q != ' ')
                q++;
            if (q > p && !is_stop(p, (size_t)(q - p)))
                h[(*n)++] = fnv64(FNV0, p, (size_t)(q - p));
            p = q;
        }
    }
    if (na == 0 || nb == 0)
        return 0.0;
    size_t common = 0;
    unsigned char used[32] = {0};
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (!used[j] && ha[i] == hb[j]) {
                used[j] = 1;
                common++;
                break;
            }
    return 2.0 * (double)common / (double)(na + nb);
}

static pd_match_level addr_level(const arena *ar, const maddr *a, const maddr *b,
                                 const char **how, double *sim)
{
    *sim = 0.0;
    if (a->commune >= 0 && b->commune >= 0) {
        if (a->commune == b->commune) {
            *sim = 1.0;
            *how = "same commune (2025 codes)";
            return PD_MATCH_AGREE;
        }
        if (a->province >= 0 && a->province == b->province) {
            *sim = 0.5;
            *how = "same province (2025 codes)";
            return PD_MATCH_PARTIAL;
        }
        *how = "different";
        return PD_MATCH_DISAGREE;
    }
    if (a->province >= 0 && b->province >= 0) {
        if (a->province == b->province) {
            *sim = 0.5;
            *how = "same province (2025 codes)";
            return PD_MATCH_PARTIAL;
        }
        *how = "different province";
        return PD_MATCH_DISAGREE;
    }
    if (a->text && b->text) {
        double s = addr_text_sim(ar->buf + a->text, ar->buf + b->text);
        *sim = s;
        *how = "text similarity";
        if (s >= 0.85)
            return PD_MATCH_AGREE;
        if (s >= 0.5)
            return PD_MATCH_PARTIAL;
        return PD_MATCH_DISAGREE;
    }
    *how = "missing";
    return PD_MATCH_MISSING;
}

/* Compare field fi of two features. */
static pd_match_level field_level(const pd_matcher *mt, const mfeat *a, const mfeat *b, int fi,
                                  const char **how, double *sim)
{
    const char *buf = mt->ar.buf;
    pd_match_level lv;
    *sim = 0.0;
    switch (fi) {
    case PD_MATCH_FIELD_NAME: {
        lv = name_level(buf + a->name, a->name_tone, a->name_sorted, a->name_ascii,
                        buf + b->name, b->name_tone, b->name_sorted, b->name_ascii, how, sim);
        if (lv < PD_MATCH_AGREE && (a->alt || b->alt)) {
            /* the birth name or an alias of one against the other's names */
            const char *h2;
            double s2;
            pd_match_level l2 = PD_MATCH_MISSING;
            if (a->alt)
                l2 = name_level(buf + a->alt, a->alt_tone, 1, 1, buf + b->name, b->name_tone,
                                2, 1, &h2, &s2);
            if (l2 < PD_MATCH_AGREE && b->alt)
                l2 = name_level(buf + a->name, a->name_tone, 1, 1, buf + b->alt, b->alt_tone, 2,
                                1, &h2, &s2);
            if (l2 == PD_MATCH_AGREE) {
                *how = "birth name / alias";
                *sim = s2;
                lv = l2;
            }
        }
        return lv;
    }
    case PD_MATCH_FIELD_BIRTH_DATE:
        lv = date_level(a->by, a->bm, a->bd, b->by, b->bm, b->bd, how);
        *sim = lv == PD_MATCH_AGREE ? 1.0 : lv == PD_MATCH_PARTIAL ? 0.5 : 0.0;
        return lv;
    case PD_MATCH_FIELD_ADMISSION:
        lv = date_level(a->ay, a->am, a->ad, b->ay, b->am, b->ad, how);
        *sim = lv == PD_MATCH_AGREE ? 1.0 : lv == PD_MATCH_PARTIAL ? 0.5 : 0.0;
        return lv;
    case PD_MATCH_FIELD_GENDER:
        if (!a->gender || !b->gender) {
            *how = "missing";
            return PD_MATCH_MISSING;
        }
        *sim = a->gender == b->gender;
        *how = a->gender == b->gender ? "exact" : "different";
        return a->gender == b->gender ? PD_MATCH_AGREE : PD_MATCH_DISAGREE;
    case PD_MATCH_FIELD_CCCD:
    case PD_MATCH_FIELD_CMND:
    case PD_MATCH_FIELD_PARTY_CARD:
    case PD_MATCH_FIELD_OTHER_ID: {
        int slot = fi == PD_MATCH_FIELD_CCCD ? ID_CCCD
                   : fi == PD_MATCH_FIELD_CMND ? ID_CMND
                   : fi == PD_MATCH_FIELD_PARTY_CARD ? ID_CARD : ID_OTHER;
        lv = id_level(buf + a->ids[slot], buf + b->ids[slot], how);
        *sim = lv == PD_MATCH_AGREE ? 1.0 : lv == PD_MATCH_PARTIAL ? 0.9 : 0.0;
        return lv;
    }
    case PD_MATCH_FIELD_HOMETOWN:
        return addr_level(&mt->ar, &a->addr[AD_HOME], &b->addr[AD_HOME], how, sim);
    case PD_MATCH_FIELD_RESIDENCE:
        return addr_level(&mt->ar, &a->addr[AD_RES], &b->addr[AD_RES], how, sim);
    case PD_MATCH_FIELD_BIRTHPLACE:
        return addr_level(&mt->ar, &a->addr[AD_BIRTH], &b->addr[AD_BIRTH], how, sim);
    case PD_MATCH_FIELD_ETHNICITY:
        if (a->eth < 0 || b->eth < 0 || (a->eth / 100 && b->eth / 100 && a->eth / 100 != b->eth / 100)) {
            *how = a->eth < 0 || b->eth < 0 ? "missing" : "codes of different lists";
            return PD_MATCH_MISSING;
        }
        *sim = a->eth % 100 == b->eth % 100;
        *how = *sim > 0 ? "exact" : "different";
        return *sim > 0 ? PD_MATCH_AGREE : PD_MATCH_DISAGREE;
    default:
        *how = "?";
        return PD_MATCH_MISSING;
    }
}

static uint32_t compare_pattern(const pd_matcher *mt, const mfeat *a, const mfeat *b)
{
    uint32_t pat = 0;
    const char *how;
    double sim;
    for (int fi = 0; fi < PD_MATCH_NFIELDS; fi++)
        pat |= (uint32_t)field_level(mt, a, b, fi, &how, &sim) << (2 * fi);
    return pat;
}

static double pattern_score(const pd_matcher *mt, uint32_t pat)
{
    double s = 0.0;
    for (int fi = 0; fi < PD_MATCH_NFIELDS; fi++)
        s += mt->w[fi][(pat >> (2 * fi)) & 3];
    return s;
}

static void explain_feat(pd_match_explanation *out, const pd_matcher *mt, const mfeat *a,
                         const mfeat *b)
{
    memset(out, 0, sizeof *out);
    for (int fi = 0; fi < PD_MATCH_NFIELDS; fi++) {
        pd_match_field_score *fs = &out->fields[fi];
        fs->field = (pd_match_field)fi;
        fs->name = field_names[fi];
        fs->level = field_level(mt, a, b, fi, &fs->how, &fs->similarity);
        fs->weight = mt->w[fi][fs->level];
        out->score += fs->weight;
    }
}

/* ---- sorting ------------------------------------------------------------------------ */

typedef struct kentry {
    uint64_t key;
    uint32_t idx;
    uint32_t settled; /* 1 when both sides of a pair with it need no comparison */
} kentry;

static int radix_sort_kentry(kentry *a, size_t n)
{
    if (n < 2)
        return 0;
    kentry *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return pd_error__oom();
    kentry *src = a, *dst = tmp;
    size_t count[65536];
    for (int pass = 0; pass < 4; pass++) {
        int shift = pass * 16;
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[(src[i].key >> shift) & 0xffff]++;
        size_t sum = 0;
        for (size_t i = 0; i < 65536; i++) {
            size_t c = count[i];
            count[i] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i].key >> shift) & 0xffff]++] = src[i];
        kentry *t = src;
        src = dst;
        dst = t;
    }
    /* after 4 passes the data is back in a */
    free(tmp);
    return 0;
}

static int radix_sort_u64(uint64_t *a, size_t n)
{
    if (n < 2)
        return 0;
    uint64_t *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return pd_error__oom();
    uint64_t *src = a, *dst = tmp;
    size_t *count = malloc(65536 * sizeof *count);
    if (!count) {
        free(tmp);
        return pd_error__oom();
    }
    for (int pass = 0; pass < 4; pass++) {
        int shift = pass * 16;
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(src[i] >> shift) & 0xffff]++;
        size_t sum = 0;
        for (size_t i = 0; i < 65536; i++) {
            size_t c = count[i];
            count[i] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 0xffff]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    free(count);
    free(tmp);
    return 0;
}

/* ---- blocking -------------------------------------------------------------------------- */

typedef struct u64vec {
    uint64_t *v;
    size_t n, cap;
} u64vec;

static int u64_push(u64vec *v, uint64_t x)
{
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 1 << 16;
        uint64_t *nv = realloc(v->v, nc * sizeof *nv);
        if (!nv)
            return pd_error__oom();
        v->v = nv;
        v->cap = nc;
    }
    v->v[v->n++] = x;
    return 0;
}

enum { BK_CCCD, BK_NAME_YEAR, BK_GIVEN_DATE_PROV, BK_CARD, BK_CMND, BK_SORTED_YEAR,
       BK_SURNAME_GIVEN_DATE, BK_OTHER, BK_DATE_HOME, BK_CCCD_TAIL, BK_CCCD_HEAD_MD, BK_ADMISSION_HOME, NBK };
/* keys from BK_DATE_HOME on only add candidates: EM learns from the pairs of the core
 * keys, so the weights of dates and places are not diluted by pairs that were
 * brought together because they agree on them */
#define BK_FIRST_EXTRA BK_DATE_HOME

/* key of record f for blocking key kind k, 0 when the record has none */
static uint64_t block_key(const pd_matcher *mt, const mfeat *f, int k)
{
    const char *buf = mt->ar.buf;
    uint64_t h = FNV0 ^ (uint64_t)(k + 1) * 0x9e3779b97f4a7c15ULL;
    switch (k) {
    case BK_CCCD:
    case BK_CARD:
    case BK_CMND:
    case BK_OTHER: {
        int slot = k == BK_CCCD ? ID_CCCD : k == BK_CARD ? ID_CARD : k == BK_CMND ? ID_CMND : ID_OTHER;
        if (!f->ids[slot])
            return 0;
        const char *s = buf + f->ids[slot];
        h = fnv64(h, s, strlen(s));
        break;
    }
    case BK_NAME_YEAR:
        if (!f->name || !f->by)
            return 0;
        h = fnv64(h, buf + f->name, strlen(buf + f->name));
        h = fnv64(h, &f->by, sizeof f->by);
        break;
    case BK_SORTED_YEAR:
        if (!f->name || !f->by)
            return 0;
        h ^= f->name_sorted;
        h = fnv64(h, &f->by, sizeof f->by);
        break;
    case BK_GIVEN_DATE_PROV: {
        if (!f->name || !f->by || !f->bm || !f->bd || f->addr[AD_HOME].province < 0)
            return 0;
        size_t l;
        const char *g = last_token(buf + f->name, &l);
        h = fnv64(h, g, l);
        h = fnv64(h, &f->by, sizeof f->by);
        h = fnv64(h, &f->bm, 1);
        h = fnv64(h, &f->bd, 1);
        h = fnv64(h, &f->addr[AD_HOME].province, sizeof f->addr[AD_HOME].province);
        break;
    }
    case BK_DATE_HOME: /* name and ids both mistyped: full birth date + hometown commune */
        if (!f->by || !f->bm || !f->bd || f->addr[AD_HOME].commune < 0)
            return 0;
        h = fnv64(h, &f->by, sizeof f->by);
        h = fnv64(h, &f->bm, 1);
        h = fnv64(h, &f->bd, 1);
        h = fnv64(h, &f->addr[AD_HOME].commune, sizeof f->addr[AD_HOME].commune);
        break;
    case BK_ADMISSION_HOME: /* full admission date + hometown commune */
        if (!f->ay || !f->am || !f->ad || f->addr[AD_HOME].commune < 0)
            return 0;
        h = fnv64(h, &f->ay, sizeof f->ay);
        h = fnv64(h, &f->am, 1);
        h = fnv64(h, &f->ad, 1);
        h = fnv64(h, &f->addr[AD_HOME].commune, sizeof f->addr[AD_HOME].commune);
        break;
    case BK_CCCD_TAIL:
    case BK_CCCD_HEAD_MD: {
        /* a one-digit slip leaves one half of a CCCD intact: the random last six
         * digits, or the first six (place, century, year) with birth month and day */
        if (!f->ids[ID_CCCD])
            return 0;
        const char *c = buf + f->ids[ID_CCCD];
        size_t l = strlen(c);
        if (l < 12)
            return 0;
        if (k == BK_CCCD_TAIL) {
            h = fnv64(h, c + l - 6, 6);
        } else {
            if (!f->bm || !f->bd)
                return 0;
            h = fnv64(h, c, 6);
            h = fnv64(h, &f->bm, 1);
            h = fnv64(h, &f->bd, 1);
        }
        break;
    }
    case BK_SURNAME_GIVEN_DATE: {
        if (!f->name || !f->by || !f->bm || !f->bd)
            return 0;
        const char *nm = buf + f->name, *sp = strchr(nm, ' ');
        size_t l;
        const char *g = last_token(nm, &l);
        h = fnv64(h, nm, sp ? (size_t)(sp - nm) : strlen(nm));
        h = fnv64(h, "|", 1);
        h = fnv64(h, g, l);
        h = fnv64(h, &f->by, sizeof f->by);
        h = fnv64(h, &f->bm, 1);
        h = fnv64(h, &f->bd, 1);
        break;
    }
    default:
        return 0;
    }
    return h ? h : 1;
}

static int gen_candidates(pd_matcher *mt, u64vec *pairs, int kfrom, int kto)
{
    size_t n = mt->n;
    kentry *e = malloc((n ? n : 1) * sizeof *e);
    if (!e)
        return pd_error__oom();
    int rc = 0;
    for (int k = kfrom; k < kto && rc == 0; k++) {
        size_t ne = 0;
        for (size_t i = 0; i < n; i++) {
            uint64_t key = block_key(mt, &mt->f[i], k);
            if (!key)
                continue;
            e[ne].key = key;
            e[ne].idx = (uint32_t)i;
            e[ne].settled = mt->f[i].ref || mt->f[i].gen < mt->gen;
            ne++;
        }
        if ((rc = radix_sort_kentry(e, ne)) < 0)
            break;
        for (size_t s = 0; s < ne && rc == 0;) {
            size_t t = s + 1;
            while (t < ne && e[t].key == e[s].key)
                t++;
            size_t bs = t - s;
            if (bs >= 2) {
                if (bs > mt->opts.max_block) {
                    mt->stats.skipped_blocks++;
                } else {
                    for (size_t i = s; i < t && rc == 0; i++)
                        for (size_t j = i + 1; j < t; j++) {
                            if (e[i].settled && e[j].settled)
                                continue;
                            uint32_t a = e[i].idx, b = e[j].idx;
                            if (a > b) {
                                uint32_t x = a;
                                a = b;
                                b = x;
                            }
                            if ((rc = u64_push(pairs, (uint64_t)a << 32 | b)) < 0)
                                break;
                        }
                }
            }
            s = t;
        }
    }
    free(e);
    if (rc < 0)
        return rc;
    if ((rc = radix_sort_u64(pairs->v, pairs->n)) < 0)
        return rc;
    size_t w = 0;
    for (size_t i = 0; i < pairs->n; i++)
        if (w == 0 || pairs->v[w - 1] != pairs->v[i])
            pairs->v[w++] = pairs->v[i];
    pairs->n = w;
    return 0;
}

/* ---- EM over the histogram of patterns ------------------------------------------------ */

typedef struct pat_count {
    uint32_t pat;
    uint32_t used;
    double n;
} pat_count;

static int em_estimate(pd_matcher *mt, const uint32_t *pats, size_t np)
{
    size_t cap = 1024;
    while (cap < np * 2 && cap < (1u << 22))
        cap *= 2;
    pat_count *h = calloc(cap, sizeof *h);
    if (!h)
        return pd_error__oom();
    size_t distinct = 0;
    for (size_t i = 0; i < np; i++) {
        size_t k = (size_t)mix64(pats[i] + 1) & (cap - 1);
        while (h[k].used && h[k].pat != pats[i])
            k = (k + 1) & (cap - 1);
        if (!h[k].used) {
            h[k].used = 1;
            h[k].pat = pats[i];
            distinct++;
        }
        h[k].n += 1.0;
    }
    pat_count *list = malloc((distinct ? distinct : 1) * sizeof *list);
    if (!list) {
        free(h);
        return pd_error__oom();
    }
    size_t nd = 0;
    for (size_t k = 0; k < cap; k++)
        if (h[k].used)
            list[nd++] = h[k];
    free(h);

    double m[PD_MATCH_NFIELDS][PD_MATCH_NLEVELS], u[PD_MATCH_NFIELDS][PD_MATCH_NLEVELS];
    memcpy(m, mt->m, sizeof m);
    memcpy(u, mt->u, sizeof u);
    /* prior: share of candidate pairs above the threshold with the seed weights */
    double above = 0.0, total = 0.0;
    for (size_t i = 0; i < nd; i++) {
        total += list[i].n;
        if (pattern_score(mt, list[i].pat) >= mt->opts.threshold)
            above += list[i].n;
    }
    double p = total > 0 ? above / total : 0.01;
    if (p < 1e-4)
        p = 1e-4;
    if (p > 0.9)
        p = 0.9;
    int it;
    for (it = 0; it < mt->opts.em_iterations; it++) {
        double sm[PD_MATCH_NFIELDS][PD_MATCH_NLEVELS] = {{0}};
        double su[PD_MATCH_NFIELDS][PD_MATCH_NLEVELS] = {{0}};
        double gsum = 0.0;
        double lm[PD_MATCH_NFIELDS][PD_MATCH_NLEVELS], lu[PD_MATCH_NFIELDS][PD_MATCH_NLEVELS];
        for (int f = 0; f < PD_MATCH_NFIELDS; f++)
            for (int l = 1; l < PD_MATCH_NLEVELS; l++) {
                lm[f][l] = log(m[f][l]);
                lu[f][l] = log(u[f][l]);
            }
        for (size_t i = 0; i < nd; i++) {
            double a = log(p), b = log(1.0 - p);
            for (int f = 0; f < PD_MATCH_NFIELDS; f++) {
                int l = (list[i].pat >> (2 * f)) & 3;
                if (l) {
                    a += lm[f][l];
                    b += lu[f][l];
                }
            }
            double g = 1.0 / (1.0 + exp(b - a));
            double gm = g * list[i].n, gu = (1.0 - g) * list[i].n;
            gsum += gm;
            for (int f = 0; f < PD_MATCH_NFIELDS; f++) {
                int l = (list[i].pat >> (2 * f)) & 3;
                if (l) {
                    sm[f][l] += gm;
                    su[f][l] += gu;
                }
            }
        }
        double np_ = gsum / total;
        double change = fabs(np_ - p);
        p = np_ < 1e-6 ? 1e-6 : np_ > 0.999 ? 0.999 : np_;
        for (int f = 0; f < PD_MATCH_NFIELDS; f++) {
            double tm = sm[f][1] + sm[f][2] + sm[f][3], tu = su[f][1] + su[f][2] + su[f][3];
            for (int l = 1; l < PD_MATCH_NLEVELS; l++) {
                /* add-one smoothing keeps empty levels away from 0 and 1 */
                double nm = (sm[f][l] + 0.5) / (tm + 1.5), nu = (su[f][l] + 0.5) / (tu + 1.5);
                if (nm < 1e-6) nm = 1e-6;
                if (nu < 1e-6) nu = 1e-6;
                if (nm > 1 - 1e-6) nm = 1 - 1e-6;
                if (nu > 1 - 1e-6) nu = 1 - 1e-6;
                change = fmax(change, fabs(nm - m[f][l]));
                m[f][l] = nm;
                u[f][l] = nu;
            }
        }
        if (change < 1e-5)
            break;
    }
    free(list);
    mt->stats.em_iterations = it;
    /* keep the estimate only when it is sane: names and birth dates agree more often
     * among matches than among non-matches, and matches are a minority */
    int sane = p < 0.5 && m[PD_MATCH_FIELD_NAME][PD_MATCH_AGREE] > u[PD_MATCH_FIELD_NAME][PD_MATCH_AGREE] &&
               m[PD_MATCH_FIELD_BIRTH_DATE][PD_MATCH_AGREE] > u[PD_MATCH_FIELD_BIRTH_DATE][PD_MATCH_AGREE];
    if (sane) {
        memcpy(mt->m, m, sizeof m);
        memcpy(mt->u, u, sizeof u);
        mt->prior = p;
        set_weights(mt);
    }
    return 0;
}

/* ---- clustering ------------------------------------------------------------------------ */

static uint32_t uf_find(uint32_t *par, uint32_t x)
{
    while (par[x] != x) {
        par[x] = par[par[x]];
        x = par[x];
    }
    return x;
}

static double pair_score(const pd_matcher *mt, uint32_t a, uint32_t b)
{
    return pattern_score(mt, compare_pattern(mt, &mt->f[a], &mt->f[b]));
}

#define TRANS_MAX 64     /* components checked for transitivity up to this size */
#define TRANS_AGAINST 0.0 /* a pair scoring below this is evidence against */

static int cmp_kpair_score_desc(const void *x, const void *y)
{
    const struct kpair *a = *(const struct kpair *const *)x, *b = *(const struct kpair *const *)y;
    return a->score < b->score ? 1 : a->score > b->score ? -1 : 0;
}

static int cluster(pd_matcher *mt)
{
    size_t n = mt->n;
    int rc = 0;
    uint32_t *par = malloc((n ? n : 1) * sizeof *par);
    uint32_t *root2 = malloc((n ? n : 1) * sizeof *root2);
    if (!par || !root2) {
        free(par);
        free(root2);
        return pd_error__oom();
    }
    for (size_t i = 0; i < n; i++)
        par[i] = (uint32_t)i;
    for (size_t i = 0; i < mt->npairs; i++) {
        struct kpair *p = &mt->pairs[i];
        p->match = p->score >= mt->opts.threshold;
        if (p->match) {
            uint32_t a = uf_find(par, p->a), b = uf_find(par, p->b);
            if (a != b)
                par[a < b ? b : a] = a < b ? a : b;
        }
    }
    /* group records by component */
    size_t *cnt = calloc(n ? n : 1, sizeof *cnt);
    if (!cnt) {
        free(par);
        free(root2);
        return pd_error__oom();
    }
    for (size_t i = 0; i < n; i++) {
        root2[i] = uf_find(par, (uint32_t)i);
        cnt[root2[i]]++;
    }
    mt->stats.split_clusters = 0;
    if (!(mt->opts.flags & PD_MATCH_NO_TRANSITIVITY)) {
        /* members of each component of size 3..TRANS_MAX */
        size_t *start = calloc(n + 1, sizeof *start);
        uint32_t *memb = malloc((n ? n : 1) * sizeof *memb);
        struct kpair **edges = malloc((mt->npairs ? mt->npairs : 1) * sizeof *edges);
        if (!start || !memb || !edges) {
            free(start);
            free(memb);
            free(edges);
            rc = pd_error__oom();
            goto out;
        }
        for (size_t i = 0; i < n; i++)
            start[i + 1] = start[i] + cnt[i];
        size_t *fill = cnt; /* reuse as fill position */
        for (size_t i = 0; i < n; i++)
            fill[i] = start[i];
        for (size_t i = 0; i < n; i++)
            memb[fill[root2[i]]++] = (uint32_t)i;
        /* edges of each candidate component */
        size_t ne = 0;
        for (size_t i = 0; i < mt->npairs; i++) {
            struct kpair *p = &mt->pairs[i];
            size_t cs = start[root2[p->a] + 1] - start[root2[p->a]];
            if (p->match && cs >= 3 && cs <= TRANS_MAX)
                edges[ne++] = p;
        }
        qsort(edges, ne, sizeof *edges, cmp_kpair_score_desc);
        for (size_t r = 0; r < n; r++) {
            size_t cs = start[r + 1] - start[r];
            if (cs < 3 || cs > TRANS_MAX)
                continue;
            uint32_t *mm = memb + start[r];
            /* pairwise scores */
            double sc[TRANS_MAX][TRANS_MAX];
            int against = 0;
            for (size_t i = 0; i < cs; i++)
                for (size_t j = i + 1; j < cs; j++) {
                    sc[i][j] = sc[j][i] = pair_score(mt, mm[i], mm[j]);
                    if (sc[i][j] < TRANS_AGAINST)
                        against = 1;
                }
            if (!against)
                continue;
            mt->stats.split_clusters++;
            /* rebuild: local union-find, merge along edges in score order when no
             * cross pair is against */
            uint32_t lp[TRANS_MAX];
            for (size_t i = 0; i < cs; i++)
                lp[i] = (uint32_t)i;
            for (size_t e = 0; e < ne; e++) {
                struct kpair *p = edges[e];
                if (root2[p->a] != r)
                    continue;
                size_t ia = 0, ib = 0;
                while (mm[ia] != p->a)
                    ia++;
                while (mm[ib] != p->b)
                    ib++;
                uint32_t ra = uf_find(lp, (uint32_t)ia), rb = uf_find(lp, (uint32_t)ib);
                if (ra == rb)
                    continue;
                int ok = 1;
                for (size_t i = 0; i < cs && ok; i++) {
                    if (uf_find(lp, (uint32_t)i) != ra)
                        continue;
                    for (size_t j = 0; j < cs; j++)
                        if (uf_find(lp, (uint32_t)j) == rb && sc[i][j] < TRANS_AGAINST) {
                            ok = 0;
                            break;
                        }
                }
                if (ok)
                    lp[ra > rb ? ra : rb] = ra < rb ? ra : rb;
            }
            for (size_t i = 0; i < cs; i++)
                root2[mm[i]] = mm[uf_find(lp, (uint32_t)i)];
        }
        free(start);
        free(memb);
        free(edges);
    }
    /* final clusters: group by root2, size >= 2 */
    memset(cnt, 0, n * sizeof *cnt);
    for (size_t i = 0; i < n; i++)
        cnt[root2[i]]++;
    size_t ncl = 0, nmem = 0;
    for (size_t i = 0; i < n; i++)
        if (cnt[i] >= 2) {
            ncl++;
            nmem += cnt[i];
        }
    free(mt->cl_start);
    free(mt->cl_members);
    mt->cl_start = malloc((ncl + 1) * sizeof *mt->cl_start);
    mt->cl_members = malloc((nmem ? nmem : 1) * sizeof *mt->cl_members);
    if (!mt->cl_start || !mt->cl_members) {
        rc = pd_error__oom();
        goto out;
    }
    /* cluster number per root, in order of the root's smallest member */
    size_t *clid = par == NULL ? NULL : (size_t *)NULL;
    (void)clid;
    size_t k = 0;
    mt->cl_start[0] = 0;
    /* first pass: assign offsets in order of first appearance */
    size_t *off = malloc((n ? n : 1) * sizeof *off);
    if (!off) {
        rc = pd_error__oom();
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        off[i] = SIZE_MAX;
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = root2[i];
        if (cnt[r] < 2)
            continue;
        if (off[r] == SIZE_MAX) {
            off[r] = pos;
            pos += cnt[r];
            mt->cl_start[++k] = pos;
        }
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t r = root2[i];
        if (cnt[r] >= 2)
            mt->cl_members[off[r]++] = i;
    }
    free(off);
    mt->nclusters = ncl;
    mt->stats.clusters = ncl;
    mt->stats.clustered_records = nmem;
    /* a pair is a match when its score passes and both ends stayed together */
    size_t matched = 0;
    for (size_t i = 0; i < mt->npairs; i++) {
        struct kpair *p = &mt->pairs[i];
        if (p->match && root2[p->a] != root2[p->b])
            p->match = 0;
        matched += p->match;
    }
    mt->stats.matched_pairs = matched;
out:
    free(cnt);
    free(par);
    free(root2);
    return rc;
}

/* ---- run ------------------------------------------------------------------------------- */

static int kpair_cmp(const void *x, const void *y)
{
    const struct kpair *a = x, *b = y;
    uint64_t ka = (uint64_t)a->a << 32 | a->b, kb = (uint64_t)b->a << 32 | b->b;
    return ka < kb ? -1 : ka > kb;
}

PD_EXTERN(int) pd_matcher_run(pd_matcher *mt)
{
    if (!mt)
        return pd_error__set(PD_EINVALID, "NULL matcher");
    u64vec cand = {0};
    int rc;
    size_t prev_pairs = mt->npairs;
    mt->stats.skipped_blocks = 0;
    /* core candidates first (EM learns from them), then those only the extra keys
     * bring: cand = core (sorted) + extra-only (sorted) */
    if ((rc = gen_candidates(mt, &cand, 0, BK_FIRST_EXTRA)) < 0)
        goto fail;
    size_t ncore = cand.n;
    {
        u64vec extra = {0};
        if ((rc = gen_candidates(mt, &extra, BK_FIRST_EXTRA, NBK)) < 0) {
            free(extra.v);
            goto fail;
        }
        size_t i = 0;
        for (size_t j = 0; j < extra.n && rc == 0; j++) {
            while (i < ncore && cand.v[i] < extra.v[j])
                i++;
            if (i < ncore && cand.v[i] == extra.v[j])
                continue;
            rc = u64_push(&cand, extra.v[j]);
        }
        free(extra.v);
        if (rc < 0)
            goto fail;
    }
    uint32_t *pats = malloc((cand.n ? cand.n : 1) * sizeof *pats);
    if (!pats) {
        rc = pd_error__oom();
        goto fail;
    }
    for (size_t i = 0; i < cand.n; i++) {
        uint32_t a = (uint32_t)(cand.v[i] >> 32), b = (uint32_t)cand.v[i];
        pats[i] = compare_pattern(mt, &mt->f[a], &mt->f[b]);
    }
    if (!(mt->opts.flags & PD_MATCH_NO_EM) && ncore >= 50) {
        /* EM on an evenly spread sample of at most em_sample core pairs */
        size_t ns = ncore, step = 1;
        if (ns > mt->opts.em_sample) {
            step = ns / mt->opts.em_sample;
            ns = (ns + step - 1) / step;
        }
        uint32_t *sample = pats;
        uint32_t *buf = NULL;
        if (step > 1) {
            buf = malloc(ns * sizeof *buf);
            if (!buf) {
                free(pats);
                rc = pd_error__oom();
                goto fail;
            }
            size_t k = 0;
            for (size_t i = 0; i < ncore && k < ns; i += step)
                buf[k++] = pats[i];
            ns = k;
            sample = buf;
        }
        rc = em_estimate(mt, sample, ns);
        free(buf);
        if (rc < 0) {
            free(pats);
            goto fail;
        }
    } else {
        mt->stats.em_iterations = 0;
    }
    /* keep pairs with some evidence for (all of them with KEEP_ALL_PAIRS) */
    double keep = (mt->opts.flags & PD_MATCH_KEEP_ALL_PAIRS) ? -INFINITY
                  : fmin(0.0, mt->opts.threshold);
    for (size_t i = 0; i < cand.n; i++) {
        double s = pattern_score(mt, pats[i]);
        if (s < keep)
            continue;
        if (mt->npairs == mt->cappairs) {
            size_t nc = mt->cappairs ? mt->cappairs * 2 : 4096;
            struct kpair *np = realloc(mt->pairs, nc * sizeof *np);
            if (!np) {
                free(pats);
                rc = pd_error__oom();
                goto fail;
            }
            mt->pairs = np;
            mt->cappairs = nc;
        }
        struct kpair *p = &mt->pairs[mt->npairs++];
        p->a = (uint32_t)(cand.v[i] >> 32);
        p->b = (uint32_t)cand.v[i];
        p->score = (float)s;
        p->match = 0;
    }
    free(pats);
    /* re-score the earlier pairs with the new weights; keep (a, b) order */
    for (size_t i = 0; i < prev_pairs; i++)
        mt->pairs[i].score = (float)pair_score(mt, mt->pairs[i].a, mt->pairs[i].b);
    if (mt->npairs > 1)
        qsort(mt->pairs, mt->npairs, sizeof *mt->pairs, kpair_cmp);
    mt->stats.candidate_pairs = cand.n;
    free(cand.v);
    cand.v = NULL;
    mt->stats.records = mt->n;
    size_t nref = 0;
    for (size_t i = 0; i < mt->n; i++)
        nref += mt->f[i].ref;
    mt->stats.reference_records = nref;
    if ((rc = cluster(mt)) < 0)
        return rc;
    mt->gen++;
    mt->ran = 1;
    return 0;
fail:
    free(cand.v);
    return rc;
}

PD_EXTERN(int) pd_matcher_stats(pd_match_stats *out, const pd_matcher *mt)
{
    if (!out || !mt)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = mt->stats;
    return 0;
}

/* ---- iteration ------------------------------------------------------------------------- */

struct pd_match_pair_iter {
    const pd_matcher *mt;
    size_t i;
    double min;
};

PD_EXTERN(int) pd_matcher_pairs(pd_match_pair_iter **out, const pd_matcher *mt,
                                double min_score)
{
    if (!out || !mt)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    if (!mt->ran)
        return pd_error__set(PD_EINVALID, "the matcher has not run");
    pd_match_pair_iter *it = calloc(1, sizeof *it);
    if (!it)
        return pd_error__oom();
    it->mt = mt;
    it->min = min_score;
    *out = it;
    return 0;
}

PD_EXTERN(int) pd_match_pair_iter_next(pd_match_pair *out, pd_match_pair_iter *it)
{
    if (!out || !it)
        return pd_error__set(PD_EINVALID, "NULL argument");
    const pd_matcher *mt = it->mt;
    while (it->i < mt->npairs) {
        const struct kpair *p = &mt->pairs[it->i++];
        if (p->score < it->min)
            continue;
        out->index_a = p->a;
        out->index_b = p->b;
        out->a = mt->f[p->a].id;
        out->b = mt->f[p->b].id;
        out->score = p->score;
        out->is_match = (int)p->match;
        return 0;
    }
    return PD_ITEROVER;
}

PD_EXTERN(void) pd_match_pair_iter_free(pd_match_pair_iter *it) { free(it); }

struct pd_match_cluster_iter {
    const pd_matcher *mt;
    size_t i;
    pd_uuid *ids;
    size_t cap;
};

PD_EXTERN(int) pd_matcher_clusters(pd_match_cluster_iter **out, const pd_matcher *mt)
{
    if (!out || !mt)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    if (!mt->ran)
        return pd_error__set(PD_EINVALID, "the matcher has not run");
    pd_match_cluster_iter *it = calloc(1, sizeof *it);
    if (!it)
        return pd_error__oom();
    it->mt = mt;
    *out = it;
    return 0;
}

PD_EXTERN(int) pd_match_cluster_iter_next(pd_match_cluster *out, pd_match_cluster_iter *it)
{
    if (!out || !it)
        return pd_error__set(PD_EINVALID, "NULL argument");
    const pd_matcher *mt = it->mt;
    if (it->i >= mt->nclusters)
        return PD_ITEROVER;
    size_t s = mt->cl_start[it->i], e = mt->cl_start[it->i + 1], c = e - s;
    if (c > it->cap) {
        pd_uuid *ni = realloc(it->ids, c * sizeof *ni);
        if (!ni)
            return pd_error__oom();
        it->ids = ni;
        it->cap = c;
    }
    for (size_t k = 0; k < c; k++)
        it->ids[k] = mt->f[mt->cl_members[s + k]].id;
    out->index = it->i;
    out->count = c;
    out->members = it->ids;
    out->indexes = mt->cl_members + s;
    it->i++;
    return 0;
}

PD_EXTERN(void) pd_match_cluster_iter_free(pd_match_cluster_iter *it)
{
    if (!it)
        return;
    free(it->ids);
    free(it);
}

PD_EXTERN(int) pd_matcher_explain(pd_match_explanation *out, const pd_matcher *mt, size_t a,
                                  size_t b)
{
    if (!out || !mt)
        return pd_error__set(PD_EINVALID, "NULL argument");
    if (a >= mt->n || b >= mt->n)
        return pd_error__set(PD_EINVALID, "record index out of range (%zu records)", mt->n);
    explain_feat(out, mt, &mt->f[a], &mt->f[b]);
    return 0;
}

PD_EXTERN(int) pd_matcher_index(size_t *out, const pd_matcher *mt, const pd_uuid *id)
{
    if (!out || !mt || !id)
        return pd_error__set(PD_EINVALID, "NULL argument");
    long k = -1;
    if (mt->idx_cap && mt->idx_n == mt->n) {
        k = idx_find(mt, id);
    } else {
        for (size_t i = 0; i < mt->n && k < 0; i++)
            if (memcmp(mt->f[i].id.bytes, id->bytes, 16) == 0)
                k = (long)i;
    }
    if (k >= 0) {
        *out = (size_t)k;
        return 0;
    }
    char buf[PD_UUID_STRLEN];
    return pd_error__set(PD_ENOTFOUND, "no record %s in the matcher", pd_uuid_format(buf, id));
}

PD_EXTERN(int) pd_match_compare(pd_match_explanation *out, const pd_member *a,
                                const pd_member *b, const pd_matcher *mt)
{
    if (!out || !a || !b)
        return pd_error__set(PD_EINVALID, "NULL argument");
    pd_matcher *tmp = NULL;
    int rc = pd_matcher_new(&tmp, NULL);
    if (rc < 0)
        return rc;
    if (mt) {
        memcpy(tmp->m, mt->m, sizeof tmp->m);
        memcpy(tmp->u, mt->u, sizeof tmp->u);
        memcpy(tmp->w, mt->w, sizeof tmp->w);
    }
    mfeat fa, fb;
    if ((rc = extract(&fa, tmp, (const PdPb__Member *)a)) == 0 &&
        (rc = extract(&fb, tmp, (const PdPb__Member *)b)) == 0)
        explain_feat(out, tmp, &fa, &fb);
    pd_matcher_free(tmp);
    return rc;
}

PD_EXTERN(int) pd_match_explanation_text(char **out, const pd_match_explanation *e)
{
    if (!out || !e)
        return pd_error__set(PD_EINVALID, "NULL argument");
    size_t cap = 2048, len = 0;
    char *s = malloc(cap);
    if (!s)
        return pd_error__oom();
    len += (size_t)snprintf(s + len, cap - len, "score %+.2f\n", e->score);
    for (int i = 0; i < PD_MATCH_NFIELDS; i++) {
        const pd_match_field_score *f = &e->fields[i];
        if (f->level == PD_MATCH_MISSING)
            continue;
        len += (size_t)snprintf(s + len, cap - len, "  %-15s %-8s %+7.2f  %s\n", f->name,
                                level_names[f->level], f->weight, f->how ? f->how : "");
        if (len >= cap - 1)
            break;
    }
    *out = s;
    return 0;
}

PD_EXTERN(int) pd_match_explanation_json(char **out, const pd_match_explanation *e)
{
    if (!out || !e)
        return pd_error__set(PD_EINVALID, "NULL argument");
    size_t cap = 4096, len = 0;
    char *s = malloc(cap);
    if (!s)
        return pd_error__oom();
    len += (size_t)snprintf(s + len, cap - len, "{\"score\":%.4f,\"fields\":[", e->score);
    int first = 1;
    for (int i = 0; i < PD_MATCH_NFIELDS; i++) {
        const pd_match_field_score *f = &e->fields[i];
        len += (size_t)snprintf(s + len, cap - len,
                                "%s{\"field\":\"%s\",\"level\":\"%s\",\"weight\":%.4f,"
                                "\"how\":\"%s\",\"similarity\":%.4f}",
                                first ? "" : ",", f->name, level_names[f->level], f->weight,
                                f->how ? f->how : "", f->similarity);
        first = 0;
    }
    snprintf(s + len, cap - len, "]}");
    *out = s;
    return 0;
}

/* ---- evaluation ---------------------------------------------------------------------- */

typedef struct lab {
    uint64_t label;
    size_t cluster; /* SIZE_MAX = singleton */
    size_t idx;
} lab;

static int lab_cmp(const void *x, const void *y)
{
    const lab *a = x, *b = y;
    if (a->label != b->label)
        return a->label < b->label ? -1 : 1;
    if (a->cluster != b->cluster)
        return a->cluster < b->cluster ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

PD_EXTERN(int) pd_matcher_evaluate(pd_match_quality *out, const pd_matcher *mt,
                                   const uint64_t *truth, size_t n)
{
    if (!out || !mt || !truth)
        return pd_error__set(PD_EINVALID, "NULL argument");
    if (!mt->ran || n != mt->n)
        return pd_error__set(PD_EINVALID, "not run, or truth of %zu labels for %zu records", n,
                             mt->n);
    memset(out, 0, sizeof *out);
    lab *l = malloc((n ? n : 1) * sizeof *l);
    if (!l)
        return pd_error__oom();
    for (size_t i = 0; i < n; i++) {
        l[i].label = truth[i];
        l[i].cluster = SIZE_MAX;
        l[i].idx = i;
    }
    for (size_t c = 0; c < mt->nclusters; c++)
        for (size_t k = mt->cl_start[c]; k < mt->cl_start[c + 1]; k++)
            l[mt->cl_members[k]].cluster = c;
    /* found pairs per cluster */
    for (size_t c = 0; c < mt->nclusters; c++) {
        size_t s = mt->cl_start[c + 1] - mt->cl_start[c];
        out->found_pairs += s * (s - 1) / 2;
    }
    out->found_clusters = mt->nclusters;
    qsort(l, n, sizeof *l, lab_cmp);
    /* per label: true pairs; per (label, cluster): correct pairs; exact clusters */
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && l[j].label == l[i].label)
            j++;
        size_t s = j - i;
        out->true_pairs += s * (s - 1) / 2;
        if (s >= 2)
            out->true_clusters++;
        for (size_t k = i; k < j;) {
            size_t q = k;
            while (q < j && l[q].cluster == l[k].cluster)
                q++;
            size_t t = q - k;
            if (l[k].cluster != SIZE_MAX) {
                out->correct_pairs += t * (t - 1) / 2;
                size_t cs = mt->cl_start[l[k].cluster + 1] - mt->cl_start[l[k].cluster];
                if (t == s && cs == s && s >= 2)
                    out->correct_clusters++;
            }
            k = q;
        }
        i = j;
    }
    free(l);
    out->pair_precision = out->found_pairs ? (double)out->correct_pairs / (double)out->found_pairs : 1.0;
    out->pair_recall = out->true_pairs ? (double)out->correct_pairs / (double)out->true_pairs : 1.0;
    out->pair_f1 = out->pair_precision + out->pair_recall > 0
                       ? 2 * out->pair_precision * out->pair_recall /
                             (out->pair_precision + out->pair_recall)
                       : 0.0;
    out->cluster_precision =
        out->found_clusters ? (double)out->correct_clusters / (double)out->found_clusters : 1.0;
    out->cluster_recall =
        out->true_clusters ? (double)out->correct_clusters / (double)out->true_clusters : 1.0;
    out->cluster_f1 = out->cluster_precision + out->cluster_recall > 0
                          ? 2 * out->cluster_precision * out->cluster_recall /
                                (out->cluster_precision + out->cluster_recall)
                          : 0.0;
    return 0;
}

/* ---- store ------------------------------------------------------------------------------ */

PD_EXTERN(int) pd_matcher_add_store(pd_matcher *mt, pd_store *st, unsigned int flags)
{
    if (!mt || !st)
        return pd_error__set(PD_EINVALID, "NULL argument");
    pd_store_iter *it = NULL;
    int rc = pd_store_query_open(&it, st, NULL);
    if (rc < 0)
        return rc;
    const pd_record *r;
    while ((rc = pd_store_iter_next(&r, it)) == 0) {
        const PdPb__Member *m = (const PdPb__Member *)pd_record_member((pd_record *)r);
        if (!m || m->has_merged_into_id)
            continue;
        if ((rc = pd_matcher_add(mt, (const pd_member *)m, flags)) < 0)
            break;
    }
    pd_store_iter_free(it);
    return rc == PD_ITEROVER ? 0 : rc;
}

/* Candidates of one new member from the store's indexes: same CCCD, same party card,
 * same folded name and birth year. */
PD_EXTERN(int) pd_matcher_add_store_candidates(pd_matcher *mt, pd_store *st, const pd_member *m,
                                               unsigned int flags)
{
    const PdPb__Member *pm = (const PdPb__Member *)m;
    if (!mt || !st || !pm)
        return pd_error__set(PD_EINVALID, "NULL argument");
    int rc = idx_ensure(mt);
    if (rc < 0)
        return rc;
    pd_uuid id;
    if (pm->has_id && pm->id.len == 16) {
        memcpy(id.bytes, pm->id.data, 16);
        if (idx_find(mt, &id) < 0 && (rc = pd_matcher_add(mt, m, flags)) < 0)
            return rc;
    } else {
        return pd_error__set(PD_EINVALID, "member without an id");
    }
    sqlite3 *db = pd_store_db(st);
    if (!db)
        return pd_error__set(PD_EINVALID, "store without a database");
    const char *cccd = pd_member_cccd(m), *card = pm->party_card_no;
    char *fold = NULL;
    int year = pm->birth_date && pm->birth_date->has_year ? pm->birth_date->year : 0;
    if (pm->full_name && year && (rc = pd_normalize_fold(&fold, pm->full_name)) < 0)
        return rc;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT pb FROM members WHERE merged_into_id IS NULL AND id <> ?5 AND "
                           "(cccd = ?1 OR party_card_no = ?2 OR (name_fold = ?3 AND birth_year = ?4))",
                           -1, &s, NULL) != SQLITE_OK) {
        pd_free(fold);
        pd_error__set_store_code(sqlite3_extended_errcode(db));
        return pd_error__set(PD_ESTORE, "candidate query: %s", sqlite3_errmsg(db));
    }
    if (cccd && *cccd)
        sqlite3_bind_text(s, 1, cccd, -1, SQLITE_STATIC);
    if (card && *card)
        sqlite3_bind_text(s, 2, card, -1, SQLITE_STATIC);
    if (fold && *fold) {
        sqlite3_bind_text(s, 3, fold, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 4, year);
    }
    sqlite3_bind_blob(s, 5, id.bytes, 16, SQLITE_STATIC);
    int step;
    rc = 0;
    while ((step = sqlite3_step(s)) == SQLITE_ROW && rc == 0) {
        /* the pb column holds the bare Member message */
        PdPb__Member *cm = (PdPb__Member *)protobuf_c_message_unpack(
            &pd__pb__member__descriptor, NULL, (size_t)sqlite3_column_bytes(s, 0),
            sqlite3_column_blob(s, 0));
        if (!cm) {
            rc = pd_error__set(PD_EPARSE, "a stored member does not decode");
            break;
        }
        pd_uuid cid;
        if (pd_member_id(&cid, (pd_member *)cm) == 0 && idx_find(mt, &cid) < 0)
            rc = pd_matcher_add(mt, (pd_member *)cm, PD_MATCH_ADD_REFERENCE);
        protobuf_c_message_free_unpacked(PD_MSG(cm), NULL);
    }
    if (rc == 0 && step != SQLITE_DONE && step != SQLITE_ROW) {
        pd_error__set_store_code(sqlite3_extended_errcode(db));
        rc = pd_error__set(PD_ESTORE, "candidate query: %s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(s);
    pd_free(fold);
    return rc;
}
