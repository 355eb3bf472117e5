//! The bench's own databases: a SQLite file, and on the PostgreSQL and
//! MySQL/MariaDB servers of `QUARRY_TEST_POSTGRES_URL` /
//! `QUARRY_TEST_MYSQL_URL` a database created next to the URL's and
//! dropped again (as `benches/loading.rs` does).

use std::path::PathBuf;

use diesel::{Connection, RunQueryDsl};

use crate::Result;

pub use quarry::engine::Backend;

/// What the bench adds to quarry's [`Backend`]: the page's name for it and
/// where its server's URL comes from.
pub trait BenchBackend: Copy {
    /// The name headings and charts use: `SQLite`, `PostgreSQL`, `MySQL/MariaDB`.
    fn title(self) -> &'static str;
    /// The variable naming the server's URL (none for SQLite).
    fn url_variable(self) -> Option<&'static str>;
    /// The server's URL from the environment, when set and not blank.
    fn server_url(self) -> Option<String> {
        let variable = self.url_variable()?;
        std::env::var(variable).ok().filter(|url| !url.trim().is_empty())
    }
}

impl BenchBackend for Backend {
    fn title(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
            Backend::Mysql => "MySQL/MariaDB",
        }
    }

    fn url_variable(self) -> Option<&'static str> {
        match self {
            Backend::Sqlite => None,
            Backend::Postgres => Some("QUARRY_TEST_POSTGRES_URL"),
            Backend::Mysql => Some("QUARRY_TEST_MYSQL_URL"),
        }
    }
}

/// A database of the bench's own; dropped (the file removed) on drop.
pub struct Database {
    pub backend: Backend,
    /// SQLite: the file's path; otherwise the server URL with the bench's
    /// database in it (what diesel, the drivers and sqlx take).
    pub url: String,
    /// The server's URL as given, to drop the database from.
    server_url: Option<String>,
    name: String,
}

impl Database {
    /// A fresh, empty database named `name` (a file `name-<pid>.sqlite3`
    /// in /dev/shm or the temporary folder for SQLite). For a server, its
    /// URL must be set: a set URL that cannot be reached is an error.
    pub fn create(backend: Backend, name: &str) -> Result<Database> {
        match backend {
            Backend::Sqlite => {
                let shm = PathBuf::from("/dev/shm");
                let dir = if shm.is_dir() { shm } else { std::env::temp_dir() };
                let path = dir.join(format!("{name}-{}.sqlite3", std::process::id()));
                remove_sqlite_files(&path);
                let url = path.to_str().ok_or("the temporary folder's path is not UTF-8")?.to_owned();
                Ok(Database { backend, url, server_url: None, name: name.to_owned() })
            }
            Backend::Postgres | Backend::Mysql => {
                let variable = backend.url_variable().expect("a server backend");
                let server = backend.server_url().ok_or_else(|| format!("{variable} is not set"))?;
                let statements = [format!("DROP DATABASE IF EXISTS {name}"), format!("CREATE DATABASE {name}")];
                run_on_server(backend, &server, &statements)
                    .map_err(|e| format!("{variable}={server} is set but the bench cannot use it: {e}"))?;
                Ok(Database {
                    backend,
                    url: with_database(&server, name),
                    server_url: Some(server),
                    name: name.to_owned(),
                })
            }
        }
    }

    /// quarry's URL for it (SQLAlchemy's form: four slashes before an
    /// absolute SQLite path).
    pub fn quarry_url(&self) -> String {
        match self.backend {
            Backend::Sqlite => format!("sqlite:///{}", self.url),
            _ => self.url.clone(),
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        match &self.server_url {
            None => remove_sqlite_files(std::path::Path::new(&self.url)),
            Some(server) => {
                if let Err(error) =
                    run_on_server(self.backend, server, &[format!("DROP DATABASE IF EXISTS {}", self.name)])
                {
                    eprintln!("note: could not drop the bench database {}: {error}", self.name);
                }
            }
        }
    }
}

fn remove_sqlite_files(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}

/// Runs `statements` on the server at `url` (its own database).
fn run_on_server(backend: Backend, url: &str, statements: &[String]) -> Result<()> {
    fn run<C: Connection>(url: &str, statements: &[String]) -> Result<()>
    where
        diesel::query_builder::SqlQuery: diesel::query_dsl::methods::ExecuteDsl<C>,
    {
        let mut conn = C::establish(url)?;
        for statement in statements {
            diesel::sql_query(statement).execute(&mut conn)?;
        }
        Ok(())
    }
    match backend {
        Backend::Postgres => run::<diesel::PgConnection>(url, statements),
        Backend::Mysql => run::<diesel::MysqlConnection>(url, statements),
        Backend::Sqlite => unreachable!("SQLite has no server"),
    }
}

/// `url` with its database replaced by `database`.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let start = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[start..].find('/').map_or(base.len(), |i| start + i);
    let mut out = format!("{}/{database}", &base[..host_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// The settings every contender's SQLite connection gets, quarry's own
/// (`Engine` runs these on each new connection): the same for all.
pub const SQLITE_PRAGMAS: &str =
    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
