"""The embedded store (store.h): one SQLite file of organizations and members, with
history, findings, queries, statistics, import and export.

    with partydata.Store("party.db") as s:
        counts = s.import_file("members.jsonl")
        for m in s.query(province="01", status="CHINH_THUC"):
            print(m.full_name)
        print(s.stats(by=("province", "gender")))

Records come out as Record objects (Member, Organization, ...); ids are UUID text;
everything else is plain Python values.
"""
import contextlib as _contextlib

from . import partydata_c as _c
from ._errors import InvalidError

__all__ = ["Store", "STORE_SCHEMA_VERSION"]

STORE_SCHEMA_VERSION = _c.PD_STORE_SCHEMA_VERSION

_OUTCOMES = {1: "inserted", 2: "updated", 3: "unchanged"}
_KINDS = {None: 0, "member": 1, "organization": 2, "membership": 3, "event": 4,
          "residence_link": 5}
_STATUS = {"DU_BI": 1, "CHINH_THUC": 2, "XOA_TEN": 3, "KHAI_TRU": 4, "TU_TRAN": 5}
_FORMATS = {None: 0, "auto": 0, "pb": 1, "protobuf": 1, "jsonl": 2, "json": 2, "csv": 3}


def _wrap(handle):
    from ._record import wrap
    return wrap(handle)


def _kind(kind):
    if kind is None or isinstance(kind, str):
        try:
            return _KINDS[kind]
        except KeyError:
            raise InvalidError("unknown kind %r" % (kind,)) from None
    return int(kind)


def _status(status):
    if status is None:
        return 0
    if isinstance(status, str):
        name = status.upper()
        if name.startswith("MEMBER_STATUS_"):
            name = name[len("MEMBER_STATUS_"):]
        try:
            return _STATUS[name]
        except KeyError:
            raise InvalidError("unknown status %r" % (status,)) from None
    return int(status)


def _format(fmt):
    if isinstance(fmt, int):
        return fmt
    try:
        return _FORMATS[fmt.lower() if fmt else None]
    except KeyError:
        raise InvalidError("unknown format %r" % (fmt,)) from None


def _handle(record):
    return getattr(record, "_h", record)


class Store:
    """An open store. Use it as a context manager; close() is idempotent."""

    def __init__(self, path, create=True, readonly=False, cache_kib=0, busy_timeout_ms=0):
        self.path = str(path)
        self._s = _c.pd_py_store_open(self.path, int(bool(create)), int(bool(readonly)),
                                      int(cache_kib), int(busy_timeout_ms))

    # ---- lifetime --------------------------------------------------------------------
    def close(self):
        """Close the store (an open transaction is rolled back). Safe to call twice."""
        s, self._s = getattr(self, "_s", None), None
        if s is not None:
            _c.pd_py_store_close(s)

    @property
    def closed(self):
        return self._s is None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _h(self):
        if self._s is None:
            raise InvalidError("the store is closed")
        return self._s

    @property
    def schema_version(self):
        return _c.pd_py_store_schema_version(self._h())

    @property
    def revision(self):
        """The store's revision: the number of the last write (0 when empty)."""
        return _c.pd_py_store_revision(self._h())

    # ---- records ---------------------------------------------------------------------
    def get(self, id):
        """The record with this id (NotFoundError, a KeyError, if absent)."""
        return _wrap(_c.pd_py_store_get(self._h(), str(id)))

    def get_by_cccd(self, cccd):
        return _wrap(_c.pd_py_store_get_by_cccd(self._h(), cccd))

    def get_by_card(self, card_no):
        return _wrap(_c.pd_py_store_get_by_card(self._h(), card_no))

    def get_as_of(self, id, timestamp_us):
        """The record as it was at a moment (microseconds since 1970 UTC)."""
        return _wrap(_c.pd_py_store_get_as_of(self._h(), str(id), int(timestamp_us)))

    def __getitem__(self, id):
        return self.get(id)

    def __contains__(self, id):
        try:
            self.get(id)
        except KeyError:
            return False
        return True

    def put(self, record, author=None, reason=None, decision_number=None):
        """Insert or update; returns "inserted", "updated" or "unchanged"."""
        return _OUTCOMES[_c.pd_py_store_put(self._h(), _handle(record), author, reason,
                                            decision_number)]

    def delete(self, id, author=None, reason=None, decision_number=None):
        _c.pd_py_store_delete(self._h(), str(id), author, reason, decision_number)

    def findings(self, id):
        """The findings stored for a record: a list of dicts."""
        return _c.pd_py_store_findings(self._h(), str(id))

    def needs_review(self, id):
        return bool(_c.pd_py_store_needs_review(self._h(), str(id)))

    def history(self, id):
        """The revisions of a record, oldest first: dicts with revision, store_revision,
        timestamp_us, operation, node, author, reason, decision_number and record (a
        Record, None for a deletion)."""
        revs = _c.pd_py_store_history(self._h(), str(id))
        for r in revs:
            if r["record"] is not None:
                r["record"] = _wrap(r["record"])
        return revs

    # ---- transactions ----------------------------------------------------------------
    def begin(self):
        _c.pd_py_store_begin(self._h())

    def commit(self):
        _c.pd_py_store_commit(self._h())

    def rollback(self):
        _c.pd_py_store_rollback(self._h())

    @_contextlib.contextmanager
    def transaction(self):
        """with s.transaction(): ... commits at the end, rolls back on an exception."""
        self.begin()
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        self.commit()

    # ---- queries ---------------------------------------------------------------------
    @staticmethod
    def _query_args(kind, org, province, status, name_prefix, since_revision,
                    needs_review, limit):
        return (_kind(kind), str(org) if org is not None else None, province,
                _status(status), name_prefix, int(since_revision), int(bool(needs_review)),
                int(limit))

    def query(self, kind=None, org=None, province=None, status=None, name_prefix=None,
              since_revision=0, needs_review=False, limit=0):
        """Iterate over records (members unless kind is "organization", "membership",
        "event" or "residence_link") matching every given criterion."""
        args = self._query_args(kind, org, province, status, name_prefix, since_revision,
                                needs_review, limit)
        it = _c.pd_py_store_query(self._h(), *args)
        while True:
            if self._s is None:
                raise InvalidError("the store was closed during the iteration")
            h = _c.pd_py_store_iter_next(it)
            if h is None:
                return
            yield _wrap(h)

    def count(self, kind=None, org=None, province=None, status=None, name_prefix=None,
              since_revision=0, needs_review=False, limit=0):
        """How many records query() would give."""
        return _c.pd_py_store_count(self._h(), *self._query_args(
            kind, org, province, status, name_prefix, since_revision, needs_review, limit))

    def stats(self, by=("province",), org=None, province=None, status=None):
        """Member counts grouped by dimensions (province, commune, gender, status,
        ethnicity, religion, birth_year, birth_decade, admission_year, official_year,
        org, needs_review, ...): a list of tuples (key..., count), keys as text or None."""
        return self.stats_table(by, org=org, province=province, status=status)[1:]

    def stats_table(self, by=("province",), org=None, province=None, status=None):
        """As stats(), with a first row naming the columns: ("province", ..., "count")."""
        dims = by if isinstance(by, str) else ",".join(by)
        return _c.pd_py_store_stats(self._h(), dims, str(org) if org else None, province,
                                    _status(status))

    # ---- import / export -------------------------------------------------------------
    def import_file(self, path, strict=False, normalize=True, validate=True, rejects=None,
                    batch_size=0, format=None, author=None, reason=None,
                    decision_number=None):
        """Import a file (pb, jsonl or csv); returns the counts as a dict: read,
        inserted, updated, unchanged, rejected, findings, needs_review, duplicates."""
        flags = ((_c.PD_IMPORT_STRICT if strict else 0)
                 | (0 if normalize else _c.PD_IMPORT_NO_NORMALIZE)
                 | (0 if validate else _c.PD_IMPORT_NO_VALIDATE))
        return _c.pd_py_store_import(self._h(), str(path), flags,
                                     str(rejects) if rejects else None, int(batch_size),
                                     _format(format), author, reason, decision_number)

    def export(self, path, org=None, format=None):
        """Export everything, or an organization's subtree; returns the record count."""
        return _c.pd_py_store_export(self._h(), str(path), str(org) if org else None,
                                     _format(format))

    def check(self):
        """Problems found (integrity, foreign keys, blobs): an empty list when sound."""
        return _c.pd_py_store_check(self._h())

    def __repr__(self):
        return "<Store %s%s>" % (self.path, " (closed)" if self._s is None else "")
