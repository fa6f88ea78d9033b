"""Record streams: protobuf (length-delimited Record envelopes), JSON Lines (protobuf
JSON mapping) and CSV (members, one column per field path)::

    for m in partydata.read("members.pb"):         # format from the extension
        print(m.full_name)
    partydata.write("members.jsonl", records)

    reader = partydata.Reader("in.jsonl", errors="skip")
    for rec in reader: ...
    reader.rejected                                  # [(error, raw bytes), ...]
"""
from . import partydata_c as _c
from . import _errors
from ._record import wrap

__all__ = ["Format", "read", "write", "decode", "Reader", "Writer", "csv_columns"]

_ITEROVER = -31
_FORMATS = {None: _c.PD_FORMAT_AUTO, "auto": _c.PD_FORMAT_AUTO, "pb": _c.PD_FORMAT_PB,
            "protobuf": _c.PD_FORMAT_PB, "jsonl": _c.PD_FORMAT_JSONL,
            "json": _c.PD_FORMAT_JSONL, "csv": _c.PD_FORMAT_CSV}


class Format:
    AUTO = _c.PD_FORMAT_AUTO
    PB = _c.PD_FORMAT_PB
    JSONL = _c.PD_FORMAT_JSONL
    CSV = _c.PD_FORMAT_CSV


def _format(f):
    if isinstance(f, int):
        return f
    try:
        return _FORMATS[f]
    except KeyError:
        raise _errors.InvalidError("unknown format %r (pb, jsonl, csv)" % (f,),
                                   code=_errors.InvalidError.code) from None


def _last_error(rc):
    e = _c.pd_py_error_last()
    if e["code"] != rc:
        return _errors.from_last(rc, _c.pd_code_name(rc), None, None, 0, 0, 0, -1, 0, None)
    return _errors.from_last(rc, e["message"], e["path"], e["source"], e["line"], e["column"],
                             e["record"], e["offset"], 0, e["rule"])


class Reader:
    """Records of a file ("-" = standard input), one at a time.

    errors="raise": a bad record raises its partydata.Error (ParseError, LimitError)
    carrying the position; iterating again goes on with the next record.
    errors="skip": bad records are skipped and kept in .rejected as (error, raw bytes).
    """

    def __init__(self, path, format=None, errors="raise", ignore_unknown=False,
                 max_record_bytes=0):
        if errors not in ("raise", "skip"):
            raise ValueError("errors must be 'raise' or 'skip'")
        flags = _c.PD_JSON_IGNORE_UNKNOWN if ignore_unknown else 0
        self._h = _c.pd_py_reader_open(str(path), _format(format), flags, int(max_record_bytes))
        self._errors = errors
        self.rejected = []
        self.ok = 0

    def __iter__(self):
        return self

    def __next__(self):
        while True:
            if self._h is None:
                raise StopIteration
            rc, rec = _c.pd_py_reader_next(self._h)
            if rc == 0:
                self.ok += 1
                return wrap(rec)
            if rc == _ITEROVER:
                raise StopIteration
            err = _last_error(rc)
            if rc in (_errors.IOError_.code, _errors.NoMemoryError.code):
                raise err
            if self._errors == "raise":
                raise err
            self.rejected.append((err, _c.pd_py_reader_raw(self._h)))

    @property
    def record_index(self):
        """1-based index of the last record read (good or bad)."""
        return _c.pd_reader_record_index(self._h)

    @property
    def raw(self):
        """The bytes of the last record read, for reject files."""
        return _c.pd_py_reader_raw(self._h)

    @property
    def format(self):
        return _c.pd_reader_format(self._h)

    def close(self):
        self._h = None  # the proxy frees the reader

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Writer:
    """A record file being written ("-" = standard output); close() flushes and
    reports a failed write (IOError_). Also a context manager."""

    def __init__(self, path, format=None):
        self._h = _c.pd_py_writer_open(str(path), _format(format))

    def write(self, record):
        _c.pd_writer_write(self._h, record._h)

    @property
    def count(self):
        return _c.pd_writer_count(self._h)

    def close(self):
        h, self._h = self._h, None
        if h is not None:
            h.this.disown()
            _c.pd_writer_close(h)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def read(path, format=None, errors="raise", ignore_unknown=False):
    """Iterate over the records of a file (Member, Organization, ... objects).
    The format comes from the extension (.pb, .jsonl, .csv) unless given."""
    return Reader(path, format=format, errors=errors, ignore_unknown=ignore_unknown)


def write(path, records, format=None):
    """Write records to a file; returns how many were written."""
    with Writer(path, format=format) as w:
        for r in records:
            w.write(r)
        return w.count


def decode(data, format="pb", ignore_unknown=False):
    """The records held in a bytes object (a protobuf stream, JSON Lines or CSV),
    as a list; the first bad record raises ParseError with its position."""
    fmt = _format(format)
    flags = _c.PD_JSON_IGNORE_UNKNOWN if ignore_unknown else 0
    return [wrap(h) for h in _c.pd_py_decode_all(bytes(data), fmt, flags)]


def csv_columns():
    """The CSV header: every flattened member field path."""
    return _c.pd_csv_columns()
