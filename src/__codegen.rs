//! What generated code names. Not a public API: it changes with
//! quarry-codegen, which always matches this crate's version.

pub use bigdecimal;
pub use chrono;
pub use serde_json;

pub use crate::__flush_rows as flush_rows;
pub use crate::__upsert_rows as upsert_rows;
pub use crate::ddl::{create_all, drop_all, DdlConnection};
pub use crate::error::UnknownEnumValue;
pub use crate::metadata::{
    Cascade, CheckMeta, ColumnMeta, ConstraintMeta, Ddl, DdlScript, EnumMeta, FkAction, ForeignKeyMeta, IndexMeta,
    RelationKind, RelationMeta, ServerDefault, SqlType, TableMeta, ThroughMeta,
};

pub use crate::engine::BackendKind;
pub use crate::sql_types;
pub use crate::types::unchecked;
pub use crate::types::{Decimal, Json, Jsonb, NaiveTimestamp, UtcDateTime};
