"""Tests of the normalize bindings."""
import pytest

import partydata


def test_strings():
    assert partydata.normalize_text("  \u00d0\u1eb7ng\u00a0Th\u1ecb ") == "Đặng Thị"
    assert partydata.name_case("NGUYỄN văn  an") == "Nguyễn Văn An"
    assert partydata.tone_key("Hoà") == partydata.tone_key("Hòa") == "hoa2"
    assert partydata.fold("Nguyễn Văn-Ân") == "nguyen van an"
    assert partydata.split_name("Nguyễn Thị Thu Hà") == ("Nguyễn", "Thị Thu", "Hà")
    for s in ["Hòa  bình", "ÐỨC", "x\u0301", "a\u2019b"]:
        once = partydata.normalize_text(s)
        assert partydata.normalize_text(once) == once


def test_invalid_text_raises():
    # a lone surrogate is not UTF-8 text: refused at the boundary or by the library
    with pytest.raises((TypeError, UnicodeError, partydata.InvalidError)):
        partydata.normalize_text("abc\udcff")


def test_dates_phones_ids_places():
    assert partydata.parse_date("5/3/1980") == (1980, 3, 5)
    assert partydata.parse_date("03/1980") == (1980, 3, 0)
    assert partydata.parse_date("05-03-25", pivot=20) == (1925, 3, 5)
    with pytest.raises(partydata.InvalidError):
        partydata.parse_date("31/02/2020")
    with pytest.raises(partydata.InvalidError):
        partydata.parse_date("0000")
    with pytest.raises(partydata.ParseError):
        partydata.parse_date("hello")
    assert partydata.date_valid((2000, 2, 29)) and not partydata.date_valid((1900, 2, 29))
    assert partydata.normalize_phone("+84 168 123 4567") == "0381234567"
    with pytest.raises(partydata.InvalidError):
        partydata.normalize_phone("12")
    r = partydata.normalize_id_number("001 090 012 345")
    assert r["ok"] and r["number"] == "001090012345" and r["type"] == "CCCD"
    r = partydata.normalize_id_number("1090012345")
    assert not r["ok"] and r["suggestion"] == "001090012345" and r["number"] == "1090012345"
    p = partydata.normalize_place("Phường Phúc Xá, Quận Ba Đình, Hà Nội")
    assert p["commune_code"] == "00097" and p["converted"]
    with pytest.raises(partydata.NotFoundError):
        partydata.normalize_place("Paris, France")


def test_normalize_record():
    m = partydata.Member(full_name="  NGUYỄN văn  an ")
    m["contacts.phones[0]"] = "0168 123 4567"
    m["ethnicity.name"] = "Khmer"
    m["id_numbers[0].number"] = "79090012345"
    changes = partydata.normalize(m, dry_run=True)
    assert m["full_name"] == "  NGUYỄN văn  an "
    codes = {c.code for c in changes}
    assert {"PD-N002", "PD-N007", "PD-N008", "PD-N017", "PD-N012"} <= codes
    changes = partydata.normalize(m, keep_original=True)
    assert m["full_name"] == "Nguyễn Văn An"
    assert m["aliases"] == ["  NGUYỄN văn  an "]
    assert m["contacts.phones"] == ["0381234567"]
    assert m["ethnicity.code"] == "05"
    assert m["id_numbers[0].number"] == "79090012345"
    c = [c for c in changes if c.path == "full_name"][0]
    assert c.old_value == "  NGUYỄN văn  an " and c.new_value == "Nguyễn Văn An"
    assert c.severity == "info" and c.record_id == m.id
    again = partydata.normalize(m, keep_original=True)
    assert all(c.severity == "warning" for c in again)


def test_convert_codes():
    m = partydata.Member(full_name="Lê Văn Cường")
    m["hometown.commune_code"] = "00001"
    m["hometown.province_code"] = "01"
    m["hometown.admin_version"] = "ADMIN_VERSION_PRE2025"
    assert partydata.normalize(m) == []
    changes = partydata.normalize(m, convert_codes=True)
    assert m["hometown.commune_code"] == "00097"
    assert any(c.code == "PD-N015" and c.old_value == "00001" for c in changes)
