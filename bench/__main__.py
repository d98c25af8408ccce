"""``python -m bench --size quick|full [--only NAME]``: run the benchmarks, print, write JSON.

Exits 1 when a benchmark raised, 0 otherwise: figures are measurements, never pass/fail.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

from bench import SIZES
from bench.results import RESULTS_DIR, BenchResult, print_result, write

BENCHMARKS = {
    "http_api": "bench.http_api",
    "cohort_query": "bench.cohort_query",
    "import": "bench.imports",
    "conflicts": "bench.conflicts",
    "funnel": "bench.funnel",
    "api": "bench.api",
}
"""Benchmark name -> module exposing ``run(size: str) -> BenchResult``, in running order."""


def keep_bytecode(cache: Path = RESULTS_DIR / ".pycache") -> None:
    """Cache compiled bytecode under bench/results/ when the environment forbids __pycache__.

    With ``PYTHONDONTWRITEBYTECODE`` set, each of the Python processes a run starts (this one,
    ``essaim demo``, two uvicorn servers) recompiled litestar, piccolo and Essaim: about 4 s
    each, more than a tenth of the quick run. The cache stays out of the source tree; nothing
    changes when bytecode may be written as usual.
    """
    if not sys.dont_write_bytecode or os.environ.get("PYTHONPYCACHEPREFIX"):
        return
    cache.mkdir(parents=True, exist_ok=True)
    sys.pycache_prefix = str(cache)
    sys.dont_write_bytecode = False
    os.environ["PYTHONPYCACHEPREFIX"] = str(cache)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM (a CI timeout, say) unwinds like Ctrl-C, so every server is stopped."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks in order; return the exit status."""
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", choices=SIZES, default="quick", help="default: quick")
    parser.add_argument("--only", choices=sorted(BENCHMARKS), help="run this benchmark alone")
    args = parser.parse_args(argv)
    keep_bytecode()
    names = [args.only] if args.only else list(BENCHMARKS)
    failed = []
    started = time.perf_counter()
    for name in names:
        print(f"-- {name} ({args.size}) ...", flush=True)
        began = time.perf_counter()
        try:
            module = importlib.import_module(BENCHMARKS[name])
            result: BenchResult = module.run(args.size)
        except Exception:
            traceback.print_exc()
            print(f"!! {name} failed", file=sys.stderr, flush=True)
            failed.append(name)
            continue
        duration = time.perf_counter() - began
        print_result(result)
        path = write(result, duration)
        print(f"  {duration:.1f} s, written to {path.relative_to(RESULTS_DIR.parent.parent)}")
    summary = (
        f"{len(names) - len(failed)}/{len(names)} ran in {time.perf_counter() - started:.1f} s"
    )
    print(f"\n{summary}" + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


def exit_now(status: int) -> None:
    """Exit with ``status``, even if a library left a non-daemon thread running.

    An idle aiosqlite connection that nobody closed keeps its thread, and with it the
    interpreter, alive for ever; a benchmark run must end, so name the threads and leave.
    """
    leftovers = [
        thread.name
        for thread in threading.enumerate()
        if thread is not threading.main_thread() and not thread.daemon and thread.is_alive()
    ]
    if leftovers:
        print(f"bench: threads still running at exit, ignored: {leftovers}", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)


if __name__ == "__main__":
    exit_now(main())
