"""Validation: the rule catalogue and the validator (validate.h).

    import partydata
    for f in partydata.validate(records, as_of="2025-08-01"):
        print(f.code, f.severity, f.path, f.message_vi, f.message_en)

`records` is any iterable of partydata Record objects (Member, Organization, ...).
Each record is checked against the record rules in force on `as_of` as it arrives;
the set rules (unique CCCD and party card number, memberships that do not overlap,
the organization tree, ...) run when the iterable is exhausted. Findings are plain
Python objects (Finding); the catalogue entries are Rule objects.
"""
import datetime as _dt

from . import partydata_c as _c

__all__ = ["Finding", "Rule", "Validator", "validate", "validate_record", "rules", "rule",
           "rules_markdown", "SKIP_WARNINGS", "SKIP_INFO", "NO_POSSIBLE", "ALL_PERIODS"]

SKIP_WARNINGS = _c.PD_VALIDATE_SKIP_WARNINGS
SKIP_INFO = _c.PD_VALIDATE_SKIP_INFO
NO_POSSIBLE = _c.PD_VALIDATE_NO_POSSIBLE
ALL_PERIODS = _c.PD_VALIDATE_ALL_PERIODS


class Finding:
    """One finding: rule code, severity ("error", "warning", "info"), field path,
    messages in Vietnamese and English, record position and id, and `possible`
    (True when a partial date fails for some completions only)."""

    __slots__ = ("code", "severity", "path", "message_vi", "message_en", "record",
                 "record_id", "possible", "old_value", "new_value")

    def __init__(self, d):
        self.code = d["rule"]
        self.severity = d["severity"]
        self.path = d["path"]
        self.message_vi = d["message_vi"]
        self.message_en = d["message_en"]
        self.record = d["record"]
        self.record_id = d["record_id"]
        self.possible = d["possible"]
        self.old_value = d["old_value"]
        self.new_value = d["new_value"]

    @property
    def rule(self):
        """Same as code."""
        return self.code

    def as_dict(self):
        return {k: getattr(self, k) for k in self.__slots__}

    def __repr__(self):
        return "Finding(%s %s %r record=%d%s)" % (self.code, self.severity, self.path,
                                                   self.record,
                                                   " possible" if self.possible else "")


class Rule:
    """One catalogue entry: code, severity, messages, the field paths it reads
    (list), the record kinds it checks (list), its legal source and the period in
    force (valid_from / valid_to as (y, m, d) tuples, None when open)."""

    __slots__ = ("code", "severity", "message_vi", "message_en", "paths", "kinds", "source",
                 "valid_from", "valid_to", "scope")

    def __init__(self, d):
        self.code = d["code"]
        self.severity = d["severity"]
        self.message_vi = d["message_vi"]
        self.message_en = d["message_en"]
        self.paths = [p for p in d["paths"].split(",") if p]
        self.kinds = [k for k in d["kinds"].split(",") if k]
        self.source = d["source"]
        self.valid_from = d["valid_from"] if d["valid_from"][0] else None
        self.valid_to = d["valid_to"] if d["valid_to"][0] else None
        self.scope = d["scope"]

    def __repr__(self):
        return "Rule(%s %s %s..%s)" % (self.code, self.severity, self.valid_from, self.valid_to)


def _date(d):
    """None, datetime.date, (y, m, d) or "YYYY[-MM[-DD]]" -> (y, m, d) or None."""
    if d is None:
        return None
    if isinstance(d, (_dt.date, _dt.datetime)):
        return (d.year, d.month, d.day)
    if isinstance(d, str):
        parts = d.split("-")
        if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
            raise ValueError("expected a date YYYY[-MM[-DD]], got %r" % d)
        nums = [int(p) for p in parts] + [0] * (3 - len(parts))
        return tuple(nums)
    y, m, dd = d
    return (int(y), int(m), int(dd))


def _handle(record):
    h = getattr(record, "_h", None)
    return h if h is not None else record


def _flags(errors_only, flags):
    f = int(flags)
    if errors_only:
        f |= SKIP_WARNINGS
    return f


def rules():
    """Every catalogue entry (a rule with several periods has one entry per period)."""
    return [Rule(_c.pd_py_validate_rule_get(i)) for i in range(_c.pd_validate_rule_count())]


def rule(code, as_of=None):
    """The entry of `code` in force on `as_of` (None: the newest), or None."""
    d = _c.pd_py_validate_rule_find(code, _date(as_of))
    return Rule(d) if d else None


def rules_markdown():
    """The catalogue as Markdown (the body of docs/rules.md)."""
    return _c.pd_validate_rules_markdown()


def validate_record(record, as_of=None, today=None, errors_only=False, flags=0, only=None):
    """The findings of one record (record rules only), as a list of Finding."""
    return [Finding(d) for d in _c.pd_py_validate_record(_handle(record), _date(as_of),
                                                         _date(today), _flags(errors_only, flags),
                                                         only)]


class Validator:
    """A set validator: add records one by one (findings of the record rules come
    back at once), then finish() for the set rules. Keeps only keys, not records."""

    def __init__(self, as_of=None, today=None, errors_only=False, flags=0, only=None):
        self._only = only  # keep the filter string alive as long as the validator
        self._v = _c.pd_py_validator_new(_date(as_of), _date(today), _flags(errors_only, flags),
                                         only)
        self._n = 0

    def add(self, record, index=None):
        """Check one record; returns its findings (list of Finding)."""
        self._n += 1
        idx = self._n if index is None else int(index)
        return [Finding(d) for d in _c.pd_py_validator_add(self._v, _handle(record), idx)]

    def add_decode_error(self, index, detail=None):
        """Count a record that could not be decoded (a PD-R000 finding)."""
        return [Finding(d) for d in _c.pd_py_validator_add_decode_error(self._v, int(index), detail)]

    def finish(self):
        """Run the set rules; returns their findings. Call once."""
        return [Finding(d) for d in _c.pd_py_validator_finish(self._v)]

    @property
    def stats(self):
        """(records, errors, warnings, infos) so far."""
        return _c.pd_py_validator_stats(self._v)


def validate(records, as_of=None, today=None, errors_only=False, flags=0, only=None):
    """Yield the findings (Finding objects) of an iterable of records: the record
    rules per record as it arrives, then the set rules at the end. `as_of` picks the
    rules in force that day (default today); `today` is the date for "in the future"
    checks; `only` is a rule filter ("PD-R014,PD-R02", "-PD-R044")."""
    v = Validator(as_of=as_of, today=today, errors_only=errors_only, flags=flags, only=only)
    for i, r in enumerate(records, 1):
        for f in v.add(r, i):
            yield f
    for f in v.finish():
        yield f
