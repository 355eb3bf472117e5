//! From the IR to the shared schema model: the database schema keyed by SQL
//! names, and the Rust mapping over it.
//!
//! The IR names columns by Rust field, as the schema files do and as
//! diagnostics must; everything downstream of checking (DDL, migrations,
//! `METADATA`) reads the model this module builds, once, from a checked
//! schema.

use quarry_schema::app::{self, Field, Model, OrderBy, Through};
use quarry_schema::db::{self, SqlType};
use quarry_schema::{order, Metadata, Names, Str};

use crate::ir::{self, ColumnType, Schema, Table};

/// The model of a resolved, checked schema.
pub fn lower(schema: &Schema) -> Metadata {
    let db = database(schema);
    let order = order::order(&db);
    let models = schema
        .tables
        .iter()
        .map(|table| Model {
            name: table.struct_name.clone().into(),
            table: table.name.clone().into(),
            fields: table
                .columns
                .iter()
                .map(|c| Field {
                    name: c.field.clone().into(),
                    column: c.name.clone().into(),
                    default: c.default.clone().map(Into::into),
                })
                .collect::<Vec<_>>()
                .into(),
            relations: table.relations.iter().map(|r| relation(schema, table, r)).collect::<Vec<_>>().into(),
            rank: order.rank(&table.name).unwrap_or(u16::MAX),
        })
        .collect::<Vec<_>>();
    Metadata { schema: db, models: models.into() }
}

/// The database side of `schema`: SQL names throughout.
pub fn database(schema: &Schema) -> db::Schema {
    let tables: Vec<db::Table> = schema.tables.iter().map(|t| table(schema, t)).collect();
    let enums: Vec<db::Enum> = schema
        .enums
        .iter()
        .map(|e| db::Enum {
            name: e.sql_name.clone().into(),
            schema: e.schema.clone().map(Into::into),
            values: e.variants.iter().map(|v| Str::from(v.value.clone())).collect::<Vec<_>>().into(),
        })
        .collect();
    db::Schema { tables: tables.into(), enums: enums.into() }
}

/// SQL names of the columns `fields` of `table`.
fn columns(table: &Table, fields: &[String]) -> Names {
    let names: Vec<Str> =
        fields.iter().map(|f| table.column(f).map_or_else(|| f.clone(), |c| c.name.clone()).into()).collect();
    names.into()
}

/// SQL names of the columns `fields` of the table named `name`.
fn columns_of(schema: &Schema, name: &str, fields: &[String]) -> Names {
    match schema.table(name) {
        Some(table) => columns(table, fields),
        None => fields.iter().map(|f| Str::from(f.clone())).collect::<Vec<_>>().into(),
    }
}

fn table(schema: &Schema, table: &Table) -> db::Table {
    db::Table {
        name: table.name.clone().into(),
        schema: table.schema.clone().map(Into::into),
        comment: table.doc.clone().map(Into::into),
        renamed_from: table.renamed_from.clone().map(Into::into),
        columns: table.columns.iter().map(|c| column(schema, c)).collect::<Vec<_>>().into(),
        primary_key: columns(table, &table.primary_key),
        uniques: table
            .uniques
            .iter()
            .map(|u| db::Unique { name: u.name.clone().into(), columns: columns(table, &u.columns) })
            .collect::<Vec<_>>()
            .into(),
        indexes: table
            .indexes
            .iter()
            .map(|i| db::Index { name: i.name.clone().into(), columns: columns(table, &i.columns), unique: i.unique })
            .collect::<Vec<_>>()
            .into(),
        checks: table
            .checks
            .iter()
            .map(|c| db::Check { name: c.name.clone().into(), sql: c.sql.clone().into() })
            .collect::<Vec<_>>()
            .into(),
        foreign_keys: table
            .foreign_keys
            .iter()
            .map(|fk| db::ForeignKey {
                name: fk.name.clone().into(),
                columns: columns(table, &fk.columns),
                ref_table: fk.ref_table.clone().into(),
                ref_columns: columns_of(schema, &fk.ref_table, &fk.ref_columns),
                on_delete: fk.on_delete,
                on_update: fk.on_update,
            })
            .collect::<Vec<_>>()
            .into(),
    }
}

fn column(schema: &Schema, column: &ir::Column) -> db::Column {
    db::Column {
        name: column.name.clone().into(),
        sql_type: sql_type(schema, &column.ty),
        nullable: column.nullable,
        autoincrement: column.autoincrement,
        server_default: column.server_default.clone(),
        comment: column.doc.clone().map(Into::into),
        renamed_from: column.renamed_from.clone().map(Into::into),
    }
}

fn sql_type(schema: &Schema, ty: &ColumnType) -> SqlType {
    match ty {
        ColumnType::SmallInt => SqlType::SmallInt,
        ColumnType::Integer => SqlType::Integer,
        ColumnType::BigInt => SqlType::BigInt,
        ColumnType::Float => SqlType::Float,
        ColumnType::Double => SqlType::Double,
        ColumnType::Bool => SqlType::Bool,
        ColumnType::Text => SqlType::Text,
        ColumnType::Varchar(n) => SqlType::Varchar(*n),
        ColumnType::Numeric { precision, scale } => SqlType::Numeric { precision: *precision, scale: *scale },
        ColumnType::Date => SqlType::Date,
        ColumnType::Time => SqlType::Time,
        ColumnType::Timestamp => SqlType::Timestamp,
        ColumnType::TimestampTz => SqlType::TimestampTz,
        ColumnType::Json => SqlType::Json,
        ColumnType::Jsonb => SqlType::Jsonb,
        ColumnType::Binary => SqlType::Binary,
        ColumnType::Enum(rust) => {
            SqlType::Enum(schema.enum_by_name(rust).map_or_else(|| rust.clone(), |e| e.sql_name.clone()).into())
        }
    }
}

/// `(columns of the key's table, referenced columns of the parent)` of
/// the foreign key named `name`.
fn key_columns(schema: &Schema, name: Option<&str>) -> Option<(Names, Names)> {
    let (holder, fk) = schema.foreign_key(name?)?;
    Some((columns(holder, &fk.columns), columns_of(schema, &fk.ref_table, &fk.ref_columns)))
}

fn relation(schema: &Schema, table: &Table, relation: &ir::Relation) -> app::Relation {
    let target_table = schema.table_by_struct(&relation.target);
    let target = target_table.map_or_else(|| relation.target.clone(), |t| t.name.clone());
    let empty = || (Names::Borrowed(&[]), Names::Borrowed(&[]));
    let (local_columns, remote_columns) = match (relation.kind, key_columns(schema, relation.foreign_key.as_deref())) {
        (app::RelationKind::BelongsTo, Some(key)) => key,
        (_, Some((child, parent))) => (parent, child),
        (_, None) => empty(),
    };
    let through = match (&relation.through, key_columns(schema, relation.through_target_key.as_deref())) {
        (Some(through), Some((target_columns, target_ref_columns))) => {
            Some(Through { table: through.clone().into(), target_columns, target_ref_columns })
        }
        _ => None,
    };
    app::Relation {
        name: relation.field.clone().into(),
        kind: relation.kind,
        table: table.name.clone().into(),
        target: target.into(),
        local_columns,
        remote_columns,
        through,
        back_populates: relation.back_populates.clone().map(Into::into),
        cascade: relation.cascade,
        passive_deletes: relation.passive_deletes,
        order_by: relation
            .order_by
            .iter()
            .map(|o| OrderBy {
                column: target_table
                    .and_then(|t| t.column(&o.column))
                    .map_or_else(|| o.column.clone(), |c| c.name.clone())
                    .into(),
                desc: o.desc,
            })
            .collect::<Vec<_>>()
            .into(),
    }
}
