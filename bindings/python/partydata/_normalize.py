"""Normalization: clean what people type, losslessly and idempotently, and report
every change::

    partydata.normalize_text("  Ðặng\u00a0Thị ")      # "Đặng Thị"
    partydata.name_case("NGUYỄN văn  an")             # "Nguyễn Văn An"
    partydata.tone_key("Hoà") == partydata.tone_key("Hòa")   # "hoa2"
    partydata.parse_date("5/3/1980")                  # (1980, 3, 5); "31/02/2020" raises
    partydata.normalize_phone("0168 123 4567")        # "0381234567"
    changes = partydata.normalize(member)             # in place; list of NormalizeChange

Tone marks: stored text keeps the placement as entered; tone_key() is the
placement-independent key for matching (docs/tone-marks.md).
"""
import collections as _collections

from . import partydata_c as _c

__all__ = ["normalize_text", "fold", "tone_key", "name_case", "split_name", "parse_date",
           "date_valid", "normalize_phone", "normalize_id_number", "normalize_place", "normalize",
           "NormalizeChange", "NORMALIZE_DRY_RUN", "NORMALIZE_KEEP_ORIGINAL", "NORMALIZE_NO_PLACES",
           "NORMALIZE_PLACES_PRE2025", "NORMALIZE_CONVERT_CODES"]

NORMALIZE_DRY_RUN = _c.PD_NORMALIZE_DRY_RUN
NORMALIZE_KEEP_ORIGINAL = _c.PD_NORMALIZE_KEEP_ORIGINAL
NORMALIZE_NO_PLACES = _c.PD_NORMALIZE_NO_PLACES
NORMALIZE_PLACES_PRE2025 = _c.PD_NORMALIZE_PLACES_PRE2025
NORMALIZE_CONVERT_CODES = _c.PD_NORMALIZE_CONVERT_CODES

NormalizeChange = _collections.namedtuple(
    "NormalizeChange", "code severity path old_value new_value message_vi message_en record record_id")

_ID_TYPES = {None: 0, "CCCD": 1, "CMND9": 2, "CMND12": 3, "PASSPORT": 4, "OTHER": 5}
_ID_NAMES = {v: k for k, v in _ID_TYPES.items() if k}


def normalize_text(s):
    """NFC, spaces, look-alike letters, apostrophes, control characters; case and
    tone placement kept. Raises InvalidError for text that is not valid UTF-8."""
    return _c.pd_normalize_text(s)


def fold(s):
    """Matching key without any diacritics: "Nguyễn Văn-Ân" -> "nguyen van an"."""
    return _c.pd_normalize_fold(s)


def tone_key(s):
    """Tone-placement-independent key: "Hòa", "Hoà" -> "hoa2"."""
    return _c.pd_normalize_tone_key(s)


def name_case(s):
    """Vietnamese name case: "NGUYỄN văn  an" -> "Nguyễn Văn An"."""
    return _c.pd_normalize_name_case(s)


def split_name(full_name):
    """(family, middle, given) of a full name."""
    return tuple(_c.pd_py_normalize_split_name(full_name))


def parse_date(s, pivot=None):
    """(year, month, day) with 0 for unknown parts. Raises ParseError for what is not
    a date form and InvalidError for an impossible date ("31/02/2020", "0000")."""
    if pivot is None:
        return _c.pd_normalize_date_parse(s)
    return _c.pd_normalize_date_parse_pivot(s, pivot)


def date_valid(d):
    return bool(_c.pd_normalize_date_valid(tuple(d)))


def normalize_phone(s):
    """National 10-digit (mobile) or 11-digit (landline) form; raises InvalidError."""
    return _c.pd_normalize_phone(s)


def normalize_id_number(s, stated=None):
    """A dict: ok, number (cleaned), type ("CCCD", "CMND9" ...), suggestion (the padded
    12-digit value of a number that lost its leading zeros: never applied), error."""
    r = _c.pd_py_normalize_id_number(s, _ID_TYPES[stated])
    r["type"] = _ID_NAMES.get(r["type"])
    return r


def normalize_place(text, to_2025=True):
    """Administrative codes for a place text ("Xã …, Huyện …, Tỉnh …")."""
    return _c.pd_py_normalize_place(text, 1 if to_2025 else 0)


def normalize(record, dry_run=False, keep_original=False, places=True, places_pre2025=False,
              convert_codes=False, ethnic_list=None, index=0):
    """Normalize a record in place; returns the list of changes (NormalizeChange),
    one per change, plus warnings for what could not be fixed safely."""
    flags = 0
    if dry_run:
        flags |= NORMALIZE_DRY_RUN
    if keep_original:
        flags |= NORMALIZE_KEEP_ORIGINAL
    if not places:
        flags |= NORMALIZE_NO_PLACES
    if places_pre2025:
        flags |= NORMALIZE_PLACES_PRE2025
    if convert_codes:
        flags |= NORMALIZE_CONVERT_CODES
    lst = {None: 0, 1979: 1, 2008: 2, "1979": 1, "2008": 2}[ethnic_list]
    out = _c.pd_py_normalize_record(record._h, flags, lst, index)
    return [NormalizeChange(d["rule"], d["severity"], d["path"], d["old_value"], d["new_value"],
                            d["message_vi"], d["message_en"], d["record"], d["record_id"]) for d in out]
