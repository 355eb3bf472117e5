//! The schema model quarry's code generator, runtime and CLI share.
//!
//! Two layers, as toasty separates them:
//! - [`db`]: the database schema, keyed by SQL names: what DDL is written
//!   from, what migrations compare, what a [`snapshot`] stores;
//! - [`app`]: the Rust mapping on top: which struct maps which table, which
//!   field which column, and the relations between models.
//!
//! [`Metadata`] holds both; the generated `METADATA` is a `static` of it.
//! [`Backend`] is the one name for a backend everywhere in quarry.
//!
//! On the model: [`ddl`] writes `CREATE`/`DROP` per backend, [`order`]
//! sorts tables by foreign key, [`autogenerate`] diffs two schemas into
//! operations and their SQL, [`snapshot`] reads and writes the committed
//! `schema.json`, and [`migrations`] reads a migrations folder, resolves
//! revision targets and splits scripts into statements.
//!
//! ```
//! use quarry_schema::db::{Column, Schema, SqlType, Table};
//! use quarry_schema::{order, List};
//!
//! let column = |name: &'static str| Column {
//!     name: name.into(), sql_type: SqlType::Integer, nullable: false, autoincrement: false,
//!     server_default: None, comment: None, renamed_from: None,
//! };
//! let table = Table {
//!     name: "notes".into(), schema: None, comment: None, renamed_from: None,
//!     columns: vec![column("id")].into(), primary_key: vec!["id".into()].into(),
//!     uniques: List::Borrowed(&[]), indexes: List::Borrowed(&[]), checks: List::Borrowed(&[]),
//!     foreign_keys: List::Borrowed(&[]),
//! };
//! let schema = Schema { tables: vec![table].into(), enums: List::Borrowed(&[]) };
//! assert_eq!(order::order(&schema).rank("notes"), Some(0));
//! ```

pub mod app;
pub mod autogenerate;
pub mod db;
pub mod ddl;
pub mod migrations;
pub mod order;
pub mod snapshot;

mod backend;
mod error;

pub use backend::Backend;
pub use error::{Error, Result};

use std::borrow::Cow;

/// A name or SQL text: borrowed in generated statics, owned when built at
/// run time or read from a snapshot.
pub type Str = Cow<'static, str>;
/// A list, borrowed or owned like [`Str`].
pub type List<T> = Cow<'static, [T]>;
/// A list of names (columns of a key, values of an enum).
pub type Names = List<Str>;

/// Everything quarry knows about one schema: the database side and the
/// Rust mapping over it. The build script emits one as `METADATA`.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Metadata {
    pub schema: db::Schema,
    /// One model per table, in table order.
    pub models: List<app::Model>,
}

impl Metadata {
    /// The table with this SQL name.
    pub fn table(&self, name: &str) -> Option<&db::Table> {
        self.schema.table(name)
    }

    /// Fills in what the generated `METADATA` leaves out: each model
    /// written without fields (every field named like its column, in column
    /// order) gets one plain field per column of its table, and each foreign
    /// key written without a name its [conventional
    /// name](db::ForeignKey::conventional_name).
    pub fn fill_left_out(&mut self) {
        for table in self.schema.tables.to_mut() {
            if table.foreign_keys.iter().any(|fk| fk.name.is_empty()) {
                let name = table.name.clone();
                for fk in table.foreign_keys.to_mut().iter_mut().filter(|fk| fk.name.is_empty()) {
                    fk.name = db::ForeignKey::conventional_name(&name, &fk.columns, &fk.ref_table).into();
                }
            }
        }
        let schema = &self.schema;
        for model in self.models.to_mut().iter_mut().filter(|m| m.fields.is_empty()) {
            if let Some(table) = schema.table(&model.table) {
                let fields = table.columns.iter().map(|c| app::Field {
                    name: c.name.clone(),
                    column: c.name.clone(),
                    default: None,
                });
                model.fields = List::Owned(fields.collect());
            }
        }
    }

    /// The model that maps the table `name`.
    pub fn model(&self, table: &str) -> Option<&app::Model> {
        self.models.iter().find(|m| m.table == table)
    }
}
