//! The committed snapshot of a schema (`migrations/schema.json`): what
//! autogenerate compares the schema files against.
//!
//! The file is versioned. Format 2 (this one) is the [`db`](crate::db)
//! schema with a `"format": 2` key:
//!
//! ```json
//! { "format": 2, "tables": [ ... ], "enums": [ ... ] }
//! ```
//!
//! Reading upgrades older formats in memory; [`write`] always writes the
//! newest, so the next `quarry revision` upgrades the file on disk. A
//! snapshot newer than this quarry is refused, never misread.
//!
//! | format | written by | upgrade |
//! |---|---|---|
//! | 1 | quarry 0.1 before the shared model: the code generator's IR, unversioned, columns named by Rust field | field names become SQL names; enum types named by SQL name; Rust-only parts (struct names, relations, client defaults) dropped |
//! | 2 | current | — |

use std::path::Path;

use serde::Serialize;

use crate::db::Schema;
use crate::{Error, Result};

/// The format [`write`] and [`to_json`] produce.
pub const FORMAT: u64 = 2;

#[derive(Serialize)]
struct Current<'a> {
    format: u64,
    #[serde(flatten)]
    schema: &'a Schema,
}

/// The snapshot text of `schema`, in the newest format, ending in a newline.
pub fn to_json(schema: &Schema) -> String {
    let text = serde_json::to_string_pretty(&Current { format: FORMAT, schema }).expect("a schema serializes");
    text + "\n"
}

/// Reads snapshot text of any known format; `path` names it in errors.
pub fn from_json(text: &str, path: &Path) -> Result<Schema> {
    let bad = |source| Error::BadSnapshot { path: path.to_owned(), source };
    let value: serde_json::Value = serde_json::from_str(text).map_err(bad)?;
    match value.get("format").and_then(|f| f.as_u64()) {
        None => Ok(v1::upgrade(serde_json::from_value(value).map_err(bad)?)),
        Some(found) if found > FORMAT => Err(Error::NewerSnapshot { path: path.to_owned(), found, newest: FORMAT }),
        Some(_) => serde_json::from_value(value).map_err(bad),
    }
}

/// Reads the snapshot file at `path`.
pub fn read(path: &Path) -> Result<Schema> {
    let text =
        std::fs::read_to_string(path).map_err(|source| Error::Io { action: "read", path: path.to_owned(), source })?;
    from_json(&text, path)
}

/// Writes `schema` to `path` in the newest format.
pub fn write(path: &Path, schema: &Schema) -> Result<()> {
    std::fs::write(path, to_json(schema)).map_err(|source| Error::Io { action: "write", path: path.to_owned(), source })
}

/// Format 1: quarry-codegen's IR as serde wrote it. Frozen here so that the
/// code generator's IR can change freely.
mod v1 {
    use std::collections::HashMap;

    use serde::Deserialize;

    use crate::db;

    #[derive(Deserialize)]
    pub struct Schema {
        tables: Vec<Table>,
        enums: Vec<Enum>,
    }

    #[derive(Deserialize)]
    struct Table {
        name: String,
        schema: Option<String>,
        renamed_from: Option<String>,
        doc: Option<String>,
        columns: Vec<Column>,
        primary_key: Vec<String>,
        uniques: Vec<Unique>,
        indexes: Vec<Index>,
        checks: Vec<Check>,
        foreign_keys: Vec<ForeignKey>,
    }

    #[derive(Deserialize)]
    struct Column {
        field: String,
        name: String,
        ty: Type,
        nullable: bool,
        autoincrement: bool,
        server_default: Option<ServerDefault>,
        doc: Option<String>,
        renamed_from: Option<String>,
    }

    #[derive(Deserialize)]
    enum Type {
        SmallInt,
        Integer,
        BigInt,
        Float,
        Double,
        Bool,
        Text,
        Varchar(u32),
        Numeric {
            precision: Option<u32>,
            scale: Option<u32>,
        },
        Date,
        Time,
        Timestamp,
        TimestampTz,
        Json,
        Jsonb,
        Binary,
        /// By the enum's Rust name.
        Enum(String),
    }

    #[derive(Deserialize)]
    enum ServerDefault {
        Int(i64),
        Float(String),
        Bool(bool),
        Str(String),
        CurrentTimestamp,
        CurrentDate,
        Sql(String),
    }

    #[derive(Deserialize)]
    struct Unique {
        name: String,
        columns: Vec<String>,
    }

    #[derive(Deserialize)]
    struct Index {
        name: String,
        columns: Vec<String>,
        unique: bool,
    }

    #[derive(Deserialize)]
    struct Check {
        name: String,
        sql: String,
    }

    #[derive(Deserialize, Clone, Copy)]
    enum FkAction {
        NoAction,
        Restrict,
        Cascade,
        SetNull,
        SetDefault,
    }

    #[derive(Deserialize)]
    struct ForeignKey {
        name: String,
        columns: Vec<String>,
        ref_table: String,
        ref_columns: Vec<String>,
        on_delete: Option<FkAction>,
        on_update: Option<FkAction>,
    }

    #[derive(Deserialize)]
    struct Enum {
        rust_name: String,
        sql_name: String,
        schema: Option<String>,
        variants: Vec<Variant>,
    }

    #[derive(Deserialize)]
    struct Variant {
        value: String,
    }

    /// Format 1 named columns by Rust field; format 2 by SQL name.
    pub fn upgrade(old: Schema) -> db::Schema {
        let sql_names: HashMap<&str, HashMap<&str, &str>> = old
            .tables
            .iter()
            .map(|t| (t.name.as_str(), t.columns.iter().map(|c| (c.field.as_str(), c.name.as_str())).collect()))
            .collect();
        let columns = |table: &str, fields: &[String]| -> crate::Names {
            let names = sql_names.get(table);
            let sql = |f: &String| names.and_then(|n| n.get(f.as_str())).map_or_else(|| f.clone(), |s| (*s).to_owned());
            fields.iter().map(|f| sql(f).into()).collect::<Vec<_>>().into()
        };
        let enum_name = |rust: &str| {
            old.enums.iter().find(|e| e.rust_name == rust).map_or_else(|| rust.to_owned(), |e| e.sql_name.clone())
        };
        let tables = old
            .tables
            .iter()
            .map(|t| db::Table {
                name: t.name.clone().into(),
                schema: t.schema.clone().map(Into::into),
                comment: t.doc.clone().map(Into::into),
                renamed_from: t.renamed_from.clone().map(Into::into),
                columns: t
                    .columns
                    .iter()
                    .map(|c| db::Column {
                        name: c.name.clone().into(),
                        sql_type: sql_type(&c.ty, &enum_name),
                        nullable: c.nullable,
                        autoincrement: c.autoincrement,
                        server_default: c.server_default.as_ref().map(server_default),
                        comment: c.doc.clone().map(Into::into),
                        renamed_from: c.renamed_from.clone().map(Into::into),
                    })
                    .collect::<Vec<_>>()
                    .into(),
                primary_key: columns(&t.name, &t.primary_key),
                uniques: t
                    .uniques
                    .iter()
                    .map(|u| db::Unique { name: u.name.clone().into(), columns: columns(&t.name, &u.columns) })
                    .collect::<Vec<_>>()
                    .into(),
                indexes: t
                    .indexes
                    .iter()
                    .map(|i| db::Index {
                        name: i.name.clone().into(),
                        columns: columns(&t.name, &i.columns),
                        unique: i.unique,
                    })
                    .collect::<Vec<_>>()
                    .into(),
                checks: t
                    .checks
                    .iter()
                    .map(|c| db::Check { name: c.name.clone().into(), sql: c.sql.clone().into() })
                    .collect::<Vec<_>>()
                    .into(),
                foreign_keys: t
                    .foreign_keys
                    .iter()
                    .map(|fk| db::ForeignKey {
                        name: fk.name.clone().into(),
                        columns: columns(&t.name, &fk.columns),
                        ref_table: fk.ref_table.clone().into(),
                        ref_columns: columns(&fk.ref_table, &fk.ref_columns),
                        on_delete: fk.on_delete.map(action),
                        on_update: fk.on_update.map(action),
                    })
                    .collect::<Vec<_>>()
                    .into(),
            })
            .collect::<Vec<_>>();
        let enums = old
            .enums
            .iter()
            .map(|e| db::Enum {
                name: e.sql_name.clone().into(),
                schema: e.schema.clone().map(Into::into),
                values: e.variants.iter().map(|v| v.value.clone().into()).collect::<Vec<_>>().into(),
            })
            .collect::<Vec<_>>();
        db::Schema { tables: tables.into(), enums: enums.into() }
    }

    fn sql_type(ty: &Type, enum_name: &dyn Fn(&str) -> String) -> db::SqlType {
        use db::SqlType as T;
        match ty {
            Type::SmallInt => T::SmallInt,
            Type::Integer => T::Integer,
            Type::BigInt => T::BigInt,
            Type::Float => T::Float,
            Type::Double => T::Double,
            Type::Bool => T::Bool,
            Type::Text => T::Text,
            Type::Varchar(n) => T::Varchar(*n),
            Type::Numeric { precision, scale } => T::Numeric { precision: *precision, scale: *scale },
            Type::Date => T::Date,
            Type::Time => T::Time,
            Type::Timestamp => T::Timestamp,
            Type::TimestampTz => T::TimestampTz,
            Type::Json => T::Json,
            Type::Jsonb => T::Jsonb,
            Type::Binary => T::Binary,
            Type::Enum(rust) => T::Enum(enum_name(rust).into()),
        }
    }

    fn server_default(default: &ServerDefault) -> db::ServerDefault {
        use db::ServerDefault as D;
        match default {
            ServerDefault::Int(n) => D::Int(*n),
            ServerDefault::Float(f) => D::Float(f.clone().into()),
            ServerDefault::Bool(b) => D::Bool(*b),
            ServerDefault::Str(s) => D::Str(s.clone().into()),
            ServerDefault::CurrentTimestamp => D::CurrentTimestamp,
            ServerDefault::CurrentDate => D::CurrentDate,
            ServerDefault::Sql(s) => D::Sql(s.clone().into()),
        }
    }

    fn action(action: FkAction) -> db::FkAction {
        match action {
            FkAction::NoAction => db::FkAction::NoAction,
            FkAction::Restrict => db::FkAction::Restrict,
            FkAction::Cascade => db::FkAction::Cascade,
            FkAction::SetNull => db::FkAction::SetNull,
            FkAction::SetDefault => db::FkAction::SetDefault,
        }
    }
}
