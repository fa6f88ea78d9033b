"""libpartydata for Python: the canonical data model of Party organizations and
members (records, codecs, cleaning, validation, storage, matching).

The flat C API is in partydata.partydata_c; this package adds the Pythonic layer.
Each module of the library contributes one submodule, imported here.
"""
from . import partydata_c as _c
from ._errors import (Error, NoMemoryError, InvalidError, NotFoundError, ExistsError,
                      ParseError, IOError_, StoreError, ConflictError, ScopeError,
                      VersionError, LimitError, ReadOnlyError, BusyError, FullError,
                      SignatureError, UserError, ValidationError)

__version__ = _c.pd_version_string()


def version_number():
    """The linked library's version number (major*10000 + minor*100 + patch)."""
    return _c.pd_version_number()


def new_id():
    """A fresh time-ordered (version 7) UUID as text."""
    return _c.pd_uuid_new()


def canonical_id(text):
    """The canonical lower-case form of a UUID; raises ParseError if not a UUID."""
    return _c.pd_py_uuid_canonical(text)


# Module layers (each file is owned by its module; absent ones are skipped).
import importlib as _importlib

for _m in ("_record", "_codec", "_refdata", "_normalize", "_validate", "_store",
           "_generate", "_match"):
    try:
        _mod = _importlib.import_module("." + _m, __name__)
    except ModuleNotFoundError as _e:
        if _e.name != __name__ + "." + _m:
            raise
        continue
    for _name in getattr(_mod, "__all__", ()):
        globals()[_name] = getattr(_mod, _name)


# ---- classification (design §7) ------------------------------------------------
CLASS_NONE, CLASS_PERSONAL, CLASS_SENSITIVE = 0, 1, 2
_CLASS_BY_NAME = {"none": 0, "personal": 1, "sensitive": 2}


def field_classification(kind, path):
    """The classification ("none", "personal", "sensitive") of a field path of a
    kind (partydata.Kind or int): the highest level along the path."""
    return _c.pd_classification_name(_c.pd_field_classification(int(kind), path))


def strip(record, level="none"):
    """Clear, in place, every field of record classified above level
    ("none", "personal" or "sensitive"); returns how many fields were cleared."""
    lvl = _CLASS_BY_NAME[level] if isinstance(level, str) else int(level)
    return _c.pd_record_strip(record._h, lvl)


# ---- findings (finding.h) -------------------------------------------------------
class Findings:
    """A list of findings owned by the library (what normalize and validate fill);
    iterate it for dicts (the findings JSONL objects)."""

    SEVERITY = {"info": 1, "warning": 2, "error": 3}

    def __init__(self):
        self._h = _c.pd_findings_new()

    def add(self, rule, severity="error", path="", message_vi="", message_en="",
            old=None, new=None, record=0):
        sev = self.SEVERITY[severity] if isinstance(severity, str) else int(severity)
        _c.pd_py_findings_add(self._h, rule, sev, path, message_vi, message_en, old, new,
                              record)

    def __len__(self):
        return _c.pd_findings_count(self._h)

    def __getitem__(self, i):
        import json
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return json.loads(_c.pd_py_findings_json(self._h, i))

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def count_at_least(self, severity):
        sev = self.SEVERITY[severity] if isinstance(severity, str) else int(severity)
        return _c.pd_findings_count_at_least(self._h, sev)

    def clear(self):
        _c.pd_findings_clear(self._h)
