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
    svg = paths["svg"].read_text(encoding="utf-8")
    assert TITLE in svg  # text kept as text, searchable


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
