//! Database URLs, read as SQLAlchemy reads them: which backend, and what
//! its driver is given.

mod sqlite;

use std::path::PathBuf;
use std::time::Duration;

use quarry_schema::Backend;

use self::sqlite::SqliteUrl;
use crate::error::{Error, Result};

/// A parsed database URL, in SQLAlchemy's form
/// `dialect[+driver]://user:password@host:port/database?query`.
///
/// | URL | backend | driver gets |
/// |---|---|---|
/// | `sqlite:///app.db`, `sqlite:///data/app.db` | SQLite | a path relative to the working directory |
/// | `sqlite:////var/lib/app.db` (four slashes) | SQLite | the absolute path `/var/lib/app.db` |
/// | `sqlite://`, `sqlite:///:memory:` | SQLite | `:memory:` (one database per connection) |
/// | `sqlite:///file:app.db?mode=ro&uri=true` | SQLite | the SQLite URI `file:app.db?mode=ro` |
/// | `postgresql://…`, `postgres://…` | PostgreSQL | the URL |
/// | `mysql://…`, `mariadb://…` | MySQL/MariaDB | the URL, as `mysql://` |
///
/// A driver after `+` (`postgresql+psycopg2://`, `mysql+pymysql://`,
/// `sqlite+pysqlite://`, …) is accepted and ignored: quarry has one driver
/// per backend, so a URL copied from an Alembic `.ini` works as it is.
///
/// A SQLite URL takes no host, user or port: `sqlite://app.db` (two
/// slashes) is refused with the valid forms, as SQLAlchemy refuses it, and
/// so are `sqlite:app.db` and `sqlite::memory:`, which SQLAlchemy cannot
/// read. Its query is read as SQLAlchemy's pysqlite dialect reads it:
/// `uri=true` makes the database an SQLite URI and passes the other
/// parameters to it; `timeout` (seconds) is the busy timeout, unless
/// [`EngineBuilder::sqlite_busy_timeout`](super::EngineBuilder::sqlite_busy_timeout)
/// sets one (as `connect_args` wins over the URL in SQLAlchemy);
/// `check_same_thread`, `isolation_level`, `detect_types` and
/// `cached_statements`, which configure Python's `sqlite3`, are ignored;
/// an SQLite URI parameter without `uri=true` (SQLAlchemy drops it
/// silently) is refused.
///
/// ```
/// use quarry::engine::{Backend, DatabaseUrl};
///
/// let url = DatabaseUrl::parse("sqlite:///data/app.db").unwrap();
/// assert_eq!((url.backend(), url.driver_url()), (Backend::Sqlite, "data/app.db"));
/// assert_eq!(DatabaseUrl::parse("sqlite:////var/lib/app.db").unwrap().driver_url(), "/var/lib/app.db");
/// assert!(DatabaseUrl::parse("sqlite://").unwrap().is_memory());
/// let url = DatabaseUrl::parse("postgresql+psycopg2://app@localhost/shop").unwrap();
/// assert_eq!(url.driver_url(), "postgresql://app@localhost/shop");
/// let url = DatabaseUrl::parse("mariadb+mariadbconnector://root@localhost/shop").unwrap();
/// assert_eq!(url.driver_url(), "mysql://root@localhost/shop");
/// let refused = DatabaseUrl::parse("sqlite://app.db").unwrap_err().to_string();
/// assert!(refused.contains("write sqlite:///app.db"), "{refused}");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    backend: Backend,
    driver_url: String,
    /// SQLite's reading of the URL.
    sqlite: Option<SqliteUrl>,
}

impl DatabaseUrl {
    /// Reads a URL; the scheme names the backend.
    pub fn parse(url: &str) -> Result<Self> {
        let invalid = |reason: &str| Error::InvalidUrl { url: redact(url), reason: reason.to_owned() };
        let Some((scheme, rest)) = url.split_once("://") else {
            let sqlite = url.split_once(':').is_some_and(|(scheme, _)| dialect(scheme).0 == "sqlite");
            return Err(invalid(&if sqlite {
                format!("a SQLite URL has `//` after `sqlite:`; {}", sqlite::FORMS)
            } else {
                "no scheme: expected sqlite://, postgresql:// or mysql://".to_owned()
            }));
        };
        let (dialect, driver) = dialect(scheme);
        if driver.is_some_and(|d| d.is_empty() || !d.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')) {
            return Err(invalid(&format!("`{scheme}`: the driver after `+` is a name of letters, digits and `_`")));
        }
        let (backend, driver_url, sqlite) = match dialect.as_str() {
            "sqlite" => {
                let parsed = SqliteUrl::parse(rest).map_err(|reason| invalid(&reason))?;
                (Backend::Sqlite, parsed.driver_url(), Some(parsed))
            }
            "postgres" | "postgresql" => (Backend::Postgres, format!("{dialect}://{rest}"), None),
            "mysql" | "mariadb" => (Backend::Mysql, format!("mysql://{rest}"), None),
            other => {
                return Err(invalid(&format!(
                    "unknown scheme `{other}`: expected sqlite, postgresql, postgres, mysql or mariadb"
                )))
            }
        };
        Ok(DatabaseUrl { backend, driver_url, sqlite })
    }

    /// The URL in the `DATABASE_URL` environment variable.
    pub fn from_env() -> Result<Self> {
        let url = std::env::var("DATABASE_URL")
            .map_err(|_| Error::InvalidUrl { url: String::new(), reason: "DATABASE_URL is not set".to_owned() })?;
        Self::parse(&url)
    }

    /// The backend the URL names.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// What the backend's driver connects with.
    pub fn driver_url(&self) -> &str {
        &self.driver_url
    }

    /// Whether this is an in-memory SQLite database.
    pub fn is_memory(&self) -> bool {
        self.sqlite.is_some() && self.sqlite_file().is_none()
    }

    /// The SQLite database file, as the URL names it (relative to the
    /// working directory, or absolute); `None` in memory and on the other
    /// backends.
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        self.sqlite.as_ref()?.file()
    }

    /// The URL's `timeout` for SQLite, if it gives one.
    pub(crate) fn sqlite_timeout(&self) -> Option<Duration> {
        self.sqlite.as_ref()?.timeout
    }

    /// What the driver connects with to read only: for a SQLite file, the
    /// file opened read-only (never created); otherwise the same.
    pub(crate) fn read_only_driver_url(&self) -> String {
        match &self.sqlite {
            Some(sqlite) => sqlite.read_only_driver_url(),
            None => self.driver_url.clone(),
        }
    }
}

/// The dialect of a scheme, lower-cased, and the driver after its `+`.
fn dialect(scheme: &str) -> (String, Option<&str>) {
    match scheme.split_once('+') {
        Some((dialect, driver)) => (dialect.to_ascii_lowercase(), Some(driver)),
        None => (scheme.to_ascii_lowercase(), None),
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseUrl").field("backend", &self.backend).field("url", &redact(&self.driver_url)).finish()
    }
}

/// The URL with its password replaced by `***`, for messages and logs.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((credentials, host)) = rest.split_once('@') else { return url.to_owned() };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests;
