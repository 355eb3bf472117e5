//! `quarry`: migrations generated from schema changes, like Alembic.
//!
//! ```text
//! quarry init                                 # migrations/ with an empty snapshot
//! quarry revision --autogenerate -m "add views"   # diff schema/ against the head snapshot
//! quarry upgrade [head | +N | <rev>] [--sql --backend postgres [<from>:<to>]]
//! quarry downgrade [-1 | -N | base | <rev>] [--sql --backend mysql [<from>:<to>]]
//! quarry current | history | heads
//! quarry stamp <rev>
//! quarry check [--url ...]                    # non-zero when the schema has changes without a revision,
//!                                             # or the database differs from the schema
//! ```
//!
//! Commands that touch a database read `--url` or `DATABASE_URL`.
//!
//! A thin shell: the migrations folder is read by
//! `quarry::migrate::read_dir`, revision targets are parsed and resolved
//! by `quarry::migrate::Target`, the live catalog is read by
//! `quarry::inspect`; this crate chooses file names and prints.

mod check;
mod database;
mod error;
mod files;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use quarry::migrate::{Direction, Target, TargetRange};
use quarry_schema::Backend;

use crate::error::{Error, Result};

#[derive(Parser)]
#[command(
    name = "quarry",
    version,
    about = "Migrations generated from schema changes, for SQLite, PostgreSQL and MySQL/MariaDB"
)]
struct Cli {
    /// The schema folder.
    #[arg(long, global = true, default_value = "schema")]
    schema: PathBuf,
    /// The migrations folder.
    #[arg(long, global = true, default_value = "migrations")]
    migrations: PathBuf,
    /// The database (default: DATABASE_URL).
    #[arg(long, global = true)]
    url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Creates the migrations folder with an empty schema snapshot.
    Init,
    /// Writes a new revision for every backend.
    Revision {
        /// What the revision does; becomes part of its folder name.
        #[arg(short, long)]
        message: String,
        /// Compute the revision from the difference between the schema and
        /// the snapshot of the head revision (otherwise: empty scripts).
        #[arg(long)]
        autogenerate: bool,
    },
    /// Applies migrations: all (`head`), the next N (`+N`), or up to a version.
    Upgrade {
        /// `head`, `+N` or a version; with --sql also `FROM:TO` (from `base`
        /// by default).
        #[arg(default_value = "head", allow_hyphen_values = true)]
        target: TargetRange,
        /// Print the SQL instead of running it (no database needed).
        #[arg(long, requires = "backend")]
        sql: bool,
        /// With --sql: the backend (sqlite, postgres, mysql).
        #[arg(long, requires = "sql")]
        backend: Option<Backend>,
    },
    /// Reverts migrations: the last N (`-N`), all (`base`), or down to a version.
    Downgrade {
        /// `-N`, `base` or a version; with --sql also `FROM:TO` (from `head`
        /// by default).
        #[arg(default_value = "-1", allow_hyphen_values = true)]
        target: TargetRange,
        /// Print the SQL instead of running it (no database needed).
        #[arg(long, requires = "backend")]
        sql: bool,
        /// With --sql: the backend (sqlite, postgres, mysql).
        #[arg(long, requires = "sql")]
        backend: Option<Backend>,
    },
    /// Shows the version the database is at.
    Current,
    /// Lists every revision, marking those applied to the database.
    History,
    /// Shows the newest revision.
    Heads,
    /// Records revisions up to a target (`head`, `+N`, a version) as applied,
    /// without running them.
    Stamp { target: Target },
    /// Fails when the schema has changes no revision captures yet, or (with
    /// a database) when the database's tables and columns differ from it.
    Check,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            // Schema diagnostics arrive rendered, each with its own `error:`.
            eprintln!("{}", error.report());
            ExitCode::from(error.exit_code())
        }
    }
}

/// The target of a command run against a database: no `FROM:`, the
/// database knows where it is.
fn online(range: TargetRange) -> Result<Target> {
    match range.from {
        None => Ok(range.to),
        Some(_) => Err(Error::RangeOnline { range: range.to_string() }),
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let folder = files::Folder::new(&cli.migrations);
    match cli.command {
        Command::Init => {
            folder.init()?;
            println!("Created {} with an empty schema snapshot.", cli.migrations.display());
        }
        Command::Revision { message, autogenerate } => {
            let schema = files::load_schema(&cli.schema)?;
            match folder.revision(&message, autogenerate.then_some(&schema))? {
                Some(version) => println!("Wrote revision {version} for sqlite, postgres and mysql."),
                None => println!("No changes in the schema: no revision written."),
            }
        }
        Command::Heads => match folder.migrations()?.last() {
            Some(m) => println!("{} {}", m.version, m.name),
            None => println!("no revisions"),
        },
        Command::Check => {
            let schema = files::load_schema(&cli.schema)?;
            let operations = folder.pending_changes(&schema)?;
            let mut clean = true;
            if operations.is_empty() {
                println!("The schema matches the head revision.");
            } else {
                clean = false;
                println!("The schema has changes no revision captures:");
                for op in &operations {
                    println!("  {}", files::describe(op));
                }
                println!("Run `quarry revision --autogenerate -m \"...\"`.");
            }
            // With a database: does it hold what the schema describes?
            if let Some(url) = cli.url.or_else(|| std::env::var("DATABASE_URL").ok()) {
                let differences = check::live_differences(&url, &schema)?;
                if differences.is_empty() {
                    println!("The database matches the schema.");
                } else {
                    clean = false;
                    println!("The database differs from the schema:");
                    for difference in &differences {
                        println!("  {difference}");
                    }
                }
            }
            if !clean {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Upgrade { target, sql: true, backend: Some(backend) } => {
            print!("{}", folder.offline_sql(&target, backend, Direction::Upgrade)?);
        }
        Command::Downgrade { target, sql: true, backend: Some(backend) } => {
            print!("{}", folder.offline_sql(&target, backend, Direction::Downgrade)?);
        }
        Command::Upgrade { target, .. } => {
            let target = online(target)?;
            database::upgrade(&database::url(cli.url)?, &folder.migrations()?, &target)?
        }
        Command::Downgrade { target, .. } => {
            let target = online(target)?;
            database::downgrade(&database::url(cli.url)?, &folder.migrations()?, &target)?
        }
        Command::Current => database::current(&database::url(cli.url)?)?,
        Command::History => {
            database::history(cli.url.or_else(|| std::env::var("DATABASE_URL").ok()), &folder.migrations()?)?
        }
        Command::Stamp { target } => database::stamp(&database::url(cli.url)?, &folder.migrations()?, &target)?,
    }
    Ok(ExitCode::SUCCESS)
}
