//! Running embedded migrations: each pending one exactly once, under a
//! lock, checksummed, and on MySQL/MariaDB (whose DDL is not transactional)
//! with its progress recorded statement by statement.
//!
//! ```ignore
//! static MIGRATIONS: &[quarry::migrate::Migration] = quarry::embed_migrations!();
//! let applied = quarry::migrate::run_pending(&mut conn, MIGRATIONS)?;
//! ```
//!
//! The build script embeds the folder with
//! `quarry_codegen::embed_migrations("migrations", out_dir.join("migrations.rs"))`;
//! [`read_dir`] reads it at run time instead (the `quarry` CLI does). Both
//! give the same [`Migration`]s. A [`Target`] says how far to upgrade or
//! downgrade and resolves to the migrations to run.
//!
//! ```
//! use quarry::migrate::{run_pending, Migration, Script};
//! use diesel::Connection;
//!
//! let mut notes = Migration::new("0001", "notes");
//! notes.sqlite = Some(Script::new("CREATE TABLE notes (id INTEGER PRIMARY KEY)", "DROP TABLE notes"));
//! let migrations = [notes];
//! let mut conn = diesel::SqliteConnection::establish(":memory:")?;
//! assert_eq!(run_pending(&mut conn, &migrations)?, ["0001"]);
//! assert!(run_pending(&mut conn, &migrations)?.is_empty(), "applied once");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::error::{Error, Result};

pub use quarry_schema::migrations::{read_dir, Direction, Migration, Script, Target, TargetRange};

diesel::table! {
    /// What has been applied, and how far.
    quarry_migrations (version) {
        version -> Text,
        checksum -> Text,
        statements -> Integer,
        complete -> Bool,
    }
}

/// A migration applied (or partly applied) to a database.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Applied {
    pub version: String,
    pub checksum: String,
    /// Statements of `up.sql` that ran.
    pub statements: i32,
    /// Whether all of them ran.
    pub complete: bool,
}

impl<C: MigrationConnection> crate::Engine<C> {
    /// Applies the pending migrations of `migrations` for this engine's
    /// backend, under a lock so that processes starting together apply each
    /// once (see [`run_pending`]). Returns the versions applied.
    pub fn run_migrations<'m>(&self, migrations: &'m [Migration]) -> Result<Vec<&'m str>> {
        run_pending(&mut *self.connection()?, migrations)
    }
}

impl crate::AnyEngine {
    /// [`Engine::run_migrations`](crate::Engine::run_migrations) on whichever
    /// backend this engine is.
    pub fn run_migrations<'m>(&self, migrations: &'m [Migration]) -> Result<Vec<&'m str>> {
        crate::with_engine!(self, |engine| engine.run_migrations(migrations))
    }
}

/// A connection migrations run on: how each backend locks the migrations
/// table, runs a migration atomically and keeps its bookkeeping. Which
/// script and whether DDL is transactional follow from
/// [`EngineConnection::BACKEND`](crate::engine::EngineConnection::BACKEND).
pub trait MigrationConnection: crate::engine::EngineConnection + Sized {
    #[doc(hidden)]
    fn with_lock<T>(&mut self, work: impl FnOnce(&mut Self) -> Result<T>) -> Result<T>;
    /// Runs `work` atomically: a savepoint inside SQLite's exclusive
    /// transaction, a transaction on PostgreSQL.
    #[doc(hidden)]
    fn atomically(&mut self, work: impl FnOnce(&mut Self) -> Result<()>) -> Result<()> {
        self.batch_execute("SAVEPOINT quarry_migration")?;
        match work(self) {
            Ok(()) => Ok(self.batch_execute("RELEASE SAVEPOINT quarry_migration")?),
            Err(error) => {
                self.batch_execute("ROLLBACK TO SAVEPOINT quarry_migration; RELEASE SAVEPOINT quarry_migration")?;
                Err(error)
            }
        }
    }
    #[doc(hidden)]
    fn bookkeeping(&mut self) -> Result<()> {
        self.batch_execute(
            "CREATE TABLE IF NOT EXISTS quarry_migrations (version VARCHAR(64) NOT NULL PRIMARY KEY, \
             checksum VARCHAR(32) NOT NULL, statements INTEGER NOT NULL, complete BOOLEAN NOT NULL)",
        )?;
        Ok(())
    }
    #[doc(hidden)]
    fn applied(&mut self) -> Result<Vec<Applied>>;
    #[doc(hidden)]
    fn record(&mut self, row: &Applied) -> Result<()>;
    #[doc(hidden)]
    fn forget(&mut self, version: &str) -> Result<()>;
}

macro_rules! bookkeeping_queries {
    () => {
        fn applied(&mut self) -> Result<Vec<Applied>> {
            Ok(quarry_migrations::table.order(quarry_migrations::version).load(self)?)
        }

        fn record(&mut self, row: &Applied) -> Result<()> {
            diesel::delete(quarry_migrations::table.find(&row.version)).execute(self)?;
            diesel::insert_into(quarry_migrations::table)
                .values((
                    quarry_migrations::version.eq(&row.version),
                    quarry_migrations::checksum.eq(&row.checksum),
                    quarry_migrations::statements.eq(row.statements),
                    quarry_migrations::complete.eq(row.complete),
                ))
                .execute(self)?;
            Ok(())
        }

        fn forget(&mut self, version: &str) -> Result<()> {
            diesel::delete(quarry_migrations::table.find(version)).execute(self)?;
            Ok(())
        }
    };
}

#[cfg(feature = "sqlite")]
impl MigrationConnection for diesel::SqliteConnection {
    bookkeeping_queries!();

    /// One exclusive transaction, with foreign keys off around it (table
    /// rebuilds need that; it cannot change inside a transaction) and
    /// checked before the commit.
    fn with_lock<T>(&mut self, work: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        self.batch_execute("PRAGMA foreign_keys = OFF; BEGIN EXCLUSIVE")?;
        let outcome = work(self).and_then(|value| {
            let broken: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "(SELECT count(*) FROM pragma_foreign_key_check)",
            ))
            .get_result(self)?;
            if broken > 0 {
                return Err(Error::MigrationBrokeForeignKeys { rows: broken });
            }
            Ok(value)
        });
        let end = if outcome.is_ok() { "COMMIT" } else { "ROLLBACK" };
        self.batch_execute(&format!("{end}; PRAGMA foreign_keys = ON"))?;
        outcome
    }
}

#[cfg(feature = "postgres")]
impl MigrationConnection for diesel::PgConnection {
    bookkeeping_queries!();

    fn atomically(&mut self, work: impl FnOnce(&mut Self) -> Result<()>) -> Result<()> {
        self.transaction(work)
    }

    /// A session advisory lock, held while the migrations run.
    fn with_lock<T>(&mut self, work: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        self.batch_execute("SELECT pg_advisory_lock(7361927450)")?;
        let outcome = work(self);
        self.batch_execute("SELECT pg_advisory_unlock(7361927450)")?;
        outcome
    }
}

#[cfg(feature = "mysql")]
impl MigrationConnection for diesel::MysqlConnection {
    bookkeeping_queries!();

    /// A named lock (`GET_LOCK`), held while the migrations run.
    fn with_lock<T>(&mut self, work: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        self.batch_execute("DO GET_LOCK('quarry_migrations', 600)")?;
        let outcome = work(self);
        self.batch_execute("DO RELEASE_LOCK('quarry_migrations')")?;
        outcome
    }
}

/// The statements of a script: split at `;` outside quotes and comments.
pub fn split_statements(sql: &str) -> Vec<String> {
    let mut statements = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                current.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '-' && chars.peek() == Some(&'-') => {
                // A comment runs to the end of the line.
                for c in chars.by_ref() {
                    if c == '\n' {
                        current.push('\n');
                        break;
                    }
                }
            }
            None if c == ';' => statements.push(std::mem::take(&mut current)),
            None => {
                if matches!(c, '\'' | '"' | '`') {
                    quote = Some(c);
                }
                current.push(c);
            }
        }
    }
    statements.push(current);
    statements.into_iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()
}

/// A stable fingerprint of a script (64-bit FNV-1a, hex).
pub fn checksum(sql: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in sql.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// What is applied to the database, in version order.
pub fn applied<C: MigrationConnection>(conn: &mut C) -> Result<Vec<Applied>> {
    // Under the lock: the bookkeeping table may be created here, and
    // PostgreSQL's CREATE TABLE IF NOT EXISTS races with a concurrent one.
    conn.with_lock(|conn| {
        conn.bookkeeping()?;
        conn.applied()
    })
}

/// What is applied to the database, in version order, read without
/// writing anything: a database without the bookkeeping table has nothing
/// applied, and the table is not created. For what only looks (`quarry
/// current`, `history`, `check`), on a read-only connection too.
///
/// No lock is taken: SQLite's (an exclusive transaction) cannot be taken
/// on a read-only file, and the others would make a look wait behind a
/// long migration. Nothing is lost by it: the table is only ever created,
/// never dropped, so once seen it stays; each read is one statement, so a
/// record is never seen half written; and a migration running meanwhile
/// is seen where its records say it is at that moment, as the lock would
/// show it a moment later.
pub fn recorded<C: MigrationConnection>(conn: &mut C) -> Result<Vec<Applied>> {
    if !bookkeeping_exists(conn)? {
        return Ok(Vec::new());
    }
    conn.applied()
}

/// Whether `quarry_migrations` exists where an unqualified name finds it
/// (SQLite's main database, PostgreSQL's search path, MySQL's current
/// database), read from the catalog.
fn bookkeeping_exists<C: MigrationConnection>(conn: &mut C) -> Result<bool> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[allow(dead_code)]
        found: String,
    }
    let sql = match C::BACKEND {
        crate::engine::Backend::Sqlite => {
            "SELECT name AS found FROM sqlite_master WHERE type = 'table' AND name = 'quarry_migrations'"
        }
        crate::engine::Backend::Postgres => "SELECT 'yes' AS found WHERE to_regclass('quarry_migrations') IS NOT NULL",
        crate::engine::Backend::Mysql => {
            "SELECT TABLE_NAME AS found FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'quarry_migrations'"
        }
    };
    // The concrete connection behind `C`, one of the three.
    #[allow(unused_variables)]
    let conn: &mut dyn std::any::Any = conn;
    #[cfg(feature = "sqlite")]
    if let Some(conn) = conn.downcast_mut::<diesel::SqliteConnection>() {
        return Ok(!diesel::sql_query(sql).load::<Found>(conn)?.is_empty());
    }
    #[cfg(feature = "postgres")]
    if let Some(conn) = conn.downcast_mut::<diesel::PgConnection>() {
        return Ok(!diesel::sql_query(sql).load::<Found>(conn)?.is_empty());
    }
    #[cfg(feature = "mysql")]
    if let Some(conn) = conn.downcast_mut::<diesel::MysqlConnection>() {
        return Ok(!diesel::sql_query(sql).load::<Found>(conn)?.is_empty());
    }
    unreachable!("migrations run on SQLite, PostgreSQL and MySQL connections only")
}

/// Applies every migration of `migrations` not yet applied, in version
/// order, each exactly once even when several processes start together
/// (they wait on a lock). Returns the versions it applied.
///
/// An applied migration whose `up.sql` changed since is an error
/// ([`Error::MigrationChanged`]), not a silent skip. On SQLite and
/// PostgreSQL a migration that fails leaves nothing of itself; on
/// MySQL/MariaDB, whose DDL commits as it goes, the error
/// ([`Error::Migration`]) says how many of its statements ran, the record
/// keeps that count, and the next run resumes after them.
pub fn run_pending<'m, C: MigrationConnection>(conn: &mut C, migrations: &'m [Migration]) -> Result<Vec<&'m str>> {
    // The bookkeeping table is made under the lock too: PostgreSQL's
    // CREATE TABLE IF NOT EXISTS is not safe against a concurrent one.
    conn.with_lock(|conn| {
        conn.bookkeeping()?;
        let applied = conn.applied()?;
        let mut ordered: Vec<&Migration> = migrations.iter().collect();
        ordered.sort_by(|a, b| a.version.cmp(&b.version));
        let mut ran = Vec::new();
        for migration in ordered {
            let Some(script) = migration.script(C::BACKEND) else { continue };
            let sum = checksum(&script.up);
            let record = applied.iter().find(|a| a.version == migration.version);
            if let Some(record) = record.filter(|r| r.complete) {
                if record.checksum != sum {
                    return Err(Error::MigrationChanged { version: migration.version.to_string() });
                }
                continue;
            }
            let done = record.map_or(0, |r| r.statements as usize);
            apply(conn, &migration.version, &script.up, &sum, done)?;
            ran.push(&*migration.version);
        }
        Ok(ran)
    })
}

/// Records `migrations` as applied without running them (Alembic's
/// `stamp`), for a database whose schema is already there.
pub fn stamp<C: MigrationConnection>(conn: &mut C, migrations: &[Migration]) -> Result<()> {
    conn.with_lock(|conn| {
        conn.bookkeeping()?;
        record_applied(conn, &migrations.iter().collect::<Vec<_>>())?;
        Ok(())
    })
}

/// Records each of `migrations` that has a script for this backend as
/// completely applied; returns their versions.
fn record_applied<C: MigrationConnection>(conn: &mut C, migrations: &[&Migration]) -> Result<Vec<String>> {
    let mut recorded = Vec::new();
    for migration in migrations {
        let Some(script) = migration.script(C::BACKEND) else { continue };
        conn.record(&Applied {
            version: migration.version.to_string(),
            checksum: checksum(&script.up),
            statements: split_statements(&script.up).len() as i32,
            complete: true,
        })?;
        recorded.push(migration.version.to_string());
    }
    Ok(recorded)
}

/// What [`stamp_to`] changed in the bookkeeping table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stamped {
    /// Versions now recorded as applied that were not (or not completely).
    pub recorded: Vec<String>,
    /// Versions no longer recorded (an incomplete record included).
    pub removed: Vec<String>,
}

/// Moves the record to exactly `target`, in either direction, without
/// running anything (Alembic's `stamp`): afterwards the database records as
/// applied the migrations up to and including it
/// ([`Target::stamped`]), and nothing else, incomplete records included.
/// An unknown or ambiguous version is an error and changes nothing.
pub fn stamp_to<C: MigrationConnection>(conn: &mut C, migrations: &[Migration], target: &Target) -> Result<Stamped> {
    conn.with_lock(|conn| {
        conn.bookkeeping()?;
        let records = conn.applied()?;
        let complete: Vec<&str> = records.iter().filter(|a| a.complete).map(|a| a.version.as_str()).collect();
        let wanted = target.stamped(migrations, &complete)?;
        let mut stamped = Stamped::default();
        for record in &records {
            if !wanted.iter().any(|m| m.version == record.version.as_str()) {
                conn.forget(&record.version)?;
                stamped.removed.push(record.version.clone());
            }
        }
        let missing: Vec<&Migration> = wanted.into_iter().filter(|m| !complete.contains(&&*m.version)).collect();
        stamped.recorded = record_applied(conn, &missing)?;
        Ok(stamped)
    })
}

/// Reverts the most recent applied migration with its `down.sql`; returns
/// its version, or `None` when nothing is applied.
pub fn revert_last<'m, C: MigrationConnection>(conn: &mut C, migrations: &'m [Migration]) -> Result<Option<&'m str>> {
    conn.with_lock(|conn| {
        conn.bookkeeping()?;
        let Some(last) = conn.applied()?.into_iter().rfind(|a| a.complete) else { return Ok(None) };
        let migration = migrations
            .iter()
            .find(|m| m.version == last.version)
            .ok_or_else(|| Error::UnknownMigration { version: last.version.clone() })?;
        let script = migration.script(C::BACKEND).ok_or_else(|| Error::MissingScript {
            version: migration.version.to_string(),
            backend: C::BACKEND.name(),
        })?;
        let statements = split_statements(&script.down);
        let run = |conn: &mut C| -> Result<()> {
            for (i, statement) in statements.iter().enumerate() {
                conn.batch_execute(statement).map_err(|source| Error::Migration {
                    version: migration.version.to_string(),
                    applied: i,
                    rolled_back: C::BACKEND.transactional_ddl(),
                    statement: statement.clone(),
                    source,
                })?;
            }
            conn.forget(&migration.version)
        };
        if C::BACKEND.transactional_ddl() {
            conn.atomically(run)?;
        } else {
            run(conn)?;
        }
        Ok(Some(&*migration.version))
    })
}

fn apply<C: MigrationConnection>(conn: &mut C, version: &str, up: &str, sum: &str, done: usize) -> Result<()> {
    let statements = split_statements(up);
    let row = |statements: usize, complete: bool| Applied {
        version: version.to_owned(),
        checksum: sum.to_owned(),
        statements: statements as i32,
        complete,
    };
    let rolled_back = C::BACKEND.transactional_ddl();
    let failed = |i: usize, statement: &String, source| Error::Migration {
        version: version.to_owned(),
        applied: i,
        rolled_back,
        statement: statement.clone(),
        source,
    };
    if C::BACKEND.transactional_ddl() {
        return conn.atomically(|conn| {
            for (i, statement) in statements.iter().enumerate() {
                conn.batch_execute(statement).map_err(|e| failed(i, statement, e))?;
            }
            conn.record(&row(statements.len(), true))
        });
    }
    // MySQL/MariaDB: each statement commits; record progress after each.
    conn.record(&row(done, false))?;
    for (i, statement) in statements.iter().enumerate().skip(done) {
        conn.batch_execute(statement).map_err(|e| failed(i, statement, e))?;
        conn.record(&row(i + 1, i + 1 == statements.len()))?;
    }
    if statements.len() == done {
        conn.record(&row(done, true))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::split_statements;

    #[test]
    fn splits_at_semicolons_outside_quotes_and_comments() {
        let sql =
            "CREATE TABLE a (x TEXT DEFAULT 'a;b');\n-- a comment; with a semicolon\nINSERT INTO a VALUES ('c');\n\n";
        assert_eq!(split_statements(sql), ["CREATE TABLE a (x TEXT DEFAULT 'a;b')", "INSERT INTO a VALUES ('c')"]);
    }
}
