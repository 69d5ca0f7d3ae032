"""Write src/bureau_rhetoric/data/pinyin_table.tsv: Traditional character -> pinyin, harvested from the seeds.

No pinyin library is installed and nothing is downloaded: the content-farm files
002 and 004 annotate converted characters as 字(zì), over 9,000 times. This script
collects those pairs (the most frequent reading per character wins). The dirty-variant
generator (``synth.make_dirty_variant``) uses the table to annotate text the way
the sites did.

Run: python scripts/make_pinyin_table.py
"""

from __future__ import annotations

import collections
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PAIR = re.compile(rf"([\u4e00-\u9fff])\(([a-zü{TONED}]*[{TONED}][a-zü{TONED}]*)\)")


def main() -> None:
    seen: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for name in ("002_0d80e4d34c487784.txt", "004_fad468ed8f61cc11.txt"):
        text = (ROOT / "data/raw" / name).read_text(encoding="utf-8")
        for ch, py in PAIR.findall(text):
            seen[ch][py] += 1
    out = ROOT / "src/bureau_rhetoric/data/pinyin_table.tsv"
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("# What: Traditional character -> pinyin with tone mark, as the content-farm sites\n"
                 "#   annotated converted characters (總結(jié)).\n"
                 "# Source: harvested from the seed files 002 and 004 (data/raw) by\n"
                 "#   scripts/make_pinyin_table.py; the most frequent reading per character wins.\n"
                 "# Checked: used only to make dirty variants (synth.py); count = times seen.\n"
                 "char\tpinyin\tcount\n")
        for ch in sorted(seen):
            py, n = seen[ch].most_common(1)[0]
            fh.write(f"{ch}\t{py}\t{sum(seen[ch].values())}\n")
    print(out, len(seen))


if __name__ == "__main__":
    main()
