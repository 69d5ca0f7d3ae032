"""Run each bad-input case (tests/test_bad_input.py) on its own and tabulate the outcome.

Each test runs in its own pytest process with a time limit (a hang is an outcome too);
the cell is ``pass`` or the first line of the failure. Run it with the old code first
(``git worktree add /tmp/old REV``, then ``PYTHONPATH=/tmp/old/src``: the tests of this
checkout against that code), then with this code, and merge the two columns into
``benchmarks/results/bad_input.md``:

    PYTHONPATH=/tmp/old/src python benchmarks/bad_input_table.py --label before --json /tmp/before.json
    python benchmarks/bad_input_table.py --label after --json /tmp/after.json --merge /tmp/before.json \\
        --md benchmarks/results/bad_input.md
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests" / "test_bad_input.py"


def list_cases(tests: Path) -> list[str]:
    out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist",
                          "--doctest-modules", str(tests)], capture_output=True, text=True, cwd=ROOT)
    return [ln.split("::", 1)[1] for ln in out.stdout.splitlines() if "::" in ln]


def outcome(tests: Path, case: str, timeout: float) -> str:
    t = time.perf_counter()
    try:
        res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:xdist", "--tb=line",
                              "-W", "ignore", f"{tests}::{case}"], capture_output=True, text=True,
                             timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return f"HANG (killed after {timeout:.0f} s)"
    secs = time.perf_counter() - t
    if res.returncode == 0:
        return f"pass ({secs:.1f} s)" if "skipped" not in res.stdout else "skipped"
    text = res.stdout
    # --tb=line: "path:line: ExcType: message"; keep the exception and message, one line
    lines = [ln for ln in text.splitlines() if re.match(r"^(/|E |[A-Za-z_]+Error|.*\.py:\d+:)", ln)]
    first = next((ln for ln in lines if ".py:" in ln), lines[0] if lines else text.strip().splitlines()[-1])
    first = re.sub(r"^.*?\.py:\d+: ", "", first)
    first = re.sub(r"/tmp/pytest-of-[^/]+/pytest-\d+/(?:popen-gw\d+/)?[^/ ']+/", ".../", first)
    return "FAIL: " + first.replace("|", "/")[:200]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--label", default="after")
    ap.add_argument("--tests", type=Path, default=TESTS)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--json", type=Path, help="write {case: outcome} here")
    ap.add_argument("--merge", type=Path, help="JSON of an earlier run: its column comes first")
    ap.add_argument("--md", type=Path, help="write the markdown table here")
    args = ap.parse_args()
    cases = list_cases(args.tests)
    results = {}
    for c in cases:
        results[c] = outcome(args.tests, c, args.timeout)
        print(f"{c}: {results[c]}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.md:
        before = json.loads(args.merge.read_text(encoding="utf-8")) if args.merge else {}
        head = "| case | before | after |\n|---|---|---|\n" if before else f"| case | {args.label} |\n|---|---|\n"
        rows = []
        for c in cases:
            cell = results[c]
            rows.append(f"| `{c}` | {before.get(c, 'not run')} | {cell} |" if before else f"| `{c}` | {cell} |")
        args.md.write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
