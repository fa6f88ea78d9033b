"""Tests of partydata.generate(), partydata.Generator and partydata.score()."""
import json
import os

import pytest

import partydata


def test_generate_iterates_orgs_then_members():
    g = partydata.generate(members=50, province="44", seed=3)
    kinds = [type(r).__name__ for r in g]
    assert kinds[0] == "Organization"
    assert kinds.count("Member") == 50
    assert kinds.index("Member") > 50  # the tree first
    assert "Organization" not in kinds[kinds.index("Member"):]
    st = g.stats
    assert st["members"] == 50 and st["persons"] == 50 and st["defects"] == 0
    assert g.expected >= 50


def test_generator_truth_and_determinism():
    def run(seed):
        g = partydata.Generator(members=300, province="44", seed=seed, dirty=0.5,
                                duplicates=0.1, orgs=False)
        ids = [r.id for r in g]
        return ids, g.truth, g.stats

    ids1, truth1, st1 = run(9)
    ids2, truth2, _ = run(9)
    ids3, _, _ = run(10)
    assert ids1 == ids2 and truth1 == truth2
    assert ids1 != ids3
    defects = [t for t in truth1 if t["type"] == "defect"]
    clusters = [t for t in truth1 if t["type"] == "cluster"]
    assert len(defects) == st1["defects"] > 100
    assert len(clusters) == st1["clusters"] > 5
    assert set(d["kind"] for d in defects) <= set(partydata.defect_kinds())
    assert all(d["record_id"] in ids1 for d in defects)
    assert all(len(c["members"]) >= 2 and set(c["members"]) <= set(ids1) for c in clusters)


def test_generate_member_content():
    for r in partydata.Generator(members=20, province="01", seed=1, orgs=False):
        cccd = r["id_numbers[0].number"]
        assert len(cccd) == 12 and cccd.isdigit()
        assert r["full_name"].count(" ") >= 1
        assert str(r["hometown.commune_code"]).isdigit()


def test_generate_file_and_score(tmp_path):
    out, truth = tmp_path / "w.jsonl", tmp_path / "t.jsonl"
    st = partydata.generate(out, members=200, province="44", seed=2, dirty=0.3,
                            duplicates=0.2, truth=truth)
    assert out.exists() and truth.exists()
    lines = truth.read_text(encoding="utf-8").splitlines()
    assert sum(1 for l in lines if '"cluster"' in l) == st["clusters"]
    assert sum(1 for l in lines if '"defect"' in l) == st["defects"]
    # the truth's own clusters score 1.0
    cl = tmp_path / "c.jsonl"
    cl.write_text("".join(l + "\n" for l in lines if '"cluster"' in l), encoding="utf-8")
    rows = {r["name"]: r for r in partydata.score(truth, clusters=cl)}
    assert rows["pairs"]["precision"] == 1.0 and rows["pairs"]["recall"] == 1.0
    assert rows["clusters"]["f1"] == 1.0
    assert "pairs" in partydata.score(truth, clusters=cl, as_text=True)
    # a finding on a defect's field matches it
    d = json.loads(next(l for l in lines if '"defect"' in l))
    fi = tmp_path / "f.jsonl"
    fi.write_text(json.dumps({"rule": "PD-R999", "path": d["path"], "record_id": d["record_id"]})
                  + "\n", encoding="utf-8")
    rows = {r["name"]: r for r in partydata.score(truth, findings=fi)}
    assert rows["overall"]["tp_found"] == 1 and rows["overall"]["precision"] == 1.0
    assert rows[d["kind"]]["tp_truth"] >= 1
    assert rows["rule:PD-R999"]["recall"] is None


def test_generate_bad_options(tmp_path):
    with pytest.raises(partydata.InvalidError):
        partydata.generate(tmp_path / "x.jsonl", members=-1)
    with pytest.raises(partydata.InvalidError):
        partydata.generate(tmp_path / "x.jsonl", dirty=2)
    with pytest.raises(partydata.NotFoundError):
        partydata.generate(tmp_path / "x.jsonl", province="99")
    assert not os.path.exists(tmp_path / "x.jsonl")
    with pytest.raises(ValueError):
        partydata.score(tmp_path / "t.jsonl")
    with pytest.raises(partydata.NotFoundError):
        partydata.score(tmp_path / "none.jsonl", clusters=tmp_path / "none2.jsonl")
