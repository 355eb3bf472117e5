//! What the generated types make rustc reject, one rule per file in
//! `tests/ui/`, each with the compiler's message pinned in its `.stderr`.
//!
//! rustc's messages list the backends a trait is implemented for, so the
//! pinned messages hold for one feature set: the README's test command,
//! `cargo test --workspace --all-features`. Under other feature sets this
//! test is compiled out.

use std::path::PathBuf;

#[test]
fn generated_types_reject_invalid_queries() {
    // The UI files include the demo schema's generated module. It lives in
    // OUT_DIR, whose name carries a build hash; a copy inside the package
    // (git-ignored) keeps the pinned messages free of absolute paths and
    // hashes.
    let generated = concat!(env!("OUT_DIR"), "/quarry_schema.rs");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/generated");
    std::fs::create_dir_all(&dir).expect("create ui/generated");
    let stable = dir.join("schema.rs");
    std::fs::copy(generated, &stable).expect("copy the generated schema");
    std::env::set_var("QUARRY_UI_SCHEMA", &stable);

    trybuild::TestCases::new().compile_fail("ui/*.rs");
}
