//! What differs per backend when connecting and beginning transactions.

use diesel::connection::{AnsiTransactionManager, SimpleConnection};
use diesel::r2d2::R2D2Connection;
use diesel::QueryResult;

use super::{Backend, Shared};

/// SQL's transaction isolation levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IsolationLevel {
    ReadUncommitted,
    ReadCommitted,
    RepeatableRead,
    Serializable,
}

impl IsolationLevel {
    /// The level as SQL writes it, e.g. `REPEATABLE READ`.
    pub fn sql(self) -> &'static str {
        match self {
            IsolationLevel::ReadUncommitted => "READ UNCOMMITTED",
            IsolationLevel::ReadCommitted => "READ COMMITTED",
            IsolationLevel::RepeatableRead => "REPEATABLE READ",
            IsolationLevel::Serializable => "SERIALIZABLE",
        }
    }
}

/// How a session's transactions begin.
///
/// SQLite has one isolation level (serializable) and ignores the setting;
/// its write transactions begin `IMMEDIATE`, taking the write lock up front
/// so that concurrent writers queue on the busy timeout instead of failing
/// with "database is locked" at their first write. A read-only SQLite
/// transaction begins `DEFERRED` with `PRAGMA query_only` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TransactionOptions {
    pub isolation: Option<IsolationLevel>,
    pub read_only: bool,
}

/// The statements that open and close a top-level transaction.
#[derive(Debug, Default)]
pub struct BeginStatements {
    /// Run before `begin`, outside the transaction.
    pub before: Vec<String>,
    pub begin: String,
    /// Run after the transaction ends, either way.
    pub after: Vec<String>,
}

/// A diesel connection an [`Engine`](super::Engine) can pool.
pub trait EngineConnection:
    R2D2Connection + SimpleConnection + diesel::Connection<TransactionManager = AnsiTransactionManager> + Send + 'static
{
    /// Which backend this is.
    const BACKEND: Backend;

    /// The largest number of bind parameters one statement may carry.
    const MAX_BIND_PARAMETERS: usize;

    #[doc(hidden)]
    fn prepare(&mut self, _shared: &Shared) -> QueryResult<()> {
        Ok(())
    }

    #[doc(hidden)]
    fn begin_statements(options: &TransactionOptions) -> BeginStatements;

    /// Forgets what this connection cached about the database's schema:
    /// PostgreSQL connections cache the OIDs of enum types, which a type
    /// dropped and created again changes ("cache lookup failed for type").
    /// See [`schema_changed`](super::schema_changed).
    #[doc(hidden)]
    fn forget_schema(&mut self) {}
}

#[cfg(feature = "sqlite")]
impl EngineConnection for diesel::SqliteConnection {
    const BACKEND: Backend = Backend::Sqlite;
    const MAX_BIND_PARAMETERS: usize = 32_766;

    fn prepare(&mut self, shared: &Shared) -> QueryResult<()> {
        let busy = shared.sqlite_busy_timeout.as_millis();
        self.batch_execute(&format!("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {busy};"))?;
        if shared.sqlite_wal {
            enter_wal(self, shared.sqlite_busy_timeout)?;
            self.batch_execute("PRAGMA synchronous = NORMAL;")?;
        }
        Ok(())
    }

    fn begin_statements(options: &TransactionOptions) -> BeginStatements {
        if options.read_only {
            BeginStatements {
                before: vec!["PRAGMA query_only = ON".into()],
                begin: "BEGIN DEFERRED".into(),
                after: vec!["PRAGMA query_only = OFF".into()],
            }
        } else {
            BeginStatements { begin: "BEGIN IMMEDIATE".into(), ..BeginStatements::default() }
        }
    }
}

/// Switches the database file to write-ahead logging, waiting up to
/// `timeout` for it. Processes that open a new file together race to
/// switch it, and SQLite tells the losers "database is locked" at once,
/// without waiting out the busy timeout (a connection that holds a read
/// lock and wants a write lock could deadlock, so it is not made to wait).
#[cfg(feature = "sqlite")]
fn enter_wal(conn: &mut diesel::SqliteConnection, timeout: std::time::Duration) -> QueryResult<()> {
    let started = std::time::Instant::now();
    loop {
        match conn.batch_execute("PRAGMA journal_mode = WAL") {
            Err(diesel::result::Error::DatabaseError(_, info))
                if info.message().contains("locked") && started.elapsed() < timeout =>
            {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            done => return done,
        }
    }
}

#[cfg(feature = "postgres")]
impl EngineConnection for diesel::PgConnection {
    const BACKEND: Backend = Backend::Postgres;
    const MAX_BIND_PARAMETERS: usize = 65_535;

    /// Clears the enum type OIDs and the prepared statements (a statement
    /// prepared over a dropped type fails with "cached plan must not
    /// change result type"); a fresh statement cache names its statements
    /// on from where the old one stopped.
    fn forget_schema(&mut self) {
        use diesel::connection::{CacheSize, Connection};
        use diesel::pg::{GetPgMetadataCache, PgMetadataCache};
        *self.get_metadata_cache() = PgMetadataCache::new();
        self.set_prepared_statement_cache_size(CacheSize::Disabled);
        // Fails only in an aborted transaction, where the statements stay
        // prepared on the server, unused.
        let _ = self.batch_execute("DEALLOCATE ALL");
        self.set_prepared_statement_cache_size(CacheSize::Unbounded);
    }

    fn prepare(&mut self, shared: &Shared) -> QueryResult<()> {
        if shared.read_only {
            self.batch_execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")?;
        }
        Ok(())
    }

    fn begin_statements(options: &TransactionOptions) -> BeginStatements {
        let mut begin = "BEGIN".to_owned();
        if let Some(level) = options.isolation {
            begin.push_str(&format!(" ISOLATION LEVEL {}", level.sql()));
        }
        if options.read_only {
            begin.push_str(" READ ONLY");
        }
        BeginStatements { begin, ..BeginStatements::default() }
    }
}

/// The session `sql_mode` of every MySQL/MariaDB connection an engine
/// opens: the server's own modes plus those that make it refuse bad values.
#[cfg(feature = "mysql")]
pub const MYSQL_SQL_MODE: &str = "SET SESSION sql_mode = CONCAT_WS(',', @@SESSION.sql_mode, \
     'STRICT_TRANS_TABLES', 'STRICT_ALL_TABLES', 'NO_ZERO_DATE', 'NO_ZERO_IN_DATE', 'ERROR_FOR_DIVISION_BY_ZERO')";

#[cfg(feature = "mysql")]
impl EngineConnection for diesel::MysqlConnection {
    const BACKEND: Backend = Backend::Mysql;
    const MAX_BIND_PARAMETERS: usize = 65_535;

    /// Strict about values: refuse rather than store a zero date or a
    /// truncated value, for every table engine (see docs/values.md).
    fn prepare(&mut self, shared: &Shared) -> QueryResult<()> {
        self.batch_execute(MYSQL_SQL_MODE)?;
        if shared.read_only {
            self.batch_execute("SET SESSION TRANSACTION READ ONLY")?;
        }
        Ok(())
    }

    fn begin_statements(options: &TransactionOptions) -> BeginStatements {
        let before =
            options.isolation.map(|l| format!("SET TRANSACTION ISOLATION LEVEL {}", l.sql())).into_iter().collect();
        let begin = if options.read_only { "START TRANSACTION READ ONLY" } else { "START TRANSACTION" };
        BeginStatements { before, begin: begin.into(), after: Vec::new() }
    }
}
