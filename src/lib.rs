//! quarry: declarative schemas, typed diesel queries, sessions and
//! migrations, for SQLite, PostgreSQL and MySQL/MariaDB: SQLAlchemy's and
//! Alembic's ideas, checked by rustc.
//!
//! A build script turns `schema/*.rs` into diesel `table!` modules, models,
//! insertables and metadata (`quarry_codegen::Builder`); every query is a
//! diesel query; an [`Engine`] pools connections and a [`Session`] runs
//! queries and a unit of work over one of them.
//!
//! ```
//! use diesel::prelude::*;
//! use quarry::{Engine, Error};
//!
//! // What the build script generates from a schema file, written by hand here.
//! diesel::table! { notes (id) { id -> Integer, body -> Text, price -> quarry::sql_types::Numeric<10, 2> } }
//!
//! let engine = Engine::<SqliteConnection>::builder().pool_size(2).build("sqlite:///:memory:")?;
//! let mut session = engine.session()?;
//! session.execute(diesel::sql_query("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, price NUMERIC(10, 2) NOT NULL)"))?;
//!
//! let price: quarry::Decimal = "19.99".parse().unwrap();
//! session.transaction(|s| s.execute(diesel::insert_into(notes::table).values((notes::body.eq("pen"), notes::price.eq(&price)))))?;
//! let stored: quarry::Decimal = session.one(notes::table.select(notes::price))?;
//! assert_eq!(stored, price); // exact on SQLite too (docs/values.md)
//!
//! // A value a backend would alter is refused before anything is written.
//! let too_big: quarry::Decimal = "123456789.5".parse().unwrap();
//! let refused = session.execute(diesel::insert_into(notes::table).values((notes::body.eq("x"), notes::price.eq(&too_big))));
//! assert!(matches!(refused, Err(Error::Data(_))));
//! # Ok::<(), quarry::Error>(())
//! ```
//!
//! # Where to find things
//!
//! | you want | look at |
//! |---|---|
//! | to describe tables | docs/schema-language.md, `quarry_codegen::Builder`, [`include_schema!`] |
//! | to connect | [`engine`]: [`Engine`], URLs, pool settings, echo, events; [`AnyEngine`] for a backend chosen at run time |
//! | transactions, queries, the unit of work | [`session`]: [`Session`] |
//! | what each type holds on each backend | [`types`], [`sql_types`], docs/values.md |
//! | query pieces diesel lacks (CTEs, `ilike`, NULLS FIRST) | [`dsl`], docs/query-guide.md |
//! | relations the schema declares, loading them without N+1 | [`load`]: [`Session::load`], [`Loaded`], [`load::Tree`]; [`relation`], docs/relationships.md |
//! | deleting and unlinking with the schema's cascades | [`cascade`]: [`Session::delete`], [`Session::unlink`] |
//! | the schema model `METADATA` is a value of (tables by SQL name, the Rust mapping, [`metadata::Backend`]), its DDL and diff | [`metadata`], the `quarry_schema` crate, docs/architecture.md |
//! | migrations | [`migrate`], [`embed_migrations!`], the `quarry` CLI, docs/migrations.md |
//! | what a live database holds (tables, columns, keys, indexes, constraints), and how it differs from the schema | [`inspect`]: [`inspect::catalog`], [`inspect::compare`] |
//! | what went wrong | [`error`]: [`Error`] and its kinds |

mod any;
#[cfg(feature = "async")]
pub mod asyncio;
pub mod cascade;
pub mod ddl;
mod declare;
pub mod dsl;
pub mod engine;
pub mod error;
pub mod inspect;
pub mod load;
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
pub use load::Loaded;
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
