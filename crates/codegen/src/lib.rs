//! quarry-codegen reads declarative schema files (`schema/*.rs`, Rust item
//! syntax) and generates diesel table modules, models, insertables,
//! changesets, relation descriptors, metadata and DDL for SQLite,
//! PostgreSQL and MySQL/MariaDB.
//!
//! A build script of a few lines is all a user writes:
//!
//! ```no_run
//! // build.rs
//! quarry_codegen::Builder::new().schema_dir("schema").run();
//! ```
//!
//! and then, in the crate: `mod schema { quarry::include_schema!(); }`.
//!
//! The pipeline runs in phases, each collecting all of its errors before the
//! next starts: [`syntax`] (syn → IR), [`resolve`] (implied names and keys),
//! [`check`] (rules), [`lower`] (to the shared `quarry_schema` model, keyed
//! by SQL names), then [`emit`] (Rust). [`generate`] runs them
//! all on schema files given as text; [`Builder`] reads the files for it.

pub mod check;
pub mod diagnostic;
pub mod emit;
pub mod ir;
pub mod lower;
pub mod resolve;
pub mod syntax;

mod builder;
mod embed;
mod error;
mod ident;
mod options;

pub use builder::{read_schema_dir, Builder, Generated, Written};
pub use diagnostic::{Diagnostic, Diagnostics};
pub use embed::{embed_migrations, embed_migrations_for};
pub use error::{Error, Result};
pub use ir::{Schema, SourceFile};
pub use options::{Options, TableGrouping};

/// Parses, resolves and checks schema files; returns the schema or every
/// error found.
///
/// Each phase collects all of its errors. Later phases still run on what
/// parsed (an item that failed to parse is left out; a column whose type is
/// unknown stays, untyped), so one build reports every mistake at once.
pub fn load(files: Vec<SourceFile>) -> Result<Schema, Diagnostics> {
    let (mut schema, mut errors) = syntax::parse_files(files);
    if let Err(more) = resolve::resolve(&mut schema) {
        errors.extend(more);
    }
    if let Err(more) = check::check(&schema) {
        errors.extend(more);
    }
    errors.propagate()?;
    Ok(schema)
}

/// The generated module for schema files given as text: what
/// [`Builder`] writes, without touching the file system. Returns every
/// schema error; no input makes it panic.
///
/// ```
/// let files = vec![quarry_codegen::SourceFile {
///     path: "schema/users.rs".into(),
///     text: "#[table(name = \"users\")] pub struct User { #[column(primary_key)] pub id: i32 }".into(),
/// }];
/// let output = quarry_codegen::generate(files, &quarry_codegen::Options::default()).unwrap();
/// assert!(output.rust.contains("struct User in users \"users\""));
/// ```
pub fn generate(files: Vec<SourceFile>, options: &Options) -> Result<Output, Diagnostics> {
    let schema = load(files)?;
    let rust = emit::rust::generate(&schema, options);
    let metadata = lower::lower(&schema);
    Ok(Output { schema, metadata, rust })
}

/// What [`generate`] made of the schema files.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Output {
    /// The checked schema, as the files declare it (Rust names).
    pub schema: Schema,
    /// The schema model: the database schema keyed by SQL names (what
    /// `quarry_schema::ddl::script` writes DDL from) and the Rust mapping.
    pub metadata: quarry_schema::Metadata,
    /// The source of the generated module.
    pub rust: String,
}

/// [`load`] for one file given as text, for tests and tools.
pub fn load_str(path: &str, text: &str) -> Result<Schema, Diagnostics> {
    load(vec![SourceFile { path: path.to_owned(), text: text.to_owned() }])
}
