//! Static descriptions of the generated schema: the shared schema model of
//! [`quarry_schema`].
//!
//! The build script emits one [`Metadata`] value per schema, `METADATA` in
//! the generated module: the database side ([`db`]: tables, columns,
//! constraints and enum types, keyed by SQL name) and the Rust mapping over
//! it ([`app`]: models, fields, relations). It is plain `'static` data, the
//! very structure the code generator built; the runtime creates tables
//! from it ([`ddl`](crate::ddl)), and a tool can diff it
//! ([`quarry_schema::autogenerate`]) or write it as a snapshot.

pub use quarry_schema::{app, db, order, Backend, List, Metadata, Names, Str};
