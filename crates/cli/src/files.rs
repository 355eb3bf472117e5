//! The migrations folder: revisions per backend and the head snapshot.

use std::path::{Path, PathBuf};

use quarry::migrate::{read_dir, Migration};
use quarry_schema::autogenerate::{diff, scripts, Operation};
use quarry_schema::db::Schema;
use quarry_schema::{snapshot, Backend};

use crate::error::{Error, Result};

/// The schema at the head revision, beside the backend folders.
const SNAPSHOT: &str = "schema.json";

/// Reads and checks every `*.rs` file of the schema folder; returns its
/// database side, keyed by SQL names.
pub fn load_schema(dir: &Path) -> Result<Schema> {
    let files = quarry_codegen::read_schema_dir(dir)?;
    let schema = quarry_codegen::load(files.clone()).map_err(|diagnostics| {
        let rendered = diagnostics.render(&files);
        Error::Schema(quarry_codegen::Error::Schema { diagnostics, rendered })
    })?;
    Ok(quarry_codegen::lower::database(&schema))
}

/// One line saying what an operation does.
pub fn describe(operation: &Operation) -> String {
    use Operation::*;
    match operation {
        CreateEnum(e) => format!("create enum {}", e.name),
        DropEnum(e) => format!("drop enum {}", e.name),
        AlterEnum { to, .. } => format!("change the values of enum {}", to.name),
        CreateTable(t) => format!("create table {}", t.name),
        DropTable(t) => format!("drop table {}", t.name),
        RenameTable { from, to } => format!("rename table {from} to {to}"),
        AddColumn { table, column } => format!("add column {table}.{}", column.name),
        DropColumn { table, column } => format!("drop column {table}.{}", column.name),
        RenameColumn { table, from, to } => format!("rename column {table}.{from} to {to}"),
        AlterColumn { table, to, .. } => format!("change column {table}.{}", to.name),
        SetPrimaryKey { table, to, .. } => format!("set the primary key of {table} to ({})", to.join(", ")),
        AddUnique { table, unique } => format!("add unique {} on {table}", unique.name),
        DropUnique { table, unique } => format!("drop unique {} on {table}", unique.name),
        AddIndex { table, index } => format!("add index {} on {table}", index.name),
        DropIndex { table, index } => format!("drop index {} on {table}", index.name),
        AddCheck { table, check } => format!("add check {} on {table}", check.name),
        DropCheck { table, check } => format!("drop check {} on {table}", check.name),
        AddForeignKey { table, foreign_key } => format!("add foreign key {} on {table}", foreign_key.name),
        DropForeignKey { table, foreign_key } => format!("drop foreign key {} on {table}", foreign_key.name),
        SetTableComment { table, .. } => format!("change the comment of {table}"),
    }
}

pub struct Folder {
    root: PathBuf,
}

impl Folder {
    pub fn new(root: &Path) -> Self {
        Folder { root: root.to_owned() }
    }

    pub fn init(&self) -> Result<()> {
        if self.root.join(SNAPSHOT).exists() {
            return Err(Error::AlreadyInitialized { path: self.root.clone() });
        }
        for backend in Backend::ALL {
            let dir = self.root.join(backend.name());
            std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
                action: "create the folder",
                path: dir,
                source,
            })?;
        }
        self.write_snapshot(&Schema::default())
    }

    /// The head snapshot, upgraded from an older format if need be.
    fn snapshot(&self) -> Result<Schema> {
        let path = self.root.join(SNAPSHOT);
        if !path.exists() {
            return Err(Error::NoSnapshot { path });
        }
        Ok(snapshot::read(&path)?)
    }

    fn write_snapshot(&self, schema: &Schema) -> Result<()> {
        Ok(snapshot::write(&self.root.join(SNAPSHOT), schema)?)
    }

    /// What the schema changed since the head revision.
    pub fn pending_changes(&self, schema: &Schema) -> Result<Vec<Operation>> {
        Ok(diff(&self.snapshot()?, schema))
    }

    /// Writes the next revision; with `autogenerate`, from the schema's
    /// difference to the head snapshot (`None` when there is none).
    pub fn revision(&self, message: &str, autogenerate: Option<&Schema>) -> Result<Option<String>> {
        let head = self.snapshot()?;
        let (operations, target) = match autogenerate {
            Some(schema) => (diff(&head, schema), schema.clone()),
            None => (Vec::new(), head.clone()),
        };
        if autogenerate.is_some() && operations.is_empty() {
            return Ok(None);
        }
        let next = self.migrations()?.last().and_then(|m| m.version.parse::<u32>().ok()).unwrap_or(0) + 1;
        let slug: String = message
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect::<String>()
            .split('_')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        let version = format!("{next:04}");
        for backend in Backend::ALL {
            let dir = self.root.join(backend.name()).join(format!("{version}_{slug}"));
            std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
                action: "create the folder",
                path: dir.clone(),
                source,
            })?;
            let scripts = scripts(&operations, &head, &target, backend, message);
            let written = |path: PathBuf| move |source| Error::Io { action: "write", path, source };
            std::fs::write(dir.join("up.sql"), scripts.up).map_err(written(dir.join("up.sql")))?;
            std::fs::write(dir.join("down.sql"), scripts.down).map_err(written(dir.join("down.sql")))?;
        }
        self.write_snapshot(&target)?;
        Ok(Some(version))
    }

    /// Every revision on disk, in version order, with each backend's scripts.
    pub fn migrations(&self) -> Result<Vec<Migration>> {
        Ok(read_dir(&self.root)?)
    }
}
