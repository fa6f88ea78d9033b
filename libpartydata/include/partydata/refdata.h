/*
 * refdata.h: compiled-in reference data: administrative units before and after the
 * 1 July 2025 reform and the old → new conversion, CCCD place codes, the two
 * ethnic-group code lists, religions, labels of the schema's enums, and the
 * personal-name tables.
 *
 * The tables are generated at build time from libpartydata/data/ *.csv (see
 * libpartydata/data/MANIFEST.md for sources, licences and the source defects fixed).
 *
 * Ownership: every pointer returned here (structs and their strings) points into
 * static, read-only tables: borrowed, valid for the life of the process, never freed.
 *
 * Name look-ups are case-insensitive and tone-placement-insensitive ("Hòa" = "Hoà"),
 * tolerate a leading type word ("Tỉnh", "Thành phố", "TP", "Xã", "Phường", "Thị trấn",
 * "Đặc khu", "Quận", "Huyện", "Thị xã"), NFD input, Ð/Đ look-alikes and extra spaces.
 * They try an exact key first (diacritics kept, tone placement ignored); if nothing
 * matches they retry without any diacritics ("Ha Noi"); several matches give
 * PD_ECONFLICT (ambiguous: the first candidate is still returned in *out).
 *
 * Thread safety: the name indexes are built once, on first use, under pthread_once
 * (the only global state of the module); everything else is read-only.
 */
#ifndef PARTYDATA_REFDATA_H
#define PARTYDATA_REFDATA_H

#include "common.h"
#include "record.h"

PD_BEGIN_DECL

/** Generation of the administrative units; values equal the schema's AdminVersion. */
typedef enum pd_admin_gen {
    PD_ADMIN_GEN_ANY = 0,     /**< look-ups: try 2025 first, then pre-2025 */
    PD_ADMIN_GEN_PRE2025 = 1, /**< 63 provinces, districts, ~10,035 communes (until 2025-06-30) */
    PD_ADMIN_GEN_2025 = 2     /**< 34 provinces, 3,321 communes, no districts (from 2025-07-01) */
} pd_admin_gen;

/** A province (tỉnh / thành phố trực thuộc trung ương). */
typedef struct pd_province {
    const char *code;         /**< 2 digits, e.g. "01" */
    const char *name;         /**< without the type word: "Hà Nội" */
    const char *full_name;    /**< "Thành phố Hà Nội" */
    const char *type;         /**< "tinh" or "thanh_pho" (state on the generation's first day) */
    pd_admin_gen gen;
    const char *cccd_code;    /**< pre-2025: 3-digit CCCD birth-registration code; 2025: NULL */
    const char *successor_code; /**< pre-2025: the 2025 province it became part of; 2025: NULL */
    const char *formed_from;  /**< 2025: old codes ";"-separated ("02;08"); pre-2025: NULL */
    const char *former_name;  /**< pre-2025: former name in common use ("Thừa Thiên Huế") or NULL */
} pd_province;

/** A commune-level unit (xã, phường, thị trấn, đặc khu). */
typedef struct pd_commune {
    const char *code;          /**< 5 digits */
    const char *name;          /**< without the type word */
    const char *full_name;     /**< "Phường Ba Đình" */
    const char *type;          /**< 2025: xa|phuong|dac_khu; pre-2025: xa|phuong|thi_tran */
    pd_admin_gen gen;
    const char *province_code; /**< 2 digits, same generation */
    const char *district_code; /**< pre-2025: 3 digits; 2025: NULL */
    const char *district_name; /**< pre-2025: "Quận Ba Đình"; 2025: NULL */
    int valid;                 /**< 1; 0 for the 12 stale pre-2025 codes (MANIFEST defect A5) */
} pd_commune;

/** One old → new link of the 2025 reform (commune_conversion_2025.csv). */
typedef struct pd_conversion {
    const char *old_code;          /**< old commune code; "" for an island district (old_level "district") */
    const char *new_code;          /**< 2025 commune code */
    int partial;                   /**< 1 if the old unit was split: this link is one candidate part */
    const char *old_full_name;
    const char *new_full_name;
    const char *old_province_code;
    const char *new_province_code;
    const char *old_district_code;
    const char *old_level;         /**< "commune" or "district" */
    const char *legal_basis;       /**< resolution and clause, e.g. "1656/NQ-UBTVQH15 k.14" */
    const char *note;              /**< "" if none */
} pd_conversion;

/** A change after 2025-07-01 (changes_after_2025-07-01.csv), for "as of" look-ups. */
typedef struct pd_admin_change {
    const char *level;       /**< "province" or "commune" */
    const char *code;
    const char *field;       /**< "type" */
    const char *old_value;
    const char *new_value;
    pd_date effective;       /**< first day the new value holds */
    const char *legal_basis;
} pd_admin_change;

/** The two ethnic code lists; values equal the schema's EthnicList. */
typedef enum pd_ethnic_list {
    PD_ETHNIC_LIST_UNSPECIFIED = 0,
    PD_ETHNIC_LIST_1979 = 1, /**< Quyết định 121-TCTK/PPCĐ (1979) */
    PD_ETHNIC_LIST_2008 = 2  /**< Quyết định 1019/QĐ-TCTK (2008) */
} pd_ethnic_list;

/** One of the 54 ethnic groups. */
typedef struct pd_ethnic_group {
    const char *code_2008;        /**< 2 digits */
    const char *code_1979;        /**< 2 digits */
    const char *name;             /**< GSO census form: "Khơ-me" */
    const char *aliases;          /**< ";"-separated unambiguous aliases, "" if none */
    const char *name_1979;        /**< form printed in the 1979 list */
    const char *other_names_1979; /**< ";"-separated "tên gọi khác" (some ambiguous: never auto-mapped) */
} pd_ethnic_group;

/** A religion (codes provisional, see MANIFEST); "00" = no religion. */
typedef struct pd_religion {
    const char *code;    /**< 2 digits */
    const char *name;
    const char *aliases; /**< ";"-separated, "" if none */
} pd_religion;

/** A label of one value of a schema enum. */
typedef struct pd_label {
    const char *enum_type;  /**< "OrgLevel", "OrgKind", "EventType", "MemberStatus",
                                 "DisciplineForm", "RatingGrade", "Gender", "IdType",
                                 "MembershipKind", "DocumentKind", "EthnicList", "AdminVersion" */
    int value;              /**< the .proto number */
    const char *name;       /**< value name: "EVENT_TYPE_KET_NAP" */
    const char *short_name; /**< "KET_NAP" */
    const char *vi;         /**< Vietnamese label: "Kết nạp đảng viên" */
    const char *en;         /**< English label */
} pd_label;

/** Which personal-name table. */
typedef enum pd_name_table {
    PD_NAME_SURNAME = 1, /**< surnames.csv (191) */
    PD_NAME_MIDDLE = 2,  /**< middle_names.csv (504) */
    PD_NAME_GIVEN = 3    /**< given_names.csv (804) */
} pd_name_table;

/** One row of a name table. */
typedef struct pd_name_stat {
    const char *name;
    char gender;               /**< 'M', 'F' or 'U' (unisex/unknown; always 'U' for surnames) */
    long count;                /**< occurrences in the sample */
    double share_percent;      /**< surnames: share in the sample; others: 0 */
    double published_percent;  /**< surnames: published national estimate, 0 if none */
} pd_name_stat;

/* ---- iteration over every table (index access; i < count) ------------------ */

/** @return the number of provinces of a generation (34 or 63; 0 for ANY) */
PD_EXTERN(size_t) pd_refdata_province_count(pd_admin_gen gen);
/** @return the i-th province in code order, NULL past the end */
PD_EXTERN(const pd_province *) pd_refdata_province_at(pd_admin_gen gen, size_t i);
/** @return the number of communes of a generation (3,321 or 10,047 incl. 12 stale) */
PD_EXTERN(size_t) pd_refdata_commune_count(pd_admin_gen gen);
/** @return the i-th commune in code order, NULL past the end */
PD_EXTERN(const pd_commune *) pd_refdata_commune_at(pd_admin_gen gen, size_t i);
/** @return the number of conversion links (10,583) */
PD_EXTERN(size_t) pd_refdata_conversion_count(void);
/** @return the i-th link, ordered by old code; NULL past the end */
PD_EXTERN(const pd_conversion *) pd_refdata_conversion_at(size_t i);
/** @return the number of recorded changes after 2025-07-01 */
PD_EXTERN(size_t) pd_refdata_change_count(void);
PD_EXTERN(const pd_admin_change *) pd_refdata_change_at(size_t i);
/** @return 54 */
PD_EXTERN(size_t) pd_refdata_ethnic_count(void);
/** @return the i-th group in 2008-code order, NULL past the end */
PD_EXTERN(const pd_ethnic_group *) pd_refdata_ethnic_at(size_t i);
/** @return 17 */
PD_EXTERN(size_t) pd_refdata_religion_count(void);
PD_EXTERN(const pd_religion *) pd_refdata_religion_at(size_t i);
/** @return the number of labels (all enums) */
PD_EXTERN(size_t) pd_refdata_label_count(void);
PD_EXTERN(const pd_label *) pd_refdata_label_at(size_t i);
/** @return the number of rows of a name table (0 for an unknown table) */
PD_EXTERN(size_t) pd_refdata_name_count(pd_name_table table);
/** @return the i-th row, in descending count order; NULL past the end */
PD_EXTERN(const pd_name_stat *) pd_refdata_name_at(pd_name_table table, size_t i);

/* ---- provinces and communes ---------------------------------------------------- */

/**
 * Province by code.
 * @param gen  PRE2025, 2025, or ANY (2025 first)
 * @return 0; PD_ENOTFOUND; PD_EINVALID for a NULL argument
 */
PD_EXTERN(int) pd_refdata_province(const pd_province **out, pd_admin_gen gen, const char *code);

/**
 * Province by name ("Hà Nội", "TP. Hồ Chí Minh", "tinh thanh hoa", "Thừa Thiên Huế").
 * @return 0; PD_ENOTFOUND; PD_ECONFLICT if ambiguous (first candidate in *out);
 *         PD_EINVALID for NULL arguments or invalid UTF-8
 */
PD_EXTERN(int) pd_refdata_province_by_name(const pd_province **out, pd_admin_gen gen,
                                           const char *name);

/**
 * Commune by code (a code can exist in both generations: gen picks one; ANY = 2025 first).
 * @return 0; PD_ENOTFOUND; PD_EINVALID
 */
PD_EXTERN(int) pd_refdata_commune(const pd_commune **out, pd_admin_gen gen, const char *code);

/**
 * Commune by name, optionally within a province of the same generation.
 * @param province_code  2-digit code, or NULL for the whole country
 * @return 0; PD_ENOTFOUND; PD_ECONFLICT if several communes match (first in *out);
 *         PD_EINVALID
 */
PD_EXTERN(int) pd_refdata_commune_by_name(const pd_commune **out, pd_admin_gen gen,
                                          const char *province_code, const char *name);

/**
 * The 2025 successors of an old (pre-2025) commune: a contiguous run of links.
 * @param[out] out    the first link (borrowed)
 * @param[out] count  how many links (more than one: the commune was split, each partial)
 * @return 0; PD_ENOTFOUND if the code is no old commune; PD_EINVALID
 */
PD_EXTERN(int) pd_refdata_commune_successors(const pd_conversion **out, size_t *count,
                                             const char *old_code);

/**
 * The old communes (links) that formed a 2025 commune.
 * @param[out] out  pointers to the links, borrowed; release only the array with pd_free()
 * @return 0; PD_ENOTFOUND; PD_EINVALID; PD_ENOMEM
 */
PD_EXTERN(int) pd_refdata_commune_predecessors(const pd_conversion ***out, size_t *count,
                                               const char *new_code);

/**
 * The generation in force on a date: PRE2025 before 2025-07-01, 2025 from then on.
 * A partial date that straddles the day (year 2025 alone) gives PD_ADMIN_GEN_ANY.
 */
PD_EXTERN(pd_admin_gen) pd_refdata_gen_as_of(const pd_date *date);

/**
 * The commune with this code that existed on a date, with its type on that day
 * (changes after 2025-07-01 applied, e.g. a xã that became a phường in 2026).
 * @param[out] type  "xa", "phuong", ... (static); may be NULL
 * @return 0; PD_ENOTFOUND if no unit with that code existed that day (a stale
 *         pre-2025 code never existed on a date after it was merged: it is found only
 *         when the date is before 2025-07-01 and it is reported valid == 0);
 *         PD_EINVALID (NULL, or a date of unknown generation such as year 2025 alone)
 */
PD_EXTERN(int) pd_refdata_commune_as_of(const pd_commune **out, const char **type,
                                        const char *code, const pd_date *date);

/** The same for a province. @return 0, PD_ENOTFOUND, PD_EINVALID */
PD_EXTERN(int) pd_refdata_province_as_of(const pd_province **out, const char **type,
                                         const char *code, const pd_date *date);

/**
 * The type of a unit on a date (changes applied), or NULL if the unit's generation
 * was not in force then. Works for communes; see pd_refdata_province_type_as_of.
 */
PD_EXTERN(const char *) pd_refdata_commune_type_as_of(const pd_commune *c, const pd_date *date);
PD_EXTERN(const char *) pd_refdata_province_type_as_of(const pd_province *p, const pd_date *date);

/* ---- CCCD --------------------------------------------------------------------------- */

/** What the 12-digit CCCD number says. */
typedef struct pd_cccd_info {
    const pd_province *province; /**< pre-2025 province of birth registration, NULL if unknown code */
    pd_gender gender;            /**< from the 4th digit */
    int birth_year;              /**< century from the 4th digit + digits 5–6 */
} pd_cccd_info;

/**
 * Decode a CCCD number (exactly 12 ASCII digits).
 * @return 0; PD_ENOTFOUND if the place code is unknown (gender and year still filled);
 *         PD_EINVALID if not 12 digits
 */
PD_EXTERN(int) pd_refdata_cccd_decode(pd_cccd_info *out, const char *cccd);

/** Pre-2025 province by its 3-digit CCCD code ("001"). @return 0, PD_ENOTFOUND, PD_EINVALID */
PD_EXTERN(int) pd_refdata_cccd_province(const pd_province **out, const char *code3);

/* ---- ethnic groups, religions --------------------------------------------------------- */

/** Ethnic group by code in a list. @return 0, PD_ENOTFOUND, PD_EINVALID (list unspecified) */
PD_EXTERN(int) pd_refdata_ethnic_by_code(const pd_ethnic_group **out, pd_ethnic_list list,
                                         const char *code);

/**
 * Ethnic group by name, alias or unambiguous 1979 other name ("Khmer", "Mèo", "Ê Đê").
 * Ambiguous names (MANIFEST H7: "Thổ", "Xá Lá Vàng", "Trại", "Hạ" ...) are never mapped.
 * @return 0; PD_ENOTFOUND; PD_ECONFLICT if ambiguous (*out is NULL); PD_EINVALID
 */
PD_EXTERN(int) pd_refdata_ethnic_by_name(const pd_ethnic_group **out, const char *name);

/**
 * Every group a name may designate (for review of ambiguous names).
 * @param[out] out  2008 codes; release with pd_strarray_dispose()
 * @return 0 (possibly empty), PD_EINVALID, PD_ENOMEM
 */
PD_EXTERN(int) pd_refdata_ethnic_candidates(pd_strarray *out, const char *name);

/** @return the group's code in a list (static), NULL for an unspecified list */
PD_EXTERN(const char *) pd_refdata_ethnic_code(const pd_ethnic_group *g, pd_ethnic_list list);

/** Religion by code. @return 0, PD_ENOTFOUND, PD_EINVALID */
PD_EXTERN(int) pd_refdata_religion_by_code(const pd_religion **out, const char *code);
/** Religion by name or alias ("Đạo Phật", "Thiên Chúa giáo"). @return 0, PD_ENOTFOUND, PD_ECONFLICT, PD_EINVALID */
PD_EXTERN(int) pd_refdata_religion_by_name(const pd_religion **out, const char *name);

/* ---- enum labels ------------------------------------------------------------------------ */

/** Label of an enum value. @return 0, PD_ENOTFOUND, PD_EINVALID */
PD_EXTERN(int) pd_refdata_label(const pd_label **out, const char *enum_type, int value);

/**
 * Enum value by its value name, short name or Vietnamese label (case/accent-insensitive).
 * @return 0, PD_ENOTFOUND, PD_EINVALID
 */
PD_EXTERN(int) pd_refdata_label_by_name(const pd_label **out, const char *enum_type,
                                        const char *name);

/* ---- names -------------------------------------------------------------------------------- */

/** Row of a name table by name (tone-placement-insensitive). @return 0, PD_ENOTFOUND, PD_EINVALID */
PD_EXTERN(int) pd_refdata_name_find(const pd_name_stat **out, pd_name_table table, const char *name);

PD_END_DECL

#endif
