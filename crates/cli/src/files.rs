//! The migrations folder: revisions per backend and the head snapshot.

use std::path::{Path, PathBuf};

use quarry::migrate::{Migration, Script};
use quarry_codegen::SourceFile;
use quarry_schema::db::Schema;
use quarry_schema::migrate::{diff, reverse, statements, Operation};
use quarry_schema::{snapshot, Backend};

/// The schema at the head revision, beside the backend folders.
const SNAPSHOT: &str = "schema.json";

/// Reads and checks every `*.rs` file of the schema folder; returns its
/// database side, keyed by SQL names.
pub fn load_schema(dir: &Path) -> Result<Schema, String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the schema folder {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    paths.sort();
    let files: Vec<SourceFile> = paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            Ok(SourceFile { path: p.display().to_string(), text })
        })
        .collect::<Result<_, String>>()?;
    let schema = quarry_codegen::load(files.clone()).map_err(|errors| errors.render(&files))?;
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

    pub fn init(&self) -> Result<(), String> {
        if self.root.join(SNAPSHOT).exists() {
            return Err(format!("{} is set up already", self.root.display()));
        }
        for backend in Backend::ALL {
            std::fs::create_dir_all(self.root.join(backend.name())).map_err(|e| e.to_string())?;
        }
        self.write_snapshot(&Schema::default())
    }

    /// The head snapshot, upgraded from an older format if need be.
    fn snapshot(&self) -> Result<Schema, String> {
        let path = self.root.join(SNAPSHOT);
        if !path.exists() {
            return Err(format!("no snapshot at {} (run `quarry init` first)", path.display()));
        }
        snapshot::read(&path).map_err(|e| e.to_string())
    }

    fn write_snapshot(&self, schema: &Schema) -> Result<(), String> {
        snapshot::write(&self.root.join(SNAPSHOT), schema).map_err(|e| e.to_string())
    }

    /// What the schema changed since the head revision.
    pub fn pending_changes(&self, schema: &Schema) -> Result<Vec<Operation>, String> {
        Ok(diff(&self.snapshot()?, schema))
    }

    /// Writes the next revision; with `autogenerate`, from the schema's
    /// difference to the head snapshot (`None` when there is none).
    pub fn revision(&self, message: &str, autogenerate: Option<&Schema>) -> Result<Option<String>, String> {
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
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            let script = |statements: Vec<String>| {
                let mut text = format!("-- {message}\n");
                for statement in statements {
                    text.push_str(&statement);
                    text.push_str(";\n\n");
                }
                text
            };
            let up = statements(&operations, &head, &target, backend);
            let down = statements(&reverse(&operations), &target, &head, backend);
            std::fs::write(dir.join("up.sql"), script(up)).map_err(|e| e.to_string())?;
            std::fs::write(dir.join("down.sql"), script(down)).map_err(|e| e.to_string())?;
        }
        self.write_snapshot(&target)?;
        Ok(Some(version))
    }

    /// Every revision on disk, in version order, with each backend's scripts.
    pub fn migrations(&self) -> Result<Vec<Migration>, String> {
        let mut found: std::collections::BTreeMap<String, Migration> = Default::default();
        for backend in Backend::ALL {
            let Ok(entries) = std::fs::read_dir(self.root.join(backend.name())) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                let Some(folder) = path.file_name().and_then(|n| n.to_str()) else { continue };
                let Ok(up) = std::fs::read_to_string(path.join("up.sql")) else { continue };
                let down = std::fs::read_to_string(path.join("down.sql")).unwrap_or_default();
                let (version, name) = folder.split_once('_').unwrap_or((folder, ""));
                let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
                let migration = found.entry(version.to_owned()).or_insert_with(|| Migration {
                    version: leak(version.to_owned()),
                    name: leak(name.to_owned()),
                    sqlite: None,
                    postgres: None,
                    mysql: None,
                });
                let script = Some(Script { up: leak(up), down: leak(down) });
                match backend {
                    Backend::Sqlite => migration.sqlite = script,
                    Backend::Postgres => migration.postgres = script,
                    Backend::Mysql => migration.mysql = script,
                }
            }
        }
        Ok(found.into_values().collect())
    }

    /// The SQL of an upgrade or downgrade, without a database: from base
    /// (`head`, `+N`, `<rev>`, or `<from>:<to>`) for upgrades; from head
    /// (`-1`, `base`, `<rev>`) for downgrades.
    pub fn offline_sql(&self, target: &str, backend: Option<&str>, up: bool) -> Result<String, String> {
        let backend = match backend {
            Some("sqlite") => Backend::Sqlite,
            Some("postgres") | Some("postgresql") => Backend::Postgres,
            Some("mysql") | Some("mariadb") => Backend::Mysql,
            Some(other) => return Err(format!("unknown backend `{other}`: sqlite, postgres or mysql")),
            None => return Err("--sql needs --backend sqlite|postgres|mysql".to_owned()),
        };
        let migrations = self.migrations()?;
        let selected: Vec<&Migration> = if up {
            let (from, to) = target.split_once(':').unwrap_or(("base", target));
            let after_from = |m: &&Migration| from == "base" || m.version > from;
            match to.strip_prefix('+') {
                Some(n) => migrations.iter().filter(after_from).take(n.parse().map_err(|_| "bad +N")?).collect(),
                None => migrations.iter().filter(after_from).filter(|m| to == "head" || m.version <= to).collect(),
            }
        } else {
            let mut chosen: Vec<&Migration> = match target {
                "-1" => migrations.last().into_iter().collect(),
                "base" => migrations.iter().collect(),
                rev => migrations.iter().filter(|m| m.version > rev).collect(),
            };
            chosen.reverse();
            chosen
        };
        let mut out = String::new();
        for migration in selected {
            let script = match backend {
                Backend::Sqlite => migration.sqlite,
                Backend::Postgres => migration.postgres,
                Backend::Mysql => migration.mysql,
            };
            let Some(script) = script else { continue };
            out.push_str(&format!(
                "-- {} {} ({})\n",
                migration.version,
                migration.name,
                if up { "up" } else { "down" }
            ));
            out.push_str(if up { script.up } else { script.down });
            out.push('\n');
        }
        Ok(out)
    }
}
