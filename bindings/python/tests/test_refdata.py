"""Tests of the refdata bindings."""
import datetime

import pytest

import partydata


def test_counts():
    c = partydata.refdata_counts()
    assert c["provinces_2025"] == 34
    assert c["provinces_pre2025"] == 63
    assert c["communes_2025"] == 3321
    assert c["communes_pre2025"] == 10047
    assert c["ethnic_groups"] == 54
    assert len(partydata.provinces()) == 34
    assert len(partydata.provinces("pre2025")) == 63
    assert len(partydata.communes()) == 3321
    assert len(partydata.conversions()) == 10583
    assert len(partydata.admin_changes()) == 11
    assert len(partydata.ethnic_groups()) == 54
    assert len(partydata.religions()) == 17
    assert partydata.names("surnames")[0]["name"] == "Nguyễn"
    assert len(partydata.names("given")) == 804


def test_lookups():
    assert partydata.province_by_name("TP. Hồ Chí Minh")["code"] == "79"
    assert partydata.province_by_name("ha noi", gen="2025")["full_name"] == "Thành phố Hà Nội"
    assert partydata.province("02", gen="pre2025")["successor_code"] == "08"
    with pytest.raises(partydata.NotFoundError):
        partydata.province("02", gen="2025")
    c = partydata.commune_by_name("Phường Phúc Xá", gen="pre2025")
    assert c["code"] == "00001" and c["district_name"] == "Quận Ba Đình"
    with pytest.raises(partydata.ConflictError):
        partydata.commune_by_name("Tân Phú", gen="pre2025")
    s = partydata.commune_successors("00001")
    assert s[0]["new_code"] == "00097" and s[0]["partial"] is False
    assert any(p["old_code"] == "00001" for p in partydata.commune_predecessors("00097"))
    assert all(x["partial"] for x in partydata.commune_successors("18796"))


def test_as_of():
    assert partydata.admin_gen_as_of((2025, 6, 30)) == "pre2025"
    assert partydata.admin_gen_as_of(datetime.date(2025, 7, 1)) == "2025"
    assert partydata.admin_gen_as_of((2025, 0, 0)) is None
    assert partydata.province_as_of("75", "01/05/2026")[1] == "thanh_pho"
    assert partydata.province_as_of("75", (2025, 7, 1))[1] == "tinh"
    c, t = partydata.commune_as_of("25270", (2026, 5, 1))
    assert t == "phuong" and c["type"] == "xa"
    with pytest.raises(partydata.NotFoundError):
        partydata.commune_as_of("00001", (2025, 7, 1))


def test_cccd_ethnic_religion_labels():
    i = partydata.cccd_info("001090012345")
    assert i["province"]["name"] == "Hà Nội" and i["gender"] == 1 and i["birth_year"] == 1990
    assert partydata.cccd_info("003090012345")["province"] is None
    with pytest.raises(partydata.InvalidError):
        partydata.cccd_info("123")
    assert partydata.cccd_province("046")["former_name"] == "Thừa Thiên Huế"
    assert partydata.ethnic_group("Mèo")["code_2008"] == "08"
    with pytest.raises(partydata.ConflictError):
        partydata.ethnic_group("Thổ")
    assert sorted(partydata.ethnic_candidates("Xá Lá Vàng")) == ["21", "44", "46"]
    assert partydata.ethnic_by_code("04", 1979)["name"] == "Hoa"
    assert partydata.ethnic_by_code("04", 2008)["name"] == "Mường"
    assert partydata.religion("Đạo Phật")["code"] == "01"
    assert partydata.religion_by_code("1")["name"] == "Phật giáo"
    assert partydata.label("EventType", 1)["short_name"] == "KET_NAP"
    assert partydata.label_by_name("OrgLevel", "cap xa")["value"] == 4
    assert len(partydata.labels("OrgKind")) == 4
    assert partydata.name_stat("middle", "Thị")["gender"] == "F"
