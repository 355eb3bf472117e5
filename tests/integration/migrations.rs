//! Migrations on live databases: the six schema versions of the migration
//! plan, upgraded one step at a time and then downgraded one step at a
//! time. After every step the database's catalog equals what `create_all`
//! of that version makes, `quarry::inspect::compare` (what `quarry check`
//! reports) finds no difference from that version, and the rows inserted
//! at the start survive (SQLite rebuilds tables to change them).

use crate::common;

use std::collections::BTreeSet;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use quarry_schema::autogenerate::{diff, reverse, statements};
use quarry_schema::db::Schema;
use quarry_schema::ddl::script;
use quarry_schema::Backend;

/// The six versions of the migration plan: (1) two tables; (2) a column
/// with a server default and an index; (3) a table with an ON DELETE
/// CASCADE foreign key and a unique constraint; (4) a wider VARCHAR, a
/// column made nullable; (5) a column dropped, a check constraint; (6) a
/// many-to-many association table with a composite index. The same files
/// pin the SQL in quarry-codegen's snapshots.
const VERSIONS: [&str; 6] = [
    include_str!("../../crates/codegen/tests/versions/v1.rs"),
    include_str!("../../crates/codegen/tests/versions/v2.rs"),
    include_str!("../../crates/codegen/tests/versions/v3.rs"),
    include_str!("../../crates/codegen/tests/versions/v4.rs"),
    include_str!("../../crates/codegen/tests/versions/v5.rs"),
    include_str!("../../crates/codegen/tests/versions/v6.rs"),
];

#[derive(QueryableByName)]
struct Fact {
    #[diesel(sql_type = Nullable<Text>)]
    a: Option<String>,
}

/// A backend's catalog as a set of facts, and how it runs a migration.
trait Live: Connection + SimpleConnection + quarry::inspect::InspectConnection {
    const BACKEND: Backend;
    const FACTS: &'static [&'static str];

    fn facts(&mut self) -> BTreeSet<String>;
    fn count(&mut self, table: &str) -> i64;

    fn run(&mut self, statements: &[String]) {
        self.batch_execute(&statements.join(";\n")).unwrap_or_else(|e| panic!("{e}\n{}", statements.join(";\n")));
    }
}

/// `facts` and `count` for one concrete connection type.
macro_rules! catalog {
    () => {
        fn facts(&mut self) -> BTreeSet<String> {
            let mut facts = BTreeSet::new();
            for query in Self::FACTS {
                let rows: Vec<Fact> = diesel::sql_query(*query).load(self).unwrap_or_else(|e| panic!("{query}: {e}"));
                facts.extend(rows.into_iter().filter_map(|r| r.a));
            }
            facts
        }

        fn count(&mut self, table: &str) -> i64 {
            diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!("(SELECT count(*) FROM {table})")))
                .get_result(self)
                .unwrap()
        }
    };
}

#[cfg(feature = "sqlite")]
impl Live for diesel::SqliteConnection {
    const BACKEND: Backend = Backend::Sqlite;
    catalog!();
    const FACTS: &'static [&'static str] = &[
        "SELECT m.name || '.' || c.name || ' ' || c.type || ' notnull=' || c.\"notnull\" || ' default=' || coalesce(c.dflt_value, '-') || ' pk=' || c.pk AS a
         FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table'",
        "SELECT m.name || ' fk ' || f.\"from\" || ' -> ' || f.\"table\" || '.' || f.\"to\" || ' ' || f.on_delete AS a
         FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
        "SELECT m.name || ' index ' || CASE WHEN i.origin = 'c' THEN i.name ELSE i.origin END || ' unique=' || i.\"unique\" || ' ' ||
                (SELECT group_concat(x.name) FROM pragma_index_info(i.name) x) AS a
         FROM sqlite_master m, pragma_index_list(m.name) i WHERE m.type = 'table'",
        // Constraint names live only in the table's SQL: compare that, from the column list on
        // (ADD COLUMN appends to it; the other changes rebuild the table from its definition).
        "SELECT name || ' constraints ' || coalesce(substr(sql, instr(sql, 'CONSTRAINT')), '-') AS a FROM sqlite_master WHERE type = 'table'",
    ];

    fn run(&mut self, statements: &[String]) {
        // The rebuild recipe: foreign keys off outside the transaction,
        // checked before the commit.
        self.batch_execute("PRAGMA foreign_keys = OFF; BEGIN").unwrap();
        self.batch_execute(&statements.join(";\n")).unwrap_or_else(|e| panic!("{e}\n{}", statements.join(";\n")));
        let violations: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT count(*) FROM pragma_foreign_key_check)",
        ))
        .get_result(self)
        .unwrap();
        assert_eq!(violations, 0);
        self.batch_execute("COMMIT; PRAGMA foreign_keys = ON").unwrap();
    }
}

#[cfg(feature = "postgres")]
impl Live for diesel::PgConnection {
    const BACKEND: Backend = Backend::Postgres;
    catalog!();
    const FACTS: &'static [&'static str] = &[
        "SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') || ' null=' || is_nullable || ' default=' || coalesce(column_default, '-') AS a
         FROM information_schema.columns WHERE table_schema = current_schema()",
        "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS a
         FROM pg_constraint WHERE connamespace = current_schema()::regnamespace",
        "SELECT tablename || ' ' || indexname || ' ' || regexp_replace(indexdef, ' ON \\S+\\.', ' ON ') AS a
         FROM pg_indexes WHERE schemaname = current_schema()",
    ];

    fn run(&mut self, statements: &[String]) {
        self.batch_execute(&format!("BEGIN;\n{};\nCOMMIT", statements.join(";\n")))
            .unwrap_or_else(|e| panic!("{e}\n{}", statements.join(";\n")));
    }
}

#[cfg(feature = "mysql")]
impl Live for diesel::MysqlConnection {
    const BACKEND: Backend = Backend::Mysql;
    catalog!();
    const FACTS: &'static [&'static str] = &[
        "SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME, ' ', COLUMN_TYPE, ' null=', IS_NULLABLE, ' default=', COALESCE(COLUMN_DEFAULT, '-'), ' ', EXTRA) AS a
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()",
        "SELECT CONCAT(TABLE_NAME, ' index ', INDEX_NAME, ' unique=', 1 - NON_UNIQUE, ' ', GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX)) AS a
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE",
        "SELECT CONCAT(TABLE_NAME, ' ', CONSTRAINT_NAME, ' ', CONSTRAINT_TYPE) AS a
         FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
        "SELECT CONCAT(TABLE_NAME, ' fk ', CONSTRAINT_NAME, ' -> ', REFERENCED_TABLE_NAME, ' ', DELETE_RULE) AS a
         FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
    ];
}

/// A rename of a table and a column, a new enum value, a widened and a
/// retyped column, a unique constraint and a table comment.
const RENAMES: [&str; 2] = [
    include_str!("../../crates/codegen/tests/versions/renames_before.rs"),
    include_str!("../../crates/codegen/tests/versions/renames_after.rs"),
];

/// Upgrades `conn` through `versions` one step at a time and back down,
/// comparing every step with a fresh database `fresh` made by `create_all`
/// of that version; `seed` runs at the first version, and `counts` says
/// how many rows each table holds at the end.
fn walk<C: Live>(conn: &mut C, fresh: &mut C, texts: &[&str], seed: &str, counts: &[(&str, i64)]) {
    let versions: Vec<Schema> = texts
        .iter()
        .map(|text| {
            quarry_codegen::lower::database(&quarry_codegen::load_str("schema.rs", text).expect("a valid version"))
        })
        .collect();
    let backend = <C as Live>::BACKEND;
    let reset = |fresh: &mut C| {
        // Every version's tables first, then its types.
        let mut drops: Vec<String> = versions.iter().rev().flat_map(|v| script(v, backend).drop).collect();
        drops.sort_by_key(|statement| statement.starts_with("DROP TYPE"));
        fresh.run(&drops);
    };
    let expect = |fresh: &mut C, version: &Schema| {
        reset(fresh);
        fresh.run(&script(version, backend).create);
        fresh.facts()
    };

    conn.run(&script(&versions[0], backend).create);
    conn.batch_execute(seed).unwrap();
    assert_eq!(conn.facts(), expect(fresh, &versions[0]));

    for step in 0..versions.len() - 1 {
        let (old, new) = (&versions[step], &versions[step + 1]);
        conn.run(&statements(&diff(old, new), old, new, backend));
        assert_eq!(conn.facts(), expect(fresh, new), "{backend:?}: upgrade to version {}", step + 2);
        assert_eq!(
            quarry::inspect::compare(conn, new).unwrap(),
            [],
            "{backend:?}: check after upgrade to version {}",
            step + 2
        );
    }
    for step in (0..versions.len() - 1).rev() {
        let (old, new) = (&versions[step], &versions[step + 1]);
        conn.run(&statements(&reverse(&diff(old, new)), new, old, backend));
        assert_eq!(conn.facts(), expect(fresh, old), "{backend:?}: downgrade to version {}", step + 1);
        assert_eq!(
            quarry::inspect::compare(conn, old).unwrap(),
            [],
            "{backend:?}: check after downgrade to version {}",
            step + 1
        );
    }
    reset(fresh);

    // Every row came through, SQLite's table rebuilds included.
    for (table, expected) in counts {
        assert_eq!(conn.count(table), *expected, "{backend:?}: rows of {table}");
    }
}

/// A foreign key added to a table with rows, a composite primary key, a new
/// enum, a changed server default and column comment.
const KEYS: [&str; 2] = [
    include_str!("../../crates/codegen/tests/versions/keys_before.rs"),
    include_str!("../../crates/codegen/tests/versions/keys_after.rs"),
];

const SEED_TEAMS: &str = "INSERT INTO teams (id, name) VALUES (1, 'Reds'), (2, 'Blues');
INSERT INTO players (id, team_id, number) VALUES (1, 1, 9), (2, 2, 1);
INSERT INTO seasons (year, league) VALUES (2024, 'north'), (2025, 'south')";

const SEED: &str = "INSERT INTO authors (id, name) VALUES (1, 'Ada'), (2, 'Alan');
INSERT INTO posts (id, title) VALUES (1, 'Notes'), (2, 'Numbers'), (3, 'Engines')";
const SEED_PEOPLE: &str =
    "INSERT INTO people (id, fullname, state, age) VALUES (1, 'Ada', 'open', 36), (2, 'Alan', 'closed', 41)";

fn six_versions<C: Live>(conn: &mut C, fresh: &mut C) {
    walk(conn, fresh, &VERSIONS, SEED, &[("authors", 2), ("posts", 3)]);
}

fn renames<C: Live>(conn: &mut C, fresh: &mut C) {
    walk(conn, fresh, &RENAMES, SEED_PEOPLE, &[("people", 2)]);
}

fn keys<C: Live>(conn: &mut C, fresh: &mut C) {
    walk(conn, fresh, &KEYS, SEED_TEAMS, &[("players", 2), ("seasons", 2)]);
}

#[cfg(feature = "sqlite")]
#[test]
fn versions_up_and_down_sqlite() {
    let (mut conn, mut fresh) = (common::sqlite("m").unwrap(), common::sqlite("f").unwrap());
    six_versions(&mut conn, &mut fresh);
    let (mut conn, mut fresh) = (common::sqlite("m").unwrap(), common::sqlite("f").unwrap());
    renames(&mut conn, &mut fresh);
    let (mut conn, mut fresh) = (common::sqlite("m").unwrap(), common::sqlite("f").unwrap());
    keys(&mut conn, &mut fresh);
}

#[cfg(feature = "postgres")]
#[test]
fn versions_up_and_down_postgres() {
    let Some(mut conn) = common::postgres("migrations_walk") else { return };
    let mut fresh = common::postgres("migrations_fresh").unwrap();
    six_versions(&mut conn, &mut fresh);
    let mut conn = common::postgres("migrations_renames").unwrap();
    let mut fresh = common::postgres("migrations_renames_fresh").unwrap();
    renames(&mut conn, &mut fresh);
    let mut conn = common::postgres("migrations_keys").unwrap();
    let mut fresh = common::postgres("migrations_keys_fresh").unwrap();
    keys(&mut conn, &mut fresh);
}

#[cfg(feature = "mysql")]
#[test]
fn versions_up_and_down_mysql() {
    let Some(mut conn) = common::mysql("migrations_walk") else { return };
    let mut fresh = common::mysql("migrations_fresh").unwrap();
    six_versions(&mut conn, &mut fresh);
    let mut conn = common::mysql("migrations_renames").unwrap();
    let mut fresh = common::mysql("migrations_renames_fresh").unwrap();
    renames(&mut conn, &mut fresh);
    let mut conn = common::mysql("migrations_keys").unwrap();
    let mut fresh = common::mysql("migrations_keys_fresh").unwrap();
    keys(&mut conn, &mut fresh);
}
