#!/usr/bin/env python3
"""Writes good.jsonl and mixed.jsonl (fixtures of tests/validate-cli.sh). Run from this directory."""
import json, base64, uuid

def b(u): return base64.b64encode(uuid.UUID(u).bytes).decode()

def d(y, m=None, dd=None):
    x = {"year": y}
    if m: x["month"] = m
    if dd: x["day"] = dd
    return x

ORG = "0190a000-0000-7000-8000-000000000001"
PAR = "0190a000-0000-7000-8000-000000000002"

def member(uid, name, cccd, card, **kw):
    m = {"id": b(uid), "fullName": name, "gender": "GENDER_NAM", "birthDate": d(1990, 5, 10),
         "birthplace": {"provinceCode": "01", "adminVersion": "ADMIN_VERSION_PRE2025"},
         "ethnicity": {"code": "01", "list": "ETHNIC_LIST_2008", "name": "Kinh"},
         "religion": {"code": "00"},
         "idNumbers": [{"type": "ID_TYPE_CCCD", "number": cccd}],
         "partyCardNo": card, "recordNo": "123456HN", "educationGeneral": "12/12",
         "admissionDecisionDate": d(2015, 7, 26), "admissionDate": d(2015, 8, 10),
         "officialDate": d(2016, 8, 10), "status": "MEMBER_STATUS_CHINH_THUC",
         "currentOrgId": b(ORG), "contacts": {"phones": ["0912345678"]},
         "memberships": [{"orgId": b(ORG), "kind": "MEMBERSHIP_KIND_CHINH_THUC", "from": d(2015, 8, 10)}],
         "events": [{"type": "EVENT_TYPE_KET_NAP", "effectiveDate": d(2015, 7, 26)},
                    {"type": "EVENT_TYPE_LE_KET_NAP", "effectiveDate": d(2015, 8, 10)},
                    {"type": "EVENT_TYPE_CONG_NHAN_CHINH_THUC", "effectiveDate": d(2016, 8, 10)}]}
    m.update(kw)
    return {"member": m}

org = {"organization": {"id": b(ORG), "name": "Chi bộ Thôn 1", "kind": "ORG_KIND_CHI_BO",
       "level": "ORG_LEVEL_CO_SO", "grassrootsRole": "GRASSROOTS_ROLE_CO_SO", "parentId": b(PAR),
       "validFrom": d(2000, 1, 1), "superiorApproval": True}}
good = [org,
        member("0190a000-0000-7000-8000-00000000a001", "Nguyễn Văn An", "001090012345", "12345678"),
        member("0190a000-0000-7000-8000-00000000a002", "Trần Văn Bình", "001090012346", "12345679"),
        member("0190a000-0000-7000-8000-00000000a003", "Lê Văn Cường", "001090012347", "12345680")]
with open("good.jsonl", "w") as f:
    for r in good:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")

huyen = {"organization": {"id": b("0190a000-0000-7000-8000-000000000003"), "name": "Đảng bộ huyện B",
         "kind": "ORG_KIND_DANG_BO", "level": "ORG_LEVEL_CAP_HUYEN",
         "grassrootsRole": "GRASSROOTS_ROLE_CAP_TREN_CO_SO", "parentId": b(PAR), "validFrom": d(1990, 1, 1)}}
bad1 = member("0190a000-0000-7000-8000-00000000b001", "Phạm  Văn Dũng", "10900123456", "1234")
dup = member("0190a000-0000-7000-8000-00000000b002", "Hoàng Văn Em", "001090012345", "87654321")
partial = member("0190a000-0000-7000-8000-00000000b003", "Vũ Văn Phong", "001097012348", "12345681",
                 birthDate=d(1997), admissionDate=d(2015))
lines = [json.dumps(r, ensure_ascii=False) for r in good] + [
    json.dumps(huyen, ensure_ascii=False), json.dumps(bad1, ensure_ascii=False),
    '{"member": {"fullName": ', json.dumps(dup, ensure_ascii=False),
    json.dumps(partial, ensure_ascii=False)]
with open("mixed.jsonl", "wb") as f:
    for l in lines:
        f.write(l.encode() + b"\n")
    f.write(b'{"member":{"fullName":"Bad \xff\xfe name"}}\n')
