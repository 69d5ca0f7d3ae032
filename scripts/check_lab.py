"""Start `make lab` and run every notebook on the `bureau-rhetoric` kernel through the server's REST API.

    python scripts/check_lab.py [--port 8899] [--keep-figures]

What a user gets from `make lab`: the script starts JupyterLab exactly as the
Makefile does (headless, a one-off token), checks that the server lists the
`bureau-rhetoric` kernel, opens each `notebooks/NN-*.ipynb` through the contents
API (the jupytext pairing is live there), starts a kernel by name and executes
the code cells in order over the kernel's websocket, after the parameters cell
pointing FIGURES_DIR (and CACHE_DIR, if the notebook has one) at a temporary
folder so the repository stays clean. Needs a built corpus (`make corpus`).
Prints one line per notebook (cells, seconds, first error) and the server's
warnings, and exits non-zero if a notebook failed or the server warned.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _get(base: str, token: str, path: str, data: dict | None = None) -> dict:
    req = urllib.request.Request(base + path, method="POST" if data is not None else "GET",
                                 data=json.dumps(data).encode() if data is not None else None,
                                 headers={"Authorization": f"token {token}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        body = r.read()
    return json.loads(body) if body else {}


def _execute(ws, code: str, timeout: float) -> str | None:
    """Run one cell; return 'Name: message' if it raised, else None."""
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({"header": {"msg_id": msg_id, "username": "check", "session": uuid.uuid4().hex,
                                   "msg_type": "execute_request", "version": "5.3"},
                        "parent_header": {}, "metadata": {}, "channel": "shell",
                        "content": {"code": code, "silent": False, "store_history": True,
                                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
    error, deadline = None, time.time() + timeout
    while time.time() < deadline:
        frame = ws.recv()
        if not frame:
            return "the server closed the kernel's websocket"
        msg = json.loads(frame)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "error":
            error = f"{msg['content']['ename']}: {msg['content']['evalue']}"
        if msg["channel"] == "shell" and msg["msg_type"] == "execute_reply":
            return error
    return f"timeout after {timeout:.0f} s"


def main() -> int:
    import websocket  # websocket-client, installed with jupyter_server

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=8899)
    ap.add_argument("--timeout", type=float, default=1800, help="seconds allowed per cell")
    ap.add_argument("notebooks", nargs="*", help="notebook names (default: all)")
    args = ap.parse_args()

    token = secrets.token_hex(16)
    lab_args = f"--port {args.port} --IdentityProvider.token={token}"
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        lab_args += " --allow-root"
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    server = subprocess.Popen(["make", "--no-print-directory", "lab", "NO_BROWSER=1", f"LAB_ARGS={lab_args}"],
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{args.port}"
    failed = 0
    try:
        for _ in range(120):
            try:
                specs = _get(base, token, "/api/kernelspecs")
                break
            except OSError:
                time.sleep(1)
        else:
            print(f"server did not start; log in {log.name}")
            return 1
        print(f"kernels offered: {sorted(specs['kernelspecs'])}")
        if "bureau-rhetoric" not in specs["kernelspecs"]:
            print("the bureau-rhetoric kernel is not registered")
            return 1
        listing = _get(base, token, "/api/contents/notebooks")["content"]
        names = sorted(c["name"] for c in listing if re.match(r"^\d{2}-.*\.ipynb$", c["name"]))
        for name in args.notebooks or names:
            nb = _get(base, token, f"/api/contents/notebooks/{name}")["content"]
            kernel = nb["metadata"]["kernelspec"]["name"]
            kid = _get(base, token, "/api/kernels", {"name": kernel})["id"]
            ws = websocket.create_connection(f"ws://127.0.0.1:{args.port}/api/kernels/{kid}/channels"
                                             f"?token={token}&session_id={uuid.uuid4().hex}", timeout=args.timeout)
            out = Path(tempfile.mkdtemp(prefix=f"check-lab-{name[:2]}-"))
            t0, n_run, error = time.time(), 0, None
            code = [c for c in nb["cells"] if c["cell_type"] == "code"]
            for cell in code:
                src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                error = _execute(ws, src, args.timeout)
                n_run += 1
                if error:
                    break
                if "parameters" in cell.get("metadata", {}).get("tags", []):
                    names_set = set(re.findall(r"^([A-Z_][A-Z0-9_]*)\s*=", src, re.M))
                    over = {k: str(out / k.lower()) for k in ("FIGURES_DIR", "CACHE_DIR") if k in names_set}
                    error = _execute(ws, "\n".join(f"{k} = {v!r}" for k, v in over.items()), 60)
            ws.close()
            urllib.request.urlopen(urllib.request.Request(
                f"{base}/api/kernels/{kid}", method="DELETE", headers={"Authorization": f"token {token}"}))
            status = f"FAILED in code cell {n_run}: {error}" if error else "ok"
            failed += bool(error)
            print(f"{name}: kernel {kernel}, {n_run}/{len(code)} code cells, "
                  f"{time.time() - t0:.0f} s, {status}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    text = Path(log.name).read_text(encoding="utf-8", errors="replace")
    warnings = [ln for ln in text.splitlines() if re.search(r"WARNING|\[W |\[E |Traceback", ln)]
    print(f"server warnings: {len(warnings)}")
    for ln in warnings[:20]:
        print("  " + ln[:200])
    return 1 if failed or warnings else 0


if __name__ == "__main__":
    sys.exit(main())
