//! The one error type of quarry-schema.

use std::path::PathBuf;

use crate::migrations::Direction;

/// What went wrong reading a backend name, a snapshot, a migrations folder
/// or a revision target.
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
    /// Text that is not a revision target (or `FROM:TO` range of them).
    #[error("`{target}` is not a revision target (head, base, +N, -N or a version): {reason}")]
    BadTarget { target: String, reason: &'static str },
    /// A target naming a version no migration has.
    #[error("no revision `{revision}`: {}", revisions(known))]
    UnknownRevision {
        revision: String,
        /// The versions there are, in order.
        known: Vec<String>,
    },
    /// A version prefix that more than one revision starts with.
    #[error("`{revision}` could be any of {}: give more of the version", candidates.join(", "))]
    AmbiguousRevision {
        revision: String,
        /// The versions that start with it, in order.
        candidates: Vec<String>,
    },
    /// A relative target counting away from where the command goes
    /// (`upgrade -1`, `downgrade +1`).
    #[error("`{target}` counts {}", wrong_way(*direction))]
    WrongDirection { target: String, direction: Direction },
    /// A downgrade that would revert a version the database records as
    /// applied but no migration has.
    #[error("revision {version} is applied to the database but not among the migrations, so it cannot be reverted")]
    UnknownApplied { version: String },
}

fn revisions(known: &[String]) -> String {
    if known.is_empty() {
        "there are no revisions".to_owned()
    } else {
        format!("the revisions are {}", known.join(", "))
    }
}

/// Which way a relative target that does not fit `direction` counts, and
/// what fits.
fn wrong_way(direction: Direction) -> &'static str {
    match direction {
        Direction::Upgrade => "back: an upgrade takes +N",
        Direction::Downgrade => "forward: a downgrade takes -N",
    }
}

/// `Result` with quarry-schema's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
