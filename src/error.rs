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
    /// The database could not do the work now: connection, pool timeout,
    /// lock timeout, deadlock, serialization failure.
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
    /// A migration statement failed. On MySQL/MariaDB the statements
    /// before it stay applied (`applied` of them) and are recorded.
    #[error("migration {version} failed at statement {} ({applied} applied before it): {source}\n  statement: {statement}", applied + 1)]
    Migration {
        version: String,
        /// Statements of the migration that ran before the failing one.
        applied: usize,
        statement: String,
        source: DieselError,
    },
    /// An applied migration's `up.sql` is not what was applied.
    #[error("migration {version} was changed after it was applied: restore it, or add a new migration")]
    MigrationChanged { version: String },
    /// The session was used in a way its state does not allow, such as
    /// committing without a transaction.
    #[error("{0}")]
    InvalidState(&'static str),
}

/// `Result` with quarry's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Whether running the same work again may succeed: deadlocks,
    /// serialization failures, lock and pool timeouts, lost connections.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OperationalKind {
    /// A connection could not be made.
    Connect,
    /// No pooled connection became free within the pool timeout.
    PoolTimeout,
    /// The connection was lost mid-work.
    ConnectionLost,
    /// A lock could not be taken in time (MySQL lock wait timeout,
    /// SQLite "database is locked").
    LockTimeout,
    /// The database broke a deadlock by aborting this transaction.
    Deadlock,
    /// A serializable transaction conflicted with another.
    Serialization,
    /// A write in a read-only transaction.
    ReadOnly,
}

/// A failure of the database to do the work, rather than of the work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationalError {
    pub kind: OperationalKind,
    /// Whether the same work may succeed when retried.
    pub retryable: bool,
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
        let retryable = !matches!(kind, OperationalKind::ReadOnly);
        OperationalError { kind, retryable, message: message.into() }
    }
}

impl From<DieselError> for Error {
    fn from(error: DieselError) -> Self {
        classify(error)
    }
}

impl From<diesel::ConnectionError> for Error {
    fn from(error: diesel::ConnectionError) -> Self {
        Error::Operational(OperationalError::new(OperationalKind::Connect, error.to_string()))
    }
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
    let integrity = |kind: IntegrityKind| {
        let constraint = info.constraint_name().map(str::to_owned).or_else(|| constraint_in_message(&message));
        Error::Integrity(IntegrityError { kind, constraint, message: message.clone() })
    };
    let operational = |kind: OperationalKind| Error::Operational(OperationalError::new(kind, message.clone()));
    match kind {
        DatabaseErrorKind::UniqueViolation => integrity(IntegrityKind::Unique),
        DatabaseErrorKind::ForeignKeyViolation => integrity(IntegrityKind::ForeignKey),
        DatabaseErrorKind::NotNullViolation => integrity(IntegrityKind::NotNull),
        DatabaseErrorKind::CheckViolation => integrity(IntegrityKind::Check),
        DatabaseErrorKind::SerializationFailure => operational(OperationalKind::Serialization),
        DatabaseErrorKind::ReadOnlyTransaction => operational(OperationalKind::ReadOnly),
        DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand => {
            operational(OperationalKind::ConnectionLost)
        }
        _ => {
            let lower = message.to_lowercase();
            if lower.contains("deadlock") {
                operational(OperationalKind::Deadlock)
            } else if lower.contains("database is locked") || lower.contains("lock wait timeout") {
                operational(OperationalKind::LockTimeout)
            } else if lower.contains("check constraint")
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
                operational(OperationalKind::ReadOnly)
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

#[cfg(test)]
mod tests {
    use super::constraint_in_message;

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
