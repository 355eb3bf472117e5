#!/usr/bin/env python3
"""The build benchmark: `cargo check` of a quarry project against the same
project written with diesel, size of the generated code, and code
generation time. See README.md beside this file."""

import argparse
import os
import pathlib
import re
import statistics
import subprocess
import sys
import time

import generate

WORKSPACE = generate.WORKSPACE


def check(project, target, touched):
    """One `cargo check` after touching `touched`: (wall seconds, peak RSS in MiB)."""
    os.utime(touched)
    # Incremental compilation would replay the last check's results: time
    # the whole crate, as a clean build or CI sees it.
    env = dict(os.environ, CARGO_TARGET_DIR=str(target), CARGO_INCREMENTAL="0")
    cmd = ["/usr/bin/time", "-v", "cargo", "check", "--quiet", "--offline"]
    start = time.monotonic()
    result = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)
    wall = time.monotonic() - start
    if result.returncode != 0:
        sys.exit(f"cargo check failed in {project}:\n{result.stderr[-20000:]}")
    rss_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    return wall, rss_kib / 1024


def size(*paths):
    """(lines, bytes) of the files together."""
    texts = [p.read_text() for p in paths]
    return sum(t.count("\n") for t in texts), sum(len(t.encode()) for t in texts)


def generated_file(target):
    files = list((target / "debug/build").glob("bench-quarry-*/out/quarry_schema.rs"))
    return max(files, key=lambda p: p.stat().st_mtime)


def codegen_seconds(schema_dir, runs):
    """Median time of each code generation phase, at opt-level 0."""
    cmd = ["cargo", "run", "--quiet", "-p", "quarry-codegen", "--example", "codegen_time", "--",
           str(schema_dir), str(runs)]
    out = subprocess.run(cmd, cwd=WORKSPACE, check=True, capture_output=True, text=True).stdout
    return dict((name, float(secs)) for name, secs in (line.split() for line in out.splitlines()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=300)
    parser.add_argument("--backends", default="sqlite", help="comma-separated: sqlite,postgres,mysql")
    parser.add_argument("--runs", type=int, default=3, help="timed checks of each project")
    parser.add_argument("--only", choices=["quarry", "diesel"], help="measure one project only")
    parser.add_argument("--out", type=pathlib.Path, default=WORKSPACE / "target/bench-build")
    args = parser.parse_args()

    args.out = args.out.resolve()
    projects = args.out / "projects"
    target = args.out / "target"
    generate.generate(projects, args.tables, args.backends.split(","))
    names = [args.only] if args.only else ["quarry", "diesel"]
    touched = {name: projects / name / "src/lib.rs" for name in names}

    # Untimed: dependencies, the build script, and a first check of each.
    for name in names:
        print(f"warming up {name}...", file=sys.stderr, flush=True)
        check(projects / name, target, touched[name])

    results = {name: [] for name in names}
    for run in range(args.runs):
        for name in names:
            wall, rss = check(projects / name, target, touched[name])
            results[name].append((wall, rss))
            print(f"run {run + 1}: {name} {wall:.1f} s, {rss:.0f} MiB", file=sys.stderr, flush=True)

    print(f"# {args.tables} tables, backends {args.backends}, median of {args.runs} `cargo check` runs")
    print(f"# load average at end: {os.getloadavg()[0]:.2f}")
    print("| project | check (s) | peak RSS (MiB) | lines | bytes |")
    print("|---|---|---|---|---|")
    sizes = {}
    if "quarry" in names:
        sizes["quarry"] = size(generated_file(target))
    if "diesel" in names:
        sizes["diesel"] = size(projects / "diesel/src/schema.rs", projects / "diesel/src/models.rs")
        sizes["print-schema"] = size(projects / "diesel/src/schema.rs")
    for name in names:
        walls = [w for w, _ in results[name]]
        rsss = [r for _, r in results[name]]
        lines, nbytes = sizes[name]
        label = "quarry (generated)" if name == "quarry" else "diesel (print-schema + models)"
        print(f"| {label} | {statistics.median(walls):.1f} | {statistics.median(rsss):.0f} | {lines} | {nbytes} |")
    if "print-schema" in sizes:
        lines, nbytes = sizes["print-schema"]
        print(f"| diesel print-schema alone | | | {lines} | {nbytes} |")
    if len(names) == 2:
        q = statistics.median(w for w, _ in results["quarry"])
        d = statistics.median(w for w, _ in results["diesel"])
        print(f"\ncheck ratio quarry/diesel: {q / d:.2f}")
        print(f"size ratio quarry/print-schema: lines {sizes['quarry'][0] / sizes['print-schema'][0]:.2f}, "
              f"bytes {sizes['quarry'][1] / sizes['print-schema'][1]:.2f}")
    if "quarry" in names:
        phases = codegen_seconds(projects / "quarry/schema", 5)
        print("codegen at opt-level 0 (median of 5, s): " + ", ".join(f"{k} {v:.3f}" for k, v in phases.items()))


if __name__ == "__main__":
    main()
