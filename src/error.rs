//! quarry's error type.

use std::fmt;

/// Everything that can go wrong in quarry.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database reported an error.
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
    /// A connection could not be established.
    #[error("cannot connect: {0}")]
    Connection(#[from] diesel::ConnectionError),
    /// A DDL statement failed; names the statement.
    #[error("DDL statement failed: {source}\n  statement: {statement}")]
    Ddl {
        /// The statement that failed.
        statement: String,
        /// What the database said.
        source: diesel::result::Error,
    },
}

/// `Result` with quarry's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

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
