"""Benchmark the four notebooks end to end: seconds and peak memory at several corpus sizes.

For each size, a synthetic corpus (``bureau-rhetoric synth``: paragraphs of the bundled
corpus over four decades, planted phrase and theme trends, seed 0) is generated and
built (``bureau-rhetoric build``; both timed but reported apart), then every notebook
runs in order as ``make run`` runs it (papermill, fresh kernel, HTML rendering), with
a fresh cache folder per size: 03 fits cold, 04 reads 03's cached model as it does
after ``make run``. Peak memory is the largest total resident memory of the notebook
runner, its kernel and their workers (sampled every 0.2 s), as proportional set size
(PSS: a page shared by forked processes counted once; the RSS sum, which counts it in
every process, is kept as ``peak_rss_mb`` and was the measure of the "before" rows,
recorded before PSS was); CPU seconds are those of the whole process
tree (kernel and worker processes included), which other load on a shared machine
does not inflate the way it inflates wall seconds (the load average is recorded).

Usage::

    python benchmarks/bench_notebooks.py                      # 2,000 documents (make bench)
    python benchmarks/bench_notebooks.py --sizes 100 500 2000 10000 --label after
    python benchmarks/bench_notebooks.py --sizes 500 --notebooks 03-topics

Results are merged into ``benchmarks/results/notebooks.json`` (keyed by label, size
and notebook, so a "before" and an "after" run sit side by side) and the table is
rewritten to ``benchmarks/results/notebooks.md``. Targets (issue 15, 2 cores): all
four notebooks under 5 min at 2,000 documents and under 20 min at 10,000, peak memory
under 2 GB; 03-topics under 2 min at 2,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
NOTEBOOKS = ("01-corpus", "02-phrase-rates", "03-topics", "04-topic-trends")
TARGETS = {2000: (300, 120), 10000: (1200, None)}  # size: (all four notebooks, 03-topics) in seconds
PEAK_TARGET_MB = 2048


def _tree_cpu(proc: psutil.Process, seen: dict) -> None:
    """Record each descendant's own CPU seconds so far (the last value seen counts)."""
    for p in [proc] + proc.children(recursive=True):
        try:
            t = p.cpu_times()
            seen[p.pid] = t.user + t.system
        except psutil.Error:
            pass


def _tree_memory(proc: psutil.Process) -> tuple[int, int]:
    """(RSS, PSS) summed over a process tree. RSS counts pages that forked workers share
    with their parent once per process; PSS splits each shared page among its sharers,
    so its sum is the physical memory the tree holds (RSS where PSS is unavailable)."""
    rss = pss = 0
    for p in [proc] + proc.children(recursive=True):
        try:
            info = p.memory_full_info()
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
        except psutil.Error:
            pass
    return rss, pss


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)  # every descendant that was waited for
    return ru.ru_utime + ru.ru_stime


def run_measured(cmd: list[str], env: dict | None = None, interval: float = 0.2) -> tuple[float, float, float, float]:
    """Run a command; return (wall seconds, peak PSS MB and peak RSS MB of its process tree, CPU seconds)."""
    cpu0 = _children_cpu()
    t = time.perf_counter()
    popen = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    proc = psutil.Process(popen.pid)
    peak = peak_rss = 0
    seen: dict = {}
    while popen.poll() is None:
        try:
            rss, pss = _tree_memory(proc)
            peak, peak_rss = max(peak, pss), max(peak_rss, rss)
            _tree_cpu(proc, seen)
        except psutil.Error:
            pass
        time.sleep(interval)
    secs = time.perf_counter() - t
    err = popen.stderr.read() if popen.stderr else ""
    if popen.returncode:
        raise RuntimeError(f"{' '.join(cmd[:4])} ... failed ({popen.returncode}): {err.strip()[-2000:]}")
    # CPU: what the waited-for tree reports, or the sum of every process's own time as last
    # sampled, whichever is larger (worker processes of a forkserver are not the kernel's
    # children, so the first misses them; the second misses each process's last 0.2 s)
    return secs, peak / 2**20, peak_rss / 2**20, max(_children_cpu() - cpu0, sum(seen.values()))


_RUN_ONE = """
import json, sys
from bureau_rhetoric.notebooks import run_notebook
run_notebook(sys.argv[1], sys.argv[2], parameters=json.loads(sys.argv[3]), html=True)
"""


def bench_size(n_docs: int, notebooks: list[str], work: Path, label: str) -> list[dict]:
    env = dict(os.environ, PYTHONHASHSEED="0", MPLBACKEND="Agg", BUREAU_RHETORIC_PROGRESS="0")
    syn = work / f"syn-{n_docs}"
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bureau_rhetoric", "synth", "--n-docs", str(n_docs), "--out",
                    str(syn), "--seed", "0"], check=True, stdout=subprocess.DEVNULL, env=env)
    gen = time.perf_counter() - t
    processed = syn / "processed"
    secs, peak, rss, cpu = run_measured([sys.executable, "-m", "bureau_rhetoric", "build", "--raw",
                                         str(syn / "raw"), "--out", str(processed)], env=env)
    rows = [dict(label=label, docs=n_docs, notebook="(build)", seconds=round(secs, 1), cpu_s=round(cpu, 1),
                 peak_mb=round(peak), peak_rss_mb=round(rss), load=round(os.getloadavg()[0], 1))]
    print(f"{n_docs} documents: generated in {gen:.0f} s (not counted); build {secs:.1f} s, {peak:.0f} MB",
          flush=True)
    params = {"CORPUS_DIR": str(processed), "FIGURES_DIR": str(syn / "figures"), "SEED": 0,
              "CACHE_DIR": str(syn / "cache")}
    for name in notebooks:
        nb = ROOT / "notebooks" / f"{name}.ipynb"
        secs, peak, rss, cpu = run_measured([sys.executable, "-c", _RUN_ONE, str(nb), str(syn / "executed"),
                                             json.dumps(params)], env=env)
        rows.append(dict(label=label, docs=n_docs, notebook=name, seconds=round(secs, 1), cpu_s=round(cpu, 1),
                         peak_mb=round(peak), peak_rss_mb=round(rss), load=round(os.getloadavg()[0], 1)))
        print(f"  {name:<18} {secs:8.1f} s  {cpu:8.1f} CPU s  {peak:7.0f} MB  (RSS sum {rss:.0f} MB, "
              f"load {os.getloadavg()[0]:.1f})", flush=True)
    return rows


def _merge(rows: list[dict], path: Path) -> list[dict]:
    old = json.loads(path.read_text(encoding="utf-8"))["rows"] if path.is_file() else []
    key = lambda r: (r["label"], r["docs"], r["notebook"])  # noqa: E731
    new = {key(r): r for r in old}
    new.update({key(r): r for r in rows})
    return sorted(new.values(), key=lambda r: (r["docs"], r["notebook"], r["label"] != "before", r["label"]))


def _cpu(rows: list[dict]) -> str:
    return f"{sum(r['cpu_s'] for r in rows):,.1f}" if all("cpu_s" in r for r in rows) else ""


def _rss(r: dict) -> int:
    return r.get("peak_rss_mb", r["peak_mb"])  # rows without PSS recorded RSS sums as peak_mb


def _pss(r: dict) -> int | None:
    return r["peak_mb"] if "peak_rss_mb" in r else None


def render_table(rows: list[dict]) -> str:
    """Markdown: one row per size and notebook; per label wall s, CPU s, peak RSS sum and peak PSS (MB)."""
    labels = sorted({r["label"] for r in rows}, key=lambda s: (s != "before", s))
    cells = {(r["docs"], r["notebook"], r["label"]): r for r in rows}
    head = ("| documents | notebook | " + " | ".join(f"{lab} s | {lab} CPU s | {lab} RSS MB | {lab} PSS MB"
                                                     for lab in labels) + " |")
    sep = "|---:|---|" + "---:|---:|---:|---:|" * len(labels)
    out = [head, sep]
    for docs in sorted({r["docs"] for r in rows}):
        names = sorted({r["notebook"] for r in rows if r["docs"] == docs})
        for name in names + ["all four notebooks"]:
            vals = []
            for lab in labels:
                got = ([cells.get((docs, n, lab)) for n in NOTEBOOKS] if name == "all four notebooks"
                       else [cells.get((docs, name, lab))])
                if not all(got):
                    vals += ["", "", "", ""]
                    continue
                pss = [_pss(g) for g in got]
                vals += [f"{sum(g['seconds'] for g in got):,.1f}", _cpu(got), f"{max(_rss(g) for g in got):,}",
                         f"{max(pss):,}" if None not in pss else ""]
            out.append(f"| {docs:,} | {name} | " + " | ".join(vals) + " |")
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000])
    ap.add_argument("--notebooks", nargs="+", default=list(NOTEBOOKS), choices=NOTEBOOKS)
    ap.add_argument("--label", default="after", help="column of the results table (e.g. before, after)")
    ap.add_argument("--work", type=Path, default=None, help="keep corpora and outputs here (default: a temp dir)")
    ap.add_argument("--results", type=Path, default=RESULTS / "notebooks.json")
    args = ap.parse_args(argv)

    print(f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, python "
          f"{platform.python_version()}; label {args.label!r}", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-notebooks-") as tmp:
        work = args.work or Path(tmp)
        for n in args.sizes:
            rows += bench_size(n, args.notebooks, work, args.label)
    merged = _merge(rows, args.results)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    meta = {"cores": os.cpu_count(), "python": platform.python_version(),
            "updated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    args.results.write_text(json.dumps({"about": meta, "rows": merged}, indent=1) + "\n", encoding="utf-8")
    table = render_table(merged)
    args.results.with_suffix(".md").write_text(table, encoding="utf-8")
    print("\n" + render_table(rows))
    missed = []
    for n in args.sizes:
        mine = {r["notebook"]: r for r in rows if r["docs"] == n}
        total_t, topics_t = TARGETS.get(n, (None, None))
        if total_t and all(k in mine for k in NOTEBOOKS):
            total = sum(mine[k]["seconds"] for k in NOTEBOOKS)
            if total > total_t:
                missed.append(f"{n} documents: all four notebooks {total:.0f} s > {total_t} s")
        if topics_t and "03-topics" in mine and mine["03-topics"]["seconds"] > topics_t:
            missed.append(f"{n} documents: 03-topics {mine['03-topics']['seconds']:.0f} s > {topics_t} s")
        over = [k for k, r in mine.items() if r["peak_mb"] > PEAK_TARGET_MB]
        if over:
            missed.append(f"{n} documents: peak memory over {PEAK_TARGET_MB} MB in {', '.join(over)}")
    print("targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
