"""example.py: libpartydata from Python: records, field paths, codecs, a store.

usage: python3 example.py DIR
"""
import os
import sys

import partydata


def main(out_dir):
    m = partydata.Member()
    m.full_name = "Nguyễn Thị Hoa"
    m["birth_date.year"] = "1985"
    m["gender"] = "NU"
    m["ethnicity.code"] = "01"
    m["ethnicity.list"] = "ETHNIC_LIST_2008"
    m["events[0].type"] = "KET_NAP"
    print(m.full_name, m["birth_date.year"], m["gender"])

    path = os.path.join(out_dir, "example.jsonl")
    partydata.write(path, [m, m.copy()])
    back = list(partydata.read(path))
    assert len(back) == 2 and back[0] == m
    print("read back", len(back), "records; equal:", back[0] == m)
    d = m.to_dict()
    assert partydata.Member.from_dict(d) == m

    for f in partydata.validate([m]):
        print(f.code, f.severity, f.path, "-", f.message_en)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
