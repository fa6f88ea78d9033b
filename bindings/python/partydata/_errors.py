"""Exceptions of libpartydata: one subclass per PD_E* code."""


class Error(Exception):
    """A libpartydata failure: code, message, field path and input position."""

    code = -1

    def __init__(self, message, code=None, path=None, source=None, line=0,
                 column=0, record=0, offset=-1, rule=None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.path = path
        self.source = source
        self.line = line
        self.column = column
        self.record = record
        self.offset = offset
        self.rule = rule

    def __str__(self):
        where = []
        if self.source:
            where.append(self.source)
        if self.line:
            where.append("line %d" % self.line)
        if self.record:
            where.append("record %d" % self.record)
        s = self.message
        if where:
            s += " (" + ", ".join(where) + ")"
        if self.path:
            s += " at " + self.path
        return s


class NoMemoryError(Error, MemoryError):
    code = -2


class InvalidError(Error, ValueError):
    code = -3


class NotFoundError(Error, KeyError):
    code = -4

    def __str__(self):  # KeyError quotes its argument; keep the plain message
        return Error.__str__(self)


class ExistsError(Error):
    code = -5


class ParseError(Error, ValueError):
    code = -6


class IOError_(Error, OSError):
    code = -7


class StoreError(Error):
    code = -8


class ConflictError(Error):
    code = -9


class ScopeError(Error, PermissionError):
    code = -10


class VersionError(Error):
    code = -11


class LimitError(Error):
    code = -12


class ReadOnlyError(Error):
    code = -13


class BusyError(Error):
    code = -14


class FullError(Error):
    code = -15


class SignatureError(Error):
    code = -16


class UserError(Error):
    code = -17


class ValidationError(Error, ValueError):
    code = -18


_BY_CODE = {c.code: c for c in (NoMemoryError, InvalidError, NotFoundError, ExistsError,
                                ParseError, IOError_, StoreError, ConflictError,
                                ScopeError, VersionError, LimitError, ReadOnlyError,
                                BusyError, FullError, SignatureError, UserError,
                                ValidationError)}


def from_last(code, message, path, source, line, column, record, offset, store_code,
              rule):
    """Build the exception for a return code (called from the C wrapper)."""
    cls = _BY_CODE.get(code, Error)
    return cls(message, code=code, path=path, source=source, line=line, column=column,
               record=record, offset=offset, rule=rule)
