/*
 * refdata_int.h: what refdata.c, normalize.c and the generated refdata_tables.c share.
 * Not API.
 */
#ifndef PD_REFDATA_INT_H
#define PD_REFDATA_INT_H

#include <stddef.h>

#include "partydata/common.h"
#include "partydata/record.h"
#include "partydata/refdata.h"

/* ---- generated tables (refdata_tables.c) ---------------------------------------- */

typedef struct pd_refdata__cccd_digit {
    int digit;
    char gender; /* 'M' / 'F' */
    int year_from;
    int year_to;
} pd_refdata__cccd_digit;

typedef struct pd_refdata__unit_alias {
    char level; /* 'p' province, 'c' commune */
    pd_admin_gen gen;
    const char *code;
    const char *alias;
    const char *defect;
} pd_refdata__unit_alias;

extern const pd_province pd_refdata__prov_2025[];
extern const size_t pd_refdata__prov_2025_n;
extern const pd_province pd_refdata__prov_pre[];
extern const size_t pd_refdata__prov_pre_n;
extern const pd_commune pd_refdata__comm_2025[];
extern const size_t pd_refdata__comm_2025_n;
extern const pd_commune pd_refdata__comm_pre[];
extern const size_t pd_refdata__comm_pre_n;
extern const pd_conversion pd_refdata__conv[];
extern const size_t pd_refdata__conv_n;
extern const pd_admin_change pd_refdata__changes[];
extern const size_t pd_refdata__changes_n;
extern const pd_ethnic_group pd_refdata__ethnic[];
extern const size_t pd_refdata__ethnic_n;
extern const pd_religion pd_refdata__religions[];
extern const size_t pd_refdata__religions_n;
extern const pd_refdata__cccd_digit pd_refdata__cccd_digits[];
extern const size_t pd_refdata__cccd_digits_n;
extern const pd_name_stat pd_refdata__surnames[];
extern const size_t pd_refdata__surnames_n;
extern const pd_name_stat pd_refdata__middle[];
extern const size_t pd_refdata__middle_n;
extern const pd_name_stat pd_refdata__given[];
extern const size_t pd_refdata__given_n;
extern const pd_refdata__unit_alias pd_refdata__unit_aliases[];
extern const size_t pd_refdata__unit_aliases_n;

/* ---- keys (normalize.c) ------------------------------------------------------------ */

/* A growable byte buffer with inline storage: no malloc for short strings. */
typedef struct pd_nbuf {
    char *p;      /* data, NUL-terminated; points at `small` or at heap memory */
    size_t len;
    size_t cap;
    char small[256];
} pd_nbuf;

void pd_normalize__nbuf_init(pd_nbuf *b);
void pd_normalize__nbuf_free(pd_nbuf *b);
int pd_normalize__nbuf_reserve(pd_nbuf *b, size_t extra); /* 0 or PD_ENOMEM */
int pd_normalize__nbuf_put(pd_nbuf *b, const char *s, size_t n);
int pd_normalize__nbuf_putcp(pd_nbuf *b, int32_t cp);
char *pd_normalize__nbuf_steal(pd_nbuf *b); /* malloc'ed copy (or the heap buffer); NULL + error on OOM */

#define PD_KEY_TONE 1    /* tone-placement-independent key */
#define PD_KEY_FOLD 2    /* no diacritics, single spaces */
#define PD_KEY_COMPACT 3 /* fold without any separator */

/* Key of s[0..len) into b (replaces its content). Roman numerals written in capitals
 * ("IV") become digits when roman != 0 (administrative names: defect A9).
 * @return 0, PD_EINVALID (invalid UTF-8), PD_ENOMEM */
int pd_normalize__key(pd_nbuf *b, const char *s, size_t len, int mode, int roman);

/* Internal commune search: every candidate (valid ones first), up to max. */
size_t pd_refdata__commune_candidates(const pd_commune **buf, size_t max, pd_admin_gen gen,
                                      const char *province_code, const char *name);

#endif
