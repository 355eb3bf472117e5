//! Short names for the generated `METADATA` statics: each is written as
//! `{ use quarry::__codegen::meta::*; ... }`, with struct literals that give
//! only what differs from the all-empty values below
//! (`Column { name: B("id"), sql_type: SqlType::Integer, ..COLUMN }`).

pub use crate::metadata::Metadata;
pub use quarry_schema::app::{Cascade, Field, Model, OrderBy, Relation, RelationKind, Through};
pub use quarry_schema::db::{
    Check, Column, Enum, FkAction, ForeignKey, Index, Schema, ServerDefault, SqlType, Table, Unique,
};
pub use std::borrow::Cow::Borrowed as B;
pub use std::option::Option::Some;

/// A table with no columns, keys or constraints.
pub const TABLE: Table = Table {
    name: B(""),
    schema: None,
    comment: None,
    renamed_from: None,
    columns: B(&[]),
    primary_key: B(&[]),
    uniques: B(&[]),
    indexes: B(&[]),
    checks: B(&[]),
    foreign_keys: B(&[]),
};

/// A NOT NULL integer column without default, comment or previous name.
pub const COLUMN: Column = Column {
    name: B(""),
    sql_type: SqlType::Integer,
    nullable: false,
    autoincrement: false,
    server_default: None,
    comment: None,
    renamed_from: None,
};

/// A foreign key without `ON DELETE`/`ON UPDATE` actions.
pub const FOREIGN_KEY: ForeignKey = ForeignKey {
    name: B(""),
    columns: B(&[]),
    ref_table: B(""),
    ref_columns: B(&[]),
    on_delete: None,
    on_update: None,
};

/// A field without a Rust-side default.
pub const FIELD: Field = Field { name: B(""), column: B(""), default: None };

/// A has_many relation without keys, cascades, order or back reference.
pub const RELATION: Relation = Relation {
    name: B(""),
    kind: RelationKind::HasMany,
    table: B(""),
    target: B(""),
    local_columns: B(&[]),
    remote_columns: B(&[]),
    through: None,
    back_populates: None,
    cascade: NO_CASCADE,
    passive_deletes: false,
    order_by: B(&[]),
};

/// No cascade at all.
pub const NO_CASCADE: Cascade =
    Cascade { save_update: false, merge: false, delete: false, delete_orphan: false, refresh_expire: false };
