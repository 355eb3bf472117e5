//! Commands that run against a database, on whichever backend its URL
//! names. Which migrations they run, [`Target::resolve`] decides.

use quarry::migrate::{self, recorded, Migration, Options, Target};
use quarry::AnyEngine;

use crate::error::{Error, Result};

/// `--url`, or else `DATABASE_URL`.
pub fn url(given: Option<String>) -> Result<String> {
    given.or_else(|| std::env::var("DATABASE_URL").ok()).ok_or(Error::NoUrl)
}

/// An engine of one connection for `url`.
pub fn engine(url: &str) -> Result<AnyEngine> {
    AnyEngine::connect_with(url, quarry::engine::EngineBuilder::<()>::default().pool_size(1).max_overflow(0))
        .map_err(Error::database(url))
}

/// An engine of one connection for `url` that cannot write, for commands
/// that only look: a SQLite file that is not there is an error ("no
/// database at …"), not a new empty database.
pub fn read_only_engine(url: &str) -> Result<AnyEngine> {
    let settings = quarry::engine::EngineBuilder::<()>::default().pool_size(1).max_overflow(0).read_only(true);
    AnyEngine::connect_with(url, settings).map_err(Error::database(url))
}

pub fn upgrade(url: &str, migrations: &[Migration], target: &Target) -> Result<()> {
    let engine = engine(url)?;
    let ran = quarry::with_engine!(engine, |engine| {
        let mut conn = engine.connection().map_err(Error::database(url))?;
        migrate::upgrade(&mut *conn, migrations, target, &Options::default()).map_err(Error::database(url))?
    });
    if ran.is_empty() {
        println!("Nothing to upgrade.");
    }
    for version in ran {
        println!("Applied {version}.");
    }
    Ok(())
}

pub fn downgrade(url: &str, migrations: &[Migration], target: &Target) -> Result<()> {
    let engine = engine(url)?;
    let reverted = quarry::with_engine!(engine, |engine| {
        let mut conn = engine.connection().map_err(Error::database(url))?;
        migrate::downgrade(&mut *conn, migrations, target, &Options::default()).map_err(Error::database(url))?
    });
    if reverted.is_empty() {
        println!("Nothing to downgrade.");
    }
    for version in reverted {
        println!("Reverted {version}.");
    }
    Ok(())
}

/// The newest record: a version, a partly applied one with the way on, or
/// one whose revision folder is gone with the way out.
///
/// The database is read first: an unreachable one is the error to report,
/// before a missing migrations folder.
pub fn current(url: &str, migrations: impl FnOnce() -> Result<Vec<Migration>>) -> Result<()> {
    let engine = read_only_engine(url)?;
    let (records, backend) = quarry::with_engine!(engine, |engine| {
        let mut conn = engine.connection().map_err(Error::database(url))?;
        (recorded(&mut *conn).map_err(Error::database(url))?, engine.url().backend())
    });
    let Some(last) = records.last() else {
        println!("base (nothing applied)");
        return Ok(());
    };
    let migrations = &migrations()?;
    let migration = migrations.iter().find(|m| *m.version == last.version);
    match migration {
        None => println!("{} ({})", last.version, missing_note(migrations, &last.version)),
        Some(_) if last.complete => println!("{}", last.version),
        Some(migration) => {
            let total = migration.script(backend).map_or(0, |s| migrate::split_statements(&s.up, backend).len());
            println!(
                "{} (incomplete: {} of {total} statements applied; `quarry upgrade` resumes it, `quarry downgrade` undoes them)",
                last.version, last.statements
            )
        }
    }
    Ok(())
}

/// Each revision's state in the database at `url` (`None`: no database,
/// all pending), then the records whose revision folder is gone.
fn states(url: Option<&str>, migrations: &[Migration]) -> Result<(Vec<&'static str>, Vec<migrate::Applied>)> {
    // The database's records, with the backend whose scripts they ran.
    let (records, backend) = match url {
        Some(url) => {
            let engine = read_only_engine(url)?;
            quarry::with_engine!(engine, |engine| {
                let mut conn = engine.connection().map_err(Error::database(url))?;
                (recorded(&mut *conn).map_err(Error::database(url))?, Some(engine.url().backend()))
            })
        }
        None => (Vec::new(), None),
    };
    let marks = migrations
        .iter()
        .map(|m| {
            let record = records.iter().find(|r| r.version == *m.version);
            let script = backend.and_then(|backend| m.script(backend));
            match record {
                None => "[pending]",
                Some(record) if !record.complete => "[incomplete]",
                Some(record) if script.is_some_and(|s| migrate::checksum(&s.up) != record.checksum) => "[changed]",
                Some(_) => "[applied]",
            }
        })
        .collect();
    let missing = records.into_iter().filter(|r| !migrations.iter().any(|m| *m.version == r.version)).collect();
    Ok((marks, missing))
}

/// The way out of a record whose revision folder is gone.
fn missing_note(migrations: &[Migration], version: &str) -> String {
    let before = migrations.iter().rev().find(|m| *m.version < *version).map_or("base", |m| &m.version);
    format!("no such revision folder: restore it, or `quarry stamp {before}` to drop the record")
}

pub fn history(url: Option<String>, migrations: &[Migration]) -> Result<()> {
    let (marks, missing) = states(url.as_deref(), migrations)?;
    for (m, mark) in migrations.iter().zip(marks) {
        println!("{} {:<12} {}", m.version, mark, m.name);
    }
    for record in missing {
        println!("{} {:<12} {}", record.version, "[missing]", missing_note(migrations, &record.version));
    }
    Ok(())
}

/// What `check` reports of the migrations at `url`: revisions changed
/// since they were applied, incomplete ones, records without a folder.
pub fn revision_problems(url: &str, migrations: &[Migration]) -> Result<Vec<String>> {
    let (marks, missing) = states(Some(url), migrations)?;
    let mut problems: Vec<String> = migrations
        .iter()
        .zip(marks)
        .filter_map(|(m, mark)| match mark {
            "[changed]" => Some(format!("revision {} changed since it was applied", m.version)),
            "[incomplete]" => Some(format!("revision {} is only partly applied", m.version)),
            _ => None,
        })
        .collect();
    problems
        .extend(missing.iter().map(|r| format!("revision {}: {}", r.version, missing_note(migrations, &r.version))));
    Ok(problems)
}

/// Moves the database's record to exactly `target`, either way, without
/// running anything.
pub fn stamp(url: &str, migrations: &[Migration], target: &Target) -> Result<()> {
    let engine = engine(url)?;
    let stamped = quarry::with_engine!(engine, |engine| {
        let mut conn = engine.connection().map_err(Error::database(url))?;
        migrate::stamp_to(&mut *conn, migrations, target).map_err(Error::database(url))?
    });
    let list = |versions: &[String]| if versions.is_empty() { "none".to_owned() } else { versions.join(", ") };
    println!("Stamped at {target}: recorded {}; removed {}.", list(&stamped.recorded), list(&stamped.removed));
    Ok(())
}
