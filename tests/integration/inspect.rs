//! `quarry::inspect` reads what a live database holds, the same way on
//! every backend: tables in name order, columns in table order with their
//! catalog type, nullability and default, and constraint and index names
//! (what `quarry check` compares with the schema).

use crate::common;

use diesel::connection::SimpleConnection;
use quarry::engine::Backend;
use quarry::inspect::Catalog;

const DDL: &str = r#"
CREATE TABLE parents (id INTEGER NOT NULL, CONSTRAINT "pk_parents" PRIMARY KEY (id));
CREATE TABLE kids (
    id INTEGER NOT NULL,
    parent_id INTEGER NOT NULL,
    name VARCHAR(50) DEFAULT 'x',
    CONSTRAINT "pk_kids" PRIMARY KEY (id),
    CONSTRAINT "uq_kids_name" UNIQUE (name),
    CONSTRAINT "ck_kids_id" CHECK (id > 0),
    CONSTRAINT "fk_kids_parent_id" FOREIGN KEY (parent_id) REFERENCES parents (id)
);
CREATE INDEX ix_kids_parent_id ON kids (parent_id);
"#;

fn names(found: &[String]) -> Vec<&str> {
    found.iter().map(String::as_str).collect()
}

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
    match backend {
        Backend::Mysql => {
            // The primary key is always PRIMARY; a unique constraint is an index too.
            assert_eq!(names(&kids.constraints), ["ck_kids_id", "fk_kids_parent_id", "uq_kids_name"]);
            assert_eq!(names(&kids.indexes), ["ix_kids_parent_id", "uq_kids_name"]);
        }
        _ => {
            assert_eq!(names(&kids.constraints), ["ck_kids_id", "fk_kids_parent_id", "pk_kids", "uq_kids_name"]);
            assert_eq!(names(&kids.indexes), ["ix_kids_parent_id"]);
        }
    }
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
