//! The one error type of the `quarry` command.

use std::path::PathBuf;

/// Everything that can stop a `quarry` command, each naming what failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A command that needs a database was given none.
    #[error("no database: pass --url or set DATABASE_URL")]
    NoUrl,
    /// `--sql` without `--backend`, and no URL to take it from.
    #[error("--sql needs --backend (sqlite, postgres, mysql), or a --url or DATABASE_URL naming one")]
    NoBackend,
    /// The database at `url` could not be opened, or refused a command
    /// (the source names the migration and statement where there is one).
    #[error("{}", naming(url, source))]
    Database {
        /// The URL, with any password hidden.
        url: String,
        #[source]
        source: quarry::Error,
    },
    /// The migrations folder or the head snapshot could not be read or
    /// written, or a revision target is malformed or names no revision
    /// (the source names the path or the target).
    #[error(transparent)]
    Migrations(#[from] quarry_schema::Error),
    /// The schema folder could not be read, or the schema has mistakes
    /// (rendered rustc-style; see [`Error::report`]).
    #[error(transparent)]
    Schema(#[from] quarry_codegen::Error),
    /// `quarry init` on a migrations folder that has a snapshot already.
    #[error("{} is set up already", path.display())]
    AlreadyInitialized { path: PathBuf },
    /// There is no head snapshot.
    #[error("no snapshot at {} (run `quarry init` first)", path.display())]
    NoSnapshot { path: PathBuf },
    /// A folder or file could not be created or written.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done: `create the folder`, `write`.
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A `FROM:TO` range given to a command that runs against a database,
    /// which knows where it is.
    #[error("`{range}`: a FROM:TO range is for --sql; against a database, give only where to go")]
    RangeOnline { range: String },
    /// `stamp --sql` to `+N` or `-N`, which count from what the database
    /// holds: a script cannot know it.
    #[error("`{target}` counts from what the database holds: `stamp --sql` takes a version, head or base")]
    RelativeStampOffline { target: String },
}

/// `source`, after `url` unless it names the URL itself.
fn naming(url: &str, source: &quarry::Error) -> String {
    let message = source.to_string();
    if message.contains(url) {
        message
    } else {
        format!("{url}: {message}")
    }
}

/// `Result` with the command's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The error as the command prints it: rendered schema diagnostics as
    /// they are (each has its own `error:`), anything else after `error: `.
    /// The process's exit code: 2 for a command given wrongly (no
    /// database, a malformed, unknown or ambiguous revision target, a
    /// range where none is taken, a relative stamp offline), 1 for
    /// anything that failed.
    pub fn exit_code(&self) -> u8 {
        use quarry_schema::Error as Revisions;
        let usage = |error: &Revisions| {
            matches!(
                error,
                Revisions::BadTarget { .. }
                    | Revisions::UnknownRevision { .. }
                    | Revisions::AmbiguousRevision { .. }
                    | Revisions::WrongDirection { .. }
            )
        };
        match self {
            Error::NoUrl | Error::NoBackend | Error::RangeOnline { .. } | Error::RelativeStampOffline { .. } => 2,
            Error::Migrations(error) if usage(error) => 2,
            Error::Database { source: quarry::Error::Revision(error), .. } if usage(error) => 2,
            _ => 1,
        }
    }

    pub fn report(&self) -> String {
        match self {
            Error::Schema(error) => error.report(),
            other => format!("error: {other}"),
        }
    }

    /// A failure of the database at `url` (its password hidden).
    pub fn database(url: &str) -> impl Fn(quarry::Error) -> Error + '_ {
        move |source| Error::Database { url: quarry::engine::redact(url), source }
    }
}
