/*
 * normalize.c: text cleaning, matching keys, dates, phones, identity numbers, place
 * names, and the record normalizer that reports every change as a finding.
 *
 * Global state: one table of per-code-point facts for U+00C0..U+1EFF (lower-case
 * letter without tone, tone digit, folded letter), computed once with utf8proc on
 * first use under pthread_once and read-only afterwards; and the per-message "field
 * plans" of the record walk (which fields to visit and how), built the same way.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "pd_internal.h"
#include "partydata/normalize.h"
#include "refdata_int.h"

/* ---- buffers ------------------------------------------------------------------------ */

void pd_normalize__nbuf_init(pd_nbuf *b)
{
    b->p = b->small;
    b->len = 0;
    b->cap = sizeof b->small;
    b->small[0] = '\0';
}

void pd_normalize__nbuf_free(pd_nbuf *b)
{
    if (b->p != b->small)
        free(b->p);
    pd_normalize__nbuf_init(b);
}

int pd_normalize__nbuf_reserve(pd_nbuf *b, size_t extra)
{
    size_t need = b->len + extra + 1, cap;
    char *np;
    if (need < b->len)
        return pd_error__oom();
    if (need <= b->cap)
        return 0;
    cap = b->cap * 2;
    while (cap < need)
        cap *= 2;
    if (b->p == b->small) {
        np = malloc(cap);
        if (np == NULL)
            return pd_error__oom();
        memcpy(np, b->small, b->len + 1);
    } else {
        np = realloc(b->p, cap);
        if (np == NULL)
            return pd_error__oom();
    }
    b->p = np;
    b->cap = cap;
    return 0;
}

int pd_normalize__nbuf_put(pd_nbuf *b, const char *s, size_t n)
{
    if (pd_normalize__nbuf_reserve(b, n) != 0)
        return PD_ENOMEM;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

int pd_normalize__nbuf_putcp(pd_nbuf *b, int32_t cp)
{
    utf8proc_uint8_t tmp[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, tmp);
    return pd_normalize__nbuf_put(b, (const char *)tmp, (size_t)n);
}

static int nbuf_putc(pd_nbuf *b, char c)
{
    if (b->len + 2 > b->cap && pd_normalize__nbuf_reserve(b, 1) != 0)
        return PD_ENOMEM;
    b->p[b->len++] = c;
    b->p[b->len] = '\0';
    return 0;
}

char *pd_normalize__nbuf_steal(pd_nbuf *b)
{
    char *r;
    if (b->p != b->small) {
        r = b->p;
        pd_normalize__nbuf_init(b);
        return r;
    }
    r = malloc(b->len + 1);
    if (r == NULL) {
        pd_error__oom();
        return NULL;
    }
    memcpy(r, b->p, b->len + 1);
    b->len = 0;
    b->small[0] = '\0';
    return r;
}

/* ---- per-code-point table ---------------------------------------------------------------- */

#define CP_LO 0x00C0
#define CP_HI 0x1EFF

typedef struct cpinfo {
    uint16_t lower, upper; /* simple case mappings (0 = outside the BMP: use utf8proc) */
    uint8_t letter;        /* letter or mark (name case) */
    uint16_t tb;   /* lower case, tone removed, vowel marks kept (NFC) */
    uint16_t fold; /* lower-case base letter (ASCII when the base is ASCII; đ → d) */
    uint8_t tone;  /* 0, or 1..5 */
    uint8_t alnum; /* letter, digit or mark */
} cpinfo;

static cpinfo cp_table[CP_HI - CP_LO + 1];
static pthread_once_t cp_once = PTHREAD_ONCE_INIT;

static int tone_of_mark(int32_t m)
{
    switch (m) {
    case 0x0300: return 2; /* huyền */
    case 0x0301: return 1; /* sắc */
    case 0x0309: return 3; /* hỏi */
    case 0x0303: return 4; /* ngã */
    case 0x0323: return 5; /* nặng */
    default: return 0;
    }
}

static int is_alnum_cat(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    switch (c) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

static void cp_table_init(void)
{
    int32_t cp;
    for (cp = CP_LO; cp <= CP_HI; cp++) {
        cpinfo *ci = &cp_table[cp - CP_LO];
        utf8proc_int32_t lower = utf8proc_tolower(cp), d[8], keep[8];
        int lbc = 0;
        utf8proc_ssize_t n, i, nk = 0;
        int tone = 0;
        ci->alnum = (uint8_t)is_alnum_cat(cp);
        {
            utf8proc_int32_t up = utf8proc_toupper(cp);
            utf8proc_category_t cat = utf8proc_category(cp);
            ci->lower = (uint16_t)(lower <= 0xFFFF ? lower : 0);
            ci->upper = (uint16_t)(up <= 0xFFFF ? up : 0);
            ci->letter = (uint8_t)(cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
                                   cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LM ||
                                   cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_MN ||
                                   cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME);
        }
        ci->tb = (uint16_t)(lower <= 0xFFFF ? lower : cp);
        ci->fold = ci->tb;
        ci->tone = 0;
        if (lower == 0x00F0 || lower == 0x0256 || lower == 0x0111 || cp == 0x00D0 || cp == 0x0189 ||
            cp == 0x0110) {
            ci->tb = 0x0111;
            ci->fold = 'd';
            continue;
        }
        n = utf8proc_decompose_char(lower, d, 8, UTF8PROC_DECOMPOSE, &lbc);
        if (n < 1 || n > 8)
            continue;
        for (i = 1; i < n; i++) {
            int t = tone_of_mark(d[i]);
            if (t)
                tone = t;
            else
                keep[nk++] = d[i];
        }
        if (d[0] < 0x80)
            ci->fold = (uint16_t)d[0];
        else if (d[0] <= 0xFFFF)
            ci->fold = (uint16_t)d[0];
        if (tone == 0 && nk == n - 1) {
            /* no tone mark: the letter itself */
            continue;
        }
        if (nk == 0) {
            if (d[0] <= 0xFFFF) {
                ci->tb = (uint16_t)d[0];
                ci->tone = (uint8_t)tone;
            }
        } else {
            utf8proc_int32_t seq[9];
            utf8proc_ssize_t m;
            seq[0] = d[0];
            memcpy(seq + 1, keep, (size_t)nk * sizeof keep[0]);
            m = utf8proc_normalize_utf32(seq, nk + 1, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
            if (m == 1 && seq[0] <= 0xFFFF) {
                ci->tb = (uint16_t)seq[0];
                ci->tone = (uint8_t)tone;
            }
        }
    }
}

static const cpinfo *cp_info(int32_t cp)
{
    if (cp < CP_LO || cp > CP_HI)
        return NULL;
    pthread_once(&cp_once, cp_table_init);
    return &cp_table[cp - CP_LO];
}

/* ---- keys ---------------------------------------------------------------------------------- */

static int classify(int32_t cp);
static int text_clean(pd_nbuf *b, const char *s, size_t len, unsigned *ch);

static int cp_alnum(int32_t cp)
{
    const cpinfo *ci;
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    ci = cp_info(cp);
    if (ci)
        return ci->alnum;
    return is_alnum_cat(cp);
}

static int roman_value(const char *s, size_t n)
{
    static const char *const r[] = {"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"};
    int v;
    char buf[16];
    if (n == 0 || n > 8)
        return 0;
    for (v = 1; v < 40; v++) {
        int tens = v / 10, ones = v % 10, k;
        size_t len = 0;
        for (k = 0; k < tens; k++)
            buf[len++] = 'X';
        memcpy(buf + len, r[ones], strlen(r[ones]));
        len += strlen(r[ones]);
        if (len == n && memcmp(buf, s, n) == 0)
            return v;
    }
    return 0;
}

/* 1 if s has a code point outside the ranges that are NFC-stable letter by letter
 * (below U+0300, and U+1E00..U+1EFF): then it may need composing */
static int needs_compose(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0xCC)
            continue;
        if (c < 0xE0)
            return 1;
        if (c == 0xE1 && i + 1 < len && (unsigned char)s[i + 1] >= 0xB8 && (unsigned char)s[i + 1] <= 0xBB) {
            i += 2;
            continue;
        }
        if (c >= 0xE0)
            return 1;
    }
    return 0;
}

/* the pending separator between two tokens, written only when the next token writes */
static int flush_sep(pd_nbuf *b, int *need_sep, int mode)
{
    int rc = 0;
    if (*need_sep && b->len && mode != PD_KEY_COMPACT)
        rc = nbuf_putc(b, ' ');
    *need_sep = 0;
    return rc;
}

int pd_normalize__key(pd_nbuf *b, const char *s, size_t len, int mode, int roman)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s, *end;
    utf8proc_uint8_t *composed = NULL;
    int tone = 0, in_tok = 0, need_sep = 0, rc = 0, cls;

    b->len = 0;
    b->p[0] = '\0';
    if (needs_compose(s, len)) {
        /* combining marks: clean first (controls out, then NFC) so that the key of a
         * string and of its cleaned form are the same */
        pd_nbuf tb;
        unsigned ch;
        pd_normalize__nbuf_init(&tb);
        rc = text_clean(&tb, s, len, &ch);
        if (rc == 0 && (composed = (utf8proc_uint8_t *)pd_normalize__nbuf_steal(&tb)) == NULL)
            rc = PD_ENOMEM;
        pd_normalize__nbuf_free(&tb);
        if (rc)
            return rc;
        p = composed;
        len = strlen((const char *)composed);
    }
    end = p + len;
    while (p < end) {
        int32_t cp;
        utf8proc_ssize_t n;
        if (*p < 0x80) {
            cp = *p;
            n = 1;
        } else {
            n = utf8proc_iterate(p, end - p, &cp);
            if (n < 0) {
                rc = pd_error__set(PD_EINVALID, "invalid UTF-8 at byte %ld",
                                   (long)((const char *)p - s));
                goto out;
            }
        }
        cls = classify(cp);
        if (cls == 2) {
            /* controls and invisible format characters: ignored, as text cleaning removes them */
            p += n;
            continue;
        }
        if (cls == 1 || cls == 3 || !cp_alnum(cp)) {
            if (in_tok) {
                if (mode == PD_KEY_TONE && tone) {
                    if ((rc = flush_sep(b, &need_sep, mode)) != 0 ||
                        (rc = nbuf_putc(b, (char)('0' + tone))) != 0)
                        goto out;
                }
                in_tok = 0;
                tone = 0;
            }
            if (b->len) {
                need_sep = 1;
            }
            p += n;
            continue;
        }
        if (!in_tok) {
            in_tok = 1;
            if (roman && (cp == 'I' || cp == 'V' || cp == 'X')) {
                const utf8proc_uint8_t *q = p;
                int v;
                while (q < end && (*q == 'I' || *q == 'V' || *q == 'X'))
                    q++;
                if ((q == end || *q < 0x80) && (q == end || !cp_alnum(*q)) &&
                    (v = roman_value((const char *)p, (size_t)(q - p))) > 0) {
                    char num[8];
                    int k = snprintf(num, sizeof num, "%d", v);
                    if ((rc = flush_sep(b, &need_sep, mode)) != 0 || (rc = pd_normalize__nbuf_put(b, num, (size_t)k)) != 0)
                        goto out;
                    p = q;
                    continue;
                }
            }
        }
        if (cp < 0x80) {
            char c = (char)cp;
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if ((rc = flush_sep(b, &need_sep, mode)) == 0)
                rc = nbuf_putc(b, c);
        } else {
            const cpinfo *ci = (cp >= 0x0300 && cp <= 0x036F) ? NULL : cp_info(cp);
            int t;
            if (ci) {
                if ((rc = flush_sep(b, &need_sep, mode)) != 0)
                    goto out;
                if (mode == PD_KEY_TONE) {
                    rc = pd_normalize__nbuf_putcp(b, ci->tb);
                    if (ci->tone)
                        tone = ci->tone;
                } else {
                    rc = pd_normalize__nbuf_putcp(b, ci->fold);
                }
            } else if ((t = tone_of_mark(cp)) != 0) {
                if (mode == PD_KEY_TONE)
                    tone = t;
            } else if (cp >= 0x0300 && cp <= 0x036F) {
                if (mode == PD_KEY_TONE && (rc = flush_sep(b, &need_sep, mode)) == 0)
                    rc = pd_normalize__nbuf_putcp(b, cp);
            } else {
                /* e.g. U+212B ANGSTROM SIGN lowers to å, which the table folds */
                int32_t lo = utf8proc_tolower(cp);
                const cpinfo *li = cp_info(lo);
                if ((rc = flush_sep(b, &need_sep, mode)) != 0)
                    goto out;
                if (li) {
                    rc = pd_normalize__nbuf_putcp(b, mode == PD_KEY_TONE ? li->tb : li->fold);
                    if (mode == PD_KEY_TONE && li->tone)
                        tone = li->tone;
                } else {
                    rc = pd_normalize__nbuf_putcp(b, lo);
                }
            }
        }
        if (rc)
            goto out;
        p += n;
    }
    if (in_tok && mode == PD_KEY_TONE && tone && (rc = flush_sep(b, &need_sep, mode)) == 0)
        rc = nbuf_putc(b, (char)('0' + tone));
    if (rc == 0 && needs_compose(b->p, b->len)) {
        /* letters outside Vietnamese (jamo, marks kept in tone keys) may now compose */
        utf8proc_uint8_t *nfc = NULL;
        utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)b->p, (utf8proc_ssize_t)b->len, &nfc,
                                          UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (r < 0) {
            rc = pd_error__oom();
        } else {
            b->len = 0;
            rc = pd_normalize__nbuf_put(b, (const char *)nfc, (size_t)r);
        }
        free(nfc);
    }
out:
    free(composed);
    return rc;
}

static int key_public(char **out, const char *s, int mode)
{
    pd_nbuf b;
    int rc;
    if (out == NULL)
        return pd_error__set(PD_EINVALID, "out is NULL");
    *out = NULL;
    if (s == NULL)
        return pd_error__set(PD_EINVALID, "string is NULL");
    pd_normalize__nbuf_init(&b);
    rc = pd_normalize__key(&b, s, strlen(s), mode, 0);
    if (rc == 0) {
        *out = pd_normalize__nbuf_steal(&b);
        if (*out == NULL)
            rc = PD_ENOMEM;
    }
    pd_normalize__nbuf_free(&b);
    return rc;
}

int pd_normalize_fold(char **out, const char *s) { return key_public(out, s, PD_KEY_FOLD); }
int pd_normalize_tone_key(char **out, const char *s) { return key_public(out, s, PD_KEY_TONE); }

/* ---- text ------------------------------------------------------------------------------------ */

#define CH_NFC 1u
#define CH_SPACE 2u
#define CH_LOOKALIKE 4u
#define CH_APOS 8u
#define CH_CONTROL 16u

/* 0 keep, 1 space, 2 remove, 3 apostrophe, 4 Đ, 5 đ */
static int classify(int32_t cp)
{
    if (cp < 0x20 || cp == 0x7F)
        return (cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C) ? 1 : 2;
    if (cp < 0x7F)
        return cp == '`' ? 3 : 0;
    if (cp >= 0x80 && cp <= 0x9F)
        return cp == 0x85 ? 1 : 2;
    switch (cp) {
    case 0x00A0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
        return 1;
    case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF: case 0x00AD:
        return 2;
    case 0x2018: case 0x2019: case 0x201B: case 0x02BC: case 0x02BB: case 0x2032: case 0x00B4:
        return 3;
    case 0x00D0: case 0x0189:
        return 4;
    case 0x00F0: case 0x0256:
        return 5;
    default:
        break;
    }
    if (cp >= 0x2000 && cp <= 0x200A)
        return 1;
    return 0;
}

/* Map pass: code points classified above; spaces collapsed and trimmed. */
static int map_pass(pd_nbuf *b, const utf8proc_uint8_t *p, size_t len, unsigned *ch, int *nonfast)
{
    const utf8proc_uint8_t *end = p + len;
    int pending_space = 0, any = 0;
    b->len = 0;
    b->p[0] = '\0';
    if (pd_normalize__nbuf_reserve(b, len) != 0)
        return PD_ENOMEM;
    while (p < end) {
        int32_t cp;
        utf8proc_ssize_t n;
        int k;
        if (*p < 0x80) {
            cp = *p;
            n = 1;
        } else {
            n = utf8proc_iterate(p, end - p, &cp);
            if (n < 0)
                return pd_error__set(PD_EINVALID, "invalid UTF-8");
        }
        k = classify(cp);
        if (k == 1 || cp == ' ') {
            if (cp != ' ')
                *ch |= CH_SPACE;
            if (!any || pending_space)
                *ch |= CH_SPACE; /* leading or repeated */
            pending_space = 1;
            p += n;
            continue;
        }
        if (k == 2) {
            *ch |= CH_CONTROL;
            p += n;
            continue;
        }
        if (pending_space && any) {
            if (nbuf_putc(b, ' ') != 0)
                return PD_ENOMEM;
        }
        pending_space = 0;
        any = 1;
        if (k == 3) {
            *ch |= CH_APOS;
            cp = '\'';
        } else if (k == 4) {
            *ch |= CH_LOOKALIKE;
            cp = 0x0110;
        } else if (k == 5) {
            *ch |= CH_LOOKALIKE;
            cp = 0x0111;
        }
        if (cp < 0x80) {
            if (nbuf_putc(b, (char)cp) != 0)
                return PD_ENOMEM;
        } else {
            if (!(cp < 0x0300 || (cp >= 0x1E00 && cp <= 0x1EFF)))
                *nonfast = 1;
            if (pd_normalize__nbuf_putcp(b, cp) != 0)
                return PD_ENOMEM;
        }
        p += n;
    }
    if (pending_space && any)
        *ch |= CH_SPACE; /* trailing */
    return 0;
}

/* 1 if s is certainly clean text already: valid UTF-8 made only of printable ASCII
 * (no backtick), single inner spaces, and letters of U+00C0..U+01BF (except the
 * look-alikes Ð ð Ɖ) and U+1E80..U+1EFF, which are all NFC-stable. */
static int clean_fast(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    if (n == 0)
        return 1;
    if (*p == ' ' || e[-1] == ' ')
        return 0;
    while (p < e) {
        unsigned char c = *p;
        if ((unsigned)(c - 0x21) < 0x3Fu || (unsigned)(c - 0x61) < 0x1Eu) {
            p++; /* printable ASCII other than space and '`' (0x21..0x5F, 0x61..0x7E) */
            continue;
        }
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7F || c == '`' || (c == ' ' && p[1] == ' '))
                return 0;
            p++;
        } else if (c >= 0xC3 && c <= 0xC6) {
            if (p + 1 >= e || (p[1] & 0xC0) != 0x80)
                return 0;
            if ((c == 0xC3 && (p[1] == 0x90 || p[1] == 0xB0)) || (c == 0xC6 && p[1] == 0x89))
                return 0;
            p += 2;
        } else if (c == 0xE1) {
            if (p + 2 >= e || (p[1] != 0xBA && p[1] != 0xBB) || (p[2] & 0xC0) != 0x80)
                return 0;
            p += 3;
        } else {
            return 0;
        }
    }
    return 1;
}

/* Clean s into b; *ch receives the CH_* kinds of change made. */
static int text_clean(pd_nbuf *b, const char *s, size_t len, unsigned *ch)
{
    int nonfast = 0, rc;
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t r;
    *ch = 0;
    if (clean_fast(s, len)) {
        b->len = 0;
        return pd_normalize__nbuf_put(b, s, len);
    }
    rc = map_pass(b, (const utf8proc_uint8_t *)s, len, ch, &nonfast);
    if (rc || !nonfast)
        return rc;
    r = utf8proc_map((const utf8proc_uint8_t *)b->p, (utf8proc_ssize_t)b->len, &nfc,
                     UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (r < 0)
        return r == UTF8PROC_ERROR_NOMEM ? pd_error__oom() : pd_error__set(PD_EINVALID, "invalid UTF-8");
    if ((size_t)r != b->len || memcmp(nfc, b->p, b->len) != 0) {
        unsigned ch2 = 0;
        *ch |= CH_NFC;
        rc = map_pass(b, nfc, (size_t)r, &ch2, &nonfast);
        *ch |= ch2;
    }
    free(nfc);
    return rc;
}

int pd_normalize_text(char **out, const char *s)
{
    pd_nbuf b;
    unsigned ch;
    int rc;
    if (out == NULL)
        return pd_error__set(PD_EINVALID, "out is NULL");
    *out = NULL;
    if (s == NULL)
        return pd_error__set(PD_EINVALID, "string is NULL");
    pd_normalize__nbuf_init(&b);
    rc = text_clean(&b, s, strlen(s), &ch);
    if (rc == 0 && (*out = pd_normalize__nbuf_steal(&b)) == NULL)
        rc = PD_ENOMEM;
    pd_normalize__nbuf_free(&b);
    return rc;
}

/* ---- name case ----------------------------------------------------------------------------------- */

static int is_letter(int32_t cp)
{
    utf8proc_category_t c;
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LL || c == UTF8PROC_CATEGORY_LT ||
           c == UTF8PROC_CATEGORY_LM || c == UTF8PROC_CATEGORY_LO || c == UTF8PROC_CATEGORY_MN ||
           c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

/* Case pass over clean text a into b. */
static int case_pass(pd_nbuf *b, const char *a, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)a, *end = p + len;
    int word_len = 0; /* letters since the last boundary */
    int prev_apos_after_single = 0, nonascii = 0;
    b->len = 0;
    b->p[0] = '\0';
    if (pd_normalize__nbuf_reserve(b, len) != 0)
        return PD_ENOMEM;
    while (p < end) {
        int32_t cp, o;
        utf8proc_ssize_t n;
        const cpinfo *ci;
        if (*p < 0x80) {
            /* ASCII: inline */
            char c = (char)*p;
            int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (letter) {
                if (word_len == 0 || prev_apos_after_single) {
                    if (c >= 'a' && c <= 'z')
                        c = (char)(c - 32);
                } else if (c >= 'A' && c <= 'Z') {
                    c = (char)(c + 32);
                }
                word_len++;
                prev_apos_after_single = 0;
            } else if (c == '\'') {
                prev_apos_after_single = (word_len == 1);
            } else {
                prev_apos_after_single = 0;
                word_len = 0;
            }
            if (nbuf_putc(b, c) != 0)
                return PD_ENOMEM;
            p++;
            continue;
        }
        n = utf8proc_iterate(p, end - p, &cp);
        if (n < 0)
            return pd_error__set(PD_EINVALID, "invalid UTF-8");
        ci = (cp >= 0x0300 && cp <= 0x036F) ? NULL : cp_info(cp);
        if (ci && ci->letter && ci->lower && ci->upper) {
            o = (word_len == 0 || prev_apos_after_single) ? ci->upper : ci->lower;
            word_len++;
            prev_apos_after_single = 0;
        } else if (is_letter(cp) || (cp >= '0' && cp <= '9')) {
            utf8proc_category_t cat = cp < 0x80 ? UTF8PROC_CATEGORY_LL : utf8proc_category(cp);
            if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME) {
                o = cp; /* a combining mark continues the letter, unchanged */
            } else {
                if (word_len == 0 || prev_apos_after_single)
                    o = utf8proc_toupper(cp);
                else
                    o = utf8proc_tolower(cp);
                word_len++;
                prev_apos_after_single = 0;
            }
        } else {
            o = cp;
            if (cp == '\'') {
                /* H'Mông: a capital after a one-letter part; Ma'a: the word goes on */
                prev_apos_after_single = (word_len == 1);
            } else {
                prev_apos_after_single = 0;
                word_len = 0;
            }
        }
        if (o >= 0x80)
            nonascii = 1;
        if (pd_normalize__nbuf_putcp(b, o) != 0)
            return PD_ENOMEM;
        p += n;
    }
    (void)nonascii;
    return 0;
}

/* Clean + case: result in b (tmp is scratch). *ch receives CH_* plus 32 for a case change. */
#define CH_CASE 32u
/* 1 when case_pass(a) would give `a` back unchanged, for a string that clean_fast()
 * accepted (so non-ASCII is only C3..C6 xx and E1 BA|BB xx, valid UTF-8); 0 when it
 * would change it or when unsure (then the caller runs the full name_clean). Same
 * decisions as case_pass for ASCII and for the table's cased letters. */
static int case_clean(const char *a, size_t len)
{
    const unsigned char *p = (const unsigned char *)a, *end = p + len;
    int word_len = 0, prev_apos_after_single = 0;
    pthread_once(&cp_once, cp_table_init);
    while (p < end) {
        unsigned c = *p;
        int32_t cp, o;
        const cpinfo *ci;
        if (c < 0x80) {
            int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (letter) {
                if (word_len == 0 || prev_apos_after_single) {
                    if (c >= 'a' && c <= 'z')
                        return 0;
                } else if (c >= 'A' && c <= 'Z') {
                    return 0;
                }
                word_len++;
                prev_apos_after_single = 0;
            } else if (c == '\'') {
                prev_apos_after_single = (word_len == 1);
            } else {
                prev_apos_after_single = 0;
                word_len = 0;
            }
            p++;
            continue;
        }
        if (c < 0xE0) {
            cp = (int32_t)(((c & 0x1Fu) << 6) | (p[1] & 0x3Fu));
            p += 2;
        } else {
            cp = (int32_t)(((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu));
            p += 3;
        }
        if (cp < CP_LO || cp > CP_HI || (cp >= 0x0300 && cp <= 0x036F))
            return 0;
        ci = &cp_table[cp - CP_LO];
        if (!(ci->letter && ci->lower && ci->upper))
            return 0;
        o = (word_len == 0 || prev_apos_after_single) ? ci->upper : ci->lower;
        if (o != cp)
            return 0;
        word_len++;
        prev_apos_after_single = 0;
    }
    return 1;
}

static int name_clean(pd_nbuf *b, pd_nbuf *tmp, const char *s, size_t len, unsigned *ch)
{
    int rc = text_clean(tmp, s, len, ch);
    if (rc)
        return rc;
    rc = case_pass(b, tmp->p, tmp->len);
    if (rc)
        return rc;
    if (b->len != tmp->len || memcmp(b->p, tmp->p, b->len) != 0) {
        /* case mapping may in rare scripts un-normalize: re-clean, which is idempotent */
        unsigned ch2 = 0;
        *ch |= CH_CASE;
        rc = text_clean(tmp, b->p, b->len, &ch2);
        if (rc)
            return rc;
        if (tmp->len != b->len || memcmp(tmp->p, b->p, b->len) != 0) {
            rc = case_pass(b, tmp->p, tmp->len);
        }
    }
    return rc;
}

int pd_normalize_name_case(char **out, const char *s)
{
    pd_nbuf b, t;
    unsigned ch;
    int rc;
    if (out == NULL)
        return pd_error__set(PD_EINVALID, "out is NULL");
    *out = NULL;
    if (s == NULL)
        return pd_error__set(PD_EINVALID, "string is NULL");
    pd_normalize__nbuf_init(&b);
    pd_normalize__nbuf_init(&t);
    rc = name_clean(&b, &t, s, strlen(s), &ch);
    if (rc == 0 && (*out = pd_normalize__nbuf_steal(&b)) == NULL)
        rc = PD_ENOMEM;
    pd_normalize__nbuf_free(&b);
    pd_normalize__nbuf_free(&t);
    return rc;
}

/* ---- name split ------------------------------------------------------------------------------------ */

static const char *const compound_surnames[] = {
    "Tôn Thất", "Tôn Nữ", "Âu Dương", "Nguyễn Phúc", "Hoàng Phủ", "Công Tôn", "Tư Mã", "Gia Cát",
    "Khúc Thừa", NULL};

void pd_name_parts_dispose(pd_name_parts *p)
{
    if (p == NULL)
        return;
    free(p->family);
    free(p->middle);
    free(p->given);
    p->family = p->middle = p->given = NULL;
}

int pd_normalize_split_name(pd_name_parts *out, const char *full_name)
{
    char *t = NULL;
    const char *w[64];
    size_t wl[64], nw = 0, i, fam_n = 1;
    const char *q;
    int rc;
    if (out == NULL)
        return pd_error__set(PD_EINVALID, "out is NULL");
    memset(out, 0, sizeof *out);
    if (full_name == NULL)
        return pd_error__set(PD_EINVALID, "name is NULL");
    if ((rc = pd_normalize_text(&t, full_name)) != 0)
        return rc;
    for (q = t; *q;) {
        const char *e = strchr(q, ' ');
        size_t n = e ? (size_t)(e - q) : strlen(q);
        if (nw < 64) {
            w[nw] = q;
            wl[nw] = n;
            nw++;
        } else {
            wl[63] = (size_t)(q + n - w[63]);
        }
        q += n;
        if (*q == ' ')
            q++;
    }
    if (nw >= 3) {
        pd_nbuf kb;
        pd_normalize__nbuf_init(&kb);
        {
        pd_nbuf kc;
        pd_normalize__nbuf_init(&kc);
        if (pd_normalize__key(&kb, w[0], (size_t)(w[1] + wl[1] - w[0]), PD_KEY_TONE, 0) == 0) {
            for (i = 0; compound_surnames[i]; i++)
                if (pd_normalize__key(&kc, compound_surnames[i], strlen(compound_surnames[i]), PD_KEY_TONE,
                                      0) == 0 &&
                    strcmp(kb.p, kc.p) == 0)
                    fam_n = 2;
        }
        pd_normalize__nbuf_free(&kc);
        }
        pd_normalize__nbuf_free(&kb);
        if (nw == 3 && fam_n == 2)
            fam_n = 2; /* "Tôn Thất Thuyết": no middle name */
    }
    if (nw == 0) {
        out->family = pd__strdup("");
        out->middle = pd__strdup("");
        out->given = pd__strdup("");
    } else if (nw == 1) {
        out->family = pd__strdup("");
        out->middle = pd__strdup("");
        out->given = pd__strndup(w[0], wl[0]);
    } else {
        out->family = pd__strndup(w[0], (size_t)(w[fam_n - 1] + wl[fam_n - 1] - w[0]));
        if (nw - 1 > fam_n)
            out->middle = pd__strndup(w[fam_n], (size_t)(w[nw - 2] + wl[nw - 2] - w[fam_n]));
        else
            out->middle = pd__strdup("");
        out->given = pd__strndup(w[nw - 1], wl[nw - 1]);
    }
    free(t);
    if (!out->family || !out->middle || !out->given) {
        pd_name_parts_dispose(out);
        return PD_ENOMEM;
    }
    return 0;
}

/* ---- dates ----------------------------------------------------------------------------------------- */

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

int pd_normalize_date_valid(const pd_date *d)
{
    if (d == NULL || d->year < 1 || d->year > 9999 || d->month < 0 || d->month > 12 || d->day < 0)
        return 0;
    if (d->month == 0)
        return d->day == 0;
    return d->day <= days_in_month(d->year, d->month);
}

static int date_words(char *buf, size_t cap, const char *s);

int pd_normalize_date_parse_pivot(pd_date *out, const char *s, int pivot)
{
    long v[3];
    int nd[3], n = 0, iso = 0;
    char sep = 0;
    const char *p;
    pd_date d = {0, 0, 0};
    if (out == NULL)
        return pd_error__set(PD_EINVALID, "out is NULL");
    memset(out, 0, sizeof *out);
    if (s == NULL)
        return pd_error__set(PD_EINVALID, "date is NULL");
    if (pivot < 0 || pivot > 100)
        return pd_error__set(PD_EINVALID, "pivot %d outside 0..100", pivot);
    p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p && (*p < '0' || *p > '9')) {
        char buf[40];
        if (strlen(s) < 200 && date_words(buf, sizeof buf, s))
            return pd_normalize_date_parse_pivot(out, buf, pivot);
        return pd_error__set(PD_EPARSE, "not a date: \"%.40s\"", s);
    }
    while (*p) {
        long x = 0;
        int k = 0;
        if (n == 3)
            return pd_error__set(PD_EPARSE, "not a date: \"%.40s\"", s);
        while (*p >= '0' && *p <= '9') {
            if (k < 6)
                x = x * 10 + (*p - '0');
            k++;
            p++;
        }
        if (k == 0 || k > 4)
            return pd_error__set(PD_EPARSE, "not a date: \"%.40s\"", s);
        v[n] = x;
        nd[n] = k;
        n++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            break;
        if (*p != '/' && *p != '-' && *p != '.')
            return pd_error__set(PD_EPARSE, "not a date: \"%.40s\"", s);
        if (sep && *p != sep)
            return pd_error__set(PD_EPARSE, "mixed separators in \"%.40s\"", s);
        sep = *p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            return pd_error__set(PD_EPARSE, "not a date: \"%.40s\"", s);
    }
    if (n == 0)
        return pd_error__set(PD_EPARSE, "empty date");
    if (nd[0] == 4 && n > 1) {
        iso = 1; /* yyyy-mm[-dd] */
        if (nd[1] > 2 || (n == 3 && nd[2] > 2))
            return pd_error__set(PD_EPARSE, "not a date: \"%.40s\"", s);
        d.year = (int)v[0];
        d.month = (int)v[1];
        d.day = n == 3 ? (int)v[2] : 0;
        if (d.month == 0 || (n == 3 && d.day == 0))
            return pd_error__set(PD_EINVALID, "impossible date \"%.40s\"", s);
    } else if (n == 1) {
        if (nd[0] != 4)
            return pd_error__set(PD_EPARSE, "a year needs four digits: \"%.40s\"", s);
        d.year = (int)v[0];
    } else if (n == 2) {
        if (nd[0] > 2 || nd[1] != 4)
            return pd_error__set(PD_EPARSE, "expected mm/yyyy: \"%.40s\"", s);
        d.month = (int)v[0];
        d.year = (int)v[1];
        if (d.month == 0)
            return pd_error__set(PD_EINVALID, "impossible date \"%.40s\"", s);
    } else {
        if (nd[0] > 2 || nd[1] > 2 || (nd[2] != 4 && nd[2] != 2))
            return pd_error__set(PD_EPARSE, "expected dd/mm/yyyy: \"%.40s\"", s);
        d.day = (int)v[0];
        d.month = (int)v[1];
        d.year = nd[2] == 2 ? (int)(v[2] < pivot ? 2000 + v[2] : 1900 + v[2]) : (int)v[2];
        if (d.day == 0 || d.month == 0)
            return pd_error__set(PD_EINVALID, "impossible date \"%.40s\"", s);
    }
    (void)iso;
    if (!pd_normalize_date_valid(&d))
        return pd_error__set(PD_EINVALID, "impossible date \"%.40s\"", s);
    *out = d;
    return 0;
}

/* "ngày 5 tháng 3 năm 1980", "tháng 3/1980", "năm 1980" (any case, with or without
 * accents): rewritten to "5/3/1980" and parsed as such. Returns 1 if it was that form. */
static int date_words(char *buf, size_t cap, const char *s)
{
    pd_nbuf k;
    const char *p;
    char num[3][8];
    int have[3] = {0, 0, 0}, slot = -1, ok = 1;
    size_t i;
    pd_normalize__nbuf_init(&k);
    if (pd_normalize__key(&k, s, strlen(s), PD_KEY_FOLD, 0) != 0 || k.len == 0) {
        pd_normalize__nbuf_free(&k);
        return 0;
    }
    for (p = k.p; *p && ok;) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 4 && !memcmp(p, "ngay", 4))
            slot = 0;
        else if (n == 5 && !memcmp(p, "thang", 5))
            slot = 1;
        else if (n == 3 && !memcmp(p, "nam", 3))
            slot = 2;
        else if (p[0] >= '0' && p[0] <= '9' && n < sizeof num[0]) {
            int all = 1;
            for (i = 0; i < n; i++)
                all &= p[i] >= '0' && p[i] <= '9';
            if (!all || slot < 0 || have[slot])
                ok = 0;
            else {
                memcpy(num[slot], p, n);
                num[slot][n] = '\0';
                have[slot] = 1;
                slot = slot < 2 ? slot + 1 : 3; /* "ngày 5/3/1980" splits on '/' too */
                if (slot == 3)
                    slot = -1;
            }
        } else
            ok = 0;
        p += n;
        if (*p == ' ')
            p++;
    }
    pd_normalize__nbuf_free(&k);
    if (!ok || !have[2] || (have[0] && !have[1]))
        return 0;
    if (have[0])
        snprintf(buf, cap, "%s/%s/%s", num[0], num[1], num[2]);
    else if (have[1])
        snprintf(buf, cap, "%s/%s", num[1], num[2]);
    else
        snprintf(buf, cap, "%s", num[2]);
    return 1;
}

int pd_normalize_date_parse(pd_date *out, const char *s)
{
    return pd_normalize_date_parse_pivot(out, s, PD_NORMALIZE_YEAR_PIVOT);
}

/* ---- phones ------------------------------------------------------------------------------------------- */

static const char *const old_mobile[][2] = {
    {"0162", "032"}, {"0163", "033"}, {"0164", "034"}, {"0165", "035"}, {"0166", "036"},
    {"0167", "037"}, {"0168", "038"}, {"0169", "039"}, {"0120", "070"}, {"0121", "079"},
    {"0122", "077"}, {"0126", "076"}, {"0128", "078"}, {"0123", "083"}, {"0124", "084"},
    {"0125", "085"}, {"0127", "081"}, {"0129", "082"}, {"0186", "056"}, {"0188", "058"},
    {"0199", "059"}};

static int mobile_lead(char c) { return c == '3' || c == '5' || c == '7' || c == '8' || c == '9'; }

/* phone into a fixed buffer; 0 or PD_EINVALID */
static int phone_norm(char out[16], const char *s)
{
    char d[40];
    size_t n = 0, i;
    const char *p = s;
    int plus = 0;
    while (*p == ' ')
        p++;
    if (*p == '+') {
        plus = 1;
        p++;
    }
    for (; *p; p++) {
        char c = *p;
        if (c >= '0' && c <= '9') {
            if (n >= sizeof d - 1)
                return PD_EINVALID;
            d[n++] = c;
        } else if (c == ' ' || c == '.' || c == '-' || c == '(' || c == ')' || c == '/') {
            continue;
        } else {
            return PD_EINVALID;
        }
    }
    d[n] = '\0';
    if (plus) {
        if (n < 3 || d[0] != '8' || d[1] != '4')
            return PD_EINVALID;
        memmove(d + 1, d + 2, n - 1);
        d[0] = '0';
        n--;
    } else if (n >= 4 && memcmp(d, "0084", 4) == 0) {
        memmove(d + 1, d + 4, n - 3);
        n -= 3;
    } else if (n >= 11 && d[0] == '8' && d[1] == '4' && (n == 11 || n == 12) && d[2] != '0') {
        memmove(d + 1, d + 2, n - 1);
        d[0] = '0';
        n--;
    }
    if (n == 9 && mobile_lead(d[0])) {
        memmove(d + 1, d, n + 1);
        d[0] = '0';
        n++;
    }
    if (n == 10 && d[0] == '0' && mobile_lead(d[1])) {
        memcpy(out, d, n + 1);
        return 0;
    }
    if (n == 11 && d[0] == '0' && d[1] == '1') {
        for (i = 0; i < sizeof old_mobile / sizeof old_mobile[0]; i++)
            if (memcmp(d, old_mobile[i][0], 4) == 0) {
                memcpy(out, old_mobile[i][1], 3);
                memcpy(out + 3, d + 4, 7);
                out[10] = '\0';
                return 0;
            }
        return PD_EINVALID;
    }
    if (n == 11 && d[0] == '0' && d[1] == '2') {
        memcpy(out, d, n + 1);
        return 0;
    }
    return PD_EINVALID;
}

int pd_normalize_phone(char **out, const char *s)
{
    char buf[16];
    if (out == NULL)
        return pd_error__set(PD_EINVALID, "out is NULL");
    *out = NULL;
    if (s == NULL)
        return pd_error__set(PD_EINVALID, "phone is NULL");
    if (phone_norm(buf, s) != 0)
        return pd_error__set(PD_EINVALID, "not a Vietnamese phone number: \"%.40s\"", s);
    *out = pd__strdup(buf);
    return *out ? 0 : PD_ENOMEM;
}

/* ---- identity numbers ------------------------------------------------------------------------------------- */

int pd_normalize_id_number(pd_id_norm *out, const char *s, pd_id_type stated)
{
    size_t n = 0;
    const char *p;
    int bad = 0;
    if (out == NULL)
        return pd_error__set(PD_EINVALID, "out is NULL");
    memset(out, 0, sizeof *out);
    out->type = stated;
    if (s == NULL)
        return pd_error__set(PD_EINVALID, "number is NULL");
    if (stated == PD_ID_PASSPORT || stated == PD_ID_OTHER) {
        for (p = s; *p; p++) {
            char c = *p;
            if (c == ' ' || c == '.' || c == '-')
                continue;
            if ((unsigned char)c >= 0x80 || c < 0x21) {
                bad = 1;
                continue;
            }
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 'a' + 'A');
            if (n < sizeof out->number - 1)
                out->number[n++] = c;
            else
                bad = 1;
        }
        if (bad || n == 0)
            return pd_error__set(PD_EINVALID, "not a document number: \"%.40s\"", s);
        return 0;
    }
    for (p = s; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '.' || c == '-' || c == '\t')
            continue;
        if (c < '0' || c > '9') {
            bad = 1;
            continue;
        }
        if (n < sizeof out->number - 1)
            out->number[n++] = c;
        else
            bad = 1;
    }
    if (bad)
        return pd_error__set(PD_EINVALID, "not an id number (digits only): \"%.40s\"", s);
    if (n == 9) {
        if (stated == PD_ID_UNSPECIFIED)
            out->type = PD_ID_CMND9;
        else if (stated != PD_ID_CMND9)
            return pd_error__set(PD_EINVALID, "9 digits: a CMND, not the stated type");
        return 0;
    }
    if (n == 12) {
        if (stated == PD_ID_UNSPECIFIED)
            out->type = PD_ID_CCCD;
        else if (stated == PD_ID_CMND9)
            return pd_error__set(PD_EINVALID, "12 digits stated as a 9-digit CMND");
        return 0;
    }
    if (n == 10 || n == 11) {
        memset(out->suggestion, '0', 12 - n);
        memcpy(out->suggestion + 12 - n, out->number, n);
        out->suggestion[12] = '\0';
        return pd_error__set(PD_EINVALID,
                             "%zu digits: probably a CCCD that lost its leading zeros (%s?)", n,
                             out->suggestion);
    }
    return pd_error__set(PD_EINVALID, "%zu digits: not a CCCD (12) nor a CMND (9)", n);
}

/* ---- places -------------------------------------------------------------------------------------------------- */

static void copy_code(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

static int is_country(const char *s, size_t n)
{
    pd_nbuf b;
    int r = 0;
    pd_normalize__nbuf_init(&b);
    if (pd_normalize__key(&b, s, n, PD_KEY_FOLD, 0) == 0)
        r = strcmp(b.p, "viet nam") == 0 || strcmp(b.p, "vietnam") == 0 ||
            strcmp(b.p, "vn") == 0 || strcmp(b.p, "nuoc chxhcn viet nam") == 0;
    pd_normalize__nbuf_free(&b);
    return r;
}

/* keep the candidates whose district name matches dname ("Huyện Châu Thành" matches
 * "Châu Thành"); returns how many are kept (at the front of cand) */
static size_t by_district(const pd_commune **cand, size_t nc, const char *dname)
{
    pd_nbuf kd, kc;
    size_t k = 0, i;
    pd_normalize__nbuf_init(&kd);
    pd_normalize__nbuf_init(&kc);
    if (pd_normalize__key(&kd, dname, strlen(dname), PD_KEY_FOLD, 1) == 0 && kd.len) {
        for (i = 0; i < nc; i++) {
            if (cand[i]->district_name == NULL ||
                pd_normalize__key(&kc, cand[i]->district_name, strlen(cand[i]->district_name), PD_KEY_FOLD,
                                  1) != 0)
                continue;
            if (kc.len >= kd.len && strcmp(kc.p + kc.len - kd.len, kd.p) == 0 &&
                (kc.len == kd.len || kc.p[kc.len - kd.len - 1] == ' '))
                cand[k++] = cand[i];
            else if (kd.len >= kc.len && strcmp(kd.p + kd.len - kc.len, kc.p) == 0 &&
                     (kd.len == kc.len || kd.p[kd.len - kc.len - 1] == ' '))
                cand[k++] = cand[i];
        }
    }
    pd_normalize__nbuf_free(&kd);
    pd_normalize__nbuf_free(&kc);
    return k;
}

int pd_normalize_place(pd_place_match *out, const char *text, int to_2025)
{
    const char *part[8];
    size_t plen[8], np = 0;
    const char *p;
    char *pname = NULL, *cname = NULL, *dname = NULL;
    const pd_province *p25 = NULL, *ppre = NULL;
    const pd_commune *cand[16];
    size_t nc = 0;
    int rc = 0;

    if (out == NULL)
        return pd_error__set(PD_EINVALID, "out is NULL");
    memset(out, 0, sizeof *out);
    if (text == NULL)
        return pd_error__set(PD_EINVALID, "text is NULL");
    for (p = text; *p && np < 8;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        while (n && (*p == ' ' || *p == '\t')) {
            p++;
            n--;
        }
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '.'))
            n--;
        if (n) {
            part[np] = p;
            plen[np] = n;
            np++;
        }
        if (!e)
            break;
        p = e + 1;
    }
    while (np > 1 && is_country(part[np - 1], plen[np - 1]))
        np--;
    if (np == 0)
        return pd_error__set(PD_ENOTFOUND, "no place in \"%.60s\"", text);
    pname = pd__strndup(part[np - 1], plen[np - 1]);
    if (pname == NULL)
        return PD_ENOMEM;
    if (pd_refdata_province_by_name(&p25, PD_ADMIN_GEN_2025, pname) != 0)
        p25 = NULL;
    if (pd_refdata_province_by_name(&ppre, PD_ADMIN_GEN_PRE2025, pname) != 0)
        ppre = NULL;
    if (np >= 2) {
        cname = pd__strndup(part[0], plen[0]);
        if (np >= 3)
            dname = pd__strndup(part[np - 2], plen[np - 2]);
        if (cname == NULL || (np >= 3 && dname == NULL)) {
            rc = PD_ENOMEM;
            goto done;
        }
    }
    if (p25 == NULL && ppre == NULL) {
        if (np >= 2) {
            /* no province: "Xã Tân Phú, Huyện Châu Thành" - the last part may be the district */
            nc = pd_refdata__commune_candidates(cand, 16, PD_ADMIN_GEN_PRE2025, NULL, cname);
            if (nc > 16)
                nc = 16;
            if (nc >= 1 && (nc = by_district(cand, nc, pname)) == 1) {
                const pd_conversion *cv;
                size_t ncv;
                const pd_province *pp;
                if (!to_2025) {
                    out->gen = PD_ADMIN_GEN_PRE2025;
                    copy_code(out->province_code, sizeof out->province_code, cand[0]->province_code);
                    copy_code(out->district_code, sizeof out->district_code, cand[0]->district_code);
                    copy_code(out->commune_code, sizeof out->commune_code, cand[0]->code);
                    goto done;
                }
                out->gen = PD_ADMIN_GEN_2025;
                out->converted = 1;
                if (pd_refdata_province(&pp, PD_ADMIN_GEN_PRE2025, cand[0]->province_code) == 0)
                    copy_code(out->province_code, sizeof out->province_code, pp->successor_code);
                if (pd_refdata_commune_successors(&cv, &ncv, cand[0]->code) == 0) {
                    if (ncv == 1 && !cv[0].partial)
                        copy_code(out->commune_code, sizeof out->commune_code, cv[0].new_code);
                    else
                        out->split = 1;
                    copy_code(out->province_code, sizeof out->province_code, cv[0].new_province_code);
                }
                goto done;
            }
        }
        if (np == 1) {
            /* maybe a commune alone */
            nc = pd_refdata__commune_candidates(cand, 16, PD_ADMIN_GEN_2025, NULL, pname);
            if (nc == 1) {
                copy_code(out->commune_code, sizeof out->commune_code, cand[0]->code);
                copy_code(out->province_code, sizeof out->province_code, cand[0]->province_code);
                out->gen = PD_ADMIN_GEN_2025;
                goto done;
            }
        }
        rc = pd_error__set(PD_ENOTFOUND, "no province in \"%.60s\"", text);
        goto done;
    }
    if (cname && p25) {
        nc = pd_refdata__commune_candidates(cand, 16, PD_ADMIN_GEN_2025, p25->code, cname);
        if (nc >= 1) {
            out->gen = PD_ADMIN_GEN_2025;
            copy_code(out->province_code, sizeof out->province_code, p25->code);
            if (nc == 1)
                copy_code(out->commune_code, sizeof out->commune_code, cand[0]->code);
            else
                out->ambiguous = 1;
            goto done;
        }
    }
    if (cname && ppre) {
        nc = pd_refdata__commune_candidates(cand, 16, PD_ADMIN_GEN_PRE2025, ppre->code, cname);
        if (nc > 1 && dname) {
            size_t k = by_district(cand, nc, dname);
            if (k >= 1)
                nc = k;
        }
        if (nc >= 1) {
            if (nc > 1) {
                out->ambiguous = 1;
                if (to_2025) {
                    out->gen = PD_ADMIN_GEN_2025;
                    copy_code(out->province_code, sizeof out->province_code, ppre->successor_code);
                    out->converted = 1;
                } else {
                    out->gen = PD_ADMIN_GEN_PRE2025;
                    copy_code(out->province_code, sizeof out->province_code, ppre->code);
                }
                goto done;
            }
            if (!to_2025) {
                out->gen = PD_ADMIN_GEN_PRE2025;
                copy_code(out->province_code, sizeof out->province_code, ppre->code);
                copy_code(out->district_code, sizeof out->district_code, cand[0]->district_code);
                copy_code(out->commune_code, sizeof out->commune_code, cand[0]->code);
            } else {
                const pd_conversion *cv;
                size_t ncv;
                out->gen = PD_ADMIN_GEN_2025;
                out->converted = 1;
                copy_code(out->province_code, sizeof out->province_code, ppre->successor_code);
                if (pd_refdata_commune_successors(&cv, &ncv, cand[0]->code) == 0) {
                    if (ncv == 1 && !cv[0].partial)
                        copy_code(out->commune_code, sizeof out->commune_code, cv[0].new_code);
                    else
                        out->split = 1;
                    copy_code(out->province_code, sizeof out->province_code, cv[0].new_province_code);
                }
            }
            goto done;
        }
    }
    /* the province alone */
    if (p25) {
        out->gen = PD_ADMIN_GEN_2025;
        copy_code(out->province_code, sizeof out->province_code, p25->code);
    } else if (ppre) {
        if (to_2025) {
            out->gen = PD_ADMIN_GEN_2025;
            out->converted = 1;
            copy_code(out->province_code, sizeof out->province_code, ppre->successor_code);
        } else {
            out->gen = PD_ADMIN_GEN_PRE2025;
            copy_code(out->province_code, sizeof out->province_code, ppre->code);
        }
    }
done:
    free(pname);
    free(cname);
    free(dname);
    return rc;
}

/* ---- records ---------------------------------------------------------------------------------------------------- */

#define PD_NORMALIZE_MAX_FIELD (1024u * 1024u)

int pd_normalize_options_init(pd_normalize_options *opts, unsigned int version)
{
    pd_normalize_options d = PD_NORMALIZE_OPTIONS_INIT;
    if (opts == NULL)
        return pd_error__set(PD_EINVALID, "options is NULL");
    if (version != PD_NORMALIZE_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "unknown pd_normalize_options version %u", version);
    *opts = d;
    return 0;
}

typedef struct rule_text {
    const char *code;
    const char *vi;
    const char *en;
} rule_text;

enum {
    N_NFC, N_SPACE, N_LOOK, N_APOS, N_CTRL, N_UTF8, N_CASE, N_PHONE, N_PHONE_BAD, N_ID, N_ID_TYPE,
    N_ID_ZEROS, N_ID_BAD, N_PLACE, N_PLACE_OLD, N_PLACE_SPLIT, N_ETH, N_ETH_BAD, N_REL, N_REL_BAD,
    N_DATE_PREC, N_DATE_BAD, N_EMAIL, N_LONG, N_ETH_MISMATCH
};

static const rule_text rules[] = {
    {"PD-N001", "Chuẩn hóa Unicode NFC", "Unicode NFC normalization"},
    {"PD-N002", "Chuẩn hóa khoảng trắng (thừa, đầu/cuối, không ngắt)", "Spaces trimmed, collapsed or made plain"},
    {"PD-N003", "Thay chữ giống hình (Ð → Đ)", "Look-alike letter replaced (Ð → Đ)"},
    {"PD-N004", "Chuẩn hóa dấu nháy (’ → ')", "Apostrophe normalized (’ → ')"},
    {"PD-N005", "Bỏ ký tự điều khiển", "Control characters removed"},
    {"PD-N006", "Chuỗi không phải UTF-8 hợp lệ: giữ nguyên, cần kiểm tra", "Not valid UTF-8: left as is, to review"},
    {"PD-N007", "Chuẩn hóa chữ hoa tên riêng", "Name capitalization normalized"},
    {"PD-N008", "Chuẩn hóa số điện thoại", "Phone number normalized"},
    {"PD-N009", "Số điện thoại không nhận dạng được: giữ nguyên", "Phone number not recognised: left as is"},
    {"PD-N010", "Bỏ khoảng trắng, dấu chấm trong số giấy tờ", "Spaces and dots removed from the id number"},
    {"PD-N011", "Xác định loại giấy tờ theo độ dài số", "Id type set from the number's length"},
    {"PD-N012", "Số giấy tờ có thể mất số 0 ở đầu: đề xuất giá trị, không tự sửa", "Id number probably lost leading zeros: suggested value, not changed"},
    {"PD-N013", "Số giấy tờ không hợp lệ: giữ nguyên", "Invalid id number: left as is"},
    {"PD-N014", "Gán mã đơn vị hành chính theo địa chỉ", "Administrative code set from the address text"},
    {"PD-N015", "Địa danh cũ được chuyển theo sắp xếp 2025", "Pre-2025 place converted through the 2025 reorganization"},
    {"PD-N016", "Địa danh bị chia tách hoặc không rõ: cần chọn đơn vị", "Place split or ambiguous: a unit must be chosen"},
    {"PD-N017", "Gán mã dân tộc theo tên", "Ethnic code set from the name"},
    {"PD-N018", "Tên dân tộc không rõ hoặc đa nghĩa: không tự gán mã", "Ethnic name unknown or ambiguous: no code set"},
    {"PD-N019", "Gán mã tôn giáo theo tên", "Religion code set from the name"},
    {"PD-N020", "Tên tôn giáo không nhận dạng được", "Religion name not recognised"},
    {"PD-N021", "Sửa độ chính xác của ngày theo các phần đã biết", "Date precision set to the parts present"},
    {"PD-N022", "Ngày không hợp lệ: giữ nguyên, cần kiểm tra", "Impossible date: left as is, to review"},
    {"PD-N023", "Chuẩn hóa địa chỉ thư điện tử", "E-mail address normalized"},
    {"PD-N024", "Trường quá dài (trên 1 MiB): không chuẩn hóa", "Field too long (over 1 MiB): not normalized"},
    {"PD-N025", "Mã dân tộc không khớp với tên (có thể ghi nhầm danh mục 1979/2008): không tự sửa",
     "Ethnic code does not match the name (perhaps the wrong 1979/2008 list): not changed"},
};

typedef struct nctx {
    pd_findings *out;
    unsigned flags;
    pd_ethnic_list elist;
    long record;
    pd_uuid id;
    char path[512];          /* built on demand from the segments below */
    const char *seg[32];
    long segi[32];
    size_t depth;
    pd_nbuf a, b;
    int rc;
} nctx;

/* the field path is a stack of segments, turned into text only for a finding */
static size_t path_push(nctx *c, const char *name, long index)
{
    size_t old = c->depth;
    if (c->depth < sizeof c->seg / sizeof c->seg[0]) {
        c->seg[c->depth] = name;
        c->segi[c->depth] = index;
        c->depth++;
    }
    return old;
}

static void path_pop(nctx *c, size_t old)
{
    c->depth = old;
}

static const char *path_text(nctx *c)
{
    size_t i, len = 0;
    for (i = 0; i < c->depth; i++) {
        size_t n = strlen(c->seg[i]);
        char *p;
        if (len + n + 26 >= sizeof c->path)
            break;
        p = c->path + len;
        if (len)
            *p++ = '.';
        memcpy(p, c->seg[i], n);
        p += n;
        if (c->segi[i] >= 0) {
            char digits[24];
            int k = 0;
            unsigned long v = (unsigned long)c->segi[i];
            do {
                digits[k++] = (char)('0' + v % 10);
                v /= 10;
            } while (v);
            *p++ = '[';
            while (k)
                *p++ = digits[--k];
            *p++ = ']';
        }
        len = (size_t)(p - c->path);
    }
    c->path[len] = '\0';
    return c->path;
}

static void emit(nctx *c, int rule, pd_severity sev, const char *oldv, const char *newv)
{
    pd_finding f;
    if (c->out == NULL || c->rc)
        return;
    memset(&f, 0, sizeof f);
    f.rule = rules[rule].code;
    f.severity = sev;
    f.path = path_text(c);
    f.message_vi = rules[rule].vi;
    f.message_en = rules[rule].en;
    f.old_value = oldv;
    f.new_value = newv;
    f.record = c->record;
    f.record_id = c->id;
    if (pd_findings_add(c->out, &f) != 0)
        c->rc = PD_ENOMEM;
}

static int set_str(nctx *c, char **field, const char *v, size_t n)
{
    char *s;
    if (c->flags & PD_NORMALIZE_DRY_RUN)
        return 0;
    s = malloc(n + 1);
    if (s == NULL) {
        c->rc = pd_error__oom();
        return -1;
    }
    memcpy(s, v, n);
    s[n] = '\0';
    free(*field);
    *field = s;
    return 0;
}

static int valid_utf8_n(const char *s, size_t n)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s, *e = p + n;
    while (p < e) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k;
        if (*p < 0x80) {
            p++;
            continue;
        }
        k = utf8proc_iterate(p, e - p, &cp);
        if (k < 0)
            return 0;
        p += k;
    }
    return 1;
}

/* returns 1 if usable text (valid, not too long), else reports and returns 0 */
static int text_ok(nctx *c, const char *s, size_t n)
{
    if (n > PD_NORMALIZE_MAX_FIELD) {
        emit(c, N_LONG, PD_SEVERITY_WARNING, NULL, NULL);
        return 0;
    }
    if (!valid_utf8_n(s, n)) {
        emit(c, N_UTF8, PD_SEVERITY_WARNING, NULL, NULL);
        return 0;
    }
    return 1;
}

static void add_alias(nctx *c, PdPb__Member *m, const char *orig);

static void do_text(nctx *c, char **field, int is_name, PdPb__Member *keep_in)
{
    const char *s = *field;
    size_t n;
    unsigned ch = 0;
    int rc;
    if (s == NULL || c->rc)
        return;
    n = strlen(s);
    if (n <= PD_NORMALIZE_MAX_FIELD && clean_fast(s, n) && (!is_name || case_clean(s, n)))
        return; /* nothing to change: the common case */
    if (!text_ok(c, s, n))
        return;
    rc = is_name ? name_clean(&c->a, &c->b, s, n, &ch) : text_clean(&c->a, s, n, &ch);
    if (rc) {
        if (rc == PD_ENOMEM)
            c->rc = rc;
        else
            emit(c, N_UTF8, PD_SEVERITY_WARNING, NULL, NULL);
        return;
    }
    if (c->a.len == n && memcmp(c->a.p, s, n) == 0)
        return;
    if (ch & CH_NFC)
        emit(c, N_NFC, PD_SEVERITY_INFO, s, c->a.p);
    if (ch & CH_SPACE)
        emit(c, N_SPACE, PD_SEVERITY_INFO, s, c->a.p);
    if (ch & CH_LOOKALIKE)
        emit(c, N_LOOK, PD_SEVERITY_INFO, s, c->a.p);
    if (ch & CH_APOS)
        emit(c, N_APOS, PD_SEVERITY_INFO, s, c->a.p);
    if (ch & CH_CONTROL)
        emit(c, N_CTRL, PD_SEVERITY_INFO, s, c->a.p);
    if (ch & CH_CASE)
        emit(c, N_CASE, PD_SEVERITY_INFO, s, c->a.p);
    if (!(ch & (CH_NFC | CH_SPACE | CH_LOOKALIKE | CH_APOS | CH_CONTROL | CH_CASE)))
        emit(c, N_SPACE, PD_SEVERITY_INFO, s, c->a.p);
    if (keep_in && (c->flags & PD_NORMALIZE_KEEP_ORIGINAL) && !(c->flags & PD_NORMALIZE_DRY_RUN))
        add_alias(c, keep_in, s);
    set_str(c, field, c->a.p, c->a.len);
}

static void add_alias(nctx *c, PdPb__Member *m, const char *orig)
{
    size_t i;
    char **na, *dup;
    for (i = 0; i < m->n_aliases; i++)
        if (m->aliases[i] && strcmp(m->aliases[i], orig) == 0)
            return;
    dup = pd__strdup(orig);
    if (dup == NULL) {
        c->rc = PD_ENOMEM;
        return;
    }
    na = realloc(m->aliases, (m->n_aliases + 1) * sizeof *na);
    if (na == NULL) {
        free(dup);
        c->rc = pd_error__oom();
        return;
    }
    na[m->n_aliases++] = dup;
    m->aliases = na;
}

static void do_phone(nctx *c, char **field)
{
    char buf[16];
    const char *s = *field;
    if (s == NULL || c->rc)
        return;
    if (!text_ok(c, s, strlen(s)))
        return;
    if (phone_norm(buf, s) != 0) {
        emit(c, N_PHONE_BAD, PD_SEVERITY_WARNING, s, NULL);
        return;
    }
    if (strcmp(buf, s) == 0)
        return;
    emit(c, N_PHONE, PD_SEVERITY_INFO, s, buf);
    set_str(c, field, buf, strlen(buf));
}

static void do_email(nctx *c, char **field)
{
    const char *s = *field, *at;
    size_t n, i, st = 0;
    if (s == NULL || c->rc)
        return;
    n = strlen(s);
    if (!text_ok(c, s, n))
        return;
    while (st < n && (s[st] == ' ' || s[st] == '\t'))
        st++;
    while (n > st && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    c->a.len = 0;
    if (pd_normalize__nbuf_put(&c->a, s + st, n - st) != 0) {
        c->rc = PD_ENOMEM;
        return;
    }
    at = strrchr(c->a.p, '@');
    if (at)
        for (i = (size_t)(at - c->a.p); i < c->a.len; i++)
            if (c->a.p[i] >= 'A' && c->a.p[i] <= 'Z')
                c->a.p[i] = (char)(c->a.p[i] - 'A' + 'a');
    if (strcmp(c->a.p, s) == 0)
        return;
    emit(c, N_EMAIL, PD_SEVERITY_INFO, s, c->a.p);
    set_str(c, field, c->a.p, c->a.len);
}

static const char *id_type_name(int t)
{
    static const char *const n[] = {"ID_TYPE_UNSPECIFIED", "ID_TYPE_CCCD", "ID_TYPE_CMND9", "ID_TYPE_CMND12",
                                    "ID_TYPE_PASSPORT", "ID_TYPE_OTHER"};
    return t >= 0 && t <= 5 ? n[t] : "?";
}

static void do_id(nctx *c, PdPb__IdNumber *id)
{
    pd_id_norm r;
    int stated = id->has_type ? (int)id->type : 0, rc;
    size_t old;
    if (id->number == NULL || c->rc)
        return;
    old = path_push(c, "number", -1);
    if (!text_ok(c, id->number, strlen(id->number))) {
        path_pop(c, old);
        return;
    }
    rc = pd_normalize_id_number(&r, id->number, (pd_id_type)stated);
    if (rc != 0) {
        if (r.suggestion[0])
            emit(c, N_ID_ZEROS, PD_SEVERITY_WARNING, id->number, r.suggestion);
        else
            emit(c, N_ID_BAD, PD_SEVERITY_WARNING, id->number, NULL);
        path_pop(c, old);
        return;
    }
    if (strcmp(r.number, id->number) != 0) {
        emit(c, N_ID, PD_SEVERITY_INFO, id->number, r.number);
        set_str(c, &id->number, r.number, strlen(r.number));
    }
    path_pop(c, old);
    if (stated == 0 && r.type != PD_ID_UNSPECIFIED) {
        old = path_push(c, "type", -1);
        emit(c, N_ID_TYPE, PD_SEVERITY_INFO, id->has_type ? id_type_name(0) : NULL, id_type_name(r.type));
        if (!(c->flags & PD_NORMALIZE_DRY_RUN)) {
            id->has_type = 1;
            id->type = (PdPb__IdType)r.type;
        }
        path_pop(c, old);
    }
}

static void set_code(nctx *c, char **field, const char *name, const char *v)
{
    size_t old;
    if (v == NULL || v[0] == '\0')
        return;
    old = path_push(c, name, -1);
    emit(c, N_PLACE, PD_SEVERITY_INFO, NULL, v);
    set_str(c, field, v, strlen(v));
    path_pop(c, old);
}

static void replace_code(nctx *c, char **field, const char *name, const char *v)
{
    size_t old = path_push(c, name, -1);
    emit(c, N_PLACE_OLD, PD_SEVERITY_INFO, *field, v[0] ? v : NULL);
    if (v[0])
        set_str(c, field, v, strlen(v));
    else if (!(c->flags & PD_NORMALIZE_DRY_RUN)) {
        free(*field);
        *field = NULL;
    }
    path_pop(c, old);
}

/* PD_NORMALIZE_CONVERT_CODES: pre-2025 codes → their 2025 successors (whole units only) */
static void convert_codes(nctx *c, PdPb__Address *a)
{
    const pd_conversion *cv;
    const pd_province *p;
    size_t n, old;
    int pre = a->has_admin_version && a->admin_version == PD_PB__ADMIN_VERSION__ADMIN_VERSION_PRE2025;
    if (!pre)
        return;
    if (a->commune_code && a->commune_code[0]) {
        if (pd_refdata_commune_successors(&cv, &n, a->commune_code) != 0)
            return; /* unknown code: the validator's business */
        if (n != 1 || cv[0].partial) {
            old = path_push(c, "commune_code", -1);
            emit(c, N_PLACE_SPLIT, PD_SEVERITY_WARNING, a->commune_code, NULL);
            path_pop(c, old);
            return;
        }
        replace_code(c, &a->commune_code, "commune_code", cv[0].new_code);
        if (!a->province_code || strcmp(a->province_code, cv[0].new_province_code) != 0)
            replace_code(c, &a->province_code, "province_code", cv[0].new_province_code);
    } else if (a->province_code && a->province_code[0]) {
        if (pd_refdata_province(&p, PD_ADMIN_GEN_PRE2025, a->province_code) != 0)
            return;
        if (strcmp(p->successor_code, a->province_code) != 0)
            replace_code(c, &a->province_code, "province_code", p->successor_code);
    } else {
        return;
    }
    if (a->district_code && a->district_code[0])
        replace_code(c, &a->district_code, "district_code", "");
    old = path_push(c, "admin_version", -1);
    emit(c, N_PLACE_OLD, PD_SEVERITY_INFO, "ADMIN_VERSION_PRE2025", "ADMIN_VERSION_2025");
    if (!(c->flags & PD_NORMALIZE_DRY_RUN))
        a->admin_version = PD_PB__ADMIN_VERSION__ADMIN_VERSION_2025;
    path_pop(c, old);
}

static void do_address(nctx *c, PdPb__Address *a)
{
    pd_place_match m;
    size_t old;
    if (c->rc || (c->flags & PD_NORMALIZE_NO_PLACES))
        return;
    if ((c->flags & PD_NORMALIZE_CONVERT_CODES) && !(c->flags & PD_NORMALIZE_PLACES_PRE2025))
        convert_codes(c, a);
    if (a->text == NULL || a->text[0] == '\0')
        return;
    if ((a->province_code && a->province_code[0]) || (a->commune_code && a->commune_code[0]))
        return;
    if (a->country && a->country[0] && strcmp(a->country, "VN") != 0)
        return;
    if (!valid_utf8_n(a->text, strlen(a->text)) || strlen(a->text) > 4096)
        return;
    if (pd_normalize_place(&m, a->text, !(c->flags & PD_NORMALIZE_PLACES_PRE2025)) != 0) {
        if (pd_error_last()->code == PD_ENOMEM)
            c->rc = PD_ENOMEM;
        return;
    }
    set_code(c, &a->province_code, "province_code", m.province_code);
    set_code(c, &a->district_code, "district_code", m.district_code);
    set_code(c, &a->commune_code, "commune_code", m.commune_code);
    if (!a->has_admin_version || a->admin_version == 0) {
        old = path_push(c, "admin_version", -1);
        emit(c, N_PLACE, PD_SEVERITY_INFO, NULL,
             m.gen == PD_ADMIN_GEN_2025 ? "ADMIN_VERSION_2025" : "ADMIN_VERSION_PRE2025");
        if (!(c->flags & PD_NORMALIZE_DRY_RUN)) {
            a->has_admin_version = 1;
            a->admin_version = (PdPb__AdminVersion)m.gen;
        }
        path_pop(c, old);
    }
    if (m.converted)
        emit(c, N_PLACE_OLD, PD_SEVERITY_INFO, a->text, NULL);
    if (m.split || m.ambiguous)
        emit(c, N_PLACE_SPLIT, PD_SEVERITY_WARNING, a->text, NULL);
}

/* code and name both given: report (never fix) a code that designates another group */
static void check_ethnicity(nctx *c, PdPb__Ethnicity *e)
{
    const pd_ethnic_group *h, *g;
    pd_ethnic_list list = (pd_ethnic_list)e->list, other;
    size_t old;
    if (!e->has_list || (list != PD_ETHNIC_LIST_1979 && list != PD_ETHNIC_LIST_2008))
        return;
    if (pd_refdata_ethnic_by_code(&h, list, e->code) != 0)
        return; /* unknown code: the validator's business */
    if (strcmp(h->name, e->name) == 0 || strcmp(h->name_1979, e->name) == 0)
        return; /* the common case, no look-up */
    if (!valid_utf8_n(e->name, strlen(e->name)) || strlen(e->name) > 4096 ||
        pd_refdata_ethnic_by_name(&g, e->name) != 0 || g == h)
        return; /* unknown or ambiguous names are not evidence */
    other = list == PD_ETHNIC_LIST_1979 ? PD_ETHNIC_LIST_2008 : PD_ETHNIC_LIST_1979;
    old = path_push(c, "list", -1);
    emit(c, N_ETH_MISMATCH, PD_SEVERITY_WARNING, list == PD_ETHNIC_LIST_1979 ? "ETHNIC_LIST_1979" : "ETHNIC_LIST_2008",
         strcmp(pd_refdata_ethnic_code(g, other), e->code) == 0
             ? (other == PD_ETHNIC_LIST_1979 ? "ETHNIC_LIST_1979" : "ETHNIC_LIST_2008")
             : NULL);
    path_pop(c, old);
}

static void do_ethnicity(nctx *c, PdPb__Ethnicity *e)
{
    const pd_ethnic_group *g;
    pd_ethnic_list list;
    const char *code;
    size_t old;
    if (c->rc || e->name == NULL || e->name[0] == '\0')
        return;
    if (e->code && e->code[0]) {
        check_ethnicity(c, e);
        return;
    }
    if (!valid_utf8_n(e->name, strlen(e->name)) || strlen(e->name) > 4096)
        return;
    list = (e->has_list && e->list) ? (pd_ethnic_list)e->list : c->elist;
    old = path_push(c, "code", -1);
    if (pd_refdata_ethnic_by_name(&g, e->name) != 0) {
        if (pd_error_last()->code == PD_ENOMEM)
            c->rc = PD_ENOMEM;
        else
            emit(c, N_ETH_BAD, PD_SEVERITY_WARNING, e->name, NULL);
        path_pop(c, old);
        return;
    }
    code = pd_refdata_ethnic_code(g, list);
    emit(c, N_ETH, PD_SEVERITY_INFO, NULL, code);
    set_str(c, &e->code, code, strlen(code));
    path_pop(c, old);
    if (!(e->has_list && e->list)) {
        old = path_push(c, "list", -1);
        emit(c, N_ETH, PD_SEVERITY_INFO, NULL, list == PD_ETHNIC_LIST_1979 ? "ETHNIC_LIST_1979" : "ETHNIC_LIST_2008");
        if (!(c->flags & PD_NORMALIZE_DRY_RUN)) {
            e->has_list = 1;
            e->list = (PdPb__EthnicList)list;
        }
        path_pop(c, old);
    }
}

static void do_religion(nctx *c, PdPb__Religion *r)
{
    const pd_religion *rel;
    size_t old;
    if (c->rc || r->name == NULL || r->name[0] == '\0' || (r->code && r->code[0]))
        return;
    if (!valid_utf8_n(r->name, strlen(r->name)) || strlen(r->name) > 4096)
        return;
    old = path_push(c, "code", -1);
    if (pd_refdata_religion_by_name(&rel, r->name) != 0) {
        if (pd_error_last()->code == PD_ENOMEM)
            c->rc = PD_ENOMEM;
        else
            emit(c, N_REL_BAD, PD_SEVERITY_WARNING, r->name, NULL);
    } else {
        emit(c, N_REL, PD_SEVERITY_INFO, NULL, rel->code);
        set_str(c, &r->code, rel->code, strlen(rel->code));
    }
    path_pop(c, old);
}

static void do_date(nctx *c, PdPb__Date *d)
{
    pd_date v;
    int want;
    static const char *const pn[] = {"DATE_PRECISION_UNSPECIFIED", "DATE_PRECISION_YEAR",
                                     "DATE_PRECISION_MONTH", "DATE_PRECISION_DAY"};
    v.year = d->has_year ? d->year : 0;
    v.month = d->has_month ? d->month : 0;
    v.day = d->has_day ? d->day : 0;
    if (v.year == 0 && v.month == 0 && v.day == 0)
        return;
    if (!pd_normalize_date_valid(&v)) {
        char buf[48];
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", v.year, v.month, v.day);
        emit(c, N_DATE_BAD, PD_SEVERITY_WARNING, buf, NULL);
        return;
    }
    want = v.day ? 3 : v.month ? 2 : 1;
    if (d->has_precision && d->precision != 0 && (int)d->precision != want) {
        size_t old = path_push(c, "precision", -1);
        emit(c, N_DATE_PREC, PD_SEVERITY_INFO, (int)d->precision >= 0 && (int)d->precision <= 3 ? pn[d->precision] : "?",
             pn[want]);
        if (!(c->flags & PD_NORMALIZE_DRY_RUN))
            d->precision = (PdPb__DatePrecision)want;
        path_pop(c, old);
    }
}

/* free-text fields kept exactly as entered (multi-line notes) or handled elsewhere */
static int skip_text(const char *name)
{
    switch (name[0]) {
    case 'h': return strcmp(name, "history_notes") == 0;
    case 'n': return strcmp(name, "note") == 0 || strcmp(name, "number") == 0;
    case 'r': return strcmp(name, "reason") == 0;
    case 'p': return strcmp(name, "political_notes") == 0 || strcmp(name, "province_code") == 0;
    case 't': return strcmp(name, "text") == 0;
    case 'd': return strcmp(name, "district_code") == 0;
    case 'c': return strcmp(name, "commune_code") == 0 || strcmp(name, "country") == 0 ||
                     strcmp(name, "code") == 0;
    default: return 0;
    }
}

static int is_name_field(const char *name)
{
    switch (name[0]) {
    case 'f': return strcmp(name, "full_name") == 0;
    case 'b': return strcmp(name, "birth_name") == 0;
    case 'a': return strcmp(name, "aliases") == 0;
    case 'i': return strcmp(name, "introducer_names") == 0;
    default: return 0;
    }
}

/* ---- field plans: per message type, the fields the walk visits and how ---------- */

enum { FK_TEXT = 1, FK_NAME, FK_FULL_NAME, FK_PHONE, FK_EMAIL, FK_MSG };

struct fplan;

typedef struct fplan_field {
    const ProtobufCFieldDescriptor *f;
    unsigned char kind;
    const struct fplan *sub; /* FK_MSG: the plan of the field's message type (NULL: none) */
} fplan_field;

typedef struct fplan {
    const ProtobufCMessageDescriptor *d;
    fplan_field fields[64];
    unsigned n;
} fplan;

static fplan plans[32];
static unsigned nplans;
static pthread_once_t plans_once = PTHREAD_ONCE_INIT;

static void plan_build(const ProtobufCMessageDescriptor *d)
{
    fplan *pl;
    unsigned i;
    for (i = 0; i < nplans; i++)
        if (plans[i].d == d)
            return;
    if (nplans == sizeof plans / sizeof plans[0] || d == &pd__pb__date__descriptor)
        return;
    pl = &plans[nplans++];
    pl->d = d;
    pl->n = 0;
    for (i = 0; i < d->n_fields && pl->n < 64; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        unsigned char k = 0;
        if (f->type == PROTOBUF_C_TYPE_STRING) {
            if (skip_text(f->name))
                continue;
            if (d == &pd__pb__contacts__descriptor && strcmp(f->name, "phones") == 0)
                k = FK_PHONE;
            else if (d == &pd__pb__contacts__descriptor && strcmp(f->name, "emails") == 0)
                k = FK_EMAIL;
            else if (d == &pd__pb__member__descriptor && strcmp(f->name, "full_name") == 0)
                k = FK_FULL_NAME;
            else
                k = is_name_field(f->name) ? FK_NAME : FK_TEXT;
        } else if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
            k = FK_MSG;
        } else {
            continue;
        }
        pl->fields[pl->n].f = f;
        pl->fields[pl->n].kind = k;
        pl->n++;
    }
    for (i = 0; i < d->n_fields; i++)
        if (d->fields[i].type == PROTOBUF_C_TYPE_MESSAGE)
            plan_build((const ProtobufCMessageDescriptor *)d->fields[i].descriptor);
}

static const fplan *plan_of(const ProtobufCMessageDescriptor *d)
{
    unsigned i;
    for (i = 0; i < nplans; i++)
        if (plans[i].d == d)
            return &plans[i];
    return NULL;
}

static void plans_init(void)
{
    unsigned i, j;
    plan_build(&pd__pb__member__descriptor);
    plan_build(&pd__pb__organization__descriptor);
    plan_build(&pd__pb__membership__descriptor);
    plan_build(&pd__pb__event__descriptor);
    plan_build(&pd__pb__residence_link__descriptor);
    /* link each message field to its type's plan: the walk needs no search */
    for (i = 0; i < nplans; i++)
        for (j = 0; j < plans[i].n; j++)
            plans[i].fields[j].sub =
                plans[i].fields[j].kind == FK_MSG
                    ? plan_of((const ProtobufCMessageDescriptor *)plans[i].fields[j].f->descriptor)
                    : NULL;
}

static void walk_pl(nctx *c, ProtobufCMessage *msg, const fplan *pl, PdPb__Member *member);

/* `hint`: the plan the field's type has (used when it matches the message) */
static void walk_sub(nctx *c, ProtobufCMessage *sub, const fplan *hint, PdPb__Member *member)
{
    const ProtobufCMessageDescriptor *d = sub->descriptor;
    if (d == &pd__pb__date__descriptor)
        do_date(c, (PdPb__Date *)sub);
    else {
        walk_pl(c, sub, hint && hint->d == d ? hint : plan_of(d), member);
        if (d == &pd__pb__address__descriptor)
            do_address(c, (PdPb__Address *)sub);
        else if (d == &pd__pb__ethnicity__descriptor)
            do_ethnicity(c, (PdPb__Ethnicity *)sub);
        else if (d == &pd__pb__religion__descriptor)
            do_religion(c, (PdPb__Religion *)sub);
        else if (d == &pd__pb__id_number__descriptor)
            do_id(c, (PdPb__IdNumber *)sub);
    }
}

static void walk_pl(nctx *c, ProtobufCMessage *msg, const fplan *pl, PdPb__Member *member)
{
    unsigned i;
    char *base = (char *)msg;
    if (pl == NULL)
        return;
    for (i = 0; i < pl->n && c->rc == 0; i++) {
        const ProtobufCFieldDescriptor *f = pl->fields[i].f;
        unsigned char k = pl->fields[i].kind;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(size_t *)(base + f->quantifier_offset), j;
            if (n == 0)
                continue;
            if (k == FK_MSG) {
                ProtobufCMessage **arr = *(ProtobufCMessage ***)(base + f->offset);
                for (j = 0; j < n && c->rc == 0; j++) {
                    size_t old;
                    if (arr[j] == NULL)
                        continue;
                    old = path_push(c, f->name, (long)j);
                    walk_sub(c, arr[j], pl->fields[i].sub, member);
                    path_pop(c, old);
                }
            } else {
                char **arr = *(char ***)(base + f->offset);
                if (member && (c->flags & PD_NORMALIZE_KEEP_ORIGINAL) && (void *)msg == (void *)member &&
                    strcmp(f->name, "aliases") == 0)
                    continue; /* the originals kept there stay as entered */
                for (j = 0; j < n && c->rc == 0; j++) {
                    size_t old = path_push(c, f->name, (long)j);
                    if (k == FK_PHONE)
                        do_phone(c, &arr[j]);
                    else if (k == FK_EMAIL)
                        do_email(c, &arr[j]);
                    else
                        do_text(c, &arr[j], k == FK_NAME || k == FK_FULL_NAME, NULL);
                    path_pop(c, old);
                }
            }
        } else if (k == FK_MSG) {
            ProtobufCMessage *sub = *(ProtobufCMessage **)(base + f->offset);
            size_t old;
            if (sub == NULL)
                continue;
            old = path_push(c, f->name, -1);
            walk_sub(c, sub, pl->fields[i].sub, member);
            path_pop(c, old);
        } else {
            char **pp = (char **)(base + f->offset);
            size_t old;
            if (*pp == NULL || (f->default_value && *pp == (char *)f->default_value))
                continue;
            old = path_push(c, f->name, -1);
            do_text(c, pp, k != FK_TEXT, k == FK_FULL_NAME ? member : NULL);
            path_pop(c, old);
        }
    }
}

int pd_normalize_record(pd_record *r, pd_findings *changes, const pd_normalize_options *opts)
{
    nctx c;
    ProtobufCMessage *msg = (ProtobufCMessage *)r;
    if (r == NULL)
        return pd_error__set(PD_EINVALID, "record is NULL");
    if (opts && opts->version != PD_NORMALIZE_OPTIONS_VERSION)
        return pd_error__set(PD_EINVALID, "unknown pd_normalize_options version %u", opts->version);
    memset(&c.id, 0, sizeof c.id);
    c.out = changes;
    c.flags = opts ? opts->flags : 0;
    c.elist = opts && opts->ethnic_list ? opts->ethnic_list : PD_ETHNIC_LIST_2008;
    c.record = opts ? opts->record : 0;
    c.path[0] = '\0';
    c.depth = 0;
    c.rc = 0;
    (void)pd_record_id(&c.id, r);
    pthread_once(&plans_once, plans_init);
    pd_normalize__nbuf_init(&c.a);
    pd_normalize__nbuf_init(&c.b);
    walk_pl(&c, msg, plan_of(msg->descriptor),
            msg->descriptor == &pd__pb__member__descriptor ? (PdPb__Member *)msg : NULL);
    pd_normalize__nbuf_free(&c.a);
    pd_normalize__nbuf_free(&c.b);
    return c.rc;
}
