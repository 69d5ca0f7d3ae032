"""A bad-input corpus: every raw folder a researcher may bring (issue 13), generated here.

Each test writes a small raw folder (nothing taken from ``data/raw``), builds it the way the
command line does (:func:`write_corpus`, or the CLI itself where the terminal matters) and
checks the documents a reader would expect, the files skipped and their one-line reasons.
``benchmarks/bad_input_table.py`` runs each test on its own (with a time limit) and writes
the case / before / after table in ``benchmarks/results/bad_input.md``.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

# ----------------------------------------------------------------------------- generated text

_SUBJECTS = ["我局", "全市科技系统", "县科技局", "区科技和工业信息化局", "市科学技术局", "我们"]
_VERBS = ["深入实施", "大力推进", "扎实开展", "积极落实", "不断完善", "稳步推进", "认真组织"]
_OBJECTS = ["创新驱动发展战略", "高新技术企业培育工作", "科技特派员制度", "产学研合作项目",
            "科技成果转化", "科普惠民活动", "知识产权保护", "科技型中小企业评价", "农业科技示范基地建设",
            "众创空间和孵化器建设", "科技金融服务", "人才引进计划"]
_TAILS = ["取得明显成效", "全年完成目标任务", "得到上级充分肯定", "为经济发展提供了有力支撑",
          "新增省级项目{n}项", "带动就业{n}人", "争取资金{n}万元"]


def body(seed: int, n_sentences: int = 6, *, heading: str | None = None) -> str:
    """A made-up report body: sentences of bureau prose, one paragraph per two sentences."""
    rng = random.Random(seed)
    out = [heading] if heading else []
    for k in range(0, n_sentences, 2):
        sents = []
        for _ in range(min(2, n_sentences - k)):
            tail = rng.choice(_TAILS).format(n=rng.randint(3, 900))
            sents.append(f"{rng.choice(_SUBJECTS)}{rng.choice(_VERBS)}{rng.choice(_OBJECTS)}，{tail}。")
        out.append("".join(sents))
    return "\n".join(out)


def related_box(title: str, seed: int) -> str:
    rng = random.Random(seed)
    kinds = ["酒店年终总结及计划", "学校安全工作总结", "社区年度工作计划", "医院护理工作总结", "企业个人述职报告"]
    lines = [f"【{title}】相关文章:"]
    lines += [f"{k}{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for k in rng.sample(kinds, 3)]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- building


def build(raw: Path, out: Path) -> tuple[pd.DataFrame, dict]:
    """Build like ``bureau-rhetoric build``; return the corpus and build_summary.json."""
    from bureau_rhetoric.corpus import write_corpus

    paths = write_corpus(raw, out)
    docs = pd.read_parquet(paths["corpus"])
    summary = json.loads(Path(paths["summary"]).read_text(encoding="utf-8"))
    return docs, summary


def skipped(summary: dict) -> dict[str, str]:
    return {s["source_file"]: s["reason"] for s in summary["skipped"]}


def seen(docs: pd.DataFrame, summary: dict | None = None) -> str:
    """What a reader sees, in one line (the failure message, and the table's cells)."""
    titles = ", ".join(repr(t[:20]) for t in docs["title"])
    s = f"{len(docs)} doc(s) [{titles}]"
    if summary and summary["skipped"]:
        s += "; skipped " + "; ".join(f"{k}: {v}" for k, v in skipped(summary).items())
    return s


def cli(*args, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bureau_rhetoric", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout)


def raw_dir(tmp_path: Path) -> Path:
    d = tmp_path / "raw"
    d.mkdir()
    return d


def plain(tmp_path: Path, name: str = "000_plain.txt", seed: int = 1) -> Path:
    """A raw folder with one ordinary report (so the build has something to build)."""
    raw = raw_dir(tmp_path)
    (raw / name).write_text("市科技局2018年工作总结\n" + body(seed, 8), encoding="utf-8")
    return raw


# ----------------------------------------------------------------------------- boilerplate and splitting

TITLES = ["市科技局2019年工作总结", "县科技局2020年工作计划", "区科技局科普工作汇报"]


def compilation(sep: str = "\n", footers: bool = True) -> tuple[str, list[str]]:
    parts, bodies = [], []
    for k, (num, title) in enumerate(zip("一二三", TITLES)):
        b = body(10 + k, 6)
        bodies.append(b)
        parts.append(f"第{num}篇:{title}\n{b}")
        if footers and k < 2:
            parts.append(related_box(title, k))
    return sep.join("\n".join(parts).split("\n")), bodies


def test_compilation_whose_pieces_carry_related_articles_footers(tmp_path):
    raw = raw_dir(tmp_path)
    text, bodies = compilation()
    (raw / "001_comp.txt").write_text(text, encoding="utf-8")
    docs, summary = build(raw, tmp_path / "out")
    assert docs["title"].tolist() == TITLES, seen(docs, summary)
    for b, t in zip(bodies, docs["text"]):
        assert b.split("\n")[0] in t and b.split("\n")[-1] in t
    assert not docs["text"].str.contains("相关文章|酒店年终总结").any()


def test_related_articles_box_in_the_middle_keeps_the_body_after_it(tmp_path):
    raw = raw_dir(tmp_path)
    after = body(21, 6)
    text = "市科技局2021年工作总结\n" + body(20, 6) + "\n" + related_box("市科技局2021年工作总结", 3) + "\n" + after
    (raw / "002_box.txt").write_text(text, encoding="utf-8")
    docs, summary = build(raw, tmp_path / "out")
    assert len(docs) == 1, seen(docs, summary)
    assert after.split("\n")[-1] in docs["text"].iloc[0], "the body after the box was removed"
    assert "酒店年终总结" not in docs["text"].iloc[0]


def test_lone_cr_line_endings_split_like_lf(tmp_path):
    raw = raw_dir(tmp_path)
    text, _ = compilation(sep="\r", footers=False)
    (raw / "003_mac.txt").write_text(text, encoding="utf-8", newline="")
    docs, summary = build(raw, tmp_path / "out")
    assert docs["title"].tolist() == TITLES, seen(docs, summary)
    assert not docs["text"].str.contains("第二篇").any()


LEAD_IN_T = "時間:2022-03-01 04:26:00\n導語:本文是網友投稿的工作總結，來源于網友上傳,不代表本站觀點,歡迎參考。\n"


def test_traditional_lead_in_over_a_simplified_body_is_removed(tmp_path):
    raw = raw_dir(tmp_path)
    text = "市科技局2021年工作总结\n" + LEAD_IN_T + body(30, 40)  # Traditional under 2 % of the file
    (raw / "004_lead.txt").write_text(text, encoding="utf-8")
    docs, summary = build(raw, tmp_path / "out")
    assert len(docs) == 1, seen(docs, summary)
    d = docs.iloc[0]
    assert "导语" not in d["text"] and "導語" not in d["text"] and "網友" not in d["text"], d["text"][:80]
    assert d["published"] == "2022-03-01 04:26:00"
    assert d["script_original"] == "simplified"


def test_traditional_lead_in_inside_a_compilation(tmp_path):
    raw = raw_dir(tmp_path)
    text = "第一篇:市科技局工作总结\n" + LEAD_IN_T + body(31, 20) + "\n第二篇:县科技局工作计划\n" + body(32, 20)
    (raw / "005_lead.txt").write_text(text, encoding="utf-8")
    docs, summary = build(raw, tmp_path / "out")
    assert docs["title"].tolist() == ["市科技局工作总结", "县科技局工作计划"], seen(docs, summary)
    assert not docs["text"].str.contains("导语|導語|网友|網友").any()
    assert set(docs["script_original"]) == {"simplified"}


def test_xiaobian_in_body_text_is_kept_and_a_site_intro_removed(tmp_path):
    raw = raw_dir(tmp_path)
    line = "四、加强科普宣传。组建由12名科普小编组成的新媒体团队，全年推送科普文章300余篇。"
    intro = "下面是小编为大家精心整理的科技局工作总结，希望对大家有所帮助。"
    text = "市科技局2022年工作总结\n" + intro + "\n" + body(40, 6) + "\n" + line + "\n" + body(41, 4)
    (raw / "006_xb.txt").write_text(text, encoding="utf-8")
    docs, summary = build(raw, tmp_path / "out")
    assert len(docs) == 1, seen(docs, summary)
    assert line in docs["text"].iloc[0], "body line with 小编 removed"
    assert intro not in docs["text"].iloc[0], "site intro kept"


# ----------------------------------------------------------------------------- formats

HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>市科技局2020年工作总结</title>
<style>body {{ font-size: 14px; color: #333 }}</style>
<script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); }})();</script>
</head><body>
<nav><a href="/">首页</a> &gt; <a href="/zj">工作总结</a></nav>
<h1>市科技局2020年工作总结</h1>
<div class="content"><p>{p1}</p><p>{p2}&nbsp;科技&amp;创新</p></div>
<footer>版权所有 &copy; 某某网</footer>
</body></html>"""


def test_html_page_is_read_as_html(tmp_path):
    raw = raw_dir(tmp_path)
    p1, p2 = body(50, 4), body(51, 4)
    (raw / "page.html").write_text(HTML_PAGE.format(p1=p1, p2=p2), encoding="utf-8")
    docs, summary = build(raw, tmp_path / "out")
    assert docs["title"].tolist() == ["市科技局2020年工作总结"], seen(docs, summary)
    text = docs["text"].iloc[0]
    assert p1.split("\n")[0] in text and "科技&创新" in text
    for junk in ("_hmt", "font-size", "&nbsp;", "&amp;", "首页", "<p>", "DOCTYPE"):
        assert junk not in text, junk
    assert docs["format"].iloc[0] == "html" and docs["extractor"].iloc[0].startswith("selectolax")


def test_docx_is_read(tmp_path):
    docx = pytest.importorskip("docx")
    raw = raw_dir(tmp_path)
    doc = docx.Document()
    doc.add_paragraph("县科技局2019年工作总结")
    paras = body(60, 6).split("\n")
    for p in paras:
        doc.add_paragraph(p)
    doc.save(raw / "report.docx")
    docs, summary = build(raw, tmp_path / "out")
    assert docs["title"].tolist() == ["县科技局2019年工作总结"], seen(docs, summary)
    assert paras[-1] in docs["text"].iloc[0]
    assert docs["format"].iloc[0] == "docx"


def _pdf(path: Path, text: str | None) -> None:
    """A one-page PDF; with ``text`` a text layer in a CJK font (Adobe-GB1), else an empty page."""
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(595, 842)
    if text is not None:
        from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, NameObject,
                                   NumberObject, TextStringObject)

        font = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): NameObject("/STSong-Light"),
            NameObject("/Encoding"): NameObject("/UniGB-UCS2-H"),
            NameObject("/DescendantFonts"): ArrayObject([DictionaryObject({
                NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/CIDFontType0"),
                NameObject("/BaseFont"): NameObject("/STSong-Light"),
                NameObject("/CIDSystemInfo"): DictionaryObject({
                    NameObject("/Registry"): TextStringObject("Adobe"),
                    NameObject("/Ordering"): TextStringObject("GB1"),
                    NameObject("/Supplement"): NumberObject(4)})})])})
        ops = ["BT", "/F1 12 Tf", "14 TL", "50 800 Td"]
        for line in text.split("\n"):
            ops.append(f"<{line.encode('utf-16-be').hex()}> Tj T*")
        ops.append("ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("ascii"))
        page = w.pages[0]
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject("/F1"): w._add_object(font)})})
        page[NameObject("/Contents")] = w._add_object(stream)
    with open(path, "wb") as fh:
        w.write(fh)


def test_pdf_with_a_text_layer_is_read_and_a_scan_is_skipped(tmp_path):
    raw = raw_dir(tmp_path)
    text = "市科技局2017年工作总结\n" + body(70, 4)
    _pdf(raw / "report.pdf", text)
    _pdf(raw / "scan.pdf", None)
    docs, summary = build(raw, tmp_path / "out")
    assert len(docs) == 1 and docs["format"].iloc[0] == "pdf", seen(docs, summary)
    assert text.split("\n")[-1][:12] in docs["text"].iloc[0]
    assert skipped(summary) == {"scan.pdf": "no text layer (needs OCR)"}


# ----------------------------------------------------------------------------- encodings

REPORT = "市科技局2016年工作总结\n" + body(80, 10)


def _build_bytes(tmp_path, data: bytes, name: str = "000_enc.txt"):
    raw = raw_dir(tmp_path)
    (raw / name).write_bytes(data)
    return build(raw, tmp_path / "out")


def _audit(tmp_path) -> pd.DataFrame:
    return pd.read_parquet(tmp_path / "out" / "audit.parquet")


def test_utf8_cut_mid_character_keeps_the_file(tmp_path):
    data = REPORT.encode("utf-8")[:-1]
    docs, summary = _build_bytes(tmp_path, data)
    assert len(docs) == 1, seen(docs, summary)
    assert REPORT[:-1].split("\n")[-1][:-1] in docs["text"].iloc[0]
    bad = _audit(tmp_path).query("reason == 'undecodable_bytes'")
    assert len(bad) == 1 and "byte " in bad["original"].iloc[0]


def test_gbk_file_with_one_bad_byte_keeps_the_file(tmp_path):
    k = len(REPORT) // 2
    data = REPORT[:k].encode("gbk") + b"\xff" + REPORT[k:].encode("gbk")
    docs, summary = _build_bytes(tmp_path, data)
    assert len(docs) == 1, seen(docs, summary)
    assert docs["encoding"].iloc[0].startswith("gb18030")
    assert REPORT.split("\n")[-1] in docs["text"].iloc[0]
    assert len(_audit(tmp_path).query("reason == 'undecodable_bytes'")) == 1


def test_big5_with_hkscs_characters(tmp_path):
    text = "區科技局工作總結\n我哋嘅科技創新工作取得明顯成效，全年完成目標任務。今年推進產學研合作項目十二項。"
    docs, summary = _build_bytes(tmp_path, text.encode("big5hkscs"))
    assert len(docs) == 1, seen(docs, summary)
    assert "哋嘅" in docs["text"].iloc[0] and docs["encoding"].iloc[0] == "big5hkscs"


def test_first_half_gbk_second_half_utf8(tmp_path):
    a, b = "市科技局2015年工作总结\n" + body(81, 6), body(82, 6)
    docs, summary = _build_bytes(tmp_path, a.encode("gbk") + b"\n" + b.encode("utf-8"))
    assert len(docs) == 1, seen(docs, summary)
    assert a.split("\n")[-1] in docs["text"].iloc[0] and b.split("\n")[-1] in docs["text"].iloc[0]
    assert "gb18030" in docs["encoding"].iloc[0] and "utf-8" in docs["encoding"].iloc[0]


@pytest.mark.parametrize("enc", ["utf-32", "utf-16-le", "utf-16-be"])
def test_utf32_with_bom_and_utf16_without_bom(tmp_path, enc):
    docs, summary = _build_bytes(tmp_path, REPORT.encode(enc))
    assert len(docs) == 1, seen(docs, summary)
    assert docs["title"].iloc[0] == REPORT.split("\n")[0] and docs["text"].iloc[0] == REPORT.split("\n", 1)[1]


def test_nul_bytes_anywhere_are_removed_and_recorded(tmp_path):
    data = REPORT.encode("utf-8")
    data = data[:6] + b"\x00" + data[6:] + b"\x00" * 3 + ("\n" + body(83, 200)).encode("utf-8") + b"\x00\n"
    docs, summary = _build_bytes(tmp_path, data)
    assert len(docs) == 1, seen(docs, summary)
    assert "\x00" not in docs["text"].iloc[0]
    assert _audit(tmp_path).query("reason == 'nul_byte'")["n_changes"].sum() == 5


# ----------------------------------------------------------------------------- folders and names


def test_reports_in_subfolders_are_read_with_their_relative_path(tmp_path):
    raw = raw_dir(tmp_path)
    for sub, seed in (("2019", 1), ("浙江/杭州", 2)):
        (raw / sub).mkdir(parents=True)
        (raw / sub / "report.txt").write_text(f"市科技局工作总结{seed}\n" + body(seed, 6), encoding="utf-8")
    docs, summary = build(raw, tmp_path / "out")
    assert sorted(docs["source_file"]) == ["2019/report.txt", "浙江/杭州/report.txt"], seen(docs, summary)
    assert docs["doc_id"].is_unique


def test_shared_stems_and_number_prefixes_get_unique_ids(tmp_path):
    raw = raw_dir(tmp_path)
    (raw / "report.txt").write_text("市科技局工作总结\n" + body(1, 6), encoding="utf-8")
    (raw / "report.html").write_text(HTML_PAGE.format(p1=body(2, 4), p2=body(3, 4)), encoding="utf-8")
    (raw / "001_aa.txt").write_text("县科技局工作计划\n" + body(4, 6), encoding="utf-8")
    (raw / "001_bb.txt").write_text("区科技局工作汇报\n" + body(5, 6), encoding="utf-8")
    docs, summary = build(raw, tmp_path / "out")
    assert len(docs) == 4 and docs["doc_id"].is_unique, seen(docs, summary)


def test_file_name_that_is_not_utf8_is_skipped_with_a_reason(tmp_path):
    raw = plain(tmp_path)
    name = os.fsdecode(b"\xb1\xa8\xb8\xe6.txt")  # 报告.txt in GBK, as unzip leaves it
    (raw / name).write_text("县科技局工作计划\n" + body(5, 6), encoding="utf-8")
    docs, summary = build(raw, tmp_path / "out")
    assert len(docs) == 1, seen(docs, summary)
    [(shown, reason)] = [(k, v) for k, v in skipped(summary).items() if k != "000_plain.txt"]
    assert "not valid UTF-8" in reason and "\\xb1" in shown


def test_unreadable_file_is_skipped(tmp_path, monkeypatch):
    raw = plain(tmp_path)
    locked = raw / "001_locked.txt"
    locked.write_text("县科技局工作计划\n" + body(5, 6), encoding="utf-8")
    real_open = open

    def guarded(file, *a, **k):  # root reads anything: refuse this one file the way chmod 000 would
        if os.fspath(file) == os.fspath(locked):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *a, **k)

    import builtins
    import io

    monkeypatch.setattr(builtins, "open", guarded)
    monkeypatch.setattr(io, "open", guarded)  # pathlib opens through io.open
    docs, summary = build(raw, tmp_path / "out")
    assert len(docs) == 1, seen(docs, summary)
    assert "Permission denied" in skipped(summary)["001_locked.txt"]


def test_dangling_link_and_link_loop_are_skipped(tmp_path):
    raw = plain(tmp_path)
    (raw / "dangling.txt").symlink_to(raw / "gone.txt")
    (raw / "loop_a.txt").symlink_to(raw / "loop_b.txt")
    (raw / "loop_b.txt").symlink_to(raw / "loop_a.txt")
    (raw / "sub").mkdir()
    (raw / "sub" / "up").symlink_to(raw, target_is_directory=True)
    docs, summary = build(raw, tmp_path / "out")
    assert len(docs) == 1, seen(docs, summary)
    why = skipped(summary)
    assert "dangling" in why["dangling.txt"] and "loop" in why["loop_a.txt"] and "loop" in why["loop_b.txt"]


def test_fifo_is_skipped_without_opening_it(tmp_path):
    raw = plain(tmp_path)
    os.mkfifo(raw / "pipe.txt")
    res = cli("build", "--raw", raw, "--out", tmp_path / "out", timeout=60)
    assert res.returncode == 0, res.stderr
    summary = json.loads((tmp_path / "out" / "build_summary.json").read_text(encoding="utf-8"))
    assert "FIFO" in skipped(summary)["pipe.txt"]


def test_hidden_files_and_the_builds_own_outputs_are_never_read(tmp_path):
    raw = plain(tmp_path)
    (raw / ".hidden.txt").write_text("县科技局工作计划\n" + body(5, 6), encoding="utf-8")
    for _ in range(2):  # --out equal to --raw, twice
        docs, summary = build(raw, raw)
    assert len(docs) == 1, seen(docs, summary)
    assert not skipped(summary), skipped(summary)


# ----------------------------------------------------------------------------- outputs and the command line


def test_out_that_is_a_file_gives_a_one_line_error(tmp_path):
    raw = plain(tmp_path)
    (tmp_path / "out").write_text("x")
    res = cli("build", "--raw", raw, "--out", tmp_path / "out")
    assert res.returncode == 2 and "Traceback" not in res.stderr, "traceback: " + res.stderr.strip().splitlines()[-1]
    assert res.stderr.strip().count("\n") == 0 and "out" in res.stderr


def test_out_that_cannot_be_created_gives_a_one_line_error(tmp_path):
    raw = plain(tmp_path)
    (tmp_path / "file").write_text("x")
    res = cli("build", "--raw", raw, "--out", tmp_path / "file" / "out")
    assert res.returncode == 2 and "Traceback" not in res.stderr, "traceback: " + res.stderr.strip().splitlines()[-1]
    assert res.stderr.strip().count("\n") == 0


def test_users_own_partitions_folder_is_left_alone(tmp_path):
    raw = plain(tmp_path)
    mine = tmp_path / "out" / "_partitions"
    mine.mkdir(parents=True)
    (mine / "notes.txt").write_text("mine")
    build(raw, tmp_path / "out")
    assert (mine / "notes.txt").read_text() == "mine"
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")] == []


def test_outputs_of_one_build_share_a_build_id(tmp_path):
    from bureau_rhetoric.corpus import build_id, check_corpus_folder

    raw = plain(tmp_path)
    out = tmp_path / "out"
    build(raw, out)
    bid = build_id(out)
    assert bid and check_corpus_folder(out) == bid
    summary = json.loads((out / "build_summary.json").read_text(encoding="utf-8"))
    assert summary["build_id"] == bid and bid in (out / "build_report.html").read_text(encoding="utf-8")
    # a corpus.parquet from another build next to this audit/report: refused
    other = tmp_path / "other"
    (raw / "001_more.txt").write_text("县科技局工作计划\n" + body(9, 6), encoding="utf-8")
    build(raw, other)
    (out / "corpus.parquet").write_bytes((other / "corpus.parquet").read_bytes())
    with pytest.raises(ValueError, match="build"):
        check_corpus_folder(out)
    res = cli("notebooks", "--corpus", out, "--out", tmp_path / "rep", "--figures", tmp_path / "fig")
    assert res.returncode == 2 and res.stderr.strip().count("\n") == 0 and "build" in res.stderr


def test_api_refuses_an_empty_folder_and_an_empty_path(tmp_path):
    from bureau_rhetoric.corpus import CorpusBuildError, build_corpus

    raw = raw_dir(tmp_path)
    (raw / "empty.txt").write_bytes(b"")
    with pytest.raises(CorpusBuildError, match="empty.txt: empty file"):
        build_corpus(raw)
    with pytest.raises(CorpusBuildError, match="empty path"):
        build_corpus("")


def test_a_long_file_is_built_in_seconds(tmp_path):
    """20,000 lines of equal length (the cubic step took hours); bench_lines.py prints the curve."""
    import time

    raw = raw_dir(tmp_path)
    rng = random.Random(5)
    lines = [f"{i:05d}" + "".join(rng.choice(_OBJECTS)[:4] for _ in range(6)) + "。" for i in range(20_000)]
    (raw / "000_long.txt").write_text("市科技局工作总结\n" + "\n".join(lines), encoding="utf-8")
    from bureau_rhetoric import ingest
    from bureau_rhetoric.corpus import process_file

    t = time.perf_counter()
    docs, _, _ = process_file(ingest.read_raw_file(raw / "000_long.txt"))
    assert len(docs) == 1 and time.perf_counter() - t < 60
    assert docs[0]["text"].endswith(lines[-1])


def test_large_removals_are_listed_first_and_files_show_characters_kept_and_removed(tmp_path):
    from bureau_rhetoric.corpus import LARGE_REMOVAL_CHARS

    raw = raw_dir(tmp_path)
    rng = random.Random(8)
    box = ["相关推荐"] + [f"{rng.choice(_SUBJECTS)}{rng.choice(_OBJECTS)}工作总结范文{k:02d}" for k in range(40)]
    text = "市科技局2020年工作总结\n" + body(90, 8) + "\n" + "\n".join(box)
    (raw / "000_box.txt").write_text(text, encoding="utf-8")
    docs, summary = build(raw, tmp_path / "out")
    assert len(docs) == 1, seen(docs, summary)
    [large] = summary["large_removals"]
    assert large["reason"] == "footer" and large["n_chars"] > LARGE_REMOVAL_CHARS
    assert large["first_line"] == "相关推荐" and large["last_line"] == box[-1]
    report = (tmp_path / "out" / "build_report.html").read_text(encoding="utf-8")
    assert report.index("Large removals") < report.index("<h2>Files")
    [info] = summary["files"]
    assert info["chars_kept"] == len(docs["text"].iloc[0])
    assert "footer:" in info["chars_removed"]
