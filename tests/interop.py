"""Interop with Debian's protoc and python3-protobuf (a client no one here wrote).

usage: interop.py PARTYDATA PROTO_DIR WORK_DIR   (the generated partydata_pb2 is in
WORK_DIR). Python writes a protobuf stream (_VarintBytes(len) + SerializeToString())
and JSON Lines (json_format.MessageToJson(..., indent=None)); `partydata convert`
turns each into the other format; Python reads what we wrote; everything must be
equal, and pb -> pb through our reader and writer byte-exact.
"""
import subprocess
import sys

from google.protobuf import json_format
from google.protobuf.internal.decoder import _DecodeVarint32
from google.protobuf.internal.encoder import _VarintBytes


def records(pb):
    R = pb.Record
    out = []
    r = R()
    m = r.member
    m.id = bytes(range(16))
    m.full_name = "Nguyễn Thị Hoà"
    m.aliases.extend(["", "Hoà 🌸", 'quote " and \\ backslash'])
    m.gender = pb.GENDER_NU
    m.birth_date.year = 1975
    m.birth_date.month = 4
    m.birth_date.day = 30
    m.birth_date.precision = pb.DATE_PRECISION_DAY
    m.hometown.text = "Xã Phù Đổng, huyện Gia Lâm, Hà Nội"
    m.hometown.province_code = "01"
    m.provenance.revision = 2**63 - 1
    m.provenance.updated_at = -1
    m.provenance.node = ""
    idn = m.id_numbers.add()
    idn.type = pb.ID_TYPE_CCCD
    idn.number = "001175012345"
    ev = m.events.add()
    ev.type = pb.EVENT_TYPE_KET_NAP
    ev.decision.number = "12-QĐ/ĐU"
    ev.decision.signed.year = 2001
    ev.badge_years = 0
    m.events.add()  # an empty element
    m.is_213 = False
    m.photo = b"\x00\xff\xfe"
    m.introducer_ids.append(bytes(16))
    m.contacts.phones.append("0912345678")
    out.append(r)
    r = R()
    o = r.organization
    o.name = "Chi bộ \"Một\"\nthôn 1"
    o.kind = pb.ORG_KIND_CHI_BO
    o.parent_id = b"\x01" * 16
    out.append(r)
    r = R()
    r.membership.kind = pb.MEMBERSHIP_KIND_TAM_THOI
    out.append(r)
    r = R()
    r.event.type = pb.EVENT_TYPE_KET_NAP
    r.event.rating_year = -5
    out.append(r)
    r = R()
    r.residence_link.SetInParent()
    out.append(r)
    r = R()
    r.member.SetInParent()  # an empty member
    out.append(r)
    return out


def read_stream(pb, data):
    msgs, pos = [], 0
    while pos < len(data):
        n, pos = _DecodeVarint32(data, pos)
        m = pb.Record()
        m.ParseFromString(data[pos:pos + n])
        msgs.append(m)
        pos += n
    return msgs


def convert(partydata, src, dst, *extra):
    p = subprocess.run([partydata, "convert", src, dst, *extra], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("convert %s %s failed (%d): %s" % (src, dst, p.returncode, p.stderr))


def main():
    partydata, work = sys.argv[1], sys.argv[3]
    sys.path.insert(0, work)
    import partydata_pb2 as pb
    recs = records(pb)
    stream = b"".join(_VarintBytes(len(s)) + s for s in (r.SerializeToString() for r in recs))
    with open(work + "/py.pb", "wb") as f:
        f.write(stream)
    with open(work + "/py.jsonl", "w", encoding="utf-8") as f:
        for r in recs:
            line = json_format.MessageToJson(r, indent=None)
            assert "\n" not in line
            f.write(line + "\n")
    checks = 0
    # 1. we read Python's stream and write it back byte for byte
    convert(partydata, work + "/py.pb", work + "/ours.pb")
    assert open(work + "/ours.pb", "rb").read() == stream, "pb -> pb not byte-exact"
    checks += 1
    # 2. Python reads our JSONL (made from its pb) with json_format.Parse
    convert(partydata, work + "/py.pb", work + "/ours.jsonl")
    lines = open(work + "/ours.jsonl", encoding="utf-8").read().splitlines()
    assert len(lines) == len(recs)
    for line, want in zip(lines, recs):
        got = json_format.Parse(line, pb.Record())
        assert got == want, "JSON line differs:\n%s\n%s" % (line, want)
        checks += 1
    # 3. we read Python's JSONL (MessageToJson) and write a stream Python reads
    convert(partydata, work + "/py.jsonl", work + "/from_json.pb")
    got = read_stream(pb, open(work + "/from_json.pb", "rb").read())
    assert got == recs, "records from Python's JSON differ"
    assert open(work + "/from_json.pb", "rb").read() == stream, "json -> pb not byte-exact"
    checks += 1
    # 4. round trip pb -> jsonl -> pb through our CLI is byte-exact
    convert(partydata, work + "/ours.jsonl", work + "/back.pb")
    assert open(work + "/back.pb", "rb").read() == stream
    checks += 1
    # 5. unknown fields written by a newer client survive pb -> pb
    r = pb.Record()
    r.member.full_name = "X"
    data = r.SerializeToString()
    inner = r.member.SerializeToString() + b"\x98\x06\x01" + b"\xa2\x06\x03abc"
    data = b"\x0a" + _VarintBytes(len(inner)) + inner
    with open(work + "/unknown.pb", "wb") as f:
        f.write(_VarintBytes(len(data)) + data)
    convert(partydata, work + "/unknown.pb", work + "/unknown2.pb")
    assert open(work + "/unknown2.pb", "rb").read() == _VarintBytes(len(data)) + data
    checks += 1
    print("interop: %d checks passed" % checks)


if __name__ == "__main__":
    main()
