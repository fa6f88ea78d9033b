"""Tests of the store binding: context manager, put/get, history, queries, stats,
transactions, import/export, errors, and closing twice."""
import gc
import json
import time

import pytest

import partydata


def org(name, parent=None, province="01"):
    o = partydata.Organization(name=name)
    o["admin_unit.province_code"] = province
    if parent is not None:
        o.parent_id = parent.id
    return o


def member(name, org_=None, cccd=None, gender=partydata.Gender.NAM, status=2):
    m = partydata.Member(full_name=name, gender=gender, birth_date=(1980, 5, 0),
                         admission_date=(2005, 3, 2))
    m.status = status
    if cccd:
        m.cccd = cccd
    if org_ is not None:
        m.current_org_id = org_.id
    return m


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "party.db")


def test_store_context_manager_and_double_close(db):
    with partydata.Store(db) as s:
        assert s.schema_version == partydata.STORE_SCHEMA_VERSION == 2
        assert s.revision == 0
        assert not s.closed
    assert s.closed
    s.close()  # no-op
    with pytest.raises(partydata.InvalidError):
        s.get("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")
    s2 = partydata.Store(db)
    s2.close()
    del s2
    gc.collect()


def test_store_missing_file_and_errors(tmp_path):
    with pytest.raises(partydata.NotFoundError):
        partydata.Store(str(tmp_path / "none.db"), create=False)
    junk = tmp_path / "junk.db"
    junk.write_text("not a database\n" * 200)
    with pytest.raises(partydata.StoreError):
        partydata.Store(str(junk))


def test_store_put_get_history(db):
    with partydata.Store(db) as s:
        o = org("Chi bộ 1")
        assert s.put(o) == "inserted"
        m = member("Trần Thị Bình", o, cccd="001190000001", gender=partydata.Gender.NU)
        assert s.put(m, author="tester", decision_number="12-QĐ/ĐU") == "inserted"
        assert s.put(m) == "unchanged"
        got = s[m.id]
        assert isinstance(got, partydata.Member)
        assert got.full_name == "Trần Thị Bình"
        assert got["provenance.revision"] == 1
        assert m.id in s
        t1 = int(time.time() * 1e6)
        m.full_name = "Trần Thị Bình An"
        assert s.put(m, reason="correction") == "updated"
        assert s.get_by_cccd("001190000001").full_name == "Trần Thị Bình An"
        hist = s.history(m.id)
        assert [h["revision"] for h in hist] == [1, 2]
        assert hist[0]["author"] == "tester"
        assert hist[0]["decision_number"] == "12-QĐ/ĐU"
        assert hist[1]["reason"] == "correction"
        assert hist[0]["record"].full_name == "Trần Thị Bình"
        assert s.get_as_of(m.id, t1).full_name == "Trần Thị Bình"
        with pytest.raises(KeyError):
            s.get(partydata.new_id())
        with pytest.raises(partydata.NotFoundError):
            s.get_by_cccd("999999999999")


def test_store_unknown_org_and_delete_conflict(db):
    with partydata.Store(db) as s:
        ghost = org("ghost")
        with pytest.raises(partydata.NotFoundError) as e:
            s.put(member("X", ghost))
        assert e.value.path == "current_org_id"
        o = org("Org")
        s.put(o)
        m = member("Y", o)
        s.put(m)
        with pytest.raises(partydata.ConflictError):
            s.delete(o.id)
        s.delete(m.id, reason="test")
        assert m.id not in s
        assert s.history(m.id)[-1]["operation"] == "delete"


def test_store_transaction(db):
    with partydata.Store(db) as s:
        m = member("Hồ G")
        with pytest.raises(RuntimeError):
            with s.transaction():
                s.put(m)
                raise RuntimeError("abort")
        assert m.id not in s
        with s.transaction():
            s.put(m)
        assert m.id in s


def test_store_query_count_stats(db):
    with partydata.Store(db) as s:
        root = org("Tỉnh")
        a = org("Xã A", root)
        b = org("Xã B", root, province="79")
        for o in (root, a, b):
            s.put(o)
        s.put(member("Nguyễn Văn An", a))
        s.put(member("Nguyễn Thị Bích", a, gender=partydata.Gender.NU))
        s.put(member("Lê Văn Cường", b, status=1))
        assert s.count() == 3
        assert {m.full_name for m in s.query(org=a.id)} == {"Nguyễn Văn An",
                                                            "Nguyễn Thị Bích"}
        assert len(list(s.query(name_prefix="nguyen"))) == 2
        assert len(list(s.query(status="CHINH_THUC"))) == 2
        assert len(list(s.query(province="79"))) == 1
        assert len(list(s.query(kind="organization", org=root.id))) == 3
        assert s.count(limit=1) == 1
        stats = s.stats(by=("province", "gender"))
        assert stats == [("01", "NAM", 1), ("01", "NU", 1), ("79", "NAM", 1)]
        assert all(isinstance(x, (str, int, type(None))) for row in stats for x in row)
        assert s.stats(by="status", province="01") == [("CHINH_THUC", 2)]
        assert s.stats_table(by=("province", "gender"))[0] == ("province", "gender", "count")
        assert s.stats_table(by="status", province="01")[1:] == [("CHINH_THUC", 2)]
        with pytest.raises(partydata.InvalidError):
            s.stats(by="shoe_size")
        assert s.check() == []


def test_store_import_export(db, tmp_path):
    src = tmp_path / "in.jsonl"
    o = org("Chi bộ")
    ms = [member("Nguyễn Văn %d" % i, o) for i in range(5)]
    lines = [o.to_json()] + [m.to_json() for m in ms] + ["{broken"]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rejects = tmp_path / "rej.jsonl"
    with partydata.Store(db) as s:
        n = s.import_file(src, rejects=rejects, validate=False)
        assert n["read"] == 7
        assert n["inserted"] == 6 and n["rejected"] == 1
        assert n["read"] == n["inserted"] + n["updated"] + n["unchanged"] + n["rejected"]
        assert rejects.read_text().strip() == "{broken"
        again = s.import_file(src, validate=False)
        assert again["unchanged"] == 6 and again["inserted"] == 0
        out = tmp_path / "out.jsonl"
        assert s.export(out) == 6
        rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        assert "organization" in rows[0]
        assert sum("member" in r for r in rows) == 5
        assert s.export(tmp_path / "sub.pb", org=o.id) == 6
    with partydata.Store(str(tmp_path / "copy.db")) as c:
        n = c.import_file(tmp_path / "sub.pb", normalize=False, validate=False)
        assert n["inserted"] == 6
        assert c.get(ms[0].id).full_name == "Nguyễn Văn 0"


def test_store_readonly(db):
    with partydata.Store(db) as s:
        s.put(member("Z"))
    with partydata.Store(db, readonly=True) as r:
        assert r.count() == 1
        with pytest.raises(partydata.ReadOnlyError):
            r.put(member("W"))
