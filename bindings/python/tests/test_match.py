"""Tests of the match and merge bindings (partydata._match)."""
import os
import tempfile

import pytest

import partydata


def member(name, birth=None, cccd=None, card=None, gender=None, province=None):
    m = partydata.Member()
    m["full_name"] = name
    if birth:
        y, mo, d = birth
        m["birth_date.year"] = y
        if mo:
            m["birth_date.month"] = mo
            if d:
                m["birth_date.day"] = d
    if cccd:
        m["id_numbers[0].type"] = "CCCD"
        m["id_numbers[0].number"] = cccd
    if card:
        m["party_card_no"] = card
    if gender:
        m["gender"] = gender
    if province:
        m["hometown.admin_version"] = "ADMIN_VERSION_2025"
        m["hometown.province_code"] = province
    return m


def test_comparators():
    assert partydata.jaro_winkler("martha", "marhta") == pytest.approx(0.9611, abs=1e-3)
    s, how = partydata.name_similarity("Nguyễn Thị Hoà", "nguyen thi hoa")
    assert s == 1.0 and how == "accents missing"
    assert partydata.name_similarity("Văn Hùng Nguyễn", "Nguyễn Văn Hùng")[1] == "name order swap"
    assert partydata.id_compare("001085012345", "001085021345") == ("PARTIAL", "transposition")
    assert partydata.id_compare("001085012345", "001085012345")[0] == "AGREE"
    assert partydata.date_compare((1975, 3, 12), (1975, 12, 3)) == ("PARTIAL", "day/month swap")
    assert "cccd" in partydata.MATCH_FIELDS


def test_compare_explains():
    a = member("Nguyễn Văn Hùng", (1970, 5, 1), cccd="001070000111", gender="NAM")
    b = member("Nguyen Van Hung", (1970, 1, 5), cccd="001070000111", gender="NAM")
    e = partydata.match_compare(a, b)
    fields = {f["field"]: f for f in e["fields"]}
    assert fields["full_name"]["level"] == "AGREE"
    assert fields["birth_date"]["how"] == "day/month swap"
    assert fields["cccd"]["level"] == "AGREE"
    assert e["score"] == pytest.approx(sum(f["weight"] for f in e["fields"]))


def test_matcher_pairs_clusters_quality():
    mt = partydata.Matcher(em=False)
    rows = [
        (member("Nguyễn Văn Hùng", (1970, 5, 1), cccd="001070000111", province="01"), 1),
        (member("Nguyen Van Hung", (1970, 5, 1), card="11110000", province="01"), 1),
        (member("Trần Thị Hoà", (1982, 7, 9), cccd="079182333444", province="79"), 2),
        (member("Trần Thị Hòa", (1982, 7, 9), cccd="079182333443", province="79"), 2),
        (member("Lê Văn Nam", (1965, 2, 2), card="22223333"), 3),
    ]
    for m, _ in rows:
        mt.add(m)
    assert len(mt) == 5
    st = mt.run()
    assert st["clusters"] == 2
    clusters = list(mt.clusters())
    assert [len(c.members) for c in clusters] == [2, 2]
    assert all(isinstance(c, partydata.Cluster) for c in clusters)
    pairs = [p for p in mt.pairs() if p.is_match]
    assert len(pairs) == 2
    assert pairs[0].a == rows[0][0].id or pairs[0].b == rows[0][0].id
    e = mt.explain(pairs[0].index_a, pairs[0].index_b)
    assert e["score"] == pytest.approx(pairs[0].score, abs=1e-3)
    assert "full_name" in mt.explain(pairs[0].index_a, pairs[0].index_b, format="text")
    import json
    assert json.loads(mt.explain(pairs[0].index_a, pairs[0].index_b, format="json"))["score"] \
        == pytest.approx(e["score"], abs=1e-3)
    e2 = mt.explain(rows[0][0].id, rows[1][0].id)
    assert e2["score"] == e["score"]
    q = mt.evaluate([t for _, t in rows])
    assert q["pair_f1"] == 1.0 and q["cluster_f1"] == 1.0
    with pytest.raises(partydata.InvalidError):
        mt.explain(0, 99)
    with pytest.raises(partydata.NotFoundError):
        mt.index(partydata.new_id())


def test_matcher_mu():
    mt = partydata.Matcher()
    mt.set_mu("gender", "AGREE", 0.9, 0.5)
    assert mt.mu("gender", "AGREE") == (0.9, 0.5)
    with pytest.raises(partydata.InvalidError):
        mt.set_mu("gender", "AGREE", 2.0, 0.5)


def test_golden_and_merge3():
    a = member("Nguyễn Văn Hùng", (1970, 0, 0))
    b = member("Nguyễn Văn Hùng", (1970, 5, 1), card="12345678")
    g = golden = partydata.golden_record(a, b)
    assert golden.id == a.id
    assert g["birth_date.day"] == 1
    assert g["party_card_no"] == "12345678"
    with pytest.raises(partydata.InvalidError):
        partydata.golden_record(a, a)
    base = member("Lê Văn Nam", (1965, 0, 0))
    ours = base.copy()
    theirs = base.copy()
    ours["occupation"] = "Cán bộ"
    theirs["birth_date.month"] = 2
    ours["history_notes"] = "a"
    theirs["history_notes"] = "b"
    out, conflicts = partydata.merge3(base, ours, theirs)
    assert out["occupation"] == "Cán bộ" and out["birth_date.month"] == 2
    assert conflicts == ["history_notes"]
    out, conflicts = partydata.merge3(base, ours, theirs, theirs_wins=True)
    assert out["history_notes"] == "b"


def test_store_merge_unmerge_org_merge():
    with tempfile.TemporaryDirectory() as d:
        with partydata.Store(os.path.join(d, "t.db")) as s:
            root = partydata.Organization()
            root["name"] = "Tỉnh uỷ"
            s.put(root)
            x = partydata.Organization()
            x["name"] = "Xã X"
            x["parent_id"] = root.id
            y = partydata.Organization()
            y["name"] = "Xã Y"
            y["parent_id"] = root.id
            s.put(x)
            s.put(y)
            a = member("Nguyễn Văn Hùng", (1970, 5, 1))
            b = member("Nguyen Van Hung", (1970, 5, 1))
            a["current_org_id"] = x.id
            s.put(a)
            s.put(b)
            before = s.get(b.id)
            partydata.merge_members(s, a.id, b.id, reason="twice")
            assert partydata.resolve_redirect(s, b.id) == a.id
            with pytest.raises(partydata.ConflictError):
                partydata.merge_members(s, a.id, b.id)
            with pytest.raises(partydata.InvalidError):
                partydata.merge_members(s, a.id, a.id)
            partydata.unmerge_member(s, b.id)
            after = s.get(b.id)
            del before["provenance"]
            del after["provenance"]
            assert before == after
            with pytest.raises(partydata.InvalidError):
                partydata.unmerge_member(s, b.id)
            mt = partydata.Matcher()
            mt.add_store(s)
            assert len(mt) == 2
            inc = partydata.Matcher()
            inc.add_candidates(s, member("Nguyễn Văn Hùng", (1970, 5, 1)))
            assert len(inc) == 3  # the new record, a and b (same folded name and year)
            assert inc.run()["clusters"] == 1
            c = partydata.org_merge(s, x.id, y.id, decision="1-QĐ/TU", date="2025-07-01")
            assert c["orgs_merged"] == 1 and c["members_moved"] == 1
            assert c["memberships_opened"] == c["memberships_closed"]
            assert s.get(a.id)["current_org_id"] == y.id
            with pytest.raises(partydata.ConflictError):
                partydata.org_merge(s, root.id, y.id, decision="1", date=(2025, 7, 1))
