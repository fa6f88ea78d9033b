"""Reference data compiled into the library: administrative units before and after the
1 July 2025 reform and the old -> new conversion, CCCD place codes, both ethnic-group
code lists, religions, labels of the schema's enums, and the personal-name tables::

    partydata.provinces()                       # 34 dicts (2025), provinces("pre2025"): 63
    partydata.province_by_name("TP. Hồ Chí Minh")["code"]   # "79"
    partydata.commune_by_name("Phường Phúc Xá", gen="pre2025")["code"]
    partydata.commune_successors("00001")       # [{"new_code": "00097", "partial": False, ...}]
    partydata.ethnic_group("Mèo")["code_2008"]  # "08"; "Thổ" raises ConflictError
    partydata.cccd_info("001090012345")         # province, gender, birth year

Rows are plain dicts (copies). Name look-ups ignore case, accents and tone placement;
an ambiguous name raises partydata.ConflictError, an unknown one NotFoundError.
"""
import datetime as _datetime

from . import partydata_c as _c

__all__ = ["provinces", "communes", "conversions", "admin_changes", "ethnic_groups", "religions",
           "labels", "names", "province", "province_by_name", "commune", "commune_by_name",
           "commune_successors", "commune_predecessors", "admin_gen_as_of", "commune_as_of",
           "province_as_of", "cccd_info", "cccd_province", "ethnic_group", "ethnic_by_code",
           "ethnic_candidates", "religion", "religion_by_code", "label", "label_by_name",
           "name_stat", "refdata_counts"]

_GENS = {None: 0, "any": 0, "pre2025": 1, "2025": 2, 0: 0, 1: 1, 2: 2}
_LISTS = {"1979": 1, "2008": 2, 1979: 1, 2008: 2, 1: 1, 2: 2}
_TABLES = {"surnames": 1, "surname": 1, "middle": 2, "given": 3, 1: 1, 2: 2, 3: 3}


def _gen(g):
    try:
        return _GENS[g]
    except KeyError:
        raise ValueError("generation is 'pre2025', '2025' or None, not %r" % (g,)) from None


def _date(d):
    if d is None:
        return None
    if isinstance(d, (_datetime.date, _datetime.datetime)):
        return (d.year, d.month, d.day)
    if isinstance(d, str):
        return _c.pd_normalize_date_parse(d)
    return tuple(d)


def provinces(gen="2025"):
    """Every province of a generation ("2025": 34, "pre2025": 63), in code order."""
    return _c.pd_py_refdata_provinces(_gen(gen))


def communes(gen="2025"):
    """Every commune of a generation (3,321 / 10,047 incl. 12 stale codes)."""
    return _c.pd_py_refdata_communes(_gen(gen))


def conversions():
    """Every old -> new commune link of the 2025 reform (10,583), by old code."""
    return _c.pd_py_refdata_conversions()


def admin_changes():
    """Changes recorded after 2025-07-01 (type changes with their effective date)."""
    return _c.pd_py_refdata_changes()


def ethnic_groups():
    """The 54 ethnic groups with both codes, names and aliases."""
    return _c.pd_py_refdata_ethnic_groups()


def religions():
    """The 16 religions and "00" (no religion); codes provisional."""
    return _c.pd_py_refdata_religions()


def labels(enum_type=None):
    """Labels (value name, Vietnamese, English) of the schema's enums."""
    ls = _c.pd_py_refdata_labels()
    return [l for l in ls if enum_type is None or l["enum_type"] == enum_type]


def names(table):
    """A personal-name table ("surnames", "middle", "given") by descending count."""
    return _c.pd_py_refdata_names(_TABLES[table])


def province(code, gen=None):
    return _c.pd_py_refdata_province(_gen(gen), code)


def province_by_name(name, gen=None):
    return _c.pd_py_refdata_province_by_name(_gen(gen), name)


def commune(code, gen=None):
    return _c.pd_py_refdata_commune(_gen(gen), code)


def commune_by_name(name, province_code=None, gen=None):
    return _c.pd_py_refdata_commune_by_name(_gen(gen), province_code, name)


def commune_successors(old_code):
    """The 2025 communes an old commune became (several, each partial, if it was split)."""
    return _c.pd_py_refdata_commune_successors(old_code)


def commune_predecessors(new_code):
    """The old communes (links) that formed a 2025 commune."""
    return _c.pd_py_refdata_commune_predecessors(new_code)


def admin_gen_as_of(date):
    """"pre2025", "2025", or None when the date straddles 1 July 2025 (year 2025 alone)."""
    g = _c.pd_refdata_gen_as_of(_date(date))
    return {0: None, 1: "pre2025", 2: "2025"}[g]


def commune_as_of(code, date):
    """(commune, type on that day) of the unit with that code on a date."""
    return tuple(_c.pd_py_refdata_commune_as_of(code, _date(date)))


def province_as_of(code, date):
    return tuple(_c.pd_py_refdata_province_as_of(code, _date(date)))


def cccd_info(number):
    """What a 12-digit CCCD says: province of birth registration, gender (1 male,
    2 female), birth year."""
    return _c.pd_py_refdata_cccd_decode(number)


def cccd_province(code3):
    return _c.pd_py_refdata_cccd_province(code3)


def ethnic_group(name):
    """The ethnic group of a name or alias; ambiguous names raise ConflictError."""
    return _c.pd_py_refdata_ethnic_by_name(name)


def ethnic_by_code(code, code_list):
    """Group by code in a list (1979 or 2008): the lists differ."""
    return _c.pd_py_refdata_ethnic_by_code(_LISTS[code_list], code)


def ethnic_candidates(name):
    """2008 codes of every group a (possibly ambiguous) name may designate."""
    return _c.pd_refdata_ethnic_candidates(name)


def religion(name):
    return _c.pd_py_refdata_religion_by_name(name)


def religion_by_code(code):
    return _c.pd_py_refdata_religion_by_code(code)


def label(enum_type, value):
    return _c.pd_py_refdata_label(enum_type, int(value))


def label_by_name(enum_type, name):
    return _c.pd_py_refdata_label_by_name(enum_type, name)


def name_stat(table, name):
    return _c.pd_py_refdata_name_find(_TABLES[table], name)


def refdata_counts():
    """Row counts of every table."""
    return {"provinces_2025": _c.pd_refdata_province_count(2),
            "provinces_pre2025": _c.pd_refdata_province_count(1),
            "communes_2025": _c.pd_refdata_commune_count(2),
            "communes_pre2025": _c.pd_refdata_commune_count(1),
            "conversions": _c.pd_refdata_conversion_count(),
            "changes": _c.pd_refdata_change_count(),
            "ethnic_groups": _c.pd_refdata_ethnic_count(),
            "religions": _c.pd_refdata_religion_count(),
            "labels": _c.pd_refdata_label_count(),
            "surnames": _c.pd_refdata_name_count(1),
            "middle_names": _c.pd_refdata_name_count(2),
            "given_names": _c.pd_refdata_name_count(3)}
