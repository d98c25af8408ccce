"""What a benchmark returns, how it is printed, and the JSON file it leaves in bench/results/."""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"
PROJECT_ROOT = RESULTS_DIR.parent.parent


@dataclass(slots=True)
class Case:
    """One measured thing, its baseline from the same run, and the ratio between them."""

    label: str
    figures: dict[str, float]
    baseline_label: str
    baseline: dict[str, float]
    ratio: float | None


@dataclass(slots=True)
class BenchResult:
    """A benchmark's figures, plus the table that shows them."""

    name: str
    size: str
    ratio_definition: str
    cases: list[Case]
    headers: list[str]
    rows: list[list[str]]
    parameters: dict[str, Any] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def as_json(self, duration_s: float) -> dict[str, Any]:
        """The JSON document: figures, baselines and ratios keyed by case label."""
        return {
            "name": self.name,
            "size": self.size,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "duration_s": round(duration_s, 2),
            "environment": environment(),
            "parameters": self.parameters,
            "ratio_definition": self.ratio_definition,
            "figures": {case.label: case.figures for case in self.cases},
            "baseline": {
                case.label: {"label": case.baseline_label, **case.baseline} for case in self.cases
            },
            "ratio": {case.label: case.ratio for case in self.cases},
            "skipped": self.skipped,
            "notes": self.notes,
        }


def write(result: BenchResult, duration_s: float) -> Path:
    """Write ``bench/results/<name>.json`` and return its path."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{result.name}.json"
    path.write_text(json.dumps(result.as_json(duration_s), indent=2) + "\n", encoding="utf-8")
    return path


def print_result(result: BenchResult) -> None:
    """Print the title, the table, what was skipped and the notes."""
    print(f"\n== {result.name} ({result.size}): ratio = {result.ratio_definition}")
    print(format_table(result.headers, result.rows))
    for case, reason in result.skipped.items():
        print(f"  skipped {case}: {reason}")
    for note in result.notes:
        print(f"  note: {note}")


def format_table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain-text table: first column left-aligned, the others right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        first, *rest = cells
        parts = [str(first).ljust(widths[0])]
        parts += [str(cell).rjust(width) for cell, width in zip(rest, widths[1:], strict=True)]
        return "  " + "  ".join(parts)

    rule = "  " + "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def fmt(value: float | None, digits: int = 2) -> str:
    """A figure for the table; a dash when there is none."""
    return "-" if value is None else f"{value:,.{digits}f}"


def environment() -> dict[str, Any]:
    """The machine and revision the figures come from."""
    return {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "git_revision": _git("rev-parse", "HEAD"),
        "git_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
    }


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
