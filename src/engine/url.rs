//! Database URLs: which backend, and what its driver is given.

use crate::error::{Error, Result};

/// A backend quarry can connect to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BackendKind {
    Sqlite,
    Postgres,
    Mysql,
}

impl BackendKind {
    /// `sqlite`, `postgres` or `mysql`.
    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Sqlite => "sqlite",
            BackendKind::Postgres => "postgres",
            BackendKind::Mysql => "mysql",
        }
    }
}

/// A parsed database URL.
///
/// | URL | backend | driver gets |
/// |---|---|---|
/// | `sqlite://app.db`, `sqlite:app.db`, `sqlite:///abs/app.db` | SQLite | the file path |
/// | `sqlite::memory:`, `sqlite://:memory:` | SQLite | `:memory:` (one database per connection) |
/// | `postgres://…`, `postgresql://…` | PostgreSQL | the URL |
/// | `mysql://…`, `mariadb://…` | MySQL/MariaDB | the URL, as `mysql://` |
///
/// ```
/// use quarry::engine::{BackendKind, DatabaseUrl};
///
/// let url = DatabaseUrl::parse("sqlite://data/app.db").unwrap();
/// assert_eq!((url.backend(), url.driver_url()), (BackendKind::Sqlite, "data/app.db"));
/// let url = DatabaseUrl::parse("mariadb://root@localhost/shop").unwrap();
/// assert_eq!(url.driver_url(), "mysql://root@localhost/shop");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    backend: BackendKind,
    driver_url: String,
}

impl DatabaseUrl {
    /// Reads a URL; the scheme names the backend.
    pub fn parse(url: &str) -> Result<Self> {
        let invalid = |reason: &str| Error::InvalidUrl { url: redact(url), reason: reason.to_owned() };
        let (scheme, rest) =
            url.split_once(':').ok_or_else(|| invalid("no scheme: expected sqlite:, postgres: or mysql:"))?;
        let (backend, driver_url) = match scheme.to_ascii_lowercase().as_str() {
            "sqlite" => {
                let path = rest.strip_prefix("//").unwrap_or(rest);
                if path.is_empty() {
                    return Err(invalid("no database file: write sqlite://path/to/file.db or sqlite::memory:"));
                }
                (BackendKind::Sqlite, path.to_owned())
            }
            "postgres" | "postgresql" => (BackendKind::Postgres, url.to_owned()),
            "mysql" => (BackendKind::Mysql, url.to_owned()),
            "mariadb" => (BackendKind::Mysql, format!("mysql:{rest}")),
            other => {
                return Err(invalid(&format!(
                    "unknown scheme `{other}`: expected sqlite, postgres, postgresql, mysql or mariadb"
                )))
            }
        };
        Ok(DatabaseUrl { backend, driver_url })
    }

    /// The URL in the `DATABASE_URL` environment variable.
    pub fn from_env() -> Result<Self> {
        let url = std::env::var("DATABASE_URL")
            .map_err(|_| Error::InvalidUrl { url: String::new(), reason: "DATABASE_URL is not set".to_owned() })?;
        Self::parse(&url)
    }

    /// The backend the URL names.
    pub fn backend(&self) -> BackendKind {
        self.backend
    }

    /// What the backend's driver connects with.
    pub fn driver_url(&self) -> &str {
        &self.driver_url
    }

    /// Whether this is an in-memory SQLite database.
    pub fn is_memory(&self) -> bool {
        self.backend == BackendKind::Sqlite && self.driver_url == ":memory:"
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
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        let cases = [
            ("sqlite://app.db", BackendKind::Sqlite, "app.db"),
            ("sqlite:app.db", BackendKind::Sqlite, "app.db"),
            ("sqlite:///tmp/app.db", BackendKind::Sqlite, "/tmp/app.db"),
            ("sqlite::memory:", BackendKind::Sqlite, ":memory:"),
            ("sqlite://:memory:", BackendKind::Sqlite, ":memory:"),
            ("postgres://u@h/db", BackendKind::Postgres, "postgres://u@h/db"),
            ("postgresql://u@h/db", BackendKind::Postgres, "postgresql://u@h/db"),
            ("mysql://u@h/db", BackendKind::Mysql, "mysql://u@h/db"),
            ("mariadb://u@h/db", BackendKind::Mysql, "mysql://u@h/db"),
        ];
        for (url, backend, driver) in cases {
            let parsed = DatabaseUrl::parse(url).unwrap();
            assert_eq!((parsed.backend(), parsed.driver_url()), (backend, driver), "{url}");
        }
    }

    #[test]
    fn rejects_what_it_cannot_use_and_hides_passwords() {
        let error = DatabaseUrl::parse("oracle://scott:tiger@h/db").unwrap_err().to_string();
        assert!(error.contains("unknown scheme `oracle`"), "{error}");
        assert!(!error.contains("tiger"), "{error}");
        assert!(DatabaseUrl::parse("no-scheme").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }
}
