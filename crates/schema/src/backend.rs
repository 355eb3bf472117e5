//! The database backends quarry supports.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Error;

/// A database backend: the one type codegen, runtime and CLI name it by.
///
/// ```
/// use quarry_schema::Backend;
/// assert_eq!("mariadb".parse::<Backend>().unwrap(), Backend::Mysql);
/// assert_eq!(Backend::Postgres.name(), "postgres");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Sqlite,
    Postgres,
    /// MySQL and MariaDB.
    Mysql,
}

impl Backend {
    /// Every backend, in the order migration folders and metadata list them.
    pub const ALL: [Backend; 3] = [Backend::Sqlite, Backend::Postgres, Backend::Mysql];

    /// The lower-case name, also the migrations subfolder: `sqlite`,
    /// `postgres`, `mysql`.
    pub const fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
            Backend::Mysql => "mysql",
        }
    }

    /// Whether DDL statements take part in transactions (SQLite and
    /// PostgreSQL: yes; MySQL/MariaDB commit each one implicitly).
    pub const fn transactional_ddl(self) -> bool {
        !matches!(self, Backend::Mysql)
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Backend {
    type Err = Error;

    /// Reads a backend name or URL scheme: `sqlite`, `postgres` or
    /// `postgresql`, `mysql` or `mariadb`.
    fn from_str(name: &str) -> Result<Self, Error> {
        match name {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            "mysql" | "mariadb" => Ok(Backend::Mysql),
            other => Err(Error::UnknownBackend { name: other.to_owned() }),
        }
    }
}
