"""Measure place, bureau and on_topic: on the independent evaluation set and on the seed corpus, side by side.

Independent: ``tests/data/bureau_reports.jsonl``, 46 short reports written for the
evaluation (not from data/raw), 25 departments in 20 fields, labelled by hand; it was
committed before the rules were measured on it and no rule was chosen from it.
Seed-derived: the 28 leaf documents of ``data/raw``, whose only on-topic truth is
the one the seed tests always used (000-03-2 transport, 000-03-4 planning, 002-16
cultural relics are off topic); the seeds have no place annotation, so only the
number of documents with a place is given.

Run: python benchmarks/bench_describe.py
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from bureau_rhetoric.config import RAW_DIR
from bureau_rhetoric.corpus import build_corpus
from bureau_rhetoric.describe import describe_document

EVAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "bureau_reports.jsonl"
SEED_OFF_TOPIC = {"000-03-2", "000-03-4", "002-16"}


def prf(truth: list[bool], pred: list[bool]) -> tuple[float, float, int, int, int]:
    tp = sum(t and p for t, p in zip(truth, pred))
    fp = sum(p and not t for t, p in zip(truth, pred))
    fn = sum(t and not p for t, p in zip(truth, pred))
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), tp, fp, fn


def main() -> None:
    rows = [json.loads(ln) for ln in EVAL.read_text(encoding="utf-8").splitlines() if ln.strip()]
    t0 = time.perf_counter()
    preds = [describe_document(r["title"], r["text"], r["source_path"] or None) for r in rows]
    secs = time.perf_counter() - t0
    p, r, tp, fp, fn = prf([x["on_topic"] for x in rows], [d["on_topic"] for d in preds])
    # off-topic detection seen from the other side (what the flag is for)
    po, ro, *_ = prf([not x["on_topic"] for x in rows], [not d["on_topic"] for d in preds])
    labelled = [(x, d) for x, d in zip(rows, preds) if x["place"]]
    place_ok = sum(d["place"] == x["place"] for x, d in labelled)
    full_ok = sum(d["place"] == x["place"] and all((d[k] or "") == x[k] for k in ("province", "prefecture", "county"))
                  for x, d in labelled)
    wrong = sum(d["place"] is not None and d["place"] != x["place"] for x, d in labelled)
    bureau_ok = sum((d["bureau"] or "") == x["bureau"] for x, d in zip(rows, preds))

    docs = build_corpus(RAW_DIR)
    truth = [i not in SEED_OFF_TOPIC for i in docs["doc_id"]]
    sp, sr, stp, sfp, sfn = prf(truth, docs["on_topic"].tolist())
    spo, sro, *_ = prf([not t for t in truth], [not x for x in docs["on_topic"]])

    print(f"{'measure':44s} {'independent set':>18s} {'seed corpus':>14s}")
    print(f"{'documents':44s} {len(rows):>18d} {len(docs):>14d}")
    print(f"{'on_topic precision':44s} {p:>18.3f} {sp:>14.3f}")
    print(f"{'on_topic recall':44s} {r:>18.3f} {sr:>14.3f}")
    print(f"{'off-topic precision':44s} {po:>18.3f} {spo:>14.3f}")
    print(f"{'off-topic recall':44s} {ro:>18.3f} {sro:>14.3f}")
    print(f"{'  (tp/fp/fn of on_topic)':44s} {f'{tp}/{fp}/{fn}':>18s} {f'{stp}/{sfp}/{sfn}':>14s}")
    print(f"{'place recall (place right / labelled)':44s} {f'{place_ok}/{len(labelled)}':>18s} {'n/a':>14s}")
    print(f"{'place + province/prefecture/county right':44s} {f'{full_ok}/{len(labelled)}':>18s} {'n/a':>14s}")
    print(f"{'place wrong (a different division given)':44s} {wrong:>18d} {'n/a':>14s}")
    print(f"{'place filled':44s} {sum(d['place'] is not None for d in preds):>18d} "
          f"{int(docs['place'].notna().sum()):>14d}")
    print(f"{'province filled':44s} {sum(d['province'] is not None for d in preds):>18d} "
          f"{int(docs['province'].notna().sum()):>14d}")
    print(f"{'bureau right (incl. none)':44s} {f'{bureau_ok}/{len(rows)}':>18s} {'n/a':>14s}")
    print(f"{'seconds to describe the set':44s} {secs:>18.3f}")
    for x, d in zip(rows, preds):
        if x["on_topic"] != d["on_topic"] or (x["place"] and d["place"] != x["place"]) or (d["bureau"] or "") != x["bureau"]:
            print(f"  miss {x['id']}: on_topic {x['on_topic']}->{d['on_topic']}, bureau {x['bureau'] or '-'}->"
                  f"{d['bureau'] or '-'}, place {x['place'] or '-'}->{d['place'] or '-'}")


if __name__ == "__main__":
    main()
