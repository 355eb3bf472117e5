//! The Rust side: which struct maps which table, which field which column,
//! and the relations between models. It names tables and columns by SQL
//! name, pointing into the [`db`](crate::db) schema beside it.

use serde::{Deserialize, Serialize};

use crate::{List, Names, Str};

/// One model struct and the table it maps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// The struct's name, e.g. `Author`.
    pub name: Str,
    /// The SQL name of its table.
    pub table: Str,
    /// One field per column, in column order.
    pub fields: List<Field>,
    pub relations: List<Relation>,
    /// The table's place in foreign-key order, computed once by the code
    /// generator ([`order`](crate::order)): every table it references, itself
    /// and keys that close a cycle aside, has a lower rank. The unit of work
    /// writes tables in this order.
    pub rank: u16,
}

impl Model {
    /// The relation with this field name.
    pub fn relation(&self, name: &str) -> Option<&Relation> {
        self.relations.iter().find(|r| r.name == name)
    }

    /// The field that holds the column `column`.
    pub fn field_of(&self, column: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.column == column)
    }
}

/// A struct field that holds a column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// The Rust name, without `r#`.
    pub name: Str,
    /// The SQL name of its column.
    pub column: Str,
    /// The client default `New*::new` applies, as Rust source text.
    pub default: Option<Str>,
}

/// How many rows a relation reaches, and through what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RelationKind {
    /// Many children hold a foreign key to this row.
    HasMany,
    /// One child holds a foreign key to this row.
    HasOne,
    /// This row holds a foreign key to its parent.
    BelongsTo,
    /// Rows linked through an association table.
    ManyToMany,
}

/// What a relation carries to related rows (SQLAlchemy's `cascade`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Cascade {
    pub save_update: bool,
    pub merge: bool,
    pub delete: bool,
    pub delete_orphan: bool,
    pub refresh_expire: bool,
}

/// A relation: how rows of one table reach rows of another.
///
/// For every kind, `local_columns[i]` of this table equals
/// `remote_columns[i]` of the next table on the path: the target, or for
/// many-to-many the association table (whose `through` holds the second hop).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// The relation's field name.
    pub name: Str,
    pub kind: RelationKind,
    /// SQL name of the table the relation starts from.
    pub table: Str,
    /// SQL name of the related table.
    pub target: Str,
    /// Columns of this table.
    pub local_columns: Names,
    /// Columns of the target (or of the association table).
    pub remote_columns: Names,
    /// For many-to-many: the association table.
    pub through: Option<Through>,
    /// The relation on the target that mirrors this one.
    pub back_populates: Option<Str>,
    pub cascade: Cascade,
    /// Deleting a row through the session leaves this relation's dependants
    /// to the foreign key's `ON DELETE` (SQLAlchemy's `passive_deletes=True`):
    /// the session issues no statement for them.
    #[serde(default)]
    pub passive_deletes: bool,
    /// The declared order of related rows.
    pub order_by: List<OrderBy>,
}

/// One key of a relation's `order_by`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderBy {
    /// A column of the target table.
    pub column: Str,
    pub desc: bool,
}

/// The association table of a many-to-many relation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Through {
    /// SQL name of the association table.
    pub table: Str,
    /// Its columns that reference the target.
    pub target_columns: Names,
    /// The target's columns they reference.
    pub target_ref_columns: Names,
}
