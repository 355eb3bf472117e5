//! Random sequences of upgrades, downgrades, stamps and failing
//! migrations (several fixed seeds, so a failure reproduces), on every
//! backend: after each step, what the database records and the tables it
//! holds agree with a model of the expected state, errors included.
//!
//! Migration i creates table `t{i}` and inserts a row. Migration 0004 has
//! a broken variant whose insert fails after the table was created; the
//! sequence switches between it and the fixed one. Stamps move the record
//! without touching tables, so later upgrades and downgrades meet tables
//! that exist, or do not, against the record: the model predicts those
//! failures too. Where DDL is transactional a failing command changes
//! nothing; on MySQL/MariaDB the statements before the failure stay, and
//! the record says how many.

use crate::common;
use crate::common::Seeded;

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use quarry::engine::Backend;
use quarry::migrate::{checksum, downgrade, recorded, stamp_to, upgrade, Migration, Options, Script, Target};

const COUNT: u32 = 5;
const BROKEN: u32 = 4;

fn version(i: u32) -> String {
    format!("{i:04}")
}

/// The migrations, with 0004 broken or fixed.
fn migrations(broken: bool) -> Vec<Migration> {
    (1..=COUNT)
        .map(|i| {
            let insert =
                if broken && i == BROKEN { "INSERT INTO missing_table VALUES (1)".to_owned() } else { format!("INSERT INTO t{i} (id) VALUES ({i})") };
            let up = format!("CREATE TABLE t{i} (id INTEGER PRIMARY KEY);\n{insert};\n");
            let down = format!(
                "-- reverts up.sql statement 2\nDELETE FROM t{i} WHERE id = {i};\n\n-- reverts up.sql statement 1\nDROP TABLE t{i};\n"
            );
            let mut migration = Migration::new(version(i), format!("t{i}"));
            for backend in [Backend::Sqlite, Backend::Postgres, Backend::Mysql] {
                *migration.script_mut(backend) = Some(Script { up: up.clone().into(), down: down.clone().into() });
            }
            migration
        })
        .collect()
}

/// A record: (statements, complete, checksum).
type Record = (i32, bool, String);

/// What the database should hold.
#[derive(Debug, Clone, PartialEq, Default)]
struct Model {
    records: BTreeMap<String, Record>,
    /// Tables `t{i}` that exist.
    tables: BTreeSet<u32>,
}

#[derive(Debug, Clone)]
enum Step {
    Upgrade(Target),
    Downgrade(Target),
    Stamp(Target),
    /// Switches 0004 between its broken and fixed variants.
    Toggle,
}

fn random_step(rng: &mut Seeded) -> Step {
    let version = |rng: &mut Seeded| Target::Version(version(1 + rng.below(COUNT as u64) as u32));
    match rng.below(10) {
        0..=2 => Step::Upgrade(match rng.below(3) {
            0 => Target::Head,
            1 => Target::Relative(1 + rng.below(2) as i32),
            _ => version(rng),
        }),
        3..=5 => Step::Downgrade(match rng.below(3) {
            0 => Target::Base,
            1 => Target::Relative(-1 - rng.below(2) as i32),
            _ => version(rng),
        }),
        6 | 7 => Step::Stamp(match rng.below(3) {
            0 => Target::Head,
            1 => Target::Base,
            _ => version(rng),
        }),
        _ => Step::Toggle,
    }
}

impl Model {
    fn complete(&self) -> Vec<String> {
        self.records.iter().filter(|(_, r)| r.1).map(|(v, _)| v.clone()).collect()
    }

    /// Runs `step` on the model; `Err` when the database must refuse or fail.
    fn run(&mut self, step: &Step, migrations: &[Migration], transactional: bool) -> Result<(), String> {
        let before = self.clone();
        let outcome = match step {
            Step::Upgrade(target) => self.upgrade(target, migrations),
            Step::Downgrade(target) => self.downgrade(target, migrations),
            Step::Stamp(target) => {
                // Complete records stay as they are (their checksum is what
                // ran); the others go, and the wanted ones missing are added.
                let wanted = target.stamped(migrations, &self.complete()).map_err(|e| e.to_string())?;
                let kept = std::mem::take(&mut self.records);
                self.records = wanted
                    .iter()
                    .map(|m| {
                        let version = m.version.to_string();
                        let new = (2, true, checksum(&m.sqlite.as_ref().unwrap().up));
                        let record = kept.get(&version).filter(|r| r.1).cloned().unwrap_or(new);
                        (version, record)
                    })
                    .collect();
                Ok(())
            }
            Step::Toggle => Ok(()),
        };
        if outcome.is_err() && transactional {
            *self = before;
        }
        outcome
    }

    fn upgrade(&mut self, target: &Target, migrations: &[Migration]) -> Result<(), String> {
        for (version, record) in self.records.iter().filter(|(_, r)| r.1) {
            let script = migrations.iter().find(|m| *m.version == **version).unwrap().sqlite.as_ref().unwrap();
            if checksum(&script.up) != record.2 {
                return Err(format!("migration {version} was changed"));
            }
        }
        let steps = target
            .resolve(quarry::migrate::Direction::Upgrade, migrations, &self.complete())
            .map_err(|e| e.to_string())?;
        for migration in steps {
            let i: u32 = migration.version.parse().unwrap();
            let sum = checksum(&migration.sqlite.as_ref().unwrap().up);
            let mut done = self.records.get(&*migration.version).map_or(0, |r| r.0);
            self.records.insert(migration.version.to_string(), (done, false, sum.clone()));
            if done == 0 {
                if !self.tables.insert(i) {
                    return Err(format!("t{i} exists"));
                }
                done = 1;
                self.records.insert(migration.version.to_string(), (done, false, sum.clone()));
            }
            if migration.sqlite.as_ref().unwrap().up.contains("missing_table") {
                return Err("no such table".to_owned());
            }
            self.records.insert(migration.version.to_string(), (2, true, sum));
        }
        Ok(())
    }

    fn downgrade(&mut self, target: &Target, migrations: &[Migration]) -> Result<(), String> {
        let target = target.exact(migrations).map_err(|e| e.to_string())?;
        let partial = self
            .records
            .iter()
            .next_back()
            .filter(|(_, r)| !r.1)
            .filter(|(v, _)| !matches!(&target, Target::Version(t) if t >= *v))
            .map(|(v, r)| (v.clone(), r.0));
        let rest = match (&target, &partial) {
            (Target::Relative(-1), Some(_)) => None,
            (Target::Relative(n), Some(_)) => Some(Target::Relative(n + 1)),
            _ => Some(target.clone()),
        };
        let steps = match rest {
            Some(rest) => rest
                .resolve(quarry::migrate::Direction::Downgrade, migrations, &self.complete())
                .map_err(|e| e.to_string())?,
            None => Vec::new(),
        };
        if let Some((version, statements)) = partial {
            // Statement 1 made the table; its section drops it.
            if statements >= 1 {
                self.tables.remove(&version.parse().unwrap());
            }
            self.records.remove(&version);
        }
        for migration in steps {
            let i: u32 = migration.version.parse().unwrap();
            if !self.tables.remove(&i) {
                return Err(format!("t{i} is missing"));
            }
            self.records.remove(&*migration.version);
        }
        Ok(())
    }
}

common::engine_tests! {
    fn random_upgrades_downgrades_stamps_and_failures_agree_with_a_model(engine) {
        let transactional = engine.url().backend() != Backend::Mysql;
        let mut conn = engine.connection().unwrap();
        let conn = &mut *conn;
        for seed in [3_u64, 17, 2026] {
            let mut rng = Seeded(seed);
            // A fresh database per seed: revert whatever the last one left.
            for i in 1..=COUNT {
                let _ = diesel::sql_query(format!("DROP TABLE t{i}")).execute(conn);
            }
            let _ = diesel::sql_query("DROP TABLE quarry_migrations").execute(conn);
            let mut model = Model::default();
            let mut broken = true;
            let mut history = Vec::new();
            for _ in 0..40 {
                let step = random_step(&mut rng);
                if matches!(step, Step::Toggle) {
                    broken = !broken;
                }
                let migrations = migrations(broken);
                let expected = model.run(&step, &migrations, transactional);
                let actual = match &step {
                    Step::Upgrade(target) => upgrade(conn, &migrations, target, &Options::default()).map(drop),
                    Step::Downgrade(target) => downgrade(conn, &migrations, target, &Options::default()).map(drop),
                    Step::Stamp(target) => stamp_to(conn, &migrations, target).map(drop),
                    Step::Toggle => Ok(()),
                };
                history.push(format!("{step:?} (0004 broken: {broken}) → {expected:?} / {actual:?}"));
                let trail = || history.join("\n  ");
                assert_eq!(actual.is_ok(), expected.is_ok(), "seed {seed}:\n  {}", trail());
                let records: BTreeMap<String, Record> = recorded(conn)
                    .unwrap()
                    .into_iter()
                    .map(|r| (r.version, (r.statements, r.complete, r.checksum)))
                    .collect();
                assert_eq!(records, model.records, "seed {seed}: the records\n  {}", trail());
                let tables: BTreeSet<u32> = (1..=COUNT)
                    .filter(|i| diesel::sql_query(format!("SELECT 1 FROM t{i} WHERE 1 = 0")).execute(conn).is_ok())
                    .collect();
                assert_eq!(tables, model.tables, "seed {seed}: the tables\n  {}", trail());
            }
        }
    }
}
