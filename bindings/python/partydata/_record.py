"""Records: Member, Organization, Membership, Event, ResidenceLink.

Each object owns one C record (a pd_record handle); it is freed when the object is
collected. Fields are reached by their .proto field paths::

    m = Member(full_name="Nguyễn Văn An", gender=Gender.NAM)
    m["birth_date.year"] = 1975
    m["events[0].type"] = "KET_NAP"          # index == count appends
    del m["events[0]"]
    m.copy() == m, m.diff(other)             # -> ["full_name", "events[1]", ...]

Values: str for strings, ids (UUID text) and enums (value names), int, bool, bytes;
a whole repeated field reads as a list; None clears.
"""
import base64 as _base64
import datetime as _datetime
import enum as _enum
import uuid as _uuid

from . import partydata_c as _c
from ._errors import InvalidError, NotFoundError

__all__ = ["Kind", "Gender", "Status", "MembershipKind", "Record", "Member",
           "Organization", "Membership", "Event", "ResidenceLink", "wrap"]

# flags of the JSON codec (codec.h)
_JSON_IGNORE_UNKNOWN = 1
_JSON_BARE = 2


class Kind(_enum.IntEnum):
    """Which entity a record holds (the Record envelope's field numbers)."""
    NONE = _c.PD_KIND_NONE
    MEMBER = _c.PD_KIND_MEMBER
    ORG = _c.PD_KIND_ORG
    MEMBERSHIP = _c.PD_KIND_MEMBERSHIP
    EVENT = _c.PD_KIND_EVENT
    RESIDENCE_LINK = _c.PD_KIND_RESIDENCE_LINK


class Gender(_enum.IntEnum):
    UNSPECIFIED = _c.PD_GENDER_UNSPECIFIED
    NAM = _c.PD_GENDER_NAM
    NU = _c.PD_GENDER_NU


class Status(_enum.IntEnum):
    UNSPECIFIED = _c.PD_STATUS_UNSPECIFIED
    DU_BI = _c.PD_STATUS_DU_BI
    CHINH_THUC = _c.PD_STATUS_CHINH_THUC
    XOA_TEN = _c.PD_STATUS_XOA_TEN
    KHAI_TRU = _c.PD_STATUS_KHAI_TRU
    TU_TRAN = _c.PD_STATUS_TU_TRAN


class MembershipKind(_enum.IntEnum):
    UNSPECIFIED = _c.PD_MEMBERSHIP_UNSPECIFIED
    CHINH_THUC = _c.PD_MEMBERSHIP_CHINH_THUC
    TAM_THOI = _c.PD_MEMBERSHIP_TAM_THOI


_T_MESSAGE = _c.PD_FIELD_MESSAGE
_T_INT = _c.PD_FIELD_INT
_T_BOOL = _c.PD_FIELD_BOOL
_T_ID = _c.PD_FIELD_ID
_T_BYTES = _c.PD_FIELD_BYTES
_T_REAL = _c.PD_FIELD_REAL
_T_REPEATED = _c.PD_FIELD_REPEATED


def _enum_or_int(cls, v):
    try:
        return cls(v)
    except ValueError:  # a number outside the list, kept from the input
        return v


def _date_arg(d):
    if d is None:
        return None
    if isinstance(d, _datetime.date):
        return (d.year, d.month, d.day)
    d = tuple(d)
    return d + (0,) * (3 - len(d)) if len(d) < 3 else d


def _text(t, v):
    """A Python value as the text the C API takes for a field of type t."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):  # also IntEnum: the number
        return str(int(v))
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (bytes, bytearray, memoryview)):
        v = bytes(v)
        if t == _T_ID and len(v) == 16:
            return str(_uuid.UUID(bytes=v))
        return _base64.b64encode(v).decode("ascii")
    if isinstance(v, _uuid.UUID):
        return str(v)
    if isinstance(v, str):
        return v
    raise TypeError("cannot store %s in a record field" % type(v).__name__)


def _value(t, s):
    """The C API's text of a field of type t as a Python value."""
    if t == _T_INT:
        return int(s)
    if t == _T_BOOL:
        return s == "true"
    if t == _T_BYTES:
        return _base64.b64decode(s)
    if t == _T_REAL:
        return float(s)
    return s


class Record:
    """Base of every record class: an owned C record, field-path access, copy,
    equality, diff and the codecs. Use a subclass (Member, Organization, ...)."""

    KIND = Kind.NONE
    __slots__ = ("_h", "_t")
    _typed = None  # the C conversion to the typed handle (pd_record_member ...)

    def __init__(self, **fields):
        if self.KIND == Kind.NONE:
            raise TypeError("Record is abstract: use Member, Organization, Membership, "
                            "Event or ResidenceLink")
        self._attach(_c.pd_record_new(int(self.KIND)))
        for name, v in fields.items():
            attr = getattr(type(self), name, None)
            if isinstance(attr, property):
                setattr(self, name, v)
            else:
                self[name] = v

    def _attach(self, handle):
        self._h = handle  # owning proxy: frees the record when collected
        conv = type(self)._typed
        self._t = conv(handle) if conv else None  # borrowed view of the same record

    @classmethod
    def _from_handle(cls, handle):
        obj = object.__new__(cls)
        obj._attach(handle)
        return obj

    @classmethod
    def new(cls, kind):
        """An empty record of a kind (Kind or int) with a fresh id."""
        return wrap(_c.pd_record_new(int(kind)))

    # ---- identity ---------------------------------------------------------------
    @property
    def kind(self):
        return Kind(_c.pd_record_kind(self._h))

    @property
    def id(self):
        """The record's id as UUID text, or None."""
        try:
            return _c.pd_record_id(self._h)
        except NotFoundError:
            return None

    @id.setter
    def id(self, value):
        self["id"] = value

    # ---- field paths --------------------------------------------------------------
    @classmethod
    def paths(cls):
        """Every leaf field path of this kind ("events[].decision.number" ...)."""
        if cls.KIND == Kind.NONE:
            raise TypeError("Record.paths(): use a subclass")
        return _c.pd_record_paths(int(cls.KIND))

    @classmethod
    def field_type(cls, path):
        """(pd_field_type, repeated) of a path in this kind's schema."""
        t = _c.pd_py_record_field_type(int(cls.KIND), path)
        return t & ~_T_REPEATED, bool(t & _T_REPEATED)

    def __getitem__(self, path):
        t, repeated = self.field_type(path)
        if repeated:
            n = _c.pd_record_count(self._h, path)
            if t == _T_MESSAGE:
                raise InvalidError("repeated message field: give an index, e.g. %s[0].x"
                                   % path, path=path)
            return [_value(t, _c.pd_record_get(self._h, "%s[%d]" % (path, i)))
                    for i in range(n)]
        return _value(t, _c.pd_record_get(self._h, path))

    def get(self, path, default=None):
        """self[path], or default when the field is not set."""
        try:
            return self[path]
        except NotFoundError:
            return default

    def __setitem__(self, path, value):
        if value is None:
            _c.pd_record_clear(self._h, path)
            return
        t, repeated = self.field_type(path)
        if repeated:
            if isinstance(value, (str, bytes, dict)):
                raise TypeError("%s is repeated: assign a list" % path)
            items = list(value)
            _c.pd_record_clear(self._h, path)
            for i, v in enumerate(items):
                self["%s[%d]" % (path, i)] = v
            return
        if t == _T_MESSAGE:
            if not isinstance(value, dict):
                raise TypeError("%s is a message: assign a dict" % path)
            _c.pd_record_clear(self._h, path)
            for k, v in value.items():
                self["%s.%s" % (path, k)] = v
            return
        _c.pd_record_set(self._h, path, _text(t, value))

    def __delitem__(self, path):
        _c.pd_record_clear(self._h, path)

    def __contains__(self, path):
        return bool(_c.pd_py_record_has(self._h, path))

    __iter__ = None  # item access is by path, not by position: not iterable

    def count(self, path):
        """Number of elements of a repeated field."""
        return _c.pd_record_count(self._h, path)

    # ---- copy, equality, diff ----------------------------------------------------
    def copy(self):
        """A deep copy (unknown fields included)."""
        return type(self)._from_handle(_c.pd_record_dup(self._h))

    __copy__ = copy

    def __deepcopy__(self, memo):
        return self.copy()

    def __eq__(self, other):
        if not isinstance(other, Record):
            return NotImplemented
        return bool(_c.pd_record_equal(self._h, other._h))

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = None  # mutable

    def diff(self, other):
        """The leaf paths whose values differ (InvalidError if the kinds differ)."""
        return _c.pd_record_diff(self._h, other._h)

    # ---- codecs (codec.h) -----------------------------------------------------------
    def to_json(self, bare=False):
        """One line of protobuf-mapped JSON: {"member": {...}}, or the bare entity."""
        return _c.pd_record_to_json(self._h, _JSON_BARE if bare else 0)

    @classmethod
    def from_json(cls, text, bare=None, ignore_unknown=False):
        """Parse JSON. On Record: an envelope; on a subclass: the bare entity, or an
        envelope of that kind (bare=False)."""
        if bare is None:
            bare = cls.KIND != Kind.NONE
        kind = int(cls.KIND) if bare else int(Kind.NONE)
        if bare and kind == Kind.NONE:
            raise TypeError("Record.from_json(bare=True): use a subclass")
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        flags = (_JSON_BARE if bare else 0) | (_JSON_IGNORE_UNKNOWN if ignore_unknown else 0)
        return cls._checked(wrap(_c.pd_record_from_json(data, kind, flags)))

    def to_dict(self):
        """The entity as a dict in the protobuf JSON mapping (camelCase keys)."""
        import json
        return json.loads(self.to_json(bare=True))

    @classmethod
    def from_dict(cls, d, ignore_unknown=False):
        """From to_dict()'s form (on Record: an envelope {"member": {...}})."""
        import json
        return cls.from_json(json.dumps(d, ensure_ascii=False),
                             bare=cls.KIND != Kind.NONE, ignore_unknown=ignore_unknown)

    def bytes(self):
        """The record as a serialized Record envelope (protobuf)."""
        return _c.pd_record_to_pb(self._h)

    __bytes__ = bytes

    @classmethod
    def from_bytes(cls, data):
        """Parse a serialized Record envelope."""
        return cls._checked(wrap(_c.pd_record_from_pb(bytes(data))))

    @classmethod
    def _checked(cls, rec):
        if cls.KIND != Kind.NONE and not isinstance(rec, cls):
            raise InvalidError("expected a %s record, got %s"
                               % (_c.pd_kind_name(int(cls.KIND)), rec.kind.name.lower()))
        return rec

    def __reduce__(self):
        return (Record.from_bytes, (self.bytes(),))

    def __repr__(self):
        return "<%s %s>" % (type(self).__name__, self.id)


def _str_prop(getter, setter, doc):
    return property(lambda self: getter(self._t), lambda self, v: setter(self._t, v),
                    lambda self: setter(self._t, None), doc)


def _date_prop(getter, setter, doc):
    def get(self):
        try:
            return getter(self._t)
        except NotFoundError:
            return None
    return property(get, lambda self, v: setter(self._t, _date_arg(v)),
                    lambda self: setter(self._t, None), doc)


def _path_prop(path, doc):
    def delete(self):
        del self[path]
    return property(lambda self: self.get(path),
                    lambda self, v: self.__setitem__(path, v), delete, doc)


def _id_prop(getter, path, doc):
    def get(self):
        try:
            return getter(self._t)
        except NotFoundError:
            return None

    def put(self, v):
        self[path] = v
    return property(get, put, lambda self: self.__delitem__(path), doc)


class Member(Record):
    """A Party member (đảng viên)."""
    KIND = Kind.MEMBER
    __slots__ = ()
    _typed = staticmethod(_c.pd_record_member)

    full_name = _str_prop(_c.pd_member_full_name, _c.pd_member_set_full_name,
                          "Full name (str) or None.")
    party_card_no = _str_prop(_c.pd_member_party_card_no, _c.pd_member_set_party_card_no,
                              "Party card number or None.")
    cccd = _str_prop(_c.pd_member_cccd, _c.pd_member_set_cccd,
                     "The CCCD (12-digit citizen id) among id_numbers, or None.")
    birth_date = _date_prop(_c.pd_member_birth_date, _c.pd_member_set_birth_date,
                            "(year, month, day), 0 = unknown part; or None.")
    admission_decision_date = _date_prop(_c.pd_member_admission_decision_date,
                                         _c.pd_member_set_admission_decision_date,
                                         "Admission decision date (start of party age).")
    admission_date = _date_prop(_c.pd_member_admission_date,
                                _c.pd_member_set_admission_date,
                                "Admission ceremony date (ngày vào Đảng).")
    official_date = _date_prop(_c.pd_member_official_date, _c.pd_member_set_official_date,
                               "Recognition as official member.")
    current_org_id = _id_prop(_c.pd_member_current_org_id, "current_org_id",
                              "Cell of the open official membership (UUID text) or None.")

    @property
    def gender(self):
        return _enum_or_int(Gender, _c.pd_member_gender(self._t))

    @gender.setter
    def gender(self, g):
        if isinstance(g, str):
            self["gender"] = g
        else:
            _c.pd_member_set_gender(self._t, int(Gender.UNSPECIFIED if g is None else g))

    @property
    def status(self):
        return _enum_or_int(Status, _c.pd_member_status(self._t))

    @status.setter
    def status(self, s):
        if isinstance(s, str):
            self["status"] = s
        else:
            _c.pd_member_set_status(self._t, int(Status.UNSPECIFIED if s is None else s))

    def __repr__(self):
        return "<Member %s %r>" % (self.id, self.full_name)


class Organization(Record):
    """A Party organization (tổ chức đảng)."""
    KIND = Kind.ORG
    __slots__ = ()
    _typed = staticmethod(_c.pd_record_org)

    name = _str_prop(_c.pd_org_name, _c.pd_org_set_name, "Name or None.")
    parent_id = _id_prop(_c.pd_org_parent_id, "parent_id",
                         "Parent organization (UUID text) or None.")

    def __repr__(self):
        return "<Organization %s %r>" % (self.id, self.name)


class Membership(Record):
    """A period in which a member takes part in an organization."""
    KIND = Kind.MEMBERSHIP
    __slots__ = ()
    _typed = staticmethod(_c.pd_record_membership)

    member_id = _id_prop(_c.pd_membership_member_id, "member_id", "Member (UUID text).")
    org_id = _id_prop(_c.pd_membership_org_id, "org_id", "Organization (UUID text).")

    @property
    def membership_kind(self):
        return _enum_or_int(MembershipKind, _c.pd_membership_kind_of(self._t))

    @membership_kind.setter
    def membership_kind(self, k):
        if isinstance(k, str):
            self["kind"] = k
        else:
            _c.pd_membership_set_kind(self._t,
                                      int(MembershipKind.UNSPECIFIED if k is None else k))


class Event(Record):
    """A decision or change in a member's or organization's life."""
    KIND = Kind.EVENT
    __slots__ = ()
    _typed = staticmethod(_c.pd_record_event)

    @property
    def type(self):
        """The event type's value name ("EVENT_TYPE_KET_NAP") or None."""
        return _c.pd_event_type_name(self._t)

    @type.setter
    def type(self, name):
        if name is None:
            del self["type"]
        else:
            _c.pd_event_set_type_name(self._t, name)

    subject_id = _path_prop("subject_id", "The member or organization concerned.")


class ResidenceLink(Record):
    """The residence link of a member who works elsewhere (đảng viên 213)."""
    KIND = Kind.RESIDENCE_LINK
    __slots__ = ()
    _typed = staticmethod(_c.pd_record_residence_link)

    member_id = _path_prop("member_id", "Member (UUID text).")
    org_id = _path_prop("org_id", "Residence cell (UUID text).")


_BY_KIND = {Kind.MEMBER: Member, Kind.ORG: Organization, Kind.MEMBERSHIP: Membership,
            Kind.EVENT: Event, Kind.RESIDENCE_LINK: ResidenceLink}


def wrap(handle):
    """The Record subclass object for a raw, owning pd_record proxy (takes it over)."""
    if handle is None:
        return None
    if isinstance(handle, Record):
        return handle
    kind = _c.pd_record_kind(handle)
    cls = _BY_KIND.get(kind)
    if cls is None:
        raise InvalidError("not a record of a known kind")
    return cls._from_handle(handle)
