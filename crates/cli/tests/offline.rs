//! Offline scripts (`upgrade --sql`, `downgrade --sql`, `stamp --sql`)
//! piped into each backend's own client — `sqlite3 -bail` with foreign keys
//! on, `psql -v ON_ERROR_STOP=1`, `mariadb` — against databases with rows
//! in them, compared with the same command run online on a twin database:
//! the same tables and columns, rows, bookkeeping records, and the same
//! answers from `current`, `history` and `upgrade` afterwards.
//!
//! Each scenario runs once per backend (`sqlite::…`, `postgres::…`,
//! `mysql::…`). PostgreSQL and MySQL/MariaDB run when
//! `QUARRY_TEST_POSTGRES_URL` / `QUARRY_TEST_MYSQL_URL` are set, and then
//! must run: an unreachable database or a missing `psql` / `mariadb` fails
//! the test. SQLite always runs when the `sqlite3` shell is installed; on a
//! machine without it the SQLite tests say so and pass, unless
//! `QUARRY_TEST_CLIENTS=required` (which `.ci/run` sets), when its absence
//! fails them.
//!
//! Every test works in databases of its own: SQLite files under the test
//! target folder, PostgreSQL schemas and MySQL databases named
//! `quarry_offline_<test>_<role>`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The backends, as the tests tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sqlite,
    Postgres,
    Mysql,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Sqlite => "sqlite",
            Kind::Postgres => "postgres",
            Kind::Mysql => "mysql",
        }
    }

    /// The client the scripts are piped into.
    fn client(self) -> &'static str {
        match self {
            Kind::Sqlite => "sqlite3",
            Kind::Postgres => "psql",
            Kind::Mysql => "mariadb",
        }
    }

    /// The test URL of a server backend, if set.
    fn server_url(self) -> Option<String> {
        let var = match self {
            Kind::Sqlite => return None,
            Kind::Postgres => "QUARRY_TEST_POSTGRES_URL",
            Kind::Mysql => "QUARRY_TEST_MYSQL_URL",
        };
        std::env::var(var).ok().filter(|u| !u.trim().is_empty())
    }
}

/// Whether `program` can be started.
fn installed(program: &str) -> bool {
    Command::new(program).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

/// One test on one backend: its project folder (migrations) and the
/// databases it makes.
struct Case {
    kind: Kind,
    tag: &'static str,
    dir: PathBuf,
}

impl Case {
    /// The case, or `None` when the backend is not configured here (see
    /// the module docs).
    fn new(kind: Kind, tag: &'static str) -> Option<Case> {
        match kind {
            Kind::Sqlite => {
                if !installed("sqlite3") {
                    if std::env::var("QUARRY_TEST_CLIENTS").is_ok_and(|v| v == "required") {
                        panic!("QUARRY_TEST_CLIENTS=required but `sqlite3` is not installed");
                    }
                    eprintln!("skipped: `sqlite3` is not installed (set QUARRY_TEST_CLIENTS=required to fail instead)");
                    return None;
                }
            }
            Kind::Postgres | Kind::Mysql => {
                kind.server_url()?;
                assert!(
                    installed(kind.client()),
                    "{} is set up for tests but `{}` is not installed",
                    kind.name(),
                    kind.client()
                );
            }
        }
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("quarry-offline").join(format!("{}-{tag}", kind.name()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Some(Case { kind, tag, dir })
    }

    /// Writes the revisions `(folder, up.sql, down.sql)` for this backend.
    fn revisions(&self, revisions: &[(&str, String, String)]) {
        let root = self.dir.join("migrations").join(self.kind.name());
        let _ = std::fs::remove_dir_all(&root);
        for (folder, up, down) in revisions {
            let dir = root.join(folder);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("up.sql"), up).unwrap();
            std::fs::write(dir.join("down.sql"), down).unwrap();
        }
    }

    /// Runs `quarry` on this case's migrations; returns (exit code,
    /// stdout, stderr).
    fn quarry(&self, args: &[&str]) -> (Option<i32>, String, String) {
        let output = Command::new(env!("CARGO_BIN_EXE_quarry"))
            .args(args)
            .current_dir(&self.dir)
            .env_remove("DATABASE_URL")
            .output()
            .expect("run quarry");
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        (output.status.code(), text(&output.stdout), text(&output.stderr))
    }

    /// `quarry ARGS` that must succeed; its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.quarry(args);
        assert_eq!(code, Some(0), "quarry {args:?}: {out}{err}");
        out
    }

    /// The script `quarry ARGS --sql --backend B` prints.
    fn script(&self, args: &[&str]) -> String {
        self.ok(&[args, &["--sql", "--backend", self.kind.name()]].concat())
    }

    /// A fresh, empty database for `role` (`piped`, `online`, ...).
    fn database(&self, role: &str) -> Database {
        let name = format!("quarry_offline_{}_{role}", self.tag);
        match self.kind {
            Kind::Sqlite => {
                let path = self.dir.join(format!("{role}.db"));
                let _ = std::fs::remove_file(&path);
                Database {
                    kind: self.kind,
                    url: format!("sqlite:///{}", path.display()),
                    target: path.display().to_string(),
                }
            }
            Kind::Postgres => {
                let server = self.kind.server_url().unwrap();
                let admin = Database { kind: self.kind, url: server.clone(), target: server.clone() };
                admin.run(&format!("DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name};"));
                let separator = if server.contains('?') { '&' } else { '?' };
                let url = format!("{server}{separator}options=-c%20search_path%3D{name}");
                Database { kind: self.kind, url: url.clone(), target: url }
            }
            Kind::Mysql => {
                let server = self.kind.server_url().unwrap();
                let base = server.rsplit_once('/').map_or(server.as_str(), |(base, _)| base);
                let admin = Database { kind: self.kind, url: server.clone(), target: server.clone() };
                admin.run(&format!("DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name};"));
                let url = format!("{base}/{name}");
                Database { kind: self.kind, url: url.clone(), target: url }
            }
        }
    }
}

/// A database of a case, reached by quarry through `url` and by the
/// client through `target` (a file, or a URL the test turns into the
/// client's arguments).
struct Database {
    kind: Kind,
    url: String,
    target: String,
}

/// A MySQL URL's parts: (user, password, host, port, database).
fn mysql_parts(url: &str) -> (String, String, String, String, String) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let (authority, database) = rest.split_once('/').unwrap_or((rest, ""));
    let database = database.split('?').next().unwrap_or("");
    let (credentials, address) = authority.rsplit_once('@').unwrap_or(("root", authority));
    let (user, password) = credentials.split_once(':').unwrap_or((credentials, ""));
    let (host, port) = address.split_once(':').unwrap_or((address, "3306"));
    [user, password, host, port, database].map(str::to_owned).into()
}

impl Database {
    /// The client, given `input` on stdin: (success, stdout, stderr).
    fn client(&self, input: &str, extra: &[&str]) -> (bool, String, String) {
        let mut command = Command::new(self.kind.client());
        match self.kind {
            Kind::Sqlite => {
                // A busy timeout, as any second client of the file needs: an
                // engine of this test process may be opening a pooled
                // connection on r2d2's thread at the same moment.
                command
                    .args(["-bail", "-cmd", ".timeout 5000", "-cmd", "PRAGMA foreign_keys = ON"])
                    .args(extra)
                    .arg(&self.target);
            }
            Kind::Postgres => {
                command.args(["-X", "-q", "-v", "ON_ERROR_STOP=1"]).args(extra).arg(&self.target);
            }
            Kind::Mysql => {
                let (user, password, host, port, database) = mysql_parts(&self.target);
                command.args(["-h", &host, "-P", &port, "-u", &user]).env("MYSQL_PWD", password).args(extra);
                if !database.is_empty() {
                    command.arg(database);
                }
            }
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", self.kind.client()));
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        (output.status.success(), text(&output.stdout), text(&output.stderr))
    }

    /// Pipes `script` into the client; whether it succeeded, and what it
    /// said on stderr.
    fn pipe(&self, script: &str) -> (bool, String) {
        let (ok, _, err) = self.client(script, &[]);
        (ok, err)
    }

    /// Runs `sql` through the client, which must succeed.
    fn run(&self, sql: &str) {
        let (ok, out, err) = self.client(sql, &[]);
        assert!(ok, "{}: {sql}\n{out}{err}", self.url);
    }

    /// The rows `sql` returns, as the client prints them unadorned.
    fn rows(&self, sql: &str) -> String {
        let flags: &[&str] = match self.kind {
            Kind::Sqlite => &[],
            Kind::Postgres => &["-A", "-t"],
            Kind::Mysql => &["-N", "-B"],
        };
        let (ok, out, err) = self.client(&format!("{sql};\n"), flags);
        assert!(ok, "{}: {sql}\n{err}", self.url);
        out
    }

    /// The bookkeeping table's rows, every column.
    fn records(&self) -> String {
        self.rows("SELECT version, checksum, statements, complete, intent FROM quarry_migrations ORDER BY version")
    }

    /// The tables, columns, constraints and indexes, as quarry inspects
    /// them.
    fn catalog(&self) -> quarry::inspect::Catalog {
        quarry::AnyEngine::connect(&self.url)
            .and_then(|engine| engine.inspect())
            .unwrap_or_else(|e| panic!("inspect {}: {e}", self.url))
    }

    /// Everything the tests compare: catalog, the rows of `tables`, the
    /// records.
    fn state(&self, tables: &[&str]) -> State {
        let catalog = self.catalog();
        let rows = tables
            .iter()
            .filter(|t| catalog.table(t).is_some())
            .map(|t| format!("{t}:\n{}", self.rows(&format!("SELECT * FROM {t} ORDER BY 1"))))
            .collect();
        State { catalog, rows, records: self.records() }
    }
}

/// What a database holds, for comparisons.
#[derive(Debug, PartialEq)]
struct State {
    catalog: quarry::inspect::Catalog,
    rows: Vec<String>,
    records: String,
}

/// The application's tables.
const TABLES: &[&str] = &["users", "posts", "tags"];

/// 0001: users, and posts that belong to them (deleted with them).
fn create_users() -> (&'static str, String, String) {
    let up = "-- users and their posts\n\
        CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50));\n\
        CREATE TABLE posts (id INTEGER NOT NULL PRIMARY KEY, user_id INTEGER NOT NULL, title VARCHAR(100),\n  \
        FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE);\n";
    ("0001_create_users", up.to_owned(), "DROP TABLE posts;\nDROP TABLE users;\n".to_owned())
}

/// The users table rebuilt on SQLite (as `quarry revision` writes a
/// change SQLite's ALTER TABLE cannot make): with foreign keys on, its
/// `DROP TABLE` would delete every post.
fn rebuild_users(nullable: bool) -> String {
    let null = if nullable { "" } else { " NOT NULL" };
    format!(
        "CREATE TABLE \"_quarry_rebuild_users\" (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50){null});\n\
         INSERT INTO \"_quarry_rebuild_users\" (id, name) SELECT id, name FROM users;\n\
         DROP TABLE users;\n\
         ALTER TABLE \"_quarry_rebuild_users\" RENAME TO users;\n"
    )
}

/// 0002: every user named (a data change, then the column made NOT NULL:
/// a table rebuild on SQLite).
fn names_required(kind: Kind) -> (&'static str, String, String) {
    let fill = "UPDATE users SET name = 'anonymous; unnamed' WHERE name IS NULL;\n";
    let (alter, back) = match kind {
        Kind::Sqlite => (rebuild_users(false), rebuild_users(true)),
        Kind::Postgres => (
            "ALTER TABLE users ALTER COLUMN name SET NOT NULL;\n".to_owned(),
            "ALTER TABLE users ALTER COLUMN name DROP NOT NULL;\n".to_owned(),
        ),
        Kind::Mysql => (
            "ALTER TABLE users MODIFY name VARCHAR(50) NOT NULL;\n".to_owned(),
            "ALTER TABLE users MODIFY name VARCHAR(50) NULL;\n".to_owned(),
        ),
    };
    ("0002_names_required", format!("{fill}{alter}"), back)
}

/// 0003: tags, with `;` inside statements (a default and rows): the
/// `mariadb` client gets them between DELIMITER lines.
fn create_tags() -> (&'static str, String, String) {
    let up = "CREATE TABLE tags (id INTEGER NOT NULL PRIMARY KEY, label VARCHAR(50) NOT NULL DEFAULT 'a;b');\n\
        INSERT INTO tags (id, label) VALUES (1, 'x; y'), (2, 'it''s');\n\
        INSERT INTO tags (id) VALUES (3);\n";
    ("0003_create_tags", up.to_owned(), "DROP TABLE tags;\n".to_owned())
}

/// Users 1 and 2 (unnamed), a post of each.
const SEED: &str = "INSERT INTO users (id, name) VALUES (1, 'ann'), (2, NULL);\n\
    INSERT INTO posts (id, user_id, title) VALUES (10, 1, 'first'), (20, 2, 'second');\n";

/// One test per backend for each scenario, named after the backend.
macro_rules! offline_tests {
    ($($(#[$doc:meta])* fn $name:ident($case:ident, $tag:literal) $body:block)*) => {
        mod sqlite {
            use super::*;
            $($(#[$doc])* #[test] fn $name() { let Some($case) = Case::new(Kind::Sqlite, $tag) else { return }; $body })*
        }
        mod postgres {
            use super::*;
            $($(#[$doc])* #[test] fn $name() { let Some($case) = Case::new(Kind::Postgres, $tag) else { return }; $body })*
        }
        mod mysql {
            use super::*;
            $($(#[$doc])* #[test] fn $name() { let Some($case) = Case::new(Kind::Mysql, $tag) else { return }; $body })*
        }
    };
}

/// Pipes `upgrade 0001:head` into `piped` and runs it online on `online`:
/// both fail, the client names the cause as this backend words it
/// (`expected`: SQLite's, PostgreSQL's, MySQL's), and both databases end
/// alike.
fn both_fail_alike(case: &Case, piped: &Database, online: &Database, expected: [&str; 3]) {
    let (ok, err) = piped.pipe(&case.script(&["upgrade", "0001:head"]));
    assert!(!ok, "{err}");
    let expected = match case.kind {
        Kind::Sqlite => expected[0],
        Kind::Postgres => expected[1],
        Kind::Mysql => expected[2],
    };
    assert!(err.contains(expected), "{err}");
    assert_eq!(case.quarry(&["upgrade", "--url", &online.url]).0, Some(1));
    assert_eq!(piped.state(TABLES), online.state(TABLES));
}

/// `current` and `history` as `quarry` prints them for `database`.
fn where_it_is(case: &Case, database: &Database) -> (String, String) {
    let url = format!("--url={}", database.url);
    (case.ok(&["current", &url]), case.ok(&["history", &url]))
}

offline_tests! {
    /// A database at 0001 with rows, upgraded to head by the piped script
    /// (a SQLite table rebuild of a parent table among it), ends exactly as
    /// its twin upgraded online: no post lost to a cascade, no leftover
    /// table, every revision recorded with the runner's checksum and count.
    fn upgrade_script_leaves_what_an_online_upgrade_leaves(case, "up") {
        let kind = case.kind;
        case.revisions(&[create_users(), names_required(kind), create_tags()]);
        let piped = case.database("piped");
        let online = case.database("online");
        for database in [&piped, &online] {
            case.ok(&["upgrade", "0001", "--url", &database.url]);
            database.run(SEED);
        }

        let script = case.script(&["upgrade", "0001:head"]);
        let (ok, err) = piped.pipe(&script);
        assert!(ok, "{err}\n{script}");
        case.ok(&["upgrade", "--url", &online.url]);

        let state = piped.state(TABLES);
        assert_eq!(state, online.state(TABLES));
        assert!(state.catalog.table("_quarry_rebuild_users").is_none(), "{:?}", state.catalog);
        assert_eq!(piped.rows("SELECT count(*) FROM posts").trim(), "2", "no post lost to the rebuild");
        assert_eq!(piped.rows("SELECT name FROM users WHERE id = 2").trim(), "anonymous; unnamed");
        assert_eq!(piped.rows("SELECT label FROM tags ORDER BY id"), "x; y\nit's\na;b\n");
        assert_eq!(piped.rows("SELECT count(*) FROM quarry_migrations").trim(), "3");
        assert_eq!(where_it_is(&case, &piped), where_it_is(&case, &online));
        assert_eq!(where_it_is(&case, &piped).0.trim(), "0003");
        assert_eq!(case.ok(&["upgrade", "--url", &piped.url]).trim(), "Nothing to upgrade.");
    }

    /// A database at head with rows, taken back to 0001 by the piped
    /// downgrade script (the rebuild again on SQLite), ends as its twin
    /// downgraded online; both upgrade again online.
    fn downgrade_script_leaves_what_an_online_downgrade_leaves(case, "down") {
        let kind = case.kind;
        case.revisions(&[create_users(), names_required(kind), create_tags()]);
        let piped = case.database("piped");
        let online = case.database("online");
        for database in [&piped, &online] {
            case.ok(&["upgrade", "0001", "--url", &database.url]);
            database.run(SEED);
            case.ok(&["upgrade", "--url", &database.url]);
        }

        let script = case.script(&["downgrade", "0001"]);
        assert!(script.find("-- 0003 create_tags (down)") < script.find("-- 0002 names_required (down)"), "{script}");
        let (ok, err) = piped.pipe(&script);
        assert!(ok, "{err}\n{script}");
        case.ok(&["downgrade", "0001", "--url", &online.url]);

        let state = piped.state(TABLES);
        assert_eq!(state, online.state(TABLES));
        assert!(state.catalog.table("tags").is_none());
        assert_eq!(piped.rows("SELECT count(*) FROM posts").trim(), "2", "no post lost to the rebuild");
        assert_eq!(where_it_is(&case, &piped), where_it_is(&case, &online));
        assert_eq!(where_it_is(&case, &piped).0.trim(), "0001");
        assert_eq!(case.ok(&["upgrade", "--url", &piped.url]), "Applied 0002.\nApplied 0003.\n");
    }

    /// `stamp --sql` moves the record exactly where online `stamp` does,
    /// either way, whatever the database records: a complete record is
    /// kept as it is (an edited checksum too), an incomplete one goes.
    fn stamp_script_moves_the_record_as_online_stamp_does(case, "stamp") {
        let kind = case.kind;
        case.revisions(&[create_users(), names_required(kind), create_tags()]);
        let piped = case.database("piped");
        let online = case.database("online");
        for database in [&piped, &online] {
            case.ok(&["upgrade", "0001", "--url", &database.url]);
            database.run(
                "UPDATE quarry_migrations SET checksum = 'edited' WHERE version = '0001';\n\
                 INSERT INTO quarry_migrations (version, checksum, statements, complete) VALUES ('0002', 'x', 1, FALSE);\n",
            );
        }
        for target in ["head", "0002", "base", "0003", "0001"] {
            let (ok, err) = piped.pipe(&case.script(&["stamp", target]));
            assert!(ok, "stamp {target}: {err}");
            case.ok(&["stamp", target, "--url", &online.url]);
            assert_eq!(piped.records(), online.records(), "after stamp {target}");
            assert_eq!(where_it_is(&case, &piped), where_it_is(&case, &online), "after stamp {target}");
        }
        assert_eq!(where_it_is(&case, &piped).0.trim(), "0001");
        assert!(piped.records().starts_with("0001"), "{}", piped.records());
        assert!(!piped.records().contains("edited"), "base removed the edited record, head made it again");

        // +N and -N count from what the database holds, which a script cannot know.
        let (code, _, err) = case.quarry(&["stamp", "+1", "--sql", "--backend", kind.name()]);
        assert_eq!(code, Some(2), "{err}");
        assert!(err.contains("`+1` counts from what the database holds"), "{err}");
    }

    /// A script stopped by a failing statement leaves what the online
    /// upgrade that fails on it leaves: nothing of the migration on SQLite
    /// and PostgreSQL, an incomplete record of the statements that ran on
    /// MySQL/MariaDB. Once the cause is fixed, online `upgrade` completes
    /// it (resuming on MySQL/MariaDB) and the database ends as one that
    /// never failed.
    fn a_failed_script_leaves_what_a_failed_online_upgrade_leaves(case, "fail") {
        let kind = case.kind;
        let unique = (
            "0002_unique_names",
            "ALTER TABLE users ADD COLUMN email VARCHAR(100);\n\
             CREATE UNIQUE INDEX uq_users_name ON users (name);\n\
             UPDATE users SET email = 'someone@example.com';\n"
                .to_owned(),
            String::new(),
        );
        case.revisions(&[create_users(), unique]);
        let duplicates = "INSERT INTO users (id, name) VALUES (1, 'ann'), (2, 'ann');\n";
        let piped = case.database("piped");
        let online = case.database("online");
        let reference = case.database("ref");
        for database in [&piped, &online, &reference] {
            case.ok(&["upgrade", "0001", "--url", &database.url]);
            database.run(duplicates);
        }
        let before = piped.state(TABLES);

        // The second statement fails on the duplicate names.
        both_fail_alike(&case, &piped, &online, ["UNIQUE constraint failed", "could not create unique index", "Duplicate entry"]);
        assert_eq!(where_it_is(&case, &piped), where_it_is(&case, &online));
        match kind {
            Kind::Sqlite | Kind::Postgres => {
                assert_eq!(piped.state(TABLES), before, "nothing of 0002 is left");
                assert_eq!(where_it_is(&case, &piped).0.trim(), "0001");
            }
            Kind::Mysql => {
                let current = where_it_is(&case, &piped).0;
                assert!(current.starts_with("0002 (incomplete: 1 of 3 statements applied;"), "{current}");
                assert!(piped.records().contains("0002\t") && piped.records().contains("\t1\t0\tNULL"), "{}", piped.records());
                assert!(piped.catalog().table("users").unwrap().column("email").is_some(), "statement 1 ran");
            }
        }

        // The cause fixed, online upgrade completes 0002.
        for database in [&piped, &online, &reference] {
            database.run("UPDATE users SET name = 'bob' WHERE id = 2;\n");
            assert_eq!(case.ok(&["upgrade", "--url", &database.url]), "Applied 0002.\n");
        }
        assert_eq!(piped.state(TABLES), reference.state(TABLES));
        assert_eq!(online.state(TABLES), reference.state(TABLES));
        assert_eq!(where_it_is(&case, &piped).0.trim(), "0002");
    }

    /// A migration that leaves a row breaking a foreign key stops the
    /// script and leaves nothing of itself: on SQLite the check before the
    /// commit (foreign keys are off while the script runs) rolls the
    /// script back; the other backends refuse the row at once. As online.
    fn a_broken_foreign_key_stops_the_script(case, "fk") {
        let kind = case.kind;
        let orphan = (
            "0002_orphan",
            "CREATE TABLE notes (id INTEGER NOT NULL PRIMARY KEY);\n\
             INSERT INTO posts (id, user_id, title) VALUES (30, 99, 'nobody wrote it');\n"
                .to_owned(),
            String::new(),
        );
        case.revisions(&[create_users(), orphan]);
        let piped = case.database("piped");
        let online = case.database("online");
        for database in [&piped, &online] {
            case.ok(&["upgrade", "0001", "--url", &database.url]);
            database.run(SEED);
        }
        let before = piped.state(TABLES);

        let expected =
            ["quarry: the migration broke foreign keys", "violates foreign key constraint", "a foreign key constraint fails"];
        both_fail_alike(&case, &piped, &online, expected);
        assert_eq!(piped.rows("SELECT count(*) FROM posts").trim(), "2");
        if kind != Kind::Mysql {
            assert_eq!(piped.state(TABLES), before);
        }
        let catalog = piped.catalog();
        assert_eq!(catalog.table("notes").is_some(), kind == Kind::Mysql, "DDL commits on its own only on MySQL");
    }
}
