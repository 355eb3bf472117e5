//! The statement splitter's corpus (`crates/schema/tests/split_corpus/
//! <backend>/*.sql`: triggers, functions, procedures, DO blocks, seed data
//! with tricky strings, executable comments) run through the migration
//! runner on its backend. Each file is one migration: it applies, its
//! record counts the statements its `-- statements: N` line says, and each
//! of its `-- check: QUERY => VALUE` lines holds right after it (the
//! trigger fired, the function returns, the string came back with its `\'`
//! and `;`). quarry-schema's own test checks the counts without a database.
//!
//! And what a broken script does: the statement that fails is the one the
//! error names, counted as the backend counts statements, and an
//! unterminated quote swallows what follows it instead of running it.

use crate::common;

use std::path::Path;

use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use quarry::migrate::{applied, run_pending, Migration, MigrationConnection, Script};
use quarry::Error;
use quarry_schema::Backend;

/// One corpus file, as a migration and what to check after it.
struct CorpusFile {
    migration: Migration,
    statements: i32,
    /// `(query, expected value)`, the query returning one value.
    checks: Vec<(String, String)>,
}

/// The corpus of `backend`, in file order, numbered `0001`, `0002`, ...
fn corpus(backend: Backend) -> Vec<CorpusFile> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/schema/tests/split_corpus").join(backend.name());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "sql"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "{}: no corpus files", dir.display());
    paths
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let text = std::fs::read_to_string(path).unwrap();
            let header = |prefix: &'static str| text.lines().filter_map(move |l| l.strip_prefix(prefix)).map(str::trim);
            let statements = header("-- statements:").next().and_then(|n| n.parse().ok());
            let checks = header("-- check:")
                .map(|check| {
                    let (query, value) = check.rsplit_once(" => ").expect("a check is `QUERY => VALUE`");
                    (query.to_owned(), value.to_owned())
                })
                .collect();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let mut migration = Migration::new(format!("{:04}", i + 1), stem);
            *migration.script_mut(backend) = Some(Script { up: text.into(), down: "".into() });
            CorpusFile { migration, statements: statements.expect("a `-- statements: N` line"), checks }
        })
        .collect()
}

fn backend<C: MigrationConnection>(_: &C) -> Backend {
    C::BACKEND
}

/// `query`'s one value as text (`NULL` for none), through the cast the
/// backend has for it.
macro_rules! value {
    ($conn:expr, $query:expr) => {{
        let cast = if backend($conn) == Backend::Mysql { "CHAR" } else { "TEXT" };
        let select = format!("CAST(({}) AS {cast})", $query);
        diesel::select(diesel::dsl::sql::<Nullable<Text>>(&select))
            .get_result::<Option<String>>($conn)
            .unwrap_or_else(|e| panic!("{select}: {e}"))
            .unwrap_or_else(|| "NULL".to_owned())
    }};
}

/// A migration `0001` of `up` for `backend`.
fn migration(backend: Backend, up: &str) -> Vec<Migration> {
    let mut migration = Migration::new("0001", "hand_written");
    *migration.script_mut(backend) = Some(Script { up: up.to_owned().into(), down: "".into() });
    vec![migration]
}

common::backend_tests! {
    fn every_corpus_file_runs_as_one_migration_and_its_objects_work(conn) {
        let files = corpus(backend(conn));
        let migrations: Vec<Migration> = files.iter().map(|f| f.migration.clone()).collect();
        for (i, file) in files.iter().enumerate() {
            let name = &file.migration.name;
            let ran = run_pending(conn, &migrations[..=i]).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(ran, [&*file.migration.version], "{name}");
            let record = applied(conn).unwrap().into_iter().find(|r| r.version == file.migration.version).unwrap();
            assert!(record.complete, "{name}");
            assert_eq!(record.statements, file.statements, "{name}: statements run");
            for (query, expected) in &file.checks {
                assert_eq!(&value!(conn, query), expected, "{name}: {query}");
            }
        }
        assert!(run_pending(conn, &migrations).unwrap().is_empty(), "each file applied once");
    }

    fn a_failing_statement_after_a_compound_one_is_named_and_counted_after_it(conn) {
        let compound = match backend(conn) {
            Backend::Sqlite => "CREATE TABLE t (n INTEGER);\n\
                CREATE TRIGGER t_double AFTER INSERT ON t BEGIN\n  UPDATE t SET n = n * 2 WHERE rowid = new.rowid;\nEND;",
            Backend::Postgres => "CREATE TABLE t (n integer);\n\
                CREATE FUNCTION t_double() RETURNS trigger AS $$ BEGIN NEW.n := NEW.n * 2; RETURN NEW; END; $$ LANGUAGE plpgsql;",
            Backend::Mysql => "CREATE TABLE t (n INT);\n\
                CREATE TRIGGER t_double BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.n = NEW.n * 2; END;",
        };
        let up = format!("{compound}\nINSERT INTO no_such_table VALUES (1);\nCREATE TABLE never (n INTEGER);");
        let error = run_pending(conn, &migration(backend(conn), &up)).unwrap_err();
        let Error::Migration { applied, statement, .. } = &error else { panic!("not a migration error: {error}") };
        assert_eq!((*applied, statement.as_str()), (2, "INSERT INTO no_such_table VALUES (1)"), "{error}");
        assert!(diesel::sql_query("SELECT n FROM never").execute(conn).is_err(), "nothing after it ran");
    }

    fn an_unterminated_quote_fails_its_statement_with_all_that_follows(conn) {
        // Each backend's own way to leave a quote open: on MySQL/MariaDB a
        // backslash escapes the closing quote, on PostgreSQL a dollar quote
        // lacks its end.
        let open = match backend(conn) {
            Backend::Sqlite => "INSERT INTO t VALUES ('never closed);",
            Backend::Postgres => "INSERT INTO t VALUES ($body$never closed);",
            Backend::Mysql => r"INSERT INTO t VALUES ('C:\');",
        };
        let up = format!("CREATE TABLE t (s TEXT);\n{open}\nCREATE TABLE after_it (n INTEGER);");
        let error = run_pending(conn, &migration(backend(conn), &up)).unwrap_err();
        let Error::Migration { applied, statement, .. } = &error else { panic!("not a migration error: {error}") };
        assert_eq!(*applied, 1, "{error}");
        assert!(statement.ends_with("CREATE TABLE after_it (n INTEGER);"), "the rest is the open quote's: {statement}");
        assert!(diesel::sql_query("SELECT n FROM after_it").execute(conn).is_err(), "the statement after it never ran");
    }
}
