"""Write src/bureau_rhetoric/data/pinyin_general.tsv: pinyin of every common character, from pypinyin.

A general table, not read off any seed file: the characters are those of
``char_freq.tsv`` (jieba's dictionary) seen at least ``MIN_COUNT`` times, each with
its most common reading (tone marks, ``Style.TONE``; neutral tone has no mark,
``的 -> de``) as pypinyin's phrase-free single-character lookup gives it. The
held-out dirty-text generator (``synth_heldout``) annotates characters with it, so
the package needs no pinyin library at run time; pypinyin is a test dependency and
``tests/test_synth_heldout.py`` checks the shipped table against it.

Run: python scripts/make_pinyin_general.py
"""

from __future__ import annotations

from pathlib import Path

from pypinyin import Style, pinyin

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src/bureau_rhetoric/data"
MIN_COUNT = 200


def main() -> None:
    rows = []
    for line in (DATA / "char_freq.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("char\t"):
            continue
        ch, n = line.split("\t")
        if int(n) < MIN_COUNT or not "\u4e00" <= ch <= "\u9fff":
            continue
        py = pinyin(ch, style=Style.TONE, heteronym=False, errors="ignore")
        if py and py[0] and py[0][0].isalpha():
            rows.append((ch, py[0][0]))
    rows.sort()
    import pypinyin

    with open(DATA / "pinyin_general.tsv", "w", encoding="utf-8") as fh:
        fh.write("# What: Simplified character -> its most common pinyin reading with tone mark (neutral tone unmarked).\n"
                 f"# Source: pypinyin {pypinyin.__version__} (Style.TONE, one reading per character) for the characters of\n"
                 f"#   char_freq.tsv (jieba's dictionary) counted at least {MIN_COUNT} times; scripts/make_pinyin_general.py.\n"
                 "#   General: no seed file was read. Used by synth_heldout to annotate any character.\n"
                 "# Checked: tests/test_synth_heldout.py::test_pinyin_table_agrees_with_pypinyin.\n"
                 "char\tpinyin\n")
        for ch, py in rows:
            fh.write(f"{ch}\t{py}\n")
    print(f"wrote {len(rows)} characters")


if __name__ == "__main__":
    main()
