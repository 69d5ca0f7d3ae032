"""Seed-derived vs independent figures, side by side (issue 14).

Prints, for the seed-derived material and the held-out material (``synth_heldout``):

1. round-trip similarity: dirty files built back and compared with the clean text
   (difflib ratio; documents found; titles recovered);
2. dating: MAE where a point is given, interval coverage, point rate, share ``high``,
   with explicit years visible and masked;
3. word-boundary matching: share of substring hits of dated terms and phrases that
   the boundary check rejects;
4. GBK-repair thresholds held out: on clean held-out text no edit (false repairs),
   on GBK-shifted held-out text the share of shifts undone, and the gain margins.

Usage::

    python scripts/heldout_check.py                 # seeds 0-2 of the held-out generator
    python scripts/heldout_check.py --seeds 5
"""

from __future__ import annotations

import argparse
import difflib
import random
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from bureau_rhetoric.config import RAW_DIR
from bureau_rhetoric.corpus import build_corpus, build_corpus_tables
from bureau_rhetoric.dating import date_corpus
from bureau_rhetoric.dating_calibration import (heldout_reports, make_synthetic_reports, mask_corpus,
                                                match_year_annotations, score_dating)

HERE = Path(__file__).resolve().parent


def _sim(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def round_trip_heldout(seeds) -> dict:
    from bureau_rhetoric.synth_heldout import make_heldout_corpus

    sims, n_true, n_built, titles = [], 0, 0, 0
    for seed in seeds:
        files, truth = make_heldout_corpus(seed=seed)
        with tempfile.TemporaryDirectory() as d:
            for name, data in files.items():
                (Path(d) / name).write_bytes(data)
            out, _, _ = build_corpus_tables(d)
        n_true += len(truth)
        n_built += len(out)
        for f, g in truth.groupby("file", sort=True):
            o = out[out["source_file"].astype(str).str.endswith(f)].reset_index(drop=True)
            for k, row in enumerate(g.itertuples()):
                ok = k < len(o)
                sims.append(_sim(row.text, o.loc[k, "text"]) if ok else 0.0)
                titles += int(ok and o.loc[k, "title"] == row.title)
    s = np.array(sims)
    return {"docs": f"{n_built}/{n_true}", "titles": titles / n_true, "mean_sim": s.mean(), "min_sim": s.min(),
            "share_ge_0.99": (s >= 0.99).mean()}


def round_trip_seed_derived(seeds) -> dict:
    from bureau_rhetoric import synth

    docs = build_corpus(RAW_DIR)
    keep = docs["duplicate_of"].isna() & ~docs["text"].str.contains("〓") & (docs["n_chars"] > 600)
    clean = docs[keep].reset_index(drop=True)
    sims, n_true, n_built, titles = [], 0, 0, 0
    for seed in seeds:
        picks = clean.sample(n=min(8, len(clean)), random_state=seed)
        with tempfile.TemporaryDirectory() as d:
            for k, row in enumerate(picks.itertuples()):
                dirty = row.title + "\n" + synth.make_dirty_variant(row.text, seed=100 * seed + k, title=row.title)
                (Path(d) / f"{k:03d}_v.txt").write_bytes(synth.encode_text(dirty, ("utf-8", "gb18030")[k % 2]))
            out, _, _ = build_corpus_tables(d)
        n_true += len(picks)
        n_built += len(out)
        titles += sum(a == b for a, b in zip(picks["title"], out["title"]))
        sims += [_sim(a, b) for a, b in zip(picks["text"], out["text"])]
    s = np.array(sims)
    return {"docs": f"{n_built}/{n_true}", "titles": titles / n_true, "mean_sim": s.mean(), "min_sim": s.min(),
            "share_ge_0.99": (s >= 0.99).mean()}


def _dating_row(name: str, docs: pd.DataFrame) -> dict:
    r = score_dating(date_corpus(docs))
    dated = date_corpus(docs)
    return {"set": name, "n": r["n"], "point_rate": r["point_rate"], "mae": r["mae"], "coverage": r["coverage"],
            "bounded": r["bounded"], "mean_width": r["mean_width"],
            "share_high": float((dated["year_confidence"] == "high").mean())}


def dating_table(seed: int) -> pd.DataFrame:
    rows = []
    synth = make_synthetic_reports(300, seed=seed)
    rows.append(_dating_row("seed-derived generated, visible", synth))
    rows.append(_dating_row("seed-derived generated, masked", mask_corpus(synth, seed=seed)))
    corpus = build_corpus(RAW_DIR)
    gold = match_year_annotations(corpus, HERE / "seed_year_annotations.csv")
    rows.append(_dating_row("seed annotations, visible", gold))
    rows.append(_dating_row("seed annotations, masked", mask_corpus(gold, seed=seed)))
    held = heldout_reports()
    rows.append(_dating_row("held-out reports, visible", held))
    rows.append(_dating_row("held-out reports, masked", mask_corpus(held, seed=seed)))
    return pd.DataFrame(rows)


def boundary_table() -> pd.DataFrame:
    from bureau_rhetoric.boundaries import substring_hit_table

    corpus = build_corpus(RAW_DIR)
    held = heldout_reports()
    rows = []
    for name, docs in (("seeds", corpus), ("held-out reports", held)):
        t = substring_hit_table(docs["text"].tolist())
        for kind, g in t.groupby("kind"):
            rows.append({"set": name, "lexicon": kind, "substring_hits": len(g), "rejected": int((~g["kept"]).sum()),
                         "share_rejected": float((~g["kept"]).mean()) if len(g) else float("nan"),
                         "examples": "; ".join(g.loc[~g["kept"], "context"].head(3))})
    return pd.DataFrame(rows)


def gbk_table(seed: int) -> pd.DataFrame:
    """GBK-repair thresholds held out: false repairs on clean text, shifts undone, gain margins."""
    from bureau_rhetoric import repair
    from bureau_rhetoric.synth import _shift_candidates, shift_gbk
    from bureau_rhetoric.synth_heldout import load_clean_reports

    import opencc

    _s2t = opencc.OpenCC("s2t")
    rng = random.Random(seed)
    rows = []
    sets = {"held-out reports": load_clean_reports()["text"].tolist()}
    docs = build_corpus(RAW_DIR)
    sets["seeds (clean docs)"] = docs.loc[~docs["text"].str.contains("〓"), "text"].tolist()
    for name, texts in sets.items():
        false_edits = sum(len(repair.gbk_shift_edits(t)) + len(repair.gbk_shift_edits(_s2t.convert(t)))
                          for t in texts)
        n_shift = n_undone = 0
        for t in texts:
            # a shift resynchronises only at a character whose GBK trail byte is ASCII, which
            # Simplified (GB2312) characters never have: the sites shifted converted text
            t = _s2t.convert(t)
            cands = _shift_candidates(t)
            for i, j in rng.sample(cands, min(6, len(cands))):
                bad = shift_gbk(t, i, j, stray=rng.randint(0x81, 0xFE))
                if bad is None:
                    continue
                n_shift += 1
                n_undone += int(repair.fix_gbk_shift(bad) == t)
        rows.append({"set": name, "clean_docs": len(texts), "false_repairs_on_clean": false_edits,
                     "shifts": n_shift, "undone_exactly": n_undone / max(n_shift, 1)})
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3, help="generator seeds 0..N-1 (default 3)")
    args = ap.parse_args(argv)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_colwidth", 80)
    seeds = range(args.seeds)
    print("== round trip (dirty files -> build -> text vs clean)")
    print(pd.DataFrame([{"set": "seed-derived (synth.make_dirty_variant on seed docs)", **round_trip_seed_derived(seeds)},
                        {"set": "held-out (synth_heldout)", **round_trip_heldout(seeds)}]).round(4).to_string(index=False))
    print("\n== dating")
    print(dating_table(0).round(3).to_string(index=False))
    print("\n== word boundaries: substring hits rejected")
    print(boundary_table().round(3).to_string(index=False))
    print("\n== GBK repair thresholds, held out")
    print(gbk_table(0).round(3).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
