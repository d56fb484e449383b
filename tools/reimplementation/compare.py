#!/usr/bin/env python3
"""Compares metalplan's optimal objectives with the independent re-implementation (model.py).

For every scenario in scenarios/*.toml, tests/data/*.toml (except names starting with
"infeasible" or "invalid"), tests/data/market/*.toml, tests/data/facilities/*.toml and
tests/data/recycling/*.toml (except the overlay clean-floor.toml) that
`metalplan check` accepts, and every objective the scenario solves with (`metalplan solve`
exits 0), runs `metalplan solve FILE --objective X --format json` and model.py, and reports
the relative difference |tool - reimplementation| / max(|tool|, |reimplementation|) (0 when
both are 0).

Usage (from the repository root):
    python3 tools/reimplementation/compare.py [--metalplan PATH] [--tolerance 1e-6]
                                              [--json FILE] [--update-readme [SECTION]]
                                              [--soft-targets] [FILES...]
Without FILES it runs the set above; with FILES, those files only (any name).
Exit code 0 when every case is within the tolerance, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.dont_write_bytecode = True
sys.path.insert(0, str(HERE))

import model  # noqa: E402

OBJECTIVES = [("cost", "cost"), ("emissions", "emissions"), ("imports", "imports"),
              ("value-added", "value_added"), ("welfare", "welfare")]


OVERLAYS = {"clean-floor.toml"}


def scenario_files() -> list[Path]:
    files = sorted((REPO / "scenarios").glob("*.toml"))
    files += sorted(p for p in (REPO / "tests" / "data").glob("*.toml")
                    if not p.name.startswith(("infeasible", "invalid")))
    files += sorted((REPO / "tests" / "data" / "market").glob("*.toml"))
    files += sorted((REPO / "tests" / "data" / "facilities").glob("*.toml"))
    # clean-floor.toml is an overlay on power.toml (--with), not a scenario of its own
    files += sorted(p for p in (REPO / "tests" / "data" / "recycling").glob("*.toml")
                    if p.name not in OVERLAYS)
    return files


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def rel_diff(a: float, b: float) -> float:
    scale = max(abs(a), abs(b))
    return 0.0 if scale == 0.0 else abs(a - b) / scale


def compare(files, binary: Path, tolerance: float, soft_targets: bool = False):
    cases, skipped = [], []
    for path in files:
        rel = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        chk = subprocess.run([str(binary), "check", str(rel)], cwd=REPO,
                             capture_output=True, text=True)
        if chk.returncode != 0:
            skipped.append((str(rel), "rejected by `metalplan check`: "
                            + (chk.stderr.strip().splitlines() or [""])[0]))
            continue
        for flag, kind in OBJECTIVES:
            before = sha(path)
            cmd = [str(binary), "solve", str(rel), "--objective", flag, "--format", "json"]
            if soft_targets:
                cmd.append("--soft-targets")
            proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
            if proc.returncode != 0:
                skipped.append((f"{rel} --objective {flag}",
                                f"metalplan exit {proc.returncode}: "
                                + (proc.stderr.strip().splitlines() or [""])[0]))
                continue
            tool = json.loads(proc.stdout)
            try:
                mine = model.run(REPO / rel, kind, soft_targets, binary=binary)
                mine_value, optimum, err = mine["objective"], mine["optimum"], None
            except Exception as e:  # noqa: BLE001 - reported per case
                mine_value, optimum, err = float("nan"), float("nan"), str(e)
            after = sha(path)
            d = rel_diff(tool["objective"], mine_value) if err is None else float("inf")
            cases.append({
                "scenario": str(rel), "objective": kind, "unit": tool["objective_unit"],
                "tool": tool["objective"], "reimplementation": mine_value,
                "reimplementation_optimum": optimum, "relative_difference": d,
                "ok": d <= tolerance, "error": err,
                "scenario_changed_during_run": before != after,
            })
    return cases, skipped


def fmt(v: float) -> str:
    return f"{v:.10g}" if v == v else "error"


def markdown(cases, skipped, tolerance) -> str:
    lines = ["| scenario | objective | unit | tool | re-implementation | relative difference |",
             "|---|---|---|---:|---:|---:|"]
    for c in cases:
        mark = "" if c["ok"] else " **over tolerance**"
        lines.append(f"| {c['scenario']} | {c['objective']} | {c['unit']} | {fmt(c['tool'])} | "
                     f"{fmt(c['reimplementation'])} | {c['relative_difference']:.2e}{mark} |")
    worst = max((c["relative_difference"] for c in cases), default=0.0)
    n_ok = sum(c["ok"] for c in cases)
    lines.append("")
    lines.append(f"{len(cases)} cases, {n_ok} within {tolerance:g} relative; "
                 f"largest relative difference {worst:.2e}.")
    if skipped:
        lines.append("")
        lines.append("Not compared:")
        lines.append("")
        for what, why in skipped:
            lines.append(f"- `{what}`: {why}")
    return "\n".join(lines) + "\n"




def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--metalplan", type=Path, default=model.DEFAULT_BINARY)
    ap.add_argument("--tolerance", type=float, default=1e-6)
    ap.add_argument("--soft-targets", action="store_true",
                    help="pass --soft-targets to both (M19); for supplementary checks")
    ap.add_argument("--json", type=Path, help="also write every case as JSON")
    ap.add_argument("--update-readme", nargs="?", const="results", metavar="SECTION",
                    help="replace the table between <!-- SECTION:begin --> and "
                         "<!-- SECTION:end --> in README.md beside this script "
                         "(default section: results)")
    a = ap.parse_args(argv)
    files = [f.resolve() for f in a.files] or scenario_files()
    cases, skipped = compare(files, a.metalplan.resolve(), a.tolerance, a.soft_targets)
    table = markdown(cases, skipped, a.tolerance)
    print(table, end="")
    if a.json:
        a.json.write_text(json.dumps({"cases": cases, "skipped": skipped}, indent=1) + "\n")
    if a.update_readme:
        readme = HERE / "README.md"
        text = readme.read_text()
        begin, end_mark = f"<!-- {a.update_readme}:begin -->", f"<!-- {a.update_readme}:end -->"
        start, end = text.index(begin) + len(begin), text.index(end_mark)
        readme.write_text(text[:start] + "\n" + table + text[end:])
    return 0 if all(c["ok"] for c in cases) else 1


if __name__ == "__main__":
    sys.exit(main())
