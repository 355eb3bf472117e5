//! The build-script entry point: what it watches, and that an unchanged
//! schema leaves the generated file untouched.

use std::path::PathBuf;

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("schema")).unwrap();
    dir
}

const USERS: &str = r#"
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    pub name: String,
}
"#;

#[test]
fn watches_exactly_the_schema_folder_and_its_files() {
    let dir = scratch("watches");
    std::fs::write(dir.join("schema/users.rs"), USERS).unwrap();
    std::fs::write(dir.join("schema/notes.txt"), "not a schema file").unwrap();
    let generated =
        quarry_codegen::Builder::new().schema_dir(dir.join("schema")).out_file(dir.join("out.rs")).generate();
    generated.result.expect("generates");
    assert_eq!(generated.rerun_if_changed, vec![dir.join("schema"), dir.join("schema/users.rs")]);
}

#[test]
fn an_unchanged_schema_rewrites_nothing() {
    let dir = scratch("unchanged");
    std::fs::write(dir.join("schema/users.rs"), USERS).unwrap();
    let builder = quarry_codegen::Builder::new().schema_dir(dir.join("schema")).out_file(dir.join("out.rs"));
    let first = builder.generate().result.unwrap();
    assert!(first.changed);
    let modified = std::fs::metadata(&first.path).unwrap().modified().unwrap();
    let second = builder.generate().result.unwrap();
    assert!(!second.changed, "an unchanged schema must not rewrite the file");
    assert_eq!(std::fs::metadata(&second.path).unwrap().modified().unwrap(), modified);

    std::fs::write(dir.join("schema/users.rs"), USERS.replace("pub name: String", "pub name: Option<String>")).unwrap();
    assert!(builder.generate().result.unwrap().changed, "a changed schema rewrites the file");
}

#[test]
fn a_bad_schema_reports_instead_of_writing() {
    let dir = scratch("bad");
    std::fs::write(dir.join("schema/users.rs"), USERS.replace("String", "Strng")).unwrap();
    let generated =
        quarry_codegen::Builder::new().schema_dir(dir.join("schema")).out_file(dir.join("out.rs")).generate();
    let error = generated.result.unwrap_err();
    assert_eq!(error.diagnostics().map(|d| d.errors().len()), Some(1), "{error}");
    let message = error.report();
    assert!(message.starts_with("error: unknown column type `Strng`"), "{message}");
    assert!(message.contains("users.rs:6:9"), "{message}");
    assert!(!dir.join("out.rs").exists());
}

#[test]
fn a_missing_schema_folder_is_an_error() {
    let dir = scratch("missing");
    let generated = quarry_codegen::Builder::new().schema_dir(dir.join("nope")).out_file(dir.join("out.rs")).generate();
    let error = generated.result.unwrap_err();
    assert!(matches!(error, quarry_codegen::Error::ReadDir { what: "schema", .. }), "{error:?}");
    assert!(error.report().starts_with("error: cannot read the schema folder"), "{}", error.report());
}
