/*
 * refdata.c: look-ups in the compiled-in reference tables (refdata_tables.c,
 * generated from libpartydata/data/ CSV files by tools/gen-refdata.sh).
 *
 * Global state: the name indexes (sorted arrays of matching keys) are built once, on
 * first use, under pthread_once, and are read-only afterwards. Their memory lives
 * until the process ends.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "pd_internal.h"
#include "partydata/refdata.h"
#include "refdata_int.h"

/* ---- enum labels ------------------------------------------------------------------- */

#define L(t, v, n, s, vi, en) {t, v, n, s, vi, en}
static const pd_label labels[] = {
    L("Gender", 0, "GENDER_UNSPECIFIED", "UNSPECIFIED", "Không rõ", "Unspecified"),
    L("Gender", 1, "GENDER_NAM", "NAM", "Nam", "Male"),
    L("Gender", 2, "GENDER_NU", "NU", "Nữ", "Female"),
    L("MemberStatus", 0, "MEMBER_STATUS_UNSPECIFIED", "UNSPECIFIED", "Không rõ", "Unspecified"),
    L("MemberStatus", 1, "MEMBER_STATUS_DU_BI", "DU_BI", "Đảng viên dự bị", "Probationary member"),
    L("MemberStatus", 2, "MEMBER_STATUS_CHINH_THUC", "CHINH_THUC", "Đảng viên chính thức", "Official member"),
    L("MemberStatus", 3, "MEMBER_STATUS_XOA_TEN", "XOA_TEN", "Đã xóa tên", "Struck off"),
    L("MemberStatus", 4, "MEMBER_STATUS_KHAI_TRU", "KHAI_TRU", "Đã khai trừ", "Expelled"),
    L("MemberStatus", 5, "MEMBER_STATUS_TU_TRAN", "TU_TRAN", "Đã từ trần", "Deceased"),
    L("EthnicList", 0, "ETHNIC_LIST_UNSPECIFIED", "UNSPECIFIED", "Không rõ danh mục", "Unspecified list"),
    L("EthnicList", 1, "ETHNIC_LIST_1979", "1979", "Danh mục 1979 (QĐ 121-TCTK/PPCĐ)", "1979 list (121-TCTK/PPCĐ)"),
    L("EthnicList", 2, "ETHNIC_LIST_2008", "2008", "Danh mục 2008 (QĐ 1019/QĐ-TCTK)", "2008 list (1019/QĐ-TCTK)"),
    L("AdminVersion", 0, "ADMIN_VERSION_UNSPECIFIED", "UNSPECIFIED", "Không rõ", "Unspecified"),
    L("AdminVersion", 1, "ADMIN_VERSION_PRE2025", "PRE2025", "Đơn vị hành chính trước 1/7/2025", "Administrative units before 2025-07-01"),
    L("AdminVersion", 2, "ADMIN_VERSION_2025", "2025", "Đơn vị hành chính từ 1/7/2025", "Administrative units from 2025-07-01"),
    L("IdType", 0, "ID_TYPE_UNSPECIFIED", "UNSPECIFIED", "Không rõ", "Unspecified"),
    L("IdType", 1, "ID_TYPE_CCCD", "CCCD", "Căn cước công dân / số định danh cá nhân", "Citizen identity number"),
    L("IdType", 2, "ID_TYPE_CMND9", "CMND9", "Chứng minh nhân dân 9 số", "9-digit identity card"),
    L("IdType", 3, "ID_TYPE_CMND12", "CMND12", "Chứng minh nhân dân 12 số", "12-digit identity card"),
    L("IdType", 4, "ID_TYPE_PASSPORT", "PASSPORT", "Hộ chiếu", "Passport"),
    L("IdType", 5, "ID_TYPE_OTHER", "OTHER", "Giấy tờ khác", "Other document"),
    L("MembershipKind", 0, "MEMBERSHIP_KIND_UNSPECIFIED", "UNSPECIFIED", "Không rõ", "Unspecified"),
    L("MembershipKind", 1, "MEMBERSHIP_KIND_CHINH_THUC", "CHINH_THUC", "Sinh hoạt chính thức", "Official membership"),
    L("MembershipKind", 2, "MEMBERSHIP_KIND_TAM_THOI", "TAM_THOI", "Sinh hoạt tạm thời", "Temporary membership"),
    L("DocumentKind", 0, "DOCUMENT_KIND_UNSPECIFIED", "UNSPECIFIED", "Không rõ", "Unspecified"),
    L("DocumentKind", 1, "DOCUMENT_KIND_QUYET_DINH", "QUYET_DINH", "Quyết định", "Decision"),
    L("DocumentKind", 2, "DOCUMENT_KIND_QUY_DINH", "QUY_DINH", "Quy định", "Regulation"),
    L("DocumentKind", 3, "DOCUMENT_KIND_NGHI_QUYET", "NGHI_QUYET", "Nghị quyết", "Resolution"),
    L("DocumentKind", 4, "DOCUMENT_KIND_HUONG_DAN", "HUONG_DAN", "Hướng dẫn", "Guidance"),
    L("DocumentKind", 5, "DOCUMENT_KIND_CHI_THI", "CHI_THI", "Chỉ thị", "Directive"),
    L("DocumentKind", 6, "DOCUMENT_KIND_THONG_BAO", "THONG_BAO", "Thông báo", "Notice"),
    L("DocumentKind", 7, "DOCUMENT_KIND_KET_LUAN", "KET_LUAN", "Kết luận", "Conclusion"),
    L("DocumentKind", 8, "DOCUMENT_KIND_OTHER", "OTHER", "Văn bản khác", "Other document"),
    L("EventType", 0, "EVENT_TYPE_UNSPECIFIED", "UNSPECIFIED", "Không rõ", "Unspecified"),
    L("EventType", 1, "EVENT_TYPE_KET_NAP", "KET_NAP", "Quyết định kết nạp", "Admission decision"),
    L("EventType", 2, "EVENT_TYPE_LE_KET_NAP", "LE_KET_NAP", "Lễ kết nạp", "Admission ceremony"),
    L("EventType", 3, "EVENT_TYPE_CONG_NHAN_CHINH_THUC", "CONG_NHAN_CHINH_THUC", "Công nhận đảng viên chính thức", "Recognition as official member"),
    L("EventType", 4, "EVENT_TYPE_PHAT_THE", "PHAT_THE", "Phát thẻ đảng viên", "Party card issued"),
    L("EventType", 5, "EVENT_TYPE_CAP_LAI_THE", "CAP_LAI_THE", "Cấp lại thẻ đảng viên", "Party card re-issued"),
    L("EventType", 6, "EVENT_TYPE_DOI_THE", "DOI_THE", "Đổi thẻ đảng viên", "Party card exchanged"),
    L("EventType", 7, "EVENT_TYPE_CHUYEN_SH_CT_DI", "CHUYEN_SH_CT_DI", "Chuyển sinh hoạt đảng chính thức đi", "Official transfer out"),
    L("EventType", 8, "EVENT_TYPE_CHUYEN_SH_CT_DEN", "CHUYEN_SH_CT_DEN", "Chuyển sinh hoạt đảng chính thức đến", "Official transfer in"),
    L("EventType", 9, "EVENT_TYPE_CHUYEN_SH_TT_DI", "CHUYEN_SH_TT_DI", "Chuyển sinh hoạt đảng tạm thời đi", "Temporary transfer out"),
    L("EventType", 10, "EVENT_TYPE_CHUYEN_SH_TT_DEN", "CHUYEN_SH_TT_DEN", "Chuyển sinh hoạt đảng tạm thời đến", "Temporary transfer in"),
    L("EventType", 11, "EVENT_TYPE_CHUYEN_SH_TT_KET_THUC", "CHUYEN_SH_TT_KET_THUC", "Kết thúc sinh hoạt đảng tạm thời", "End of temporary transfer"),
    L("EventType", 12, "EVENT_TYPE_CHUYEN_SH_NUOC_NGOAI", "CHUYEN_SH_NUOC_NGOAI", "Chuyển sinh hoạt đảng ra nước ngoài", "Transfer abroad"),
    L("EventType", 13, "EVENT_TYPE_MIEN_SH", "MIEN_SH", "Miễn sinh hoạt đảng", "Exemption from activities"),
    L("EventType", 14, "EVENT_TYPE_TRO_LAI_SH", "TRO_LAI_SH", "Trở lại sinh hoạt đảng", "Back from exemption"),
    L("EventType", 15, "EVENT_TYPE_MAT_LIEN_LAC", "MAT_LIEN_LAC", "Mất liên lạc", "Loss of contact"),
    L("EventType", 16, "EVENT_TYPE_KHEN_THUONG", "KHEN_THUONG", "Khen thưởng", "Award"),
    L("EventType", 17, "EVENT_TYPE_HUY_HIEU", "HUY_HIEU", "Huy hiệu Đảng", "Party badge"),
    L("EventType", 18, "EVENT_TYPE_KY_LUAT", "KY_LUAT", "Kỷ luật", "Discipline"),
    L("EventType", 19, "EVENT_TYPE_XOA_TEN", "XOA_TEN", "Xóa tên", "Struck off"),
    L("EventType", 20, "EVENT_TYPE_RA_KHOI_DANG", "RA_KHOI_DANG", "Xin ra khỏi Đảng", "Leaving voluntarily"),
    L("EventType", 21, "EVENT_TYPE_KHOI_PHUC", "KHOI_PHUC", "Khôi phục quyền đảng viên", "Restoration after wrongful removal"),
    L("EventType", 22, "EVENT_TYPE_KET_NAP_LAI", "KET_NAP_LAI", "Kết nạp lại", "Re-admission"),
    L("EventType", 23, "EVENT_TYPE_TU_TRAN", "TU_TRAN", "Từ trần", "Death"),
    L("EventType", 24, "EVENT_TYPE_DANH_GIA_HANG_NAM", "DANH_GIA_HANG_NAM", "Đánh giá, xếp loại hằng năm", "Annual quality rating"),
    L("EventType", 25, "EVENT_TYPE_SUA_HO_SO", "SUA_HO_SO", "Điều chỉnh hồ sơ", "Record correction"),
    L("EventType", 26, "EVENT_TYPE_HOP_NHAT_HO_SO", "HOP_NHAT_HO_SO", "Hợp nhất hồ sơ trùng", "Duplicate records merged"),
    L("EventType", 40, "EVENT_TYPE_THANH_LAP", "THANH_LAP", "Thành lập", "Founded"),
    L("EventType", 41, "EVENT_TYPE_DOI_TEN", "DOI_TEN", "Đổi tên", "Renamed"),
    L("EventType", 42, "EVENT_TYPE_HOP_NHAT", "HOP_NHAT", "Hợp nhất", "Consolidated"),
    L("EventType", 43, "EVENT_TYPE_SAP_NHAP", "SAP_NHAP", "Sáp nhập", "Merged into another"),
    L("EventType", 44, "EVENT_TYPE_CHIA_TACH", "CHIA_TACH", "Chia tách", "Split"),
    L("EventType", 45, "EVENT_TYPE_GIAI_THE", "GIAI_THE", "Giải thể", "Dissolved"),
    L("EventType", 46, "EVENT_TYPE_KET_THUC_HOAT_DONG", "KET_THUC_HOAT_DONG", "Kết thúc hoạt động", "Ended operation"),
    L("EventType", 47, "EVENT_TYPE_CHUYEN_TRUC_THUOC", "CHUYEN_TRUC_THUOC", "Chuyển trực thuộc", "Moved under another parent"),
    L("EventType", 48, "EVENT_TYPE_GIAO_QUYEN_CAP_TREN_CO_SO", "GIAO_QUYEN_CAP_TREN_CO_SO", "Giao quyền cấp trên cơ sở", "Granted above-grassroots powers"),
    L("EventType", 49, "EVENT_TYPE_KY_LUAT_TO_CHUC", "KY_LUAT_TO_CHUC", "Kỷ luật tổ chức đảng", "Organization discipline"),
    L("DisciplineForm", 0, "DISCIPLINE_FORM_UNSPECIFIED", "UNSPECIFIED", "Không rõ", "Unspecified"),
    L("DisciplineForm", 1, "DISCIPLINE_FORM_KHIEN_TRACH", "KHIEN_TRACH", "Khiển trách", "Reprimand"),
    L("DisciplineForm", 2, "DISCIPLINE_FORM_CANH_CAO", "CANH_CAO", "Cảnh cáo", "Warning"),
    L("DisciplineForm", 3, "DISCIPLINE_FORM_CACH_CHUC", "CACH_CHUC", "Cách chức", "Dismissal from posts"),
    L("DisciplineForm", 4, "DISCIPLINE_FORM_KHAI_TRU", "KHAI_TRU", "Khai trừ", "Expulsion"),
    L("DisciplineForm", 5, "DISCIPLINE_FORM_GIAI_TAN", "GIAI_TAN", "Giải tán", "Dissolution"),
    L("DisciplineForm", 6, "DISCIPLINE_FORM_KHAI_TRU_CO_THOI_HAN", "KHAI_TRU_CO_THOI_HAN", "Khai trừ có thời hạn", "Time-limited expulsion (legacy)"),
    L("RatingGrade", 0, "RATING_GRADE_UNSPECIFIED", "UNSPECIFIED", "Không rõ", "Unspecified"),
    L("RatingGrade", 1, "RATING_GRADE_HOAN_THANH_XUAT_SAC", "HOAN_THANH_XUAT_SAC", "Hoàn thành xuất sắc nhiệm vụ", "Excellent"),
    L("RatingGrade", 2, "RATING_GRADE_HOAN_THANH_TOT", "HOAN_THANH_TOT", "Hoàn thành tốt nhiệm vụ", "Good"),
    L("RatingGrade", 3, "RATING_GRADE_HOAN_THANH", "HOAN_THANH", "Hoàn thành nhiệm vụ", "Completed"),
    L("RatingGrade", 4, "RATING_GRADE_KHONG_HOAN_THANH", "KHONG_HOAN_THANH", "Không hoàn thành nhiệm vụ", "Not completed"),
    L("OrgKind", 0, "ORG_KIND_UNSPECIFIED", "UNSPECIFIED", "Không rõ", "Unspecified"),
    L("OrgKind", 1, "ORG_KIND_DANG_BO", "DANG_BO", "Đảng bộ", "Party committee"),
    L("OrgKind", 2, "ORG_KIND_CHI_BO", "CHI_BO", "Chi bộ", "Party cell"),
    L("OrgKind", 3, "ORG_KIND_TO_DANG", "TO_DANG", "Tổ đảng", "Party group"),
    L("OrgLevel", 0, "ORG_LEVEL_UNSPECIFIED", "UNSPECIFIED", "Không rõ", "Unspecified"),
    L("OrgLevel", 1, "ORG_LEVEL_TRUNG_UONG", "TRUNG_UONG", "Trung ương", "Central"),
    L("OrgLevel", 2, "ORG_LEVEL_TRUC_THUOC_TW", "TRUC_THUOC_TW", "Đảng bộ trực thuộc Trung ương", "Directly under the Central Committee"),
    L("OrgLevel", 3, "ORG_LEVEL_TRUC_THUOC_TINH", "TRUC_THUOC_TINH", "Đảng bộ trực thuộc tỉnh ủy, thành ủy", "Under a provincial committee"),
    L("OrgLevel", 4, "ORG_LEVEL_CAP_XA", "CAP_XA", "Đảng bộ cấp xã", "Commune level"),
    L("OrgLevel", 5, "ORG_LEVEL_CO_SO", "CO_SO", "Tổ chức cơ sở đảng", "Grassroots organization"),
    L("OrgLevel", 6, "ORG_LEVEL_BO_PHAN", "BO_PHAN", "Đảng bộ bộ phận", "Sub-committee"),
    L("OrgLevel", 7, "ORG_LEVEL_CHI_BO_TRUC_THUOC", "CHI_BO_TRUC_THUOC", "Chi bộ trực thuộc", "Subordinate cell"),
    L("OrgLevel", 8, "ORG_LEVEL_TO_DANG", "TO_DANG", "Tổ đảng", "Party group"),
    L("OrgLevel", 9, "ORG_LEVEL_CAP_HUYEN", "CAP_HUYEN", "Cấp huyện (đến 30/6/2025)", "District level (until 2025-06-30)"),
    L("GrassrootsRole", 0, "GRASSROOTS_ROLE_UNSPECIFIED", "UNSPECIFIED", "Không rõ", "Unspecified"),
    L("GrassrootsRole", 1, "GRASSROOTS_ROLE_CAP_TREN_CO_SO", "CAP_TREN_CO_SO", "Cấp trên trực tiếp của cơ sở", "Above grassroots"),
    L("GrassrootsRole", 2, "GRASSROOTS_ROLE_CO_SO", "CO_SO", "Cơ sở", "Grassroots"),
    L("GrassrootsRole", 3, "GRASSROOTS_ROLE_TRUC_THUOC", "TRUC_THUOC", "Trực thuộc", "Subordinate"),
};
#undef L

/* ---- indexes ------------------------------------------------------------------------------- */

typedef struct kent {
    const char *key;
    const void *item;
    int tier; /* ethnic: 1 name/alias, 2 other name */
} kent;

typedef struct kindex {
    kent *e;
    size_t n, cap;
} kindex;

enum { IX_PROV25, IX_PROVPRE, IX_COMM25, IX_COMMPRE, IX_ETHNIC, IX_RELIGION, IX_SURNAME, IX_MIDDLE,
       IX_GIVEN, IX_COUNT };

static kindex ix[IX_COUNT][3]; /* [table][mode - 1] */
static pthread_once_t ix_once = PTHREAD_ONCE_INIT;
static int ix_failed;

static int ix_add(int t, int mode, const char *s, size_t len, const void *item, int tier)
{
    kindex *k = &ix[t][mode - 1];
    pd_nbuf b;
    char *key;
    if (len == 0)
        return 0;
    pd_normalize__nbuf_init(&b);
    if (pd_normalize__key(&b, s, len, mode, t <= IX_COMMPRE) != 0 || b.len == 0) {
        pd_normalize__nbuf_free(&b);
        return 0;
    }
    key = pd_normalize__nbuf_steal(&b);
    pd_normalize__nbuf_free(&b);
    if (key == NULL)
        return -1;
    if (k->n == k->cap) {
        size_t nc = k->cap ? k->cap * 2 : 64;
        kent *ne = realloc(k->e, nc * sizeof *ne);
        if (ne == NULL) {
            free(key);
            return -1;
        }
        k->e = ne;
        k->cap = nc;
    }
    k->e[k->n].key = key;
    k->e[k->n].item = item;
    k->e[k->n].tier = tier;
    k->n++;
    return 0;
}

static int ix_add3(int t, const char *s, size_t len, const void *item, int tier)
{
    int m;
    for (m = PD_KEY_TONE; m <= PD_KEY_COMPACT; m++)
        if (ix_add(t, m, s, len, item, tier) != 0)
            return -1;
    return 0;
}

/* every ';'-separated part, and for "A (B)" both A and, if inner, B */
static int ix_add_list(int t, const char *list, const void *item, int tier, int inner)
{
    const char *p = list;
    while (p && *p) {
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *par = memchr(p, '(', n);
        if (par) {
            size_t a = (size_t)(par - p);
            const char *cl = memchr(par, ')', n - a);
            if (ix_add3(t, p, a, item, tier) != 0)
                return -1;
            if (inner && cl && ix_add3(t, par + 1, (size_t)(cl - par - 1), item, tier) != 0)
                return -1;
        } else if (ix_add3(t, p, n, item, tier) != 0) {
            return -1;
        }
        p = e ? e + 1 : NULL;
    }
    return 0;
}

static int kent_cmp(const void *a, const void *b)
{
    return strcmp(((const kent *)a)->key, ((const kent *)b)->key);
}

static void ix_build(void)
{
    size_t i;
    int t, m, fail = 0;
    for (i = 0; i < pd_refdata__prov_2025_n && !fail; i++)
        fail |= ix_add3(IX_PROV25, pd_refdata__prov_2025[i].name, strlen(pd_refdata__prov_2025[i].name),
                        &pd_refdata__prov_2025[i], 1);
    for (i = 0; i < pd_refdata__prov_pre_n && !fail; i++) {
        const pd_province *p = &pd_refdata__prov_pre[i];
        fail |= ix_add3(IX_PROVPRE, p->name, strlen(p->name), p, 1);
        if (p->former_name)
            fail |= ix_add3(IX_PROVPRE, p->former_name, strlen(p->former_name), p, 1);
    }
    for (i = 0; i < pd_refdata__comm_2025_n && !fail; i++)
        fail |= ix_add3(IX_COMM25, pd_refdata__comm_2025[i].name, strlen(pd_refdata__comm_2025[i].name),
                        &pd_refdata__comm_2025[i], 1);
    for (i = 0; i < pd_refdata__comm_pre_n && !fail; i++)
        fail |= ix_add3(IX_COMMPRE, pd_refdata__comm_pre[i].name, strlen(pd_refdata__comm_pre[i].name),
                        &pd_refdata__comm_pre[i], 1);
    for (i = 0; i < pd_refdata__unit_aliases_n && !fail; i++) {
        const pd_refdata__unit_alias *a = &pd_refdata__unit_aliases[i];
        const void *item = NULL;
        int tt;
        if (a->code == NULL)
            continue;
        if (a->level == 'p') {
            const pd_province *p = NULL;
            pd_refdata_province(&p, a->gen, a->code);
            item = p;
            tt = a->gen == PD_ADMIN_GEN_2025 ? IX_PROV25 : IX_PROVPRE;
        } else {
            const pd_commune *c = NULL;
            pd_refdata_commune(&c, a->gen, a->code);
            item = c;
            tt = a->gen == PD_ADMIN_GEN_2025 ? IX_COMM25 : IX_COMMPRE;
        }
        if (item)
            fail |= ix_add3(tt, a->alias, strlen(a->alias), item, 1);
    }
    for (i = 0; i < pd_refdata__ethnic_n && !fail; i++) {
        const pd_ethnic_group *g = &pd_refdata__ethnic[i];
        fail |= ix_add_list(IX_ETHNIC, g->name, g, 1, 1);
        fail |= ix_add_list(IX_ETHNIC, g->name_1979, g, 1, 1);
        fail |= ix_add_list(IX_ETHNIC, g->aliases, g, 1, 1);
        fail |= ix_add_list(IX_ETHNIC, g->other_names_1979, g, 2, 0);
    }
    for (i = 0; i < pd_refdata__religions_n && !fail; i++) {
        const pd_religion *r = &pd_refdata__religions[i];
        fail |= ix_add_list(IX_RELIGION, r->name, r, 1, 0);
        fail |= ix_add_list(IX_RELIGION, r->aliases, r, 1, 0);
    }
    for (i = 0; i < pd_refdata__surnames_n && !fail; i++)
        fail |= ix_add(IX_SURNAME, PD_KEY_TONE, pd_refdata__surnames[i].name,
                       strlen(pd_refdata__surnames[i].name), &pd_refdata__surnames[i], 1);
    for (i = 0; i < pd_refdata__middle_n && !fail; i++)
        fail |= ix_add(IX_MIDDLE, PD_KEY_TONE, pd_refdata__middle[i].name,
                       strlen(pd_refdata__middle[i].name), &pd_refdata__middle[i], 1);
    for (i = 0; i < pd_refdata__given_n && !fail; i++)
        fail |= ix_add(IX_GIVEN, PD_KEY_TONE, pd_refdata__given[i].name,
                       strlen(pd_refdata__given[i].name), &pd_refdata__given[i], 1);
    for (t = 0; t < IX_COUNT; t++)
        for (m = 0; m < 3; m++)
            if (ix[t][m].n)
                qsort(ix[t][m].e, ix[t][m].n, sizeof(kent), kent_cmp);
    ix_failed = fail;
}

static int ix_ready(void)
{
    pthread_once(&ix_once, ix_build);
    return ix_failed ? pd_error__oom() : 0;
}

/* [lo, hi) of entries equal to key */
static void ix_range(const kindex *k, const char *key, size_t *lo, size_t *hi)
{
    size_t a = 0, b = k->n;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (strcmp(k->e[mid].key, key) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    b = a;
    while (b < k->n && strcmp(k->e[b].key, key) == 0)
        b++;
    *hi = b;
}

/* ---- generic unit search -------------------------------------------------------------------- */

static const char *const prov_prefixes[] = {"thanh pho", "tp", "t p", "tinh", "thu do", NULL};
static const char *const comm_prefixes[] = {"xa", "phuong", "thi tran", "dac khu", "tt", "p", "x",
                                            "thi xa", NULL};

/* skip the first `ntok` alnum runs of s; returns the rest (after separators) */
static const char *skip_tokens(const char *s, const char *fold, size_t plen)
{
    size_t ntok = 1, i;
    const char *p = s;
    for (i = 0; i < plen; i++)
        if (fold[i] == ' ')
            ntok++;
    /* tokens in s are separated by non-alnum bytes; ASCII check suffices for separators */
    while (ntok > 0 && *p) {
        while (*p && ((unsigned char)*p < 0x80 && !((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                                                   (*p >= 'A' && *p <= 'Z'))))
            p++;
        while (*p && !((unsigned char)*p < 0x80 && !((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                                                    (*p >= 'A' && *p <= 'Z'))))
            p++;
        ntok--;
    }
    while (*p && (unsigned char)*p < 0x80 &&
           !((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        p++;
    return p;
}

typedef int (*unit_filter)(const void *item, const void *arg);

static const char *unit_type(int t, const void *item)
{
    return (t == IX_PROV25 || t == IX_PROVPRE) ? ((const pd_province *)item)->type
                                               : ((const pd_commune *)item)->type;
}

static const char *prefix_type(const char *prefix)
{
    if (!strcmp(prefix, "xa") || !strcmp(prefix, "x"))
        return "xa";
    if (!strcmp(prefix, "phuong") || !strcmp(prefix, "p"))
        return "phuong";
    if (!strcmp(prefix, "thi tran") || !strcmp(prefix, "tt"))
        return "thi_tran";
    if (!strcmp(prefix, "dac khu"))
        return "dac_khu";
    if (!strcmp(prefix, "tinh"))
        return "tinh";
    if (!strcmp(prefix, "thanh pho") || !strcmp(prefix, "tp") || !strcmp(prefix, "t p"))
        return "thanh_pho";
    return NULL;
}

static size_t add_unique(const void **buf, size_t n, size_t max, const void *item, size_t *total)
{
    size_t i;
    for (i = 0; i < n && i < max; i++)
        if (buf[i] == item)
            return n;
    (*total)++;
    if (n < max)
        buf[n] = item;
    return n + 1;
}

/* candidates for name in table t; returns the number of distinct matches (buf holds up to max) */
static size_t unit_search(int t, const char *name, unit_filter f, const void *arg, const void **buf,
                          size_t max)
{
    const char *const *prefixes = (t == IX_PROV25 || t == IX_PROVPRE) ? prov_prefixes : comm_prefixes;
    const char *q = name;
    char *alt = NULL;
    size_t found = 0, total = 0;
    int strip, pass;
    const char *type_hint = NULL;
    pd_nbuf b;
    pd_normalize__nbuf_init(&b);
    for (pass = 0; pass < 2 && found == 0; pass++) {
        int m;
        if ((pass == 0 ? name : alt) == NULL)
            break;
        /* exact keys at every prefix level first, then looser keys */
        for (m = PD_KEY_TONE; m <= PD_KEY_COMPACT && found == 0; m++) {
            q = pass == 0 ? name : alt;
            type_hint = NULL;
            for (strip = 0; strip < 4 && found == 0 && *q; strip++) {
                size_t lo, hi, i;
                int pi;
                if (pd_normalize__key(&b, q, strlen(q), m, 1) != 0 || b.len == 0)
                    break;
                ix_range(&ix[t][m - 1], b.p, &lo, &hi);
                for (i = lo; i < hi; i++)
                    if (f == NULL || f(ix[t][m - 1].e[i].item, arg))
                        found = add_unique(buf, found, max, ix[t][m - 1].e[i].item, &total);
                if (found > 1 && type_hint && found <= max) {
                    /* "Thị trấn X" picks the thị trấn among same-named units */
                    size_t k = 0;
                    for (i = 0; i < found; i++)
                        if (strcmp(unit_type(t, buf[i]), type_hint) == 0)
                            buf[k++] = buf[i];
                    if (k)
                        found = k;
                }
                if (found)
                    break;
                /* strip a type word */
                if (pd_normalize__key(&b, q, strlen(q), PD_KEY_FOLD, 0) != 0)
                    break;
                for (pi = 0; prefixes[pi]; pi++) {
                    size_t pl = strlen(prefixes[pi]);
                    if (b.len > pl && strncmp(b.p, prefixes[pi], pl) == 0 && b.p[pl] == ' ') {
                        q = skip_tokens(q, prefixes[pi], pl);
                        if (strip == 0)
                            type_hint = prefix_type(prefixes[pi]);
                        break;
                    }
                }
                if (prefixes[pi] == NULL)
                    break;
            }
        }
        if (found == 0 && pass == 0) {
            /* defect F: lower-case L for the capital I of "Ia", and "AI" for "Al" */
            const char *s;
            size_t n = strlen(name);
            alt = pd__strdup(name);
            if (alt == NULL)
                break;
            for (s = name; (s = strstr(s, "la ")) != NULL; s++)
                if (s == name || s[-1] == ' ')
                    alt[s - name] = 'I';
            for (s = name; (s = strstr(s, "AI")) != NULL; s++)
                if ((s == name || s[-1] == ' ') && (s[2] == ' ' || s[2] == '\0'))
                    alt[s - name + 1] = 'l';
            if (memcmp(alt, name, n) == 0) {
                free(alt);
                alt = NULL;
            }
        }
    }
    free(alt);
    pd_normalize__nbuf_free(&b);
    (void)total;
    return found;
}

/* ---- tables: counts and index access --------------------------------------------------------- */

size_t pd_refdata_province_count(pd_admin_gen gen)
{
    return gen == PD_ADMIN_GEN_2025 ? pd_refdata__prov_2025_n
           : gen == PD_ADMIN_GEN_PRE2025 ? pd_refdata__prov_pre_n : 0;
}

const pd_province *pd_refdata_province_at(pd_admin_gen gen, size_t i)
{
    if (i >= pd_refdata_province_count(gen))
        return NULL;
    return gen == PD_ADMIN_GEN_2025 ? &pd_refdata__prov_2025[i] : &pd_refdata__prov_pre[i];
}

size_t pd_refdata_commune_count(pd_admin_gen gen)
{
    return gen == PD_ADMIN_GEN_2025 ? pd_refdata__comm_2025_n
           : gen == PD_ADMIN_GEN_PRE2025 ? pd_refdata__comm_pre_n : 0;
}

const pd_commune *pd_refdata_commune_at(pd_admin_gen gen, size_t i)
{
    if (i >= pd_refdata_commune_count(gen))
        return NULL;
    return gen == PD_ADMIN_GEN_2025 ? &pd_refdata__comm_2025[i] : &pd_refdata__comm_pre[i];
}

size_t pd_refdata_conversion_count(void) { return pd_refdata__conv_n; }
const pd_conversion *pd_refdata_conversion_at(size_t i)
{
    return i < pd_refdata__conv_n ? &pd_refdata__conv[i] : NULL;
}
size_t pd_refdata_change_count(void) { return pd_refdata__changes_n; }
const pd_admin_change *pd_refdata_change_at(size_t i)
{
    return i < pd_refdata__changes_n ? &pd_refdata__changes[i] : NULL;
}
size_t pd_refdata_ethnic_count(void) { return pd_refdata__ethnic_n; }
const pd_ethnic_group *pd_refdata_ethnic_at(size_t i)
{
    return i < pd_refdata__ethnic_n ? &pd_refdata__ethnic[i] : NULL;
}
size_t pd_refdata_religion_count(void) { return pd_refdata__religions_n; }
const pd_religion *pd_refdata_religion_at(size_t i)
{
    return i < pd_refdata__religions_n ? &pd_refdata__religions[i] : NULL;
}
size_t pd_refdata_label_count(void) { return sizeof labels / sizeof labels[0]; }
const pd_label *pd_refdata_label_at(size_t i)
{
    return i < pd_refdata_label_count() ? &labels[i] : NULL;
}

static const pd_name_stat *name_table(pd_name_table t, size_t *n)
{
    switch (t) {
    case PD_NAME_SURNAME: *n = pd_refdata__surnames_n; return pd_refdata__surnames;
    case PD_NAME_MIDDLE: *n = pd_refdata__middle_n; return pd_refdata__middle;
    case PD_NAME_GIVEN: *n = pd_refdata__given_n; return pd_refdata__given;
    default: *n = 0; return NULL;
    }
}

size_t pd_refdata_name_count(pd_name_table table)
{
    size_t n;
    name_table(table, &n);
    return n;
}

const pd_name_stat *pd_refdata_name_at(pd_name_table table, size_t i)
{
    size_t n;
    const pd_name_stat *t = name_table(table, &n);
    return i < n ? &t[i] : NULL;
}

/* ---- provinces and communes -------------------------------------------------------------------- */

static int code_cmp_prov(const void *key, const void *el)
{
    return strcmp((const char *)key, ((const pd_province *)el)->code);
}
static int code_cmp_comm(const void *key, const void *el)
{
    return strcmp((const char *)key, ((const pd_commune *)el)->code);
}

int pd_refdata_province(const pd_province **out, pd_admin_gen gen, const char *code)
{
    const pd_province *p = NULL;
    if (out == NULL || code == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    if (gen == PD_ADMIN_GEN_2025 || gen == PD_ADMIN_GEN_ANY)
        p = bsearch(code, pd_refdata__prov_2025, pd_refdata__prov_2025_n, sizeof *p, code_cmp_prov);
    if (p == NULL && (gen == PD_ADMIN_GEN_PRE2025 || gen == PD_ADMIN_GEN_ANY))
        p = bsearch(code, pd_refdata__prov_pre, pd_refdata__prov_pre_n, sizeof *p, code_cmp_prov);
    if (p == NULL)
        return pd_error__set(PD_ENOTFOUND, "no province with code \"%.20s\"", code);
    *out = p;
    return 0;
}

int pd_refdata_commune(const pd_commune **out, pd_admin_gen gen, const char *code)
{
    const pd_commune *c = NULL;
    if (out == NULL || code == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    if (gen == PD_ADMIN_GEN_2025 || gen == PD_ADMIN_GEN_ANY)
        c = bsearch(code, pd_refdata__comm_2025, pd_refdata__comm_2025_n, sizeof *c, code_cmp_comm);
    if (c == NULL && (gen == PD_ADMIN_GEN_PRE2025 || gen == PD_ADMIN_GEN_ANY))
        c = bsearch(code, pd_refdata__comm_pre, pd_refdata__comm_pre_n, sizeof *c, code_cmp_comm);
    if (c == NULL)
        return pd_error__set(PD_ENOTFOUND, "no commune with code \"%.20s\"", code);
    *out = c;
    return 0;
}

static int valid_utf8(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_int32_t cp;
    while (*p) {
        utf8proc_ssize_t n;
        if (*p < 0x80) {
            p++;
            continue;
        }
        n = utf8proc_iterate(p, -1, &cp);
        if (n < 0)
            return 0;
        p += n;
    }
    return 1;
}

int pd_refdata_province_by_name(const pd_province **out, pd_admin_gen gen, const char *name)
{
    const void *buf[8];
    size_t n = 0;
    int rc;
    if (out == NULL || name == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    if (!valid_utf8(name))
        return pd_error__set(PD_EINVALID, "name is not valid UTF-8");
    if ((rc = ix_ready()) != 0)
        return rc;
    if (gen == PD_ADMIN_GEN_2025 || gen == PD_ADMIN_GEN_ANY)
        n = unit_search(IX_PROV25, name, NULL, NULL, buf, 8);
    if (n == 0 && (gen == PD_ADMIN_GEN_PRE2025 || gen == PD_ADMIN_GEN_ANY))
        n = unit_search(IX_PROVPRE, name, NULL, NULL, buf, 8);
    if (n == 0)
        return pd_error__set(PD_ENOTFOUND, "no province named \"%.60s\"", name);
    *out = buf[0];
    if (n > 1)
        return pd_error__set(PD_ECONFLICT, "%zu provinces match \"%.60s\"", n, name);
    return 0;
}

static int comm_in_province(const void *item, const void *arg)
{
    return arg == NULL || strcmp(((const pd_commune *)item)->province_code, (const char *)arg) == 0;
}

static int comm_valid_first(const void *a, const void *b)
{
    const pd_commune *x = *(const pd_commune *const *)a, *y = *(const pd_commune *const *)b;
    if (x->valid != y->valid)
        return y->valid - x->valid;
    return strcmp(x->code, y->code);
}

size_t pd_refdata__commune_candidates(const pd_commune **buf, size_t max, pd_admin_gen gen,
                                      const char *province_code, const char *name)
{
    const void *tmp[64];
    size_t n = 0, i, nv = 0;
    if (name == NULL || ix_ready() != 0)
        return 0;
    if (gen == PD_ADMIN_GEN_2025 || gen == PD_ADMIN_GEN_ANY)
        n = unit_search(IX_COMM25, name, comm_in_province, province_code, tmp, 64);
    if (n == 0 && (gen == PD_ADMIN_GEN_PRE2025 || gen == PD_ADMIN_GEN_ANY))
        n = unit_search(IX_COMMPRE, name, comm_in_province, province_code, tmp, 64);
    if (n > 64)
        n = 64;
    qsort(tmp, n, sizeof tmp[0], comm_valid_first);
    /* stale codes only when nothing valid matches */
    for (i = 0; i < n; i++)
        if (((const pd_commune *)tmp[i])->valid)
            nv++;
    if (nv)
        n = nv;
    for (i = 0; i < n && i < max; i++)
        buf[i] = tmp[i];
    return n;
}

int pd_refdata_commune_by_name(const pd_commune **out, pd_admin_gen gen, const char *province_code,
                               const char *name)
{
    const pd_commune *buf[4];
    size_t n;
    int rc;
    if (out == NULL || name == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    if (!valid_utf8(name))
        return pd_error__set(PD_EINVALID, "name is not valid UTF-8");
    if ((rc = ix_ready()) != 0)
        return rc;
    n = pd_refdata__commune_candidates(buf, 4, gen, province_code, name);
    if (n == 0)
        return pd_error__set(PD_ENOTFOUND, "no commune named \"%.60s\"", name);
    *out = buf[0];
    if (n > 1)
        return pd_error__set(PD_ECONFLICT, "%zu communes match \"%.60s\"", n, name);
    return 0;
}

int pd_refdata_commune_successors(const pd_conversion **out, size_t *count, const char *old_code)
{
    size_t a = 0, b = pd_refdata__conv_n, e;
    if (out == NULL || count == NULL || old_code == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    *count = 0;
    if (*old_code == '\0')
        return pd_error__set(PD_ENOTFOUND, "empty code");
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (strcmp(pd_refdata__conv[mid].old_code, old_code) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    for (e = a; e < pd_refdata__conv_n && strcmp(pd_refdata__conv[e].old_code, old_code) == 0; e++)
        ;
    if (e == a)
        return pd_error__set(PD_ENOTFOUND, "no old commune with code \"%.20s\"", old_code);
    *out = &pd_refdata__conv[a];
    *count = e - a;
    return 0;
}

int pd_refdata_commune_predecessors(const pd_conversion ***out, size_t *count, const char *new_code)
{
    size_t i, n = 0;
    const pd_conversion **v;
    if (out == NULL || count == NULL || new_code == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    *count = 0;
    for (i = 0; i < pd_refdata__conv_n; i++)
        if (strcmp(pd_refdata__conv[i].new_code, new_code) == 0)
            n++;
    if (n == 0)
        return pd_error__set(PD_ENOTFOUND, "no 2025 commune with code \"%.20s\"", new_code);
    v = malloc(n * sizeof *v);
    if (v == NULL)
        return pd_error__oom();
    n = 0;
    for (i = 0; i < pd_refdata__conv_n; i++)
        if (strcmp(pd_refdata__conv[i].new_code, new_code) == 0)
            v[n++] = &pd_refdata__conv[i];
    *out = v;
    *count = n;
    return 0;
}

/* ---- as of ------------------------------------------------------------------------------------ */

pd_admin_gen pd_refdata_gen_as_of(const pd_date *d)
{
    if (d == NULL || d->year <= 0)
        return PD_ADMIN_GEN_ANY;
    if (d->year < 2025)
        return PD_ADMIN_GEN_PRE2025;
    if (d->year > 2025)
        return PD_ADMIN_GEN_2025;
    if (d->month <= 0)
        return PD_ADMIN_GEN_ANY;
    return d->month < 7 ? PD_ADMIN_GEN_PRE2025 : PD_ADMIN_GEN_2025;
}

/* 1 if every completion of d is on or after e */
static int date_on_or_after(const pd_date *d, const pd_date *e)
{
    int m = d->month > 0 ? d->month : 1, day = d->day > 0 ? d->day : 1;
    if (d->year != e->year)
        return d->year > e->year;
    if (m != e->month)
        return m > e->month;
    return day >= e->day;
}

static const char *type_as_of(const char *level, const char *code, const char *type, const pd_date *d)
{
    size_t i;
    const char *t = type;
    for (i = 0; i < pd_refdata__changes_n; i++) {
        const pd_admin_change *c = &pd_refdata__changes[i];
        if (strcmp(c->level, level) == 0 && strcmp(c->code, code) == 0 && strcmp(c->field, "type") == 0 &&
            date_on_or_after(d, &c->effective))
            t = c->new_value;
    }
    return t;
}

const char *pd_refdata_commune_type_as_of(const pd_commune *c, const pd_date *date)
{
    pd_admin_gen g;
    if (c == NULL || date == NULL)
        return NULL;
    g = pd_refdata_gen_as_of(date);
    if (g != c->gen)
        return NULL;
    return g == PD_ADMIN_GEN_2025 ? type_as_of("commune", c->code, c->type, date) : c->type;
}

const char *pd_refdata_province_type_as_of(const pd_province *p, const pd_date *date)
{
    pd_admin_gen g;
    if (p == NULL || date == NULL)
        return NULL;
    g = pd_refdata_gen_as_of(date);
    if (g != p->gen)
        return NULL;
    return g == PD_ADMIN_GEN_2025 ? type_as_of("province", p->code, p->type, date) : p->type;
}

int pd_refdata_commune_as_of(const pd_commune **out, const char **type, const char *code,
                             const pd_date *date)
{
    pd_admin_gen g;
    int rc;
    if (out == NULL || code == NULL || date == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    if (type)
        *type = NULL;
    g = pd_refdata_gen_as_of(date);
    if (g == PD_ADMIN_GEN_ANY)
        return pd_error__set(PD_EINVALID, "the date does not say which administrative units were in force");
    if ((rc = pd_refdata_commune(out, g, code)) != 0)
        return rc;
    if (type)
        *type = pd_refdata_commune_type_as_of(*out, date);
    return 0;
}

int pd_refdata_province_as_of(const pd_province **out, const char **type, const char *code,
                              const pd_date *date)
{
    pd_admin_gen g;
    int rc;
    if (out == NULL || code == NULL || date == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    if (type)
        *type = NULL;
    g = pd_refdata_gen_as_of(date);
    if (g == PD_ADMIN_GEN_ANY)
        return pd_error__set(PD_EINVALID, "the date does not say which administrative units were in force");
    if ((rc = pd_refdata_province(out, g, code)) != 0)
        return rc;
    if (type)
        *type = pd_refdata_province_type_as_of(*out, date);
    return 0;
}

/* ---- CCCD ------------------------------------------------------------------------------------------ */

int pd_refdata_cccd_province(const pd_province **out, const char *code3)
{
    size_t i;
    if (out == NULL || code3 == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    if (strlen(code3) != 3)
        return pd_error__set(PD_EINVALID, "a CCCD place code has 3 digits");
    for (i = 0; i < pd_refdata__prov_pre_n; i++)
        if (pd_refdata__prov_pre[i].cccd_code && strcmp(pd_refdata__prov_pre[i].cccd_code, code3) == 0) {
            *out = &pd_refdata__prov_pre[i];
            return 0;
        }
    return pd_error__set(PD_ENOTFOUND, "unknown CCCD place code \"%s\"", code3);
}

int pd_refdata_cccd_decode(pd_cccd_info *out, const char *cccd)
{
    size_t i;
    char code3[4];
    int digit;
    if (out == NULL || cccd == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    memset(out, 0, sizeof *out);
    for (i = 0; cccd[i]; i++)
        if (cccd[i] < '0' || cccd[i] > '9' || i >= 12)
            return pd_error__set(PD_EINVALID, "a CCCD number has 12 digits");
    if (i != 12)
        return pd_error__set(PD_EINVALID, "a CCCD number has 12 digits");
    digit = cccd[3] - '0';
    for (i = 0; i < pd_refdata__cccd_digits_n; i++)
        if (pd_refdata__cccd_digits[i].digit == digit) {
            out->gender = pd_refdata__cccd_digits[i].gender == 'F' ? PD_GENDER_NU : PD_GENDER_NAM;
            out->birth_year = pd_refdata__cccd_digits[i].year_from + (cccd[4] - '0') * 10 + (cccd[5] - '0');
        }
    memcpy(code3, cccd, 3);
    code3[3] = '\0';
    return pd_refdata_cccd_province(&out->province, code3);
}

/* ---- ethnic groups ------------------------------------------------------------------------------------- */

const char *pd_refdata_ethnic_code(const pd_ethnic_group *g, pd_ethnic_list list)
{
    if (g == NULL)
        return NULL;
    return list == PD_ETHNIC_LIST_1979 ? g->code_1979 : list == PD_ETHNIC_LIST_2008 ? g->code_2008 : NULL;
}

/* "1" → "01" */
static int pad_code(char buf[4], const char *code)
{
    size_t n = strlen(code), i;
    if (n == 0 || n > 2)
        return -1;
    for (i = 0; i < n; i++)
        if (code[i] < '0' || code[i] > '9')
            return -1;
    buf[0] = n == 1 ? '0' : code[0];
    buf[1] = code[n - 1];
    buf[2] = '\0';
    return 0;
}

int pd_refdata_ethnic_by_code(const pd_ethnic_group **out, pd_ethnic_list list, const char *code)
{
    char c[4];
    size_t i;
    if (out == NULL || code == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    if (list != PD_ETHNIC_LIST_1979 && list != PD_ETHNIC_LIST_2008)
        return pd_error__set(PD_EINVALID, "an ethnic code needs its list (1979 or 2008)");
    if (pad_code(c, code) != 0)
        return pd_error__set(PD_ENOTFOUND, "no ethnic group with code \"%.20s\"", code);
    i = (size_t)((c[0] - '0') * 10 + (c[1] - '0'));
    if (list == PD_ETHNIC_LIST_2008 && i >= 1 && i <= pd_refdata__ethnic_n) {
        /* the table is in 2008-code order */
        const char *k = pd_refdata__ethnic[i - 1].code_2008;
        if (k[0] == c[0] && k[1] == c[1]) {
            *out = &pd_refdata__ethnic[i - 1];
            return 0;
        }
    }
    for (i = 0; i < pd_refdata__ethnic_n; i++) {
        const char *k = pd_refdata_ethnic_code(&pd_refdata__ethnic[i], list);
        if (k[0] == c[0] && k[1] == c[1] && k[2] == '\0') {
            *out = &pd_refdata__ethnic[i];
            return 0;
        }
    }
    return pd_error__set(PD_ENOTFOUND, "no ethnic group with code \"%.20s\"", code);
}

/* names never mapped automatically (MANIFEST H7, domain.md §3.8), as tone and fold keys */
static const char *const ethnic_never[] = {"thô3", "tho", "lao", NULL};

/* collect candidate groups; returns count (distinct), sets *forced if a never-map name */
static size_t ethnic_search(const char *name, const pd_ethnic_group **buf, size_t max, int *forced,
                            int *tier_out)
{
    pd_nbuf b;
    int m;
    size_t n = 0;
    *forced = 0;
    *tier_out = 0;
    pd_normalize__nbuf_init(&b);
    for (m = PD_KEY_TONE; m <= PD_KEY_COMPACT && n == 0; m++) {
        size_t lo, hi, i, n1 = 0, n2 = 0, tot = 0;
        const void *t1[16], *t2[16];
        int k;
        if (pd_normalize__key(&b, name, strlen(name), m, 0) != 0 || b.len == 0)
            break;
        for (k = 0; ethnic_never[k]; k++)
            if (strcmp(b.p, ethnic_never[k]) == 0)
                *forced = 1;
        ix_range(&ix[IX_ETHNIC][m - 1], b.p, &lo, &hi);
        for (i = lo; i < hi; i++) {
            const kent *e = &ix[IX_ETHNIC][m - 1].e[i];
            if (e->tier == 1)
                n1 = add_unique(t1, n1, 16, e->item, &tot);
            else
                n2 = add_unique(t2, n2, 16, e->item, &tot);
        }
        if (*forced) {
            /* every group the name may designate */
            for (i = 0; i < n2 && i < 16; i++)
                n1 = add_unique(t1, n1, 16, t2[i], &tot);
            n2 = 0;
        }
        if (n1) {
            *tier_out = 1;
            for (i = 0; i < n1 && i < max; i++)
                buf[i] = t1[i];
            n = n1;
        } else if (n2) {
            *tier_out = 2;
            for (i = 0; i < n2 && i < max; i++)
                buf[i] = t2[i];
            n = n2;
        }
    }
    pd_normalize__nbuf_free(&b);
    return n;
}

int pd_refdata_ethnic_by_name(const pd_ethnic_group **out, const char *name)
{
    const pd_ethnic_group *buf[16];
    size_t n;
    int forced, tier, rc;
    if (out == NULL || name == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    if ((rc = ix_ready()) != 0)
        return rc;
    n = ethnic_search(name, buf, 16, &forced, &tier);
    if (n == 0)
        return pd_error__set(PD_ENOTFOUND, "no ethnic group named \"%.60s\"", name);
    if (n > 1 || forced)
        return pd_error__set(PD_ECONFLICT, "ambiguous ethnic group name \"%.60s\" (%zu groups)", name,
                             n);
    *out = buf[0];
    return 0;
}

int pd_refdata_ethnic_candidates(pd_strarray *out, const char *name)
{
    const pd_ethnic_group *buf[16];
    size_t n, i;
    int forced, tier, rc;
    if (out == NULL || name == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    out->strings = NULL;
    out->count = 0;
    if ((rc = ix_ready()) != 0)
        return rc;
    n = ethnic_search(name, buf, 16, &forced, &tier);
    for (i = 0; i < n && i < 16; i++)
        if (pd__strarray_push(out, buf[i]->code_2008) != 0) {
            pd_strarray_dispose(out);
            return PD_ENOMEM;
        }
    return 0;
}

/* ---- religions ---------------------------------------------------------------------------------------- */

int pd_refdata_religion_by_code(const pd_religion **out, const char *code)
{
    char c[4];
    size_t i;
    if (out == NULL || code == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    if (pad_code(c, code) == 0)
        for (i = 0; i < pd_refdata__religions_n; i++)
            if (strcmp(pd_refdata__religions[i].code, c) == 0) {
                *out = &pd_refdata__religions[i];
                return 0;
            }
    return pd_error__set(PD_ENOTFOUND, "no religion with code \"%.20s\"", code);
}

int pd_refdata_religion_by_name(const pd_religion **out, const char *name)
{
    pd_nbuf b;
    int m, rc;
    size_t n = 0, tot = 0;
    const void *buf[8];
    if (out == NULL || name == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    if ((rc = ix_ready()) != 0)
        return rc;
    pd_normalize__nbuf_init(&b);
    for (m = PD_KEY_TONE; m <= PD_KEY_COMPACT && n == 0; m++) {
        size_t lo, hi, i;
        if (pd_normalize__key(&b, name, strlen(name), m, 0) != 0 || b.len == 0)
            break;
        ix_range(&ix[IX_RELIGION][m - 1], b.p, &lo, &hi);
        for (i = lo; i < hi; i++)
            n = add_unique(buf, n, 8, ix[IX_RELIGION][m - 1].e[i].item, &tot);
    }
    pd_normalize__nbuf_free(&b);
    if (n == 0)
        return pd_error__set(PD_ENOTFOUND, "no religion named \"%.60s\"", name);
    *out = buf[0];
    if (n > 1)
        return pd_error__set(PD_ECONFLICT, "ambiguous religion name \"%.60s\"", name);
    return 0;
}

/* ---- labels ----------------------------------------------------------------------------------------- */

int pd_refdata_label(const pd_label **out, const char *enum_type, int value)
{
    size_t i;
    if (out == NULL || enum_type == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    for (i = 0; i < pd_refdata_label_count(); i++)
        if (labels[i].value == value && strcmp(labels[i].enum_type, enum_type) == 0) {
            *out = &labels[i];
            return 0;
        }
    return pd_error__set(PD_ENOTFOUND, "no value %d in %.40s", value, enum_type);
}

int pd_refdata_label_by_name(const pd_label **out, const char *enum_type, const char *name)
{
    pd_nbuf q, k;
    size_t i;
    int rc = PD_ENOTFOUND;
    if (out == NULL || enum_type == NULL || name == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    pd_normalize__nbuf_init(&q);
    pd_normalize__nbuf_init(&k);
    if (pd_normalize__key(&q, name, strlen(name), PD_KEY_FOLD, 0) != 0) {
        pd_normalize__nbuf_free(&q);
        return PD_EINVALID;
    }
    for (i = 0; i < pd_refdata_label_count() && rc != 0; i++) {
        const pd_label *l = &labels[i];
        const char *cand[3];
        int c;
        if (strcmp(l->enum_type, enum_type) != 0)
            continue;
        cand[0] = l->name;
        cand[1] = l->short_name;
        cand[2] = l->vi;
        for (c = 0; c < 3; c++)
            if (pd_normalize__key(&k, cand[c], strlen(cand[c]), PD_KEY_FOLD, 0) == 0 &&
                strcmp(k.p, q.p) == 0) {
                *out = l;
                rc = 0;
                break;
            }
    }
    pd_normalize__nbuf_free(&q);
    pd_normalize__nbuf_free(&k);
    if (rc)
        return pd_error__set(PD_ENOTFOUND, "no value \"%.40s\" in %.40s", name, enum_type);
    return 0;
}

/* ---- names -------------------------------------------------------------------------------------------- */

int pd_refdata_name_find(const pd_name_stat **out, pd_name_table table, const char *name)
{
    int t, rc;
    pd_nbuf b;
    size_t lo, hi;
    if (out == NULL || name == NULL)
        return pd_error__set(PD_EINVALID, "NULL argument");
    *out = NULL;
    t = table == PD_NAME_SURNAME ? IX_SURNAME : table == PD_NAME_MIDDLE ? IX_MIDDLE
        : table == PD_NAME_GIVEN ? IX_GIVEN : -1;
    if (t < 0)
        return pd_error__set(PD_EINVALID, "unknown name table %d", (int)table);
    if ((rc = ix_ready()) != 0)
        return rc;
    pd_normalize__nbuf_init(&b);
    rc = pd_normalize__key(&b, name, strlen(name), PD_KEY_TONE, 0);
    if (rc == 0) {
        ix_range(&ix[t][0], b.p, &lo, &hi);
        if (lo < hi)
            *out = ix[t][0].e[lo].item;
        else
            rc = pd_error__set(PD_ENOTFOUND, "\"%.60s\" is not in the name table", name);
    }
    pd_normalize__nbuf_free(&b);
    return rc;
}
