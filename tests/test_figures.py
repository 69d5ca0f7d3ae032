"""The paper theme renders Chinese, survives seaborn, and exports faithful files."""

from __future__ import annotations

import json
import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import seaborn as sns

from bureau_rhetoric import figures

TITLE = "科技局报告中的创新驱动"


@pytest.fixture()
def theme():
    family = figures.set_paper_theme()
    yield family
    plt.close("all")


def test_font_comes_from_installed_truetype_package(theme):
    path = figures.cjk_font_path()
    assert "site-packages" in str(path) or "dist-packages" in str(path) or path.is_file()
    with open(path, "rb") as fh:
        head = fh.read(12)
    assert head[:4] == b"ttcf"  # TrueType collection: glyf outlines, not CFF
    from fontTools.ttLib import TTCollection

    font = TTCollection(str(path)).fonts[0]
    assert "glyf" in font and "CFF " not in font
    assert all(ord(ch) in font.getBestCmap() for ch in TITLE)


@pytest.mark.parametrize("reset", [
    lambda: sns.set_theme(),
    lambda: sns.set_theme(style="whitegrid", font="sans-serif"),
    lambda: sns.set_style("dark"),
    lambda: sns.set(font_scale=1.2),
    lambda: plt.style.use("default"),
    lambda: matplotlib.rcParams.update({"font.sans-serif": ["Arial"]}),
])
def test_theme_survives_later_resets(theme, reset):
    reset()
    assert matplotlib.rcParams["font.sans-serif"][0] == theme
    assert matplotlib.rcParams["font.serif"][0] == theme
    fig, ax = plt.subplots()
    ax.set_title(TITLE)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" is a UserWarning
        fig.canvas.draw()


def test_figure_size_is_journal_width():
    w, h = figures.figure_size("single", aspect=0.5)
    assert w * 25.4 == pytest.approx(89.0)
    assert figures.figure_size("double")[0] * 25.4 == pytest.approx(183.0)
    with pytest.raises(ValueError, match="width must be one of"):
        figures.figure_size("triple")


def _toy_figure():
    df = pd.DataFrame({"year": np.arange(2006, 2016), "rate": np.linspace(0.5, 3.0, 10)})
    fig, ax = figures.new_figure("single")
    ax.plot(df["year"], df["rate"], marker="o")
    ax.set_title(TITLE)
    ax.set_xlabel("年份 year")
    return fig, df


def test_save_figure_writes_every_format_with_provenance(theme, tmp_path):
    fig, df = _toy_figure()
    paths = figures.save_figure(fig, "toy-rates", data=df, out_dir=tmp_path,
                                params={"seed": 7, "years": [2006, 2015]}, lexicons=["README.md"],
                                notebook="00-toy.ipynb")
    assert {p.suffix for p in paths.values()} == {".pdf", ".svg", ".png", ".csv", ".json"}
    from PIL import Image

    with Image.open(paths["png"]) as im:
        dpi = im.info["dpi"]
        assert dpi[0] == pytest.approx(300, abs=1)
        assert im.size[0] / dpi[0] * 25.4 == pytest.approx(89.0, abs=0.5)  # exact column width
    back = pd.read_csv(paths["csv"], encoding="utf-8-sig")
    pd.testing.assert_frame_equal(back, df)
    side = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert side["params"] == {"seed": 7, "years": [2006, 2015]}
    assert set(side["lexicons"]) == {"README.md"} and len(side["lexicons"]["README.md"]) == 64
    assert side["version"] and side["created_utc"] and side["notebook"] == "00-toy.ipynb"
    assert "git_commit" in side and side["data_sha256"]
    assert side["figure"]["layout"] == [] and side["figure"]["editable_text"] is False
    svg = paths["svg"].read_text(encoding="utf-8")
    # text drawn as glyph outlines: renders on a machine without the CJK font
    assert "<text" not in svg and "font-family" not in svg and "WenQuanYiMicroHei-" in svg
    editable = figures.save_figure(fig, "toy-editable", out_dir=tmp_path, editable_text=True)
    assert TITLE in editable["svg"].read_text(encoding="utf-8")  # kept as text, on request


def test_pdf_embeds_truetype_cid_font_with_extractable_chinese(theme, tmp_path):
    from pypdf import PdfReader

    fig, df = _toy_figure()
    paths = figures.save_figure(fig, "toy-pdf", data=df, out_dir=tmp_path)
    reader = PdfReader(str(paths["pdf"]))
    page = reader.pages[0]
    fonts = page["/Resources"]["/Font"]
    kinds = []
    for ref in fonts.values():
        font = ref.get_object()
        if font["/Subtype"] == "/Type0":
            desc = font["/DescendantFonts"][0].get_object()
            kinds.append(desc["/Subtype"])
            assert "/FontFile2" in desc["/FontDescriptor"].get_object()  # TrueType program
            assert "/FontFile3" not in desc["/FontDescriptor"].get_object()  # not CFF
    assert "/CIDFontType2" in kinds
    assert TITLE in page.extract_text()


def test_save_figure_is_byte_stable_for_pdf_and_png(theme, tmp_path):
    fig, df = _toy_figure()
    a = figures.save_figure(fig, "same", data=df, out_dir=tmp_path / "a")
    b = figures.save_figure(fig, "same", data=df, out_dir=tmp_path / "b")
    for kind in ("pdf", "png", "svg", "csv"):
        assert a[kind].read_bytes() == b[kind].read_bytes(), kind


def test_save_figure_rejects_bad_arguments(theme, tmp_path):
    fig, _ = _toy_figure()
    with pytest.raises(ValueError, match="dpi must be at least 300"):
        figures.save_figure(fig, "x", out_dir=tmp_path, dpi=150)
    with pytest.raises(ValueError, match="figure name"):
        figures.save_figure(fig, "图一", out_dir=tmp_path)


def test_check_layout_finds_overlaps_overhangs_small_type_and_hyphen_minus(theme):
    fig, ax = figures.new_figure("single")
    ax.plot([-2, 2], [0, 1])
    ax.set_title("标题 title")
    assert figures.check_layout(fig) == []
    ax.text(0.2, 0.5, "重叠的文字 overlapping", transform=ax.transAxes)
    ax.text(0.25, 0.5, "第二段 second text", transform=ax.transAxes)
    ax.text(1.3, 0.5, "跑出画布 off the canvas", transform=ax.transAxes)
    ax.text(0.1, 0.1, "五号小字", transform=ax.transAxes, fontsize=5)
    ax.set_xticks([-2, 0, 2], ["-2", "0", "2"])
    ax.set_xlabel("年份 year", fontsize=9)
    found = figures.check_layout(fig)
    assert any("overlap" in p and "second text" in p for p in found)
    assert any("off the canvas" in p and "outside the canvas" in p for p in found)
    assert any("五号小字" in p and "5.0 pt" in p for p in found)
    assert any("smaller than its axis labels" in p for p in found)
    assert any("hyphen" in p for p in found)
    plt.close(fig)
    # turned labels: their extents overlap at 45 degrees, the text does not; at 10 degrees it does
    for angle, overlapping in ((45, False), (10, True)):
        fig, ax = figures.new_figure("single")
        ax.set_xticks(range(10), ["很长的标签 long label"] * 10, rotation=angle, ha="right")
        assert any("overlap" in p for p in figures.check_layout(fig)) is overlapping, angle
        plt.close(fig)


def test_theme_type_scale_and_true_minus(theme):
    fs = figures.FONT_SIZES
    assert min(fs.values()) >= figures.MIN_FONT_PT
    assert fs["figure_title"] >= fs["title"] >= fs["label"] >= fs["tick"]
    fig, ax = figures.new_figure("single")
    ax.plot([-3, 3], [-1, 1])
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert any(t.startswith("\u2212") for t in labels) and not any(t.startswith("-") for t in labels)
    assert figures.check_layout(fig) == []
    plt.close(fig)


def test_series_styles_differ_in_grey_for_two_series():
    import matplotlib.colors as mc

    def grey(h):
        r, g, b = mc.to_rgb(h)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    a, b = (s["color"] for s in figures.series_styles(2))
    assert abs(grey(a) - grey(b)) > 0.25
    styles = figures.series_styles(64)
    assert len({(s["color"], s["marker"]) for s in styles}) == 64


def _dated(n, seed=0):
    rng = np.random.default_rng(seed)
    year = rng.integers(1980, 2024, n).astype(float)
    conf = rng.choice(["high", "medium", "low", "none"], n, p=[0.5, 0.2, 0.2, 0.1])
    lo, hi = year.copy(), year.copy()
    lo[conf == "low"] -= 3
    hi[conf == "low"] += 2
    year[conf == "low"] = np.nan
    year[conf == "none"] = lo[conf == "none"] = hi[conf == "none"] = np.nan
    return pd.DataFrame({"doc_id": [f"doc{i:04d}" for i in range(n)], "title": [f"某县科技局第{i}号报告" for i in range(n)],
                         "year": year, "year_lo": lo, "year_hi": hi, "year_confidence": conf,
                         "n_chars": rng.integers(200, 20000, n), "duplicate_of": None, "on_topic": True})


@pytest.mark.parametrize("n", [12, 60, 400])
def test_corpus_figures_adapt_to_the_number_of_documents_and_pass_the_layout_check(theme, n):
    docs = _dated(n)
    ax = figures.plot_year_intervals(docs)
    if n <= 80:  # one row per document, the figure as tall as the rows need
        assert len(ax.get_yticklabels()) == n
    else:  # documents per year: the rows would be illegible
        assert ax.get_ylabel().startswith("文档数") and sum(p.get_height() for p in ax.patches) == \
            int(docs["year"].notna().sum())
    assert figures.check_layout(ax.figure) == []
    plt.close(ax.figure)
    fig, ax = figures.new_figure("double", aspect=0.4)
    figures.plot_document_lengths(docs, ax=ax)
    assert (len(ax.get_xticklabels()) == n) == (n <= 40)
    assert figures.check_layout(fig) == []
    plt.close(fig)
    changes = pd.DataFrame({"source_file": [f"{i:05d}_source_file_name.txt" for i in range(n)],
                            "reason": np.where(np.arange(n) % 2, "watermark", "gbk_shift"),
                            "n_changes": np.arange(n) + 1})
    ax = figures.plot_repairs_by_file(changes)
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert len(rows) == min(n, 25) + (n > 25)
    if n > 25:
        assert rows[-1] == f"其他 other {n - 25} files"
    assert figures.check_layout(ax.figure) == []
    plt.close(ax.figure)
