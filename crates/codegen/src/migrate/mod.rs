//! Schema migrations as data: the operations that turn one schema into
//! another, computed without a database.
//!
//! [`diff`] compares two checked schemas (the one stored with the head
//! revision and the current one) and returns the [`Operation`]s of the
//! upgrade, in an order every backend can run; [`reverse`] derives the
//! downgrade. Every operation that destroys something (a dropped table,
//! column or constraint) carries the whole definition, so its reverse can
//! recreate it.
//!
//! ```
//! use quarry_codegen::migrate::{diff, reverse, Operation};
//!
//! let old = quarry_codegen::load_str("v1.rs", "#[table(name = \"t\")] pub struct T { #[column(primary_key)] pub id: i32 }").unwrap();
//! let new = quarry_codegen::load_str("v2.rs", "#[table(name = \"t\")] pub struct T { #[column(primary_key)] pub id: i32, pub note: Option<String> }").unwrap();
//! let up = diff(&old, &new);
//! assert!(matches!(&up[..], [Operation::AddColumn { table, column }] if table == "t" && column.name == "note"));
//! assert!(matches!(&reverse(&up)[..], [Operation::DropColumn { .. }]));
//! assert!(diff(&new, &new).is_empty());
//! ```

mod diff;
mod ops;
mod sql;

pub use diff::diff;
pub use ops::{reverse, Operation};
pub use sql::statements;
