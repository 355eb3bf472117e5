//! Database URLs: which backend, and what its driver is given.

use quarry_schema::Backend;

use crate::error::{Error, Result};

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
/// use quarry::engine::{Backend, DatabaseUrl};
///
/// let url = DatabaseUrl::parse("sqlite://data/app.db").unwrap();
/// assert_eq!((url.backend(), url.driver_url()), (Backend::Sqlite, "data/app.db"));
/// let url = DatabaseUrl::parse("mariadb://root@localhost/shop").unwrap();
/// assert_eq!(url.driver_url(), "mysql://root@localhost/shop");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    backend: Backend,
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
                (Backend::Sqlite, path.to_owned())
            }
            "postgres" | "postgresql" => (Backend::Postgres, url.to_owned()),
            "mysql" => (Backend::Mysql, url.to_owned()),
            "mariadb" => (Backend::Mysql, format!("mysql:{rest}")),
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
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// What the backend's driver connects with.
    pub fn driver_url(&self) -> &str {
        &self.driver_url
    }

    /// Whether this is an in-memory SQLite database.
    pub fn is_memory(&self) -> bool {
        self.backend == Backend::Sqlite && self.driver_url == ":memory:"
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
            ("sqlite://app.db", Backend::Sqlite, "app.db"),
            ("sqlite:app.db", Backend::Sqlite, "app.db"),
            ("sqlite:///tmp/app.db", Backend::Sqlite, "/tmp/app.db"),
            ("sqlite::memory:", Backend::Sqlite, ":memory:"),
            ("sqlite://:memory:", Backend::Sqlite, ":memory:"),
            ("postgres://u@h/db", Backend::Postgres, "postgres://u@h/db"),
            ("postgresql://u@h/db", Backend::Postgres, "postgresql://u@h/db"),
            ("mysql://u@h/db", Backend::Mysql, "mysql://u@h/db"),
            ("mariadb://u@h/db", Backend::Mysql, "mysql://u@h/db"),
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
