//! What a live database holds, read from its own catalog, and how it
//! differs from a schema.
//!
//! [`catalog`] reads tables, their columns (type as the catalog spells it,
//! nullability, default as SQL, comment), primary key, unique
//! constraints, indexes, foreign keys (with their actions) and CHECK
//! constraints (with their bodies), each backend from its own catalog.
//! [`differences`] compares that with a [`Schema`] the way Alembic's
//! `compare_metadata` does, and more strictly: defaults and CHECK bodies by
//! their normalised SQL, index and key columns in order, foreign key
//! actions, comments. `quarry check --url` prints its result.
//!
//! ```
//! use diesel::connection::SimpleConnection;
//! use diesel::Connection;
//! use quarry::inspect::Difference;
//!
//! let mut conn = diesel::SqliteConnection::establish(":memory:")?;
//! conn.batch_execute(
//!     "CREATE TABLE notes (id INTEGER NOT NULL, body TEXT DEFAULT 'x', \
//!      CONSTRAINT \"pk_notes\" PRIMARY KEY (id)); CREATE INDEX ix_notes_body ON notes (body)",
//! )?;
//! let catalog = quarry::inspect::catalog(&mut conn)?;
//! let notes = catalog.table("notes").unwrap();
//! assert_eq!(notes.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["id", "body"]);
//! assert!(!notes.columns[0].nullable && notes.columns[1].nullable);
//! assert_eq!(notes.columns[1].default.as_deref(), Some("'x'"));
//! assert_eq!(notes.primary_key.as_ref().unwrap().name.as_deref(), Some("pk_notes"));
//! assert_eq!(notes.indexes[0].columns, ["body"]);
//!
//! // The schema says the default is 'y' and the index is unique.
//! use quarry::metadata::db::{Column, Index, Schema, ServerDefault, SqlType, Table};
//! let body = Column { nullable: true, server_default: Some(ServerDefault::Str("y".into())), ..Column::new("body", SqlType::Text) };
//! let index = Index { name: "ix_notes_body".into(), columns: vec!["body".into()].into(), unique: true };
//! let table = Table {
//!     columns: vec![Column::new("id", SqlType::Integer), body].into(),
//!     primary_key: vec!["id".into()].into(),
//!     indexes: vec![index].into(),
//!     ..Table::empty("notes")
//! };
//! let schema = Schema { tables: vec![table].into(), ..Schema::default() };
//! let found = quarry::inspect::compare(&mut conn, &schema)?;
//! assert_eq!(found.iter().map(|d| d.to_string()).collect::<Vec<_>>(), [
//!     "column notes.body has DEFAULT 'x' in the database, DEFAULT 'y' in the schema",
//!     "index ix_notes_body on notes is (body) in the database, UNIQUE (body) in the schema",
//! ]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What each backend exposes
//!
//! | | SQLite | PostgreSQL | MySQL / MariaDB |
//! |---|---|---|---|
//! | tables, columns, types, nullability | `pragma_table_info` | `pg_attribute` | `information_schema.COLUMNS` |
//! | defaults | as written | as `pg_get_expr` prints them | `COLUMN_DEFAULT` (MariaDB quotes literals; MySQL 8 does not, so quarry quotes them) |
//! | comments | none: SQLite has no comments | `obj_description`, `col_description` | `TABLE_COMMENT`, `COLUMN_COMMENT` |
//! | primary key, unique, foreign key, CHECK | parsed from the `CREATE TABLE` text in `sqlite_master` (the only place SQLite keeps their names and CHECK bodies) | `pg_constraint`, CHECK bodies by `pg_get_expr` | `TABLE_CONSTRAINTS`, `KEY_COLUMN_USAGE`, `REFERENTIAL_CONSTRAINTS`, `CHECK_CONSTRAINTS` |
//! | indexes | `pragma_index_list` (made by `CREATE INDEX`) | `pg_index`, but those backing a constraint | `STATISTICS`: every index but `PRIMARY`, those of unique constraints and foreign keys included |
//!
//! Not read anywhere: partial-index predicates, index sort order and
//! collations, column collations, triggers, views, sequences, generated
//! columns' expressions, PostgreSQL enum types' values.

mod compare;
mod difference;
#[cfg(feature = "mysql")]
mod mysql;
mod normal;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod read;
#[cfg(feature = "sqlite")]
mod sqlite;
mod tokens;
mod types;

pub use compare::differences;
pub use difference::Difference;

use crate::engine::EngineConnection;
use crate::error::Result;
use crate::metadata::db::{FkAction, Schema};

/// The tables of the database a connection uses: SQLite's main database,
/// PostgreSQL's `current_schema()` (and any other schemas asked for),
/// MySQL's `DATABASE()`. quarry's own `quarry_migrations` is among them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Catalog {
    /// In (namespace, name) order, the current namespace first.
    pub tables: Vec<Table>,
}

/// A table as the database's catalog describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Table {
    /// The name as the catalog spells it, without quotes.
    pub name: String,
    /// The PostgreSQL schema holding it, when that is not the connection's
    /// `current_schema()`; `None` on SQLite and MySQL.
    pub namespace: Option<String>,
    /// The table comment (PostgreSQL, MySQL); an empty one is `None`.
    pub comment: Option<String>,
    /// In the table's column order.
    pub columns: Vec<Column>,
    /// The primary key, if the table has one.
    pub primary_key: Option<PrimaryKey>,
    /// Unique constraints. MySQL lists every unique index here too (it
    /// keeps no difference between the two).
    pub uniques: Vec<Unique>,
    /// Indexes in name order: those made by `CREATE INDEX` (SQLite), those
    /// not backing a constraint (PostgreSQL), every index but `PRIMARY`
    /// (MySQL, which also makes one for each unique constraint and, where
    /// no other serves, each foreign key).
    pub indexes: Vec<Index>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
    /// CHECK constraints, with MariaDB's own checks on JSON columns.
    pub checks: Vec<Check>,
}

/// A column as the database's catalog describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Column {
    /// The name as the catalog spells it.
    pub name: String,
    /// The type as the catalog spells it: `VARCHAR(50)` (SQLite, as
    /// declared), `character varying(50)` (PostgreSQL's `format_type`),
    /// `varchar(50)` (MySQL's `COLUMN_TYPE`).
    pub sql_type: String,
    /// Whether it takes NULL (no `NOT NULL`).
    pub nullable: bool,
    /// The default's SQL as the backend keeps it (`'x'::character varying`
    /// on PostgreSQL, `'x'` elsewhere), if it has one. PostgreSQL identity
    /// columns and MySQL `AUTO_INCREMENT` columns have none.
    pub default: Option<String>,
    /// The column comment (PostgreSQL, MySQL); an empty one is `None`.
    pub comment: Option<String>,
}

/// A primary key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct PrimaryKey {
    /// Its constraint name: `None` on MySQL (always `PRIMARY`) and on
    /// SQLite when the `CREATE TABLE` gives none.
    pub name: Option<String>,
    /// Its columns, in key order.
    pub columns: Vec<String>,
}

/// A unique constraint.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Unique {
    /// Its name; `None` for SQLite's unnamed ones.
    pub name: Option<String>,
    /// Its columns, in order.
    pub columns: Vec<String>,
}

/// An index.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Index {
    /// Its name.
    pub name: String,
    /// Its columns in order; an expression is its SQL text.
    pub columns: Vec<String>,
    /// Whether it is unique.
    pub unique: bool,
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ForeignKey {
    /// Its name; `None` for SQLite's unnamed ones.
    pub name: Option<String>,
    /// The columns of this table, in order.
    pub columns: Vec<String>,
    /// The referenced table's PostgreSQL schema, when that is not the
    /// current one.
    pub ref_namespace: Option<String>,
    /// The referenced table.
    pub ref_table: String,
    /// The referenced columns, in order.
    pub ref_columns: Vec<String>,
    /// ON DELETE, as the catalog says: `NoAction` when none was given,
    /// except on MySQL, which says `RESTRICT` then (the same in InnoDB, which
    /// also keeps `SET DEFAULT` as `RESTRICT`).
    pub on_delete: FkAction,
    /// ON UPDATE, likewise.
    pub on_update: FkAction,
}

/// A CHECK constraint.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Check {
    /// Its name; `None` for SQLite's unnamed ones.
    pub name: Option<String>,
    /// Its condition as the backend keeps it: as written (SQLite),
    /// `pg_get_expr`'s rewrite (PostgreSQL: `((a > 0) AND (b < 9))`),
    /// with backquotes (MariaDB).
    pub sql: String,
}

impl Catalog {
    /// The table named `name` in the current namespace.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.table_in(None, name)
    }

    /// The table named `name` in the PostgreSQL schema `namespace` (`None`:
    /// the current one).
    pub fn table_in(&self, namespace: Option<&str>, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name && t.namespace.as_deref() == namespace)
    }
}

impl Table {
    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The names of its constraints, sorted: primary key, unique, foreign
    /// key and CHECK (unnamed ones left out).
    pub fn constraint_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .primary_key
            .iter()
            .filter_map(|k| k.name.as_deref())
            .chain(self.uniques.iter().filter_map(|u| u.name.as_deref()))
            .chain(self.foreign_keys.iter().filter_map(|f| f.name.as_deref()))
            .chain(self.checks.iter().filter_map(|c| c.name.as_deref()))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The names of its indexes, sorted.
    pub fn index_names(&self) -> Vec<&str> {
        self.indexes.iter().map(|i| i.name.as_str()).collect()
    }
}

/// A connection whose database can be inspected: SQLite, PostgreSQL and
/// MySQL/MariaDB.
pub trait InspectConnection: EngineConnection {
    /// Reads the catalog, with the tables of the PostgreSQL schemas
    /// `namespaces` besides the current one; see [`catalog_in`].
    fn read_catalog(&mut self, namespaces: &[&str]) -> Result<Catalog>;
}

/// The tables, columns, keys, constraints and indexes of the database
/// `conn` uses.
pub fn catalog<C: InspectConnection>(conn: &mut C) -> Result<Catalog> {
    conn.read_catalog(&[])
}

/// [`catalog`], with the tables of the PostgreSQL schemas `namespaces` too
/// (their [`Table::namespace`] names them). Other backends have no
/// namespaces within a database and ignore them.
pub fn catalog_in<C: InspectConnection>(conn: &mut C, namespaces: &[&str]) -> Result<Catalog> {
    conn.read_catalog(namespaces)
}

/// Every difference between the database `conn` uses and `schema`: reads
/// the catalog (with the PostgreSQL schemas `schema`'s tables name) and
/// calls [`differences`].
pub fn compare<C: InspectConnection>(conn: &mut C, schema: &Schema) -> Result<Vec<Difference>> {
    let mut namespaces: Vec<&str> = schema.tables.iter().filter_map(|t| t.schema.as_deref()).collect();
    namespaces.sort_unstable();
    namespaces.dedup();
    let catalog = catalog_in(conn, &namespaces)?;
    Ok(differences(&catalog, schema, C::BACKEND))
}

impl<C: InspectConnection> crate::Engine<C> {
    /// [`catalog`] over one of this engine's connections.
    pub fn inspect(&self) -> Result<Catalog> {
        catalog(&mut *self.connection()?)
    }

    /// [`compare`] over one of this engine's connections.
    pub fn compare(&self, schema: &Schema) -> Result<Vec<Difference>> {
        compare(&mut *self.connection()?, schema)
    }
}

impl crate::AnyEngine {
    /// [`catalog`] on whichever backend this engine is.
    pub fn inspect(&self) -> Result<Catalog> {
        crate::with_engine!(self, |engine| engine.inspect())
    }

    /// [`compare`] on whichever backend this engine is.
    pub fn compare(&self, schema: &Schema) -> Result<Vec<Difference>> {
        crate::with_engine!(self, |engine| engine.compare(schema))
    }
}

macro_rules! inspect_with_sql_query {
    ($connection:ty, $reader:path) => {
        impl InspectConnection for $connection {
            fn read_catalog(&mut self, namespaces: &[&str]) -> Result<Catalog> {
                use diesel::RunQueryDsl;
                $reader(&mut |sql: &str| Ok(diesel::sql_query(sql).load::<read::Row>(&mut *self)?), namespaces)
            }
        }
    };
}

#[cfg(feature = "sqlite")]
inspect_with_sql_query!(diesel::SqliteConnection, sqlite::read);
#[cfg(feature = "postgres")]
inspect_with_sql_query!(diesel::PgConnection, postgres::read);
#[cfg(feature = "mysql")]
inspect_with_sql_query!(diesel::MysqlConnection, mysql::read);
