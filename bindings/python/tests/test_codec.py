"""Codec bindings: single records (bytes/JSON), read/write of streams, bad input."""
import os

import pytest

import partydata as pd
from partydata import partydata_c as c


def member(name="Nguyễn Văn An"):
    m = pd.Member(full_name=name)
    m["birth_date.year"] = 1975
    m["id_numbers[0].number"] = "001075000001"
    m["aliases[0]"] = ""
    return m


def test_codec_record_bytes_and_json_roundtrip():
    m = member()
    assert pd.Member.from_bytes(m.bytes()) == m
    js = c.pd_record_to_json(m._h, 0)
    assert js.startswith('{"member":{') and '"fullName":"Nguyễn Văn An"' in js
    back = pd.wrap(c.pd_record_from_json(js, c.PD_KIND_NONE, 0))
    assert back == m


def test_codec_json_errors_carry_path():
    with pytest.raises(pd.ParseError) as e:
        c.pd_record_from_json('{"member":{"birthDate":{"year":"x"}}}', c.PD_KIND_NONE, 0)
    assert e.value.path == "birth_date.year"
    with pytest.raises(pd.ParseError) as e:
        c.pd_record_from_pb(b"\x0a\x05\x1a\x03a\xffb")
    assert e.value.path == "full_name"


@pytest.mark.parametrize("ext", ["pb", "jsonl", "csv"])
def test_codec_write_read_roundtrip(tmp_path, ext):
    recs = [member("A"), member("Bé"), member("C")]
    path = tmp_path / ("m." + ext)
    assert pd.write(path, recs) == 3
    got = list(pd.read(path))
    assert [r.full_name for r in got] == ["A", "Bé", "C"]
    assert got == recs
    assert all(isinstance(r, pd.Member) for r in got)


def test_codec_read_explicit_format(tmp_path):
    path = tmp_path / "noext"
    pd.write(path, [member()], format="jsonl")
    assert open(path, encoding="utf-8").read().startswith('{"member"')
    assert len(list(pd.read(path, format="jsonl"))) == 1
    with pytest.raises(pd.InvalidError):
        pd.read(path, format="xml")


def test_codec_reader_bad_records(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"member":{"fullName":"A"}}\n{"member":{"x":1}}\nnope\n'
                    '{"member":{"fullName":"B"}}\n', encoding="utf-8")
    rd = pd.Reader(path, errors="skip")
    names = [r.full_name for r in rd]
    assert names == ["A", "B"]
    assert len(rd.rejected) == 2
    err, raw = rd.rejected[0]
    assert isinstance(err, pd.ParseError)
    assert err.line == 2 and err.record == 2 and err.path == "x"
    assert raw == b'{"member":{"x":1}}'
    assert rd.ok + len(rd.rejected) == rd.record_index == 4
    # errors="raise": the error, then the reading goes on
    it = pd.read(path)
    assert next(it).full_name == "A"
    with pytest.raises(pd.ParseError):
        next(it)
    with pytest.raises(pd.ParseError):
        next(it)
    assert next(it).full_name == "B"
    with pytest.raises(StopIteration):
        next(it)
    assert pd.read(path, ignore_unknown=True, errors="skip").__next__().full_name == "A"


def test_codec_missing_file_and_failed_write(tmp_path):
    with pytest.raises(pd.NotFoundError):
        pd.read(tmp_path / "missing.pb")
    if os.path.exists("/dev/full"):
        with pytest.raises(pd.IOError_):
            pd.write("/dev/full", [member()] * 3000, format="pb")


def test_codec_csv_columns_and_formats():
    cols = pd.csv_columns()
    assert cols[0] == "id" and "birth_date.year" in cols and "id_numbers[0].number" in cols
    assert c.pd_format_from_path("x.csv") == pd.Format.CSV
    assert c.pd_format_name(pd.Format.JSONL) == "jsonl"
    assert c.pd_py_format_parse("pb") == pd.Format.PB
    with pytest.raises(pd.InvalidError):
        c.pd_py_format_parse("xml")


def test_decode_bytes_pb_and_jsonl(tmp_path):
    a = pd.Member(full_name="Lê Văn Tám")
    b = pd.Member(full_name="Đỗ Thị Mười")
    path = str(tmp_path / "two.pb")
    pd.write(path, [a, b])
    with open(path, "rb") as f:
        got = pd.decode(f.read())
    assert got == [a, b]
    data = (a.to_json() + "\n" + b.to_json() + "\n").encode()
    got = pd.decode(data, "jsonl")
    assert [r.full_name for r in got] == ["Lê Văn Tám", "Đỗ Thị Mười"]
    assert pd.decode(b"", "pb") == []
    with pytest.raises(pd.ParseError) as ei:
        pd.decode(data + b'{"member": {"nope": 1}}\n', "jsonl")
    assert ei.value.record == 3
    with pytest.raises(pd.InvalidError):
        pd.decode(data, "xml")
