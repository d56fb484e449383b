#!/usr/bin/env python3
"""Wall time and peak memory of metalplan, HiGHS alone and linopy on the same generated scenario.

For each size it:
  1. writes a scenario with `metalplan generate --facilities N --years Y --seed S`;
  2. writes its model as MPS with `metalplan export` (not timed);
  3. times (a) `metalplan solve` end to end (read TOML + CSV, build, solve, extract results, run
     the independent plan check, write the plan as JSON), (b) HiGHS's own command-line solver on
     the MPS file (read, solve; the floor), (c) `benches/linopy_model.py` (read TOML + CSV with
     pandas, build with linopy, solve through highspy, write facility outputs as CSV);
  4. checks that all three reach the same objective (1e-6 relative), and prints the ratios.

All three use HiGHS 1.16.0 with the same options: `threads = 1`, `parallel = off`, the rest at
HiGHS's defaults (presolve on, simplex for LPs). Peak memory is each process's maximum resident
set size (from wait4). overhead = end to end - HiGHS alone.

Usage:
  benches/compare.py [--sizes 40,380,3850,38500] [--years 20] [--seed 1] [--repeat 3]
                     [--work DIR] [--highs PATH] [--markdown FILE]

The HiGHS command-line solver is built from the very sources highs-sys compiles into metalplan
(cargo's registry copy) into target/highs-cli the first time; --highs PATH uses another binary.
linopy and highspy come from PyPI: `pip install linopy highspy`.
"""

import argparse
import glob
import json
import os
import platform
import re
import selectors
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
METALPLAN = ROOT / "target" / "release" / "metalplan"
LINOPY_MODEL = ROOT / "benches" / "linopy_model.py"
HIGHS_OPTIONS = "threads = 1\nparallel = off\n"


def timed(command):
    """Runs `command`, returning (wall seconds, peak RSS MiB, stdout text, stderr text).

    fork + exec + wait4 rather than subprocess: wait4 returns this one child's own rusage, so
    ru_maxrss is its peak resident memory and not the largest of all children so far."""
    started = time.perf_counter()
    read_out, write_out = os.pipe()
    read_err, write_err = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.dup2(write_out, 1)
        os.dup2(write_err, 2)
        os.close(read_out)
        os.close(read_err)
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    os.close(write_out)
    os.close(write_err)
    chunks = {read_out: [], read_err: []}
    selector = selectors.DefaultSelector()
    for fd in chunks:
        selector.register(fd, selectors.EVENT_READ)
    open_fds = set(chunks)
    while open_fds:
        for key, _ in selector.select():
            data = os.read(key.fd, 65536)
            if data:
                chunks[key.fd].append(data)
            else:
                selector.unregister(key.fd)
                os.close(key.fd)
                open_fds.discard(key.fd)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    out = b"".join(chunks[read_out]).decode()
    err = b"".join(chunks[read_err]).decode()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"compare.py: {' '.join(map(str, command))} exited with {code}:\n{err}\n{out}")
    return seconds, usage.ru_maxrss / 1024.0, out, err


def highs_binary(requested):
    if requested:
        return Path(requested)
    built = ROOT / "target" / "highs-cli" / "build" / "bin" / "highs"
    if built.exists():
        return built
    sources = sorted(glob.glob(str(Path.home() / ".cargo/registry/src/*/highs-sys-*/HiGHS")))
    if not sources:
        sys.exit("compare.py: no highs-sys sources in ~/.cargo/registry; run `cargo build --release` first")
    source = sources[-1]
    print(f"building HiGHS's command-line solver from {source} (once)...", file=sys.stderr)
    build = ROOT / "target" / "highs-cli" / "build"
    subprocess.run(
        ["cmake", "-S", source, "-B", str(build), "-DCMAKE_BUILD_TYPE=Release", "-DFAST_BUILD=ON",
         "-DBUILD_TESTING=OFF", "-DBUILD_EXAMPLES=OFF", "-DZLIB=OFF", "-DBUILD_SHARED_LIBS=OFF"],
        check=True, stdout=subprocess.DEVNULL,
    )
    subprocess.run(["cmake", "--build", str(build), "-j", str(os.cpu_count() or 1)], check=True,
                   stdout=subprocess.DEVNULL)
    return built


def highs_objective(log):
    match = re.search(r"Objective value\s*:\s*([-+0-9.eE]+)", log)
    if not match:
        sys.exit(f"compare.py: no objective in HiGHS's log:\n{log}")
    return float(match.group(1)) * 1e6  # million CNY -> CNY


def linopy_objective(out):
    match = re.search(r"objective ([-+0-9.eE]+)", out)
    if not match:
        sys.exit(f"compare.py: no objective from linopy_model.py:\n{out}")
    return float(match.group(1))


def solve_seconds(timings):
    """The solver's own time in `metalplan solve --timings` output."""
    match = re.search(r"^\s*solve\s+([0-9.]+) s", timings, re.MULTILINE)
    return float(match.group(1)) if match else float("nan")


def linopy_solve_seconds(out):
    """The time linopy_model.py spent in `m.solve` (HiGHS through highspy)."""
    match = re.search(r"^solve_seconds ([0-9.]+)", out, re.MULTILINE)
    return float(match.group(1)) if match else float("nan")


def median_run(command, repeat):
    runs = [timed(command) for _ in range(repeat)]
    runs.sort(key=lambda r: r[0])
    return runs[len(runs) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="40,380,3850,38500", help="facility counts")
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool below 1M variables (median)")
    parser.add_argument("--work", default=str(ROOT / "target" / "compare"))
    parser.add_argument("--highs", help="HiGHS command-line binary (default: build the bundled version)")
    parser.add_argument("--markdown", help="also write the table here")
    args = parser.parse_args()
    if not METALPLAN.exists():
        sys.exit("compare.py: build metalplan first: cargo build --release")
    highs = highs_binary(args.highs)
    versions = {
        "metalplan": subprocess.run([str(METALPLAN), "--version"], capture_output=True, text=True).stdout.strip(),
        "highs": subprocess.run([str(highs), "--version"], capture_output=True, text=True).stdout.strip().splitlines()[0],
        "linopy": subprocess.run([sys.executable, "-c", "import linopy, highspy; print('linopy', linopy.__version__, '/ highspy', highspy.Highs().version())"],
                                 capture_output=True, text=True).stdout.strip().splitlines()[-1],
        "python": platform.python_version(),
    }
    rows = []
    for facilities in [int(n) for n in args.sizes.split(",")]:
        work = Path(args.work) / f"f{facilities}-y{args.years}-s{args.seed}"
        work.mkdir(parents=True, exist_ok=True)
        scenario = work / "scenario.toml"
        timed([str(METALPLAN), "generate", "--facilities", str(facilities), "--years", str(args.years),
               "--seed", str(args.seed), "-o", str(work)])
        mps = work / "model.mps"
        timed([str(METALPLAN), "export", str(scenario), "--mps", str(mps)])
        options = work / "highs.opt"
        options.write_text(HIGHS_OPTIONS)
        repeat = args.repeat if facilities < 20000 else 1
        e2e = median_run([str(METALPLAN), "solve", str(scenario), "--format", "json", "-o",
                          str(work / "plan.json"), "--timings"], repeat)
        alone = median_run([str(highs), "--model_file", str(mps), "--options_file", str(options)], repeat)
        lin = median_run([sys.executable, str(LINOPY_MODEL), str(scenario), str(work / "linopy.csv")], repeat)
        plan = json.loads((work / "plan.json").read_text())
        objectives = {
            "metalplan": plan["objective"],
            "highs": highs_objective(alone[2]),
            "linopy": linopy_objective(lin[2]),
        }
        reference = objectives["metalplan"]
        for tool, value in objectives.items():
            if abs(value - reference) > 1e-6 * abs(reference):
                sys.exit(f"compare.py: {tool} reached {value}, metalplan {reference}: not the same program")
        size = model_size(mps)
        rows.append({
            "facilities": facilities,
            "columns": size[0],
            "rows": size[1],
            "metalplan_s": e2e[0], "metalplan_mib": e2e[1], "metalplan_solve_s": solve_seconds(e2e[3]),
            "highs_s": alone[0], "highs_mib": alone[1],
            "linopy_s": lin[0], "linopy_mib": lin[1], "linopy_solve_s": linopy_solve_seconds(lin[2]),
            "objective": reference,
        })
        print_row(rows[-1], file=sys.stderr)
    table = markdown(rows, args, versions)
    print(table)
    if args.markdown:
        Path(args.markdown).write_text(table)


def model_size(mps):
    """Columns and rows of an MPS file written by metalplan (free MPS)."""
    columns, rows, section = set(), 0, None
    with open(mps) as file:
        for line in file:
            if not line.startswith(" "):
                section = line.split()[0] if line.strip() else section
                continue
            if section == "ROWS":
                rows += 1
            elif section == "COLUMNS":
                columns.add(line.split()[0])
    return len(columns), rows - 1  # less the objective row


def print_row(row, file):
    print(f"{row['facilities']} facilities, {row['columns']} columns: metalplan {row['metalplan_s']:.2f} s "
          f"({row['metalplan_mib']:.0f} MiB), HiGHS alone {row['highs_s']:.2f} s ({row['highs_mib']:.0f} MiB), "
          f"linopy {row['linopy_s']:.2f} s ({row['linopy_mib']:.0f} MiB)", file=file)


def markdown(rows, args, versions):
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}; "
        f"{versions['metalplan']}; {versions['highs']}; {versions['linopy']}; Python {versions['python']}.",
        f"Command: `benches/compare.py --sizes {args.sizes} --years {args.years} --seed {args.seed} --repeat {args.repeat}` "
        "(median of the runs below 20,000 facilities; one run above).",
        "",
        "| facilities | columns | rows | metalplan s | HiGHS alone s | linopy s | metalplan / HiGHS | "
        "metalplan overhead s | linopy overhead s | overhead ratio | metalplan MiB | HiGHS MiB | linopy MiB | "
        "metalplan solver s | linopy solver s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        overhead = row["metalplan_s"] - row["highs_s"]
        linopy_overhead = row["linopy_s"] - row["highs_s"]
        ratio = overhead / linopy_overhead if linopy_overhead > 0 else float("nan")
        lines.append(
            f"| {row['facilities']:,} | {row['columns']:,} | {row['rows']:,} | {row['metalplan_s']:.2f} | "
            f"{row['highs_s']:.2f} | {row['linopy_s']:.2f} | {row['metalplan_s'] / row['highs_s']:.2f} | "
            f"{overhead:.2f} | {linopy_overhead:.2f} | {ratio:.2f} | {row['metalplan_mib']:.0f} | "
            f"{row['highs_mib']:.0f} | {row['linopy_mib']:.0f} | {row['metalplan_solve_s']:.2f} | "
            f"{row['linopy_solve_s']:.2f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
