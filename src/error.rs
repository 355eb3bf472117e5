//! quarry's error type, which classifies what the database says the way
//! SQLAlchemy's exception hierarchy does: integrity errors name their
//! constraint, operational errors say whether a retry may succeed.

use std::fmt;

use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// Everything that can go wrong in quarry.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A constraint refused the write: unique, foreign key, not null or check.
    #[error("{0}")]
    Integrity(IntegrityError),
    /// The database could not do the work now: connection failures by
    /// cause, pool timeout, lost connection, lock timeout, deadlock,
    /// serialization failure.
    #[error("{0}")]
    Operational(OperationalError),
    /// A value was refused because it would not be stored as it is: by
    /// quarry before anything was written (a decimal SQLite cannot hold
    /// exactly, a date outside a backend's range, JSON nested too deeply),
    /// or by the database (text too long, a number out of range, bytes that
    /// are not valid text). SQLAlchemy's `DataError`.
    #[error("{0}")]
    Data(DataError),
    /// A query that must return a row returned none.
    #[error("no row was found where one was required")]
    NotFound,
    /// A query that must return at most one row returned more.
    #[error("multiple rows were found where one was required")]
    MultipleResultsFound,
    /// A relation loaded a number of rows its kind does not allow: a
    /// required belongs_to whose parent is missing (foreign keys not
    /// enforced), a has_one with two rows.
    #[error("relation `{relation}` expected {expected} related row per row, found {found}")]
    RelatedRows { relation: &'static str, expected: &'static str, found: usize },
    /// Any other error the database or diesel reported.
    #[error("database error: {0}")]
    Database(DieselError),
    /// A DDL statement failed; names the statement.
    #[error("DDL statement failed: {source}\n  statement: {statement}")]
    Ddl {
        /// The statement that failed.
        statement: String,
        /// What the database said.
        source: DieselError,
    },
    /// A database URL quarry cannot use.
    #[error("invalid database URL `{url}`: {reason}")]
    InvalidUrl {
        /// The URL, with any password hidden.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A migration statement failed. Where DDL is transactional (SQLite,
    /// PostgreSQL) the whole migration was rolled back; on MySQL/MariaDB
    /// the statements before it stay applied (`applied` of them); an
    /// upgrade records them, and the next `upgrade` resumes after them.
    #[error("migration {version} failed at statement {}: {source}\n  statement: {statement}\n  {}", applied + 1, kept(*applied, *rolled_back))]
    Migration {
        version: String,
        /// Statements of the migration that ran before the failing one.
        applied: usize,
        /// Whether they were rolled back with it.
        rolled_back: bool,
        statement: String,
        source: DieselError,
    },
    /// An applied migration's `up.sql` is not what was applied.
    #[error("migration {version} was changed after it was applied: restore it, or add a new migration")]
    MigrationChanged { version: String },
    /// A session method that needs an open transaction was called without
    /// one (`commit`, `rollback`, `nested`, `begin_nested`).
    #[error("{operation} needs an open transaction: call begin or transaction first")]
    NoTransaction {
        /// The method called.
        operation: &'static str,
    },
    /// A session method was given a relation of a kind it cannot write
    /// (`add_child` with a `belongs_to` relation, ...), or one over a
    /// composite foreign key.
    #[error("{method} needs {expected} relation with a single-column foreign key; `{table}.{relation}` is {kind:?}")]
    WrongRelation {
        /// The session method.
        method: &'static str,
        /// The kinds it takes.
        expected: &'static str,
        /// The relation's table and field.
        table: &'static str,
        relation: &'static str,
        kind: crate::metadata::app::RelationKind,
    },
    /// A `Pending` row handle from an earlier flush was given to
    /// `add_child`, `add_with_parent` or `link`: that row is written, and
    /// its key is in that flush's `Flushed`.
    #[error(
        "Pending<{model}>#{slot} was written by an earlier flush: pass RowRef::existing(flushed.key(pending)) instead"
    )]
    FlushedPending { model: &'static str, slot: usize },
    /// `Session::reset_sequence` of a model whose key the database does
    /// not generate (a composite key, or one the caller always gives).
    #[error("`{model}` has no key the database generates: there is no sequence to move")]
    NoGeneratedKey { model: &'static str },
    /// `Session::upsert_on` with columns that are no primary key, unique
    /// constraint or unique index of the table.
    #[error("upsert on `{table}` ({columns}): these columns are no primary key, unique constraint or unique index of `{table}`")]
    NotAUniqueKey { table: &'static str, columns: String },
    /// `Session::upsert_on` on MySQL/MariaDB for a table where a row could
    /// repeat another unique key: `ON DUPLICATE KEY UPDATE` names no
    /// target, and would update on whichever key a row repeats.
    #[error(
        "upsert on `{table}`: MySQL/MariaDB update on whichever unique key a row repeats, and `{table}` also has {others}; \
         quarry refuses rather than update a row found by another key"
    )]
    UpsertTargetNotAlone { table: &'static str, others: String },
    /// A flush could not write its rows: why, and for which table.
    #[error("flush of `{table}`: {problem}")]
    Flush {
        /// The table whose rows could not be written.
        table: &'static str,
        problem: FlushProblem,
    },
    /// SQLite's foreign-key check after a migration found rows whose
    /// foreign keys point nowhere; the migration was rolled back.
    #[error("a migration left {rows} rows whose foreign keys point nowhere; it was rolled back")]
    MigrationBrokeForeignKeys { rows: i64 },
    /// The database records a migration the program does not embed.
    #[error("migration {version} is applied but not among the embedded migrations")]
    UnknownMigration { version: String },
    /// A revision target that names no revision, or several
    /// ([`quarry_schema::Error::UnknownRevision`], `AmbiguousRevision`, ...).
    #[error(transparent)]
    Revision(#[from] quarry_schema::Error),
    /// Another runner held this database's migration lock longer than the
    /// timeout (`quarry::migrate::Options::lock_timeout`); nothing ran.
    #[error(
        "could not get the migration lock within {waited:?}: another process is migrating this database; nothing ran"
    )]
    MigrationLockTimeout { waited: std::time::Duration },
    /// A partly applied migration cannot be reverted exactly: its
    /// `down.sql` does not say which statements revert which statement of
    /// `up.sql` (`-- reverts up.sql statement N` lines). Nothing changed.
    #[error("migration {version} is partly applied ({applied} of {total} statements) and its down.sql does not mark which statements revert which (`-- reverts up.sql statement N` lines); resume it with `quarry upgrade`, or undo those statements by hand and `quarry stamp` the revision before it")]
    PartialRevert { version: String, applied: usize, total: usize },
    /// An embedded migration has no script for the connected backend.
    #[error("migration {version} has no script for {backend}")]
    MissingScript { version: String, backend: &'static str },
    /// An async session's call could not run: the runtime is shutting
    /// down, or an earlier call panicked while it held the session (whose
    /// open transaction is rolled back when it is dropped).
    #[error("the async session cannot run this call: {reason}")]
    SessionUnusable { reason: &'static str },
}

/// Why a flush could not write its rows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FlushProblem {
    /// New rows wait for each other's keys in a cycle.
    #[error("rows wait for keys of rows that are not queued before them (a cycle of new rows)")]
    Cycle,
    /// A row is related to one whose key the flush does not know.
    #[error("a related row's key is unknown (was it queued in this session?)")]
    UnknownRelatedRow,
    /// The database handed back fewer keys than rows were inserted.
    #[error("the database returned {returned} keys for {inserted} rows")]
    MissingKeys { inserted: usize, returned: usize },
}

/// `Result` with quarry's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Whether running the same work again may succeed: deadlocks,
    /// serialization failures, lock and pool timeouts, lost connections,
    /// an unreachable server (see [`OperationalKind::is_retryable`]).
    pub fn is_retryable(&self) -> bool {
        matches!(self, Error::Operational(e) if e.retryable)
    }

    /// The data error, if this is one.
    pub fn data(&self) -> Option<&DataError> {
        match self {
            Error::Data(e) => Some(e),
            _ => None,
        }
    }

    /// The kind of operational error, if this is one.
    pub fn operational_kind(&self) -> Option<OperationalKind> {
        match self {
            Error::Operational(e) => Some(e.kind),
            _ => None,
        }
    }

    /// The integrity error, if this is one.
    pub fn integrity(&self) -> Option<&IntegrityError> {
        match self {
            Error::Integrity(e) => Some(e),
            _ => None,
        }
    }
}

/// Which kind of constraint refused a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IntegrityKind {
    Unique,
    ForeignKey,
    NotNull,
    Check,
}

/// A write a constraint refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrityError {
    pub kind: IntegrityKind,
    /// The constraint's name, when the backend reports it (PostgreSQL
    /// always; MySQL/MariaDB for unique, foreign key and check; SQLite for
    /// named checks).
    pub constraint: Option<String>,
    /// The database's own message.
    pub message: String,
}

impl fmt::Display for IntegrityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            IntegrityKind::Unique => "unique",
            IntegrityKind::ForeignKey => "foreign key",
            IntegrityKind::NotNull => "not null",
            IntegrityKind::Check => "check",
        };
        match &self.constraint {
            Some(name) => write!(f, "{kind} constraint `{name}` violated: {}", self.message),
            None => write!(f, "{kind} constraint violated: {}", self.message),
        }
    }
}

/// A value that was refused: see [`Error::Data`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    /// Whether quarry refused the value before sending it (`true`), or the
    /// database refused it (`false`).
    pub refused_by_quarry: bool,
    /// What is wrong with the value.
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "value refused: {}", self.message)
    }
}

/// What kept the database from doing the work.
///
/// [`is_retryable`](Self::is_retryable) says which kinds may succeed when
/// the same work runs again; docs/engine-and-session.md has a table of
/// what each backend reports for each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OperationalKind {
    /// A connection could not be made, for a reason none of the kinds
    /// below names (too many connections, TLS, ...).
    Connect,
    /// The server refused the credentials: wrong password, unknown user or
    /// role, a role that may not log in, no `pg_hba.conf` entry.
    Authentication,
    /// The server has no database of the URL's name.
    UnknownDatabase,
    /// Nothing answered at the URL's host and port: connection refused, no
    /// route to the host, a host name that does not resolve, a server
    /// starting up or shutting down.
    Unreachable,
    /// SQLite could not open the database file: its directory does not
    /// exist, or the file cannot be opened.
    MissingFile,
    /// No pooled connection became free within the pool timeout.
    PoolTimeout,
    /// The connection was lost mid-work: the server closed it, was
    /// restarted, or killed the session.
    ConnectionLost,
    /// A lock could not be taken in time (MySQL lock wait timeout,
    /// PostgreSQL `lock_timeout` and `NOWAIT`, SQLite "database is locked").
    LockTimeout,
    /// The database broke a deadlock by aborting this transaction.
    Deadlock,
    /// A serializable transaction conflicted with another.
    Serialization,
    /// A write in a read-only transaction.
    ReadOnly,
}

impl OperationalKind {
    /// Whether work that failed this way may succeed when run again: yes
    /// for lost connections, deadlocks, serialization failures, lock and
    /// pool timeouts, an unreachable server and other connection failures;
    /// no for refused credentials, an unknown database, a missing SQLite
    /// file and a write in a read-only transaction, which fail the same
    /// way until someone changes the configuration.
    pub fn is_retryable(self) -> bool {
        !matches!(
            self,
            OperationalKind::Authentication
                | OperationalKind::UnknownDatabase
                | OperationalKind::MissingFile
                | OperationalKind::ReadOnly
        )
    }
}

/// A failure of the database to do the work, rather than of the work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationalError {
    pub kind: OperationalKind,
    /// Whether the same work may succeed when retried.
    pub retryable: bool,
    /// What went wrong, with the driver's own message; for a connection
    /// failure, the URL (password hidden) too.
    pub message: String,
}

impl fmt::Display for OperationalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let retry = if self.retryable { " (retryable)" } else { "" };
        write!(f, "{:?}{retry}: {}", self.kind, self.message)
    }
}

impl OperationalError {
    pub(crate) fn new(kind: OperationalKind, message: impl Into<String>) -> Self {
        OperationalError { kind, retryable: kind.is_retryable(), message: message.into() }
    }
}

impl From<DieselError> for Error {
    fn from(error: DieselError) -> Self {
        classify(error)
    }
}

impl From<diesel::ConnectionError> for Error {
    fn from(error: diesel::ConnectionError) -> Self {
        connect_failure(None, error)
    }
}

/// A failed attempt to connect, sorted by its cause. `url` is the URL
/// with its password already hidden, for the message.
pub(crate) fn connect_failure(url: Option<&str>, error: diesel::ConnectionError) -> Error {
    use diesel::ConnectionError as E;
    let invalid_url = |reason: String| Error::InvalidUrl { url: url.unwrap_or_default().to_owned(), reason };
    let text = match error {
        E::InvalidConnectionUrl(reason) => return invalid_url(reason),
        E::InvalidCString(_) => return invalid_url(error.to_string()),
        E::BadConnection(text) => text,
        E::CouldntSetupConfiguration(error) => error.to_string(),
        other => other.to_string(),
    };
    // libpq ends its messages with a newline and indents its hints.
    let text = text.trim_end().replace("\n\t", " ").replace('\n', " ");
    if is_invalid_connection_option(&text) {
        return invalid_url(text);
    }
    let kind = connect_cause(&text).unwrap_or(OperationalKind::Connect);
    let message = match url {
        Some(url) => format!("cannot connect to {url}: {text}"),
        None => text,
    };
    Error::Operational(OperationalError::new(kind, message))
}

/// Why a connection failed, read from the driver's message: none of the
/// three drivers hands diesel a code for it (libpq's SQLSTATE and MySQL's
/// error number stay inside the driver). The texts are the English ones;
/// a PostgreSQL server with `lc_messages` in another language yields
/// [`OperationalKind::Connect`].
pub(crate) fn connect_cause(message: &str) -> Option<OperationalKind> {
    let lower = message.to_lowercase();
    let any = |needles: &[&str]| needles.iter().any(|needle| lower.contains(needle));
    let kind = if any(&["unable to open database file"]) {
        // SQLite's SQLITE_CANTOPEN.
        OperationalKind::MissingFile
    } else if any(&[
        "password authentication failed",
        "authentication failed",
        "no pg_hba.conf entry",
        "is not permitted to log in",
        "no password supplied",
        "permission denied for database",
        "access denied for user",
        "authentication plugin",
    ]) || (lower.contains("role \"") && lower.contains("does not exist"))
    {
        OperationalKind::Authentication
    } else if (lower.contains("database \"") && lower.contains("does not exist")) || any(&["unknown database"]) {
        OperationalKind::UnknownDatabase
    } else if any(&[
        "connection refused",
        "no route to host",
        "network is unreachable",
        "host is down",
        "could not translate host name",
        "name or service not known",
        "temporary failure in name resolution",
        "nodename nor servname",
        "unknown server host",
        "unknown mysql server host",
        "can't connect to",
        "timeout expired",
        "timed out",
        "the database system is starting up",
        "the database system is shutting down",
        "the database system is in recovery mode",
        // libpq, for a Unix socket no server listens on.
        "no such file or directory",
    ]) {
        OperationalKind::Unreachable
    } else {
        return None;
    };
    Some(kind)
}

/// libpq's complaints about the URL itself, which no retry mends.
fn is_invalid_connection_option(message: &str) -> bool {
    let lower = message.to_lowercase();
    [
        "invalid connection option",
        "invalid uri",
        "invalid integer value",
        "invalid port number",
        "invalid sslmode value",
    ]
    .iter()
    .any(|needle| lower.contains(needle))
}

/// Whether `error` says the connection to the server is gone, so that the
/// connection is of no further use.
pub(crate) fn is_connection_lost(error: &DieselError) -> bool {
    match error {
        DieselError::DatabaseError(kind, info) => {
            operational_kind(*kind, info.message()) == Some(OperationalKind::ConnectionLost)
        }
        _ => false,
    }
}

/// The operational kind of a database error, if it is one.
///
/// Mostly read from the message: diesel keeps neither PostgreSQL's SQLSTATE
/// nor MySQL's error number, labels MySQL's deadlock (1213) a
/// serialization failure, and has no label for MySQL's lost connections.
fn operational_kind(kind: DatabaseErrorKind, message: &str) -> Option<OperationalKind> {
    let lower = message.to_lowercase();
    let any = |needles: &[&str]| needles.iter().any(|needle| lower.contains(needle));
    let kind = if any(&["deadlock"]) {
        // PostgreSQL 40P01 "deadlock detected"; MySQL 1213 "Deadlock found
        // when trying to get lock", which diesel calls a serialization failure.
        OperationalKind::Deadlock
    } else if matches!(kind, DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand)
        || any(&[
            // MySQL/MariaDB client errors 2006, 2013, 2055; server 1927, 4031.
            "server has gone away",
            "lost connection to",
            "connection was killed",
            "disconnected by the server",
            // libpq.
            "server closed the connection unexpectedly",
            "terminating connection",
            "no connection to the server",
            "could not receive data from server",
            "could not send data to server",
            "connection to server was lost",
        ])
    {
        OperationalKind::ConnectionLost
    } else if any(&[
        // SQLite SQLITE_BUSY and SQLITE_LOCKED.
        "database is locked",
        "database table is locked",
        // MySQL 1205.
        "lock wait timeout",
        // PostgreSQL 55P03: `lock_timeout`, `NOWAIT`.
        "due to lock timeout",
        "could not obtain lock",
        // MySQL 8 3572: `NOWAIT`.
        "could not be acquired immediately",
    ]) {
        OperationalKind::LockTimeout
    } else if kind == DatabaseErrorKind::SerializationFailure
        // MariaDB 1020 under innodb_snapshot_isolation.
        || any(&["could not serialize access", "record has changed since last read"])
    {
        OperationalKind::Serialization
    } else if kind == DatabaseErrorKind::ReadOnlyTransaction {
        OperationalKind::ReadOnly
    } else {
        return None;
    };
    Some(kind)
}

/// Sorts a diesel error into quarry's kinds, reading constraint names out
/// of the backend's message where its driver does not hand them over.
fn classify(error: DieselError) -> Error {
    let (kind, info) = match &error {
        DieselError::NotFound => return Error::NotFound,
        DieselError::SerializationError(cause) => {
            return Error::Data(DataError { refused_by_quarry: true, message: cause.to_string() })
        }
        DieselError::DatabaseError(kind, info) => (*kind, info),
        _ => return Error::Database(error),
    };
    let message = info.message().to_owned();
    if let Some(operational) = operational_kind(kind, &message) {
        return Error::Operational(OperationalError::new(operational, message));
    }
    let integrity = |kind: IntegrityKind| {
        let constraint = info.constraint_name().map(str::to_owned).or_else(|| constraint_in_message(&message));
        Error::Integrity(IntegrityError { kind, constraint, message: message.clone() })
    };
    match kind {
        DatabaseErrorKind::UniqueViolation => integrity(IntegrityKind::Unique),
        DatabaseErrorKind::ForeignKeyViolation => integrity(IntegrityKind::ForeignKey),
        DatabaseErrorKind::NotNullViolation => integrity(IntegrityKind::NotNull),
        DatabaseErrorKind::CheckViolation => integrity(IntegrityKind::Check),
        _ => {
            let lower = message.to_lowercase();
            if lower.contains("check constraint")
                // MariaDB: "CONSTRAINT `ck_...` failed for `db`.`table`"
                || (lower.starts_with("constraint") && lower.contains("failed for"))
            {
                integrity(IntegrityKind::Check)
            } else if lower.contains("cannot be null") || lower.contains("doesn't have a default value") {
                integrity(IntegrityKind::NotNull)
            } else if lower.contains("duplicate entry") {
                integrity(IntegrityKind::Unique)
            } else if lower.contains("foreign key constraint") {
                integrity(IntegrityKind::ForeignKey)
            } else if is_data_error(&lower) {
                Error::Data(DataError { refused_by_quarry: false, message: message.clone() })
            } else if lower.contains("read-only") || lower.contains("read only") || lower.contains("readonly") {
                Error::Operational(OperationalError::new(OperationalKind::ReadOnly, message.clone()))
            } else {
                Error::Database(error)
            }
        }
    }
}

/// Whether a database message says a value was refused (PostgreSQL's
/// SQLSTATE class 22, MySQL's "data too long" and "out of range", SQLite's
/// "too big").
fn is_data_error(lower: &str) -> bool {
    const MARKERS: &[&str] = &[
        "data too long",
        "out of range",
        "value too long",
        "numeric field overflow",
        "invalid byte sequence",
        "incorrect datetime value",
        "incorrect date value",
        "incorrect string value",
        "incorrect decimal value",
        "string or blob too big",
        "unsupported unicode escape sequence",
        "cannot contain nul",
    ];
    MARKERS.iter().any(|marker| lower.contains(marker))
}

/// The constraint name in a message from MySQL/MariaDB (``CONSTRAINT `fk` ``,
/// `for key 'uq'`, `constraint 'ck'`) or SQLite (`CHECK constraint failed: ck`).
fn constraint_in_message(message: &str) -> Option<String> {
    let after = |marker: &str, quotes: &[char]| -> Option<String> {
        let at = message.find(marker)? + marker.len();
        let rest = message[at..].trim_start();
        let quote = rest.chars().next().filter(|c| quotes.contains(c))?;
        let rest = &rest[quote.len_utf8()..];
        let end = rest.find(quote)?;
        Some(rest[..end].to_owned())
    };
    let name = after("CONSTRAINT", &['`', '\'', '"'])
        .or_else(|| after("for key", &['\'', '`']))
        .or_else(|| after("constraint", &['\'', '`', '"']))
        .or_else(|| {
            let rest = message.split_once("CHECK constraint failed:")?.1.trim();
            (!rest.is_empty()).then(|| rest.to_owned())
        })?;
    // MySQL 8 qualifies unique keys with their table: 'users.uq_users_name'.
    Some(name.rsplit_once('.').map_or(name.clone(), |(_, key)| key.to_owned()))
}

/// A stored text that is not a value of a schema enum: what the generated
/// enums' `FromStr` (and so reading a row) reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEnumValue {
    enum_name: &'static str,
    value: String,
}

impl UnknownEnumValue {
    #[doc(hidden)]
    pub fn new(enum_name: &'static str, value: &str) -> Self {
        UnknownEnumValue { enum_name, value: value.to_owned() }
    }

    /// The enum's Rust name.
    pub fn enum_name(&self) -> &'static str {
        self.enum_name
    }

    /// The text that matched no value.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for UnknownEnumValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a value of {}", self.value, self.enum_name)
    }
}

impl std::error::Error for UnknownEnumValue {}

/// What stays of a migration that failed after `applied` statements.
fn kept(applied: usize, rolled_back: bool) -> String {
    match (applied, rolled_back) {
        (_, true) => "rolled back with every migration this run applied: the database is as it was".to_owned(),
        (0, false) => "nothing of the migration was applied".to_owned(),
        (n, false) => format!("the {n} statement(s) before it stay applied: DDL is not transactional on this backend"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Messages as the drivers word them (libpq, libmariadb, SQLite),
    /// taken from the live tests in tests/integration/engine/failures.rs and from the
    /// servers' error references.
    #[test]
    fn names_the_cause_of_a_failed_connection() {
        use OperationalKind::*;
        let cases = [
            ("connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password authentication failed for user \"app\"", Some(Authentication)),
            ("connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  role \"app\" does not exist", Some(Authentication)),
            ("connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  role \"app\" is not permitted to log in", Some(Authentication)),
            ("connection to server at \"::1\", port 5432 failed: FATAL:  no pg_hba.conf entry for host \"::1\", user \"app\", database \"shop\", no encryption", Some(Authentication)),
            ("Access denied for user 'app'@'127.0.0.1' (using password: YES)", Some(Authentication)),
            ("Access denied for user 'app'@'%' to database 'shop'", Some(Authentication)),
            ("connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  database \"shop\" does not exist", Some(UnknownDatabase)),
            ("Unknown database 'shop'", Some(UnknownDatabase)),
            ("connection to server at \"127.0.0.1\", port 1 failed: Connection refused", Some(Unreachable)),
            ("could not translate host name \"db.invalid\" to address: Name or service not known", Some(Unreachable)),
            ("connection to server on socket \"/run/postgresql/.s.PGSQL.5432\" failed: No such file or directory", Some(Unreachable)),
            ("connection to server at \"10.0.0.9\", port 5432 failed: timeout expired", Some(Unreachable)),
            ("connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  the database system is starting up", Some(Unreachable)),
            ("Can't connect to server on '127.0.0.1' (111)", Some(Unreachable)),
            ("Unknown server host 'db.invalid' (-2)", Some(Unreachable)),
            ("unable to open database file", Some(MissingFile)),
            ("connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  sorry, too many clients already", None),
            ("Too many connections", None),
        ];
        for (message, expected) in cases {
            assert_eq!(connect_cause(message), expected, "{message}");
        }
    }

    #[test]
    fn a_connection_failure_keeps_the_drivers_words_and_the_url() {
        let error = diesel::ConnectionError::BadConnection(
            "connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\n".into(),
        );
        let error = connect_failure(Some("postgres://app:***@127.0.0.1:1/shop"), error);
        assert_eq!(
            error.to_string(),
            "Unreachable (retryable): cannot connect to postgres://app:***@127.0.0.1:1/shop: connection to server at \"127.0.0.1\", port 1 failed: Connection refused Is the server running on that host and accepting TCP/IP connections?"
        );
        let error = connect_failure(None, diesel::ConnectionError::InvalidConnectionUrl("no host".into()));
        assert!(matches!(error, Error::InvalidUrl { .. }), "{error:?}");
        let error = diesel::ConnectionError::BadConnection("invalid connection option \"colour\"\n".into());
        assert!(matches!(connect_failure(Some("postgres://h/db"), error), Error::InvalidUrl { .. }));
    }

    /// diesel's label where it has one, the message where it has none or
    /// the wrong one (MySQL's deadlock is a "serialization failure" to it).
    #[test]
    fn names_what_kept_the_database_from_the_work() {
        use DatabaseErrorKind as D;
        use OperationalKind::*;
        let cases = [
            (D::Unknown, "deadlock detected", Some(Deadlock)),
            (
                D::SerializationFailure,
                "Deadlock found when trying to get lock; try restarting transaction",
                Some(Deadlock),
            ),
            (D::Unknown, "Deadlock found when trying to get lock; try restarting transaction", Some(Deadlock)),
            (D::SerializationFailure, "could not serialize access due to concurrent update", Some(Serialization)),
            (D::Unknown, "Record has changed since last read in table 't'", Some(Serialization)),
            (D::ClosedConnection, "server closed the connection unexpectedly", Some(ConnectionLost)),
            (D::Unknown, "terminating connection due to administrator command", Some(ConnectionLost)),
            (D::Unknown, "Server has gone away", Some(ConnectionLost)),
            (D::Unknown, "MySQL server has gone away", Some(ConnectionLost)),
            (D::Unknown, "Lost connection to server during query", Some(ConnectionLost)),
            (D::Unknown, "Lost connection to MySQL server during query", Some(ConnectionLost)),
            (D::Unknown, "Connection was killed", Some(ConnectionLost)),
            (D::Unknown, "Lock wait timeout exceeded; try restarting transaction", Some(LockTimeout)),
            (D::Unknown, "canceling statement due to lock timeout", Some(LockTimeout)),
            (D::Unknown, "could not obtain lock on row in relation \"t\"", Some(LockTimeout)),
            (D::Unknown, "database is locked", Some(LockTimeout)),
            (D::ReadOnlyTransaction, "cannot execute INSERT in a read-only transaction", Some(ReadOnly)),
            (D::Unknown, "syntax error at or near \"SELEC\"", None),
        ];
        for (kind, message, expected) in cases {
            assert_eq!(operational_kind(kind, message), expected, "{message}");
            let error = classify(DieselError::DatabaseError(kind, Box::new(message.to_owned())));
            assert_eq!(error.operational_kind(), expected, "{message}");
        }
    }

    #[test]
    fn only_failures_a_retry_cannot_mend_are_not_retryable() {
        use OperationalKind::*;
        let not_retryable = [Authentication, UnknownDatabase, MissingFile, ReadOnly];
        let retryable = [Connect, Unreachable, PoolTimeout, ConnectionLost, LockTimeout, Deadlock, Serialization];
        assert!(not_retryable.iter().all(|k| !k.is_retryable()));
        assert!(retryable.iter().all(|k| k.is_retryable()));
    }

    #[test]
    fn reads_constraint_names_out_of_messages() {
        let cases = [
            ("Duplicate entry 'ada' for key 'uq_users_name'", Some("uq_users_name")),
            ("Duplicate entry 'ada' for key 'users.uq_users_name'", Some("uq_users_name")),
            (
                "Cannot add or update a child row: a foreign key constraint fails (`t`.`articles`, CONSTRAINT `fk_articles_author_id_authors` FOREIGN KEY ...)",
                Some("fk_articles_author_id_authors"),
            ),
            ("CONSTRAINT `ck_products_price` failed for `test`.`products`", Some("ck_products_price")),
            ("Check constraint 'ck_products_price' is violated.", Some("ck_products_price")),
            ("CHECK constraint failed: ck_products_price", Some("ck_products_price")),
            ("UNIQUE constraint failed: users.name", None),
        ];
        for (message, expected) in cases {
            assert_eq!(constraint_in_message(message).as_deref(), expected, "{message}");
        }
    }
}
