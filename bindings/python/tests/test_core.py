import partydata
import pytest


def test_version():
    assert partydata.__version__.count(".") == 2
    assert partydata.version_number() >= 100


def test_new_id_is_v7_and_increasing():
    a = partydata.new_id()
    b = partydata.new_id()
    assert len(a) == 36 and a[14] == "7"
    assert a < b


def test_canonical_id_and_parse_error():
    assert partydata.canonical_id("0190A1B2C3D47E5F8A9B0C1D2E3F4A5B") == \
        "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
    with pytest.raises(partydata.ParseError) as ei:
        partydata.canonical_id("nope")
    assert ei.value.code == -6
    assert "UUID" in str(ei.value)
    assert isinstance(ei.value, partydata.Error)
    assert isinstance(ei.value, ValueError)


def test_error_classes():
    assert issubclass(partydata.NotFoundError, KeyError)
    e = partydata._errors.from_last(-4, "no such member", "id", "a.jsonl", 3, 0, 2, 10, 0, None)
    assert isinstance(e, partydata.NotFoundError)
    assert e.line == 3 and e.record == 2 and e.path == "id"
    assert str(e) == "no such member (a.jsonl, line 3, record 2) at id"
    assert type(partydata._errors.from_last(-99, "x", None, None, 0, 0, 0, -1, 0, None)) \
        is partydata.Error


def test_uuid_helpers():
    a = partydata.new_id()
    assert partydata._c.pd_py_uuid_cmp(a, a) == 0
    assert partydata._c.pd_py_uuid_is_nil("00000000-0000-0000-0000-000000000000") == 1
    with pytest.raises(ValueError):
        partydata._c.pd_py_uuid_cmp("x", a)
    assert partydata._c.pd_uuid_time_ms(a) > 1700000000000
    assert partydata._c.pd_code_name(-4) == "PD_ENOTFOUND"


def test_findings_list():
    fs = partydata.Findings()
    assert len(fs) == 0
    fs.add("PD-R014", "error", "id_numbers[0].number", "CCCD không đủ 12 chữ số",
           "CCCD is not 12 digits", old="12 3", new="123", record=4)
    fs.add("PD-R043", "warning", "contacts.phones[0]")
    assert len(fs) == 2
    f = fs[0]
    assert f["rule"] == "PD-R014" and f["severity"] == "error"
    assert f["old"] == "12 3" and f["new"] == "123" and f["record"] == 4
    assert [x["rule"] for x in fs] == ["PD-R014", "PD-R043"]
    assert fs[-1]["severity"] == "warning"
    assert fs.count_at_least("warning") == 2 and fs.count_at_least("error") == 1
    with pytest.raises(IndexError):
        fs[2]
    with pytest.raises(partydata.InvalidError):
        fs.add(None)
    assert partydata._c.pd_severity_name(3) == "error"
    fs.clear()
    assert len(fs) == 0
