"""Duplicates and merges (match.h, merge.h).

    m = partydata.Matcher()
    for rec in store.query():
        m.add(rec)
    m.run()
    for cluster in m.clusters():          # Cluster(index, members, indexes)
        print(cluster.members)
    for pair in m.pairs(min_score=0):     # Pair(a, b, index_a, index_b, score, is_match)
        print(pair.score, m.explain(pair.index_a, pair.index_b))

    partydata.merge_members(store, survivor_id, loser_id, reason="entered twice")
    partydata.unmerge_member(store, loser_id)
    merged, conflicts = partydata.merge3(base, ours, theirs)
    counts = partydata.org_merge(store, from_id, to_id, decision="1656/NQ-UBTVQH15",
                                 date=(2025, 7, 1))

Pairs and clusters are iterators of plain named tuples; explanations are dicts
{"score": S, "fields": [{"field", "level", "weight", "how", "similarity"}, ...]}.
"""
import collections as _collections

from . import partydata_c as _c

__all__ = ["Matcher", "Pair", "Cluster", "MATCH_FIELDS", "match_compare", "jaro_winkler",
           "name_similarity", "id_compare", "date_compare", "golden_record", "merge_members",
           "unmerge_member", "resolve_redirect", "merge3", "org_merge", "org_merge_table"]

Pair = _collections.namedtuple("Pair", "a b index_a index_b score is_match")
Cluster = _collections.namedtuple("Cluster", "index members indexes")

MATCH_FIELDS = tuple(_c.pd_match_field_name(i) for i in range(_c.PD_MATCH_NFIELDS))
_LEVELS = {"DISAGREE": 1, "PARTIAL": 2, "AGREE": 3}


def _member_handle(rec):
    t = getattr(rec, "_t", None)
    if t is None:
        raise TypeError("expected a Member, got %r" % (type(rec).__name__,))
    return t


def _record_handle(rec):
    return getattr(rec, "_h", rec)


def _store_handle(store):
    h = getattr(store, "_h", None)
    return h() if callable(h) else store


def _wrap(handle):
    from ._record import wrap
    return wrap(handle)


def _field(f):
    if isinstance(f, str):
        return MATCH_FIELDS.index(f)
    return int(f)


def _level(lv):
    if isinstance(lv, str):
        return _LEVELS[lv.upper()]
    return int(lv)


class Matcher:
    """Duplicate detection over members: add records, run, iterate pairs and
    clusters, explain a pair. threshold 0 = the library default."""

    def __init__(self, threshold=0.0, em=True, transitivity=True, keep_all_pairs=False,
                 em_iterations=0, max_block=0):
        flags = (0 if em else _c.PD_MATCH_NO_EM) | \
                (0 if transitivity else _c.PD_MATCH_NO_TRANSITIVITY) | \
                (_c.PD_MATCH_KEEP_ALL_PAIRS if keep_all_pairs else 0)
        self._m = _c.pd_py_matcher_new(float(threshold), flags, int(em_iterations),
                                       int(max_block))

    def add(self, member, reference=False):
        """Add a Member (its features are copied). reference=True: an already
        deduplicated record, compared only with the others."""
        _c.pd_matcher_add(self._m, _member_handle(member),
                          _c.PD_MATCH_ADD_REFERENCE if reference else 0)

    def add_store(self, store, reference=False):
        """Add every live (not merged) member of a Store."""
        _c.pd_py_matcher_add_store(self._m, _store_handle(store),
                                   _c.PD_MATCH_ADD_REFERENCE if reference else 0)

    def add_candidates(self, store, member):
        """Incremental matching: add a new Member and, as reference records, the
        stored members sharing its CCCD, party card, or folded name and birth year."""
        _c.pd_py_matcher_add_store_candidates(self._m, _store_handle(store),
                                              _member_handle(member), 0)

    def __len__(self):
        return _c.pd_matcher_count(self._m)

    def set_mu(self, field, level, m, u):
        """Set m and u of a field's level ("full_name", "AGREE", 0.9, 0.01)."""
        _c.pd_matcher_set_mu(self._m, _field(field), _level(level), float(m), float(u))

    def mu(self, field, level):
        return _c.pd_py_matcher_mu(self._m, _field(field), _level(level))

    def run(self):
        """Compare the records added since the last run; returns the statistics."""
        _c.pd_matcher_run(self._m)
        return self.stats()

    def stats(self):
        return _c.pd_py_matcher_stats(self._m)

    def pairs(self, min_score=float("-inf")):
        """Iterate the kept pairs (score >= min_score) as Pair tuples."""
        it = _c.pd_matcher_pairs(self._m, float(min_score) if min_score > -1e300 else -1e300)
        while True:
            p = _c.pd_py_pair_next(it)
            if p is None:
                return
            yield Pair(*p)

    def clusters(self):
        """Iterate the clusters (two records or more) as Cluster tuples."""
        it = _c.pd_matcher_clusters(self._m)
        while True:
            c = _c.pd_py_cluster_next(it)
            if c is None:
                return
            yield Cluster(*c)

    def explain(self, a, b, format="dict"):
        """Field-by-field explanation of two added records (indexes or ids):
        a dict, or with format="text" / "json" the library's text or JSON."""
        if isinstance(a, str):
            a = self.index(a)
        if isinstance(b, str):
            b = self.index(b)
        if format == "dict":
            return _c.pd_py_matcher_explain(self._m, int(a), int(b))
        return _c.pd_py_matcher_explain_str(self._m, int(a), int(b), int(format == "json"))

    def index(self, id):
        return _c.pd_py_matcher_index(self._m, id)

    def evaluate(self, truth):
        """Pair and cluster precision/recall/F1 against truth labels (one per record,
        in order of addition)."""
        return _c.pd_py_matcher_evaluate(self._m, list(truth))


def match_compare(a, b, matcher=None):
    """Explain two Members with default (or a matcher's) m/u."""
    return _c.pd_py_match_compare(_member_handle(a), _member_handle(b),
                                  matcher._m if matcher is not None else None)


def jaro_winkler(a, b):
    return _c.pd_match_jaro_winkler(a, b)


def name_similarity(a, b):
    """(similarity, how) of two Vietnamese names."""
    return _c.pd_py_match_name_similarity(a, b)


def id_compare(a, b):
    """(level, how) of two identity numbers: slips and transpositions are PARTIAL."""
    return _c.pd_py_match_id_compare(a, b)


def date_compare(a, b):
    """(level, how) of two (year, month, day) partial dates."""
    return _c.pd_py_match_date_compare(tuple(a), tuple(b))


def golden_record(survivor, loser):
    """The golden Member of two by the survivorship rules (survivor's id)."""
    return _wrap(_c.pd_py_member_golden(_record_handle(survivor), _record_handle(loser)))


def merge_members(store, survivor, loser, reason=None, decision=None, author=None):
    """Merge loser into survivor in a Store (one transaction, recorded in history)."""
    _c.pd_py_merge_members(_store_handle(store), survivor, loser, reason, decision, author)


def unmerge_member(store, loser, reason=None):
    """Undo the merge of loser: both records back exactly as before."""
    _c.pd_py_unmerge_member(_store_handle(store), loser, reason)


def resolve_redirect(store, id):
    """The live record an id leads to, following merge redirects."""
    return _c.pd_py_merge_resolve(_store_handle(store), id)


def merge3(base, ours, theirs, theirs_wins=False):
    """3-way field merge: (merged Record, [conflicting field paths])."""
    out, conflicts = _c.pd_py_merge3(_record_handle(base) if base is not None else None,
                                     _record_handle(ours), _record_handle(theirs),
                                     _c.PD_MERGE3_THEIRS if theirs_wins else 0)
    return _wrap(out), conflicts


def _date(d):
    if isinstance(d, str):
        y, m, dd = d.split("-")
        return int(y), int(m), int(dd)
    return tuple(int(x) for x in d)


def org_merge(store, from_id, to_id, decision, date, reason=None, author=None, dry_run=False):
    """Consolidate organization from_id into to_id; returns the counts."""
    y, m, d = _date(date)
    return _c.pd_py_org_merge(_store_handle(store), from_id, to_id, decision, y, m, d, reason,
                              author, int(bool(dry_run)))


def org_merge_table(store, path, decision, date, reason=None, author=None, dry_run=False):
    """Apply a reorganization table (CSV from,to; or "2025" for the built-in commune
    conversion) in one transaction; returns the counts."""
    y, m, d = _date(date)
    return _c.pd_py_org_merge(_store_handle(store), str(path), None, decision, y, m, d, reason,
                              author, int(bool(dry_run)))
