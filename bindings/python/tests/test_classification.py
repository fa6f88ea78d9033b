import partydata
import pytest


def test_field_classification():
    K = partydata.Kind
    assert partydata.field_classification(K.MEMBER, "full_name") == "personal"
    assert partydata.field_classification(K.MEMBER, "id_numbers[0].number") == "sensitive"
    assert partydata.field_classification(K.MEMBER, "events[].type") == "none"
    assert partydata.field_classification(K.ORG, "name") == "none"
    with pytest.raises(partydata.InvalidError) as ei:
        partydata.field_classification(K.MEMBER, "nope")
    assert ei.value.path == "nope"


def test_strip():
    m = partydata.Member()
    m["full_name"] = "Trần Thị Bình"
    m["ethnicity.code"] = "01"
    m["events[0].type"] = "KY_LUAT"
    m["events[0].discipline_form"] = "CANH_CAO"
    c = m.copy()
    assert partydata.strip(c, "personal") == 2
    assert c["full_name"] == "Trần Thị Bình"
    assert "ethnicity" not in c and "events[0].discipline_form" not in c
    assert partydata.strip(c, "none") == 1
    assert partydata.strip(m, "sensitive") == 0
    assert m["ethnicity.code"] == "01"
