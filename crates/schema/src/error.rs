//! The one error type of quarry-schema.

use std::path::PathBuf;

/// What went wrong reading a backend name, a snapshot or a migrations folder.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A backend name that is none of `sqlite`, `postgres`, `mysql`.
    #[error("unknown backend `{name}`: expected sqlite, postgres or mysql")]
    UnknownBackend { name: String },
    /// A snapshot that is not JSON of any known format.
    #[error("{path}: not a quarry schema snapshot: {source}")]
    BadSnapshot {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    /// A snapshot written by a newer quarry.
    #[error("{path}: snapshot format {found} is newer than this quarry reads (up to {newest}); upgrade quarry")]
    NewerSnapshot { path: PathBuf, found: u64, newest: u64 },
    /// A file or folder that could not be read or written.
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A migrations folder that does not exist.
    #[error("no migrations folder at {path} (`quarry init` makes one)")]
    NoMigrationsFolder { path: PathBuf },
    /// A revision folder (`<backend>/<version>_<name>/`) without `up.sql`.
    #[error("{dir}: a revision folder without up.sql")]
    MissingUpSql { dir: PathBuf },
    /// A folder in a backend folder whose name gives no usable version.
    #[error("{dir}: not a revision folder `<version>_<name>`: {reason}")]
    BadRevisionFolder { dir: PathBuf, reason: &'static str },
    /// Two revision folders with one version: in one backend folder, or in
    /// two with different names.
    #[error("{first} and {second} both have version {version}: one revision has one name in every backend folder, and each revision its own version")]
    DuplicateVersion { version: String, first: PathBuf, second: PathBuf },
}

/// `Result` with quarry-schema's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
