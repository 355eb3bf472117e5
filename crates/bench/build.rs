//! Generates the bench schema from `schema/`, exactly as a user's build
//! script would (see `tests/build.rs` for the demo schema's).

fn main() {
    quarry_codegen::Builder::new().schema_dir("schema").run();
}
