//! `quarry::inspect::compare`, what `quarry check --url` reports, on every
//! backend: each kind of drift made by hand after `create_all` is reported
//! exactly, one difference per change, with its message: a changed or dropped
//! server default, a foreign key that lost ON DELETE CASCADE or gained an
//! ON UPDATE, an index or unique constraint of the same name over other
//! columns (or made unique), a CHECK of the same name with another body, a
//! changed column comment and a dropped table comment.

use crate::common;

use diesel::connection::SimpleConnection;
use quarry::engine::Backend;
use quarry::inspect::{Difference, InspectConnection};
use quarry::metadata::db::Schema;
use quarry::Metadata;

/// The schema the drift scenarios start from: every kind of thing `check`
/// compares, once.
const KIDS: &str = r#"
/// A parent.
#[table(name = "parents")]
pub struct Parent {
    #[column(primary_key)]
    pub id: i32,
}

/// A child.
#[table(name = "kids")]
#[unique(name = "uq_kids_name_parent", columns(name, parent_id))]
#[index(name = "ix_kids_name_age", columns(name, age))]
#[check(name = "ck_kids_age", sql = "age >= 0")]
pub struct Kid {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = parents.id, on_delete = cascade)]
    pub parent_id: i32,
    /// What the kid is called.
    #[column(max_length = 40, server_default = "anon")]
    pub name: String,
    #[column(server_default = 0)]
    pub age: i32,
}
"#;

fn kids() -> Schema {
    quarry_codegen::lower::database(&quarry_codegen::load_str("kids.rs", KIDS).expect("a valid schema"))
}

/// One change made by hand, spelled for each backend.
struct ByHand<'a> {
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    postgres: &'a str,
    #[cfg_attr(not(feature = "mysql"), allow(dead_code))]
    mysql: &'a str,
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    sqlite: Sqlite<'a>,
}

/// SQLite cannot alter a column or a constraint in place: such a change
/// is an edit of the table's `CREATE TABLE` text, made by dropping the
/// (empty) table and creating it again from the edited text.
enum Sqlite<'a> {
    Sql(&'a str),
    /// In the `CREATE TABLE` text of `kids`, each first text replaced by
    /// its second.
    Edit(&'a [(&'a str, &'a str)]),
}

/// A connection on which a change can be made by hand.
trait Drift: InspectConnection {
    fn by_hand(&mut self, change: &ByHand<'_>);
}

#[cfg(feature = "sqlite")]
impl Drift for diesel::SqliteConnection {
    fn by_hand(&mut self, change: &ByHand<'_>) {
        use diesel::prelude::*;
        let edits = match change.sqlite {
            Sqlite::Sql(sql) => return self.batch_execute(sql).unwrap(),
            Sqlite::Edit(edits) => edits,
        };
        let text = |conn: &mut Self, sql: &str| -> String {
            diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(sql)).get_result(conn).unwrap()
        };
        let mut table = text(self, "(SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'kids')");
        for (from, to) in edits {
            assert!(table.contains(from), "{from:?} is not in {table}");
            table = table.replace(from, to);
        }
        let indexes = text(
            self,
            "(SELECT coalesce(group_concat(sql, ';'), '') FROM sqlite_master WHERE type = 'index' AND tbl_name = 'kids' AND sql IS NOT NULL)",
        );
        self.batch_execute(&format!(
            "PRAGMA foreign_keys = OFF; DROP TABLE kids; {table}; {indexes}; PRAGMA foreign_keys = ON"
        ))
        .unwrap();
    }
}

#[cfg(feature = "postgres")]
impl Drift for diesel::PgConnection {
    fn by_hand(&mut self, change: &ByHand<'_>) {
        self.batch_execute(change.postgres).unwrap();
    }
}

#[cfg(feature = "mysql")]
impl Drift for diesel::MysqlConnection {
    fn by_hand(&mut self, change: &ByHand<'_>) {
        self.batch_execute(change.mysql).unwrap();
    }
}

/// The differences after `create_all` of [`KIDS`] (which match it) and
/// then `change`.
fn after<C: Drift>(conn: &mut C, change: ByHand<'_>) -> Vec<Difference> {
    let schema = kids();
    let metadata = Metadata { schema: schema.clone(), models: Vec::new().into() };
    quarry::ddl::create_all(conn, &metadata).unwrap();
    assert_eq!(quarry::inspect::compare(conn, &schema).unwrap(), [], "{}: before the change", C::BACKEND);
    conn.by_hand(&change);
    quarry::inspect::compare(conn, &schema).unwrap()
}

/// The backend of `conn`.
fn backend<C: InspectConnection>(_: &C) -> Backend {
    C::BACKEND
}

/// What each backend's catalog says, for `backend`.
fn on(backend: Backend, sqlite: &str, postgres: &str, mysql: &str) -> String {
    match backend {
        Backend::Sqlite => sqlite,
        Backend::Postgres => postgres,
        Backend::Mysql => mysql,
    }
    .to_owned()
}

fn kids_table() -> String {
    "kids".to_owned()
}

common::backend_tests! {
    fn a_changed_server_default_is_reported(conn) {
        let found = after(conn, ByHand {
            postgres: "ALTER TABLE kids ALTER COLUMN age SET DEFAULT 1; ALTER TABLE kids ALTER COLUMN name SET DEFAULT 'anonymous'",
            mysql: "ALTER TABLE kids ALTER COLUMN age SET DEFAULT 1; ALTER TABLE kids ALTER COLUMN name SET DEFAULT 'anonymous'",
            sqlite: Sqlite::Edit(&[("DEFAULT 'anon'", "DEFAULT 'anonymous'"), ("DEFAULT 0", "DEFAULT 1")]),
        });
        let name = on(backend(conn), "'anonymous'", "'anonymous'::character varying", "'anonymous'");
        assert_eq!(found, [
            Difference::Default { table: kids_table(), column: "name".into(), database: Some(name), schema: Some("'anon'".into()) },
            Difference::Default { table: kids_table(), column: "age".into(), database: Some("1".into()), schema: Some("0".into()) },
        ]);
        assert_eq!(
            found[1].to_string(),
            "column kids.age has DEFAULT 1 in the database, DEFAULT 0 in the schema"
        );
    }

    fn a_dropped_server_default_is_reported(conn) {
        let found = after(conn, ByHand {
            postgres: "ALTER TABLE kids ALTER COLUMN age DROP DEFAULT",
            mysql: "ALTER TABLE kids ALTER COLUMN age DROP DEFAULT",
            sqlite: Sqlite::Edit(&[(" DEFAULT 0", "")]),
        });
        assert_eq!(found, [
            Difference::Default { table: kids_table(), column: "age".into(), database: None, schema: Some("0".into()) },
        ]);
        assert_eq!(found[0].to_string(), "column kids.age has no default in the database, DEFAULT 0 in the schema");
    }

    fn a_foreign_key_that_lost_on_delete_cascade_is_reported(conn) {
        let found = after(conn, ByHand {
            postgres: "ALTER TABLE kids DROP CONSTRAINT fk_kids_parent_id_parents; \
                       ALTER TABLE kids ADD CONSTRAINT fk_kids_parent_id_parents FOREIGN KEY (parent_id) REFERENCES parents (id)",
            mysql: "ALTER TABLE kids DROP FOREIGN KEY fk_kids_parent_id_parents; \
                    ALTER TABLE kids ADD CONSTRAINT fk_kids_parent_id_parents FOREIGN KEY (parent_id) REFERENCES parents (id)",
            sqlite: Sqlite::Edit(&[(" ON DELETE CASCADE", "")]),
        });
        assert_eq!(found, [Difference::ForeignKey {
            table: kids_table(),
            name: "fk_kids_parent_id_parents".into(),
            database: "(parent_id) REFERENCES parents (id)".into(),
            schema: "(parent_id) REFERENCES parents (id) ON DELETE CASCADE".into(),
        }]);
        assert_eq!(
            found[0].to_string(),
            "foreign key fk_kids_parent_id_parents on kids is (parent_id) REFERENCES parents (id) in the database, \
             (parent_id) REFERENCES parents (id) ON DELETE CASCADE in the schema"
        );
    }

    fn a_foreign_key_with_another_on_update_is_reported(conn) {
        let found = after(conn, ByHand {
            postgres: "ALTER TABLE kids DROP CONSTRAINT fk_kids_parent_id_parents; \
                       ALTER TABLE kids ADD CONSTRAINT fk_kids_parent_id_parents FOREIGN KEY (parent_id) REFERENCES parents (id) \
                       ON DELETE CASCADE ON UPDATE CASCADE",
            mysql: "ALTER TABLE kids DROP FOREIGN KEY fk_kids_parent_id_parents; \
                    ALTER TABLE kids ADD CONSTRAINT fk_kids_parent_id_parents FOREIGN KEY (parent_id) REFERENCES parents (id) \
                    ON DELETE CASCADE ON UPDATE CASCADE",
            sqlite: Sqlite::Edit(&[(" ON DELETE CASCADE", " ON DELETE CASCADE ON UPDATE CASCADE")]),
        });
        assert_eq!(found, [Difference::ForeignKey {
            table: kids_table(),
            name: "fk_kids_parent_id_parents".into(),
            database: "(parent_id) REFERENCES parents (id) ON DELETE CASCADE ON UPDATE CASCADE".into(),
            schema: "(parent_id) REFERENCES parents (id) ON DELETE CASCADE".into(),
        }]);
    }

    fn an_index_of_the_same_name_over_other_columns_is_reported(conn) {
        let found = after(conn, ByHand {
            postgres: "DROP INDEX ix_kids_name_age; CREATE INDEX ix_kids_name_age ON kids (age, name)",
            mysql: "DROP INDEX ix_kids_name_age ON kids; CREATE INDEX ix_kids_name_age ON kids (age, name)",
            sqlite: Sqlite::Sql("DROP INDEX ix_kids_name_age; CREATE INDEX ix_kids_name_age ON kids (age, name)"),
        });
        assert_eq!(found, [Difference::Index {
            table: kids_table(),
            name: "ix_kids_name_age".into(),
            database: "(age, name)".into(),
            schema: "(name, age)".into(),
        }]);
        assert_eq!(found[0].to_string(), "index ix_kids_name_age on kids is (age, name) in the database, (name, age) in the schema");
    }

    fn an_index_made_unique_is_reported(conn) {
        let found = after(conn, ByHand {
            postgres: "DROP INDEX ix_kids_name_age; CREATE UNIQUE INDEX ix_kids_name_age ON kids (name, age)",
            mysql: "DROP INDEX ix_kids_name_age ON kids; CREATE UNIQUE INDEX ix_kids_name_age ON kids (name, age)",
            sqlite: Sqlite::Sql("DROP INDEX ix_kids_name_age; CREATE UNIQUE INDEX ix_kids_name_age ON kids (name, age)"),
        });
        assert_eq!(found, [Difference::Index {
            table: kids_table(),
            name: "ix_kids_name_age".into(),
            database: "UNIQUE (name, age)".into(),
            schema: "(name, age)".into(),
        }]);
    }

    fn a_unique_constraint_of_the_same_name_over_other_columns_is_reported(conn) {
        let found = after(conn, ByHand {
            postgres: "ALTER TABLE kids DROP CONSTRAINT uq_kids_name_parent; \
                       ALTER TABLE kids ADD CONSTRAINT uq_kids_name_parent UNIQUE (parent_id, name)",
            mysql: "ALTER TABLE kids DROP INDEX uq_kids_name_parent, ADD CONSTRAINT uq_kids_name_parent UNIQUE (parent_id, name)",
            sqlite: Sqlite::Edit(&[(r#"UNIQUE ("name", "parent_id")"#, r#"UNIQUE ("parent_id", "name")"#)]),
        });
        assert_eq!(found, [Difference::Unique {
            table: kids_table(),
            name: "uq_kids_name_parent".into(),
            database: "(parent_id, name)".into(),
            schema: "(name, parent_id)".into(),
        }]);
    }

    fn a_check_with_another_body_is_reported(conn) {
        let found = after(conn, ByHand {
            postgres: "ALTER TABLE kids DROP CONSTRAINT ck_kids_age; ALTER TABLE kids ADD CONSTRAINT ck_kids_age CHECK (age > 0)",
            mysql: "ALTER TABLE kids DROP CONSTRAINT ck_kids_age; ALTER TABLE kids ADD CONSTRAINT ck_kids_age CHECK (age > 0)",
            sqlite: Sqlite::Edit(&[("CHECK (age >= 0)", "CHECK (age > 0)")]),
        });
        let database = on(backend(conn), "age > 0", "(age > 0)", "`age` > 0");
        assert_eq!(found, [Difference::Check {
            table: kids_table(),
            name: "ck_kids_age".into(),
            database: database.clone(),
            schema: "age >= 0".into(),
        }]);
        assert_eq!(
            found[0].to_string(),
            format!("check constraint ck_kids_age on kids is CHECK ({database}) in the database, CHECK (age >= 0) in the schema")
        );
    }

    fn a_changed_column_comment_is_reported(conn) {
        // SQLite keeps no comments: there the change cannot be made, and
        // comments are not compared.
        let found = after(conn, ByHand {
            postgres: "COMMENT ON COLUMN kids.name IS 'Its name.'",
            mysql: "ALTER TABLE kids MODIFY COLUMN name VARCHAR(40) NOT NULL DEFAULT 'anon' COMMENT 'Its name.'",
            sqlite: Sqlite::Sql(""),
        });
        let expected = Difference::ColumnComment {
            table: kids_table(),
            column: "name".into(),
            database: Some("Its name.".into()),
            schema: Some("What the kid is called.".into()),
        };
        match backend(conn) {
            Backend::Sqlite => assert_eq!(found, []),
            _ => {
                assert_eq!(found, [expected]);
                assert_eq!(
                    found[0].to_string(),
                    "column kids.name has comment \"Its name.\" in the database, comment \"What the kid is called.\" in the schema"
                );
            }
        }
    }

    fn a_dropped_table_comment_is_reported(conn) {
        let found = after(conn, ByHand {
            postgres: "COMMENT ON TABLE kids IS NULL",
            mysql: "ALTER TABLE kids COMMENT = ''",
            sqlite: Sqlite::Sql(""),
        });
        let expected = Difference::TableComment { table: kids_table(), database: None, schema: Some("A child.".into()) };
        match backend(conn) {
            Backend::Sqlite => assert_eq!(found, []),
            _ => assert_eq!(found, [expected]),
        }
    }
}
