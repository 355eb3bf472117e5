//! Autogenerate, as Alembic calls it: the operations that turn one schema
//! into another, and their SQL per backend, computed without a database.
//! (Reading and running the migrations folder is [`migrations`](crate::migrations).)
//!
//! [`diff`] compares two checked schemas (the one stored with the head
//! revision and the current one) and returns the [`Operation`]s of the
//! upgrade, in an order every backend can run; [`reverse`] derives the
//! downgrade. Every operation that destroys something (a dropped table,
//! column or constraint) carries the whole definition, so its reverse can
//! recreate it.
//!
//! ```
//! use quarry_schema::db::{Column, Schema, SqlType, Table};
//! use quarry_schema::autogenerate::{diff, reverse, statements, Operation};
//! use quarry_schema::Backend;
//!
//! let column = |name: &'static str, nullable| Column { nullable, ..Column::new(name, SqlType::Integer) };
//! let table = |columns: Vec<Column>| Schema {
//!     tables: vec![Table { columns: columns.into(), primary_key: vec!["id".into()].into(), ..Table::empty("t") }].into(),
//!     ..Schema::default()
//! };
//! let old = table(vec![column("id", false)]);
//! let new = table(vec![column("id", false), column("note", true)]);
//! let up = diff(&old, &new);
//! assert!(matches!(&up[..], [Operation::AddColumn { table, column }] if table == "t" && column.name == "note"));
//! assert!(matches!(&reverse(&up)[..], [Operation::DropColumn { .. }]));
//! assert!(diff(&new, &new).is_empty());
//! assert_eq!(statements(&up, &old, &new, Backend::Postgres), [r#"ALTER TABLE "t" ADD COLUMN "note" INTEGER"#]);
//! ```

mod diff;
mod ops;
mod script;
mod sql;
mod sqlite;

pub use diff::diff;
pub use ops::{reverse, Operation};
pub use script::{scripts, Scripts};
pub use sql::{statements, statements_per_operation};
