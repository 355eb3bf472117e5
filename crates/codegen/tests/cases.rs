//! Snapshots of everything generated for each schema case in
//! `tests/cases/<case>/schema.rs`, and for the demo schema in `schema/`
//! (snapshots in `tests/cases/demo/`): the Rust module (through
//! prettyplease) and the DDL of each backend, stored beside the case.

use std::path::{Path, PathBuf};

use quarry_codegen::{emit, Options, Schema};
use quarry_schema::{ddl, Backend};

fn case_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/cases")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("schema.rs").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn load(dir: &Path) -> Schema {
    let path = dir.join("schema.rs");
    let text = std::fs::read_to_string(&path).expect("read schema.rs");
    let shown = format!("tests/cases/{}/schema.rs", dir.file_name().unwrap().to_string_lossy());
    quarry_codegen::load_str(&shown, &text).unwrap_or_else(|errors| {
        panic!("{shown} does not load:\n{}", errors.render(&[quarry_codegen::SourceFile { path: shown.clone(), text }]))
    })
}

fn ddl(schema: &Schema, backend: Backend) -> String {
    let script = ddl::script(&quarry_codegen::lower::database(schema), backend);
    format!("-- create\n{};\n\n-- drop\n{};\n", script.create.join(";\n\n"), script.drop.join(";\n\n"))
}

fn assert_snapshots(dir: &Path, schema: &Schema) {
    insta::with_settings!({ snapshot_path => dir, prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("rust", emit::rust::generate(schema, &Options::default()));
        for backend in Backend::ALL {
            insta::assert_snapshot!(format!("ddl_{}", backend.name()), ddl(schema, backend));
        }
    });
}

/// The demo schema: every relation kind, every column type.
fn demo_schema() -> Schema {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema");
    let mut files: Vec<quarry_codegen::SourceFile> = std::fs::read_dir(&root)
        .expect("the demo schema")
        .map(|e| e.expect("entry").path())
        .map(|path| quarry_codegen::SourceFile {
            path: format!("schema/{}", path.file_name().unwrap().to_string_lossy()),
            text: std::fs::read_to_string(&path).expect("read"),
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    quarry_codegen::load(files).expect("the demo schema loads")
}

#[test]
fn every_case_matches_its_snapshots() {
    let dirs = case_dirs();
    assert!(dirs.len() >= 6, "expected the schema cases, found {dirs:?}");
    for dir in dirs {
        assert_snapshots(&dir, &load(&dir));
    }
}

#[test]
fn the_demo_schema_matches_its_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/demo");
    assert_snapshots(&dir, &demo_schema());
}

/// With `TableGrouping::ForeignKeyComponents`, only tables connected by
/// foreign keys may share a query: one invocation per connected group,
/// none for a table alone.
#[test]
fn tables_can_be_grouped_by_foreign_key_components() {
    let schema = demo_schema();
    let mut options = Options::default();
    options.table_grouping = quarry_codegen::TableGrouping::ForeignKeyComponents;
    let code = emit::rust::generate(&schema, &options);
    let groups: Vec<String> = code
        .split("diesel::allow_tables_to_appear_in_same_query!(")
        .skip(1)
        .map(|rest| {
            rest.split(");")
                .next()
                .unwrap()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .trim_end_matches(',')
                .to_owned()
        })
        .collect();
    insta::assert_snapshot!(groups.join("\n"), @"
    authors, articles, tags, article_tags, comments
    products, orders, order_items, users, profiles
    ");
}

/// The demo schema's snapshot in format 1 (the IR dump quarry wrote before
/// the shared model) upgrades to exactly the model lowered from the schema
/// files: no user's next autogenerate sees a change that is not there.
#[test]
fn a_format_1_snapshot_upgrades_to_the_lowered_schema() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/tests/fixtures/v1_demo.json");
    let upgraded = quarry_schema::snapshot::read(&fixture).expect("the format-1 fixture loads");
    let lowered = quarry_codegen::lower::database(&demo_schema());
    assert_eq!(upgraded, lowered);
    assert!(quarry_schema::autogenerate::diff(&upgraded, &lowered).is_empty());
}

/// `METADATA` leaves out what its reader rebuilds (a NOT NULL column's
/// `nullable`, a model's fields when they are its columns): read back as
/// the runtime reads it, it is exactly the model the code generator
/// lowered, for every case (renamed columns, client defaults, nullable
/// keys, many-to-many, enums).
#[test]
fn metadata_reads_back_as_the_lowered_model() {
    let mut schemas: Vec<(String, Schema)> =
        case_dirs().iter().map(|dir| (dir.display().to_string(), load(dir))).collect();
    schemas.push(("demo".into(), demo_schema()));
    for (name, schema) in schemas {
        let code = emit::rust::generate(&schema, &Options::default());
        assert!(!code.contains("\"nullable\":false"), "{name}: NOT NULL is the default");
        let json = emit::rust::metadata_json(&schema);
        let mut read: quarry_schema::Metadata = serde_json::from_str(&json).expect("METADATA parses");
        read.fill_left_out();
        assert_eq!(read, quarry_codegen::lower::lower(&schema), "{name}");
    }
}
