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

mod connection;
mod resume;
mod undo;

use std::time::Duration;

use diesel::prelude::*;

use crate::engine::Backend;
use crate::error::{Error, Result};

pub use connection::MigrationConnection;
pub use quarry_schema::migrations::{
    checksum, read_dir, split_statements, Direction, Migration, Script, Target, TargetRange, REVERTS_MARKER,
};
pub use resume::changes_data;

diesel::table! {
    /// What has been applied, and how far (see
    /// `quarry_schema::migrations::bookkeeping`).
    quarry_migrations (version) {
        version -> Text,
        checksum -> Text,
        statements -> Integer,
        complete -> Bool,
        intent -> Nullable<Text>,
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
    /// MySQL/MariaDB: set while statement `statements + 1` runs, to the
    /// catalog's fingerprint before it (see the `resume` module docs).
    pub intent: Option<String>,
}

/// How migrations run.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// How long to wait for the lock a second runner on the same database
    /// holds before giving up with [`Error::MigrationLockTimeout`]
    /// (default: 10 minutes).
    pub lock_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options { lock_timeout: Duration::from_secs(600) }
    }
}

impl Options {
    /// These options with `lock_timeout`.
    pub fn lock_timeout(mut self, lock_timeout: Duration) -> Self {
        self.lock_timeout = lock_timeout;
        self
    }
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

/// What is applied to the database, in version order; creates the
/// bookkeeping table if there is none.
pub fn applied<C: MigrationConnection>(conn: &mut C) -> Result<Vec<Applied>> {
    // Under the lock: PostgreSQL's CREATE TABLE IF NOT EXISTS races with a
    // concurrent one.
    with_bookkeeping(conn, &Options::default(), |conn| conn.applied())
}

/// What the database records as applied, read without changing anything:
/// no records when it has no bookkeeping table (which is not created).
pub fn recorded<C: MigrationConnection>(conn: &mut C) -> Result<Vec<Applied>> {
    if !conn.has_bookkeeping()? {
        return Ok(Vec::new());
    }
    conn.applied()
}

/// Runs `work` under the migration lock with the bookkeeping table there.
fn with_bookkeeping<C: MigrationConnection, T>(
    conn: &mut C,
    options: &Options,
    work: impl FnOnce(&mut C) -> Result<T>,
) -> Result<T> {
    conn.with_lock(options.lock_timeout, |conn| {
        conn.bookkeeping()?;
        work(conn)
    })
}

/// Applies every migration of `migrations` not yet applied, in version
/// order, each exactly once even when several processes start together
/// (they wait on a lock). Returns the versions it applied.
///
/// An applied migration whose `up.sql` changed since is an error
/// ([`Error::MigrationChanged`]), not a silent skip. On SQLite and
/// PostgreSQL a migration that fails leaves the database as it was before
/// the call (all its migrations run in one transaction). On
/// MySQL/MariaDB, whose DDL commits as it goes, the error
/// ([`Error::Migration`]) says how many of its statements ran, the record
/// keeps that count, and the next run resumes after them; a client killed
/// at any instant leaves a record the next run resumes from exactly (see
/// the `resume` module).
pub fn run_pending<'m, C: MigrationConnection>(conn: &mut C, migrations: &'m [Migration]) -> Result<Vec<&'m str>> {
    upgrade(conn, migrations, &Target::Head, &Options::default())
}

/// Applies the migrations that take the database to `target` (`head`,
/// `+N`, a version), as [`run_pending`] applies them; returns their
/// versions. A partly applied migration counts as pending: it resumes.
/// An unknown or ambiguous target is an error and runs nothing.
pub fn upgrade<'m, C: MigrationConnection>(
    conn: &mut C,
    migrations: &'m [Migration],
    target: &Target,
    options: &Options,
) -> Result<Vec<&'m str>> {
    if *target == Target::Head && all_applied(conn, migrations)? {
        return Ok(Vec::new());
    }
    let outcome = with_bookkeeping(conn, options, |conn| {
        let records = conn.applied()?;
        let complete: Vec<&str> = records.iter().filter(|r| r.complete).map(|r| r.version.as_str()).collect();
        // Nothing runs while an applied migration differs from its record.
        for record in records.iter().filter(|r| r.complete) {
            let script = migrations.iter().find(|m| *m.version == record.version).and_then(|m| m.script(C::BACKEND));
            if script.is_some_and(|s| checksum(&s.up) != record.checksum) {
                return Err(Error::MigrationChanged { version: record.version.clone() });
            }
        }
        let steps = target.resolve(Direction::Upgrade, migrations, &complete)?;
        let mut ran = Vec::new();
        whole_run(conn, |conn| {
            for migration in steps {
                let Some(script) = migration.script(C::BACKEND) else { continue };
                let record = records.iter().find(|r| r.version == *migration.version);
                apply(conn, &migration.version, &script.up, record)?;
                ran.push(&*migration.version);
            }
            Ok(())
        })?;
        Ok(ran)
    });
    crate::engine::schema_changed(conn);
    outcome
}

/// Whether every migration is recorded as completely applied, unchanged,
/// read without the lock or any write: the start-up of a program whose
/// database is up to date costs two reads (one on SQLite). Anything else (a
/// pending, partly applied or changed migration, no bookkeeping table) is
/// left to the locked path, which reads again under the lock (and brings an
/// old bookkeeping table up to date before it records). A concurrent runner's
/// records are invisible until it commits (SQLite, PostgreSQL) or marked
/// incomplete until it finishes (MySQL), so they never make this true early.
fn all_applied<C: MigrationConnection>(conn: &mut C, migrations: &[Migration]) -> Result<bool> {
    // On SQLite a missing table fails the read at once and disturbs
    // nothing, so the records are read first and the catalog asked only
    // when that fails (one statement at start-up instead of two).
    let summaries = match C::BACKEND {
        crate::engine::Backend::Sqlite => conn.summaries().or_else(|_| summaries_if_any(conn)),
        _ => summaries_if_any(conn),
    };
    let Ok(summaries) = summaries else { return Ok(false) };
    Ok(migrations.iter().all(|migration| {
        let Some(script) = migration.script(C::BACKEND) else { return true };
        let sum = checksum(&script.up);
        summaries
            .iter()
            .any(|(version, recorded, complete)| *version == *migration.version && *complete && *recorded == sum)
    }) && summaries.iter().all(|(_, _, complete)| *complete))
}

/// [`MigrationConnection::summaries`], or none when there is no
/// bookkeeping table.
fn summaries_if_any<C: MigrationConnection>(conn: &mut C) -> Result<Vec<(String, String, bool)>> {
    if !conn.has_bookkeeping()? {
        return Ok(Vec::new());
    }
    conn.summaries()
}

/// Runs `work`, the migrations of one command, atomically where DDL is
/// transactional (as Alembic does by default): a failure leaves the
/// database as it was before the command.
fn whole_run<C: MigrationConnection>(conn: &mut C, work: impl FnOnce(&mut C) -> Result<()>) -> Result<()> {
    if C::BACKEND.transactional_ddl() {
        conn.atomically(work)
    } else {
        work(conn)
    }
}

/// Records `migrations` as applied without running them (Alembic's
/// `stamp`), for a database whose schema is already there.
pub fn stamp<C: MigrationConnection>(conn: &mut C, migrations: &[Migration]) -> Result<()> {
    with_bookkeeping(conn, &Options::default(), |conn| {
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
            statements: split_statements(&script.up, C::BACKEND).len() as i32,
            complete: true,
            intent: None,
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
    with_bookkeeping(conn, &Options::default(), |conn| {
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

/// Reverts the most recent migration with its `down.sql` (a partly
/// applied one first, see [`downgrade`]); returns its version, or `None`
/// when nothing is applied.
pub fn revert_last<'m, C: MigrationConnection>(conn: &mut C, migrations: &'m [Migration]) -> Result<Option<&'m str>> {
    Ok(downgrade(conn, migrations, &Target::Relative(-1), &Options::default())?.into_iter().next())
}

/// Reverts migrations down to `target` (`-N`, `base`, a version), newest
/// first; returns their versions.
///
/// A partly applied migration (MySQL/MariaDB, after a failure) is
/// reverted first, and counts as one step: exactly the statements of
/// `up.sql` that ran are undone, by the sections of `down.sql` that
/// [`REVERTS_MARKER`] lines assign to them (as `quarry revision` writes
/// them). A `down.sql` without them is an error
/// ([`Error::PartialRevert`]) that changes nothing. An unknown or
/// ambiguous target is an error and reverts nothing.
pub fn downgrade<'m, C: MigrationConnection>(
    conn: &mut C,
    migrations: &'m [Migration],
    target: &Target,
    options: &Options,
) -> Result<Vec<&'m str>> {
    let outcome =
        with_bookkeeping(conn, options, |conn| {
            let records = conn.applied()?;
            let complete: Vec<&str> = records.iter().filter(|r| r.complete).map(|r| r.version.as_str()).collect();
            let target = &target.exact(migrations)?;
            // A downgrade to the partly applied migration or after keeps it.
            let partial = records.last().filter(|r| !r.complete).filter(|r| match target {
                Target::Version(version) => *version < r.version,
                _ => true,
            });
            // The partly applied migration is the first step.
            let rest = match (target, partial) {
                (Target::Relative(-1), Some(_)) => None,
                (Target::Relative(n), Some(_)) => Some(Target::Relative(n + 1)),
                _ => Some(target.clone()),
            };
            let steps = match &rest {
                Some(rest) => rest.resolve(Direction::Downgrade, migrations, &complete)?,
                None => Vec::new(),
            };
            let mut reverted = Vec::new();
            whole_run(conn, |conn| {
                if let Some(record) = partial {
                    let migration = known(migrations, &record.version)?;
                    let script = script(migration, C::BACKEND)?;
                    let statements = undo::partial_down(&script.down, record.statements as usize, C::BACKEND)
                        .ok_or_else(|| Error::PartialRevert {
                            version: record.version.clone(),
                            applied: record.statements as usize,
                            total: split_statements(&script.up, C::BACKEND).len(),
                        })?;
                    revert(conn, migration, &statements)?;
                    reverted.push(&*migration.version);
                }
                for migration in steps {
                    let statements = split_statements(&script(migration, C::BACKEND)?.down, C::BACKEND);
                    revert(conn, migration, &statements)?;
                    reverted.push(&*migration.version);
                }
                Ok(())
            })?;
            Ok(reverted)
        });
    crate::engine::schema_changed(conn);
    outcome
}

fn known<'m>(migrations: &'m [Migration], version: &str) -> Result<&'m Migration> {
    migrations
        .iter()
        .find(|m| *m.version == *version)
        .ok_or_else(|| Error::UnknownMigration { version: version.to_owned() })
}

fn script(migration: &Migration, backend: Backend) -> Result<&Script> {
    migration
        .script(backend)
        .ok_or_else(|| Error::MissingScript { version: migration.version.to_string(), backend: backend.name() })
}

/// Runs `statements` (from `down.sql`) and forgets `migration`'s record:
/// atomically where DDL is transactional.
fn revert<C: MigrationConnection>(conn: &mut C, migration: &Migration, statements: &[String]) -> Result<()> {
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
        conn.atomically(run)
    } else {
        run(conn)
    }
}

/// Applies `up` of migration `version`, resuming after what `record` says
/// ran where DDL is not transactional.
fn apply<C: MigrationConnection>(conn: &mut C, version: &str, up: &str, record: Option<&Applied>) -> Result<()> {
    let statements = split_statements(up, C::BACKEND);
    let sum = checksum(up);
    if !C::BACKEND.transactional_ddl() {
        return resume::apply(conn, version, &statements, &sum, record);
    }
    conn.atomically(|conn| {
        for (i, statement) in statements.iter().enumerate() {
            conn.batch_execute(statement).map_err(|source| Error::Migration {
                version: version.to_owned(),
                applied: i,
                rolled_back: true,
                statement: statement.clone(),
                source,
            })?;
        }
        conn.record(&Applied {
            version: version.to_owned(),
            checksum: sum.clone(),
            statements: statements.len() as i32,
            complete: true,
            intent: None,
        })
    })
}
