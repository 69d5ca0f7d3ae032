"""Calibrate the dating: documents with known years, explicit years masked, scored.

Two sources of documents with a known reporting year:

* **generated reports** (:func:`make_synthetic_reports`): 工作总结, summary-and-plan,
  new-year speeches, pure plans and 述职 reports for a sampled year, built from
  ``synthetic_report_phrases.tsv`` (era phrases with the writing years in which a local
  bureau would use them, written independently of the dating lexicon, several not in it),
  Five-Year-Plan and explicit-year sentences. A share get content-farm noise: a title
  relabelled to another year, an upload stamp.
* **dated seed documents** with a hand annotation (``scripts/seed_year_annotations.csv``).

:func:`mask_years` hides every explicit year (``2015年`` → ``XX年`` / ``20xx年`` …) before
inference, so the test measures what the dating can do when the year itself is gone;
:func:`score_dating` reports MAE where a point is given, interval coverage, the share of
documents with a point and a breakdown by confidence.

Examples
--------
>>> from bureau_rhetoric.dating_calibration import make_synthetic_reports, mask_corpus, score_dating
>>> from bureau_rhetoric.dating import date_corpus
>>> docs = make_synthetic_reports(3, seed=1)
>>> sorted(docs.columns)
['doc_id', 'doc_type', 'published', 'text', 'title', 'true_year']
>>> res = score_dating(date_corpus(mask_corpus(docs, seed=1)))
>>> res["n"]
3
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .lexicons import lexicon_path

__all__ = ["make_synthetic_reports", "mask_years", "mask_corpus", "score_dating", "match_year_annotations",
           "heldout_reports", "SYNTH_LEXICON"]

SYNTH_LEXICON = "synthetic_report_phrases.tsv"

_PLACES = ["某市", "XX市", "XX区", "南江县", "清远市", "东台市", "包河区", "中宁县", "某县", "江北区"]
_CN = dict(zip("0123456789", "〇一二三四五六七八九"))


def _phrases() -> pd.DataFrame:
    path = lexicon_path(SYNTH_LEXICON)
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    rows = [ln.split("\t") for ln in lines[1:]]
    df = pd.DataFrame(rows, columns=lines[0].split("\t"))
    return df.astype({"lo": int, "hi": int})


def _plan_of(y: int):
    from .dating import fyp_period, period_years  # plan periods from fyp.csv

    name = fyp_period(y)
    return None if name is None else (name, *period_years(name))


def _yr(y: int, rng) -> str:
    """A year as written: mostly digits, sometimes Chinese numerals."""
    return "".join(_CN[c] for c in str(y)) if rng.random() < 0.05 else str(y)


def make_synthetic_reports(n: int = 200, *, seed: int, years: tuple[int, int] = (2003, 2024),
                           noise: float = 0.15) -> pd.DataFrame:
    """Generate bureau reports with a known reporting year.

    Parameters
    ----------
    n : int, default 200
        Number of documents.
    seed : int
        Random seed; the same seed gives the same documents.
    years : (int, int), default (2003, 2024)
        Range of true reporting years (inclusive).
    noise : float, default 0.15
        Share of documents whose title year is relabelled to a wrong year.

    Returns
    -------
    DataFrame
        ``doc_id``, ``title``, ``text``, ``published`` (upload stamp or None),
        ``true_year`` and ``doc_type`` (summary, summary_plan, speech, plan, duty).

    Examples
    --------
    >>> from bureau_rhetoric.dating_calibration import make_synthetic_reports
    >>> a = make_synthetic_reports(5, seed=3); b = make_synthetic_reports(5, seed=3)
    >>> a.equals(b), bool(a["true_year"].between(2003, 2024).all())
    (True, True)
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    rng = np.random.default_rng(seed)
    ph = _phrases()
    era, filler = ph[ph["kind"] == "era"], ph[ph["kind"] == "filler"]
    types = ["summary", "summary_plan", "speech", "plan", "duty"]
    rows = []
    for i in range(n):
        R = int(rng.integers(years[0], years[1] + 1))
        t = types[int(rng.choice(5, p=[0.35, 0.2, 0.2, 0.15, 0.1]))]
        W = {"summary": R, "summary_plan": R, "speech": R + 1, "plan": R - int(rng.random() < 0.6),
             "duty": R + int(rng.random() < 0.3)}[t]
        p = str(rng.choice(_PLACES))
        Y = lambda y: _yr(y, rng)  # noqa: E731
        k_era = int(rng.choice([0, 1, 2, 3, 4], p=[0.1, 0.25, 0.3, 0.2, 0.15]))
        ok = era[(era["lo"] <= W) & (era["hi"] >= W)]
        eras = list(ok.sample(min(k_era, len(ok)), random_state=int(rng.integers(1 << 31)))["text"]) if len(ok) else []
        fills = list(filler.sample(int(rng.integers(2, 6)), random_state=int(rng.integers(1 << 31)))["text"])
        body_mid = eras + fills
        rng.shuffle(body_mid)
        extra = []
        if rng.random() < 0.5:
            extra.append(f"截至{Y(R)}年底，全市共有高新技术企业{int(rng.integers(20, 900))}家")
        if rng.random() < 0.5:
            extra.append(f"全年共组织申报各级科技项目{int(rng.integers(10, 300))}项，比{Y(R - 1)}年增长{int(rng.integers(2, 40))}%")
        if rng.random() < 0.3:
            extra.append(f"力争到{Y(R + int(rng.integers(2, 7)))}年，全社会研发经费投入占比达到2.5%")
        if rng.random() < 0.2:
            k = int(rng.integers(3, 12))
            extra.append(f"自{Y(R - k)}年以来，我局连续{k}年被评为目标考核先进单位")
        plan = _plan_of(W)
        if plan and rng.random() < 0.35:
            extra.append(f"深入实施“{plan[0]}”科技发展规划")
        if plan and W == plan[2] and t in ("summary", "summary_plan", "duty") and rng.random() < 0.4:
            extra.append(f"今年是“{plan[0]}”规划的收官之年")
        if plan and W == plan[1] and t == "speech" and rng.random() < 0.4:
            extra.append(f"今年是“{plan[0]}”规划的开局之年")
        rplan = _plan_of(R)
        if rplan and R == rplan[1] and t == "plan" and rng.random() < 0.4:
            extra.append(f"{Y(R)}年是“{rplan[0]}”规划的开局之年")
        nxt = _plan_of(W + 1)
        if nxt and W + 1 == nxt[1] and rng.random() < 0.3:
            extra.append(f"启动“{nxt[0]}”科技创新规划编制工作")
        body_mid += extra
        rng.shuffle(body_mid)
        sents = "。".join(body_mid) + "。"
        if t == "summary":
            title = str(rng.choice([f"{p}科技局{Y(R)}年工作总结", f"{p}科学技术局{Y(R)}年度工作总结",
                                    f"{p}科技局年度工作总结", f"关于{Y(R)}年科技工作情况的报告"]))
            opening = str(rng.choice([f"{Y(R)}年，在市委、市政府的正确领导下，我局紧紧围绕全市中心工作，现将{Y(R)}年工作总结如下：",
                                      "今年以来，在市委、市政府的正确领导下，我局各项工作稳步推进，现将全年工作总结如下：",
                                      f"现将我局{Y(R)}年度科技工作情况报告如下："]))
            text = f"{opening}\n一、主要工作和成效\n{sents}\n二、存在的问题\n科技投入总体不足，创新人才缺乏。"
        elif t == "summary_plan":
            title = str(rng.choice([f"{p}科技局{Y(R)}年工作总结和{Y(R + 1)}年工作计划",
                                    f"{p}科技局{Y(R)}年工作总结及{Y(R + 1)}年工作思路"]))
            text = (f"一、{Y(R)}年工作回顾\n{Y(R)}年，我局认真履行职能。{sents}\n"
                    f"二、{Y(R + 1)}年工作计划\n{Y(R + 1)}年，我局将继续加大科技投入，重点抓好以下工作。")
        elif t == "speech":
            title = str(rng.choice(["在全市科技工作会议上的讲话", f"在{p}{Y(R + 1)}年科技创新大会上的讲话"]))
            text = (f"同志们：\n今天召开全市科技工作会议，主要任务是总结{Y(R)}年科技工作，部署{Y(R + 1)}年任务。\n"
                    f"一、{Y(R)}年科技工作回顾\n过去的一年，全市科技系统真抓实干。{sents}\n"
                    f"二、{Y(R + 1)}年重点工作\n今年要突出抓好科技创新平台建设。")
        elif t == "plan":
            title = str(rng.choice([f"{p}科技局{Y(R)}年工作要点", f"{p}科技局{Y(R)}年工作计划"]))
            text = (f"{Y(R)}年全市科技工作的总体思路是：坚持创新引领，服务发展大局。\n一、主要目标\n"
                    f"到{Y(R)}年底，新增高新技术企业{int(rng.integers(5, 80))}家。\n二、重点任务\n{sents}")
        else:
            title = str(rng.choice([f"{p}科技局局长{Y(R)}年度述职报告", "科技局局长述职报告"]))
            text = f"一年来，我在市委、市政府的正确领导下，认真履行职责。现将{Y(R)}年度履职情况报告如下：\n{sents}"
        if rng.random() < noise and re.search(r"[0-9]{4}", title):
            wrong = R + int(rng.choice([-3, -2, -1, 1, 2, 3]))
            title = re.sub(r"[0-9]{4}", str(wrong), title, count=1)
        published = None
        if rng.random() < 0.5:
            # uploaded after it was written: a plan written late in the year before, others later
            py = int(rng.integers(W, max(W, 2025) + 1))
            mo = int(rng.integers(10, 13)) if py < R else int(rng.integers(1, 13))
            published = f"{py}-{mo:02d}-{int(rng.integers(1, 29)):02d} 10:00:00"
        rows.append({"doc_id": f"synth-{seed}-{i:04d}", "title": title, "text": text, "published": published,
                     "true_year": R, "doc_type": t})
    return pd.DataFrame(rows)


_YEAR_ANY = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])|[一二][〇零○一二三四五六七八九]{3}(?=年)")
_MASKS = ["XX", "20xx", "xxxx", "20XX", "××"]


def mask_years(text: str, style: str = "XX") -> str:
    """Replace every explicit year (digits or Chinese numerals) by a mask.

    Parameters
    ----------
    text : str
    style : str, default "XX"
        The mask written in place of each year (``"XX"``, ``"20xx"``, ``"xxxx"`` ...).

    Returns
    -------
    str

    Examples
    --------
    >>> from bureau_rhetoric.dating_calibration import mask_years
    >>> mask_years("2015年工作总结和二〇一六年计划，2011-2015年", "20xx")
    '20xx年工作总结和20xx年计划，20xx-20xx年'
    """
    return _YEAR_ANY.sub(style, text)


def mask_corpus(docs: pd.DataFrame, *, seed: int) -> pd.DataFrame:
    """Mask the explicit years in titles and texts, one random mask style per document.

    Parameters
    ----------
    docs : DataFrame
        With ``title`` and ``text``.
    seed : int

    Returns
    -------
    DataFrame
        A copy with masked ``title`` and ``text`` and a ``mask_style`` column.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.dating_calibration import mask_corpus
    >>> docs = pd.DataFrame({"title": ["2015年总结", "计划", "2001年"], "text": ["2015年，我局…", "无", "x"]})
    >>> out = mask_corpus(docs, seed=0)
    >>> bool(out["title"].str.contains("2015").any())
    False
    """
    rng = np.random.default_rng(seed)
    out = docs.copy()
    styles = [str(rng.choice(_MASKS)) for _ in range(len(out))]
    out["title"] = [mask_years(str(t), s) for t, s in zip(out["title"], styles)]
    out["text"] = [mask_years(str(t), s) for t, s in zip(out["text"], styles)]
    out["mask_style"] = styles
    return out


def score_dating(dated: pd.DataFrame, truth: str = "true_year") -> dict:
    """Score dated documents against their true years.

    Parameters
    ----------
    dated : DataFrame
        Output of :func:`bureau_rhetoric.dating.date_corpus` with a ``truth`` column.
    truth : str, default "true_year"

    Returns
    -------
    dict
        ``n``; ``point_rate`` (share given a point); ``mae`` (mean absolute error over
        documents with a point, NaN if none); ``coverage`` (share whose true year lies in
        ``[year_lo, year_hi]``, a missing bound counting as open); ``bounded`` (share with both
        bounds); ``mean_width`` (mean ``year_hi - year_lo`` over bounded intervals); and
        ``by_confidence``, a DataFrame with the same per confidence level.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.dating_calibration import score_dating
    >>> d = pd.DataFrame({"true_year": [2015, 2010, 2020], "year": [2015, None, 2018],
    ...     "year_lo": [2015, 2008, 2017], "year_hi": [2015, None, 2019],
    ...     "year_confidence": ["high", "low", "medium"]})
    >>> r = score_dating(d); r["mae"], round(r["coverage"], 3), round(r["point_rate"], 3)
    (1.0, 0.667, 0.667)
    """
    def one(df: pd.DataFrame) -> dict:
        t = df[truth].astype(float)
        y = pd.to_numeric(df["year"], errors="coerce").astype(float)
        lo = pd.to_numeric(df["year_lo"], errors="coerce").astype(float)
        hi = pd.to_numeric(df["year_hi"], errors="coerce").astype(float)
        has = y.notna()
        cov = (lo.isna() | (lo <= t)) & (hi.isna() | (t <= hi))
        bounded = lo.notna() & hi.notna()
        return {"n": int(len(df)), "point_rate": float(has.mean()) if len(df) else float("nan"),
                "mae": float((y[has] - t[has]).abs().mean()) if has.any() else float("nan"),
                "coverage": float(cov.mean()) if len(df) else float("nan"),
                "bounded": float(bounded.mean()) if len(df) else float("nan"),
                "mean_width": float((hi - lo)[bounded].mean()) if bounded.any() else float("nan")}

    res = one(dated)
    by = [dict(confidence=c, **one(g)) for c, g in dated.groupby("year_confidence", sort=False)]
    order = {"high": 0, "medium": 1, "low": 2, "none": 3}
    res["by_confidence"] = pd.DataFrame(by).sort_values("confidence", key=lambda s: s.map(order)).reset_index(drop=True)
    return res


def match_year_annotations(corpus: pd.DataFrame, annotations) -> pd.DataFrame:
    """Return the corpus rows a year annotation matches, with its ``true_year``.

    Parameters
    ----------
    corpus : DataFrame
        A built corpus with ``source_file``, ``title`` (and optionally ``duplicate_of``).
    annotations : str or Path
        CSV with ``#`` comment lines and columns ``source_file`` (a file-name suffix),
        ``title_regex`` and ``year``, optionally ``piece`` (the piece number in ``doc_id``
        when a compilation repeats one title), e.g. ``scripts/seed_year_annotations.csv``.

    Returns
    -------
    DataFrame
        One corpus row per annotation that matches (the first non-duplicate), plus
        ``true_year``; ``attrs["unmatched"]`` lists the annotations that matched nothing.

    Examples
    --------
    >>> import pandas as pd, tempfile, os
    >>> from bureau_rhetoric.dating_calibration import match_year_annotations
    >>> corpus = pd.DataFrame({"source_file": ["a.txt", "a.txt", "b.txt"], "title": ["甲报告", "乙报告", "丙"],
    ...                        "text": ["x", "y", "z"]})
    >>> f = os.path.join(tempfile.mkdtemp(), "ann.csv")
    >>> _ = open(f, "w", encoding="utf-8").write("# note\\nsource_file,title_regex,year,reason\\na.txt,乙,2015,r\\nc.txt,丁,2001,r\\n")
    >>> out = match_year_annotations(corpus, f)
    >>> out[["title", "true_year"]].values.tolist(), out.attrs["unmatched"]
    ([['乙报告', 2015]], ['c.txt / 丁'])
    """
    from io import StringIO
    from pathlib import Path

    lines = [ln for ln in Path(annotations).read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    ann = pd.read_csv(StringIO("\n".join(lines)))
    missing = {"source_file", "title_regex", "year"} - set(ann.columns)
    if missing:
        raise ValueError(f"{annotations}: year annotations need columns {sorted(missing)}")
    rows, unmatched = [], []
    for a in ann.itertuples():
        hit = corpus[(corpus["source_file"].astype(str).str.endswith(a.source_file))
                     & corpus["title"].astype(str).str.contains(a.title_regex, regex=True)]
        piece = getattr(a, "piece", None)
        if piece is not None and not pd.isna(piece):
            hit = hit[hit["doc_id"].astype(str).str.contains(rf"-{int(piece):02d}(?:-\d+)?$", regex=True)]
        if "duplicate_of" in hit.columns and hit["duplicate_of"].isna().any():
            hit = hit[hit["duplicate_of"].isna()]
        if len(hit):
            row = hit.iloc[0].copy()
            row["true_year"] = int(a.year)
            rows.append(row)
        else:
            unmatched.append(f"{a.source_file} / {a.title_regex}")
    out = pd.DataFrame(rows).reset_index(drop=True)
    out.attrs["unmatched"] = unmatched
    return out


def heldout_reports() -> pd.DataFrame:
    """Return the held-out reports (``synth_heldout``) as a dating test set: truth the rules did not write.

    The reports were written for this project without the dating rules' cue phrases
    (截至…年底, 比…年增长, 力争到, 自…以来, 收官之年); their true year is the author's.

    Returns
    -------
    DataFrame
        ``doc_id``, ``title``, ``text``, ``published`` (None) and ``true_year``.

    Examples
    --------
    >>> from bureau_rhetoric.dating_calibration import heldout_reports
    >>> d = heldout_reports()
    >>> len(d) >= 30, sorted(d.columns)
    (True, ['doc_id', 'published', 'text', 'title', 'true_year'])
    """
    from .synth_heldout import load_clean_reports

    r = load_clean_reports()
    return pd.DataFrame({"doc_id": r["doc_id"], "title": r["title"], "text": r["text"],
                         "published": [None] * len(r), "true_year": r["true_year"].astype(int)})
