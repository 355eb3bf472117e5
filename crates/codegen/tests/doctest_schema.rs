//! The `quarry` crate's doc examples compile against a copy of the demo
//! schema's blog and org tables, `src/doctest_schema.rs` (included by
//! `src/doctest_setup.rs`, as diesel's doc examples include theirs): the
//! copy must be what the code generator writes today.
//!
//! `QUARRY_BLESS=1 cargo test -p quarry-codegen doctest_schema` rewrites it.

use std::path::Path;

use quarry_codegen::{Options, SourceFile};

#[test]
fn the_doc_examples_compile_against_what_the_generator_writes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files: Vec<SourceFile> = ["blog.rs", "org.rs"]
        .iter()
        .map(|name| SourceFile {
            path: format!("schema/{name}"),
            text: std::fs::read_to_string(root.join("schema").join(name)).expect("the demo schema is readable"),
        })
        .collect();
    let mut options = Options::default();
    options.serde = true;
    let generated = quarry_codegen::generate(files, &options).expect("the demo schema generates").rust;
    let copy = root.join("src/doctest_schema.rs");
    if std::env::var_os("QUARRY_BLESS").is_some() {
        std::fs::write(&copy, &generated).expect("src/doctest_schema.rs is writable");
        return;
    }
    let current = std::fs::read_to_string(&copy).unwrap_or_default();
    assert!(
        current == generated,
        "src/doctest_schema.rs differs from what the generator writes for schema/blog.rs and schema/org.rs: \
         rewrite it with `QUARRY_BLESS=1 cargo test -p quarry-codegen doctest_schema`"
    );
}
