//! What each backend does differently when migrations run: how the
//! migrations of one database are locked against a second runner, how a
//! migration runs atomically, and how the bookkeeping table is kept.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};
use quarry_schema::migrations::{bookkeeping, checksum};

use super::{quarry_migrations, Applied};
use crate::error::{Error, Result};

/// A connection migrations run on: how each backend locks the migrations
/// of one database, runs a migration atomically and keeps its bookkeeping.
/// Which script and whether DDL is transactional follow from
/// [`EngineConnection::BACKEND`](crate::engine::EngineConnection::BACKEND).
pub trait MigrationConnection: crate::engine::EngineConnection + Sized {
    /// Runs `work` holding this database's migration lock, waiting at most
    /// `timeout` for it ([`Error::MigrationLockTimeout`] after that).
    #[doc(hidden)]
    fn with_lock<T>(&mut self, timeout: Duration, work: impl FnOnce(&mut Self) -> Result<T>) -> Result<T>;
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
    /// Creates the bookkeeping table, or adds what an older one lacks.
    #[doc(hidden)]
    fn bookkeeping(&mut self) -> Result<()>;
    /// Whether the bookkeeping table exists (read without creating it).
    #[doc(hidden)]
    fn has_bookkeeping(&mut self) -> Result<bool>;
    #[doc(hidden)]
    fn applied(&mut self) -> Result<Vec<Applied>>;
    /// Each record's version, checksum and whether it is complete, in no
    /// order: what the start-up check reads, in the cheapest statement.
    #[doc(hidden)]
    fn summaries(&mut self) -> Result<Vec<(String, String, bool)>>;
    /// Replaces `row`'s record (a delete, then an insert).
    #[doc(hidden)]
    fn replace_row(&mut self, row: &Applied) -> Result<()>;
    #[doc(hidden)]
    fn record(&mut self, row: &Applied) -> Result<()> {
        self.replace_row(row)
    }
    #[doc(hidden)]
    fn forget(&mut self, version: &str) -> Result<()>;
    /// A fingerprint of the catalog, without the bookkeeping table: what
    /// changes when DDL takes effect and stays when rows change.
    #[doc(hidden)]
    fn fingerprint(&mut self) -> Result<String>;
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = diesel::sql_types::Text)]
    line: String,
}

/// The methods that are the same diesel calls on every backend (diesel's
/// query traits are implemented per backend, not for a generic one).
macro_rules! bookkeeping_queries {
    (has_table: $has_table:expr, catalog: $catalog:expr) => {
        fn bookkeeping(&mut self) -> Result<()> {
            self.batch_execute(bookkeeping::CREATE_TABLE)?;
            // A table made before `intent` existed: selecting it fails.
            if diesel::sql_query("SELECT intent FROM quarry_migrations WHERE 1 = 0").execute(self).is_err() {
                self.batch_execute(bookkeeping::ADD_INTENT)?;
            }
            Ok(())
        }

        fn has_bookkeeping(&mut self) -> Result<bool> {
            let found: i64 = diesel::select(diesel::dsl::sql::<BigInt>($has_table)).get_result(self)?;
            Ok(found > 0)
        }

        fn applied(&mut self) -> Result<Vec<Applied>> {
            Ok(quarry_migrations::table.order(quarry_migrations::version).load(self)?)
        }

        fn summaries(&mut self) -> Result<Vec<(String, String, bool)>> {
            // Plain SQL: SQLite's parser is most of a cold statement's cost,
            // and diesel's qualified, quoted column list doubles its tokens.
            let sql = "SELECT version, checksum, complete FROM quarry_migrations";
            Ok(diesel::dsl::sql::<(Text, Text, Bool)>(sql).load(self)?)
        }

        fn replace_row(&mut self, row: &Applied) -> Result<()> {
            diesel::delete(quarry_migrations::table.find(&row.version)).execute(self)?;
            diesel::insert_into(quarry_migrations::table)
                .values((
                    quarry_migrations::version.eq(&row.version),
                    quarry_migrations::checksum.eq(&row.checksum),
                    quarry_migrations::statements.eq(row.statements),
                    quarry_migrations::complete.eq(row.complete),
                    quarry_migrations::intent.eq(&row.intent),
                ))
                .execute(self)?;
            Ok(())
        }

        fn forget(&mut self, version: &str) -> Result<()> {
            diesel::delete(quarry_migrations::table.find(version)).execute(self)?;
            Ok(())
        }

        fn fingerprint(&mut self) -> Result<String> {
            let mut lines: Vec<String> =
                diesel::sql_query($catalog).load::<Line>(self)?.into_iter().map(|l| l.line).collect();
            lines.sort();
            Ok(checksum(&lines.join("\n")))
        }
    };
}

#[cfg(feature = "sqlite")]
impl MigrationConnection for diesel::SqliteConnection {
    bookkeeping_queries!(has_table: "(SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'quarry_migrations')", catalog: super::resume::SQLITE_CATALOG);

    /// One exclusive transaction, with foreign keys off around it (table
    /// rebuilds need that; it cannot change inside a transaction) and
    /// checked before the commit. A second runner waits in `BEGIN
    /// EXCLUSIVE` for up to `timeout` (SQLite's busy timeout, restored
    /// afterwards).
    fn with_lock<T>(&mut self, timeout: Duration, work: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let busy: i64 =
            diesel::select(diesel::dsl::sql::<BigInt>("(SELECT timeout FROM pragma_busy_timeout)")).get_result(self)?;
        self.batch_execute(&format!("PRAGMA foreign_keys = OFF; PRAGMA busy_timeout = {}", timeout.as_millis()))?;
        let begun = self.batch_execute("BEGIN EXCLUSIVE");
        self.batch_execute(&format!("PRAGMA busy_timeout = {busy}"))?;
        if let Err(error) = begun {
            self.batch_execute("PRAGMA foreign_keys = ON")?;
            return Err(match error {
                diesel::result::Error::DatabaseError(_, ref info) if info.message().contains("locked") => {
                    Error::MigrationLockTimeout { waited: timeout }
                }
                other => other.into(),
            });
        }
        let outcome = work(self).and_then(|value| {
            let broken: i64 =
                diesel::select(diesel::dsl::sql::<BigInt>("(SELECT count(*) FROM pragma_foreign_key_check)"))
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
    bookkeeping_queries!(has_table: "(SELECT count(*) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = 'quarry_migrations')", catalog: super::resume::POSTGRES_CATALOG);

    fn atomically(&mut self, work: impl FnOnce(&mut Self) -> Result<()>) -> Result<()> {
        self.transaction(work)
    }

    /// A session advisory lock keyed by the current schema (where the
    /// bookkeeping table lives), tried until `timeout` passes.
    fn with_lock<T>(&mut self, timeout: Duration, work: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        const KEY: &str = bookkeeping::POSTGRES_LOCK_KEY;
        let started = std::time::Instant::now();
        loop {
            let got: bool =
                diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!("pg_try_advisory_lock({KEY})")))
                    .get_result(self)?;
            if got {
                break;
            }
            if started.elapsed() >= timeout {
                return Err(Error::MigrationLockTimeout { waited: timeout });
            }
            std::thread::sleep(Duration::from_millis(50).min(timeout));
        }
        let outcome = work(self);
        self.batch_execute(&format!("SELECT pg_advisory_unlock({KEY})"))?;
        outcome
    }
}

#[cfg(feature = "mysql")]
impl MigrationConnection for diesel::MysqlConnection {
    bookkeeping_queries!(has_table: "(SELECT count(*) FROM information_schema.tables \
             WHERE table_schema = DATABASE() AND table_name = 'quarry_migrations')", catalog: super::resume::MYSQL_CATALOG);

    /// A named lock (`GET_LOCK`) whose name is made from the database's, so
    /// that migrating one database never holds up another; its result is
    /// checked: a lock not granted within `timeout` is an error.
    fn with_lock<T>(&mut self, timeout: Duration, work: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        const NAME: &str = bookkeeping::MYSQL_LOCK_NAME;
        // GET_LOCK takes whole seconds; a fraction rounds up.
        let seconds = timeout.as_secs() + u64::from(timeout.subsec_nanos() > 0);
        let got: Option<i64> = diesel::select(diesel::dsl::sql::<diesel::sql_types::Nullable<BigInt>>(&format!(
            "CAST(GET_LOCK({NAME}, {seconds}) AS SIGNED)"
        )))
        .get_result(self)?;
        if got != Some(1) {
            return Err(Error::MigrationLockTimeout { waited: timeout });
        }
        let outcome = work(self);
        self.batch_execute(&format!("DO RELEASE_LOCK({NAME})"))?;
        outcome
    }

    /// Replaces the row in one transaction: each statement commits on its
    /// own here, and a client killed between the two must not lose it.
    fn record(&mut self, row: &Applied) -> Result<()> {
        self.transaction(|conn| conn.replace_row(row))
    }
}
