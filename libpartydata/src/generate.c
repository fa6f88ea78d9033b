/*
 * generate.c: synthetic organizations and members with injected dirt, duplicates
 * and the ground truth (generate.h).
 *
 * Model (documented in docs/api/generate.md):
 *  - World date (as_of) 2025-10-01 unless set; pre-2025 mode defaults to 2025-06-01.
 *  - Tree: central → provinces → commune committees (CAP_XA, 2025) or districts
 *    (CAP_HUYEN) → commune grassroots committees (pre-2025) → grassroots committees
 *    (đảng bộ cơ sở) with their cells, and grassroots cells (chi bộ cơ sở). Cells hold
 *    about 22 members. Ids of organizations are a hash of (seed, unit, index): the
 *    tree is never stored, members compute their cell's id.
 *  - Members are spread over provinces by the population of their old provinces
 *    (table below) and over communes by a per-commune weight drawn from the seed;
 *    they come commune after commune.
 *  - Every person has its own PRNG stream (seed, person number): a duplicate is the
 *    same person rebuilt, with a new id, maybe another cell, and variations.
 *  - PRNG: xoshiro256** seeded with splitmix64, never rand().
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <utf8proc.h>

#include "pd_internal.h"
#include "partydata/generate.h"
#include "partydata/refdata.h"
#include "partydata/codec.h"

/* ---- PRNG ----------------------------------------------------------------------- */

typedef struct rng { uint64_t s[4]; } rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t mix3(uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t x = a ^ (b * 0x9e3779b97f4a7c15ULL) ^ (c * 0xc2b2ae3d27d4eb4fULL);
    splitmix64(&x);
    return splitmix64(&x);
}

/* one 64-bit finalizer (murmur3 fmix64): cheap hashing for derived ids */
static inline uint64_t fmix64(uint64_t k)
{
    k ^= k >> 33; k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33; k *= 0xc4ceb9fe1a85ec53ULL;
    return k ^ (k >> 33);
}

static void rng_seed(rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static inline double rng_unif(rng *r) { return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0); }
static inline uint32_t rng_below(rng *r, uint32_t n) { return n ? (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32) : 0; }
static inline int rng_chance(rng *r, double p) { return rng_unif(r) < p; }
static int rng_range(rng *r, int lo, int hi) { return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1)); }
static double rng_normal(rng *r)
{
    double u1 = rng_unif(r), u2 = rng_unif(r);
    if (u1 < 1e-300) u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* ---- calendar ---------------------------------------------------------------------- */

static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static pd_date civil_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    pd_date r = { (int)(y + (m <= 2)), m, d };
    return r;
}

static long dnum(pd_date d) { return days_from_civil(d.year, d.month ? d.month : 1, d.day ? d.day : 1); }
static pd_date add_days(pd_date d, long n) { return civil_from_days(dnum(d) + n); }
/* Same day n months later (days are kept <= 28 by construction where it matters). */
static pd_date add_months(pd_date d, int n)
{
    int m0 = d.year * 12 + (d.month - 1) + n;
    pd_date r = { m0 / 12, m0 % 12 + 1, d.day };
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int md = mdays[r.month - 1];
    if (r.month == 2 && ((r.year % 4 == 0 && r.year % 100 != 0) || r.year % 400 == 0)) md = 29;
    if (r.day > md) r.day = md;
    return r;
}
static inline long ymd(pd_date d) { return (long)d.year * 10000 + d.month * 100 + d.day; }
static int date_cmp(pd_date a, pd_date b) { long x = ymd(a), y = ymd(b); return x < y ? -1 : x > y; }

/* ---- static model tables -------------------------------------------------------------- */

/* Population (10,000s, 2019–2023 estimates, rounded) of the 63 old provinces by old
 * code: the weight of members per province. */
static const struct { const char *code; int pop; } old_pop[] = {
    {"01", 840}, {"02", 90}, {"04", 55}, {"06", 32}, {"08", 80}, {"10", 77}, {"11", 63},
    {"12", 48}, {"14", 130}, {"15", 84}, {"17", 88}, {"19", 133}, {"20", 80}, {"22", 137},
    {"24", 190}, {"25", 150}, {"26", 120}, {"27", 150}, {"30", 195}, {"31", 210}, {"33", 130},
    {"34", 187}, {"35", 88}, {"36", 188}, {"37", 100}, {"38", 370}, {"40", 340}, {"42", 130},
    {"44", 90}, {"45", 65}, {"46", 115}, {"48", 120}, {"49", 150}, {"51", 125}, {"52", 150},
    {"54", 88}, {"56", 125}, {"58", 60}, {"60", 125}, {"62", 57}, {"64", 160}, {"66", 190},
    {"67", 67}, {"68", 133}, {"70", 102}, {"72", 118}, {"74", 270}, {"75", 320}, {"77", 120},
    {"79", 940}, {"80", 170}, {"82", 180}, {"83", 130}, {"84", 100}, {"86", 100}, {"87", 160},
    {"89", 190}, {"91", 175}, {"92", 125}, {"93", 73}, {"94", 120}, {"95", 92}, {"96", 120},
};

/* Ethnic model: share of ethnic minorities among members of a (2025) province and the
 * main groups by name (equal weights). A simple plausible model, not statistics. */
static const struct { const char *prov; double minority; const char *groups; } eth_model[] = {
    {"04", 0.90, "Tày;Nùng;H'Mông;Dao"}, {"08", 0.65, "Tày;Dao;H'Mông;Sán Chay;Nùng"},
    {"11", 0.75, "Thái;H'Mông;Khơ-mú"}, {"12", 0.80, "Thái;H'Mông;Dao;Hà Nhì;Giáy"},
    {"14", 0.80, "Thái;H'Mông;Mường;Khơ-mú"}, {"15", 0.55, "Tày;Dao;H'Mông;Giáy;Nùng"},
    {"19", 0.35, "Tày;Nùng;Dao;Sán Dìu"}, {"20", 0.85, "Nùng;Tày;Dao"},
    {"22", 0.12, "Dao;Tày;Sán Dìu"}, {"24", 0.10, "Nùng;Tày;Sán Chay"},
    {"25", 0.22, "Mường;Dao;Tày"}, {"38", 0.16, "Mường;Thái"}, {"40", 0.14, "Thái;Khơ-mú;H'Mông"},
    {"44", 0.04, "Bru-Vân Kiều;Chứt;Tà-ôi"}, {"46", 0.04, "Tà-ôi;Cơ-tu"},
    {"48", 0.03, "Cơ-tu;Xơ-đăng"}, {"51", 0.15, "Xơ-đăng;Hrê;Ba-na;Gié-Triêng"},
    {"52", 0.30, "Gia-rai;Ba-na"}, {"56", 0.06, "Ra-glai;Chăm"}, {"66", 0.22, "Ê-đê;Mnông;Gia-rai"},
    {"68", 0.15, "Cơ-ho;Mnông;Mạ;Chăm"}, {"75", 0.05, "Hoa;Xtiêng;Nùng"}, {"79", 0.04, "Hoa;Khơ-me"},
    {"80", 0.01, "Khơ-me"}, {"86", 0.08, "Khơ-me"}, {"92", 0.15, "Khơ-me;Hoa"},
    {"96", 0.03, "Khơ-me;Hoa"}, {"91", 0.06, "Khơ-me;Chăm;Hoa"}, {"37", 0.03, "Mường"},
};
/* Religion model: share of members with a religion, the main religions by name. */
static const struct { const char *prov; double share; const char *rels; } rel_model[] = {
    {"37", 0.06, "Công giáo;Phật giáo"}, {"75", 0.06, "Công giáo;Phật giáo"},
    {"80", 0.06, "Cao Đài;Phật giáo"}, {"91", 0.06, "Phật giáo Hòa Hảo;Phật giáo"},
    {"79", 0.04, "Phật giáo;Công giáo"}, {"86", 0.04, "Phật giáo;Cao Đài"},
    {"92", 0.04, "Phật giáo;Phật giáo Hòa Hảo"}, {"66", 0.03, "Tin Lành;Công giáo"},
    {"52", 0.03, "Tin Lành;Công giáo"},
};

static const char *const occupations[] = {
    "Cán bộ, công chức", "Viên chức", "Giáo viên", "Nông dân", "Công nhân", "Quân nhân",
    "Công an", "Bác sĩ", "Kỹ sư", "Hưu trí", "Kinh doanh", "Sinh viên"
};
static const char *const prof_levels[] = { "Đại học", "Thạc sĩ", "Cao đẳng", "Trung cấp", "Tiến sĩ", "Sơ cấp" };
static const char *const theory_levels[] = { "Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân" };
static const int badge_years[] = { 30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90 };

static const char *const defect_kinds[] = {
    "missing_diacritics", "nfd", "tone_placement", "eth_d", "double_space", "wrong_case",
    "typo", "day_month_swap", "year_only", "cccd_digit", "old_place_name",
    "wrong_ethnic_list", NULL
};
enum { K_NODIAC, K_NFD, K_TONE, K_ETH, K_DSPACE, K_CASE, K_TYPO, K_SWAP, K_YEAR, K_CCCD,
       K_OLDPLACE, K_ETHLIST, K_COUNT };
static const int defect_weight[K_COUNT] = { 12, 8, 8, 5, 10, 8, 10, 8, 6, 10, 10, 5 };

const char *const *pd_generate_defect_kinds(void) { return defect_kinds; }

/* ---- generator state ------------------------------------------------------------------- */

#define WT_BUCKETS 1024
typedef struct wtable { const char **names; double *cum; size_t n; unsigned short start[WT_BUCKETS + 1]; } wtable;

typedef struct gprov {
    const pd_province *p;
    size_t first, count;      /* communes [first, first+count) in g->comm */
    double weight;
    long long members;
    const pd_ethnic_group *eth[6]; int n_eth; double minority;
    const pd_religion *rel[4]; int n_rel; double rel_share;
} gprov;

typedef struct gdist { const char *code, *name; int prov; } gdist;

typedef struct gcomm {
    const pd_commune *c;
    int all;            /* index in g->allc */
    int prov;           /* index in g->prov */
    int dist;           /* pre-2025: index in g->dist, else -1 */
    char cccd[4];       /* CCCD place code of the (old) province */
    const pd_conversion *old; /* 2025: one predecessor, for old place names */
    long long members;
    int ncells;
} gcomm;

typedef struct truth_slot {
    pd_truth_type type;
    pd_uuid record_id;
    char *path, *kind, *clean, *dirty;
    pd_uuid *members; size_t nmembers;
} truth_slot;

typedef struct dup_pending {
    long long person;   /* person number */
    long long due;      /* emit after this many persons */
    int comm, cell;     /* of the original */
    pd_uuid first_id;
    pd_uuid second_id;  /* for a third copy: the second's id (nil otherwise) */
    int copies_left;
} dup_pending;

#define DUPQ_CAP 2048

struct pd_generator {
    pd_generate_options o;
    char province[8];
    int pre2025;
    pd_admin_gen gen;
    long long as_of_day;
    pd_date as_of;
    uint64_t base_ms;
    rng r;                     /* main stream: ids, dirt, duplicates */
    /* reference caches */
    wtable surname, mid_m, mid_f, giv_m, giv_f;
    const pd_ethnic_group *kinh;
    const pd_religion *rel_none;
    gprov *prov; size_t nprov;
    gdist *dist; size_t ndist;
    gcomm *comm; size_t ncomm;
    int *all_comm_prov; size_t nall; /* national commune index for hometowns */
    const pd_commune **allc; const char (*allc_cccd)[4];
    char (*allc_cccd_buf)[4];
    const pd_conversion **allc_old;   /* one predecessor of each 2025 commune */
    const pd_province **allc_prov;    /* province of each commune */
    char **allc_text;                 /* address text of each commune, made on first use */
    size_t *allc_textlen;
    /* iteration */
    int phase;
    size_t pi, di, ci;         /* province / district / commune cursors */
    int grp_cell, grp_left, grp_index, grp_is_cb; /* grassroots groups in commune ci */
    rng crng;                  /* commune layout stream */
    long long persons_done;    /* persons emitted (originals) */
    size_t mc;                 /* member commune cursor */
    long long mc_done;         /* members done in commune mc */
    long long id_counter;
    /* duplicates */
    dup_pending dq[DUPQ_CAP]; size_t dq_n;
    /* truth */
    truth_slot *truth; size_t truth_n, truth_cap, truth_pos;
    pd_generate_stats st;
};

/* ---- small helpers ---------------------------------------------------------------------- */

static void *xcalloc(size_t n, size_t s) { return calloc(n ? n : 1, s); }

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

static char *xmemdup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) { memcpy(p, s, n); p[n] = 0; }
    return p;
}

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    if ((size_t)n < sizeof buf) return xstrdup(buf);
    char *p = malloc((size_t)n + 1);
    if (!p) return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* Concatenate up to 5 strings (NULL ends the list early) into a new malloc'ed string:
 * the hot path avoids printf. */
static char *sjoin(const char *a, const char *b, const char *c, const char *d, const char *e)
{
    const char *v[5] = { a, b, c, d, e };
    size_t len[5], n = 0, k;
    for (k = 0; k < 5 && v[k]; k++) { len[k] = strlen(v[k]); n += len[k]; }
    char *r = malloc(n + 1), *w = r;
    if (!r) return NULL;
    for (size_t i = 0; i < k; i++) { memcpy(w, v[i], len[i]); w += len[i]; }
    *w = 0;
    return r;
}

/* Decimal digits of a non-negative int into buf (no NUL); returns the count. */
static size_t put_uint(char *buf, unsigned v)
{
    char t[12];
    size_t n = 0;
    do { t[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    for (size_t i = 0; i < n; i++) buf[i] = t[n - 1 - i];
    return n;
}

static void uuid_v7(pd_uuid *u, uint64_t ms, uint64_t r1, uint64_t r2)
{
    for (int i = 0; i < 6; i++) u->bytes[i] = (unsigned char)(ms >> (40 - 8 * i));
    u->bytes[6] = (unsigned char)(0x70 | ((r1 >> 8) & 0x0f));
    u->bytes[7] = (unsigned char)r1;
    u->bytes[8] = (unsigned char)(0x80 | ((r1 >> 16) & 0x3f));
    for (int i = 9; i < 16; i++) u->bytes[i] = (unsigned char)(r2 >> (8 * (i - 9)));
}

enum { TAG_CENTRAL = 1, TAG_PROV, TAG_DIST, TAG_COMM, TAG_GROUP, TAG_CELL, TAG_EVENT, TAG_MS, TAG_PERSON, TAG_LAYOUT, TAG_WEIGHT };

static void org_uuid(const pd_generator *g, pd_uuid *u, int tag, uint64_t a, uint64_t b)
{
    uint64_t h1 = mix3(g->o.seed ^ ((uint64_t)tag << 56), a, b);
    uint64_t h2 = mix3(h1, (uint64_t)tag, a + 7);
    uuid_v7(u, g->base_ms - 86400000ULL * 365, h1, h2);
}

static int set_bytes(ProtobufCBinaryData *b, protobuf_c_boolean *has, const pd_uuid *u)
{
    b->data = malloc(16);
    if (!b->data) return -1;
    memcpy(b->data, u->bytes, 16);
    b->len = 16;
    if (has) *has = 1;
    return 0;
}

static PdPb__Date *mkdate(pd_date d)
{
    PdPb__Date *p = malloc(sizeof *p);
    if (!p) return NULL;
    pd__pb__date__init(p);
    p->has_year = 1; p->year = d.year;
    if (d.month) { p->has_month = 1; p->month = d.month; }
    if (d.day) { p->has_day = 1; p->day = d.day; }
    p->has_precision = 1;
    p->precision = d.day ? PD_PB__DATE_PRECISION__DATE_PRECISION_DAY
                 : d.month ? PD_PB__DATE_PRECISION__DATE_PRECISION_MONTH
                           : PD_PB__DATE_PRECISION__DATE_PRECISION_YEAR;
    return p;
}

static void fmt_date(char *buf, size_t n, pd_date d)
{
    if (d.day) snprintf(buf, n, "%04d-%02d-%02d", d.year, d.month, d.day);
    else if (d.month) snprintf(buf, n, "%04d-%02d", d.year, d.month);
    else snprintf(buf, n, "%04d", d.year);
}

static int wtable_build(wtable *t, pd_name_table table, char gender)
{
    size_t n = pd_refdata_name_count(table), k = 0;
    t->names = xcalloc(n, sizeof *t->names);
    t->cum = xcalloc(n, sizeof *t->cum);
    if (!t->names || !t->cum) return PD_ENOMEM;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        const pd_name_stat *s = pd_refdata_name_at(table, i);
        if (!s || s->count <= 0) continue;
        if (gender && s->gender != gender && s->gender != 'U') continue;
        double w = table == PD_NAME_SURNAME && s->published_percent > 0
                       ? s->published_percent * 1000.0 : (double)s->count;
        sum += w;
        t->names[k] = s->name;
        t->cum[k++] = sum;
    }
    t->n = k;
    if (!k) return pd_error__set(PD_ENOTFOUND, "generate: name table %d is empty", (int)table);
    if (k > 65535) t->n = k = 65535;
    /* start[b]: first index whose cumulative weight exceeds the bucket's lower end */
    size_t j = 0;
    for (size_t b = 0; b <= WT_BUCKETS; b++) {
        double lo = t->cum[k - 1] * (double)b / WT_BUCKETS;
        while (j < k - 1 && t->cum[j] <= lo) j++;
        t->start[b] = (unsigned short)j;
    }
    return 0;
}

static const char *wtable_pick(const wtable *t, rng *r)
{
    double u = rng_unif(r), x = u * t->cum[t->n - 1];
    size_t b = (size_t)(u * WT_BUCKETS);
    if (b >= WT_BUCKETS) b = WT_BUCKETS - 1;
    size_t lo = t->start[b], hi = (size_t)t->start[b + 1] < t->n - 1 ? (size_t)t->start[b + 1] : t->n - 1;
    if (lo > 0) lo--; /* rounding guard */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->cum[mid] > x) hi = mid; else lo = mid + 1;
    }
    return t->names[lo];
}

static void wtable_free(wtable *t) { free(t->names); free(t->cum); }

/* ---- options ---------------------------------------------------------------------------- */

int pd_generate_options_init(pd_generate_options *opts, unsigned int version)
{
    if (!opts || version != PD_GENERATE_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "generate: unknown options version %u", version);
    pd_generate_options d = PD_GENERATE_OPTIONS_INIT;
    *opts = d;
    return 0;
}

/* "Đảng bộ tỉnh Quảng Trị", "Đảng bộ phường Đồng Thuận": the type word in lower case. */
static char *unit_org_name(const char *type, const char *name, const char *full_name)
{
    const char *w = NULL;
    if (type) {
        if (!strcmp(type, "tinh")) w = "tỉnh";
        else if (!strcmp(type, "thanh_pho")) w = "thành phố";
        else if (!strcmp(type, "xa")) w = "xã";
        else if (!strcmp(type, "phuong")) w = "phường";
        else if (!strcmp(type, "dac_khu")) w = "đặc khu";
        else if (!strcmp(type, "thi_tran")) w = "thị trấn";
    }
    if (!w) return sjoin("Đảng bộ ", full_name, NULL, NULL, NULL);
    return sjoin("Đảng bộ ", w, " ", name, NULL);
}

/* ---- building the world ------------------------------------------------------------------ */

static int old_pop_of(const char *code)
{
    for (size_t i = 0; i < sizeof old_pop / sizeof old_pop[0]; i++)
        if (!strcmp(old_pop[i].code, code)) return old_pop[i].pop;
    return 100;
}

static void prov_models(gprov *p)
{
    const char *code = p->p->code;
    p->minority = 0; p->n_eth = 0; p->rel_share = 0.015; p->n_rel = 0;
    const char *groups = NULL, *rels = "Phật giáo;Công giáo";
    for (size_t i = 0; i < sizeof eth_model / sizeof eth_model[0]; i++)
        if (!strcmp(eth_model[i].prov, code)) { p->minority = eth_model[i].minority; groups = eth_model[i].groups; }
    for (size_t i = 0; i < sizeof rel_model / sizeof rel_model[0]; i++)
        if (!strcmp(rel_model[i].prov, code)) { p->rel_share = rel_model[i].share; rels = rel_model[i].rels; }
    char buf[256];
    if (groups) {
        snprintf(buf, sizeof buf, "%s", groups);
        for (char *s = buf, *e; s && *s && p->n_eth < 6; s = e) {
            e = strchr(s, ';');
            if (e) *e++ = 0;
            const pd_ethnic_group *eg = NULL;
            if (pd_refdata_ethnic_by_name(&eg, s) == 0 && eg) p->eth[p->n_eth++] = eg;
        }
    }
    snprintf(buf, sizeof buf, "%s", rels);
    for (char *s = buf, *e; s && *s && p->n_rel < 4; s = e) {
        e = strchr(s, ';');
        if (e) *e++ = 0;
        const pd_religion *rg = NULL;
        if (pd_refdata_religion_by_name(&rg, s) == 0 && rg) p->rel[p->n_rel++] = rg;
    }
    if (!p->n_eth) p->minority = 0;
    if (!p->n_rel) p->rel_share = 0;
}

static int allc_find(const pd_generator *g, const char *code)
{
    size_t lo = 0, hi = g->nall;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int cmp = strcmp(g->allc[mid]->code, code);
        if (cmp == 0) return (int)mid;
        if (cmp < 0) lo = mid + 1; else hi = mid;
    }
    return -1;
}

/* National commune tables: province, CCCD place code of the (old) province, and one
 * predecessor (old commune) of each 2025 commune, from the conversion links. */
static int build_communes(pd_generator *g)
{
    pd_admin_gen gen = g->gen;
    size_t nc = pd_refdata_commune_count(gen);
    g->allc = xcalloc(nc, sizeof *g->allc);
    g->allc_cccd_buf = xcalloc(nc, sizeof *g->allc_cccd_buf);
    g->allc_old = xcalloc(nc, sizeof *g->allc_old);
    g->allc_prov = xcalloc(nc, sizeof *g->allc_prov);
    g->allc_text = xcalloc(nc, sizeof *g->allc_text);
    g->allc_textlen = xcalloc(nc, sizeof *g->allc_textlen);
    if (!g->allc || !g->allc_cccd_buf || !g->allc_old || !g->allc_prov || !g->allc_text || !g->allc_textlen)
        return pd_error__oom();
    for (size_t i = 0; i < nc; i++) {
        const pd_commune *c = pd_refdata_commune_at(gen, i);
        if (!c || !c->valid) continue;
        size_t k = g->nall++;
        g->allc[k] = c;
        pd_refdata_province(&g->allc_prov[k], gen, c->province_code);
        const pd_province *op = NULL;
        strcpy(g->allc_cccd_buf[k], "001");
        if (gen == PD_ADMIN_GEN_PRE2025) {
            if (g->allc_prov[k] && g->allc_prov[k]->cccd_code)
                snprintf(g->allc_cccd_buf[k], 4, "%s", g->allc_prov[k]->cccd_code);
        } else if (pd_refdata_province(&op, PD_ADMIN_GEN_PRE2025, c->province_code) == 0 && op->cccd_code) {
            /* a default: the old province with the same code (the host of the merger) */
            snprintf(g->allc_cccd_buf[k], 4, "%s", op->cccd_code);
        }
    }
    g->allc_cccd = (const char (*)[4])g->allc_cccd_buf;
    if (gen == PD_ADMIN_GEN_2025) {
        size_t nl = pd_refdata_conversion_count();
        unsigned char *set = calloc(g->nall ? g->nall : 1, 1);
        if (!set) return pd_error__oom();
        for (size_t i = 0; i < nl; i++) {
            const pd_conversion *cv = pd_refdata_conversion_at(i);
            if (!cv || !cv->new_code) continue;
            int k = allc_find(g, cv->new_code);
            if (k < 0 || set[k]) continue;
            if (!cv->old_code || !cv->old_code[0]) continue;
            set[k] = 1;
            g->allc_old[k] = cv;
            const pd_province *op = NULL;
            if (cv->old_province_code && pd_refdata_province(&op, PD_ADMIN_GEN_PRE2025, cv->old_province_code) == 0 &&
                op->cccd_code)
                snprintf(g->allc_cccd_buf[k], 4, "%s", op->cccd_code);
        }
        free(set);
    }
    return 0;
}

static double prov_weight(const pd_province *p, pd_admin_gen gen)
{
    if (gen == PD_ADMIN_GEN_PRE2025 || !p->formed_from || !p->formed_from[0])
        return old_pop_of(p->code);
    double w = 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", p->formed_from);
    for (char *s = buf, *e; s && *s; s = e) {
        e = strchr(s, ';');
        if (e) *e++ = 0;
        w += old_pop_of(s);
    }
    return w > 0 ? w : 100;
}

static int build_world(pd_generator *g)
{
    pd_admin_gen gen = g->gen;
    size_t np = pd_refdata_province_count(gen), nc = pd_refdata_commune_count(gen);
    if (!np || !nc) return pd_error__set(PD_ENOTFOUND, "generate: no reference data for provinces");
    const char *want = g->province[0] ? g->province : NULL;
    g->prov = xcalloc(np, sizeof *g->prov);
    g->comm = xcalloc(nc, sizeof *g->comm);
    g->dist = xcalloc(nc, sizeof *g->dist);
    if (!g->prov || !g->comm || !g->dist) return pd_error__oom();
    int rc = build_communes(g);
    if (rc) return rc;
    for (size_t i = 0; i < np; i++) {
        const pd_province *p = pd_refdata_province_at(gen, i);
        if (!p) continue;
        if (want && strcmp(p->code, want)) continue;
        gprov *gp = &g->prov[g->nprov++];
        gp->p = p;
        gp->weight = prov_weight(p, gen);
        prov_models(gp);
    }
    if (!g->nprov)
        return pd_error__set(PD_ENOTFOUND, "unknown province code \"%s\"%s", want,
                             g->pre2025 ? " (pre-2025 list)" : " (2025 list of 34)");
    /* communes in code order; group by province (a province's communes are contiguous
     * after this pass because we walk provinces in order) */
    for (size_t pi = 0; pi < g->nprov; pi++) {
        gprov *gp = &g->prov[pi];
        gp->first = g->ncomm;
        for (size_t i = 0; i < nc; i++) {
            const pd_commune *c = pd_refdata_commune_at(gen, i);
            if (!c || !c->valid || strcmp(c->province_code, gp->p->code)) continue;
            gcomm *gc = &g->comm[g->ncomm++];
            gc->c = c;
            gc->prov = (int)pi;
            gc->dist = -1;
            if (g->pre2025 && c->district_code) {
                size_t d;
                for (d = 0; d < g->ndist; d++)
                    if (!strcmp(g->dist[d].code, c->district_code)) break;
                if (d == g->ndist) {
                    g->dist[d].code = c->district_code;
                    g->dist[d].name = c->district_name ? c->district_name : c->district_code;
                    g->dist[d].prov = (int)pi;
                    g->ndist++;
                }
                gc->dist = (int)d;
            }
            gc->all = allc_find(g, c->code);
            if (gc->all < 0) return pd_error__set(PD_ERROR, "generate: commune %s not indexed", c->code);
            memcpy(gc->cccd, g->allc_cccd[gc->all], 4);
            gc->old = g->allc_old[gc->all];
        }
        gp->count = g->ncomm - gp->first;
    }
    /* members per province and commune */
    double wsum = 0;
    for (size_t pi = 0; pi < g->nprov; pi++) wsum += g->prov[pi].weight;
    long long N = g->o.members, given = 0;
    for (size_t pi = 0; pi < g->nprov; pi++) {
        gprov *gp = &g->prov[pi];
        gp->members = (long long)floor((double)N * gp->weight / wsum);
        given += gp->members;
    }
    for (size_t pi = 0; given < N; pi = (pi + 1) % g->nprov) { g->prov[pi].members++; given++; }
    for (size_t pi = 0; pi < g->nprov; pi++) {
        gprov *gp = &g->prov[pi];
        if (!gp->count) continue;
        double cw = 0;
        double *w = xcalloc(gp->count, sizeof *w);
        if (!w) return pd_error__oom();
        for (size_t k = 0; k < gp->count; k++) {
            uint64_t h = mix3(g->o.seed, TAG_WEIGHT, gp->first + k);
            w[k] = 0.4 + (double)(h >> 11) * (1.0 / 9007199254740992.0) * 1.2;
            cw += w[k];
        }
        long long gv = 0;
        for (size_t k = 0; k < gp->count; k++) {
            gcomm *gc = &g->comm[gp->first + k];
            gc->members = (long long)floor((double)gp->members * w[k] / cw);
            gv += gc->members;
        }
        for (size_t k = 0; gv < gp->members; k = (k + 1) % gp->count) { g->comm[gp->first + k].members++; gv++; }
        free(w);
        for (size_t k = 0; k < gp->count; k++) {
            gcomm *gc = &g->comm[gp->first + k];
            gc->ncells = (int)((gc->members + 21) / 22); /* 0 for a commune without members */
        }
    }
    return 0;
}

int pd_generator_new(pd_generator **out, const pd_generate_options *opts)
{
    if (!out) return pd_error__set(PD_EINVALID, "generate: NULL out");
    *out = NULL;
    pd_generate_options d = PD_GENERATE_OPTIONS_INIT;
    if (!opts) opts = &d;
    if (opts->version != PD_GENERATE_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "generate: unknown options version %u", opts->version);
    if (opts->members < 0)
        return pd_error__set(PD_EINVALID, "members must be >= 0 (got %lld)", opts->members);
    if (!(opts->dirty >= 0.0 && opts->dirty <= 1.0))
        return pd_error__set(PD_EINVALID, "dirty rate must be within 0..1 (got %g)", opts->dirty);
    if (!(opts->duplicates >= 0.0 && opts->duplicates <= 1.0))
        return pd_error__set(PD_EINVALID, "duplicates rate must be within 0..1 (got %g)", opts->duplicates);
    if (opts->province && strcmp(opts->province, "all") &&
        (strlen(opts->province) != 2 || opts->province[0] < '0' || opts->province[0] > '9' ||
         opts->province[1] < '0' || opts->province[1] > '9'))
        return pd_error__set(PD_ENOTFOUND, "unknown province code \"%s\" (two digits or \"all\")",
                             opts->province);
    pd_generator *g = calloc(1, sizeof *g);
    if (!g) return pd_error__oom();
    g->o = *opts;
    g->o.province = NULL;
    if (!g->o.members) g->o.members = 1000;
    if (opts->province && strcmp(opts->province, "all")) snprintf(g->province, sizeof g->province, "%s", opts->province);
    g->pre2025 = (opts->flags & PD_GENERATE_PRE2025) != 0;
    g->gen = g->pre2025 ? PD_ADMIN_GEN_PRE2025 : PD_ADMIN_GEN_2025;
    g->as_of = opts->as_of;
    if (!g->as_of.year) {
        pd_date def = { 2025, g->pre2025 ? 6 : 10, 1 };
        g->as_of = def;
    }
    if (!g->as_of.month) g->as_of.month = 12;
    if (!g->as_of.day) g->as_of.day = 28;
    g->as_of_day = dnum(g->as_of);
    g->base_ms = (uint64_t)g->as_of_day * 86400000ULL;
    rng_seed(&g->r, mix3(g->o.seed, 0x6765, 1));
    int rc;
    if ((rc = wtable_build(&g->surname, PD_NAME_SURNAME, 0)) ||
        (rc = wtable_build(&g->mid_m, PD_NAME_MIDDLE, 'M')) ||
        (rc = wtable_build(&g->mid_f, PD_NAME_MIDDLE, 'F')) ||
        (rc = wtable_build(&g->giv_m, PD_NAME_GIVEN, 'M')) ||
        (rc = wtable_build(&g->giv_f, PD_NAME_GIVEN, 'F'))) {
        pd_generator_free(g);
        return rc;
    }
    if (pd_refdata_ethnic_by_code(&g->kinh, PD_ETHNIC_LIST_2008, "01") != 0 ||
        pd_refdata_religion_by_code(&g->rel_none, "00") != 0) {
        pd_generator_free(g);
        return pd_error__set(PD_ENOTFOUND, "generate: reference data lacks Kinh or religion 00");
    }
    if ((rc = build_world(g)) != 0) {
        pd_generator_free(g);
        return rc;
    }
    *out = g;
    return 0;
}

static void truth_drop(pd_generator *g, size_t upto)
{
    for (size_t i = 0; i < upto; i++) {
        truth_slot *t = &g->truth[i];
        free(t->path); free(t->kind); free(t->clean); free(t->dirty); free(t->members);
    }
    memmove(g->truth, g->truth + upto, (g->truth_n - upto) * sizeof *g->truth);
    g->truth_n -= upto;
    g->truth_pos = 0;
}

void pd_generator_free(pd_generator *g)
{
    if (!g) return;
    truth_drop(g, g->truth_n);
    free(g->truth);
    wtable_free(&g->surname); wtable_free(&g->mid_m); wtable_free(&g->mid_f);
    wtable_free(&g->giv_m); wtable_free(&g->giv_f);
    free(g->prov); free(g->dist); free(g->comm); if (g->allc_text)
        for (size_t i = 0; i < g->nall; i++) free(g->allc_text[i]);
    free(g->allc_text);
    free(g->allc_textlen);
    free(g->allc); free(g->allc_cccd_buf); free(g->allc_old); free(g->allc_prov);
    free(g);
}

long long pd_generator_expected(const pd_generator *g)
{
    if (!g) return 0;
    long long orgs = 1 + (long long)g->nprov + (long long)g->ndist + (long long)g->ncomm;
    for (size_t i = 0; i < g->ncomm; i++) orgs += g->comm[i].ncells + g->comm[i].ncells / 3;
    if (g->o.flags & PD_GENERATE_NO_ORGS) orgs = 0;
    return orgs + g->o.members;
}

int pd_generator_stats(pd_generate_stats *out, const pd_generator *g)
{
    if (!out || !g) return pd_error__set(PD_EINVALID, "generate: NULL argument");
    *out = g->st;
    return 0;
}

/* ---- truth -------------------------------------------------------------------------------- */

static truth_slot *truth_push(pd_generator *g)
{
    if (g->truth_n == g->truth_cap) {
        size_t nc = g->truth_cap ? g->truth_cap * 2 : 16;
        truth_slot *t = realloc(g->truth, nc * sizeof *t);
        if (!t) return NULL;
        g->truth = t;
        g->truth_cap = nc;
    }
    truth_slot *t = &g->truth[g->truth_n++];
    memset(t, 0, sizeof *t);
    return t;
}

static int add_defect(pd_generator *g, const pd_uuid *id, const char *path, int kind,
                      const char *clean, const char *dirty)
{
    truth_slot *t = truth_push(g);
    if (!t) return PD_ENOMEM;
    t->type = PD_TRUTH_DEFECT;
    t->record_id = *id;
    t->path = xstrdup(path);
    t->kind = xstrdup(defect_kinds[kind]);
    t->clean = xstrdup(clean ? clean : "");
    t->dirty = xstrdup(dirty ? dirty : "");
    if (!t->path || !t->kind || !t->clean || !t->dirty) return PD_ENOMEM;
    g->st.defects++;
    return 0;
}

int pd_generator_truth_next(pd_truth_item *out, pd_generator *g)
{
    if (!out || !g) return pd_error__set(PD_EINVALID, "generate: NULL argument");
    memset(out, 0, sizeof *out);
    if (g->truth_pos >= g->truth_n) return PD_ITEROVER;
    truth_slot *t = &g->truth[g->truth_pos++];
    out->type = t->type;
    out->record_id = t->record_id;
    out->path = t->path;
    out->kind = t->kind;
    out->clean = t->clean;
    out->dirty = t->dirty;
    out->members = t->members;
    out->member_count = t->nmembers;
    return 0;
}

int pd_truth_item_to_json(char **out, const pd_truth_item *item)
{
    if (!out || !item) return pd_error__set(PD_EINVALID, "generate: NULL argument");
    *out = NULL;
    char buf[PD_UUID_STRLEN];
    json_t *o = json_object();
    if (!o) return pd_error__oom();
    if (item->type == PD_TRUTH_DEFECT) {
        json_object_set_new(o, "type", json_string("defect"));
        json_object_set_new(o, "record_id", json_string(pd_uuid_format(buf, &item->record_id)));
        json_object_set_new(o, "path", json_string(item->path ? item->path : ""));
        json_object_set_new(o, "kind", json_string(item->kind ? item->kind : ""));
        json_object_set_new(o, "clean", json_string(item->clean ? item->clean : ""));
        json_object_set_new(o, "dirty", json_string(item->dirty ? item->dirty : ""));
    } else if (item->type == PD_TRUTH_CLUSTER) {
        json_t *a = json_array();
        json_object_set_new(o, "type", json_string("cluster"));
        for (size_t i = 0; i < item->member_count; i++)
            json_array_append_new(a, json_string(pd_uuid_format(buf, &item->members[i])));
        json_object_set_new(o, "members", a);
    } else {
        json_decref(o);
        return pd_error__set(PD_EINVALID, "generate: unknown truth item type %d", (int)item->type);
    }
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!s) return pd_error__oom();
    /* jansson's allocator is malloc: pd_free() (free) releases it */
    *out = s;
    return 0;
}

/* ---- organizations ------------------------------------------------------------------------- */

static PdPb__Organization *org_new(const pd_uuid *id, const char *name, int kind, int level,
                                   int role, const pd_uuid *parent)
{
    PdPb__Organization *o = malloc(sizeof *o);
    if (!o) return NULL;
    pd__pb__organization__init(o);
    if (set_bytes(&o->id, &o->has_id, id)) goto fail;
    if (!(o->name = xstrdup(name))) goto fail;
    o->has_kind = 1; o->kind = (PdPb__OrgKind)kind;
    o->has_level = 1; o->level = (PdPb__OrgLevel)level;
    if (role) { o->has_grassroots_role = 1; o->grassroots_role = (PdPb__GrassrootsRole)role; }
    if (parent && set_bytes(&o->parent_id, &o->has_parent_id, parent)) goto fail;
    return o;
fail:
    protobuf_c_message_free_unpacked(PD_MSG(o), NULL);
    return NULL;
}

static int org_admin(PdPb__Organization *o, const char *prov, const char *dist, const char *comm,
                     int gen, pd_date from)
{
    PdPb__Address *a = malloc(sizeof *a);
    if (!a) return -1;
    pd__pb__address__init(a);
    o->admin_unit = a;
    if (prov && !(a->province_code = xstrdup(prov))) return -1;
    if (dist && !(a->district_code = xstrdup(dist))) return -1;
    if (comm && !(a->commune_code = xstrdup(comm))) return -1;
    a->has_admin_version = 1; a->admin_version = (PdPb__AdminVersion)gen;
    if (!(o->valid_from = mkdate(from))) return -1;
    return 0;
}

/* Grassroots layout of a commune: groups of cells. A group of one cell is a chi bộ cơ
 * sở, a bigger one a đảng bộ cơ sở with chi bộ trực thuộc. */
static int group_size(rng *r, int left)
{
    int s = rng_chance(r, 0.35) ? 1 : rng_range(r, 2, 8);
    return s > left ? left : s;
}

static const char *const cell_names[] = { "Chi bộ thôn %d", "Chi bộ khu phố %d", "Chi bộ Trường học số %d",
                                          "Chi bộ Cơ quan số %d", "Chi bộ Trạm y tế số %d" };
static const char *const group_names[] = { "Đảng bộ Trường THPT số %d", "Đảng bộ Công ty số %d",
                                           "Đảng bộ Cơ quan số %d", "Đảng bộ Quân sự số %d",
                                           "Đảng bộ Công an số %d" };

static int next_org(pd_record **out, pd_generator *g)
{
    PdPb__Organization *o = NULL;
    pd_uuid id, parent;
    pd_date old_from = { 1950, 1, 1 }, reform = { 2025, 7, 1 }, founded = { 1930, 2, 3 };
    for (;;) {
        switch (g->phase) {
        case 0: /* central */
            g->phase = 1;
            org_uuid(g, &id, TAG_CENTRAL, 0, 0);
            o = org_new(&id, "Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam", 1, 1, 0, NULL);
            if (o && !(o->valid_from = mkdate(founded))) goto oom;
            if (o && !(o->code = xstrdup("TW"))) goto oom;
            break;
        case 1: /* provinces */
            if (g->pi >= g->nprov) { g->phase = g->pre2025 ? 2 : 3; continue; }
            {
                gprov *gp = &g->prov[g->pi];
                org_uuid(g, &id, TAG_PROV, mix3(0, 0, (uint64_t)atoi(gp->p->code)), 0);
                org_uuid(g, &parent, TAG_CENTRAL, 0, 0);
                char *name = unit_org_name(gp->p->type, gp->p->name, gp->p->full_name);
                if (!name) goto oom;
                o = org_new(&id, name, 1, 2, 1, &parent);
                free(name);
                int merged = gp->p->formed_from && strchr(gp->p->formed_from, ';');
                pd_date from = g->pre2025 ? old_from : merged ? reform : old_from;
                if (o && org_admin(o, gp->p->code, NULL, NULL, g->gen, from)) goto oom;
                if (o && !(o->code = xstrdup(gp->p->code))) goto oom;
            }
            g->pi++;
            break;
        case 2: /* districts (pre-2025) */
            if (g->di >= g->ndist) { g->phase = 3; continue; }
            {
                gdist *gd = &g->dist[g->di];
                org_uuid(g, &id, TAG_DIST, (uint64_t)atoi(gd->code), 0);
                org_uuid(g, &parent, TAG_PROV, mix3(0, 0, (uint64_t)atoi(g->prov[gd->prov].p->code)), 0);
                static const char *const dw[][2] = { { "Huyện ", "huyện " }, { "Quận ", "quận " },
                                                     { "Thị xã ", "thị xã " }, { "Thành phố ", "thành phố " } };
                char *name = NULL;
                for (size_t w = 0; w < 4 && !name; w++)
                    if (gd->name && !strncmp(gd->name, dw[w][0], strlen(dw[w][0])))
                        name = sjoin("Đảng bộ ", dw[w][1], gd->name + strlen(dw[w][0]), NULL, NULL);
                if (!name) name = sjoin("Đảng bộ ", gd->name ? gd->name : gd->code, NULL, NULL, NULL);
                if (!name) goto oom;
                o = org_new(&id, name, 1, 9, 1, &parent);
                free(name);
                if (o && org_admin(o, g->prov[gd->prov].p->code, gd->code, NULL, g->gen, old_from)) goto oom;
            }
            g->di++;
            break;
        case 3: /* commune committees */
            if (g->ci >= g->ncomm) { g->phase = 4; g->ci = 0; g->grp_cell = -1; continue; }
            {
                gcomm *gc = &g->comm[g->ci];
                org_uuid(g, &id, TAG_COMM, (uint64_t)atoi(gc->c->code), 0);
                if (g->pre2025 && gc->dist >= 0)
                    org_uuid(g, &parent, TAG_DIST, (uint64_t)atoi(g->dist[gc->dist].code), 0);
                else
                    org_uuid(g, &parent, TAG_PROV, mix3(0, 0, (uint64_t)atoi(g->prov[gc->prov].p->code)), 0);
                char *name = unit_org_name(gc->c->type, gc->c->name, gc->c->full_name);
                if (!name) goto oom;
                /* 2025: CAP_XA above grassroots; pre-2025: the commune committee was a
                 * grassroots committee under the district */
                o = g->pre2025 ? org_new(&id, name, 1, 5, 2, &parent) : org_new(&id, name, 1, 4, 1, &parent);
                free(name);
                if (o && org_admin(o, g->prov[gc->prov].p->code, g->pre2025 ? gc->c->district_code : NULL,
                                   gc->c->code, g->gen, g->pre2025 ? old_from : reform)) goto oom;
                if (o && !(o->code = xstrdup(gc->c->code))) goto oom;
                if (o && g->pre2025 && gc->members < 30) { o->has_superior_approval = 1; o->superior_approval = 1; }
            }
            g->ci++;
            break;
        case 4: /* grassroots and cells, commune by commune */
            if (g->ci >= g->ncomm) { g->phase = 5; continue; }
            {
                gcomm *gc = &g->comm[g->ci];
                if (g->grp_cell < 0) { /* start the commune */
                    rng_seed(&g->crng, mix3(g->o.seed, TAG_LAYOUT, g->ci));
                    g->grp_cell = 0; g->grp_left = 0; g->grp_index = 0;
                }
                if (g->grp_cell >= gc->ncells && g->grp_left == 0) {
                    g->ci++; g->grp_cell = -1;
                    continue;
                }
                pd_uuid comm_id;
                org_uuid(g, &comm_id, TAG_COMM, (uint64_t)atoi(gc->c->code), 0);
                if (g->grp_left == 0) {
                    int s = g->pre2025 ? 0 : group_size(&g->crng, gc->ncells - g->grp_cell);
                    g->grp_index++;
                    if (g->pre2025 || s == 1) {
                        /* a cell directly under the commune committee */
                        int k = g->grp_cell++;
                        org_uuid(g, &id, TAG_CELL, g->ci, (uint64_t)k);
                        char *name = xprintf(cell_names[k % 2], k + 1);
                        if (!name) goto oom;
                        o = g->pre2025 ? org_new(&id, name, 2, 7, 3, &comm_id)
                                       : org_new(&id, name, 2, 5, 2, &comm_id);
                        free(name);
                        if (o && org_admin(o, g->prov[gc->prov].p->code, NULL, gc->c->code, g->gen, old_from)) goto oom;
                        break;
                    }
                    g->grp_left = s;
                    g->grp_is_cb = 0;
                    org_uuid(g, &id, TAG_GROUP, g->ci, (uint64_t)g->grp_index);
                    char *name = xprintf(group_names[g->grp_index % 5], g->grp_index);
                    if (!name) goto oom;
                    o = org_new(&id, name, 1, 5, 2, &comm_id);
                    free(name);
                    if (o && org_admin(o, g->prov[gc->prov].p->code, NULL, gc->c->code, g->gen, old_from)) goto oom;
                    /* fewer than 30 members: needs the superior's approval */
                    if (o && (long long)s * gc->members / gc->ncells < 30) { o->has_superior_approval = 1; o->superior_approval = 1; }
                    break;
                }
                int k = g->grp_cell++;
                g->grp_left--;
                org_uuid(g, &id, TAG_CELL, g->ci, (uint64_t)k);
                org_uuid(g, &parent, TAG_GROUP, g->ci, (uint64_t)g->grp_index);
                char *name = xprintf(cell_names[2 + k % 3], k + 1);
                if (!name) goto oom;
                o = org_new(&id, name, 2, 7, 3, &parent);
                free(name);
                if (o && org_admin(o, g->prov[gc->prov].p->code, NULL, gc->c->code, g->gen, old_from)) goto oom;
            }
            break;
        default:
            return PD_ITEROVER;
        }
        if (!o) goto oom;
        g->st.organizations++;
        *out = (pd_record *)o;
        return 0;
    }
oom:
    if (o) protobuf_c_message_free_unpacked(PD_MSG(o), NULL);
    return pd_error__oom();
}

/* ---- members --------------------------------------------------------------------------------- */

typedef struct person {
    pd_gender gender;
    char name[160];
    pd_date birth, decision, ceremony, official;
    int status;
    int home_comm;       /* index in g->allc */
    int birth_comm;
    const pd_ethnic_group *eth;
    const pd_religion *rel;
    char cccd[16];
    char card[16];
    long long pnum;
} person;

static char *term_of(int year)
{
    /* grassroots terms 2020–2025, 2025–2030 ...: the term running in that year */
    int start = 2025 - 5 * ((2025 - year + 4) / 5);
    if (year >= 2025) start = 2025;
    if (start < 1000) start = 1000;
    char buf[16];
    size_t n = put_uint(buf, (unsigned)start);
    buf[n++] = '-';
    n += put_uint(buf + n, (unsigned)start + 5);
    buf[n] = 0;
    return xstrdup(buf);
}

static PdPb__Event *mkevent(pd_generator *g, const pd_uuid *mid, int k, int type, pd_date eff,
                            int with_decision, int decnum, int after_reform)
{
    PdPb__Event *e = malloc(sizeof *e);
    if (!e) return NULL;
    pd__pb__event__init(e);
    pd_uuid eid;
    uint64_t a, b;
    memcpy(&a, mid->bytes, 8);
    memcpy(&b, mid->bytes + 8, 8);
    uint64_t h = fmix64(a ^ (b * 31) ^ ((uint64_t)(k + 1) << 40) ^ TAG_EVENT);
    uuid_v7(&eid, g->base_ms + (uint64_t)g->id_counter, h, fmix64(h + 0x9e3779b97f4a7c15ULL));
    if (set_bytes(&e->id, &e->has_id, &eid)) goto fail; /* subject: the enclosing member */
    e->has_type = 1; e->type = (PdPb__EventType)type;
    if (!(e->effective_date = mkdate(eff))) goto fail;
    if (with_decision) {
        PdPb__Decision *d = malloc(sizeof *d);
        if (!d) goto fail;
        pd__pb__decision__init(d);
        e->decision = d;
        const char *code = after_reform ? "ĐU" : "HU";
        char nb[16];
        nb[put_uint(nb, (unsigned)decnum)] = 0;
        d->number = sjoin(nb, "-QĐ/", code, NULL, NULL);
        d->has_kind = 1; d->kind = PD_PB__DOCUMENT_KIND__DOCUMENT_KIND_QUYET_DINH;
        /* signed = effective date here: left out (the event carries it) */
        /* the issuer is the suffix of the number, as written on paper */
        d->term = term_of(eff.year);
        if (!d->number || !d->term) goto fail;
    }
    return e;
fail:
    protobuf_c_message_free_unpacked(PD_MSG(e), NULL);
    return NULL;
}

static PdPb__Address *mkaddr(pd_generator *g, int ci, int with_text)
{
    const pd_commune *c = g->allc[ci];
    PdPb__Address *a = malloc(sizeof *a);
    if (!a) return NULL;
    pd__pb__address__init(a);
    const pd_province *p = g->allc_prov[ci];
    if (with_text && !g->allc_text[ci]) {
        if (g->pre2025 && c->district_name)
            g->allc_text[ci] = sjoin(c->full_name, ", ", c->district_name, ", ", p ? p->full_name : c->province_code);
        else
            g->allc_text[ci] = sjoin(c->full_name, ", ", p ? p->full_name : c->province_code, NULL, NULL);
        if (g->allc_text[ci]) g->allc_textlen[ci] = strlen(g->allc_text[ci]);
    }
    a->text = with_text && g->allc_text[ci] ? xmemdup(g->allc_text[ci], g->allc_textlen[ci]) : NULL;
    a->province_code = xmemdup(c->province_code, 2);
    a->commune_code = xmemdup(c->code, 5);
    if (g->pre2025 && c->district_code) a->district_code = xstrdup(c->district_code);
    a->has_admin_version = 1;
    a->admin_version = (PdPb__AdminVersion)g->gen;
    if ((with_text && !a->text) || !a->province_code || !a->commune_code || (g->pre2025 && c->district_code && !a->district_code)) {
        protobuf_c_message_free_unpacked(PD_MSG(a), NULL);
        return NULL;
    }
    return a;
}

/* Draw the person's attributes from its own stream. */
static void draw_person(pd_generator *g, person *p, long long pnum, int comm)
{
    rng r;
    rng_seed(&r, mix3(g->o.seed, TAG_PERSON, (uint64_t)pnum));
    memset(p, 0, sizeof *p);
    p->pnum = pnum;
    gprov *gp = &g->prov[g->comm[comm].prov];
    p->gender = rng_chance(&r, 0.34) ? PD_GENDER_NU : PD_GENDER_NAM;
    /* ethnicity first: minority names are drawn from the same tables (simplification) */
    p->eth = g->kinh;
    if (gp->n_eth && rng_chance(&r, gp->minority)) p->eth = gp->eth[rng_below(&r, (uint32_t)gp->n_eth)];
    p->rel = g->rel_none;
    if (gp->n_rel && rng_chance(&r, gp->rel_share)) p->rel = gp->rel[rng_below(&r, (uint32_t)gp->n_rel)];
    const char *sur = wtable_pick(&g->surname, &r);
    const char *mid = wtable_pick(p->gender == PD_GENDER_NU ? &g->mid_f : &g->mid_m, &r);
    const char *giv = wtable_pick(p->gender == PD_GENDER_NU ? &g->giv_f : &g->giv_m, &r);
    size_t ls = strlen(sur), lm = strlen(mid), lg = strlen(giv), k = 0;
    if (ls + lm + lg + 3 > sizeof p->name) lm = 0;
    memcpy(p->name, sur, ls); k = ls; p->name[k++] = ' ';
    if (lm && !rng_chance(&r, 0.06) && strcmp(mid, giv)) { memcpy(p->name + k, mid, lm); k += lm; p->name[k++] = ' '; }
    memcpy(p->name + k, giv, lg); k += lg; p->name[k] = 0;
    /* admission decision: years ago from a mixture (recent admissions dominate) */
    double u = rng_unif(&r), yago;
    if (u < 0.45) yago = rng_unif(&r) * 15.0;
    else if (u < 0.80) yago = 15.0 + rng_unif(&r) * 20.0;
    else yago = 35.0 + rng_unif(&r) * 30.0;
    long dec = g->as_of_day - 20 - (long)(yago * 365.25);
    p->decision = civil_from_days(dec);
    if (p->decision.day > 28) p->decision.day = 28;
    double age_adm = 18.3 + fabs(rng_normal(&r)) * 7.0;
    if (rng_chance(&r, 0.08)) age_adm = 18.3 + rng_unif(&r) * 3.0; /* soldiers, students */
    if (age_adm > 55) age_adm = 55;
    /* nobody older than 95 on the world's date */
    double max_adm = 95.0 - yago;
    if (age_adm > max_adm) age_adm = max_adm > 18.3 ? 18.3 + rng_unif(&r) * (max_adm - 18.3) : 18.3;
    long bday = dnum(p->decision) - (long)(age_adm * 365.25) - (long)rng_below(&r, 20);
    p->birth = civil_from_days(bday);
    /* ceremony within 30 working days (here 7..35 calendar days); official = +12 months */
    p->ceremony = add_days(p->decision, rng_range(&r, 7, 35));
    if (p->ceremony.day > 28) p->ceremony.day = 28;
    if (date_cmp(p->ceremony, p->decision) < 0) p->ceremony = p->decision;
    pd_date off = add_months(p->ceremony, 12);
    p->official = off;
    p->status = dnum(off) <= g->as_of_day ? PD_STATUS_CHINH_THUC : PD_STATUS_DU_BI;
    if (dnum(p->ceremony) > g->as_of_day) { /* too recent: ceremony still ahead */
        p->ceremony = civil_from_days(g->as_of_day - 1);
        if (date_cmp(p->ceremony, p->decision) < 0) p->decision = p->ceremony;
        p->status = PD_STATUS_DU_BI;
    }
    /* hometown: mostly a commune of the member's province */
    if (rng_chance(&r, 0.8)) {
        gcomm *gc = &g->comm[gp->first + rng_below(&r, (uint32_t)gp->count)];
        p->home_comm = gc->all;
        if (p->home_comm < 0) p->home_comm = (int)rng_below(&r, (uint32_t)g->nall);
    } else {
        p->home_comm = (int)rng_below(&r, (uint32_t)g->nall);
    }
    p->birth_comm = rng_chance(&r, 0.9) ? p->home_comm : (int)rng_below(&r, (uint32_t)g->nall);
    /* CCCD: place code of the birth province, century/sex digit, year, 6 digits that
     * are a bijection of the person number (no collisions below 10^6 persons per
     * place/sex/year cell) */
    int century = p->birth.year >= 2000 ? 2 : 0;
    int sexd = century + (p->gender == PD_GENDER_NU ? 1 : 0);
    unsigned long tail = (unsigned long)((pnum * 7919ULL + (g->o.seed % 1000003ULL) * 104729ULL) % 1000000ULL);
    memcpy(p->cccd, g->allc_cccd[p->birth_comm], 3);
    p->cccd[3] = (char)('0' + sexd);
    p->cccd[4] = (char)('0' + (p->birth.year % 100) / 10);
    p->cccd[5] = (char)('0' + p->birth.year % 10);
    for (int i = 11; i >= 6; i--) { p->cccd[i] = (char)('0' + tail % 10); tail /= 10; }
    p->cccd[12] = 0;
    unsigned long long cardn = ((unsigned long long)pnum * 3141593ULL + 10000000ULL + (g->o.seed % 7777ULL) * 1000ULL) % 90000000ULL + 10000000ULL;
    for (int i = 7; i >= 0; i--) { p->card[i] = (char)('0' + cardn % 10); cardn /= 10; }
    p->card[8] = 0;
}

static char *cstr(const char *s) { return xstrdup(s); }

/* Build the member message of a person; ids and the cell are given. */
static PdPb__Member *build_member(pd_generator *g, const person *p, const pd_uuid *mid, int comm,
                                  int cell, rng *r)
{
    PdPb__Member *m = malloc(sizeof *m);
    if (!m) return NULL;
    pd__pb__member__init(m);
    rng pr;
    rng_seed(&pr, mix3(g->o.seed, TAG_PERSON + 100, (uint64_t)p->pnum));
    if (set_bytes(&m->id, &m->has_id, mid)) goto fail;
    if (!(m->full_name = cstr(p->name))) goto fail;
    m->has_gender = 1; m->gender = (PdPb__Gender)p->gender;
    if (!(m->birth_date = mkdate(p->birth))) goto fail;
    if (!(m->birthplace = mkaddr(g, p->birth_comm, 1))) goto fail;
    if (!(m->hometown = mkaddr(g, p->home_comm, 1))) goto fail;
    /* residence: the commune of the member's cell */
    if (!(m->permanent_residence = mkaddr(g, g->comm[comm].all, 0))) goto fail; /* picked from lists: codes only */
    /* ethnicity and religion */
    PdPb__Ethnicity *eth = malloc(sizeof *eth);
    if (!eth) goto fail;
    pd__pb__ethnicity__init(eth);
    m->ethnicity = eth;
    eth->code = cstr(p->eth->code_2008);
    eth->has_list = 1; eth->list = PD_PB__ETHNIC_LIST__ETHNIC_LIST_2008;
    eth->name = cstr(p->eth->name);
    PdPb__Religion *rel = malloc(sizeof *rel);
    if (!rel) goto fail;
    pd__pb__religion__init(rel);
    m->religion = rel;
    rel->code = cstr(p->rel->code);
    if (p->rel != g->rel_none && !(rel->name = cstr(p->rel->name))) goto fail; /* "00" alone for none */
    if (!eth->code || !eth->name || !rel->code) goto fail;
    int age = (int)((g->as_of_day - dnum(p->birth)) / 365);
    m->occupation = cstr(age >= 62 ? "Hưu trí" : occupations[rng_below(&pr, 9)]);
    m->education_general = cstr(p->birth.year < 1962 ? "10/10" : "12/12");
    if (rng_chance(&pr, 0.7)) m->education_professional = cstr(prof_levels[rng_below(&pr, 6)]);
    m->political_theory = cstr(theory_levels[rng_below(&pr, rng_chance(&pr, 0.7) ? 1 : 4)]);
    if (!m->occupation || !m->education_general || !m->political_theory) goto fail;
    /* identity */
    m->id_numbers = malloc(sizeof *m->id_numbers);
    if (!m->id_numbers) goto fail;
    PdPb__IdNumber *idn = malloc(sizeof *idn);
    if (!idn) goto fail;
    pd__pb__id_number__init(idn);
    m->id_numbers[0] = idn;
    m->n_id_numbers = 1;
    idn->has_type = 1; idn->type = PD_PB__ID_TYPE__ID_TYPE_CCCD;
    if (!(idn->number = cstr(p->cccd))) goto fail;
    /* dates and status */
    if (!(m->admission_decision_date = mkdate(p->decision))) goto fail;
    if (!(m->admission_date = mkdate(p->ceremony))) goto fail;
    /* life course: the end of activity (death, striking off, expulsion) */
    long end = g->as_of_day;
    int status = p->status, death = 0, struck = 0, expelled = 0;
    if (status == PD_STATUS_CHINH_THUC) {
        double pd = age > 85 ? 0.30 : age > 75 ? 0.10 : age > 65 ? 0.035 : 0.004;
        double x = rng_unif(&pr);
        long off = dnum(p->official);
        long span = g->as_of_day - off;
        if (x < pd && span > 60) { death = 1; end = off + 30 + (long)rng_below(&pr, (uint32_t)(span - 30)); if (g->as_of_day - end > 3650) end = g->as_of_day - (long)rng_below(&pr, 3650); if (end <= off) end = off + 1; }
        else if (x < pd + 0.010 && span > 60) { struck = 1; end = off + 30 + (long)rng_below(&pr, (uint32_t)(span - 30)); }
        else if (x < pd + 0.012 && span > 60) { expelled = 1; end = off + 30 + (long)rng_below(&pr, (uint32_t)(span - 30)); }
    }
    if (status != PD_STATUS_DU_BI) {
        if (!(m->official_date = mkdate(p->official))) goto fail;
        if (!(m->party_card_no = cstr(p->card))) goto fail;
    }
    /* events: admission decision, ceremony, recognition, card, transfers, badges ... */
    PdPb__Event *ev[24];
    size_t ne = 0;
    int after = date_cmp(p->decision, (pd_date){ 2025, 7, 1 }) >= 0;
    int dec = (int)(1 + rng_below(&pr, 400));
    ev[ne] = mkevent(g, mid, (int)ne, 1, p->decision, 1, dec, after); if (!ev[ne++]) goto fail_ev;
    ev[ne] = mkevent(g, mid, (int)ne, 2, p->ceremony, 0, 0, after); if (!ev[ne++]) goto fail_ev;
    pd_uuid cur_cell, prev_cell;
    org_uuid(g, &cur_cell, TAG_CELL, (uint64_t)comm, (uint64_t)cell);
    int transferred = 0;
    pd_date tr_out = { 0, 0, 0 }, tr_in = { 0, 0, 0 };
    if (status != PD_STATUS_DU_BI) {
        ev[ne] = mkevent(g, mid, (int)ne, 3, p->official, 1, dec + 7, date_cmp(p->official, (pd_date){ 2025, 7, 1 }) >= 0);
        if (!ev[ne++]) goto fail_ev;
        pd_date card = add_days(p->official, rng_range(&pr, 30, 120));
        if (dnum(card) < end) { ev[ne] = mkevent(g, mid, (int)ne, 4, card, 0, 0, 0); if (!ev[ne++]) goto fail_ev; }
        /* a transfer for 12 % of members */
        long off = dnum(p->official);
        if (rng_chance(&pr, 0.12) && end - off > 400 && (g->comm[comm].ncells > 1 || g->prov[g->comm[comm].prov].count > 1)) {
            transferred = 1;
            tr_out = civil_from_days(off + 200 + (long)rng_below(&pr, (uint32_t)(end - off - 300)));
            tr_in = add_days(tr_out, rng_range(&pr, 3, 25));
            gprov *gp = &g->prov[g->comm[comm].prov];
            int oc = (int)(gp->first + rng_below(&pr, (uint32_t)gp->count));
            if (g->comm[oc].ncells == 0) oc = comm;
            int ocell = (int)rng_below(&pr, (uint32_t)g->comm[oc].ncells);
            if (oc == comm && ocell == cell) {
                if (g->comm[oc].ncells > 1) ocell = (ocell + 1) % g->comm[oc].ncells;
                else if (gp->count > 1) { oc = (int)(gp->first + (size_t)(oc - (int)gp->first + 1) % gp->count); ocell = 0; }
            }
            org_uuid(g, &prev_cell, TAG_CELL, (uint64_t)oc, (uint64_t)ocell);
            ev[ne] = mkevent(g, mid, (int)ne, 7, tr_out, 0, 0, 0); if (!ev[ne++]) goto fail_ev;
            if (set_bytes(&ev[ne - 1]->from_org_id, &ev[ne - 1]->has_from_org_id, &prev_cell) ||
                set_bytes(&ev[ne - 1]->to_org_id, &ev[ne - 1]->has_to_org_id, &cur_cell)) goto fail_ev;
            ev[ne] = mkevent(g, mid, (int)ne, 8, tr_in, 0, 0, 0); if (!ev[ne++]) goto fail_ev;
            if (set_bytes(&ev[ne - 1]->from_org_id, &ev[ne - 1]->has_from_org_id, &prev_cell) ||
                set_bytes(&ev[ne - 1]->to_org_id, &ev[ne - 1]->has_to_org_id, &cur_cell)) goto fail_ev;
        }
        /* badges at the usual award days once the party age is reached */
        long end_ymd = p->decision.year + 30 <= g->as_of.year ? ymd(civil_from_days(end)) : 0;
        for (size_t b = 0; end_ymd && b < sizeof badge_years / sizeof badge_years[0]; b++) {
            pd_date elig = add_months(p->decision, 12 * badge_years[b]);
            static const int awd[4][2] = { { 2, 3 }, { 5, 19 }, { 9, 2 }, { 11, 7 } };
            pd_date aw = { 0, 0, 0 };
            long ek = ymd(elig);
            for (int y = elig.year; y <= elig.year + 1 && !aw.year; y++)
                for (int a = 0; a < 4; a++) {
                    pd_date c = { y, awd[a][0], awd[a][1] };
                    if (ymd(c) >= ek) { aw = c; break; }
                }
            if (!aw.year || ymd(aw) > end_ymd || ne >= 20) break;
            ev[ne] = mkevent(g, mid, (int)ne, 17, aw, 1, 100 + (int)rng_below(&pr, 800), date_cmp(aw, (pd_date){ 2025, 7, 1 }) >= 0);
            if (!ev[ne++]) goto fail_ev;
            ev[ne - 1]->has_badge_years = 1; ev[ne - 1]->badge_years = badge_years[b];
        }
        /* exemption for a third of the members past 70 */
        if (!death && !struck && !expelled && age >= 72 && rng_chance(&pr, 0.33)) {
            long from = dnum(p->birth) + 70L * 366;
            if (from < off) from = off + 1;
            if (from < g->as_of_day) {
                ev[ne] = mkevent(g, mid, (int)ne, 13, civil_from_days(from + (long)rng_below(&pr, (uint32_t)(g->as_of_day - from))), 0, 0, 0);
                if (!ev[ne++]) goto fail_ev;
                ev[ne - 1]->reason = cstr("Tuổi cao, sức yếu");
            }
        }
        if (death) {
            ev[ne] = mkevent(g, mid, (int)ne, 23, civil_from_days(end), 0, 0, 0); if (!ev[ne++]) goto fail_ev;
            status = PD_STATUS_TU_TRAN;
        } else if (struck) {
            ev[ne] = mkevent(g, mid, (int)ne, 19, civil_from_days(end), 1, dec + 11, end >= days_from_civil(2025, 7, 1)); if (!ev[ne++]) goto fail_ev;
            ev[ne - 1]->reason = cstr("Bỏ sinh hoạt đảng");
            status = PD_STATUS_XOA_TEN;
        } else if (expelled) {
            ev[ne] = mkevent(g, mid, (int)ne, 18, civil_from_days(end), 1, dec + 13, end >= days_from_civil(2025, 7, 1)); if (!ev[ne++]) goto fail_ev;
            ev[ne - 1]->has_discipline_form = 1; ev[ne - 1]->discipline_form = PD_PB__DISCIPLINE_FORM__DISCIPLINE_FORM_KHAI_TRU;
            status = PD_STATUS_KHAI_TRU;
        }
    }
    m->events = malloc(ne * sizeof *m->events);
    if (!m->events) goto fail_ev;
    memcpy(m->events, ev, ne * sizeof *ev);
    m->n_events = ne;
    ne = 0;
    m->has_status = 1; m->status = (PdPb__MemberStatus)status;
    /* memberships */
    size_t nms = transferred ? 2 : 1;
    m->memberships = calloc(nms, sizeof *m->memberships);
    if (!m->memberships) goto fail;
    m->n_memberships = nms;
    for (size_t i = 0; i < nms; i++) {
        PdPb__Membership *ms = malloc(sizeof *ms);
        if (!ms) goto fail;
        pd__pb__membership__init(ms);
        m->memberships[i] = ms;
        pd_uuid msid;
        uint64_t a, b;
        memcpy(&a, mid->bytes, 8);
        memcpy(&b, mid->bytes + 8, 8);
        uint64_t h = fmix64(a ^ (b * 31) ^ ((uint64_t)(i + 1) << 48) ^ TAG_MS);
        uuid_v7(&msid, g->base_ms + (uint64_t)g->id_counter, h, fmix64(h + 0x9e3779b97f4a7c15ULL));
        int last = i + 1 == nms;
        if (set_bytes(&ms->id, &ms->has_id, &msid) || /* member: the enclosing one */
            set_bytes(&ms->org_id, &ms->has_org_id, last ? &cur_cell : &prev_cell)) goto fail;
        ms->has_kind = 1; ms->kind = PD_PB__MEMBERSHIP_KIND__MEMBERSHIP_KIND_CHINH_THUC;
        if (!(ms->from = mkdate(i == 0 ? p->ceremony : tr_in))) goto fail;
        if (!last && !(ms->to = mkdate(tr_out))) goto fail;
        if (last && status != PD_STATUS_DU_BI && status != PD_STATUS_CHINH_THUC && !(ms->to = mkdate(civil_from_days(end)))) goto fail;
        if (transferred) {
            PdPb__Event *eo = NULL, *ei = NULL;
            for (size_t k = 0; k < m->n_events; k++) {
                if (m->events[k]->type == 7) eo = m->events[k];
                if (m->events[k]->type == 8) ei = m->events[k];
            }
            if (!last && eo && set_bytes(&ms->transfer_out_event_id, &ms->has_transfer_out_event_id, (const pd_uuid *)eo->id.data)) goto fail;
            if (last && ei && set_bytes(&ms->transfer_in_event_id, &ms->has_transfer_in_event_id, (const pd_uuid *)ei->id.data)) goto fail;
        }
    }
    if (status == PD_STATUS_DU_BI || status == PD_STATUS_CHINH_THUC)
        if (set_bytes(&m->current_org_id, &m->has_current_org_id, &cur_cell)) goto fail;
    if (!(m->source = cstr("partydata-generate"))) goto fail;
    (void)r;
    return m;
fail_ev:
    for (size_t i = 0; i < ne; i++)
        if (ev[i]) protobuf_c_message_free_unpacked(PD_MSG(ev[i]), NULL);
fail:
    protobuf_c_message_free_unpacked(PD_MSG(m), NULL);
    return NULL;
}

/* ---- dirt ------------------------------------------------------------------------------------ */

/* Strip diacritics (đ→d, Đ→D), keep case. */
static char *fold_keep_case(const char *s)
{
    utf8proc_uint8_t *o = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &o, UTF8PROC_NULLTERM | UTF8PROC_STABLE |
                     UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK) < 0) return NULL;
    size_t n = strlen((char *)o);
    char *r = malloc(n + 1);
    if (!r) { free(o); return NULL; }
    size_t j = 0;
    for (size_t i = 0; i < n; ) {
        if ((unsigned char)o[i] == 0xC4 && (o[i + 1] == 0x90 || o[i + 1] == 0x91)) {
            r[j++] = o[i + 1] == 0x90 ? 'D' : 'd';
            i += 2;
        } else r[j++] = (char)o[i++];
    }
    r[j] = 0;
    free(o);
    return r;
}

static char *to_nfd(const char *s)
{
    utf8proc_uint8_t *o = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &o, UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE) < 0)
        return NULL;
    return (char *)o;
}

static char *map_case(const char *s, int upper)
{
    size_t n = strlen(s);
    char *r = malloc(n * 2 + 8);
    if (!r) return NULL;
    size_t j = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
        if (k <= 0) { free(r); return NULL; }
        p += k;
        cp = upper ? utf8proc_toupper(cp) : utf8proc_tolower(cp);
        j += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)r + j);
    }
    r[j] = 0;
    return r;
}

/* Old-style ↔ new-style tone placement: òa→oà, úy→uý ... (NFC pairs). */
static const char *const tone_pairs[][2] = {
    { "òa", "oà" }, { "óa", "oá" }, { "ỏa", "oả" }, { "õa", "oã" }, { "ọa", "oạ" },
    { "òe", "oè" }, { "óe", "oé" }, { "ỏe", "oẻ" }, { "õe", "oẽ" }, { "ọe", "oẹ" },
    { "ùy", "uỳ" }, { "úy", "uý" }, { "ủy", "uỷ" }, { "ũy", "uỹ" }, { "ụy", "uỵ" },
};

static char *tone_swap(const char *s)
{
    for (size_t i = 0; i < sizeof tone_pairs / sizeof tone_pairs[0]; i++)
        for (int dir = 0; dir < 2; dir++) {
            const char *a = tone_pairs[i][dir], *b = tone_pairs[i][1 - dir];
            const char *hit = strstr(s, a);
            if (!hit) continue;
            if (hit > s && (hit[-1] == 'q' || hit[-1] == 'Q')) continue;
            /* only at the end of a syllable */
            const char *after = hit + strlen(a);
            if (*after && *after != ' ') continue;
            size_t n = strlen(s) + 8;
            char *r = malloc(n);
            if (!r) return NULL;
            snprintf(r, n, "%.*s%s%s", (int)(hit - s), s, b, after);
            return r;
        }
    return NULL;
}

static char *eth_swap(const char *s)
{
    if (!strstr(s, "Đ") && !strstr(s, "đ")) return NULL;
    size_t n = strlen(s);
    char *r = malloc(n + 1);
    if (!r) return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n;) {
        if ((unsigned char)s[i] == 0xC4 && (unsigned char)s[i + 1] == 0x90) { r[j++] = (char)0xC3; r[j++] = (char)0x90; i += 2; }
        else if ((unsigned char)s[i] == 0xC4 && (unsigned char)s[i + 1] == 0x91) { r[j++] = (char)0xC3; r[j++] = (char)0xB0; i += 2; }
        else r[j++] = s[i++];
    }
    r[j] = 0;
    return r;
}

static char *double_space(const char *s, rng *r)
{
    const char *sp = strchr(s, ' ');
    size_t n = strlen(s);
    char *o = malloc(n + 3);
    if (!o) return NULL;
    if (!sp || rng_chance(r, 0.2)) { snprintf(o, n + 3, "%s ", s); return o; }
    /* pick one of the spaces */
    int spaces = 0;
    for (const char *p = s; *p; p++) spaces += *p == ' ';
    int k = (int)rng_below(r, (uint32_t)spaces);
    for (const char *p = s; *p; p++)
        if (*p == ' ' && k-- == 0) { sp = p; break; }
    snprintf(o, n + 3, "%.*s %s", (int)(sp - s), s, sp);
    return o;
}

/* A typing slip in the given name: swap, drop or double a letter. */
static char *typo(const char *s, rng *r)
{
    utf8proc_int32_t cps[160];
    size_t n = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (*p && n < 159) {
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cps[n]);
        if (k <= 0) return NULL;
        p += k; n++;
    }
    size_t last_sp = 0;
    for (size_t i = 0; i < n; i++) if (cps[i] == ' ') last_sp = i + 1;
    size_t glen = n - last_sp;
    if (glen < 3) return NULL;
    size_t pos = last_sp + 1 + rng_below(r, (uint32_t)(glen - 2)); /* not the capital */
    int how = (int)rng_below(r, 3);
    if (how == 0 && pos + 1 < n && cps[pos] != cps[pos + 1]) {
        utf8proc_int32_t t = cps[pos]; cps[pos] = cps[pos + 1]; cps[pos + 1] = t;
    } else if (how == 1) {
        memmove(cps + pos, cps + pos + 1, (n - pos - 1) * sizeof *cps); n--;
    } else {
        memmove(cps + pos + 1, cps + pos, (n - pos) * sizeof *cps); n++;
    }
    char *o = malloc(n * 4 + 1);
    if (!o) return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) j += (size_t)utf8proc_encode_char(cps[i], (utf8proc_uint8_t *)o + j);
    o[j] = 0;
    if (!strcmp(o, s)) { free(o); return NULL; }
    return o;
}

enum { F_NAME = 1, F_BIRTH = 2, F_CCCD = 4, F_HOME = 8, F_ETH = 16 };

static int kind_field(int k)
{
    switch (k) {
    case K_SWAP: case K_YEAR: return F_BIRTH;
    case K_CCCD: return F_CCCD;
    case K_OLDPLACE: return F_HOME;
    case K_ETHLIST: return F_ETH;
    default: return F_NAME;
    }
}

/* Try to inject one defect of kind k. @return 1 done, 0 not applicable, <0 error */
static int inject(pd_generator *g, PdPb__Member *m, const pd_uuid *id, int k, const pd_conversion *home_old, rng *r)
{
    char *dirty = NULL;
    char cb[32], db[32];
    switch (k) {
    case K_NODIAC: dirty = fold_keep_case(m->full_name); break;
    case K_NFD: dirty = to_nfd(m->full_name); break;
    case K_TONE: dirty = tone_swap(m->full_name); break;
    case K_ETH: dirty = eth_swap(m->full_name); break;
    case K_DSPACE: dirty = double_space(m->full_name, r); break;
    case K_CASE: dirty = map_case(m->full_name, rng_chance(r, 0.25)); break;
    case K_TYPO: dirty = typo(m->full_name, r); break;
    case K_SWAP: {
        PdPb__Date *d = m->birth_date;
        if (!d || !d->has_day || d->day > 12 || d->day == d->month) return 0;
        pd_date c = { d->year, d->month, d->day }, x = { d->year, d->day, d->month };
        fmt_date(cb, sizeof cb, c); fmt_date(db, sizeof db, x);
        d->month = x.month; d->day = x.day;
        return add_defect(g, id, "birth_date", k, cb, db) ? PD_ENOMEM : 1;
    }
    case K_YEAR: {
        PdPb__Date *d = m->birth_date;
        if (!d || !d->has_month) return 0;
        pd_date c = { d->year, d->month, d->day }, x = { d->year, 0, 0 };
        fmt_date(cb, sizeof cb, c); fmt_date(db, sizeof db, x);
        d->has_month = d->has_day = 0; d->month = d->day = 0;
        d->precision = PD_PB__DATE_PRECISION__DATE_PRECISION_YEAR;
        return add_defect(g, id, "birth_date", k, cb, db) ? PD_ENOMEM : 1;
    }
    case K_CCCD: {
        char *num = m->id_numbers && m->n_id_numbers ? m->id_numbers[0]->number : NULL;
        if (!num || strlen(num) != 12) return 0;
        snprintf(cb, sizeof cb, "%s", num);
        int pos = (int)rng_below(r, 12);
        num[pos] = (char)('0' + (num[pos] - '0' + 1 + (int)rng_below(r, 9)) % 10);
        return add_defect(g, id, "id_numbers[0].number", k, cb, num) ? PD_ENOMEM : 1;
    }
    case K_OLDPLACE: {
        if (g->pre2025 || !home_old || !m->hometown) return 0;
        const pd_conversion *cv = home_old;
        const pd_commune *oc = NULL;
        const pd_province *op = NULL;
        if (pd_refdata_commune(&oc, PD_ADMIN_GEN_PRE2025, cv->old_code) != 0) return 0;
        pd_refdata_province(&op, PD_ADMIN_GEN_PRE2025, oc->province_code);
        char *text = xprintf("%s, %s, %s", oc->full_name, oc->district_name ? oc->district_name : "",
                             op ? op->full_name : oc->province_code);
        if (!text) return PD_ENOMEM;
        PdPb__Address *a = m->hometown;
        int rc = add_defect(g, id, "hometown", k, a->text, text);
        /* typed as text with the old names, without codes (as in legacy records) */
        free(a->text); a->text = text;
        free(a->province_code); a->province_code = NULL;
        free(a->commune_code); a->commune_code = NULL;
        free(a->district_code); a->district_code = NULL;
        a->has_admin_version = 0;
        a->admin_version = PD_PB__ADMIN_VERSION__ADMIN_VERSION_UNSPECIFIED;
        if (rc) return PD_ENOMEM;
        return 1;
    }
    case K_ETHLIST: {
        PdPb__Ethnicity *e = m->ethnicity;
        if (!e || !e->code) return 0;
        const pd_ethnic_group *g8 = NULL, *g79 = NULL;
        if (pd_refdata_ethnic_by_code(&g8, PD_ETHNIC_LIST_2008, e->code) != 0) return 0;
        if (pd_refdata_ethnic_by_code(&g79, PD_ETHNIC_LIST_1979, e->code) != 0 || g79 == g8) return 0;
        e->list = PD_PB__ETHNIC_LIST__ETHNIC_LIST_1979;
        return add_defect(g, id, "ethnicity", k, "ETHNIC_LIST_2008", "ETHNIC_LIST_1979") ? PD_ENOMEM : 1;
    }
    default: return 0;
    }
    if (!dirty) return 0;
    if (!strcmp(dirty, m->full_name)) { free(dirty); return 0; }
    int rc = add_defect(g, id, "full_name", k, m->full_name, dirty);
    free(m->full_name);
    m->full_name = dirty;
    return rc ? PD_ENOMEM : 1;
}

static int pick_kind(rng *r)
{
    int tot = 0;
    for (int i = 0; i < K_COUNT; i++) tot += defect_weight[i];
    int x = (int)rng_below(r, (uint32_t)tot);
    for (int i = 0; i < K_COUNT; i++) {
        if (x < defect_weight[i]) return i;
        x -= defect_weight[i];
    }
    return K_DSPACE;
}

static int dirty_up(pd_generator *g, PdPb__Member *m, const pd_uuid *id, const pd_conversion *home, int ndef, rng *r)
{
    int used = 0, done = 0;
    for (int attempt = 0; attempt < 12 && done < ndef; attempt++) {
        int k = pick_kind(r);
        if (used & kind_field(k)) continue;
        int rc = inject(g, m, id, k, home, r);
        if (rc < 0) return rc;
        if (rc == 1) { used |= kind_field(k); done++; }
    }
    if (done) g->st.dirty_records++;
    return 0;
}

/* ---- the member stream ------------------------------------------------------------------------- */

static void next_id(pd_generator *g, pd_uuid *u)
{
    uuid_v7(u, g->base_ms + (uint64_t)g->id_counter++, rng_next(&g->r), rng_next(&g->r));
}

static int emit_member(pd_record **out, pd_generator *g, long long pnum, int comm, int cell,
                       const pd_uuid *id, int is_dup)
{
    person p;
    draw_person(g, &p, pnum, comm);
    PdPb__Member *m = build_member(g, &p, id, comm, cell, &g->r);
    if (!m) return pd_error__oom();
    double rate = g->o.dirty;
    if (is_dup && rate < 0.5) rate = 0.5; /* a second entry is rarely typed the same */
    if (rate > 0 && rng_chance(&g->r, rate)) {
        double u = rng_unif(&g->r);
        int nd = u < 0.70 ? 1 : u < 0.92 ? 2 : 3;
        const pd_conversion *home = g->pre2025 ? NULL : g->allc_old[p.home_comm];
        int rc = dirty_up(g, m, id, home, nd, &g->r);
        if (rc < 0) { protobuf_c_message_free_unpacked(PD_MSG(m), NULL); return pd_error__oom(); }
    }
    if (is_dup && rng_chance(&g->r, 0.3) && m->party_card_no) { free(m->party_card_no); m->party_card_no = NULL; }
    if (is_dup && m->n_id_numbers == 1) {
        /* the second entry often lacks the CCCD, or carries the old 9-digit CMND */
        double u = rng_unif(&g->r);
        PdPb__IdNumber *idn = m->id_numbers[0];
        if (u < 0.15) {
            protobuf_c_message_free_unpacked(PD_MSG(idn), NULL);
            m->id_numbers[0] = NULL;
            m->n_id_numbers = 0;
        } else if (u < 0.25) {
            char cm[10];
            for (int i = 0; i < 9; i++) cm[i] = (char)('0' + rng_below(&g->r, 10));
            cm[0] = (char)('1' + rng_below(&g->r, 3));
            cm[9] = 0;
            char *num = xstrdup(cm);
            if (!num) { protobuf_c_message_free_unpacked(PD_MSG(m), NULL); return pd_error__oom(); }
            free(idn->number);
            idn->number = num;
            idn->type = PD_PB__ID_TYPE__ID_TYPE_CMND9;
        }
    }
    g->st.members++;
    *out = (pd_record *)m;
    return 0;
}

static int next_member(pd_record **out, pd_generator *g)
{
    /* a due duplicate first */
    for (size_t i = 0; i < g->dq_n; i++) {
        dup_pending *d = &g->dq[i];
        if (d->due > g->persons_done && g->persons_done < g->o.members) continue;
        pd_uuid id;
        next_id(g, &id);
        int comm = d->comm, cell = d->cell;
        double u = rng_unif(&g->r);
        if (u < 0.45) cell = (int)rng_below(&g->r, (uint32_t)g->comm[comm].ncells);
        else if (u < 0.75) {
            gprov *gp = &g->prov[g->comm[comm].prov];
            int oc = (int)(gp->first + rng_below(&g->r, (uint32_t)gp->count));
            if (g->comm[oc].ncells > 0) {
                comm = oc;
                cell = (int)rng_below(&g->r, (uint32_t)g->comm[comm].ncells);
            }
        }
        int rc = emit_member(out, g, d->person, comm, cell, &id, 1);
        if (rc) return rc;
        g->st.duplicates++;
        if (d->copies_left > 1 && pd_uuid_is_nil(&d->second_id)) {
            d->second_id = id;
            d->copies_left--;
            d->due = g->persons_done + 1 + (long long)rng_below(&g->r, 50);
            return 0;
        }
        truth_slot *t = truth_push(g);
        if (!t) return pd_error__oom();
        t->type = PD_TRUTH_CLUSTER;
        size_t n = pd_uuid_is_nil(&d->second_id) ? 2 : 3;
        t->members = malloc(n * sizeof *t->members);
        if (!t->members) return pd_error__oom();
        t->members[0] = d->first_id;
        if (n == 3) t->members[1] = d->second_id;
        t->members[n - 1] = id;
        t->nmembers = n;
        g->st.clusters++;
        g->dq[i] = g->dq[--g->dq_n];
        return 0;
    }
    if (g->persons_done >= g->o.members) return PD_ITEROVER;
    while (g->mc < g->ncomm && g->mc_done >= g->comm[g->mc].members) { g->mc++; g->mc_done = 0; }
    if (g->mc >= g->ncomm) return PD_ITEROVER;
    gcomm *gc = &g->comm[g->mc];
    int cell = (int)(g->mc_done % gc->ncells);
    long long pnum = g->persons_done;
    pd_uuid id;
    next_id(g, &id);
    int rc = emit_member(out, g, pnum, (int)g->mc, cell, &id, 0);
    if (rc) return rc;
    g->mc_done++;
    g->persons_done++;
    g->st.persons++;
    if (g->o.duplicates > 0 && g->dq_n < DUPQ_CAP && rng_chance(&g->r, g->o.duplicates)) {
        dup_pending *d = &g->dq[g->dq_n++];
        memset(d, 0, sizeof *d);
        d->person = pnum;
        d->due = g->persons_done + 1 + (long long)rng_below(&g->r, 200);
        d->comm = (int)g->mc;
        d->cell = cell;
        d->first_id = id;
        d->copies_left = rng_chance(&g->r, 0.1) ? 2 : 1;
    }
    return 0;
}

int pd_generator_next(pd_record **out, pd_generator *g)
{
    if (!out || !g) return pd_error__set(PD_EINVALID, "generate: NULL argument");
    *out = NULL;
    /* drop the truth items already read */
    if (g->truth_pos) truth_drop(g, g->truth_pos);
    if (g->phase < 5) {
        if (g->o.flags & PD_GENERATE_NO_ORGS) g->phase = 5;
        else {
            int rc = next_org(out, g);
            if (rc != PD_ITEROVER) return rc;
        }
    }
    return next_member(out, g);
}

/* ---- files ------------------------------------------------------------------------------------- */

static char *temp_path(const char *path)
{
    return xprintf("%s.tmp.%ld", path, (long)getpid());
}

int pd_generate_file(pd_generate_stats *stats, const char *path, int format,
                     const char *truth_path, const pd_generate_options *opts,
                     pd_generate_progress_cb progress, void *payload)
{
    if (!path) return pd_error__set(PD_EINVALID, "generate: NULL path");
    pd_generator *g = NULL;
    int rc = pd_generator_new(&g, opts);
    if (rc) return rc;
    int to_stdout = !strcmp(path, "-");
    char *tmp = to_stdout ? NULL : temp_path(path);
    char *ttmp = truth_path ? temp_path(truth_path) : NULL;
    pd_writer *w = NULL;
    FILE *tf = NULL;
    if ((!to_stdout && !tmp) || (truth_path && !ttmp)) { rc = pd_error__oom(); goto done; }
    pd_writer_options wo = PD_WRITER_OPTIONS_INIT;
    wo.format = format ? (pd_format)format : pd_format_from_path(path);
    if (wo.format == PD_FORMAT_AUTO) wo.format = PD_FORMAT_JSONL;
    if ((rc = pd_writer_open(&w, to_stdout ? "-" : tmp, &wo)) != 0) goto done;
    if (ttmp && !(tf = fopen(ttmp, "w"))) {
        rc = pd_error__set(PD_EIO, "generate: cannot write %s", truth_path);
        goto done;
    }
    long long total = pd_generator_expected(g), done_n = 0;
    for (;;) {
        pd_record *r = NULL;
        rc = pd_generator_next(&r, g);
        if (rc == PD_ITEROVER) { rc = 0; break; }
        if (rc) goto done;
        rc = pd_writer_write(w, r);
        protobuf_c_message_free_unpacked((ProtobufCMessage *)r, NULL);
        if (rc) goto done;
        pd_truth_item it;
        while (pd_generator_truth_next(&it, g) == 0) {
            if (!tf) continue;
            char *line = NULL;
            if ((rc = pd_truth_item_to_json(&line, &it)) != 0) goto done;
            int bad = fputs(line, tf) < 0 || fputc('\n', tf) < 0;
            free(line);
            if (bad) { rc = pd_error__set(PD_EIO, "generate: write error on %s", truth_path); goto done; }
        }
        if (progress && (++done_n & 4095) == 0) progress(done_n, total, payload);
    }
    if (progress) progress(total, total, payload);
    {
        pd_writer *w2 = w;
        w = NULL;
        if ((rc = pd_writer_close(w2)) != 0) goto done;
    }
    if (tf) {
        int bad = fflush(tf) != 0 || ferror(tf);
        bad |= fclose(tf) != 0;
        tf = NULL;
        if (bad) { rc = pd_error__set(PD_EIO, "generate: write error on %s", truth_path); goto done; }
    }
    if (tmp && rename(tmp, path) != 0) { rc = pd_error__set(PD_EIO, "generate: cannot rename to %s", path); goto done; }
    if (ttmp && rename(ttmp, truth_path) != 0) { rc = pd_error__set(PD_EIO, "generate: cannot rename to %s", truth_path); goto done; }
    if (stats) pd_generator_stats(stats, g);
done:
    if (w) pd_writer_close(w);
    if (tf) fclose(tf);
    if (rc) {
        if (tmp) remove(tmp);
        if (ttmp) remove(ttmp);
    }
    free(tmp);
    free(ttmp);
    pd_generator_free(g);
    return rc;
}
