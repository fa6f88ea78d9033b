#!/bin/sh
# sql-doc.sh: run every ```sql block of docs/sql.md with the sqlite3 shell on a small
# test store and compare its output with the ```text block that follows it.
set -u
: "${PARTYDATA:?}" "${SQLITE3:?}" "${top_srcdir:?}"
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT INT TERM
fail() { echo "sql-doc: FAIL: $*" >&2; exit 1; }

# The test store: 6 organizations, 9 members (two with a missing required field,
# one a duplicate CCCD), one member of an unknown organization (rejected).
cat > "$dir/fixture.jsonl" <<'JSONL'
{"organization":{"id":"AAAAAAAAcAAAAAAAAAAAAQ==","name":"Ban Chấp hành Trung ương","kind":"ORG_KIND_DANG_BO","level":"ORG_LEVEL_TRUNG_UONG","code":"TW","validFrom":{"year":1930,"month":2,"day":3}}}
{"organization":{"id":"AAAAAAAAcAAAAAAAAAAAAg==","name":"Đảng bộ Thành phố Hà Nội","kind":"ORG_KIND_DANG_BO","level":"ORG_LEVEL_TRUC_THUOC_TW","parentId":"AAAAAAAAcAAAAAAAAAAAAQ==","adminUnit":{"provinceCode":"01"},"validFrom":{"year":1945,"month":1,"day":1}}}
{"organization":{"id":"AAAAAAAAcAAAAAAAAAAAAw==","name":"Chi bộ Phường Ba Đình","kind":"ORG_KIND_CHI_BO","level":"ORG_LEVEL_CO_SO","parentId":"AAAAAAAAcAAAAAAAAAAAAg==","adminUnit":{"provinceCode":"01","communeCode":"00004"},"validFrom":{"year":2025,"month":7,"day":1}}}
{"organization":{"id":"AAAAAAAAcAAAAAAAAAAABA==","name":"Chi bộ Phường Hoàn Kiếm","kind":"ORG_KIND_CHI_BO","level":"ORG_LEVEL_CO_SO","parentId":"AAAAAAAAcAAAAAAAAAAAAg==","adminUnit":{"provinceCode":"01","communeCode":"00070"},"validFrom":{"year":2025,"month":7,"day":1}}}
{"organization":{"id":"AAAAAAAAcAAAAAAAAAAABQ==","name":"Đảng bộ Thành phố Hồ Chí Minh","kind":"ORG_KIND_DANG_BO","level":"ORG_LEVEL_TRUC_THUOC_TW","parentId":"AAAAAAAAcAAAAAAAAAAAAQ==","adminUnit":{"provinceCode":"79"},"validFrom":{"year":1945,"month":1,"day":1}}}
{"organization":{"id":"AAAAAAAAcAAAAAAAAAAABg==","name":"Chi bộ Phường Sài Gòn","kind":"ORG_KIND_CHI_BO","level":"ORG_LEVEL_CO_SO","parentId":"AAAAAAAAcAAAAAAAAAAABQ==","adminUnit":{"provinceCode":"79","communeCode":"26734"},"validFrom":{"year":2025,"month":7,"day":1}}}
{"member":{"id":"AAAAAAAAcAAAAAAAAAABAQ==","fullName":"Nguyễn Văn An","gender":"GENDER_NAM","birthDate":{"year":1980,"month":5,"day":2},"ethnicity":{"code":"01","list":"ETHNIC_LIST_2008"},"idNumbers":[{"type":"ID_TYPE_CCCD","number":"001080000001"}],"admissionDecisionDate":{"year":2005,"month":3,"day":1},"admissionDate":{"year":2005,"month":3,"day":2},"officialDate":{"year":2006,"month":3,"day":2},"status":"MEMBER_STATUS_CHINH_THUC","currentOrgId":"AAAAAAAAcAAAAAAAAAAAAw==","memberships":[{"orgId":"AAAAAAAAcAAAAAAAAAAAAw==","kind":"MEMBERSHIP_KIND_CHINH_THUC","from":{"year":2005,"month":3,"day":2}}]}}
{"member":{"id":"AAAAAAAAcAAAAAAAAAABAg==","fullName":"Trần Thị Bình","gender":"GENDER_NU","birthDate":{"year":1985,"month":5,"day":2},"ethnicity":{"code":"01","list":"ETHNIC_LIST_2008"},"idNumbers":[{"type":"ID_TYPE_CCCD","number":"001185000002"}],"admissionDecisionDate":{"year":2010,"month":3,"day":1},"admissionDate":{"year":2010,"month":3,"day":2},"officialDate":{"year":2011,"month":3,"day":2},"status":"MEMBER_STATUS_CHINH_THUC","currentOrgId":"AAAAAAAAcAAAAAAAAAAAAw==","memberships":[{"orgId":"AAAAAAAAcAAAAAAAAAAAAw==","kind":"MEMBERSHIP_KIND_CHINH_THUC","from":{"year":2010,"month":3,"day":2}}]}}
{"member":{"id":"AAAAAAAAcAAAAAAAAAABAw==","fullName":"Lê Văn Cường","gender":"GENDER_NAM","birthDate":{"year":1990,"month":5,"day":2},"ethnicity":{"code":"01","list":"ETHNIC_LIST_2008"},"idNumbers":[{"type":"ID_TYPE_CCCD","number":"001090000003"}],"admissionDecisionDate":{"year":2025,"month":3,"day":1},"admissionDate":{"year":2025,"month":3,"day":2},"status":"MEMBER_STATUS_DU_BI","currentOrgId":"AAAAAAAAcAAAAAAAAAAABA==","memberships":[{"orgId":"AAAAAAAAcAAAAAAAAAAABA==","kind":"MEMBERSHIP_KIND_CHINH_THUC","from":{"year":2025,"month":3,"day":2}}]}}
{"member":{"id":"AAAAAAAAcAAAAAAAAAABBA==","fullName":"Phạm Thị Dung","gender":"GENDER_NU","birthDate":{"year":1975,"month":5,"day":2},"idNumbers":[{"type":"ID_TYPE_CCCD","number":"001175000004"}],"admissionDecisionDate":{"year":2005,"month":3,"day":1},"admissionDate":{"year":2005,"month":3,"day":2},"officialDate":{"year":2006,"month":3,"day":2},"status":"MEMBER_STATUS_CHINH_THUC","currentOrgId":"AAAAAAAAcAAAAAAAAAAABA==","memberships":[{"orgId":"AAAAAAAAcAAAAAAAAAAABA==","kind":"MEMBERSHIP_KIND_CHINH_THUC","from":{"year":2005,"month":3,"day":2}}]}}
{"member":{"id":"AAAAAAAAcAAAAAAAAAABBQ==","fullName":"Hoàng Văn Em","gender":"GENDER_NAM","birthDate":{"year":1970,"month":5,"day":2},"ethnicity":{"code":"01","list":"ETHNIC_LIST_2008"},"idNumbers":[{"type":"ID_TYPE_CCCD","number":"079070000005"}],"admissionDecisionDate":{"year":2000,"month":3,"day":1},"admissionDate":{"year":2000,"month":3,"day":2},"officialDate":{"year":2001,"month":3,"day":2},"status":"MEMBER_STATUS_CHINH_THUC","currentOrgId":"AAAAAAAAcAAAAAAAAAAABg==","memberships":[{"orgId":"AAAAAAAAcAAAAAAAAAAABg==","kind":"MEMBERSHIP_KIND_CHINH_THUC","from":{"year":2000,"month":3,"day":2}}]}}
{"member":{"id":"AAAAAAAAcAAAAAAAAAABBg==","fullName":"Vũ Thị Giang","gender":"GENDER_NU","birthDate":{"year":1988,"month":5,"day":2},"idNumbers":[{"type":"ID_TYPE_CCCD","number":"079188000006"}],"admissionDecisionDate":{"year":2010,"month":3,"day":1},"admissionDate":{"year":2010,"month":3,"day":2},"officialDate":{"year":2011,"month":3,"day":2},"status":"MEMBER_STATUS_CHINH_THUC","currentOrgId":"AAAAAAAAcAAAAAAAAAAABg==","memberships":[{"orgId":"AAAAAAAAcAAAAAAAAAAABg==","kind":"MEMBERSHIP_KIND_CHINH_THUC","from":{"year":2010,"month":3,"day":2}}]}}
{"member":{"id":"AAAAAAAAcAAAAAAAAAABBw==","fullName":"Đặng Thị Hà","gender":"GENDER_NU","birthDate":{"year":1992,"month":5,"day":2},"ethnicity":{"code":"01","list":"ETHNIC_LIST_2008"},"idNumbers":[{"type":"ID_TYPE_CCCD","number":"079192000007"}],"admissionDecisionDate":{"year":2015,"month":3,"day":1},"admissionDate":{"year":2015,"month":3,"day":2},"officialDate":{"year":2016,"month":3,"day":2},"status":"MEMBER_STATUS_CHINH_THUC","currentOrgId":"AAAAAAAAcAAAAAAAAAAABg==","memberships":[{"orgId":"AAAAAAAAcAAAAAAAAAAABg==","kind":"MEMBERSHIP_KIND_CHINH_THUC","from":{"year":2015,"month":3,"day":2}}]}}
{"member":{"id":"AAAAAAAAcAAAAAAAAAABCA==","fullName":"Bùi Văn Khoa","gender":"GENDER_NAM","birthDate":{"year":1950,"month":5,"day":2},"ethnicity":{"code":"01","list":"ETHNIC_LIST_2008"},"idNumbers":[{"type":"ID_TYPE_CCCD","number":"079050000008"}],"admissionDecisionDate":{"year":1975,"month":3,"day":1},"admissionDate":{"year":1975,"month":3,"day":2},"officialDate":{"year":1976,"month":3,"day":2},"status":"MEMBER_STATUS_TU_TRAN","currentOrgId":"AAAAAAAAcAAAAAAAAAAABg=="}}
{"member":{"id":"AAAAAAAAcAAAAAAAAAABCQ==","fullName":"Nguyen Van An","gender":"GENDER_NAM","birthDate":{"year":1980,"month":5,"day":2},"ethnicity":{"code":"01","list":"ETHNIC_LIST_2008"},"idNumbers":[{"type":"ID_TYPE_CCCD","number":"001080000001"}],"status":"MEMBER_STATUS_XOA_TEN","currentOrgId":"AAAAAAAAcAAAAAAAAAAAAw=="}}
{"member":{"id":"AAAAAAAAcAAAAAAAAAABCg==","fullName":"Ngô Văn Lạc","gender":"GENDER_NAM","currentOrgId":"AAAAAAAAcAAAAAAAAAAAEQ=="}}
JSONL
cd "$dir" || exit 1
env -u USER "$PARTYDATA" import party.db fixture.jsonl >/dev/null 2>&1
[ $? -le 1 ] || fail "import of the fixture"

# Split the document: block N of SQL in sql.N, the expected output in want.N.
awk -v d="$dir" '
    /^```sql$/  { n++; mode = "sql"; f = d "/sql." n; printf "" > f; next }
    /^```text$/ { if (n && !(n in done)) { mode = "text"; f = d "/want." n; printf "" > f; done[n] = 1 } ; next }
    /^```/      { if (mode != "") close(f); mode = ""; next }
    mode != ""  { print >> f }
' "$top_srcdir/docs/sql.md"

count=0
for q in "$dir"/sql.*; do
    n=${q##*.}
    "$SQLITE3" -header -batch party.db < "$q" > "$dir/got.$n" 2> "$dir/err.$n" ||
        fail "query $n failed: $(cat "$dir/err.$n")"
    [ -s "$dir/err.$n" ] && fail "query $n: $(cat "$dir/err.$n")"
    if [ -f "$dir/want.$n" ]; then
        # an empty result prints no header: the document shows the header alone
        if [ ! -s "$dir/got.$n" ] && [ "$(wc -l < "$dir/want.$n")" -eq 1 ]; then
            :
        elif ! diff -u "$dir/want.$n" "$dir/got.$n"; then
            fail "query $n of docs/sql.md: output differs (above)"
        fi
    fi
    count=$((count + 1))
done
[ "$count" -ge 3 ] || fail "only $count queries found in docs/sql.md"
echo "sql-doc: ok ($count queries)"
