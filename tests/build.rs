//! Generates the demo schema from `../schema/`, exactly as a user's build
//! script would, plus the schema cases of quarry-codegen's snapshot tests
//! (`../crates/codegen/tests/cases/<case>/`), which
//! `integration/generated_cases.rs` compiles and runs against every backend.
//! The published `quarry` crate has no build script: only its tests,
//! example and bench, in this package, need generated code.

use std::path::Path;

/// Cases compiled into the test suite (`relations` is the demo schema's own shape).
const CASES: &[&str] = &["all_types", "constraints", "cycle", "enums", "hostile_names", "pg_schema"];

fn main() {
    quarry_codegen::Builder::new().schema_dir("../schema").serde(true).run();

    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    // The demo schema's migrations (written by `quarry revision
    // --autogenerate`), and the folders the runner's tests embed.
    for (dir, file) in [
        ("../migrations", "migrations.rs"),
        ("fixtures/migrations", "fixture_migrations.rs"),
        ("fixtures/broken_migrations", "broken_migrations.rs"),
    ] {
        if let Err(error) = quarry_codegen::embed_migrations(dir, Path::new(&out_dir).join(file)) {
            panic!("{error}");
        }
    }
    for case in CASES {
        let dir = Path::new("../crates/codegen/tests/cases").join(case);
        if dir.is_dir() {
            quarry_codegen::Builder::new()
                .schema_dir(dir)
                .out_file(Path::new(&out_dir).join(format!("case_{case}.rs")))
                .run();
        }
    }
}
