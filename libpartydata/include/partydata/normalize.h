/*
 * normalize.h: cleaning of what people type, lossless and idempotent
 * (normalize(normalize(x)) == normalize(x)), with every change to a record reported
 * as a finding (rule PD-N0xx, field path, old value, new value).
 *
 * String helpers return a new string the caller frees with pd_free(); *out is NULL
 * after a failure. Input that is not valid UTF-8 gives PD_EINVALID (never a crash,
 * never a silent repair). Tone marks: see docs/tone-marks.md — stored text keeps the
 * placement as entered ("hoà" stays "hoà"); matching uses pd_normalize_tone_key().
 */
#ifndef PARTYDATA_NORMALIZE_H
#define PARTYDATA_NORMALIZE_H

#include "common.h"
#include "record.h"
#include "finding.h"
#include "refdata.h"

PD_BEGIN_DECL

/* ---- strings -------------------------------------------------------------------- */

/**
 * Clean text: Unicode NFC; look-alike letters (Ð U+00D0, Ɖ U+0189 → Đ U+0110; ð U+00F0,
 * ɖ U+0256 → đ U+0111); apostrophes ’ ‘ ʼ ′ ` ´ → '; NBSP and other Unicode spaces, tabs,
 * newlines → space; control characters removed; runs of spaces collapsed; trimmed.
 * Tone-mark placement and letter case are kept.
 * @param[out] out  free with pd_free()
 * @return 0; PD_EINVALID (NULL or invalid UTF-8); PD_ENOMEM
 */
PD_EXTERN(int) pd_normalize_text(char **out, const char *s);

/**
 * Matching/blocking key: lower case, no diacritics at all, đ → d, every run of
 * non-alphanumeric characters (spaces, apostrophes, hyphens, dots) → one space, trimmed.
 * "  NGUYỄN  Văn-Ân " → "nguyen van an".
 * @return 0; PD_EINVALID; PD_ENOMEM
 */
PD_EXTERN(int) pd_normalize_fold(char **out, const char *s);

/**
 * Tone-placement-independent key (MANIFEST convention): NFC, lower case, Ð/Đ → đ,
 * split into syllables on spaces, apostrophes and hyphens; in each syllable the five
 * tone marks are removed and the tone appended as a digit (ngang none, huyền 2,
 * sắc 1, hỏi 3, ngã 4, nặng 5 — a syllable without tone has no digit); vowel marks
 * (ă â ê ô ơ ư) and đ are kept; syllables joined by one space.
 * "Hòa", "Hoà", "HOÀ" and their NFD forms → "hoa2"; "Thủy"/"Thuỷ" → "thuy3".
 * @return 0; PD_EINVALID; PD_ENOMEM
 */
PD_EXTERN(int) pd_normalize_tone_key(char **out, const char *s);

/**
 * Vietnamese name case: pd_normalize_text() then each word (and each part after a
 * hyphen, and after an apostrophe that follows a single letter: "H'Mông") starts with
 * a capital, the rest lower case. "NGUYỄN văn  an" → "Nguyễn Văn An".
 * @return 0; PD_EINVALID; PD_ENOMEM
 */
PD_EXTERN(int) pd_normalize_name_case(char **out, const char *s);

/** A full name split into its parts (each a separate string owned by the struct). */
typedef struct pd_name_parts {
    char *family; /**< "" if none */
    char *middle; /**< all middle syllables, space-separated; "" if none */
    char *given;  /**< last syllable; "" only for an empty name */
} pd_name_parts;

/**
 * Split a full name (after pd_normalize_text) into family, middle and given names.
 * One word: given only. Two: family + given. More: family = first word, or the first
 * two for the known compound surnames (Tôn Thất, Tôn Nữ, Âu Dương, Nguyễn Phúc,
 * Hoàng Phủ, Công Tôn, Tư Mã, Gia Cát), given = last. A heuristic: check the parts.
 * @param[out] out  release with pd_name_parts_dispose()
 * @return 0; PD_EINVALID; PD_ENOMEM
 */
PD_EXTERN(int) pd_normalize_split_name(pd_name_parts *out, const char *full_name);

/** Free the strings of a pd_name_parts and zero it. NULL is a no-op. */
PD_EXTERN(void) pd_name_parts_dispose(pd_name_parts *p);

/* ---- dates ----------------------------------------------------------------------- */

/** Default pivot for two-digit years: yy < 30 → 20yy, yy >= 30 → 19yy. */
#define PD_NORMALIZE_YEAR_PIVOT 30

/**
 * Parse a date as people type it: "dd/mm/yyyy", "d/m/yyyy", "d-m-yy", "d.m.yyyy",
 * "mm/yyyy", "m-yyyy", "yyyy", ISO "yyyy-mm-dd" and "yyyy-mm", and the written forms
 * "ngày 5 tháng 3 năm 1980", "tháng 3 năm 1980", "năm 1980" (with or without accents);
 * surrounding spaces ignored. Two-digit years use PD_NORMALIZE_YEAR_PIVOT. Partial dates keep their
 * precision (0 = unknown): a day is never invented.
 * @return 0; PD_EPARSE if not a date form; PD_EINVALID for an impossible date
 *         ("31/02/2020", "0000", month 13) — never a guess; out is zeroed on failure
 */
PD_EXTERN(int) pd_normalize_date_parse(pd_date *out, const char *s);

/** The same with an explicit pivot (0..100): yy < pivot → 2000+yy, else 1900+yy. */
PD_EXTERN(int) pd_normalize_date_parse_pivot(pd_date *out, const char *s, int pivot);

/**
 * @return 1 if d is a valid (possibly partial) date: year 1..9999, month 0..12,
 *         day 0..days-in-month (Gregorian), day only with a month; else 0
 */
PD_EXTERN(int) pd_normalize_date_valid(const pd_date *d);

/* ---- phones and identity numbers --------------------------------------------------- */

/**
 * Vietnamese phone number to national form: spaces, dots, dashes and brackets
 * stripped; "+84"/"0084"/"84" → "0"; old 11-digit mobile prefixes (0162…0169, 0120…,
 * 0186, 0188, 0199: domain.md §5) → the 10-digit numbers; a 9-digit mobile that lost
 * its leading 0 gets it back. Landlines (02x…, 11 digits) are kept.
 * @param[out] out  free with pd_free()
 * @return 0; PD_EINVALID if it is not a Vietnamese phone number (or invalid UTF-8);
 *         PD_ENOMEM
 */
PD_EXTERN(int) pd_normalize_phone(char **out, const char *s);

/** Identity document types; values equal the schema's IdType. */
typedef enum pd_id_type {
    PD_ID_UNSPECIFIED = 0,
    PD_ID_CCCD = 1,
    PD_ID_CMND9 = 2,
    PD_ID_CMND12 = 3,
    PD_ID_PASSPORT = 4,
    PD_ID_OTHER = 5
} pd_id_type;

/** Result of pd_normalize_id_number (fixed buffers: no allocation). */
typedef struct pd_id_norm {
    char number[24];     /**< the number with spaces, dots and dashes removed */
    pd_id_type type;     /**< stated type kept when consistent; else deduced (9 → CMND9, 12 → CCCD) */
    char suggestion[24]; /**< 10–11 digits: the zero-padded 12-digit value to review; else "" */
} pd_id_norm;

/**
 * Clean a CCCD/CMND number. A 9-digit number is a CMND9; 12 digits keep the stated
 * type (CCCD or CMND12; CCCD when unstated); 10–11 digits are probably a CCCD that
 * lost its leading zeros: `number` stays as given (never padded silently) and
 * `suggestion` holds the padded value; the call returns PD_EINVALID.
 * Passports and other types: only trimmed and upper-cased, never rejected.
 * @return 0; PD_EINVALID (wrong length, non-digits, invalid UTF-8, too long: out->number
 *         then holds what could be cleaned, possibly truncated)
 */
PD_EXTERN(int) pd_normalize_id_number(pd_id_norm *out, const char *s, pd_id_type stated);

/* ---- codes ---------------------------------------------------------------------------- */

/** Result of pd_normalize_place. Codes are "" when unknown. */
typedef struct pd_place_match {
    char province_code[4];
    char district_code[4];   /**< pre-2025 only */
    char commune_code[8];
    pd_admin_gen gen;        /**< generation of the codes given */
    int converted;           /**< 1 if found under a pre-2025 name and mapped to 2025 codes */
    int split;               /**< 1 if the old commune was split: commune_code left "" */
    int ambiguous;           /**< 1 if a part matched several units: that part left "" */
} pd_place_match;

/**
 * Place text ("Xã Tân Phú, Huyện Châu Thành, Tỉnh Bến Tre", "Phường Ba Đình, Hà Nội",
 * "Thanh Hóa") → administrative codes. The last comma-separated part is the province,
 * the first the commune (when there are two or more parts). Names are tried in the
 * 2025 list, then the pre-2025 list; pre-2025 matches are mapped through the 2025
 * conversion (to_2025 != 0) or kept as pre-2025 codes (to_2025 == 0).
 * @return 0 (at least the province found); PD_ENOTFOUND; PD_EINVALID
 */
PD_EXTERN(int) pd_normalize_place(pd_place_match *out, const char *text, int to_2025);

/* ---- records --------------------------------------------------------------------------- */

#define PD_NORMALIZE_DRY_RUN 1u       /**< report the changes without making them */
#define PD_NORMALIZE_KEEP_ORIGINAL 2u /**< also keep a changed full_name in `aliases` (aliases are then not normalized) */
#define PD_NORMALIZE_NO_PLACES 4u     /**< skip address → code resolution */
#define PD_NORMALIZE_PLACES_PRE2025 8u /**< keep pre-2025 codes instead of converting */
#define PD_NORMALIZE_CONVERT_CODES 16u /**< also convert addresses already coded pre-2025 to their
                                            2025 successors (whole units only; PD-N015/N016) */

typedef struct pd_normalize_options {
    unsigned int version;      /**< PD_NORMALIZE_OPTIONS_VERSION */
    unsigned int flags;        /**< PD_NORMALIZE_* */
    pd_ethnic_list ethnic_list; /**< list for codes set from names; 0 = 2008 */
    long record;               /**< record index stamped on findings (0 = unknown) */
} pd_normalize_options;
#define PD_NORMALIZE_OPTIONS_VERSION 1
#define PD_NORMALIZE_OPTIONS_INIT { PD_NORMALIZE_OPTIONS_VERSION, 0, PD_ETHNIC_LIST_UNSPECIFIED, 0 }

/** Fill opts with defaults. @return 0 or PD_EINVALID for an unknown version */
PD_EXTERN(int) pd_normalize_options_init(pd_normalize_options *opts, unsigned int version);

/**
 * Normalize a record in place (member: names, aliases, introducer names, family names,
 * addresses → codes, id numbers, phones, emails (trim/lower), ethnicity, religion,
 * every date; other kinds: their strings and dates) and append one finding per change
 * to `changes` (severity info, old_value/new_value set, record_id and options->record
 * stamped), and a warning finding for what cannot be fixed safely (invalid UTF-8,
 * impossible dates, lost CCCD zeros, ambiguous ethnic names ...). Rule codes:
 * PD-N001 NFC, PD-N002 spaces, PD-N003 look-alike letters, PD-N004 apostrophes,
 * PD-N005 control characters, PD-N006 invalid UTF-8 (left as is), PD-N007 name case,
 * PD-N008 phone, PD-N009 phone not recognised, PD-N010 id number cleaned,
 * PD-N011 id type set, PD-N012 id lost leading zeros (suggestion), PD-N013 id invalid,
 * PD-N014 address codes set, PD-N015 old place converted, PD-N016 place split/ambiguous,
 * PD-N017 ethnic code set, PD-N018 ethnic name ambiguous/unknown, PD-N019 religion code
 * set, PD-N020 religion unknown, PD-N021 date precision set, PD-N022 impossible date,
 * PD-N023 email cleaned, PD-N024 field too long (over 1 MiB: left as is), PD-N025 ethnic
 * code and name disagree (warning; new_value names the other list when that explains it).
 * Idempotent: a second call reports no change.
 * @param changes  may be NULL (changes made, nothing reported)
 * @param opts     NULL = defaults
 * @return 0; PD_EINVALID (NULL record or bad options version); PD_ENOMEM
 */
PD_EXTERN(int) pd_normalize_record(pd_record *r, pd_findings *changes,
                                   const pd_normalize_options *opts);

PD_END_DECL

#endif
