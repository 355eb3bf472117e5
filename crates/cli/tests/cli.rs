//! The `quarry` command end to end on an SQLite file: init, autogenerate,
//! check, upgrade, current, history, downgrade, stamp and offline SQL.

use std::path::{Path, PathBuf};
use std::process::Command;

const V1: &str = r#"
#[table(name = "notes")]
pub struct Note { #[column(primary_key)] pub id: i32, pub body: String }
"#;

const V2: &str = r#"
#[table(name = "notes")]
#[index(author)]
pub struct Note { #[column(primary_key)] pub id: i32, pub body: String, #[column(max_length = 50)] pub author: Option<String> }
"#;

/// Runs `quarry` in `dir`; returns (success, stdout + stderr).
fn quarry(dir: &Path, args: &[&str]) -> (bool, String) {
    let (code, text) = quarry_code(dir, args);
    (code == Some(0), text)
}

/// Runs `quarry` in `dir`; returns (exit code, stdout + stderr).
fn quarry_code(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_quarry"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run quarry");
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), text)
}

/// A fresh project folder for one test (tests run in parallel).
fn project(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("quarry-cli").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("schema")).unwrap();
    dir
}

#[test]
fn from_a_schema_edit_to_an_upgraded_database() {
    let dir = project("edit");
    let url = format!("--url=sqlite://{}", dir.join("app.db").display());
    std::fs::write(dir.join("schema/app.rs"), V1).unwrap();

    assert!(quarry(&dir, &["init"]).0);
    let (ok, out) = quarry(&dir, &["revision", "--autogenerate", "-m", "Create notes"]);
    assert!(ok, "{out}");
    assert!(dir.join("migrations/sqlite/0001_create_notes/up.sql").is_file());
    assert!(dir.join("migrations/postgres/0001_create_notes/down.sql").is_file());
    assert!(dir.join("migrations/mysql/0001_create_notes/up.sql").is_file());
    let (ok, out) = quarry(&dir, &["revision", "--autogenerate", "-m", "again"]);
    assert!(ok && out.contains("No changes"), "{out}");

    // The schema changes: check fails until a revision captures it.
    std::fs::write(dir.join("schema/app.rs"), V2).unwrap();
    let (ok, out) = quarry(&dir, &["check"]);
    assert!(!ok && out.contains("add column notes.author") && out.contains("add index ix_notes_author"), "{out}");
    assert!(quarry(&dir, &["revision", "--autogenerate", "-m", "Note authors"]).0);
    assert!(quarry(&dir, &["check"]).0);
    let (_, heads) = quarry(&dir, &["heads"]);
    assert_eq!(heads.trim(), "0002 note_authors");

    // Upgrade step by step, look, go back.
    let (ok, out) = quarry(&dir, &["upgrade", "+1", &url]);
    assert!(ok && out.contains("Applied 0001"), "{out}");
    assert_eq!(quarry(&dir, &["current", &url]).1.trim(), "0001");
    let (_, history) = quarry(&dir, &["history", &url]);
    assert!(history.contains("0001 [applied]") && history.contains("0002 [pending]"), "{history}");
    assert!(quarry(&dir, &["upgrade", &url]).1.contains("Applied 0002"));
    assert_eq!(quarry(&dir, &["current", &url]).1.trim(), "0002");
    assert!(quarry(&dir, &["downgrade", &url]).1.contains("Reverted 0002"));
    assert_eq!(quarry(&dir, &["current", &url]).1.trim(), "0001");
    assert!(quarry(&dir, &["downgrade", "base", &url]).1.contains("Reverted 0001"));
    assert_eq!(quarry(&dir, &["current", &url]).1.trim(), "base (nothing applied)");

    // Stamp records without running; offline SQL needs no database.
    assert!(quarry(&dir, &["stamp", "0001", &url]).0);
    assert_eq!(quarry(&dir, &["current", &url]).1.trim(), "0001");
    let (ok, sql) = quarry(&dir, &["upgrade", "--sql", "--backend", "postgres", "0001:head"]);
    assert!(ok && sql.contains("ALTER TABLE \"notes\" ADD COLUMN \"author\" VARCHAR(50)"), "{sql}");
    let (ok, sql) = quarry(&dir, &["downgrade", "--sql", "--backend", "mysql", "-1"]);
    assert!(ok && sql.contains("ALTER TABLE `notes` DROP COLUMN `author`"), "{sql}");

    // Errors say what to do.
    let (ok, out) = quarry(&dir, &["current"]);
    assert!(!ok && out.contains("pass --url or set DATABASE_URL"), "{out}");
}

/// One set of rules for revision targets, with and without a database: a
/// malformed target or an unknown revision fails, naming it (and the
/// revisions there are), before anything runs.
#[test]
fn bad_targets_are_errors_naming_them_online_and_offline() {
    let dir = project("targets");
    let url = format!("--url=sqlite://{}", dir.join("app.db").display());
    std::fs::write(dir.join("schema/app.rs"), V1).unwrap();
    assert!(quarry(&dir, &["init"]).0);
    assert!(quarry(&dir, &["revision", "--autogenerate", "-m", "one"]).0);
    std::fs::write(dir.join("schema/app.rs"), V2).unwrap();
    assert!(quarry(&dir, &["revision", "--autogenerate", "-m", "two"]).0);

    // A command given wrongly exits with 2, as a usage error.
    let fails = |args: &[&str], message: &str| {
        let (code, out) = quarry_code(&dir, args);
        assert!(code == Some(2) && out.contains(message), "{args:?}: {code:?} {out}");
        assert!(!out.contains("error: error"), "{out}");
    };
    let offline = ["--sql", "--backend", "sqlite"];
    for args in [vec!["upgrade", &url], [&["upgrade"][..], &offline].concat()] {
        fails(&[&args[..], &["0009"]].concat(), "no revision `0009`: the revisions are 0001, 0002");
        fails(&[&args[..], &["+x"]].concat(), "`+x` is not a revision target");
        fails(&[&args[..], &["-1"]].concat(), "`-1` counts back: an upgrade takes +N");
    }
    fails(&["upgrade", "--sql", "--backend", "sqlite", "0009:head"], "no revision `0009`");
    fails(&["upgrade", "--sql", "--backend", "sqlite", "0001:+x"], "`0001:+x` is not a revision target");
    fails(&["upgrade", "0001:head", &url], "`0001:head`: a FROM:TO range is for --sql");
    fails(&["downgrade", "+1", &url], "`+1` counts forward: a downgrade takes -N");
    fails(&["downgrade", "--sql", "--backend", "mysql", "+1"], "`+1` counts forward: a downgrade takes -N");
    fails(&["stamp", "0009", &url], "no revision `0009`");
    fails(&["stamp", "00", &url], "`00` could be any of 0001, 0002: give more of the version");
    fails(&["downgrade", "3", &url], "no revision `3`");
    fails(&["upgrade", "--sql", "--backend", "oracle"], "unknown backend `oracle`");
    assert_eq!(quarry(&dir, &["current", &url]).1.trim(), "base (nothing applied)", "nothing ran");

    // -N counts from the newest applied revision, online as offline.
    assert!(quarry(&dir, &["upgrade", &url]).0);
    let (ok, sql) = quarry(&dir, &["downgrade", "--sql", "--backend", "sqlite", "-2"]);
    assert!(ok && sql.find("-- 0002 two (down)") < sql.find("-- 0001 one (down)"), "{sql}");
    let (ok, out) = quarry(&dir, &["downgrade", "-2", &url]);
    assert!(ok && out.contains("Reverted 0002.\nReverted 0001."), "{out}");
    let (ok, sql) = quarry(&dir, &["upgrade", "--sql", "--backend", "sqlite", "+1:head"]);
    assert!(ok && sql.starts_with("-- 0002 two (up)") && !sql.contains("0001"), "{sql}");

    // A unique prefix names its revision; stamp moves the record exactly
    // there, forward or back, and runs nothing.
    let (ok, out) = quarry(&dir, &["stamp", "0002", &url]);
    assert!(ok && out.contains("Stamped at 0002: recorded 0001, 0002; removed none."), "{out}");
    let (ok, out) = quarry(&dir, &["stamp", "0001", &url]);
    assert!(ok && out.contains("Stamped at 0001: recorded none; removed 0002."), "{out}");
    assert_eq!(quarry(&dir, &["current", &url]).1.trim(), "0001");
    let (ok, out) = quarry(&dir, &["stamp", "base", &url]);
    assert!(ok && out.contains("removed 0001."), "{out}");
    assert_eq!(quarry(&dir, &["current", &url]).1.trim(), "base (nothing applied)");
    assert!(quarry(&dir, &["upgrade", "0001", &url]).0, "the schema is at base again: 0001 applies");
    assert_eq!(quarry(&dir, &["current", &url]).1.trim(), "0001");
}

/// Errors name what failed: the snapshot file, the database (its password
/// hidden), the migration and statement.
#[test]
fn errors_name_the_file_the_database_and_the_statement() {
    let dir = project("errors");
    std::fs::write(dir.join("schema/app.rs"), V1).unwrap();
    let (ok, out) = quarry(&dir, &["check"]);
    let snapshot = Path::new("migrations").join("schema.json");
    assert!(!ok && out.contains(&format!("no snapshot at {}", snapshot.display())), "{out}");
    assert!(out.contains("(run `quarry init` first)"), "{out}");

    let (ok, out) = quarry(&dir, &["current", "--url=postgres://nobody:secret@127.0.0.1:1/nothing"]);
    assert!(!ok && out.contains("postgres://nobody:***@127.0.0.1:1/nothing") && !out.contains("secret"), "{out}");

    assert!(quarry(&dir, &["init"]).0);
    let (ok, out) = quarry(&dir, &["init"]);
    assert!(!ok && out.contains("migrations is set up already"), "{out}");
    let revision = dir.join("migrations/sqlite/0001_twice");
    std::fs::create_dir_all(&revision).unwrap();
    std::fs::write(revision.join("up.sql"), "CREATE TABLE a (x INTEGER);\nCREATE TABLE a (x INTEGER);\n").unwrap();
    let url = format!("sqlite://{}", dir.join("app.db").display());
    let (ok, out) = quarry(&dir, &["upgrade", "--url", &url]);
    assert!(!ok && out.starts_with(&format!("error: {url}: migration 0001 failed at statement 2")), "{out}");
    assert!(out.contains("statement: CREATE TABLE a (x INTEGER)"), "{out}");
}

/// A revision folder the runtime could not run is an error naming it, not
/// a revision silently skipped.
#[test]
fn a_revision_folder_without_up_sql_is_an_error_naming_it() {
    let dir = project("no-up");
    std::fs::write(dir.join("schema/app.rs"), V1).unwrap();
    assert!(quarry(&dir, &["init"]).0);
    assert!(quarry(&dir, &["revision", "--autogenerate", "-m", "one"]).0);
    std::fs::remove_file(dir.join("migrations/postgres/0001_one/up.sql")).unwrap();
    let (ok, out) = quarry(&dir, &["history"]);
    let folder = Path::new("migrations").join("postgres").join("0001_one");
    assert!(!ok && out.contains(&format!("error: {}: a revision folder without up.sql", folder.display())), "{out}");
}

#[test]
fn a_schema_error_is_reported_once_as_rustc_would() {
    let dir = project("schema-error");
    std::fs::write(dir.join("schema/app.rs"), V1.replace("String", "Strin")).unwrap();
    assert!(quarry(&dir, &["init"]).0);
    let (ok, out) = quarry(&dir, &["revision", "--autogenerate", "-m", "broken"]);
    assert!(!ok, "{out}");
    assert!(out.contains("error: unknown column type `Strin`") && out.contains("app.rs:"), "{out}");
    assert!(!out.contains("error: error"), "{out}");
}

#[test]
fn check_compares_the_database_with_the_schema() {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;

    let dir = project("check");
    let db = dir.join("app.db");
    let url = format!("--url=sqlite://{}", db.display());
    std::fs::write(dir.join("schema/app.rs"), V2).unwrap();
    assert!(quarry(&dir, &["init"]).0);
    assert!(quarry(&dir, &["revision", "--autogenerate", "-m", "notes"]).0);
    assert!(quarry(&dir, &["upgrade", &url]).0);
    let (ok, out) = quarry(&dir, &["check", &url]);
    assert!(ok && out.contains("The database matches the schema"), "{out}");

    // A column added by hand, and one taken away.
    let mut conn = diesel::SqliteConnection::establish(db.to_str().unwrap()).unwrap();
    conn.batch_execute(
        "ALTER TABLE notes ADD COLUMN mood TEXT; DROP INDEX ix_notes_author; ALTER TABLE notes DROP COLUMN author",
    )
    .unwrap();
    let (ok, out) = quarry(&dir, &["check", &url]);
    assert!(!ok, "{out}");
    assert!(out.contains("column notes.mood is in the database but not in the schema"), "{out}");
    assert!(out.contains("column notes.author is missing from the database"), "{out}");
}

/// Eight `quarry upgrade` processes started together on one database apply
/// each migration exactly once: on SQLite, and on PostgreSQL and MySQL when
/// their test URLs are set.
#[test]
fn eight_processes_upgrading_at_once_apply_each_migration_once() {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;

    let dir = project("eight");
    std::fs::write(dir.join("schema/app.rs"), V1).unwrap();
    assert!(quarry(&dir, &["init"]).0);
    assert!(quarry(&dir, &["revision", "--autogenerate", "-m", "one"]).0);
    std::fs::write(dir.join("schema/app.rs"), V2).unwrap();
    assert!(quarry(&dir, &["revision", "--autogenerate", "-m", "two"]).0);

    let mut urls = vec![format!("sqlite://{}", dir.join("app.db").display())];
    #[cfg(feature = "postgres")]
    if let Some(url) = std::env::var("QUARRY_TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty()) {
        let mut conn =
            diesel::PgConnection::establish(&url).expect("QUARRY_TEST_POSTGRES_URL is set but cannot be reached");
        conn.batch_execute("DROP SCHEMA IF EXISTS qt_cli_eight CASCADE; CREATE SCHEMA qt_cli_eight").unwrap();
        let separator = if url.contains('?') { '&' } else { '?' };
        urls.push(format!("{url}{separator}options=-c%20search_path%3Dqt_cli_eight"));
    }
    #[cfg(feature = "mysql")]
    if let Some(url) = std::env::var("QUARRY_TEST_MYSQL_URL").ok().filter(|u| !u.is_empty()) {
        let mut conn =
            diesel::MysqlConnection::establish(&url).expect("QUARRY_TEST_MYSQL_URL is set but cannot be reached");
        conn.batch_execute("DROP DATABASE IF EXISTS qt_cli_eight; CREATE DATABASE qt_cli_eight").unwrap();
        let base = url.rsplit_once('/').map_or(url.as_str(), |(base, _)| base);
        urls.push(format!("{base}/qt_cli_eight"));
    }
    for url in urls {
        let processes: Vec<_> = (0..8)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_quarry"))
                    .args(["upgrade", "--url", &url])
                    .current_dir(&dir)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("start quarry")
            })
            .collect();
        let mut applied = Vec::new();
        for process in processes {
            let output = process.wait_with_output().unwrap();
            let text = String::from_utf8_lossy(&output.stdout).into_owned();
            assert!(output.status.success(), "{url}: {text}{}", String::from_utf8_lossy(&output.stderr));
            applied.extend(text.lines().filter(|l| l.starts_with("Applied")).map(str::to_owned));
        }
        applied.sort();
        assert_eq!(applied, ["Applied 0001.", "Applied 0002."], "{url}: each migration applied by exactly one process");
        assert_eq!(quarry(&dir, &["current", "--url", &url]).1.trim(), "0002");
    }
}

/// `check` on the demo schema's own migrations, against every configured
/// backend: a database at head matches; an index dropped by hand does not.
#[test]
fn check_passes_on_a_migrated_demo_database() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = project("demo");
    let db = dir.join("demo.db");
    let url = format!("--url=sqlite://{}", db.display());
    let schema = format!("--schema={}", root.join("schema").display());
    let migrations = format!("--migrations={}", root.join("migrations").display());
    let (ok, out) = quarry(&dir, &["upgrade", &url, &schema, &migrations]);
    assert!(ok, "{out}");
    let (ok, out) = quarry(&dir, &["check", &url, &schema, &migrations]);
    assert!(ok && out.contains("The database matches the schema"), "{out}");

    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let mut conn = diesel::SqliteConnection::establish(db.to_str().unwrap()).unwrap();
    conn.batch_execute("DROP INDEX ix_articles_author_id_published").unwrap();
    let (ok, out) = quarry(&dir, &["check", &url, &schema, &migrations]);
    assert!(!ok && out.contains("ix_articles_author_id_published on articles is missing"), "{out}");
}
