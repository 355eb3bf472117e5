//! Offline SQL: what `upgrade --sql`, `downgrade --sql` and `stamp --sql`
//! print. Each is a complete script for one backend's command-line client
//! that does what the command does against a database, the same way the
//! runner (`quarry::migrate`) does it:
//!
//! - it creates the bookkeeping table if missing (the runner's own
//!   `CREATE TABLE IF NOT EXISTS`) and records each migration in it, so a
//!   database upgraded by the script is at the same revision as one
//!   upgraded online;
//! - SQLite: one exclusive transaction with foreign keys off around it
//!   (table rebuilds need that) and checked before the commit, which a
//!   violation turns into a rollback;
//! - PostgreSQL: each migration in a transaction with its record, under the
//!   runner's advisory lock;
//! - MySQL/MariaDB (no transactional DDL): under the runner's named lock,
//!   a progress row updated after each statement, a statement that changes
//!   data in one transaction with its update, so a script stopped by an
//!   error leaves the record `quarry upgrade` resumes from. The runner's
//!   `intent` (a catalog fingerprint taken before each DDL statement)
//!   cannot be computed in SQL: it stays NULL.
//!
//! Every statement is terminated so that the client reads it whole:
//! `sqlite3` and `psql` find the end of trigger bodies and dollar quotes
//! themselves; for the `mariadb` client a statement holding a `;` is
//! wrapped in `DELIMITER` lines. Each script first tells its client to stop
//! at the first error (`.bail on`, `\set ON_ERROR_STOP on`; the `mariadb`
//! client stops by default), which is what keeps a failed script from
//! running on and recording what did not happen.

use quarry::migrate::{changes_data, checksum, split_statements, Direction, Migration, Target, TargetRange};
use quarry_schema::migrations::bookkeeping;
use quarry_schema::Backend;

use crate::error::{Error, Result};

/// How long a script waits for the migration lock on MySQL/MariaDB, in
/// seconds: the runner's default.
const LOCK_SECONDS: u32 = 600;

/// The script of an upgrade over `range` for `backend`: the `up.sql` of
/// each migration [`TargetRange::resolve`] picks, each recorded as applied.
pub fn upgrade(migrations: &[Migration], range: &TargetRange, backend: Backend) -> Result<String> {
    let run = range.resolve(Direction::Upgrade, migrations)?;
    let (from, to) = span(migrations, &run, Direction::Upgrade);
    let mut script = Script::new(backend, &format!("quarry upgrade --sql {range}"), &from, &to, &run);
    script.open();
    for migration in &run {
        let Some(sql) = migration.script(backend) else { continue };
        script.apply(migration, &sql.up);
    }
    script.close();
    Ok(script.text)
}

/// The script of a downgrade over `range` for `backend`: the `down.sql` of
/// each migration [`TargetRange::resolve`] picks, each record deleted.
pub fn downgrade(migrations: &[Migration], range: &TargetRange, backend: Backend) -> Result<String> {
    let run = range.resolve(Direction::Downgrade, migrations)?;
    let (from, to) = span(migrations, &run, Direction::Downgrade);
    let mut script = Script::new(backend, &format!("quarry downgrade --sql {range}"), &from, &to, &run);
    script.open();
    for migration in &run {
        let Some(sql) = migration.script(backend) else { continue };
        script.revert(migration, &sql.down);
    }
    script.close();
    Ok(script.text)
}

/// The script that moves the record to exactly `target`, whatever it
/// holds, without running any migration: the rows online `stamp` leaves
/// ([`Target::stamped`]). A record of a wanted revision that is complete
/// is kept as it is (its checksum too); any other record goes.
///
/// `+N` and `-N` count from what the database holds, which a script
/// cannot know: they are an error ([`Error::RelativeStampOffline`]).
pub fn stamp(migrations: &[Migration], target: &Target, backend: Backend) -> Result<String> {
    if let Target::Relative(_) = target {
        return Err(Error::RelativeStampOffline { target: target.to_string() });
    }
    let none: &[&str] = &[];
    let wanted = target.stamped(migrations, none)?;
    let to = wanted.last().map_or_else(|| "base".to_owned(), |m| m.version.to_string());
    let mut script = Script::new(backend, &format!("quarry stamp --sql {target}"), "wherever it is", &to, &[]);
    script.open();
    script.stamp(&wanted);
    script.close();
    Ok(script.text)
}

/// Where a run of `run` (in the order it runs) takes a database from and
/// to: versions, or `base`.
fn span(migrations: &[Migration], run: &[&Migration], direction: Direction) -> (String, String) {
    let before = |version: &str| {
        migrations
            .iter()
            .map(|m| &*m.version)
            .filter(|v| *v < version)
            .max()
            .map_or_else(|| "base".to_owned(), str::to_owned)
    };
    match (run.first(), run.last(), direction) {
        (Some(first), Some(last), Direction::Upgrade) => (before(&first.version), last.version.to_string()),
        (Some(first), Some(last), Direction::Downgrade) => (first.version.to_string(), before(&last.version)),
        _ => ("where it is".to_owned(), "where it is (nothing to run)".to_owned()),
    }
}

/// A script being written for one backend.
struct Script {
    backend: Backend,
    text: String,
}

impl Script {
    /// A script headed by what it is, what it does, and how to run it.
    fn new(backend: Backend, command: &str, from: &str, to: &str, run: &[&Migration]) -> Script {
        let mut script = Script { backend, text: String::new() };
        script.comment(&format!("{command}, for {backend}: from {from} to {to}"));
        // Revisions without a script for this backend are skipped, as online.
        let names: Vec<String> = run
            .iter()
            .filter(|m| m.script(backend).is_some())
            .map(|m| format!("{} {}", m.version, m.name).trim().to_owned())
            .collect();
        if !names.is_empty() {
            script.comment(&format!("Runs {}.", names.join(", ")));
        }
        script.comment("Complete: it keeps the bookkeeping table quarry_migrations as the online command does.");
        script.comment("Pipe it into the client, which must stop at the first error (its first command says so):");
        script.comment(match backend {
            Backend::Sqlite => "  sqlite3 -bail app.db < script.sql",
            Backend::Postgres => "  psql -v ON_ERROR_STOP=1 postgres://... < script.sql",
            Backend::Mysql => "  mariadb -h HOST -u USER DATABASE < script.sql   (or mysql; never --force)",
        });
        script.text.push('\n');
        script
    }

    fn comment(&mut self, line: &str) {
        self.text.push_str("-- ");
        self.text.push_str(line);
        self.text.push('\n');
    }

    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    /// Adds `sql`, terminated so that the client reads it whole: after a
    /// `;`, on a line of its own when the last line has a comment the `;`
    /// would fall into; on MySQL/MariaDB a statement holding a `;` between
    /// `DELIMITER` lines, with a delimiter it does not hold.
    fn statement(&mut self, sql: &str) {
        let sql = sql.trim_end();
        let last_line = sql.rsplit('\n').next().unwrap_or(sql);
        let commented = last_line.contains("--") || (self.backend == Backend::Mysql && last_line.contains('#'));
        let gap = if commented { "\n" } else { "" };
        if self.backend == Backend::Mysql && sql.contains(';') {
            let mut delimiter = "$$".to_owned();
            while sql.contains(&delimiter) {
                delimiter.push('$');
            }
            self.text.push_str(&format!("DELIMITER {delimiter}\n{sql}{gap}{delimiter}\nDELIMITER ;\n"));
        } else {
            self.text.push_str(&format!("{sql}{gap};\n"));
        }
    }

    /// What comes before the migrations: stop at the first error, take the
    /// runner's lock, begin (SQLite), create the bookkeeping table.
    fn open(&mut self) {
        match self.backend {
            Backend::Sqlite => {
                self.line(".bail on");
                self.comment("Foreign keys off (table rebuilds need it; it cannot change inside a transaction),");
                self.comment("checked before the commit.");
                self.statement("PRAGMA foreign_keys = OFF");
                self.statement("BEGIN EXCLUSIVE");
            }
            Backend::Postgres => {
                self.line("\\set ON_ERROR_STOP on");
                self.comment("The lock the online commands take: one runner at a time per schema.");
                self.statement(&format!("SELECT pg_advisory_lock({})", bookkeeping::POSTGRES_LOCK_KEY));
            }
            Backend::Mysql => {
                self.comment("The lock the online commands take: one runner at a time per database. Not granted");
                self.comment(&format!(
                    "within {LOCK_SECONDS} s, the next statement fails (\"Subquery returns more than 1 row\"): the script stops."
                ));
                self.statement(&format!(
                    "SELECT GET_LOCK({}, {LOCK_SECONDS}) INTO @quarry_lock",
                    bookkeeping::MYSQL_LOCK_NAME
                ));
                self.statement(
                    "SET @quarry_lock = (SELECT 1 UNION ALL SELECT 1 FROM DUAL WHERE IFNULL(@quarry_lock, 0) <> 1)",
                );
            }
        }
        self.statement(bookkeeping::CREATE_TABLE);
    }

    /// What comes after the migrations: on SQLite the foreign-key check
    /// (a violation rolls everything back) and the commit; the lock
    /// released.
    fn close(&mut self) {
        self.text.push('\n');
        match self.backend {
            Backend::Sqlite => {
                self.comment("A row that breaks a foreign key rolls the whole script back.");
                self.statement("CREATE TEMP TABLE _quarry_foreign_key_check (x INTEGER)");
                self.statement(
                    "CREATE TEMP TRIGGER _quarry_foreign_key_check AFTER INSERT ON _quarry_foreign_key_check\n\
                     BEGIN\n  SELECT RAISE(ROLLBACK, 'quarry: the migration broke foreign keys \
                     (see PRAGMA foreign_key_check); rolled back')\n  \
                     WHERE EXISTS (SELECT 1 FROM pragma_foreign_key_check);\nEND",
                );
                self.statement("INSERT INTO _quarry_foreign_key_check VALUES (1)");
                self.statement("DROP TABLE temp._quarry_foreign_key_check");
                self.statement("COMMIT");
                self.statement("PRAGMA foreign_keys = ON");
            }
            Backend::Postgres => {
                self.statement(&format!("SELECT pg_advisory_unlock({})", bookkeeping::POSTGRES_LOCK_KEY));
            }
            Backend::Mysql => self.statement(&format!("DO RELEASE_LOCK({})", bookkeeping::MYSQL_LOCK_NAME)),
        }
    }

    /// `up` of `migration`, recorded as the runner records it: its
    /// checksum and statement count, complete.
    fn apply(&mut self, migration: &Migration, up: &str) {
        let statements = split_statements(up, self.backend);
        let total = statements.len();
        let version = &*migration.version;
        self.text.push('\n');
        self.comment(&format!("{} {} (up)", migration.version, migration.name));
        match self.backend {
            Backend::Sqlite | Backend::Postgres => {
                let transaction = self.backend == Backend::Postgres;
                if transaction {
                    self.statement("BEGIN");
                }
                for statement in &statements {
                    self.statement(statement);
                }
                self.replace_row(version, &checksum(up), total, true);
                if transaction {
                    self.statement("COMMIT");
                }
            }
            Backend::Mysql => {
                // The progress row first, then updated after each statement.
                self.statement("START TRANSACTION");
                self.replace_row(version, &checksum(up), 0, total == 0);
                self.statement("COMMIT");
                for (i, statement) in statements.iter().enumerate() {
                    let progress = format!(
                        "UPDATE {} SET statements = {}, complete = {} WHERE version = {}",
                        bookkeeping::TABLE,
                        i + 1,
                        boolean(i + 1 == total),
                        self.literal(version)
                    );
                    if changes_data(statement) {
                        self.statement("START TRANSACTION");
                        self.statement(statement);
                        self.statement(&progress);
                        self.statement("COMMIT");
                    } else {
                        self.statement(statement);
                        self.statement(&progress);
                    }
                }
            }
        }
    }

    /// `down` of `migration`, then its record deleted: in one transaction
    /// where DDL is transactional (on SQLite, the script's).
    fn revert(&mut self, migration: &Migration, down: &str) {
        self.text.push('\n');
        self.comment(&format!("{} {} (down)", migration.version, migration.name));
        let transaction = self.backend == Backend::Postgres;
        if transaction {
            self.statement("BEGIN");
        }
        for statement in split_statements(down, self.backend) {
            self.statement(&statement);
        }
        self.delete_row(&migration.version);
        if transaction {
            self.statement("COMMIT");
        }
    }

    /// The record moved to exactly `wanted`, in one transaction: other
    /// records and incomplete ones deleted, the missing ones of those with
    /// a script for this backend inserted as complete.
    fn stamp(&mut self, wanted: &[&Migration]) {
        self.text.push('\n');
        if self.backend != Backend::Sqlite {
            self.statement(if self.backend == Backend::Mysql { "START TRANSACTION" } else { "BEGIN" });
        }
        let table = bookkeeping::TABLE;
        let versions: Vec<String> = wanted.iter().map(|m| self.literal(&m.version)).collect();
        if versions.is_empty() {
            self.statement(&format!("DELETE FROM {table}"));
        } else {
            self.statement(&format!("DELETE FROM {table} WHERE version NOT IN ({})", versions.join(", ")));
        }
        self.statement(&format!("DELETE FROM {table} WHERE complete = {}", boolean(false)));
        let dual = if self.backend == Backend::Mysql { " FROM DUAL" } else { "" };
        for migration in wanted {
            let Some(script) = migration.script(self.backend) else { continue };
            let version = self.literal(&migration.version);
            self.statement(&format!(
                "INSERT INTO {table} (version, checksum, statements, complete)\n  \
                 SELECT {version}, {}, {}, {}{dual}\n  \
                 WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE version = {version})",
                self.literal(&checksum(&script.up)),
                split_statements(&script.up, self.backend).len(),
                boolean(true),
            ));
        }
        if self.backend != Backend::Sqlite {
            self.statement("COMMIT");
        }
    }

    /// The record of `version` replaced (a delete, then an insert), as
    /// the runner's `record` does; `intent` left NULL.
    fn replace_row(&mut self, version: &str, sum: &str, statements: usize, complete: bool) {
        self.delete_row(version);
        let values = [self.literal(version), self.literal(sum), statements.to_string(), boolean(complete).to_owned()];
        self.statement(&format!(
            "INSERT INTO {} (version, checksum, statements, complete) VALUES ({})",
            bookkeeping::TABLE,
            values.join(", ")
        ));
    }

    fn delete_row(&mut self, version: &str) {
        let version = self.literal(version);
        self.statement(&format!("DELETE FROM {} WHERE version = {version}", bookkeeping::TABLE));
    }

    /// `text` as a string literal of this backend (MySQL reads a
    /// backslash as an escape).
    fn literal(&self, text: &str) -> String {
        let mut quoted = text.replace('\'', "''");
        if self.backend == Backend::Mysql {
            quoted = quoted.replace('\\', "\\\\");
        }
        format!("'{quoted}'")
    }
}

/// A boolean literal every backend reads (SQLite since 3.23).
fn boolean(value: bool) -> &'static str {
    if value {
        "TRUE"
    } else {
        "FALSE"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quarry::migrate::Script as Sql;

    fn script(backend: Backend) -> Script {
        Script { backend, text: String::new() }
    }

    fn terminated(backend: Backend, sql: &str) -> String {
        let mut script = script(backend);
        script.statement(sql);
        script.text
    }

    #[test]
    fn terminates_each_statement_so_the_client_reads_it_whole() {
        assert_eq!(terminated(Backend::Sqlite, "CREATE TABLE t (x INTEGER)\n"), "CREATE TABLE t (x INTEGER);\n");
        // A `;` after a trailing comment would be commented out.
        assert_eq!(terminated(Backend::Postgres, "SELECT 1 -- one"), "SELECT 1 -- one\n;\n");
        assert_eq!(terminated(Backend::Mysql, "SELECT 1 # one"), "SELECT 1 # one\n;\n");
        assert_eq!(terminated(Backend::Sqlite, "SELECT '#'"), "SELECT '#';\n", "`#` starts no comment on SQLite");
        // sqlite3 and psql find the end of bodies themselves.
        let trigger = "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = n + 1; END";
        assert_eq!(terminated(Backend::Sqlite, trigger), format!("{trigger};\n"));
    }

    #[test]
    fn wraps_a_mysql_statement_holding_a_semicolon_in_delimiter_lines() {
        let procedure = "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END";
        assert_eq!(terminated(Backend::Mysql, procedure), format!("DELIMITER $$\n{procedure}$$\nDELIMITER ;\n"));
        // The delimiter is one the statement does not hold.
        let dollars = "CREATE PROCEDURE p() BEGIN SELECT '$$'; END -- note";
        assert_eq!(terminated(Backend::Mysql, dollars), format!("DELIMITER $$$\n{dollars}\n$$$\nDELIMITER ;\n"));
        assert_eq!(terminated(Backend::Mysql, "SELECT 1"), "SELECT 1;\n");
    }

    #[test]
    fn quotes_literals_per_backend() {
        assert_eq!(script(Backend::Postgres).literal("it's \\"), "'it''s \\'");
        assert_eq!(script(Backend::Mysql).literal("it's \\"), "'it''s \\\\'");
    }

    #[test]
    fn records_progress_after_each_mysql_statement_and_changes_data_with_it() {
        let mut migration = Migration::new("0002", "seed");
        migration.mysql = Some(Sql::new("CREATE TABLE a (x INT);\nINSERT INTO a VALUES (1);\n", ""));
        let mut script = script(Backend::Mysql);
        script.apply(&migration, &migration.mysql.clone().unwrap().up);
        let sum = checksum("CREATE TABLE a (x INT);\nINSERT INTO a VALUES (1);\n");
        assert_eq!(
            script.text,
            format!(
                "\n-- 0002 seed (up)\nSTART TRANSACTION;\n\
                 DELETE FROM quarry_migrations WHERE version = '0002';\n\
                 INSERT INTO quarry_migrations (version, checksum, statements, complete) VALUES ('0002', '{sum}', 0, FALSE);\n\
                 COMMIT;\n\
                 CREATE TABLE a (x INT);\n\
                 UPDATE quarry_migrations SET statements = 1, complete = FALSE WHERE version = '0002';\n\
                 START TRANSACTION;\n\
                 INSERT INTO a VALUES (1);\n\
                 UPDATE quarry_migrations SET statements = 2, complete = TRUE WHERE version = '0002';\n\
                 COMMIT;\n"
            )
        );
    }

    #[test]
    fn a_relative_stamp_needs_a_database() {
        let migrations = [Migration::new("0001", "one")];
        let error = stamp(&migrations, &Target::Relative(1), Backend::Sqlite).unwrap_err();
        assert!(matches!(error, Error::RelativeStampOffline { .. }), "{error}");
    }
}
