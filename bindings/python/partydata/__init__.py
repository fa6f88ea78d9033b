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
