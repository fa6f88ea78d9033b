/*
 * validate.c: the rule catalogue, the record rules and the set validator
 * (domain.md §3–§5, §7).
 *
 * Speed: the happy path allocates nothing. Options are resolved once into a table
 * of the catalogue entries in force (one slot per code); strings are scanned once
 * (ASCII fast path, utf8proc only for non-ASCII); dates become day-number intervals
 * [lo, hi] so that a partial date is the set of its completions. A rule fails when
 * it fails for every completion, and is "possible" (severity one level lower) when
 * it fails for some.
 *
 * The CCCD place codes and the old -> new province crosswalk (63 rows of
 * provinces_pre2025.csv) are compiled in here as a direct-index table, because the
 * CCCD rules run on every member (refdata's look-up is a linear scan); a test checks
 * the table against refdata. Ethnic, religion and administrative codes are looked up
 * in refdata (refdata.h).
 *
 * Global state: the per-message "field plans" of the generic walk (R002, R045, R053,
 * R054) and the code number of each catalogue entry, built once under pthread_once on
 * first use and read-only afterwards.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include <utf8proc.h>

#include "pd_internal.h"

#include "validate_rules.h"

#define PD_V_NCODES 64 /* codes PD-R000 .. PD-R063 */

enum {
    R000 = 0, R001 = 1, R002, R003, R004, R005, R006, R007, R008, R009, R010, R011, R012,
    R013, R014, R015, R016, R017, R018, R019, R020, R021, R022, R023, R024, R025, R026,
    R027, R028, R029, R030, R031, R032, R033, R034, R035, R036, R037, R038, R039, R040,
    R041, R042, R043, R044, R045, R046, R047, R048, R049, R050, R051, R052, R053, R054,
    R055, R056, R057
};

#define ET(x) PD_PB__EVENT_TYPE__EVENT_TYPE_##x
#define ST(x) PD_PB__MEMBER_STATUS__MEMBER_STATUS_##x
#define DF(x) PD_PB__DISCIPLINE_FORM__DISCIPLINE_FORM_##x

/* ---- catalogue ------------------------------------------------------------- */

#define PD_V_NRULES (sizeof pd_v_catalogue / sizeof pd_v_catalogue[0])

static int code_num(const char *code)
{
    if (!code || strncmp(code, "PD-R", 4) != 0)
        return -1;
    int n = 0;
    for (const char *p = code + 4; *p; p++) {
        if (*p < '0' || *p > '9' || n > 1000)
            return -1;
        n = n * 10 + (*p - '0');
    }
    return n < PD_V_NCODES ? n : -1;
}

size_t pd_validate_rule_count(void) { return PD_V_NRULES; }

const pd_rule *pd_validate_rule_get(size_t i)
{
    return i < PD_V_NRULES ? &pd_v_catalogue[i] : NULL;
}

/* ---- dates ------------------------------------------------------------------- */

static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

/* day numbers (days since 1970-01-01) of fixed dates; checked by check_validate */
#define DAY_1930_02_03 (-14577) /* the Party founded */
#define DAY_2011_01_19 14993    /* the 2011 Charter */
#define DAY_2016_01_01 16801
#define DAY_2025_07_01 20270    /* 294-QĐ/TW in force, no district level */

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Day number of 1 January of the years 1800..2200 (compile-time constants: the rules
 * run ~25 date conversions per member, so the common years skip the division-heavy
 * general formula; days_from_civil stays the reference outside this range). */
#define PD_V_Y0 1800
#define PD_V_NY 400
#define YD(y) (365 * ((y)-1970) + ((y)-1) / 4 - ((y)-1) / 100 + ((y)-1) / 400 - 477)
#define YD10(y) YD(y), YD((y) + 1), YD((y) + 2), YD((y) + 3), YD((y) + 4), YD((y) + 5), \
                YD((y) + 6), YD((y) + 7), YD((y) + 8), YD((y) + 9)
#define YD100(y) YD10(y), YD10((y) + 10), YD10((y) + 20), YD10((y) + 30), YD10((y) + 40), \
                 YD10((y) + 50), YD10((y) + 60), YD10((y) + 70), YD10((y) + 80), YD10((y) + 90)
static const int32_t pd_v_year_day[PD_V_NY + 1] = { YD100(1800), YD100(1900), YD100(2000),
                                                    YD100(2100), YD(2200) };
#undef YD10
#undef YD100
#undef YD

/* days before month m (1-based index m-1), common and leap years */
static const int16_t pd_v_mcum[2][13] = {
    { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365 },
    { 0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366 }
};

/* 1 January of y and whether y is a leap year (y >= 1) */
static inline int32_t year_start(int y, int *leap)
{
    unsigned i = (unsigned)(y - PD_V_Y0);
    if (i < PD_V_NY) {
        int32_t a = pd_v_year_day[i];
        *leap = pd_v_year_day[i + 1] - a == 366;
        return a;
    }
    *leap = is_leap(y);
    return days_from_civil(y, 1, 1);
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* A (possibly partial) date as the interval of its completions. */
typedef struct span {
    int ok;         /* 1 = a valid date is present */
    int y, m, d;    /* parts, 0 = unknown */
    int32_t lo, hi; /* day numbers of the first and last completion */
} span;

/* 1 valid, 0 invalid */
static int date_valid(int y, int m, int d)
{
    if (y < 1 || y > 9999 || m < 0 || m > 12 || d < 0 || d > 31)
        return 0;
    if (d && !m)
        return 0;
    if (d > 28 && d > days_in_month(y, m))
        return 0;
    return 1;
}

/* the interval of the completions of y-m-d (same result as the definition:
 * lo = days_from_civil(y, m|1, d|1), hi = days_from_civil(y, m|12, d|last day)) */
static span span_of(int y, int m, int d)
{
    span s = { 0, y, m, d, 0, 0 };
    if (y < 1 || y > 9999 || (unsigned)m > 12 || (unsigned)d > 31 || (d && !m))
        return s;
    int leap;
    int32_t y0 = year_start(y, &leap);
    if (!m) {
        s.lo = y0;
        s.hi = y0 + 364 + leap;
    } else {
        int32_t m0 = y0 + pd_v_mcum[leap][m - 1];
        int len = pd_v_mcum[leap][m] - pd_v_mcum[leap][m - 1];
        if (d > len)
            return s;
        s.lo = d ? m0 + d - 1 : m0;
        s.hi = d ? s.lo : m0 + len - 1;
    }
    s.ok = 1;
    return s;
}

static span span_pb(const PdPb__Date *dt)
{
    span s = { 0, 0, 0, 0, 0, 0 };
    if (!dt || !dt->has_year)
        return s;
    return span_of(dt->year, dt->has_month ? dt->month : 0, dt->has_day ? dt->day : 0);
}

/* s + n months (n >= 0), keeping the precision; day clamped to the month's end */
static span span_add_months(span s, int n)
{
    if (!s.ok)
        return s;
    if (!s.m)
        return span_of(s.y + n / 12, 0, 0);
    int idx = s.y * 12 + (s.m - 1) + n;
    int y = idx / 12, m = idx % 12 + 1;
    int d = s.d;
    if (d && d > days_in_month(y, m))
        d = days_in_month(y, m);
    return span_of(y, m, d);
}

/* months index range of a span: [mlo, mhi] */
static void span_months(const span *s, int *mlo, int *mhi)
{
    *mlo = s->y * 12 + (s->m ? s->m - 1 : 0);
    *mhi = s->y * 12 + (s->m ? s->m - 1 : 11);
}

static pd_date today_utc(void)
{
    pd_date t = { 0, 0, 0 };
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm)) {
        t.year = tm.tm_year + 1900;
        t.month = tm.tm_mon + 1;
        t.day = tm.tm_mday;
    }
    return t;
}

/* pd_validate_rule_in_force for the day `s` (a valid span) */
static int in_force_span(const pd_rule *rule, const span *sp)
{
    const span s = *sp;
    if (rule->valid_from.year) {
        span f = span_of(rule->valid_from.year, rule->valid_from.month, rule->valid_from.day);
        if (s.hi < f.lo)
            return 0;
    }
    if (rule->valid_to.year) {
        span t = span_of(rule->valid_to.year, rule->valid_to.month, rule->valid_to.day);
        if (s.lo > t.hi)
            return 0;
    }
    return 1;
}

int pd_validate_rule_in_force(const pd_rule *rule, const pd_date *day)
{
    if (!rule || !day)
        return 0;
    span s = span_of(day->year, day->month, day->day);
    if (!s.ok)
        return 0;
    return in_force_span(rule, &s);
}

const pd_rule *pd_validate_rule_find(const char *code, const pd_date *as_of)
{
    const pd_rule *last = NULL;
    if (!code)
        return NULL;
    for (size_t i = 0; i < PD_V_NRULES; i++) {
        const pd_rule *r = &pd_v_catalogue[i];
        if (strcmp(r->code, code) != 0)
            continue;
        if (!as_of)
            last = r;
        else if (pd_validate_rule_in_force(r, as_of))
            return r;
    }
    return last;
}

/* ---- options and the resolved configuration --------------------------------------- */

int pd_validate_options_init(pd_validate_options *opts, unsigned int version)
{
    if (!opts)
        return pd_error__set(PD_EINVALID, "pd_validate_options_init: NULL options");
    if (version != PD_VALIDATE_OPTIONS_VERSION)
        return pd_error__set(PD_EVERSION, "pd_validate_options: unknown version %u", version);
    pd_validate_options d = PD_VALIDATE_OPTIONS_INIT;
    *opts = d;
    return 0;
}

typedef struct vconf {
    const pd_rule *active[PD_V_NCODES]; /* entry in force per code, NULL = off */
    unsigned flags;
    int32_t today;
    span today_span;
    pd_date as_of;
} vconf;

/* Does the filter select `code`? Items: codes or prefixes; '-' excludes. */
static int filter_selects(const char *filter, const char *code)
{
    if (!filter || !*filter)
        return 1;
    int any_include = 0, included = 0, excluded = 0;
    const char *p = filter;
    while (*p) {
        while (*p == ',' || *p == ' ')
            p++;
        if (!*p)
            break;
        int neg = 0;
        if (*p == '-' && p[1] != '\0' && (p[1] < '0' || p[1] > '9') && strncmp(p, "-PD", 3) == 0) {
            neg = 1;
            p++;
        }
        const char *e = p;
        while (*e && *e != ',' && *e != ' ')
            e++;
        size_t n = (size_t)(e - p);
        if (n && strncmp(code, p, n) == 0) {
            if (neg)
                excluded = 1;
            else
                included = 1;
        }
        if (!neg)
            any_include = 1;
        p = e;
    }
    if (excluded)
        return 0;
    return any_include ? included : 1;
}

/* code_num() of every catalogue entry, worked out once (pd_validate_record resolves
 * the options on every call) */
static signed char pd_v_codes[PD_V_NRULES];
/* in_force_span's bounds: first day of valid_from, last day of valid_to */
static int32_t pd_v_from_lo[PD_V_NRULES], pd_v_to_hi[PD_V_NRULES];
static pthread_once_t codes_once = PTHREAD_ONCE_INIT;

static void codes_init(void)
{
    for (size_t i = 0; i < PD_V_NRULES; i++) {
        const pd_rule *r = &pd_v_catalogue[i];
        pd_v_codes[i] = (signed char)code_num(r->code);
        pd_v_from_lo[i] = span_of(r->valid_from.year, r->valid_from.month, r->valid_from.day).lo;
        pd_v_to_hi[i] = span_of(r->valid_to.year, r->valid_to.month, r->valid_to.day).hi;
    }
}

static int conf_init(vconf *c, const pd_validate_options *opts)
{
    pd_validate_options d = PD_VALIDATE_OPTIONS_INIT;
    if (!opts)
        opts = &d;
    if (opts->version != PD_VALIDATE_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "pd_validate_options: unknown version %u", opts->version);
    memset(c, 0, sizeof *c);
    c->flags = opts->flags;
    pd_date today = opts->today.year ? opts->today : today_utc();
    c->today_span = span_of(today.year, today.month, today.day);
    if (!c->today_span.ok)
        return pd_error__set(PD_EINVALID, "pd_validate_options: bad date in `today`");
    c->today = c->today_span.hi;
    c->as_of = opts->as_of.year ? opts->as_of : today;
    span as_of = span_of(c->as_of.year, c->as_of.month, c->as_of.day);
    if (!as_of.ok)
        return pd_error__set(PD_EINVALID, "pd_validate_options: bad date in `as_of`");
    pthread_once(&codes_once, codes_init);
    for (size_t i = 0; i < PD_V_NRULES; i++) {
        const pd_rule *r = &pd_v_catalogue[i];
        int n = pd_v_codes[i];
        if (n < 0 || !filter_selects(opts->rules, r->code))
            continue;
        if (opts->flags & PD_VALIDATE_ALL_PERIODS)
            c->active[n] = r; /* the last (newest) entry wins */
        else if (!c->active[n] && !(r->valid_from.year && as_of.hi < pd_v_from_lo[i]) &&
                 !(r->valid_to.year && as_of.lo > pd_v_to_hi[i]))
            c->active[n] = r; /* in force that day: as in_force_span() */
    }
    return 0;
}

/* ---- emitting findings ------------------------------------------------------------ */

typedef struct vrun {
    const vconf *c;
    pd_findings *out;
    long index;
    pd_uuid rid;
    int errors;
    int rc; /* first failure (PD_ENOMEM) */
} vrun;

#define ON(run, code) ((run)->c->active[(code)] != NULL)

static void emit_sev(vrun *run, int code, const char *path, int possible, pd_severity sev)
{
    const pd_rule *r = run->c->active[code];
    if (!r || run->rc)
        return;
    if (!sev)
        sev = r->severity;
    if (possible) {
        if (run->c->flags & PD_VALIDATE_NO_POSSIBLE)
            return;
        if (sev > PD_SEVERITY_INFO)
            sev = (pd_severity)(sev - 1);
    }
    if (sev < PD_SEVERITY_ERROR && (run->c->flags & PD_VALIDATE_SKIP_WARNINGS))
        return;
    if (sev == PD_SEVERITY_INFO && (run->c->flags & PD_VALIDATE_SKIP_INFO))
        return;
    pd_finding f;
    memset(&f, 0, sizeof f);
    f.rule = r->code;
    f.severity = sev;
    f.path = path ? path : "";
    f.message_vi = r->message_vi;
    f.message_en = r->message_en;
    f.record = run->index;
    f.record_id = run->rid;
    f.possible = possible ? 1 : 0;
    int rc = pd_findings_add(run->out, &f);
    if (rc < 0) {
        run->rc = rc;
        return;
    }
    if (sev == PD_SEVERITY_ERROR)
        run->errors++;
}

static void emit(vrun *run, int code, const char *path, int possible)
{
    emit_sev(run, code, path, possible, (pd_severity)0);
}

/* "name[i]" or "name[i].sub" into buf */
static const char *pathi(char *buf, size_t n, const char *name, size_t i, const char *sub)
{
    snprintf(buf, n, "%s[%zu]%s%s", name, i, sub ? "." : "", sub ? sub : "");
    return buf;
}

/* Date comparisons over completions. Result: 0 no failure, 1 fails for some
 * completions (possible), 2 fails for all. */
static int fails_if_before(const span *a, const span *b) /* fails when a < b */
{
    if (!a->ok || !b->ok)
        return 0;
    if (a->hi < b->lo)
        return 2;
    if (a->lo < b->hi)
        return 1;
    return 0;
}

/* evaluates `path` only when there is a finding */
#define emit_fail(run, code, path, how)                                                \
    do {                                                                               \
        int how_ = (how);                                                              \
        if (how_)                                                                      \
            emit((run), (code), (path), how_ == 1);                                    \
    } while (0)

/* ---- text checks (R002, R003) --------------------------------------------------------- */

/* 0 ok, 1 bad, 2 ok except for '\n' or '\t' (allowed in free-text notes only) */
static int text_bad(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (!*p)
        return 0;
    if (*p == ' ')
        return 1;
    int slow = 0, soft = 0;
    for (;; p++) {
        while ((unsigned char)(*p - 0x21) < 0x5e) /* printable ASCII but space: fine */
            p++;
        unsigned char ch = *p;
        if (!ch)
            break;
        if (ch == ' ') {
            if (p[1] == ' ' || p[1] == '\0')
                return 1; /* double or trailing space */
        } else if (ch >= 0x80) {
            slow = 1;
        } else if (ch != '\n' && ch != '\t') {
            return 1; /* C0 control or DEL */
        } else {
            soft = 2;
        }
    }
    if (!slow)
        return soft;
    /* non-ASCII: valid UTF-8, no C1 controls, NFC */
    const utf8proc_uint8_t *q = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t len = (utf8proc_ssize_t)((const char *)p - s), off = 0;
    int maybe_not_nfc = 0;
    while (off < len) {
        if (q[off] < 0x80) { /* ASCII, checked above */
            off++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(q + off, len - off, &cp);
        if (n <= 0)
            return 1;
        off += n;
        if (cp < 0x80)
            continue;
        if (cp < 0xa0)
            return 1; /* C1 controls */
        if (cp == 0x2028 || cp == 0x2029 || cp == 0xfeff)
            return 1;
        if (cp >= 0x300 && !(cp >= 0x1ea0 && cp <= 0x1ef9)) {
            /* (U+1EA0..U+1EF9, the precomposed Vietnamese letters, are starters
             * with no decomposition exclusion: nothing to look up) */
            const utf8proc_property_t *pr = utf8proc_get_property(cp);
            if (pr->combining_class != 0 || pr->comp_exclusion ||
                pr->category == UTF8PROC_CATEGORY_MN || pr->category == UTF8PROC_CATEGORY_MC ||
                (cp >= 0x1100 && cp <= 0x11ff))
                maybe_not_nfc = 1;
        }
    }
    if (maybe_not_nfc) {
        utf8proc_uint8_t *nfc = utf8proc_NFC(q);
        if (!nfc)
            return 1;
        int diff = strcmp((const char *)nfc, s) != 0;
        free(nfc);
        return diff ? 1 : soft;
    }
    return soft;
}

static int is_cp1252_cont(utf8proc_int32_t c)
{
    static const utf8proc_int32_t t[] = { 0x20AC, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020,
        0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017D, 0x2018, 0x2019, 0x201C,
        0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x017E,
        0x0178 };
    if (c >= 0x80 && c <= 0xBF)
        return 1;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i] == c)
            return 1;
    return 0;
}

/* U+00D0, TCVN3 glyphs, or UTF-8 read as cp1252/latin-1 ("Ã¡", "Æ°", "á»‡") */
static int name_mojibake(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int ascii = 1;
    for (; *p; p++)
        if (*p >= 0x80) {
            ascii = 0;
            break;
        }
    if (ascii)
        return 0;
    const utf8proc_uint8_t *q = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s), off = 0;
    utf8proc_int32_t prev = 0;
    while (off < len) {
        utf8proc_int32_t cp;
        if (q[off] < 0x80) { /* ASCII: no glyph nor continuation to look at */
            prev = q[off++];
            continue;
        }
        utf8proc_ssize_t n = utf8proc_iterate(q + off, len - off, &cp);
        if (n <= 0)
            return 0; /* invalid UTF-8 is R002's */
        off += n;
        switch (cp) {
        case 0x00D0: case 0x00AE: case 0x00B5: case 0x00B8: case 0x00B6: case 0x00B7:
        case 0x00B9: case 0x00A8: case 0x00A9: case 0x00A4: case 0x00A7: case 0x00AB:
        case 0x00AC: case 0x00BB: case 0x00BE:
            return 1;
        default:
            break;
        }
        if ((prev == 0xC3 || prev == 0xC4 || prev == 0xC5 || prev == 0xC6 || prev == 0xE1 ||
             prev == 0xC2) && is_cp1252_cont(cp))
            return 1;
        prev = cp;
    }
    return 0;
}

/* ---- generic walk: R002 text, R045 dates, R053 enums, R054 ids --------------------------- */

typedef struct wframe {
    const char *name;
    long idx; /* -1: not repeated */
} wframe;

typedef struct walk {
    vrun *run;
    wframe f[16];
    size_t depth;
    char path[512];
} walk;

static int name_is_id(const char *name)
{
    size_t n = strlen(name);
    if (n < 2 || (name[n - 1] != 'd' && name[n - 1] != 's'))
        return 0;
    return strcmp(name, "id") == 0 || (n > 3 && strcmp(name + n - 3, "_id") == 0) ||
           (n > 4 && strcmp(name + n - 4, "_ids") == 0);
}

static size_t walk_push(walk *w, const char *name, long idx)
{
    size_t saved = w->depth;
    if (w->depth < sizeof w->f / sizeof w->f[0]) {
        w->f[w->depth].name = name;
        w->f[w->depth].idx = idx;
    }
    w->depth++;
    return saved;
}

static void walk_pop(walk *w, size_t saved) { w->depth = saved; }

/* the path of the current frame, made only when a finding needs it */
static const char *walk_path(walk *w)
{
    size_t len = 0, n = w->depth < 16 ? w->depth : 16;
    w->path[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int k;
        if (w->f[i].idx >= 0)
            k = snprintf(w->path + len, sizeof w->path - len, "%s%s[%ld]", i ? "." : "",
                         w->f[i].name, w->f[i].idx);
        else
            k = snprintf(w->path + len, sizeof w->path - len, "%s%s", i ? "." : "", w->f[i].name);
        if (k < 0 || (size_t)k >= sizeof w->path - len)
            break;
        len += (size_t)k;
    }
    return w->path;
}

static void walk_msg(walk *w, const ProtobufCMessage *m);

static void walk_date(walk *w, const PdPb__Date *d)
{
    if (!ON(w->run, R045))
        return;
    int bad = 0;
    if (!d->has_year) {
        if (d->has_month || d->has_day)
            bad = 1;
    } else if (!date_valid(d->year, d->has_month ? d->month : 0, d->has_day ? d->day : 0)) {
        bad = 1;
    } else if ((d->has_month && d->month == 0) || (d->has_day && d->day == 0)) {
        bad = 1;
    }
    if (bad)
        emit(w->run, R045, walk_path(w), 0);
}

static int field_multiline(const char *name)
{
    return strcmp(name, "history_notes") == 0 || strcmp(name, "note") == 0 ||
           strcmp(name, "reason") == 0 || strcmp(name, "political_notes") == 0;
}

static void walk_field(walk *w, const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING:
    case PROTOBUF_C_TYPE_BYTES:
    case PROTOBUF_C_TYPE_ENUM:
    case PROTOBUF_C_TYPE_MESSAGE:
        break;
    default:
        return; /* numbers and booleans: nothing to check */
    }
    const char *base = (const char *)m;
    size_t count = 1;
    int repeated = f->label == PROTOBUF_C_LABEL_REPEATED;
    if (repeated) {
        count = *(const size_t *)(base + f->quantifier_offset);
        if (!count)
            return;
    }
    const char *data = repeated ? *(char *const *)(base + f->offset) : base + f->offset;
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING:
        if (!ON(w->run, R002))
            return;
        for (size_t i = 0; i < count; i++) {
            const char *s = ((char *const *)data)[i];
            if (!s)
                continue;
            int tb = text_bad(s);
            if (tb == 1 || (tb == 2 && !field_multiline(f->name))) {
                size_t sv = walk_push(w, f->name, repeated ? (long)i : -1);
                emit(w->run, R002, walk_path(w), 0);
                walk_pop(w, sv);
            }
        }
        return;
    case PROTOBUF_C_TYPE_BYTES: {
        if (!ON(w->run, R054))
            return;
        if (!repeated && f->quantifier_offset &&
            f->label == PROTOBUF_C_LABEL_OPTIONAL &&
            !*(const protobuf_c_boolean *)(base + f->quantifier_offset))
            return;
        if (!name_is_id(f->name))
            return;
        for (size_t i = 0; i < count; i++) {
            const ProtobufCBinaryData *b = &((const ProtobufCBinaryData *)data)[i];
            if (b->len != 16) {
                size_t sv = walk_push(w, f->name, repeated ? (long)i : -1);
                emit(w->run, R054, walk_path(w), 0);
                walk_pop(w, sv);
            }
        }
        return;
    }
    case PROTOBUF_C_TYPE_ENUM: {
        if (!ON(w->run, R053))
            return;
        if (!repeated && f->label == PROTOBUF_C_LABEL_OPTIONAL &&
            !*(const protobuf_c_boolean *)(base + f->quantifier_offset))
            return;
        for (size_t i = 0; i < count; i++) {
            int v = ((const int *)data)[i];
            if (!protobuf_c_enum_descriptor_get_value(
                    (const ProtobufCEnumDescriptor *)f->descriptor, v)) {
                size_t sv = walk_push(w, f->name, repeated ? (long)i : -1);
                emit(w->run, R053, walk_path(w), 0);
                walk_pop(w, sv);
            }
        }
        return;
    }
    case PROTOBUF_C_TYPE_MESSAGE:
        for (size_t i = 0; i < count; i++) {
            const ProtobufCMessage *sub = ((const ProtobufCMessage *const *)data)[i];
            if (!sub)
                continue;
            size_t sv = walk_push(w, f->name, repeated ? (long)i : -1);
            if (sub->descriptor == &pd__pb__date__descriptor)
                walk_date(w, (const PdPb__Date *)sub);
            else
                walk_msg(w, sub);
            walk_pop(w, sv);
        }
        return;
    default:
        return;
    }
}

/* Cheap test, inlined in the loop, of whether walk_field has anything to look at:
 * numbers and booleans never, absent or empty fields never (an empty string is clean,
 * an absent optional enum or bytes field is not checked). Saves a call per field. */
static inline int field_present(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    const char *base = (const char *)m;
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING:
    case PROTOBUF_C_TYPE_MESSAGE:
        if (f->label == PROTOBUF_C_LABEL_REPEATED)
            return *(const size_t *)(base + f->quantifier_offset) != 0;
        if (f->type == PROTOBUF_C_TYPE_STRING) {
            const char *s = *(char *const *)(base + f->offset);
            return s && *s;
        }
        return *(void *const *)(base + f->offset) != NULL;
    case PROTOBUF_C_TYPE_BYTES:
    case PROTOBUF_C_TYPE_ENUM:
        if (f->label == PROTOBUF_C_LABEL_REPEATED)
            return *(const size_t *)(base + f->quantifier_offset) != 0;
        return 1; /* walk_field decides (presence flags) */
    default:
        return 0;
    }
}

static void walk_msg(walk *w, const ProtobufCMessage *m)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    if (d == &pd__pb__provenance__descriptor)
        return;
    for (unsigned i = 0; i < d->n_fields; i++)
        if (field_present(m, &d->fields[i]))
            walk_field(w, m, &d->fields[i]);
}

/* Field plans: the same walk as walk_msg/walk_field, with what depends only on the
 * message type worked out once (which fields can have findings, presence flags, the
 * id and multi-line field names, the plan of each message field's type). Built on
 * first use under pthread_once, read-only afterwards; a type without a plan (or a
 * sub-message of another type than its field says) goes through walk_msg. */
enum { WK_STR = 1, WK_MSG, WK_ENUM, WK_ID };

struct wplan;

typedef struct wfield {
    const ProtobufCFieldDescriptor *f;
    unsigned offset, qoffset; /* f->offset, f->quantifier_offset */
    unsigned char kind;      /* WK_* */
    unsigned char repeated;  /* label REPEATED */
    unsigned char opt;       /* enum / bytes: skip when the has_ flag is 0 */
    unsigned char multiline; /* string: '\n' and '\t' allowed */
    const struct wplan *sub; /* WK_MSG: plan of the field's type, NULL = none */
} wfield;

typedef struct wplan {
    const ProtobufCMessageDescriptor *d;
    unsigned n;
    wfield fields[64];
} wplan;

static wplan wplans[32];
static unsigned nwplans;
static pthread_once_t wplans_once = PTHREAD_ONCE_INIT;

static const wplan *wplan_of(const ProtobufCMessageDescriptor *d)
{
    for (unsigned i = 0; i < nwplans; i++)
        if (wplans[i].d == d)
            return &wplans[i];
    return NULL;
}

static void wplan_build(const ProtobufCMessageDescriptor *d)
{
    if (!d || d == &pd__pb__date__descriptor || d == &pd__pb__provenance__descriptor ||
        wplan_of(d) || nwplans == sizeof wplans / sizeof wplans[0] ||
        d->n_fields > sizeof wplans[0].fields / sizeof wplans[0].fields[0])
        return;
    wplan *pl = &wplans[nwplans++];
    pl->d = d;
    pl->n = 0;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        wfield x;
        memset(&x, 0, sizeof x);
        x.f = f;
        x.offset = f->offset;
        x.qoffset = f->quantifier_offset;
        x.repeated = f->label == PROTOBUF_C_LABEL_REPEATED;
        switch (f->type) {
        case PROTOBUF_C_TYPE_STRING:
            x.kind = WK_STR;
            x.multiline = (unsigned char)field_multiline(f->name);
            break;
        case PROTOBUF_C_TYPE_MESSAGE:
            x.kind = WK_MSG;
            break;
        case PROTOBUF_C_TYPE_ENUM:
            x.kind = WK_ENUM;
            x.opt = !x.repeated && f->label == PROTOBUF_C_LABEL_OPTIONAL;
            break;
        case PROTOBUF_C_TYPE_BYTES:
            if (!name_is_id(f->name))
                continue; /* only id fields are checked (R054) */
            x.kind = WK_ID;
            x.opt = !x.repeated && f->quantifier_offset && f->label == PROTOBUF_C_LABEL_OPTIONAL;
            break;
        default:
            continue; /* numbers and booleans: nothing to check */
        }
        pl->fields[pl->n++] = x;
    }
    for (unsigned i = 0; i < d->n_fields; i++)
        if (d->fields[i].type == PROTOBUF_C_TYPE_MESSAGE)
            wplan_build((const ProtobufCMessageDescriptor *)d->fields[i].descriptor);
}

static void wplans_init(void)
{
    wplan_build(&pd__pb__member__descriptor);
    wplan_build(&pd__pb__organization__descriptor);
    wplan_build(&pd__pb__membership__descriptor);
    wplan_build(&pd__pb__event__descriptor);
    wplan_build(&pd__pb__residence_link__descriptor);
    for (unsigned i = 0; i < nwplans; i++)
        for (unsigned j = 0; j < wplans[i].n; j++)
            if (wplans[i].fields[j].kind == WK_MSG)
                wplans[i].fields[j].sub =
                    wplan_of((const ProtobufCMessageDescriptor *)wplans[i].fields[j].f->descriptor);
}

static void walk_plan(walk *w, const ProtobufCMessage *m, const wplan *pl);

static void walk_sub(walk *w, const ProtobufCMessage *sub, const wplan *hint)
{
    const ProtobufCMessageDescriptor *d = sub->descriptor;
    if (d == &pd__pb__date__descriptor)
        walk_date(w, (const PdPb__Date *)sub);
    else if (hint && hint->d == d)
        walk_plan(w, sub, hint);
    else
        walk_msg(w, sub);
}

static void walk_plan(walk *w, const ProtobufCMessage *m, const wplan *pl)
{
    const char *base = (const char *)m;
    for (unsigned i = 0; i < pl->n; i++) {
        const wfield *x = &pl->fields[i];
        size_t count = 1;
        const char *data = base + x->offset;
        if (x->repeated) {
            count = *(const size_t *)(base + x->qoffset);
            if (!count)
                continue;
            data = *(char *const *)data;
        } else if (x->kind == WK_STR) { /* the common case: absent or empty */
            const char *s = *(char *const *)data;
            if (!s || !*s)
                continue;
        } else if (x->kind == WK_MSG) {
            if (!*(void *const *)data)
                continue;
        }
        const ProtobufCFieldDescriptor *f = x->f;
        switch (x->kind) {
        case WK_STR:
            if (!ON(w->run, R002))
                break;
            for (size_t j = 0; j < count; j++) {
                const char *s = ((char *const *)data)[j];
                if (!s || !*s)
                    continue;
                int tb = text_bad(s);
                if (tb == 1 || (tb == 2 && !x->multiline)) {
                    size_t sv = walk_push(w, f->name, x->repeated ? (long)j : -1);
                    emit(w->run, R002, walk_path(w), 0);
                    walk_pop(w, sv);
                }
            }
            break;
        case WK_ID:
            if (!ON(w->run, R054))
                break;
            if (x->opt && !*(const protobuf_c_boolean *)(base + f->quantifier_offset))
                break;
            for (size_t j = 0; j < count; j++) {
                const ProtobufCBinaryData *b = &((const ProtobufCBinaryData *)data)[j];
                if (b->len != 16) {
                    size_t sv = walk_push(w, f->name, x->repeated ? (long)j : -1);
                    emit(w->run, R054, walk_path(w), 0);
                    walk_pop(w, sv);
                }
            }
            break;
        case WK_ENUM:
            if (!ON(w->run, R053))
                break;
            if (x->opt && !*(const protobuf_c_boolean *)(base + f->quantifier_offset))
                break;
            for (size_t j = 0; j < count; j++) {
                int v = ((const int *)data)[j];
                if (!protobuf_c_enum_descriptor_get_value(
                        (const ProtobufCEnumDescriptor *)f->descriptor, v)) {
                    size_t sv = walk_push(w, f->name, x->repeated ? (long)j : -1);
                    emit(w->run, R053, walk_path(w), 0);
                    walk_pop(w, sv);
                }
            }
            break;
        case WK_MSG:
            for (size_t j = 0; j < count; j++) {
                const ProtobufCMessage *sub = ((const ProtobufCMessage *const *)data)[j];
                if (!sub)
                    continue;
                size_t sv = walk_push(w, f->name, x->repeated ? (long)j : -1);
                walk_sub(w, sub, x->sub);
                walk_pop(w, sv);
            }
            break;
        default:
            break;
        }
    }
}

/* the generic walk of an entity, through its plan when it has one */
static void walk_entity(walk *w, const ProtobufCMessage *m)
{
    pthread_once(&wplans_once, wplans_init);
    const wplan *pl = wplan_of(m->descriptor);
    if (pl)
        walk_plan(w, m, pl);
    else
        walk_msg(w, m);
}

/* ---- CCCD place codes (from provinces_pre2025.csv) ------------------------------------ */

/* index = 3-digit CCCD place code (0..99 used), value = successor 2025 province code
 * (0 = not a place code). The old 2-digit province code equals the place code. */
static const unsigned char pd_v_cccd_succ[100] = {
    [1] = 1, [2] = 8, [4] = 4, [6] = 19, [8] = 8, [10] = 15, [11] = 11, [12] = 12,
    [14] = 14, [15] = 15, [17] = 25, [19] = 19, [20] = 20, [22] = 22, [24] = 24, [25] = 25,
    [26] = 25, [27] = 24, [30] = 31, [31] = 31, [33] = 33, [34] = 33, [35] = 37, [36] = 37,
    [37] = 37, [38] = 38, [40] = 40, [42] = 42, [44] = 44, [45] = 44, [46] = 46, [48] = 48,
    [49] = 48, [51] = 51, [52] = 52, [54] = 66, [56] = 56, [58] = 56, [60] = 68, [62] = 51,
    [64] = 52, [66] = 66, [67] = 68, [68] = 68, [70] = 75, [72] = 80, [74] = 79, [75] = 75,
    [77] = 79, [79] = 79, [80] = 80, [82] = 82, [83] = 86, [84] = 86, [86] = 86, [87] = 82,
    [89] = 91, [91] = 91, [92] = 92, [93] = 92, [94] = 92, [95] = 96, [96] = 96,
};

static int all_digits(const char *s, size_t *n)
{
    size_t i = 0;
    for (; s[i]; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    *n = i;
    return 1;
}

static int two_digits(const char *s)
{
    if (!s || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2])
        return -1;
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/* ---- member rules ------------------------------------------------------------------------ */

static int has_event(const PdPb__Member *m, int type)
{
    for (size_t i = 0; i < m->n_events; i++)
        if (m->events[i] && m->events[i]->has_type && (int)m->events[i]->type == type)
            return 1;
    return 0;
}

static int approved_event(const PdPb__Member *m, int t1, int t2)
{
    for (size_t i = 0; i < m->n_events; i++) {
        const PdPb__Event *e = m->events[i];
        if (e && e->has_type && ((int)e->type == t1 || (int)e->type == t2) &&
            e->has_approved_by_superior && e->approved_by_superior)
            return 1;
    }
    return 0;
}

static int is_blank(const char *s) { return !s || !*s; }

static void rule_required(vrun *run, const PdPb__Member *m)
{
    if (!ON(run, R001))
        return;
    if (is_blank(m->full_name))
        emit(run, R001, "full_name", 0);
    if (!m->has_gender || m->gender == PD_PB__GENDER__GENDER_UNSPECIFIED)
        emit(run, R001, "gender", 0);
    if (!m->birth_date || !m->birth_date->has_year)
        emit(run, R001, "birth_date", 0);
    if (!m->ethnicity || (is_blank(m->ethnicity->code) && is_blank(m->ethnicity->name)))
        emit(run, R001, "ethnicity", 0);
    if (!m->admission_decision_date || !m->admission_decision_date->has_year)
        emit(run, R001, "admission_decision_date", 0);
}

static void rule_names(vrun *run, const PdPb__Member *m)
{
    if (ON(run, R003)) {
        char buf[64];
        if (m->full_name && name_mojibake(m->full_name))
            emit(run, R003, "full_name", 0);
        if (m->birth_name && name_mojibake(m->birth_name))
            emit(run, R003, "birth_name", 0);
        for (size_t i = 0; i < m->n_aliases; i++)
            if (m->aliases[i] && name_mojibake(m->aliases[i]))
                emit(run, R003, pathi(buf, sizeof buf, "aliases", i, NULL), 0);
    }
    if (ON(run, R044) && m->has_gender && m->gender == PD_PB__GENDER__GENDER_NAM && m->full_name) {
        /* a middle token (not the first, not the last) equal to "Thị" in any case */
        const char *s = m->full_name;
        const char *first_end = strchr(s, ' ');
        const char *last_sp = strrchr(s, ' ');
        if (first_end && last_sp && last_sp > first_end) {
            const char *p = first_end + 1;
            while (p < last_sp) {
                const char *e = strchr(p, ' ');
                if (!e || e > last_sp)
                    e = last_sp;
                size_t n = (size_t)(e - p);
                /* "Thị" = T h U+1ECB (e1 bb 8b) / U+1ECA (e1 bb 8a) */
                if (n == 5 && (p[0] == 'T' || p[0] == 't') && (p[1] == 'h' || p[1] == 'H') &&
                    (unsigned char)p[2] == 0xe1 && (unsigned char)p[3] == 0xbb &&
                    ((unsigned char)p[4] == 0x8b || (unsigned char)p[4] == 0x8a)) {
                    emit(run, R044, "full_name", 0);
                    break;
                }
                p = e + 1;
            }
        }
    }
}

/* R004 for one date; the path is name, name[idx].sub or name.sub (made on a finding) */
static void party_date(vrun *run, const PdPb__Date *d, const char *name, long idx, const char *sub,
                       int check_past)
{
    span s = span_pb(d);
    if (!s.ok)
        return;
    const int32_t founded = DAY_1930_02_03;
    int how = 0;
    if (check_past) {
        if (s.hi < founded)
            how = 2;
        else if (s.lo < founded)
            how = 1;
    }
    if (!how) {
        if (s.lo > run->c->today)
            how = 2;
        else if (s.hi > run->c->today)
            how = 1;
    }
    if (!how)
        return;
    char buf[96];
    const char *path = name;
    if (idx >= 0)
        path = pathi(buf, sizeof buf, name, (size_t)idx, sub);
    emit(run, R004, path, how == 1);
}

static void rule_party_dates(vrun *run, const PdPb__Member *m)
{
    if (!ON(run, R004))
        return;
    party_date(run, m->birth_date, "birth_date", -1, NULL, 0);
    party_date(run, m->admission_decision_date, "admission_decision_date", -1, NULL, 1);
    party_date(run, m->admission_date, "admission_date", -1, NULL, 1);
    party_date(run, m->official_date, "official_date", -1, NULL, 1);
    for (size_t i = 0; i < m->n_events; i++)
        if (m->events[i])
            party_date(run, m->events[i]->effective_date, "events", (long)i, "effective_date", 1);
    for (size_t i = 0; i < m->n_memberships; i++) {
        if (!m->memberships[i])
            continue;
        party_date(run, m->memberships[i]->from, "memberships", (long)i, "from", 1);
        party_date(run, m->memberships[i]->to, "memberships", (long)i, "to", 1);
    }
}

static void rule_admission(vrun *run, const PdPb__Member *m)
{
    span dec = span_pb(m->admission_decision_date);
    span cer = span_pb(m->admission_date);
    span off = span_pb(m->official_date);
    span birth = span_pb(m->birth_date);

    if (ON(run, R005))
        emit_fail(run, R005, "admission_date", fails_if_before(&cer, &dec));

    if (ON(run, R006) && dec.ok && cer.ok &&
        !approved_event(m, ET(LE_KET_NAP), ET(KET_NAP))) {
        /* fails when cer - dec > 42 days */
        if (cer.lo - dec.hi > 42)
            emit(run, R006, "admission_date", 0);
        else if (cer.hi - dec.lo > 42)
            emit(run, R006, "admission_date", 1);
    }

    if (cer.ok && off.ok) {
        span due = span_add_months(cer, 12);
        int r7 = fails_if_before(&off, &due);
        if (ON(run, R007))
            emit_fail(run, R007, "official_date", r7);
        if (ON(run, R008) && r7 != 2) {
            if (off.hi < due.lo || off.lo > due.hi)
                emit(run, R008, "official_date", 0);
            else if (!(off.lo == off.hi && due.lo == due.hi && off.lo == due.lo) && r7 == 0)
                emit(run, R008, "official_date", 1);
        }
    }

    if (ON(run, R009) && m->has_status && m->status == ST(DU_BI) && cer.ok &&
        !has_event(m, ET(CONG_NHAN_CHINH_THUC)) && !has_event(m, ET(XOA_TEN))) {
        span due = span_add_months(cer, 12);
        if (due.hi + 42 < run->c->today)
            emit(run, R009, "status", 0);
        else if (due.lo + 42 < run->c->today)
            emit(run, R009, "status", 1);
    }

    if (birth.ok && dec.ok) {
        int blo, bhi, alo, ahi;
        span_months(&birth, &blo, &bhi);
        span_months(&dec, &alo, &ahi);
        if (ON(run, R010)) {
            pd_severity sev = (pd_severity)0;
            if (dec.hi < DAY_2011_01_19)
                sev = PD_SEVERITY_WARNING; /* before the 2011 Charter: older rules not checked */
            if (ahi - blo < 216)
                emit_sev(run, R010, "admission_decision_date", 0, sev);
            else if (alo - bhi < 216)
                emit_sev(run, R010, "admission_decision_date", 1, sev);
        }
        if (ON(run, R011) && !approved_event(m, ET(KET_NAP), ET(LE_KET_NAP))) {
            if (alo - bhi > 720)
                emit(run, R011, "admission_decision_date", 0);
            else if (ahi - blo > 720)
                emit(run, R011, "admission_decision_date", 1);
        }
    }
}

static void rule_ids(vrun *run, const PdPb__Member *m)
{
    char buf[64];
    span birth = span_pb(m->birth_date);
    for (size_t i = 0; i < m->n_id_numbers; i++) {
        const PdPb__IdNumber *id = m->id_numbers[i];
        if (!id)
            continue;
        const char *num = id->number;
        int type = id->has_type ? (int)id->type : 0;
        if (is_blank(num))
            continue;
        size_t n = 0;
        int digits = all_digits(num, &n);
#define p_num pathi(buf, sizeof buf, "id_numbers", i, "number")
        if (type == PD_PB__ID_TYPE__ID_TYPE_UNSPECIFIED) {
            if (ON(run, R020))
                emit(run, R020, pathi(buf, sizeof buf, "id_numbers", i, "type"), 0);
            continue;
        }
        if (type == PD_PB__ID_TYPE__ID_TYPE_CMND9 || type == PD_PB__ID_TYPE__ID_TYPE_CMND12) {
            size_t want = type == PD_PB__ID_TYPE__ID_TYPE_CMND9 ? 9 : 12;
            if (ON(run, R020) && (!digits || n != want))
                emit(run, R020, p_num, 0);
            continue;
        }
        if (type != PD_PB__ID_TYPE__ID_TYPE_CCCD)
            continue;
        if (!digits || n != 12) {
            if (ON(run, R014))
                emit(run, R014, p_num, 0);
            if (ON(run, R015) && digits && (n == 10 || n == 11))
                emit(run, R015, p_num, 0);
            continue;
        }
        int place = (num[0] - '0') * 100 + (num[1] - '0') * 10 + (num[2] - '0');
        int cent = num[3] - '0';
        int yy = (num[4] - '0') * 10 + (num[5] - '0');
        int known_place = place < 100 && pd_v_cccd_succ[place] != 0;
        if (ON(run, R016) && !known_place)
            emit(run, R016, p_num, 0);
        if (ON(run, R013) && birth.ok) {
            int year = 1900 + (cent / 2) * 100 + yy;
            if (year != birth.y)
                emit(run, R013, p_num, 0);
        }
        if (ON(run, R017) && m->has_gender &&
            (m->gender == PD_PB__GENDER__GENDER_NAM || m->gender == PD_PB__GENDER__GENDER_NU)) {
            int male = (cent % 2) == 0;
            if (male != (m->gender == PD_PB__GENDER__GENDER_NAM))
                emit(run, R017, p_num, 0);
        }
        if (ON(run, R018) && known_place && m->birthplace) {
            const PdPb__Address *a = m->birthplace;
            int pc = two_digits(a->province_code);
            int foreign = a->country && *a->country && strcmp(a->country, "VN") != 0;
            if (pc >= 0 && !foreign) {
                int ok;
                int ver = a->has_admin_version ? (int)a->admin_version : 0;
                if (ver == PD_PB__ADMIN_VERSION__ADMIN_VERSION_PRE2025)
                    ok = pc == place;
                else if (ver == PD_PB__ADMIN_VERSION__ADMIN_VERSION_2025)
                    ok = pc == pd_v_cccd_succ[place];
                else
                    ok = pc == place || pc == pd_v_cccd_succ[place];
                if (!ok)
                    emit(run, R018, "birthplace.province_code", 0);
            }
        }
    }
#undef p_num
}

static void rule_card(vrun *run, const PdPb__Member *m)
{
    int has_card = !is_blank(m->party_card_no);
    if (ON(run, R021)) {
        if (has_card && m->has_status && m->status == ST(DU_BI))
            emit(run, R021, "party_card_no", 0);
        span off = span_pb(m->official_date);
        if (off.ok) {
            char buf[64];
            for (size_t i = 0; i < m->n_events; i++) {
                const PdPb__Event *e = m->events[i];
                if (!e || !e->has_type || e->type != ET(PHAT_THE))
                    continue;
                span d = span_pb(e->effective_date);
                int how = fails_if_before(&d, &off);
                emit_fail(run, R021, pathi(buf, sizeof buf, "events", i, "effective_date"), how);
            }
        }
    }
    if (ON(run, R022) && has_card) {
        size_t n = 0;
        if (!all_digits(m->party_card_no, &n) || n != 8)
            emit(run, R022, "party_card_no", 0);
    }
}

/* Lifecycle replay (R024, R025, R030, R031, R046) and R027, R032, R033 */

enum { S_NONE = 0, S_DU_BI, S_CHINH_THUC, S_XOA_TEN, S_KHAI_TRU, S_TU_TRAN, S_UNKNOWN };

typedef struct evref {
    const PdPb__Event *e;
    size_t i;
    span d;
} evref;

static int evcmp(const void *a, const void *b)
{
    const evref *x = a, *y = b;
    int32_t dx = x->d.ok ? x->d.lo : INT32_MAX, dy = y->d.ok ? y->d.lo : INT32_MAX;
    if (dx != dy)
        return dx < dy ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int is_live(int s) { return s == S_DU_BI || s == S_CHINH_THUC || s == S_UNKNOWN; }

static void rule_lifecycle(vrun *run, const PdPb__Member *m)
{
    size_t n = m->n_events;
    if (!n)
        return;
    evref stackbuf[32];
    evref *ev = n <= 32 ? stackbuf : malloc(n * sizeof *ev);
    if (!ev) {
        run->rc = pd_error__oom();
        return;
    }
    size_t k = 0;
    int have_admission = 0, readmissions = 0;
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        if (!m->events[i] || !m->events[i]->has_type)
            continue;
        /* R030: only one re-admission (dated or not) */
        if (m->events[i]->type == ET(KET_NAP_LAI) && ++readmissions > 1 && ON(run, R030))
            emit(run, R030, pathi(buf, sizeof buf, "events", i, "type"), 0);
        span d = span_pb(m->events[i]->effective_date);
        if (!d.ok)
            continue; /* an undated event cannot be placed in the history */
        if (m->events[i]->type == ET(KET_NAP))
            have_admission = 1;
        ev[k].e = m->events[i];
        ev[k].i = i;
        ev[k].d = span_pb(m->events[i]->effective_date);
        k++;
    }
    /* insertion sort: event lists are short and mostly in order */
    for (size_t i = 1; i < k; i++) {
        evref t = ev[i];
        size_t j = i;
        while (j > 0 && evcmp(&ev[j - 1], &t) > 0) {
            ev[j] = ev[j - 1];
            j--;
        }
        ev[j] = t;
    }

    int state = S_UNKNOWN, prev_state = S_UNKNOWN;
    if (have_admission)
        state = S_NONE;
    span death = { 0, 0, 0, 0, 0, 0 };
    span left = { 0, 0, 0, 0, 0, 0 };
    int left_by_resignation = 0;
    span transfer_out = { 0, 0, 0, 0, 0, 0 };
    span disc_until[3] = { { 0, 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0, 0 } };
    span adm = span_pb(m->admission_decision_date);
    span birth = span_pb(m->birth_date);

    for (size_t q = 0; q < k; q++) {
        const PdPb__Event *e = ev[q].e;
        int t = (int)e->type;
        size_t i = ev[q].i;
        int bad = 0;
        int next = state;

        if (state == S_TU_TRAN) {
            int allowed = (t == ET(HUY_HIEU) && e->has_posthumous && e->posthumous) ||
                          t == ET(SUA_HO_SO) || t == ET(HOP_NHAT_HO_SO) ||
                          (t == ET(KHEN_THUONG) && e->has_posthumous && e->posthumous);
            if (!allowed && ON(run, R025)) {
                int how = fails_if_before(&death, &ev[q].d); /* death < event */
                if (!ev[q].d.ok || !death.ok)
                    how = 2;
                else if (ev[q].d.hi > death.lo)
                    how = ev[q].d.lo > death.hi ? 2 : 1;
                else
                    how = 0;
                emit_fail(run, R025, pathi(buf, sizeof buf, "events", i, "type"), how);
            }
            continue;
        }
        switch (t) {
        case ET(KET_NAP):
            if (state == S_NONE || state == S_UNKNOWN)
                next = S_DU_BI;
            else
                bad = 1;
            break;
        case ET(CONG_NHAN_CHINH_THUC):
            if (state == S_DU_BI || state == S_UNKNOWN)
                next = S_CHINH_THUC;
            else
                bad = 1;
            break;
        case ET(XOA_TEN):
        case ET(RA_KHOI_DANG):
            if (is_live(state)) {
                next = S_XOA_TEN;
                left = ev[q].d;
                left_by_resignation = t == ET(RA_KHOI_DANG);
            } else {
                bad = 1;
            }
            break;
        case ET(KY_LUAT): {
            int form = e->has_discipline_form ? (int)e->discipline_form : 0;
            if (!is_live(state)) {
                bad = 1;
            } else if (state == S_DU_BI && form != DF(KHIEN_TRACH) && form != DF(CANH_CAO) &&
                       form != 0) {
                bad = 1;
            } else if (form == DF(GIAI_TAN)) {
                bad = 1;
            } else if (form == DF(KHAI_TRU) || form == DF(KHAI_TRU_CO_THOI_HAN)) {
                next = S_KHAI_TRU;
                left = ev[q].d;
                left_by_resignation = 0;
            } else if (ev[q].d.ok && (form == DF(KHIEN_TRACH) || form == DF(CANH_CAO) ||
                                      form == DF(CACH_CHUC))) {
                int wait = form == DF(KHIEN_TRACH) ? 6 : form == DF(CANH_CAO) ? 9 : 12;
                disc_until[form - 1] = span_add_months(ev[q].d, wait);
            }
            break;
        }
        case ET(KHOI_PHUC):
            if (state == S_KHAI_TRU || state == S_XOA_TEN)
                next = prev_state == S_DU_BI ? S_DU_BI : prev_state == S_CHINH_THUC ? S_CHINH_THUC
                                                                                     : S_UNKNOWN;
            else if (state != S_UNKNOWN)
                bad = 1;
            break;
        case ET(KET_NAP_LAI):
            if (state == S_KHAI_TRU || state == S_XOA_TEN || state == S_UNKNOWN) {
                if (ON(run, R031) && (state != S_UNKNOWN || left.ok)) {
                    if (left_by_resignation) {
                        emit(run, R031, pathi(buf, sizeof buf, "events", i, "type"), 0);
                    } else if (left.ok && ev[q].d.ok) {
                        span due = span_add_months(left, 36);
                        emit_fail(run, R031, pathi(buf, sizeof buf, "events", i, "effective_date"),
                                  fails_if_before(&ev[q].d, &due));
                    }
                }
                next = S_DU_BI;
            } else {
                bad = 1;
            }
            break;
        case ET(TU_TRAN):
            if (is_live(state) || state == S_XOA_TEN || state == S_KHAI_TRU) {
                next = S_TU_TRAN;
                death = ev[q].d;
            }
            break;
        case ET(MIEN_SH):
        case ET(TRO_LAI_SH):
        case ET(PHAT_THE):
        case ET(CAP_LAI_THE):
        case ET(DOI_THE):
            if (state != S_CHINH_THUC && state != S_UNKNOWN)
                bad = 1;
            break;
        case ET(LE_KET_NAP):
            if (state != S_DU_BI && state != S_UNKNOWN)
                bad = 1;
            break;
        case ET(SUA_HO_SO):
        case ET(HOP_NHAT_HO_SO):
            break;
        default:
            if (t >= ET(THANH_LAP)) {
                bad = 1; /* an organization event on a member */
            } else if (!is_live(state)) {
                /* transfers, awards, badges, ratings: only while a member */
                if (t != ET(HUY_HIEU) && t != ET(KHEN_THUONG))
                    bad = 1;
            }
            break;
        }
        if (bad && ON(run, R024))
            emit(run, R024, pathi(buf, sizeof buf, "events", i, "type"), 0);
        if (next != state) {
            prev_state = state;
            state = next;
        }

        /* R027: transfer gap */
        if (t == ET(CHUYEN_SH_CT_DI)) {
            transfer_out = ev[q].d;
        } else if (t == ET(CHUYEN_SH_CT_DEN) && transfer_out.ok && ev[q].d.ok) {
            if (ON(run, R027)) {
                if (ev[q].d.lo - transfer_out.hi > 42)
                    emit(run, R027, pathi(buf, sizeof buf, "events", i, "effective_date"), 0);
                else if (ev[q].d.hi - transfer_out.lo > 42)
                    emit(run, R027, pathi(buf, sizeof buf, "events", i, "effective_date"), 1);
            }
            transfer_out.ok = 0;
        }

        /* R032, R033: badges */
        if (t == ET(HUY_HIEU) && e->has_badge_years) {
            int y = e->badge_years;
            int listed = y == 30 || y == 40 || (y >= 45 && y <= 90 && y % 5 == 0);
            if (!listed && ON(run, R032)) {
                pd_severity sev = (pd_severity)0;
                if (ev[q].d.ok && ev[q].d.hi < DAY_2016_01_01)
                    sev = PD_SEVERITY_WARNING;
                emit_sev(run, R032, pathi(buf, sizeof buf, "events", i, "badge_years"), 0, sev);
            }
            if (ON(run, R033) && ev[q].d.ok) {
                if (adm.ok) {
                    span elig = span_add_months(adm, 12 * y);
                    int early = 12;
                    if (birth.ok && ev[q].d.y - birth.y >= 70)
                        early = 24;
                    /* fails when award + early months < eligibility */
                    span lim = span_add_months(ev[q].d, early);
                    int how = fails_if_before(&lim, &elig);
                    emit_fail(run, R033, pathi(buf, sizeof buf, "events", i, "effective_date"), how);
                }
                for (int f = 0; f < 3; f++) {
                    if (disc_until[f].ok) {
                        int how = fails_if_before(&ev[q].d, &disc_until[f]);
                        if (how) {
                            emit_fail(run, R033,
                                      pathi(buf, sizeof buf, "events", i, "effective_date"), how);
                            break;
                        }
                    }
                }
            }
        }
    }

    /* R046: the status the events lead to */
    if (ON(run, R046) && m->has_status && m->status != ST(UNSPECIFIED) && state != S_UNKNOWN &&
        state != S_NONE) {
        int want = state == S_DU_BI ? ST(DU_BI) : state == S_CHINH_THUC ? ST(CHINH_THUC)
                 : state == S_XOA_TEN ? ST(XOA_TEN) : state == S_KHAI_TRU ? ST(KHAI_TRU)
                 : ST(TU_TRAN);
        if ((int)m->status != want)
            emit(run, R046, "status", 0);
    }
    /* a partial history (no dated admission event) is not compared with the status */
    if (ev != stackbuf)
        free(ev);
}

/* memberships inside a member (R026, R028, R029, R052) */

typedef struct mspan {
    span from, to; /* to.ok == 0: open */
} mspan;

/* 2 overlap for all completions, 1 for some, 0 never; [from, to) */
static int overlap(const mspan *a, const mspan *b)
{
    if (!a->from.ok || !b->from.ok)
        return 0;
    int32_t a_to_lo = a->to.ok ? a->to.lo : INT32_MAX, a_to_hi = a->to.ok ? a->to.hi : INT32_MAX;
    int32_t b_to_lo = b->to.ok ? b->to.lo : INT32_MAX, b_to_hi = b->to.ok ? b->to.hi : INT32_MAX;
    if (a->from.hi < b_to_lo && b->from.hi < a_to_lo)
        return 2;
    if (a->from.lo < b_to_hi && b->from.lo < a_to_hi)
        return 1;
    return 0;
}

static void membership_fields(vrun *run, const PdPb__Membership *ms, long idx, int embedded)
{
    char buf[80];
#define MP(sub) (idx >= 0 ? pathi(buf, sizeof buf, "memberships", (size_t)idx, sub) : sub)
    if (ON(run, R052)) {
        if (!embedded && !ms->has_member_id)
            emit(run, R052, MP("member_id"), 0);
        if (!ms->has_org_id)
            emit(run, R052, MP("org_id"), 0);
        if (!ms->has_kind || ms->kind == PD_PB__MEMBERSHIP_KIND__MEMBERSHIP_KIND_UNSPECIFIED)
            emit(run, R052, MP("kind"), 0);
        span f = span_pb(ms->from), t = span_pb(ms->to);
        if (!f.ok && !(ms->from && ms->from->has_year))
            emit(run, R052, MP("from"), 0);
        emit_fail(run, R052, MP("to"), fails_if_before(&t, &f));
    }
    if (ON(run, R028) && ms->has_kind && ms->kind == PD_PB__MEMBERSHIP_KIND__MEMBERSHIP_KIND_TAM_THOI) {
        span f = span_pb(ms->from), t = span_pb(ms->to);
        if (f.ok) {
            span min = span_add_months(f, 3), max = span_add_months(f, 24);
            if (t.ok) {
                int how = fails_if_before(&t, &min);
                if (!how)
                    how = fails_if_before(&max, &t);
                emit_fail(run, R028, MP("to"), how);
            } else {
                /* still open: too long if today is past from + 2 years */
                if (max.hi < run->c->today)
                    emit(run, R028, MP("from"), 0);
            }
        }
    }
#undef MP
}

static void rule_memberships(vrun *run, const PdPb__Member *m)
{
    char buf[64];
    int open_official = 0;
    for (size_t i = 0; i < m->n_memberships; i++) {
        const PdPb__Membership *ms = m->memberships[i];
        if (!ms)
            continue;
        membership_fields(run, ms, (long)i, 1);
        int official = ms->has_kind && ms->kind == PD_PB__MEMBERSHIP_KIND__MEMBERSHIP_KIND_CHINH_THUC;
        if (official && !(ms->to && ms->to->has_year))
            open_official = 1;
        if (official && ON(run, R026)) {
            mspan a = { span_pb(ms->from), span_pb(ms->to) };
            for (size_t j = 0; j < i; j++) {
                const PdPb__Membership *o = m->memberships[j];
                if (!o || !o->has_kind || o->kind != PD_PB__MEMBERSHIP_KIND__MEMBERSHIP_KIND_CHINH_THUC)
                    continue;
                mspan b = { span_pb(o->from), span_pb(o->to) };
                int how = overlap(&a, &b);
                if (how) {
                    emit_fail(run, R026, pathi(buf, sizeof buf, "memberships", i, "from"), how);
                    break;
                }
            }
        }
    }
    if (ON(run, R029) && m->has_status &&
        (m->status == ST(DU_BI) || m->status == ST(CHINH_THUC)) && !open_official &&
        !m->has_current_org_id) {
        /* in transit: the last transfer event is an official transfer out */
        int transit = 0;
        span last = { 0, 0, 0, 0, 0, 0 };
        for (size_t i = 0; i < m->n_events; i++) {
            const PdPb__Event *e = m->events[i];
            if (!e || !e->has_type)
                continue;
            if (e->type == ET(CHUYEN_SH_CT_DI) || e->type == ET(CHUYEN_SH_CT_DEN) ||
                e->type == ET(CHUYEN_SH_NUOC_NGOAI)) {
                span d = span_pb(e->effective_date);
                if (!last.ok || !d.ok || d.lo >= last.lo) {
                    last = d;
                    transit = e->type != ET(CHUYEN_SH_CT_DEN);
                }
            }
        }
        if (!transit)
            emit(run, R029, "memberships", 0);
    }
}

/* R056: administrative codes exist in their generation (refdata) */
static void address_codes(vrun *run, const PdPb__Address *a, const char *name)
{
    if (!a || (a->country && *a->country && strcmp(a->country, "VN") != 0))
        return;
    pd_admin_gen gen = PD_ADMIN_GEN_ANY;
    if (a->has_admin_version && a->admin_version == PD_PB__ADMIN_VERSION__ADMIN_VERSION_PRE2025)
        gen = PD_ADMIN_GEN_PRE2025;
    else if (a->has_admin_version && a->admin_version == PD_PB__ADMIN_VERSION__ADMIN_VERSION_2025)
        gen = PD_ADMIN_GEN_2025;
    char buf[64];
    if (!is_blank(a->province_code)) {
        const pd_province *p = NULL;
        if (pd_refdata_province(&p, gen, a->province_code) < 0) {
            snprintf(buf, sizeof buf, "%s.province_code", name);
            emit(run, R056, buf, 0);
        }
    }
    if (!is_blank(a->commune_code)) {
        const pd_commune *c = NULL;
        if (pd_refdata_commune(&c, gen, a->commune_code) < 0) {
            snprintf(buf, sizeof buf, "%s.commune_code", name);
            emit(run, R056, buf, 0);
        }
    }
}

static void rule_codes(vrun *run, const PdPb__Member *m)
{
    if (m->ethnicity) {
        const PdPb__Ethnicity *e = m->ethnicity;
        if ((ON(run, R034) || ON(run, R057)) && !is_blank(e->code)) {
            int list = e->has_list ? (int)e->list : 0;
            const pd_ethnic_group *g = NULL;
            if (list != PD_ETHNIC_LIST_1979 && list != PD_ETHNIC_LIST_2008)
                emit(run, R034, "ethnicity.list", 0);
            else if (pd_refdata_ethnic_by_code(&g, (pd_ethnic_list)list, e->code) < 0)
                emit(run, R034, "ethnicity.code", 0);
            else if (ON(run, R057) && !is_blank(e->name) && strcmp(e->name, g->name) != 0) {
                /* the name designates another group than the code in this list */
                const pd_ethnic_group *byname = NULL;
                if (pd_refdata_ethnic_by_name(&byname, e->name) == 0 && byname != g)
                    emit(run, R057, "ethnicity.code", 0);
            }
        }
        if (ON(run, R035) && !is_blank(e->name)) {
            /* "Thổ" (T h U+1ED5), "Xá Lá Vàng" in their usual forms; other ambiguous
             * names through refdata when no code was given */
            static const char *const amb[] = { "Th\xe1\xbb\x95", "TH\xe1\xbb\x94", "th\xe1\xbb\x95",
                "X\xc3\xa1 L\xc3\xa1 V\xc3\xa0ng", "X\xc3\x81 L\xc3\x81 V\xc3\x80NG",
                "x\xc3\xa1 l\xc3\xa1 v\xc3\xa0ng" };
            int ambiguous = 0;
            for (size_t i = 0; i < sizeof amb / sizeof amb[0]; i++)
                if (strcmp(e->name, amb[i]) == 0)
                    ambiguous = 1;
            if (!ambiguous && is_blank(e->code)) {
                const pd_ethnic_group *g = NULL;
                ambiguous = pd_refdata_ethnic_by_name(&g, e->name) == PD_ECONFLICT;
            }
            if (ambiguous)
                emit(run, R035, "ethnicity.name", 0);
        }
    }
    if (ON(run, R036) && m->religion && !is_blank(m->religion->code)) {
        const pd_religion *rel = NULL;
        if (pd_refdata_religion_by_code(&rel, m->religion->code) < 0)
            emit(run, R036, "religion.code", 0);
    }
    if (ON(run, R056)) {
        address_codes(run, m->birthplace, "birthplace");
        address_codes(run, m->hometown, "hometown");
        address_codes(run, m->permanent_residence, "permanent_residence");
        address_codes(run, m->temporary_residence, "temporary_residence");
    }
    if (ON(run, R047) && !is_blank(m->record_no)) {
        const char *s = m->record_no;
        int ok = 1;
        for (size_t i = 0; i < 6 && ok; i++)
            if (s[i] < '0' || s[i] > '9') /* also stops at the terminator */
                ok = 0;
        if (ok) {
            size_t letters = 0;
            /* letters: ASCII or Đ (c4 90) */
            const unsigned char *p = (const unsigned char *)s + 6;
            while (*p) {
                if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
                    p++;
                else if (p[0] == 0xc4 && (p[1] == 0x90 || p[1] == 0x91))
                    p += 2;
                else {
                    ok = 0;
                    break;
                }
                letters++;
            }
            if (letters < 1 || letters > 3)
                ok = 0;
        }
        if (!ok)
            emit(run, R047, "record_no", 0);
    }
    if (ON(run, R048) && !is_blank(m->education_general)) {
        const char *s = m->education_general;
        const char *sl = strchr(s, '/');
        int ok = 0;
        if (sl && sl > s && sl - s <= 2) {
            int n = 0, good = 1;
            for (const char *p = s; p < sl; p++) {
                if (*p < '0' || *p > '9')
                    good = 0;
                else
                    n = n * 10 + (*p - '0');
            }
            int base = strcmp(sl + 1, "10") == 0 ? 10 : strcmp(sl + 1, "12") == 0 ? 12 : 0;
            ok = good && base && n >= 1 && n <= base;
        }
        if (!ok)
            emit(run, R048, "education_general", 0);
    }
    if (ON(run, R043) && m->contacts) {
        char buf[64];
        for (size_t i = 0; i < m->contacts->n_phones; i++) {
            const char *s = m->contacts->phones[i];
            if (!s)
                continue;
            char d[32];
            size_t n = 0;
            int junk = 0;
            for (const char *p = s; *p; p++) {
                if (*p >= '0' && *p <= '9') {
                    if (n < sizeof d - 1)
                        d[n++] = *p;
                    else
                        junk = 1;
                } else if (*p == ' ' || *p == '.' || *p == '-' || *p == '(' || *p == ')' ||
                           (*p == '+' && p == s)) {
                    continue;
                } else {
                    junk = 1;
                }
            }
            d[n] = '\0';
            const char *q = d;
            size_t len = n;
            char tmp[32];
            if (len >= 2 && q[0] == '8' && q[1] == '4' && len >= 10) {
                tmp[0] = '0';
                memcpy(tmp + 1, q + 2, len - 1);
                q = tmp;
                len = len - 1;
            }
            if (len == 11 && q[0] == '0' && q[1] == '1')
                len = 10; /* old 11-digit mobile: converts to 10 digits (§5) */
            else if (len == 11 && q[0] == '0' && q[1] == '2')
                len = 11; /* 11-digit landline (02x): valid since 2017 */
            int ok = !junk && len >= 10 && len <= 11 && q[0] == '0' &&
                     (len == 10 || (len == 11 && q[1] == '2'));
            if (!ok)
                emit(run, R043, pathi(buf, sizeof buf, "contacts.phones", i, NULL), 0);
        }
    }
}

/* 1 when R041 fails for the decision d */
static int decision_fails(vrun *run, const PdPb__Decision *d)
{
    if (!d || is_blank(d->number) || !ON(run, R041))
        return 0;
    int issuer = !is_blank(d->issuer_code) || !is_blank(d->issuer_name) || d->has_issuer_id ||
                 strchr(d->number, '/') != NULL;
    int term = !is_blank(d->term);
    int qd = strstr(d->number, "Q\xc4\x90") != NULL || strstr(d->number, "QD") != NULL;
    int kind = d->has_kind && d->kind != PD_PB__DOCUMENT_KIND__DOCUMENT_KIND_UNSPECIFIED;
    return !issuer || !term || (qd && !kind);
}

static void decision_check(vrun *run, const PdPb__Decision *d, const char *path)
{
    if (decision_fails(run, d))
        emit(run, R041, path, 0);
}

static void rule_event_decisions(vrun *run, PdPb__Event *const *events, size_t n)
{
    char buf[64];
    for (size_t i = 0; i < n; i++)
        if (events[i] && decision_fails(run, events[i]->decision)) /* the path only for a finding */
            emit(run, R041, pathi(buf, sizeof buf, "events", i, "decision"), 0);
}

static void validate_member(vrun *run, const PdPb__Member *m)
{
    rule_required(run, m);
    rule_names(run, m);
    rule_party_dates(run, m);
    rule_admission(run, m);
    rule_ids(run, m);
    rule_card(run, m);
    rule_lifecycle(run, m);
    rule_memberships(run, m);
    rule_codes(run, m);
    rule_event_decisions(run, m->events, m->n_events);
}

/* ---- organization rules -------------------------------------------------------------------- */


static void validate_org(vrun *run, const PdPb__Organization *o)
{
    if (ON(run, R051)) {
        if (is_blank(o->name))
            emit(run, R051, "name", 0);
        if (!o->has_kind || o->kind == PD_PB__ORG_KIND__ORG_KIND_UNSPECIFIED)
            emit(run, R051, "kind", 0);
        if (!o->has_level || o->level == PD_PB__ORG_LEVEL__ORG_LEVEL_UNSPECIFIED)
            emit(run, R051, "level", 0);
        if (!o->valid_from || !o->valid_from->has_year)
            emit(run, R051, "valid_from", 0);
        if (!o->has_parent_id && !(o->has_level && o->level == PD_PB__ORG_LEVEL__ORG_LEVEL_TRUNG_UONG))
            emit(run, R051, "parent_id", 0);
    }
    span from = span_pb(o->valid_from), to = span_pb(o->valid_to);
    if (ON(run, R055))
        emit_fail(run, R055, "valid_to", fails_if_before(&to, &from));
    if (ON(run, R004)) {
        party_date(run, o->valid_from, "valid_from", -1, NULL, 1);
        party_date(run, o->valid_to, "valid_to", -1, NULL, 1);
    }
    if (ON(run, R037) && o->has_level && o->level == PD_PB__ORG_LEVEL__ORG_LEVEL_CAP_HUYEN) {
        int32_t reform = DAY_2025_07_01;
        if (from.ok && from.hi >= reform)
            emit_fail(run, R037, "valid_from", from.lo >= reform ? 2 : 1);
        else if (!(o->valid_to && o->valid_to->has_year))
            emit(run, R037, "valid_to", 0);
        else if (to.ok && to.hi >= reform)
            emit_fail(run, R037, "valid_to", to.lo >= reform ? 2 : 1);
    }
    if (ON(run, R040) && o->valid_to && o->valid_to->has_year && o->n_successor_ids == 0) {
        int closed = 0;
        for (size_t i = 0; i < o->n_events; i++) {
            const PdPb__Event *e = o->events[i];
            if (e && e->has_type &&
                (e->type == ET(GIAI_THE) || e->type == ET(KET_THUC_HOAT_DONG) ||
                 e->type == ET(HOP_NHAT) || e->type == ET(SAP_NHAP) ||
                 (e->type == ET(KY_LUAT_TO_CHUC) && e->has_discipline_form &&
                  e->discipline_form == DF(GIAI_TAN))))
                closed = 1;
        }
        if (!closed)
            emit(run, R040, "successor_ids", 0);
    }
    if (ON(run, R056))
        address_codes(run, o->admin_unit, "admin_unit");
    decision_check(run, o->founding_decision, "founding_decision");
    rule_event_decisions(run, o->events, o->n_events);
    if (ON(run, R004)) {
        for (size_t i = 0; i < o->n_events; i++)
            if (o->events[i])
                party_date(run, o->events[i]->effective_date, "events", (long)i, "effective_date", 1);
    }
}

static void validate_one(vrun *run, const ProtobufCMessage *msg)
{
    const ProtobufCMessageDescriptor *d = msg->descriptor;
    walk w;
    w.run = run;
    w.depth = 0;
    w.path[0] = '\0';
    walk_entity(&w, msg);
    if (d == &pd__pb__member__descriptor) {
        validate_member(run, (const PdPb__Member *)msg);
    } else if (d == &pd__pb__organization__descriptor) {
        validate_org(run, (const PdPb__Organization *)msg);
    } else if (d == &pd__pb__membership__descriptor) {
        const PdPb__Membership *ms = (const PdPb__Membership *)msg;
        membership_fields(run, ms, -1, 0);
        if (ON(run, R004)) {
            party_date(run, ms->from, "from", -1, NULL, 1);
            party_date(run, ms->to, "to", -1, NULL, 1);
        }
    } else if (d == &pd__pb__event__descriptor) {
        const PdPb__Event *e = (const PdPb__Event *)msg;
        if (ON(run, R004))
            party_date(run, e->effective_date, "effective_date", -1, NULL, 1);
        decision_check(run, e->decision, "decision");
    } else if (d == &pd__pb__residence_link__descriptor) {
        const PdPb__ResidenceLink *l = (const PdPb__ResidenceLink *)msg;
        if (ON(run, R052)) {
            span f = span_pb(l->from), t = span_pb(l->to);
            emit_fail(run, R052, "to", fails_if_before(&t, &f));
        }
    }
}

/* The entity message of a record handle (the envelope is accepted too). */
static const ProtobufCMessage *entity_of(const pd_record *r)
{
    const ProtobufCMessage *m = (const ProtobufCMessage *)r;
    if (m && m->descriptor == &pd__pb__record__descriptor) {
        const PdPb__Record *env = (const PdPb__Record *)m;
        switch (env->entity_case) {
        case PD_PB__RECORD__ENTITY_MEMBER: return PD_CMSG(env->member);
        case PD_PB__RECORD__ENTITY_ORGANIZATION: return PD_CMSG(env->organization);
        case PD_PB__RECORD__ENTITY_MEMBERSHIP: return PD_CMSG(env->membership);
        case PD_PB__RECORD__ENTITY_EVENT: return PD_CMSG(env->event);
        case PD_PB__RECORD__ENTITY_RESIDENCE_LINK: return PD_CMSG(env->residence_link);
        default: return NULL;
        }
    }
    return m;
}

/* id bytes of any entity (the first field, `id`, of every entity message) */
static const ProtobufCBinaryData *entity_id(const ProtobufCMessage *m)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    if (d == &pd__pb__member__descriptor)
        return ((const PdPb__Member *)m)->has_id ? &((const PdPb__Member *)m)->id : NULL;
    if (d == &pd__pb__organization__descriptor)
        return ((const PdPb__Organization *)m)->has_id ? &((const PdPb__Organization *)m)->id : NULL;
    if (d == &pd__pb__membership__descriptor)
        return ((const PdPb__Membership *)m)->has_id ? &((const PdPb__Membership *)m)->id : NULL;
    if (d == &pd__pb__event__descriptor)
        return ((const PdPb__Event *)m)->has_id ? &((const PdPb__Event *)m)->id : NULL;
    if (d == &pd__pb__residence_link__descriptor)
        return ((const PdPb__ResidenceLink *)m)->has_id ? &((const PdPb__ResidenceLink *)m)->id : NULL;
    return NULL;
}

static void run_init(vrun *run, const vconf *c, pd_findings *out, long index,
                     const ProtobufCMessage *m)
{
    memset(run, 0, sizeof *run);
    run->c = c;
    run->out = out;
    run->index = index;
    const ProtobufCBinaryData *id = m ? entity_id(m) : NULL;
    if (id && id->len == 16)
        memcpy(run->rid.bytes, id->data, 16);
}

static int check_entity(const ProtobufCMessage *m)
{
    if (!m)
        return 0;
    const ProtobufCMessageDescriptor *d = m->descriptor;
    return d == &pd__pb__member__descriptor || d == &pd__pb__organization__descriptor ||
           d == &pd__pb__membership__descriptor || d == &pd__pb__event__descriptor ||
           d == &pd__pb__residence_link__descriptor;
}

int pd_validate_record(pd_findings *out, const pd_record *r, const pd_validate_options *opts)
{
    if (!out || !r)
        return pd_error__set(PD_EINVALID, "pd_validate_record: NULL argument");
    vconf c;
    int rc = conf_init(&c, opts);
    if (rc < 0)
        return rc;
    const ProtobufCMessage *m = entity_of(r);
    if (!check_entity(m))
        return pd_error__set(PD_EINVALID, "pd_validate_record: not a record");
    vrun run;
    run_init(&run, &c, out, 0, m);
    validate_one(&run, m);
    if (run.rc)
        return run.rc;
    return run.errors;
}

/* ---- the set validator ---------------------------------------------------------------------- */

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static uint64_t hash_bytes(const void *data, size_t n, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        h = mix64(h ^ v) + 0x9e3779b97f4a7c15ULL;
        p += 8;
        n -= 8;
    }
    uint64_t v = 0;
    memcpy(&v, p, n);
    h = mix64(h ^ v ^ ((uint64_t)n << 56));
    return h ? h : 1;
}

/* open addressing: key (never 0) -> a, one 16-byte slot per entry so that a probe
 * touches one cache line */
typedef struct u64slot {
    uint64_t key;
    uint64_t a;
} u64slot;

typedef struct u64map {
    u64slot *s;
    size_t cap, len;
} u64map;

static void map_free(u64map *m)
{
    free(m->s);
    memset(m, 0, sizeof *m);
}

/* n zeroed slots. Speed only: a large table (the sets grow with the input, 32 MB per
 * set for a million members) is asked to be backed by huge pages where Linux allows
 * it, because every look-up lands on a random page (TLB misses); free() releases it. */
static u64slot *slots_alloc(size_t n)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const size_t huge = (size_t)2 << 20;
    if (n <= SIZE_MAX / sizeof(u64slot) && n * sizeof(u64slot) >= 2 * huge) {
        size_t bytes = n * sizeof(u64slot);
        void *p = NULL;
        if (posix_memalign(&p, huge, bytes) != 0)
            return NULL;
        (void)madvise(p, bytes, MADV_HUGEPAGE); /* advice: ignored where not supported */
        memset(p, 0, bytes);
        return p;
    }
#endif
    return calloc(n, sizeof(u64slot));
}

static int map_grow(u64map *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 1024;
    u64slot *ns = slots_alloc(ncap);
    if (!ns)
        return pd_error__oom();
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->s[i].key)
            continue;
        size_t j = (size_t)m->s[i].key & (ncap - 1);
        while (ns[j].key)
            j = (j + 1) & (ncap - 1);
        ns[j] = m->s[i];
    }
    free(m->s);
    m->s = ns;
    m->cap = ncap;
    return 0;
}

/* slot of key, or SIZE_MAX */
static size_t map_find(const u64map *m, uint64_t key)
{
    if (!m->cap)
        return SIZE_MAX;
    size_t j = (size_t)key & (m->cap - 1);
    while (m->s[j].key) {
        if (m->s[j].key == key)
            return j;
        j = (j + 1) & (m->cap - 1);
    }
    return SIZE_MAX;
}

/* insert if absent; *slot = its slot; returns 1 if inserted, 0 if present, <0 error */
static int map_put(u64map *m, uint64_t key, size_t *slot)
{
    if ((m->len + 1) * 4 > m->cap * 3) {
        int rc = map_grow(m);
        if (rc < 0)
            return rc;
    }
    size_t j = (size_t)key & (m->cap - 1);
    while (m->s[j].key) {
        if (m->s[j].key == key) {
            *slot = j;
            return 0;
        }
        j = (j + 1) & (m->cap - 1);
    }
    m->s[j].key = key;
    m->s[j].a = 0;
    m->len++;
    *slot = j;
    return 1;
}

/* the member map's value: packed birth date + 1 (R012) in the high 32 bits, the
 * official date (R042) in the low 32: 0 never official, 1 official without a date,
 * else PD_V_OFF_BIAS + the day number of its last completion */
#define PD_V_NOT_OFFICIAL 0u
#define PD_V_OFFICIAL_UNDATED 1u
#define PD_V_OFF_BIAS 0x10000000
#define PD_V_BIRTH(a) ((uint32_t)((a) >> 32))
#define PD_V_OFF(a) ((uint32_t)((a) & 0xffffffffu))

typedef struct vorg {
    uint64_t key, parent;
    int32_t from_lo, from_hi, to_lo, to_hi; /* to: INT32_MAX when open */
    long index;
    pd_uuid rid;
    unsigned char has_parent, kind, role, approval, closed, color;
    uint32_t official; /* official members counted by current_org_id */
} vorg;

typedef struct vms {            /* a membership waiting for its organization or overlap check */
    uint64_t member, org;
    int32_t from_lo, from_hi, to_lo, to_hi;
    long index;
    pd_uuid rid;
    unsigned char official, standalone, checked;
} vms;

typedef struct vintro {
    uint64_t introducer;
    int32_t adm_lo, adm_hi;
    long index;
    pd_uuid rid;
} vintro;

struct pd_validator {
    vconf c;
    char *rules;
    u64map cccd;     /* hash(cccd) -> member key */
    u64map card;     /* hash(card) -> member key */
    u64map members;  /* member key -> birth date and official date (PD_V_BIRTH, PD_V_OFF) */
    u64map orgidx;   /* org key -> index into orgs */
    u64map counts;   /* org key -> official members */
    vorg *orgs;
    size_t n_orgs, cap_orgs;
    vms *ms;
    size_t n_ms, cap_ms;
    vintro *intro;
    size_t n_intro, cap_intro;
    size_t records, errors, warnings, infos;
    int finished;
};

static void count_new(pd_validator *v, pd_findings *out, size_t before)
{
    size_t n = pd_findings_count(out);
    for (size_t i = before; i < n; i++) {
        const pd_finding *f = pd_findings_get(out, i);
        if (f->severity == PD_SEVERITY_ERROR)
            v->errors++;
        else if (f->severity == PD_SEVERITY_WARNING)
            v->warnings++;
        else
            v->infos++;
    }
}

int pd_validator_new(pd_validator **out, const pd_validate_options *opts)
{
    if (!out)
        return pd_error__set(PD_EINVALID, "pd_validator_new: NULL out");
    *out = NULL;
    pd_validator *v = calloc(1, sizeof *v);
    if (!v)
        return pd_error__oom();
    int rc = conf_init(&v->c, opts);
    if (rc < 0) {
        free(v);
        return rc;
    }
    if (opts && opts->rules) {
        v->rules = pd__strdup(opts->rules);
        if (!v->rules) {
            free(v);
            return PD_ENOMEM;
        }
    }
    *out = v;
    return 0;
}

void pd_validator_free(pd_validator *v)
{
    if (!v)
        return;
    map_free(&v->cccd);
    map_free(&v->card);
    map_free(&v->members);
    map_free(&v->orgidx);
    map_free(&v->counts);
    free(v->orgs);
    free(v->ms);
    free(v->intro);
    free(v->rules);
    free(v);
}

void pd_validator_stats(const pd_validator *v, size_t *records, size_t *errors, size_t *warnings,
                        size_t *infos)
{
    if (records)
        *records = v ? v->records : 0;
    if (errors)
        *errors = v ? v->errors : 0;
    if (warnings)
        *warnings = v ? v->warnings : 0;
    if (infos)
        *infos = v ? v->infos : 0;
}

#define GROW(arr, n, cap)                                                              \
    do {                                                                               \
        if ((n) == (cap)) {                                                            \
            size_t nc_ = (cap) ? (cap) * 2 : 256;                                      \
            void *p_ = realloc((arr), nc_ * sizeof *(arr));                            \
            if (!p_)                                                                   \
                return pd_error__oom();                                                \
            (arr) = p_;                                                                \
            (cap) = nc_;                                                               \
        }                                                                              \
    } while (0)

static uint64_t key_id(const ProtobufCBinaryData *b)
{
    return hash_bytes(b->data, b->len, 0x5bd1e995u);
}

static void emit_at(vrun *run, int code, const char *path, int possible, long index,
                    const pd_uuid *rid)
{
    run->index = index;
    run->rid = *rid;
    emit(run, code, path, possible);
}

/* R038 for one membership and its organization */
static void ms_org_check(vrun *run, const vms *x, const vorg *o)
{
    const char *path = x->standalone ? "from" : "memberships";
    if (o->from_lo != INT32_MIN) {
        if (x->from_hi < o->from_lo) {
            emit_at(run, R038, path, 0, x->index, &x->rid);
            return;
        } else if (x->from_lo < o->from_hi) {
            emit_at(run, R038, path, 1, x->index, &x->rid);
            return;
        }
    }
    if (o->to_hi != INT32_MAX) {
        /* membership [from, to) going on after the organization's last day */
        path = x->standalone ? "to" : "memberships";
        if (x->to_lo == INT32_MAX || x->to_lo > o->to_hi + 1)
            emit_at(run, R038, path, 0, x->index, &x->rid);
        else if (x->to_hi > o->to_lo + 1)
            emit_at(run, R038, path, 1, x->index, &x->rid);
    }
}

/* Remember a membership: R038 is checked at once when its organization is known
 * (and the entry dropped unless R026 needs it), else at pd_validator_finish. */
static int push_ms(pd_validator *v, vrun *run, const PdPb__Membership *ms, uint64_t member,
                   long index, const pd_uuid *rid, int standalone)
{
    if (!ms->has_org_id)
        return 0;
    span f = span_pb(ms->from), t = span_pb(ms->to);
    if (!f.ok)
        return 0;
    vms x;
    memset(&x, 0, sizeof x);
    x.member = member;
    x.org = key_id(&ms->org_id);
    x.from_lo = f.lo;
    x.from_hi = f.hi;
    x.to_lo = t.ok ? t.lo : INT32_MAX;
    x.to_hi = t.ok ? t.hi : INT32_MAX;
    x.index = index;
    x.rid = *rid;
    x.official = ms->has_kind && ms->kind == PD_PB__MEMBERSHIP_KIND__MEMBERSHIP_KIND_CHINH_THUC;
    x.standalone = (unsigned char)standalone;
    if (ON(run, R038)) {
        size_t sl = map_find(&v->orgidx, x.org);
        if (sl != SIZE_MAX) {
            long saved_index = run->index;
            pd_uuid saved_rid = run->rid;
            ms_org_check(run, &x, &v->orgs[v->orgidx.s[sl].a]);
            run->index = saved_index;
            run->rid = saved_rid;
            x.checked = 1;
        }
    }
    int keep = (!x.checked && ON(run, R038)) ||
               (standalone && x.official && member && ON(run, R026));
    if (!keep)
        return 0;
    GROW(v->ms, v->n_ms, v->cap_ms);
    v->ms[v->n_ms++] = x;
    return 0;
}

static int set_member(pd_validator *v, vrun *run, const PdPb__Member *m, long index)
{
    if (!m->has_id)
        return 0;
    uint64_t mk = key_id(&m->id);
    size_t slot;
    int rc;
    if (m->has_merged_into_id)
        return 0; /* merged records are not live */
    /* R019: CCCD */
    if (ON(run, R019)) {
        for (size_t i = 0; i < m->n_id_numbers; i++) {
            const PdPb__IdNumber *id = m->id_numbers[i];
            if (!id || !id->has_type || id->type != PD_PB__ID_TYPE__ID_TYPE_CCCD || is_blank(id->number))
                continue;
            uint64_t k = hash_bytes(id->number, strlen(id->number), 0xcccd);
            if ((rc = map_put(&v->cccd, k, &slot)) < 0)
                return rc;
            if (rc == 1) {
                v->cccd.s[slot].a = mk;
            } else if (v->cccd.s[slot].a != mk) {
                char buf[64];
                emit(run, R019, pathi(buf, sizeof buf, "id_numbers", i, "number"), 0);
            }
        }
    }
    /* R023: party card */
    if (ON(run, R023) && !is_blank(m->party_card_no)) {
        uint64_t k = hash_bytes(m->party_card_no, strlen(m->party_card_no), 0xcad);
        if ((rc = map_put(&v->card, k, &slot)) < 0)
            return rc;
        if (rc == 1) {
            v->card.s[slot].a = mk;
        } else if (v->card.s[slot].a != mk) {
            emit(run, R023, "party_card_no", 0);
        }
    }
    /* one entry per member (see PD_V_BIRTH, PD_V_OFF) */
    int r012 = ON(run, R012) && m->birth_date && m->birth_date->has_year;
    span off = span_pb(m->official_date);
    int r042 = ON(run, R042);
    if (r012 || r042) {
        if ((rc = map_put(&v->members, mk, &slot)) < 0)
            return rc;
        int fresh = rc == 1;
        uint32_t birth = fresh ? 0 : PD_V_BIRTH(v->members.s[slot].a);
        uint32_t offv = fresh ? PD_V_NOT_OFFICIAL : PD_V_OFF(v->members.s[slot].a);
        if (r012) {
            const PdPb__Date *b = m->birth_date;
            uint32_t packed = (uint32_t)(b->year * 10000 + (b->has_month ? b->month : 0) * 100 +
                                         (b->has_day ? b->day : 0)) + 1;
            if (!fresh && birth && birth != packed) {
                int64_t us = m->provenance && m->provenance->has_updated_at ? m->provenance->updated_at : -1;
                /* 2016-08-18T00:00Z = 1471478400 s */
                int after = us < 0 || us >= 1471478400LL * 1000000LL;
                if (after && !has_event(m, ET(SUA_HO_SO)))
                    emit(run, R012, "birth_date", 0);
            }
            birth = packed;
        }
        if (r042)
            offv = off.ok ? (uint32_t)(off.hi + PD_V_OFF_BIAS)
                 : (m->has_status && m->status == ST(CHINH_THUC)) ? PD_V_OFFICIAL_UNDATED
                 : PD_V_NOT_OFFICIAL;
        v->members.s[slot].a = ((uint64_t)birth << 32) | offv;
    }
    /* R042: introducer references */
    if (ON(run, R042)) {
        span adm = span_pb(m->admission_decision_date);
        if (adm.ok) {
            for (size_t i = 0; i < m->n_introducer_ids; i++) {
                if (m->introducer_ids[i].len != 16)
                    continue;
                GROW(v->intro, v->n_intro, v->cap_intro);
                vintro *x = &v->intro[v->n_intro++];
                x->introducer = key_id(&m->introducer_ids[i]);
                x->adm_lo = adm.lo;
                x->adm_hi = adm.hi;
                x->index = index;
                x->rid = run->rid;
            }
        }
    }
    /* R039: official members per cell */
    if (ON(run, R039) && m->has_status && m->status == ST(CHINH_THUC)) {
        const ProtobufCBinaryData *org = m->has_current_org_id ? &m->current_org_id : NULL;
        for (size_t i = 0; !org && i < m->n_memberships; i++) {
            const PdPb__Membership *ms = m->memberships[i];
            if (ms && ms->has_org_id && ms->has_kind &&
                ms->kind == PD_PB__MEMBERSHIP_KIND__MEMBERSHIP_KIND_CHINH_THUC &&
                !(ms->to && ms->to->has_year))
                org = &ms->org_id;
        }
        if (org) {
            if ((rc = map_put(&v->counts, key_id(org), &slot)) < 0)
                return rc;
            v->counts.s[slot].a++;
        }
    }
    /* R038: memberships vs organization validity */
    if (ON(run, R038))
        for (size_t i = 0; i < m->n_memberships; i++)
            if (m->memberships[i] &&
                (rc = push_ms(v, run, m->memberships[i], mk, index, &run->rid, 0)) < 0)
                return rc;
    return 0;
}

static int set_org(pd_validator *v, const PdPb__Organization *o, long index, const pd_uuid *rid)
{
    if (!o->has_id)
        return 0;
    uint64_t k = key_id(&o->id);
    size_t slot;
    int rc = map_put(&v->orgidx, k, &slot);
    if (rc < 0)
        return rc;
    vorg *x;
    if (rc == 1) {
        GROW(v->orgs, v->n_orgs, v->cap_orgs);
        v->orgidx.s[slot].a = v->n_orgs;
        x = &v->orgs[v->n_orgs++];
    } else {
        x = &v->orgs[v->orgidx.s[slot].a]; /* a later revision replaces the earlier */
    }
    memset(x, 0, sizeof *x);
    span f = span_pb(o->valid_from), t = span_pb(o->valid_to);
    x->key = k;
    x->has_parent = o->has_parent_id;
    x->parent = o->has_parent_id ? key_id(&o->parent_id) : 0;
    x->from_lo = f.ok ? f.lo : INT32_MIN;
    x->from_hi = f.ok ? f.hi : INT32_MIN;
    x->to_lo = t.ok ? t.lo : INT32_MAX;
    x->to_hi = t.ok ? t.hi : INT32_MAX;
    x->index = index;
    x->rid = *rid;
    x->kind = o->has_kind ? (unsigned char)o->kind : 0;
    x->role = o->has_grassroots_role ? (unsigned char)o->grassroots_role : 0;
    x->approval = o->has_superior_approval && o->superior_approval;
    x->closed = t.ok && t.hi < v->c.today;
    return 0;
}

/* Speed only: start loading the hash-set slots set_member() will use for this member
 * (the sets grow with the input, so each look-up is a cache miss), so that the loads
 * overlap the record rules instead of waiting at the end. No effect on results. */
static void prefetch_slot(const u64map *m, uint64_t key)
{
#if defined(__GNUC__)
    if (m->cap)
        __builtin_prefetch(&m->s[(size_t)key & (m->cap - 1)], 1);
#else
    (void)m;
    (void)key;
#endif
}

static void set_member_prefetch(const pd_validator *v, const PdPb__Member *m)
{
    if (!m->has_id || m->has_merged_into_id)
        return;
    prefetch_slot(&v->members, key_id(&m->id));
    for (size_t i = 0; i < m->n_id_numbers && i < 2; i++) {
        const PdPb__IdNumber *id = m->id_numbers[i];
        if (id && id->has_type && id->type == PD_PB__ID_TYPE__ID_TYPE_CCCD && !is_blank(id->number))
            prefetch_slot(&v->cccd, hash_bytes(id->number, strlen(id->number), 0xcccd));
    }
    if (!is_blank(m->party_card_no))
        prefetch_slot(&v->card, hash_bytes(m->party_card_no, strlen(m->party_card_no), 0xcad));
}

int pd_validator_add(pd_findings *out, pd_validator *v, const pd_record *r, long record_index)
{
    if (!out || !v || !r)
        return pd_error__set(PD_EINVALID, "pd_validator_add: NULL argument");
    if (v->finished)
        return pd_error__set(PD_EINVALID, "pd_validator_add: validator already finished");
    const ProtobufCMessage *m = entity_of(r);
    if (!check_entity(m))
        return pd_error__set(PD_EINVALID, "pd_validator_add: not a record");
    size_t before = pd_findings_count(out);
    vrun run;
    run_init(&run, &v->c, out, record_index, m);
    if (m->descriptor == &pd__pb__member__descriptor)
        set_member_prefetch(v, (const PdPb__Member *)m);
    validate_one(&run, m);
    v->records++;
    int rc = 0;
    const ProtobufCMessageDescriptor *d = m->descriptor;
    if (!run.rc) {
        if (d == &pd__pb__member__descriptor)
            rc = set_member(v, &run, (const PdPb__Member *)m, record_index);
        else if (d == &pd__pb__organization__descriptor)
            rc = set_org(v, (const PdPb__Organization *)m, record_index, &run.rid);
        else if (d == &pd__pb__membership__descriptor && (ON(&run, R038) || ON(&run, R026))) {
            const PdPb__Membership *ms = (const PdPb__Membership *)m;
            uint64_t mk = ms->has_member_id ? key_id(&ms->member_id) : 0;
            rc = push_ms(v, &run, ms, mk, record_index, &run.rid, 1);
        }
    }
    count_new(v, out, before);
    if (run.rc)
        return run.rc;
    return rc < 0 ? rc : run.errors;
}

int pd_validator_add_decode_error(pd_findings *out, pd_validator *v, long record_index,
                                  const char *detail)
{
    if (!out || !v)
        return pd_error__set(PD_EINVALID, "pd_validator_add_decode_error: NULL argument");
    const pd_error *e = pd_error_last();
    const char *msg = detail ? detail : (e && e->message ? e->message : "");
    const pd_rule *r = &pd_v_catalogue[0];
    char *vi = pd__asprintf("%s: %s", r->message_vi, msg);
    char *en = pd__asprintf("%s: %s", r->message_en, msg);
    if (!vi || !en) {
        free(vi);
        free(en);
        return PD_ENOMEM;
    }
    pd_finding f;
    memset(&f, 0, sizeof f);
    f.rule = r->code;
    f.severity = PD_SEVERITY_ERROR;
    f.path = (!detail && e && e->field_path) ? e->field_path : "";
    f.message_vi = vi;
    f.message_en = en;
    f.record = record_index;
    int rc = pd_findings_add(out, &f);
    free(vi);
    free(en);
    if (rc < 0)
        return rc;
    v->records++;
    v->errors++;
    return 1;
}

static int ms_cmp(const void *a, const void *b)
{
    const vms *x = a, *y = b;
    if (x->member != y->member)
        return x->member < y->member ? -1 : 1;
    if (x->from_lo != y->from_lo)
        return x->from_lo < y->from_lo ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

int pd_validator_finish(pd_findings *out, pd_validator *v)
{
    if (!out || !v)
        return pd_error__set(PD_EINVALID, "pd_validator_finish: NULL argument");
    if (v->finished)
        return pd_error__set(PD_EINVALID, "pd_validator_finish: already finished");
    v->finished = 1;
    size_t before = pd_findings_count(out);
    vrun run;
    run_init(&run, &v->c, out, 0, NULL);

    /* R049, R050: the organization tree */
    for (size_t i = 0; i < v->n_orgs; i++) {
        vorg *o = &v->orgs[i];
        if (o->has_parent && map_find(&v->orgidx, o->parent) == SIZE_MAX && ON(&run, R049))
            emit_at(&run, R049, "parent_id", 0, o->index, &o->rid);
    }
    if (ON(&run, R050)) {
        /* colors: 0 new, 1 on the current path, 2 done */
        for (size_t i = 0; i < v->n_orgs; i++) {
            size_t cur = i;
            while (v->orgs[cur].color == 0) {
                v->orgs[cur].color = 1;
                if (!v->orgs[cur].has_parent)
                    break;
                size_t s = map_find(&v->orgidx, v->orgs[cur].parent);
                if (s == SIZE_MAX)
                    break;
                size_t nxt = (size_t)v->orgidx.s[s].a;
                if (v->orgs[nxt].color == 1) {
                    emit_at(&run, R050, "parent_id", 0, v->orgs[nxt].index, &v->orgs[nxt].rid);
                    break;
                }
                cur = nxt;
            }
            cur = i;
            while (v->orgs[cur].color == 1) {
                v->orgs[cur].color = 2;
                if (!v->orgs[cur].has_parent)
                    break;
                size_t s = map_find(&v->orgidx, v->orgs[cur].parent);
                if (s == SIZE_MAX)
                    break;
                cur = (size_t)v->orgidx.s[s].a;
            }
        }
    }

    /* R039: official members of grassroots organizations (cells count into their
     * nearest grassroots ancestor) */
    if (ON(&run, R039) && v->n_orgs) {
        uint32_t *tot = calloc(v->n_orgs, sizeof *tot);
        if (!tot)
            return pd_error__oom();
        for (size_t i = 0; i < v->n_orgs; i++) {
            size_t s = map_find(&v->counts, v->orgs[i].key);
            if (s == SIZE_MAX)
                continue;
            uint32_t n = (uint32_t)v->counts.s[s].a;
            size_t cur = i;
            for (int depth = 0; depth < 64; depth++) {
                if (v->orgs[cur].role == PD_PB__GRASSROOTS_ROLE__GRASSROOTS_ROLE_CO_SO) {
                    tot[cur] += n;
                    break;
                }
                if (!v->orgs[cur].has_parent)
                    break;
                size_t p = map_find(&v->orgidx, v->orgs[cur].parent);
                if (p == SIZE_MAX)
                    break;
                cur = (size_t)v->orgidx.s[p].a;
            }
        }
        for (size_t i = 0; i < v->n_orgs; i++) {
            vorg *o = &v->orgs[i];
            if (o->role != PD_PB__GRASSROOTS_ROLE__GRASSROOTS_ROLE_CO_SO || o->closed)
                continue;
            if (tot[i] == 0)
                continue; /* none of its members in the set: a partial set, not judged */
            int bad = tot[i] < 3;
            if (!o->approval) {
                if (o->kind == PD_PB__ORG_KIND__ORG_KIND_CHI_BO && tot[i] >= 30)
                    bad = 1;
                if (o->kind == PD_PB__ORG_KIND__ORG_KIND_DANG_BO && tot[i] < 30)
                    bad = 1;
            }
            if (bad)
                emit_at(&run, R039, "grassroots_role", 0, o->index, &o->rid);
        }
        free(tot);
    }

    /* R038: memberships whose organization came after them */
    if (ON(&run, R038)) {
        for (size_t i = 0; i < v->n_ms; i++) {
            vms *x = &v->ms[i];
            if (x->checked)
                continue;
            size_t sl = map_find(&v->orgidx, x->org);
            if (sl != SIZE_MAX)
                ms_org_check(&run, x, &v->orgs[v->orgidx.s[sl].a]);
        }
    }

    /* R026 across standalone membership records */
    if (ON(&run, R026) && v->n_ms) {
        size_t k = 0;
        for (size_t i = 0; i < v->n_ms; i++)
            if (v->ms[i].standalone && v->ms[i].official && v->ms[i].member)
                v->ms[k++] = v->ms[i];
        v->n_ms = k;
        qsort(v->ms, k, sizeof *v->ms, ms_cmp);
        for (size_t i = 0; i < k;) {
            size_t j = i;
            int32_t max_to_lo = v->ms[i].to_lo, max_to_hi = v->ms[i].to_hi;
            for (j = i + 1; j < k && v->ms[j].member == v->ms[i].member; j++) {
                vms *x = &v->ms[j];
                if (x->from_hi < max_to_lo)
                    emit_at(&run, R026, "from", 0, x->index, &x->rid);
                else if (x->from_lo < max_to_hi)
                    emit_at(&run, R026, "from", 1, x->index, &x->rid);
                if (x->to_lo > max_to_lo)
                    max_to_lo = x->to_lo;
                if (x->to_hi > max_to_hi)
                    max_to_hi = x->to_hi;
            }
            i = j;
        }
    }

    /* R042: introducers official at the admission date */
    if (ON(&run, R042)) {
        for (size_t i = 0; i < v->n_intro; i++) {
            vintro *x = &v->intro[i];
            size_t s = map_find(&v->members, x->introducer);
            if (s == SIZE_MAX)
                continue; /* not in the set: cannot tell */
            uint32_t offv = PD_V_OFF(v->members.s[s].a);
            if (offv == PD_V_OFFICIAL_UNDATED)
                continue; /* official, date unknown */
            if (offv == PD_V_NOT_OFFICIAL) {
                emit_at(&run, R042, "introducer_ids", 0, x->index, &x->rid);
                continue; /* in the set, never official */
            }
            int64_t off_hi = (int64_t)offv - PD_V_OFF_BIAS;
            if (off_hi > x->adm_hi)
                emit_at(&run, R042, "introducer_ids", 0, x->index, &x->rid);
            else if (off_hi > x->adm_lo)
                emit_at(&run, R042, "introducer_ids", 1, x->index, &x->rid);
        }
    }

    count_new(v, out, before);
    if (run.rc)
        return run.rc;
    return run.errors;
}

/* ---- Markdown ---------------------------------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_add(sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 4096;
        while (nc < b->len + n + 1)
            nc *= 2;
        char *q = realloc(b->p, nc);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = nc;
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

static void sb_date(sbuf *b, const pd_date *d, const char *open)
{
    char buf[16];
    if (!d->year) {
        sb_add(b, open);
        return;
    }
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", d->year % 10000, d->month % 100, d->day % 100);
    sb_add(b, buf);
}

int pd_validate_rules_markdown(char **out)
{
    if (!out)
        return pd_error__set(PD_EINVALID, "pd_validate_rules_markdown: NULL out");
    *out = NULL;
    sbuf b = { NULL, 0, 0, 0 };
    char buf[64];
    size_t codes = 0;
    for (size_t i = 0; i < PD_V_NRULES; i++)
        if (i == 0 || strcmp(pd_v_catalogue[i].code, pd_v_catalogue[i - 1].code) != 0)
            codes++;
    sb_add(&b, "# Validation rules\n\n");
    sb_add(&b, "<!-- Generated by `partydata validate --rules --format markdown` from the rule\n"
               "     catalogue in libpartydata/src/validate_rules.h. Do not edit by hand. -->\n\n");
    snprintf(buf, sizeof buf, "%zu rules, %zu catalogue entries. ", codes, (size_t)PD_V_NRULES);
    sb_add(&b, buf);
    sb_add(&b, "Severity: error / warning / info. A rule with several periods has one entry per "
               "period; `--as-of DATE` picks the entry in force on that day. A finding on a "
               "partial date that fails only for some completions is marked `possible` and its "
               "severity is one level lower.\n\n");
    sb_add(&b, "| code | severity | in force | message (en) | scope |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < PD_V_NRULES; i++) {
        const pd_rule *r = &pd_v_catalogue[i];
        sb_add(&b, "| ");
        sb_add(&b, r->code);
        sb_add(&b, " | ");
        sb_add(&b, pd_severity_name(r->severity));
        sb_add(&b, " | ");
        sb_date(&b, &r->valid_from, "…");
        sb_add(&b, " – ");
        sb_date(&b, &r->valid_to, "…");
        sb_add(&b, " | ");
        sb_add(&b, r->message_en);
        sb_add(&b, " | ");
        sb_add(&b, (r->scope & PD_RULE_SCOPE_INPUT) ? "input"
                   : (r->scope & PD_RULE_SCOPE_SET) ? ((r->scope & PD_RULE_SCOPE_RECORD) ? "record, set" : "set")
                   : "record");
        sb_add(&b, " |\n");
    }
    sb_add(&b, "\n");
    for (size_t i = 0; i < PD_V_NRULES; i++) {
        const pd_rule *r = &pd_v_catalogue[i];
        sb_add(&b, "## ");
        sb_add(&b, r->code);
        if (r->valid_from.year || r->valid_to.year) {
            sb_add(&b, " (");
            sb_date(&b, &r->valid_from, "…");
            sb_add(&b, " – ");
            sb_date(&b, &r->valid_to, "…");
            sb_add(&b, ")");
        }
        sb_add(&b, "\n\n- severity: ");
        sb_add(&b, pd_severity_name(r->severity));
        sb_add(&b, "\n- vi: ");
        sb_add(&b, r->message_vi);
        sb_add(&b, "\n- en: ");
        sb_add(&b, r->message_en);
        sb_add(&b, "\n- reads: `");
        sb_add(&b, r->paths[0] ? r->paths : "-");
        sb_add(&b, "`\n- kinds: ");
        sb_add(&b, r->kinds);
        sb_add(&b, "\n- source: ");
        sb_add(&b, r->source);
        sb_add(&b, "\n\n");
    }
    if (b.oom) {
        free(b.p);
        return pd_error__oom();
    }
    *out = b.p;
    return 0;
}
