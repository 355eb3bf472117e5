//! `quarry::inspect` reads what a live database holds, the same way on
//! every backend: tables in name order, columns in table order with their
//! catalog type, nullability and default, the primary key, unique
//! constraints, indexes, foreign keys and checks with their columns,
//! actions and bodies (what `quarry check` compares with the schema).

use crate::common;

use diesel::connection::SimpleConnection;
use quarry::engine::Backend;
use quarry::inspect::Catalog;
use quarry::metadata::db::FkAction;

const DDL: &str = r#"
CREATE TABLE parents (id INTEGER NOT NULL, CONSTRAINT "pk_parents" PRIMARY KEY (id));
CREATE TABLE kids (
    id INTEGER NOT NULL,
    parent_id INTEGER NOT NULL,
    name VARCHAR(50) DEFAULT 'x',
    CONSTRAINT "pk_kids" PRIMARY KEY (id),
    CONSTRAINT "uq_kids_name" UNIQUE (name),
    CONSTRAINT "ck_kids_id" CHECK (id > 0),
    CONSTRAINT "fk_kids_parent_id" FOREIGN KEY (parent_id) REFERENCES parents (id) ON DELETE CASCADE
);
CREATE INDEX ix_kids_parent_id ON kids (parent_id);
"#;

fn check(backend: Backend, catalog: &Catalog) {
    assert_eq!(catalog.tables.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["kids", "parents"]);
    let kids = catalog.table("kids").unwrap();
    let columns: Vec<(&str, bool, bool)> =
        kids.columns.iter().map(|c| (c.name.as_str(), c.nullable, c.default.is_some())).collect();
    assert_eq!(columns, [("id", false, false), ("parent_id", false, false), ("name", true, true)]);
    let name = kids.column("name").unwrap();
    let (varchar, default) = match backend {
        Backend::Sqlite => ("VARCHAR(50)", "'x'"),
        Backend::Postgres => ("character varying(50)", "'x'::character varying"),
        Backend::Mysql => ("varchar(50)", "'x'"),
    };
    assert_eq!((name.sql_type.as_str(), name.default.as_deref()), (varchar, Some(default)));
    let strings = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    let key = kids.primary_key.as_ref().unwrap();
    assert_eq!(key.columns, ["id"]);
    let fk = &kids.foreign_keys[0];
    // MySQL says RESTRICT where no action was given.
    let none = if backend == Backend::Mysql { FkAction::Restrict } else { FkAction::NoAction };
    assert_eq!(
        (fk.name.as_deref(), &fk.columns, fk.ref_table.as_str(), &fk.ref_columns, fk.on_delete, fk.on_update),
        (Some("fk_kids_parent_id"), &strings(&["parent_id"]), "parents", &strings(&["id"]), FkAction::Cascade, none)
    );
    assert_eq!(
        (kids.uniques[0].name.as_deref(), kids.uniques[0].columns.as_slice()),
        (Some("uq_kids_name"), &["name".to_owned()][..])
    );
    let check = kids.checks.iter().find(|c| c.name.as_deref() == Some("ck_kids_id")).unwrap();
    let body = match backend {
        Backend::Sqlite => "id > 0",
        Backend::Postgres => "(id > 0)",
        Backend::Mysql => "`id` > 0",
    };
    assert_eq!(check.sql, body);
    match backend {
        Backend::Mysql => {
            // The primary key is always PRIMARY; a unique constraint is an index too.
            assert_eq!(key.name, None);
            assert_eq!(kids.constraint_names(), ["ck_kids_id", "fk_kids_parent_id", "uq_kids_name"]);
            assert_eq!(kids.index_names(), ["ix_kids_parent_id", "uq_kids_name"]);
        }
        _ => {
            assert_eq!(key.name.as_deref(), Some("pk_kids"));
            assert_eq!(kids.constraint_names(), ["ck_kids_id", "fk_kids_parent_id", "pk_kids", "uq_kids_name"]);
            assert_eq!(kids.index_names(), ["ix_kids_parent_id"]);
        }
    }
    let index = kids.indexes.iter().find(|i| i.name == "ix_kids_parent_id").unwrap();
    assert_eq!((index.columns.as_slice(), index.unique), (&["parent_id".to_owned()][..], false));
    // Comments: none here, and SQLite has none at all.
    assert_eq!((kids.comment.as_deref(), name.comment.as_deref()), (None, None));
}

common::engine_tests! {
    fn reads_tables_columns_constraints_and_indexes(engine) {
        let backend = engine.url().backend();
        let ddl = if backend == Backend::Mysql { DDL.replace('"', "`") } else { DDL.to_owned() };
        engine.connection().unwrap().batch_execute(&ddl).unwrap();
        check(backend, &engine.inspect().unwrap());
        // The same through a connection of it.
        check(backend, &quarry::inspect::catalog(&mut *engine.connection().unwrap()).unwrap());
    }
}

/// An empty database has no tables; quarry's bookkeeping table shows once
/// migrations ran.
#[cfg(feature = "sqlite")]
#[test]
fn any_engine_inspects_whichever_backend_its_url_names() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("inspect_any_engine.db");
    let _ = std::fs::remove_file(&path);
    let engine = quarry::AnyEngine::connect(&format!("sqlite:///{}", path.display())).unwrap();
    assert_eq!(engine.inspect().unwrap(), Catalog::default());
    quarry::with_engine!(engine, |engine| quarry::migrate::applied(&mut *engine.connection().unwrap())).unwrap();
    let tables = engine.inspect().unwrap().tables;
    assert_eq!(tables.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["quarry_migrations"]);
}
