//! quarry: declarative schemas, typed diesel queries, sessions and
//! migrations, for SQLite, PostgreSQL and MySQL/MariaDB.
//!
//! (Crate docs: see README.md; the runnable tour lives in `examples/`.)

mod any;
pub mod ddl;
pub mod dsl;
pub mod engine;
pub mod error;
pub mod metadata;
pub mod migrate;
pub mod model;
pub mod relation;
pub mod session;
pub mod sql_types;
pub mod types;

#[doc(hidden)]
pub mod __codegen;

pub use any::AnyEngine;
pub use engine::Engine;
pub use error::{Error, Result};
pub use metadata::Metadata;
pub use model::{FlushRows, Model, NewRow};
pub use relation::Relation;
pub use session::{Flushed, Page, Pending, RowRef, Session};
pub use types::{Decimal, Json, Jsonb, NaiveTimestamp, UtcDateTime};

/// Re-export of the diesel quarry is built on.
pub use diesel;

/// Includes the module that `quarry_codegen` generated from `schema/*.rs`.
///
/// ```ignore
/// mod schema {
///     quarry::include_schema!();
/// }
/// ```
#[macro_export]
macro_rules! include_schema {
    () => {
        include!(concat!(env!("OUT_DIR"), "/quarry_schema.rs"));
    };
}

/// The migrations the build script embedded with
/// `quarry_codegen::embed_migrations("migrations", out_dir.join("migrations.rs"))`,
/// as a `&'static [quarry::migrate::Migration]`.
///
/// ```ignore
/// static MIGRATIONS: &[quarry::migrate::Migration] = quarry::embed_migrations!();
/// engine.run_migrations(MIGRATIONS)?;
/// ```
#[macro_export]
macro_rules! embed_migrations {
    () => {
        include!(concat!(env!("OUT_DIR"), "/migrations.rs"))
    };
}
