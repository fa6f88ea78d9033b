"""Synthetic data with ground truth, and scoring against it (generate.h, score.h).

    >>> import partydata
    >>> stats = partydata.generate("w.jsonl", members=1000, province="44", seed=1,
    ...                            dirty=0.1, duplicates=0.03, truth="truth.jsonl")
    >>> for rec in partydata.Generator(members=10, province="44"): ...
    >>> rows = partydata.score("truth.jsonl", findings="findings.jsonl")
"""
from . import partydata_c as _c
from ._record import wrap as _wrap

__all__ = ["generate", "score", "Generator", "defect_kinds", "GENERATE_PRE2025",
           "GENERATE_NO_ORGS"]

GENERATE_PRE2025 = _c.PD_GENERATE_PRE2025
GENERATE_NO_ORGS = _c.PD_GENERATE_NO_ORGS
_ITEROVER = -31
_FORMATS = {None: 0, "auto": 0, "pb": 1, "jsonl": 2}


def defect_kinds():
    """The defect kinds the generator injects (list of str)."""
    return _c.pd_py_generate_defect_kinds()


def _flags(pre2025, orgs):
    return (GENERATE_PRE2025 if pre2025 else 0) | (0 if orgs else GENERATE_NO_ORGS)


class Generator:
    """A stream of generated records: organizations first, then members.

    Iterating yields Record objects (Organization, Member). The truth items of the
    records yielded so far collect in `truth` (dicts: {"type": "defect", "record_id",
    "path", "kind", "clean", "dirty"} or {"type": "cluster", "members": [ids]}).
    """

    def __init__(self, members=1000, province=None, seed=0, dirty=0.0, duplicates=0.0,
                 pre2025=False, as_of=None, orgs=True):
        self._g = _c.pd_py_generator_new(int(members), province, int(seed), float(dirty),
                                         float(duplicates), _flags(pre2025, orgs),
                                         tuple(as_of) if as_of else None)
        self.truth = []

    def __iter__(self):
        return self

    def __next__(self):
        rc, rec = _c.pd_py_generator_next(self._g)
        if rc == _ITEROVER:
            raise StopIteration
        if rc < 0:
            raise RuntimeError("generator failed (%d)" % rc)
        self.truth.extend(_c.pd_py_generator_truth(self._g, 0))
        return _wrap(rec)

    @property
    def stats(self):
        """Counters so far: organizations, members, persons, duplicates,
        dirty_records, defects, clusters."""
        return _c.pd_py_generator_stats(self._g)

    @property
    def expected(self):
        """Records expected in all (for progress bars; duplicates come on top)."""
        return _c.pd_generator_expected(self._g)


def generate(out=None, members=1000, province=None, seed=0, dirty=0.0, duplicates=0.0,
             truth=None, format=None, pre2025=False, as_of=None, orgs=True):
    """Generate a synthetic world.

    With `out` (a .jsonl or .pb path), write the records there (and the truth JSONL to
    `truth` if given) through a temporary file, and return the counters as a dict.
    Without `out`, return a Generator to iterate over.
    Raises InvalidError for a bad option, NotFoundError for an unknown province.
    """
    if out is None:
        return Generator(members, province, seed, dirty, duplicates, pre2025, as_of, orgs)
    if format not in _FORMATS:
        raise ValueError("format must be 'jsonl' or 'pb'")
    return _c.pd_py_generate_file(str(out), _FORMATS[format], None if truth is None else str(truth),
                                  int(members), province, int(seed), float(dirty),
                                  float(duplicates), _flags(pre2025, orgs),
                                  tuple(as_of) if as_of else None)


def score(truth, findings=None, clusters=None, as_text=False):
    """Score findings (validate JSONL) or clusters (dedup JSONL) against a truth file.

    Returns a list of row dicts (name, truth, found, tp_truth, tp_found, fixed,
    precision, recall, f1; None for undefined ratios), or the text table when
    as_text is true.
    """
    if (findings is None) == (clusters is None):
        raise ValueError("give exactly one of findings= or clusters=")
    if findings is not None:
        s = _c.pd_score_findings(str(truth), str(findings))
    else:
        s = _c.pd_score_clusters(str(truth), str(clusters))
    if as_text:
        return _c.pd_score_to_text(s)
    return _c.pd_py_score_rows(s)
