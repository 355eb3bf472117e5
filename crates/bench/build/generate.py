#!/usr/bin/env python3
"""Writes the two projects of the build benchmark for N tables.

`quarry/`: a quarry schema (schema/*.rs) and a build script calling
quarry-codegen, which also records how long code generation took.
`diesel/`: what diesel's print-schema writes for the same tables
(src/schema.rs) plus the hand-written models a diesel user writes
(src/models.rs).

Table i has 8 columns; every table but the first has a foreign key to the
one before it, with a belongs_to/has_many pair of relations on the quarry
side and `Associations` on the diesel side.
"""

import argparse
import pathlib
import shutil

WORKSPACE = pathlib.Path(__file__).resolve().parents[3]
TABLES_PER_FILE = 30

# (name, quarry type, diesel SQL type, Rust field type of the diesel model)
COLUMNS = [
    ("name", "String", "Text", "String"),
    ("note", "Option<String>", "Nullable<Text>", "Option<String>"),
    ("amount", "i64", "BigInt", "i64"),
    ("score", "f64", "Double", "f64"),
    ("active", "bool", "Bool", "bool"),
    ("created_at", "NaiveDateTime", "Timestamp", "chrono::NaiveDateTime"),
]


def model(i):
    return f"T{i}"


def quarry_table(i, n):
    lines = [f"/// Table {i}.", f'#[table(name = "t{i}")]', f"pub struct {model(i)} {{"]
    lines += ["    #[column(primary_key)]", "    pub id: i32,"]
    if i > 0:
        lines.append(f"    #[column(references = t{i - 1}.id)]")
    lines.append("    pub parent_id: i32,")
    lines += [f"    pub {name}: {ty}," for name, ty, _, _ in COLUMNS]
    if i > 0:
        lines.append("    #[relation(belongs_to, back_populates = children)]")
        lines.append(f"    pub parent: {model(i - 1)},")
    if i + 1 < n:
        lines.append("    #[relation(has_many, back_populates = parent)]")
        lines.append(f"    pub children: Vec<{model(i + 1)}>,")
    lines.append("}")
    return "\n".join(lines)


def diesel_schema(n):
    out = ["// What `diesel print-schema` writes for the benchmark's tables.", ""]
    for i in range(n):
        out.append("diesel::table! {")
        out.append(f"    t{i} (id) {{")
        out.append("        id -> Integer,")
        out.append("        parent_id -> Integer,")
        out += [f"        {name} -> {sql}," for name, _, sql, _ in COLUMNS]
        out.append("    }")
        out.append("}")
        out.append("")
    for i in range(1, n):
        out.append(f"diesel::joinable!(t{i} -> t{i - 1} (parent_id));")
    out.append("")
    out.append("diesel::allow_tables_to_appear_in_same_query!(")
    out += [f"    t{i}," for i in range(n)]
    out.append(");")
    return "\n".join(out) + "\n"


def diesel_models(n):
    out = ["// The models a diesel user writes by hand for the benchmark's tables.", "",
           "use crate::schema::*;", "use diesel::prelude::*;", ""]
    fields = [("parent_id", "i32")] + [(name, rust) for name, _, _, rust in COLUMNS]
    for i in range(n):
        m = model(i)
        out.append("#[derive(Queryable, Selectable, Identifiable, Debug, Clone, PartialEq)]")
        if i > 0:
            out.append("#[derive(Associations)]")
            out.append(f"#[diesel(belongs_to({model(i - 1)}, foreign_key = parent_id))]")
        out.append(f"#[diesel(table_name = t{i})]")
        out.append(f"pub struct {m} {{")
        out.append("    pub id: i32,")
        out += [f"    pub {name}: {ty}," for name, ty in fields]
        out.append("}")
        out.append("")
        out.append("#[derive(Insertable, Debug, Clone, PartialEq)]")
        out.append(f"#[diesel(table_name = t{i})]")
        out.append(f"pub struct New{m} {{")
        out.append("    pub id: Option<i32>,")
        out += [f"    pub {name}: {ty}," for name, ty in fields]
        out.append("}")
        out.append("")
        out.append("#[derive(AsChangeset, Debug, Clone, PartialEq, Default)]")
        out.append(f"#[diesel(table_name = t{i})]")
        out.append(f"pub struct {m}Changeset {{")
        out += [f"    pub {name}: Option<{ty}>," for name, ty in fields]
        out.append("}")
        out.append("")
    return "\n".join(out)


def cargo_toml(name, backends, quarry):
    diesel_features = ", ".join(f'"{b}"' for b in backends)
    quarry_features = ", ".join(f'"{b}"' for b in backends)
    lines = [
        "[package]",
        f'name = "{name}"',
        'version = "0.0.0"',
        'edition = "2021"',
        "publish = false",
        "",
        "# Not a member of quarry's workspace.",
        "[workspace]",
        "",
        "[dependencies]",
        'chrono = { version = "0.4", default-features = false, features = ["clock", "std"] }',
    ]
    if quarry:
        lines += [
            f'quarry = {{ path = "{WORKSPACE}", default-features = false, features = [{quarry_features}] }}',
            'diesel = { version = "2.3", default-features = false, features = '
            '["with-deprecated", "32-column-tables", "chrono", "numeric", "serde_json", "r2d2"] }',
            'bigdecimal = "0.4"',
            'serde_json = "1"',
            "",
            "[build-dependencies]",
            f'quarry-codegen = {{ path = "{WORKSPACE}/crates/codegen" }}',
        ]
    else:
        lines += [
            'diesel = { version = "2.3", default-features = false, features = '
            f'["with-deprecated", "32-column-tables", "chrono", {diesel_features}] }}',
        ]
        if "sqlite" in backends:
            # As quarry does: the library bundled, no system library needed.
            lines.append('libsqlite3-sys = { version = ">=0.30, <0.39", features = ["bundled"] }')
    return "\n".join(lines) + "\n"


QUARRY_BUILD_RS = """\
//! Generates the schema as a user's build script does, and records how
//! long `Builder::run` took (at the build script's opt-level, 0 by default).

fn main() {
    let start = std::time::Instant::now();
    quarry_codegen::Builder::new().schema_dir("schema").run();
    let elapsed = start.elapsed().as_secs_f64();
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(std::path::Path::new(&out_dir).join("codegen_seconds"), format!("{elapsed}\\n"))
        .expect("OUT_DIR is writable");
}
"""


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def generate(root, n, backends):
    if root.exists():
        shutil.rmtree(root)
    lock = WORKSPACE / "Cargo.lock"

    quarry = root / "quarry"
    write(quarry / "Cargo.toml", cargo_toml("bench-quarry", backends, quarry=True))
    write(quarry / "build.rs", QUARRY_BUILD_RS)
    write(quarry / "src/lib.rs", "#![allow(dead_code)]\n#![recursion_limit = \"1024\"]\n\npub mod schema {\n    quarry::include_schema!();\n}\n")
    for start in range(0, n, TABLES_PER_FILE):
        tables = [quarry_table(i, n) for i in range(start, min(n, start + TABLES_PER_FILE))]
        header = "use chrono::NaiveDateTime;\n\n"
        write(quarry / f"schema/tables_{start // TABLES_PER_FILE:03}.rs", header + "\n\n".join(tables) + "\n")

    diesel = root / "diesel"
    write(diesel / "Cargo.toml", cargo_toml("bench-diesel", backends, quarry=False))
    write(diesel / "src/lib.rs", "#![allow(dead_code)]\n#![recursion_limit = \"1024\"]\n\npub mod models;\npub mod schema;\n")
    write(diesel / "src/schema.rs", diesel_schema(n))
    write(diesel / "src/models.rs", diesel_models(n))

    # The workspace's lock file, so both build the dependency versions quarry is tested with.
    for project in (quarry, diesel):
        shutil.copy(lock, project / "Cargo.lock")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=300)
    parser.add_argument("--backends", default="sqlite", help="comma-separated: sqlite,postgres,mysql")
    parser.add_argument("--out", type=pathlib.Path, default=WORKSPACE / "target/bench-build")
    args = parser.parse_args()
    generate(args.out / "projects", args.tables, args.backends.split(","))
    print(args.out / "projects")


if __name__ == "__main__":
    main()
