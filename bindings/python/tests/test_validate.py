"""pytest of the validate bindings: partydata.validate(records) and the catalogue."""
import datetime

import partydata
from partydata import Member, Organization, Finding, Rule

TODAY = "2026-01-01"
ORG_X = "0190a000-0000-7000-8000-000000000001"


def good_member(**kw):
    m = Member(full_name="Nguyễn Văn An", gender="NAM")
    m.birth_date = (1990, 5, 10)
    m["birthplace.province_code"] = "01"
    m["ethnicity.code"] = "01"
    m["ethnicity.list"] = "ETHNIC_LIST_2008"
    m["religion.code"] = "00"
    m["id_numbers[0].type"] = "CCCD"
    m["id_numbers[0].number"] = "001090012345"
    m.admission_decision_date = (2015, 7, 26)
    m.admission_date = (2015, 8, 10)
    m.official_date = (2016, 8, 10)
    m.status = "CHINH_THUC"
    m.party_card_no = "12345678"
    m["memberships[0].org_id"] = ORG_X
    m["memberships[0].kind"] = "CHINH_THUC"
    m["memberships[0].from.year"] = 2015
    m["current_org_id"] = ORG_X
    for k, v in kw.items():
        m[k] = v
    return m


def test_validate_good_member_has_no_findings():
    assert list(partydata.validate([good_member()], today=TODAY)) == []


def test_validate_findings_are_plain_objects():
    bad = good_member()
    bad["id_numbers[0].number"] = "00109001234X"
    bad.full_name = "Nguyễn  Văn An"
    fs = list(partydata.validate([good_member(), bad], today=TODAY))
    codes = {f.code for f in fs}
    assert {"PD-R014", "PD-R002"} <= codes
    f = next(f for f in fs if f.code == "PD-R014")
    assert isinstance(f, Finding)
    assert f.severity == "error"
    assert f.path == "id_numbers[0].number"
    assert "CCCD" in f.message_vi and "CCCD" in f.message_en
    assert f.record == 2
    assert f.record_id == bad.id
    assert f.possible is False
    assert isinstance(f.as_dict(), dict)


def test_validate_set_rules_duplicate_cccd():
    a, b = good_member(), good_member()
    b.party_card_no = "87654321"
    fs = list(partydata.validate([a, b], today=TODAY))
    assert [f.code for f in fs] == ["PD-R019"]
    assert fs[0].record == 2


def test_validate_partial_date_possible():
    m = good_member()
    m.admission_date = (2015, 0, 0)  # year only, same year as the decision
    fs = [f for f in partydata.validate_record(m, today=TODAY) if f.code == "PD-R005"]
    assert len(fs) == 1
    assert fs[0].possible is True
    assert fs[0].severity == "warning"


def test_validate_as_of_picks_rules():
    o = Organization(name="Đảng bộ huyện B")
    o["kind"] = "DANG_BO"
    o["level"] = "CAP_HUYEN"
    o["parent_id"] = ORG_X
    o["valid_from.year"] = 1990
    before = partydata.validate_record(o, as_of="2025-06-01", today=TODAY)
    after = partydata.validate_record(o, as_of=datetime.date(2025, 8, 1), today=TODAY)
    assert "PD-R037" not in {f.code for f in before}
    assert "PD-R037" in {f.code for f in after}


def test_validate_errors_only_and_filter():
    m = good_member()
    m.party_card_no = "1234"  # PD-R022 warning
    assert partydata.validate_record(m, today=TODAY, errors_only=True) == []
    assert [f.code for f in partydata.validate_record(m, today=TODAY)] == ["PD-R022"]
    assert partydata.validate_record(m, today=TODAY, only="-PD-R022") == []


def test_validator_object_and_stats():
    v = partydata.Validator(today=TODAY)
    assert v.add(good_member()) == []
    fs = v.add_decode_error(2, "bad JSON")
    assert fs[0].code == "PD-R000" and "bad JSON" in fs[0].message_en
    assert v.finish() == []
    assert v.stats == (2, 1, 0, 0)


def test_rules_catalogue():
    rs = partydata.rules()
    assert len(rs) >= 45
    assert all(isinstance(r, Rule) for r in rs)
    codes = {r.code for r in rs}
    assert {"PD-R%03d" % i for i in range(1, 45)} <= codes
    r = partydata.rule("PD-R010", as_of="2025-03-01")
    assert "232" in r.source and r.valid_from == (2025, 1, 20) and r.valid_to is None
    assert partydata.rule("PD-R037", as_of="2025-06-01") is None
    assert partydata.rule("PD-R999") is None
    assert "## PD-R044" in partydata.rules_markdown()


def test_bad_date_argument_raises():
    import pytest
    with pytest.raises(ValueError):
        partydata.validate_record(good_member(), as_of="yesterday")
    with pytest.raises(partydata.InvalidError):
        partydata.validate_record(good_member(), as_of=(2020, 2, 30))
