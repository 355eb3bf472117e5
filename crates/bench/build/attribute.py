#!/usr/bin/env python3
"""Where the generated module's size and check time go, per emitted item kind.

    python3 crates/bench/build/attribute.py sizes
    python3 crates/bench/build/attribute.py check full noload nouow noallow

Reads the module `run.py` generated last (target/bench-build). `sizes` prints
lines and bytes per item kind. `check` copies the module into one project
per variant, with that variant's item kinds removed, and times one `cargo check`
of each without incremental reuse: the difference from `full` is what those
items cost. Variants compile against the working tree's quarry runtime.
"""

import collections
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time

import generate
import run

ROOT = generate.WORKSPACE / "target/bench-build"

# Item kinds removed by each variant (see `kind`).
VARIANTS = {
    "full": set(),
    "noload": {"load_rows", "impl Matching", "impl JoinRows", "impl UnlimitedQuery", "impl ColumnKeyed", "column_keyed"},
    "nouow": {"impl Insert", "struct Dense"},
    "nocascade": {"cascade_delete"},
    "noallow": {"diesel::allow_tables_to_appear_in_same_query"},
}


def items(text):
    """The top-level items of a module laid out by prettyplease (or by the
    metadata writer): an item ends at a line in column 0 that closes it."""
    out, current = [], []
    for line in text.split("\n"):
        current.append(line)
        if line and not line[0].isspace():
            stripped = line.rstrip()
            if stripped in ("}", "};", ");") or (stripped.endswith(";") and not stripped.startswith("#")) \
                    or stripped.endswith("{}"):
                out.append("\n".join(current))
                current = []
    if any(line.strip() for line in current):
        out.append("\n".join(current))
    return out


def kind(item):
    """What an item is: `impl Trait`, `struct New`, `static NAME`, a macro's name..."""
    # The first line in column 0 that is not an attribute or a comment.
    body = [l for l in item.split("\n") if l and not l[0].isspace() and not l.startswith(("#", "//", ")", "]"))]
    head = body[0] if body else ""
    if head.startswith("quarry::__codegen::"):
        return head.split("!")[0].split("::")[-1]
    if head.startswith("diesel::"):
        return head.split("!")[0]
    if re.match(r"(pub )?static ", head):
        return "metadata"
    m = re.match(r"impl(<[^>]*>)?\s+([\w:]+)(<.*>)?\s+for\s+", head)
    if m:
        return "impl " + m.group(2).split("::")[-1]
    m = re.match(r"impl(<[^>]*>)?\s+([\w:]+)", head)
    if m:
        name = m.group(2)
        return "inherent impl " + ("Dense" if "Dense" in name else "New" if name.startswith("New") else "Model")
    m = re.match(r"(pub )?struct (\w+)", head)
    if m:
        name = m.group(2)
        return "struct " + ("Dense" if "Dense" in name else "New" if name.startswith("New")
                            else "Changeset" if name.endswith("Changeset") else "Model")
    m = re.match(r"(pub )?(mod|fn|enum) (\w+)", head)
    if m:
        return f"{m.group(2)} {m.group(3)}"
    return head[:40]


def sizes(text):
    lines, nbytes, count = collections.Counter(), collections.Counter(), collections.Counter()
    for item in items(text):
        k = kind(item)
        lines[k] += item.count("\n") + 1
        nbytes[k] += len(item.encode()) + 1
        count[k] += 1
    total = sum(nbytes.values())
    print("| items | lines | bytes | share | kind |")
    print("|---|---|---|---|---|")
    for k in sorted(nbytes, key=lambda k: -nbytes[k]):
        print(f"| {count[k]} | {lines[k]} | {nbytes[k]} | {100 * nbytes[k] / total:.1f}% | {k} |")
    print(f"| | {sum(lines.values())} | {total} | | total |")


def variant(name, text):
    drop = VARIANTS[name]
    kept = []
    for item in items(text):
        k = kind(item)
        if k not in drop:
            kept.append(item)
    project = ROOT / "variants" / name
    (project / "src").mkdir(parents=True, exist_ok=True)
    toml = (ROOT / "projects/quarry/Cargo.toml").read_text()
    toml = toml.replace('name = "bench-quarry"', f'name = "variant-{name}"').split("[build-dependencies]")[0]
    (project / "Cargo.toml").write_text(toml)
    shutil.copy(ROOT / "projects/quarry/Cargo.lock", project / "Cargo.lock")
    (project / "module.rs").write_text("\n".join(kept) + "\n")
    (project / "src/lib.rs").write_text(
        '#![allow(dead_code)]\n#![recursion_limit = "1024"]\n\npub mod schema {\n    include!("../module.rs");\n}\n')
    return project


def main():
    mode, names = sys.argv[1], sys.argv[2:]
    text = run.generated_file(ROOT / "target").read_text()
    if mode == "sizes":
        sizes(text)
        return
    for name in names:
        project = variant(name, text)
        wall, rss = run.check(project, ROOT / "target", project / "src/lib.rs")
        print(f"{name}: {wall:.1f} s, {rss:.0f} MiB", flush=True)


if __name__ == "__main__":
    main()
