//! `read_dir`, the one reader of a migrations folder: what it reads, what
//! it skips, and the mistakes it names.

use std::path::PathBuf;

use quarry_schema::migrations::{read_dir, Migration, Script};
use quarry_schema::{Backend, Error};

/// A fresh folder for one test, with `files` (path, text) written in it.
fn folder(test: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = std::env::temp_dir().join(format!("quarry-schema-migrations-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    root
}

fn owned(up: &str, down: &str) -> Option<Script> {
    Some(Script { up: up.to_owned().into(), down: down.to_owned().into() })
}

#[test]
fn reads_every_backend_sorted_by_version() {
    let root = folder(
        "reads",
        &[
            ("schema.json", "{}"),
            ("sqlite/0002_add_author/up.sql", "ALTER 2"),
            ("sqlite/0002_add_author/down.sql", "UNDO 2"),
            ("sqlite/0001_create_notes/up.sql", "CREATE 1"),
            ("sqlite/0001_create_notes/down.sql", "DROP 1"),
            ("postgres/0001_create_notes/up.sql", "CREATE 1 pg"),
            ("sqlite/README.md", "files beside revision folders are not revisions"),
            ("sqlite/.scratch/notes.txt", "nor are hidden folders"),
            ("sqlite/0003/up.sql", "no name"),
        ],
    );
    let migrations = read_dir(&root).unwrap();
    let mut first = Migration::new("0001", "create_notes");
    first.sqlite = owned("CREATE 1", "DROP 1");
    first.postgres = owned("CREATE 1 pg", "");
    let mut second = Migration::new("0002", "add_author");
    second.sqlite = owned("ALTER 2", "UNDO 2");
    let mut third = Migration::new("0003", "");
    third.sqlite = owned("no name", "");
    assert_eq!(migrations, [first, second, third]);
    assert_eq!(migrations[0].script(Backend::Postgres).unwrap().up, "CREATE 1 pg");
    assert!(migrations[1].script(Backend::Mysql).is_none(), "no mysql folder: no mysql scripts");
}

#[test]
fn read_migrations_equal_embedded_ones() {
    static EMBEDDED: &[Migration] =
        &[Migration::__embedded("0001", "create", Some(Script::new("CREATE", "DROP")), None, None)];
    let root = folder("embedded", &[("sqlite/0001_create/up.sql", "CREATE"), ("sqlite/0001_create/down.sql", "DROP")]);
    assert_eq!(read_dir(&root).unwrap(), EMBEDDED);
}

#[test]
fn a_revision_folder_without_up_sql_is_an_error_naming_it() {
    let root = folder("no-up", &[("sqlite/0001_a/up.sql", "A"), ("mysql/0002_b/down.sql", "B")]);
    match read_dir(&root) {
        Err(Error::MissingUpSql { dir }) => assert_eq!(dir, root.join("mysql/0002_b")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn one_version_with_two_names_is_an_error_naming_both() {
    let root = folder("two-names", &[("sqlite/0001_a/up.sql", "A"), ("postgres/0001_b/up.sql", "B")]);
    let error = read_dir(&root).unwrap_err();
    let Error::DuplicateVersion { version, first, second } = &error else { panic!("{error:?}") };
    assert_eq!(
        (version.as_str(), first.as_path(), second.as_path()),
        ("0001", &*root.join("sqlite/0001_a"), &*root.join("postgres/0001_b"))
    );
    assert!(error.to_string().contains("both have version 0001"), "{error}");

    let root = folder("same-backend", &[("sqlite/0001_a/up.sql", "A"), ("sqlite/0001_b/up.sql", "B")]);
    assert!(matches!(read_dir(&root), Err(Error::DuplicateVersion { .. })));
}

#[test]
fn a_folder_whose_version_a_target_cannot_name_is_an_error() {
    for name in ["head_x", "base", "+1_x", "-2", "_x", "0001:2_x"] {
        let root = folder("bad-name", &[(&format!("sqlite/{name}/up.sql"), "A")]);
        match read_dir(&root) {
            Err(Error::BadRevisionFolder { dir, .. }) => assert_eq!(dir, root.join("sqlite").join(name)),
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn a_missing_folder_is_an_error_but_a_missing_backend_is_not() {
    let root = folder("missing", &[]);
    assert_eq!(read_dir(&root).unwrap(), []);
    match read_dir(&root.join("nowhere")) {
        Err(error @ Error::NoMigrationsFolder { .. }) => {
            assert!(error
                .to_string()
                .starts_with(&format!("no migrations folder at {}", root.join("nowhere").display())))
        }
        other => panic!("{other:?}"),
    }
}
