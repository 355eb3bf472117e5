//! Migrations as data: the one reader of a migrations folder, the
//! [`Migration`] type the runtime applies, the [`Target`]s that say how
//! far to upgrade or downgrade, and [`split_statements`], which splits a
//! script into the statements the runtime executes by each backend's rules.
//!
//! A migrations folder holds one subfolder per backend, each with one
//! folder per revision, as `quarry revision` writes them:
//!
//! ```text
//! migrations/
//!   schema.json                       the head snapshot (not read here)
//!   sqlite/0001_create_notes/up.sql   and down.sql
//!   postgres/0001_create_notes/...
//!   mysql/0001_create_notes/...
//! ```
//!
//! [`read_dir`] reads such a folder at run time (the CLI) or at build time
//! (`quarry_codegen::embed_migrations`, which writes the same
//! [`Migration`]s as borrowed statics).
//!
//! ```
//! use quarry_schema::migrations::{read_dir, Direction, Target};
//! use quarry_schema::Backend;
//!
//! let root = std::env::temp_dir().join(format!("quarry-doc-migrations-{}", std::process::id()));
//! for (backend, folder) in [("sqlite", "0001_create_notes"), ("sqlite", "0002_add_author"), ("postgres", "0001_create_notes")] {
//!     let dir = root.join(backend).join(folder);
//!     std::fs::create_dir_all(&dir)?;
//!     std::fs::write(dir.join("up.sql"), format!("-- {folder}\n"))?;
//! }
//!
//! let migrations = read_dir(&root)?;
//! assert_eq!(migrations.iter().map(|m| &*m.version).collect::<Vec<_>>(), ["0001", "0002"]);
//! assert_eq!(migrations[1].name, "add_author");
//! assert!(migrations[1].script(Backend::Postgres).is_none(), "0002 has no postgres folder");
//! assert_eq!(migrations[0].script(Backend::Sqlite).unwrap().down, "", "down.sql is optional");
//!
//! // Upgrading a database at 0001 by one step applies 0002.
//! let step = "+1".parse::<Target>()?.resolve(Direction::Upgrade, &migrations, &["0001"])?;
//! assert_eq!(step[0].version, "0002");
//! # std::fs::remove_dir_all(&root)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod bookkeeping;
mod split;
mod target;

pub use bookkeeping::checksum;
pub use split::split_statements;
pub use target::{Direction, Target, TargetRange};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::{Backend, Error, Result, Str};

/// What starts a line of `down.sql` saying which statement of `up.sql`
/// the statements after it revert (`-- reverts up.sql statement 3`), so
/// that a partly applied migration can be undone exactly (MySQL/MariaDB).
pub const REVERTS_MARKER: &str = "-- reverts up.sql statement ";

/// One migration, with its SQL for each backend that has a folder for it.
///
/// Embedded migrations borrow `'static` text; migrations read by
/// [`read_dir`] own theirs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// Orders the migrations (as text): the revision folder's name before
    /// its first `_`, such as `0002`.
    pub version: Str,
    /// The rest of the folder name, such as `add_views` (empty when the
    /// name has no `_`).
    pub name: Str,
    /// The SQLite scripts, if `sqlite/<version>_<name>/` exists.
    pub sqlite: Option<Script>,
    /// The PostgreSQL scripts, if `postgres/<version>_<name>/` exists.
    pub postgres: Option<Script>,
    /// The MySQL/MariaDB scripts, if `mysql/<version>_<name>/` exists.
    pub mysql: Option<Script>,
}

/// A migration's `up.sql` and `down.sql` for one backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// What upgrades the database: `up.sql`.
    pub up: Str,
    /// What reverts it: `down.sql`, empty when there is none.
    pub down: Str,
}

impl Script {
    /// A script of `'static` text, as embedded migrations hold. (Build one
    /// of owned text with the fields: `Script { up: text.into(), .. }`.)
    pub const fn new(up: &'static str, down: &'static str) -> Script {
        Script { up: Str::Borrowed(up), down: Str::Borrowed(down) }
    }
}

impl Migration {
    /// A migration without scripts yet; see [`Migration::script_mut`].
    pub fn new(version: impl Into<Str>, name: impl Into<Str>) -> Migration {
        Migration { version: version.into(), name: name.into(), sqlite: None, postgres: None, mysql: None }
    }

    /// What `quarry_codegen::embed_migrations` writes: a migration of
    /// `'static` text, built in a `static`.
    #[doc(hidden)]
    pub const fn __embedded(
        version: &'static str,
        name: &'static str,
        sqlite: Option<Script>,
        postgres: Option<Script>,
        mysql: Option<Script>,
    ) -> Migration {
        Migration { version: Str::Borrowed(version), name: Str::Borrowed(name), sqlite, postgres, mysql }
    }

    /// The scripts for `backend`, if this migration has them.
    pub fn script(&self, backend: Backend) -> Option<&Script> {
        match backend {
            Backend::Sqlite => self.sqlite.as_ref(),
            Backend::Postgres => self.postgres.as_ref(),
            Backend::Mysql => self.mysql.as_ref(),
        }
    }

    /// The slot of `backend`'s scripts.
    pub fn script_mut(&mut self, backend: Backend) -> &mut Option<Script> {
        match backend {
            Backend::Sqlite => &mut self.sqlite,
            Backend::Postgres => &mut self.postgres,
            Backend::Mysql => &mut self.mysql,
        }
    }
}

/// Reads every revision of the migrations folder `root`, sorted by version.
///
/// Each backend subfolder (`sqlite`, `postgres`, `mysql`) is optional, and
/// so is each revision in it: a version may have scripts for some backends
/// only (the runtime skips it elsewhere). Within a revision folder `up.sql`
/// is required and `down.sql` optional (empty). Files beside the revision
/// folders and hidden entries (`.name`) are ignored.
///
/// Errors, each naming the path: `root` missing or unreadable
/// ([`Error::NoMigrationsFolder`], [`Error::Io`]); a revision folder
/// without `up.sql` ([`Error::MissingUpSql`]) or whose name gives no usable
/// version ([`Error::BadRevisionFolder`]); two folders of one version with
/// different names, in one backend or across backends
/// ([`Error::DuplicateVersion`]).
pub fn read_dir(root: &Path) -> Result<Vec<Migration>> {
    if !root.is_dir() {
        return Err(Error::NoMigrationsFolder { path: root.to_owned() });
    }
    // version → (the first folder seen with it, the migration)
    let mut found: BTreeMap<String, (PathBuf, Migration)> = BTreeMap::new();
    for backend in Backend::ALL {
        let dir = root.join(backend.name());
        if !dir.exists() {
            continue;
        }
        let unreadable = |source| Error::Io { action: "read the folder", path: dir.clone(), source };
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(unreadable)?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<std::io::Result<_>>()
            .map_err(unreadable)?;
        entries.sort();
        for path in entries {
            let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden || !path.is_dir() {
                continue;
            }
            let (version, name) = revision_name(&path)?;
            let up = path.join("up.sql");
            if !up.is_file() {
                return Err(Error::MissingUpSql { dir: path });
            }
            let down = path.join("down.sql");
            let script = Script {
                up: read(&up)?.into(),
                down: if down.exists() { read(&down)?.into() } else { Str::Borrowed("") },
            };
            let (first, migration) = found
                .entry(version.to_owned())
                .or_insert_with(|| (path.clone(), Migration::new(version.to_owned(), name.to_owned())));
            if migration.name != name || migration.script(backend).is_some() {
                return Err(Error::DuplicateVersion {
                    version: version.to_owned(),
                    first: first.clone(),
                    second: path,
                });
            }
            *migration.script_mut(backend) = Some(script);
        }
    }
    Ok(found.into_values().map(|(_, migration)| migration).collect())
}

/// `(version, name)` of a revision folder `<version>_<name>`.
fn revision_name(path: &Path) -> Result<(&str, &str)> {
    let bad = |reason| Error::BadRevisionFolder { dir: path.to_owned(), reason };
    let folder = path.file_name().and_then(|n| n.to_str()).ok_or_else(|| bad("its name is not UTF-8"))?;
    let (version, name) = folder.split_once('_').unwrap_or((folder, ""));
    if version.is_empty() {
        return Err(bad("its name has no version before the `_`"));
    }
    // A version must be something a revision target can name.
    if version.parse::<Target>().ok() != Some(Target::Version(version.to_owned())) {
        return Err(bad("its version is not one a revision target can name (it is `head` or `base`, starts with `+` or `-`, or holds `:` or whitespace)"));
    }
    Ok((version, name))
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io { action: "read", path: path.to_owned(), source })
}
