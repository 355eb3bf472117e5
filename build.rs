//! Generates the demo schema from `schema/`, exactly as a user's build
//! script would, plus the test-only schemas under `tests/schemas/`.

use std::path::Path;

fn main() {
    quarry_codegen::Builder::new()
        .schema_dir("schema")
        .serde(true)
        .run();

    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for case in ["hostile"] {
        let dir = Path::new("tests/schemas").join(case);
        if dir.is_dir() {
            quarry_codegen::Builder::new()
                .schema_dir(dir)
                .out_file(Path::new(&out_dir).join(format!("{case}_schema.rs")))
                .run();
        }
    }
}
