//! quarry-codegen's error type.

use std::path::PathBuf;

use crate::diagnostic::Diagnostics;

/// Everything that can stop code generation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The schema has mistakes; `rendered` shows every one rustc-style,
    /// each with its own `error:` line, against the schema files.
    #[error("{}", rendered.trim_end())]
    Schema {
        /// The mistakes, with their spans.
        diagnostics: Diagnostics,
        /// `diagnostics` rendered against the schema files.
        rendered: String,
    },
    /// A folder could not be listed.
    #[error("cannot read the {what} folder {}: {source}", path.display())]
    ReadDir {
        /// `schema` or `migrations`.
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// The schema folder holds no `*.rs` file.
    #[error("no schema files (*.rs) in {}", dir.display())]
    NoSchemaFiles { dir: PathBuf },
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    /// A generated file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    /// No output path: `OUT_DIR` is unset outside a build script.
    #[error("OUT_DIR is not set: call quarry_codegen from a build script, or set out_file")]
    NoOutDir,
    /// A migrations folder to embed that is missing or holds no revision.
    #[error(
        "no migrations to embed at {}: {}; expected a folder with sqlite/, postgres/ and mysql/ subfolders \
         of revisions (<version>_<name>/up.sql), as `quarry init` and `quarry revision` write them",
        path.display(),
        holding(entries.as_deref())
    )]
    NoMigrations {
        /// The folder, as a full path.
        path: PathBuf,
        /// What it holds instead of revisions (folders end with `/`), or
        /// `None` when there is no such folder.
        entries: Option<Vec<String>>,
    },
    /// A backend the program runs on has no revision in the migrations
    /// folder (`embed_migrations_for`).
    #[error(
        "no {backend} migrations to embed at {}: the program runs on {backend}, and no revision has a \
         {backend}/ folder (<version>_<name>/up.sql), as `quarry revision` writes them",
        path.display()
    )]
    NoMigrationsFor {
        /// The migrations folder, as a full path.
        path: PathBuf,
        /// The backend without revisions.
        backend: &'static str,
    },
    /// A migrations folder `embed_migrations` could not read: a revision
    /// without `up.sql`, a version given twice... (the error names the path).
    #[error(transparent)]
    Migrations(#[from] quarry_schema::Error),
}

impl Error {
    /// The schema's mistakes, if that is what this is.
    pub fn diagnostics(&self) -> Option<&Diagnostics> {
        match self {
            Error::Schema { diagnostics, .. } => Some(diagnostics),
            _ => None,
        }
    }

    /// The error as a user reads it: rendered diagnostics as they are
    /// (each has its own `error:`), anything else after `error: `.
    pub fn report(&self) -> String {
        match self {
            Error::Schema { rendered, .. } => rendered.trim_end().to_owned(),
            other => format!("error: {other}"),
        }
    }
}

/// What a migrations folder without revisions holds.
fn holding(entries: Option<&[String]>) -> String {
    match entries {
        None => "there is no such folder".to_owned(),
        Some([]) => "the folder is empty".to_owned(),
        Some(entries) => format!("the folder holds no revision, only {}", entries.join(", ")),
    }
}

/// `Result` with quarry-codegen's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
