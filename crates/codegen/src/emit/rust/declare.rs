//! Per table, one `quarry::__codegen::model!` call, written as text:
//! diesel's `table!` call, the model struct, its `New*` insertable and
//! changeset, and the `Model`, `NewRow` and `Insert` impls, which the macro
//! (in quarry's `src/declare.rs`) expands. The call names each column once, with how a
//! new row fills it; what the macro can work out itself (the `new`
//! arguments, the changeset's and dense insertable's columns, SQL names
//! equal to field names, the docs of relation constants) is left out: the
//! calls are most of the module.

use std::fmt::Write;

use super::fill::{fill, Fill};
use crate::ident::{self, ident};
use crate::ir::{Column, ColumnType, Relation, RelationKind, Schema, Table};
use crate::options::Options;
use quarry_schema::Metadata;

use super::metadata::ModelParts;

/// The `model!` call for the table at `index`.
pub fn model(schema: &Schema, index: usize, table: &Table, options: &Options, lowered: &Metadata) -> String {
    let parts = model_parts(schema, table, index, lowered);
    let mut out = String::from("quarry::__codegen::model! {\n");
    doc_lines(&mut out, table.doc.as_deref(), "    ");
    let derive = if options.serde { ", derive [serde::Serialize, serde::Deserialize]" } else { "" };
    let schema_name = table.schema.as_deref().map(|s| format!(" schema {}", ident(s))).unwrap_or_default();
    let _ = writeln!(
        out,
        "    struct {} in {} {:?}{schema_name}, meta {index}{derive};",
        ident(&table.struct_name),
        ident(&table.module),
        table.name
    );
    let keys: Vec<&Column> = table.primary_key.iter().filter_map(|k| table.column(k)).collect();
    let keys: Vec<String> = keys
        .iter()
        .map(|c| format!("{} {:?}: {} {}", ident(&c.field), c.name, type_word(&c.ty), fill_word(c)))
        .collect();
    let _ = writeln!(out, "    key [{}];", keys.join(", "));
    out.push_str("    columns {\n");
    for (column, json) in table.columns.iter().zip(&parts.columns) {
        doc_lines(&mut out, column.doc.as_deref(), "        ");
        let json = json.as_ref().map(|json| format!(" {}", super::metadata::raw_string(json))).unwrap_or_default();
        let _ = writeln!(out, "        {}{json},", column_words(table, column));
    }
    out.push_str("    }\n");
    // With no `Option` field no value is ever DEFAULT, and saying so lets
    // diesel insert many rows in one statement on SQLite too.
    let none_as_default = table.columns.iter().any(|c| matches!(fill(c), Fill::Absent));
    let _ = writeln!(
        out,
        "    new {}, none_as_default {none_as_default};",
        ident(&ident::insertable_name(&table.struct_name)),
    );
    let updatable: Vec<&Column> = table.columns.iter().filter(|c| !table.is_primary_key(&c.field)).collect();
    let changeset = match updatable.is_empty() {
        true => "none".to_owned(),
        false => ident(&ident::changeset_name(&table.struct_name)).to_string(),
    };
    let _ = writeln!(out, "    changeset {changeset};");
    // What an upsert updates on a key conflict: every other column, or,
    // for a table of key columns only, one of them (a conflict changes
    // nothing).
    let mut updated: Vec<String> = updatable.iter().map(|c| format!("{:?}", c.name)).collect();
    if updated.is_empty() {
        updated
            .extend(table.primary_key.iter().filter_map(|k| table.column(k)).map(|c| format!("{:?}", c.name)).take(1));
    }
    // Left out where the macro can name them: the changeset's fields.
    let said_by_fields = !updatable.is_empty() && updatable.iter().all(|c| ident(&c.field) == c.name.as_str());
    if !said_by_fields {
        let _ = writeln!(out, "    updated [{}];", updated.join(", "));
    }
    let dense = match has_dense(table) {
        true => format!("__QuarryDense{}", ident::insertable_name(&table.struct_name)),
        false => "none".to_owned(),
    };
    let _ = writeln!(out, "    dense {dense};");
    let steps = super::cascade::cascade_steps(schema, table);
    if !steps.is_empty() {
        let _ = writeln!(out, "    cascade [\n        {}\n    ];", steps.join("\n        "));
    }
    let relations: Vec<String> =
        (0..table.relations.len()).map(|r| relation_entry(schema, table, r, parts.relations[r].as_ref())).collect();
    if !relations.is_empty() {
        let _ = writeln!(out, "    relations [\n        {}\n    ];", relations.join("\n        "));
    }
    let _ = writeln!(out, "    {}", parts.line());
    out.push_str("}\n");
    out
}

/// A column as the `model!` call names it: `field (as "sql")?: Type
/// nullability fill`, without the words of the common case (`not_null`,
/// `required`, and a `null` column's `nulled`: quarry's `__columns!`
/// writes them back). The SQL name is written where it is not the
/// field's text (a raw field `r#type` names it too).
fn column_words(table: &Table, column: &Column) -> String {
    let field = ident(&column.field).to_string();
    let sql_name = written_sql_name(column).map(|name| format!(" as {name}")).unwrap_or_default();
    let fill = fill_word(column);
    let words = match (null_key_word(table, column), fill.as_str()) {
        ("key", fill) => format!(" key {fill}"),
        ("null", "nulled") => " null".to_owned(),
        ("null", fill) => format!(" null {fill}"),
        (_, "required") => String::new(),
        (_, fill) => format!(" {fill}"),
    };
    format!("{field}{sql_name}: {}{words}", type_word(&column.ty))
}

/// The SQL name a `model!` column spells (`as "name"`), as a Rust string
/// literal: where it is not the field's text.
fn written_sql_name(column: &Column) -> Option<String> {
    (ident(&column.field) != column.name.as_str()).then(|| format!("{:?}", column.name))
}

fn null_key_word(table: &Table, column: &Column) -> &'static str {
    if table.is_primary_key(&column.field) {
        "key"
    } else {
        null_word(column)
    }
}

/// A column's `METADATA` JSON as `model!` writes it from the column's
/// words (quarry's `__column_json!`), or `None` where it cannot (a type in
/// braces): the SQL name (the field's text unless given), the type, and
/// whether it is nullable (`null`) and generated.
fn derived_column_json(table: &Table, column: &Column) -> Option<String> {
    let name = written_sql_name(column).unwrap_or_else(|| format!("\"{}\"", ident(&column.field)));
    let ty = match type_word(&column.ty).as_str() {
        "SmallInt" => "small_int",
        "Integer" => "integer",
        "BigInt" => "big_int",
        "Float" => "float",
        "Double" => "double",
        "Bool" => "bool",
        "Text" => "text",
        "Date" => "date",
        "Time" => "time",
        "Timestamp" => "timestamp",
        "Timestamptz" => "timestamp_tz",
        "Json" => "json",
        "Jsonb" => "jsonb",
        "Binary" => "binary",
        _ => return None,
    };
    let suffix = match (null_key_word(table, column), fill_word(column).as_str()) {
        ("null", "generated") => ",true,true]",
        (_, "generated") => ",false,true]",
        ("null", _) => ",true]",
        _ => "]",
    };
    Some(format!("[{name},\"{ty}\"{suffix}"))
}

/// Each column's and each relation's JSON as `model!` writes it from the
/// call ([`derived_column_json`], [`derived_relation_json`]).
fn derived(schema: &Schema, table: &Table) -> super::metadata::Derived {
    super::metadata::Derived {
        columns: table.columns.iter().map(|c| derived_column_json(table, c)).collect(),
        relations: (0..table.relations.len()).map(|r| derived_relation_json(schema, table, r)).collect(),
    }
}

/// The `METADATA` parts of the `model!` call of the table at `index`.
fn model_parts(schema: &Schema, table: &Table, index: usize, lowered: &Metadata) -> ModelParts {
    super::metadata::model_parts(&lowered.schema.tables[index], &lowered.models[index], &derived(schema, table))
}

/// The table's and the model's `METADATA` JSON as the `model!` call of the
/// table at `index` writes them.
pub fn model_json(schema: &Schema, table: &Table, index: usize, lowered: &Metadata) -> (String, String) {
    model_parts(schema, table, index, lowered).assembled(
        &lowered.models[index],
        &lowered.schema.tables[index],
        &derived(schema, table),
    )
}

/// `/// text` lines.
pub(super) fn doc_lines(out: &mut String, doc: Option<&str>, indent: &str) {
    for line in doc.into_iter().flat_map(str::lines) {
        let _ = writeln!(out, "{indent}///{}", if line.is_empty() { String::new() } else { format!(" {line}") });
    }
}

/// The column's type as `model!` names it: diesel's SQL type name, a
/// decimal's `{Numeric precision scale}`, or the enum's Rust name in braces.
fn type_word(ty: &ColumnType) -> String {
    match ty {
        ColumnType::SmallInt => "SmallInt".into(),
        ColumnType::Integer => "Integer".into(),
        ColumnType::BigInt => "BigInt".into(),
        ColumnType::Float => "Float".into(),
        ColumnType::Double => "Double".into(),
        ColumnType::Bool => "Bool".into(),
        ColumnType::Text | ColumnType::Varchar(_) => "Text".into(),
        // The checker keeps both within MySQL's 65 digits.
        ColumnType::Numeric { precision, scale } => {
            let digits = |n: &Option<u32>| n.unwrap_or(0).min(255);
            format!("{{Numeric {} {}}}", digits(precision), digits(scale))
        }
        ColumnType::Date => "Date".into(),
        ColumnType::Time => "Time".into(),
        ColumnType::Timestamp => "Timestamp".into(),
        ColumnType::TimestampTz => "Timestamptz".into(),
        ColumnType::Json => "Json".into(),
        ColumnType::Jsonb => "Jsonb".into(),
        ColumnType::Binary => "Binary".into(),
        ColumnType::Enum(name) => format!("{{{}}}", ident(name)),
    }
}

fn null_word(column: &Column) -> &'static str {
    if column.nullable {
        "null"
    } else {
        "not_null"
    }
}

/// How a new row fills the column: `required`, `(= default)`, or why it
/// may be left to the database.
fn fill_word(column: &Column) -> String {
    match fill(column) {
        Fill::Required => "required".into(),
        // The parser checked that the text reads back as an expression;
        // should it not, rustc reports it instead of the build script
        // panicking.
        Fill::ClientDefault(expr) if syn::parse_str::<syn::Expr>(expr).is_ok() => format!("(= {expr})"),
        Fill::ClientDefault(expr) => format!("(= ::core::compile_error!({expr:?}))"),
        Fill::Absent if column.autoincrement => "generated".into(),
        Fill::Absent if column.server_default.is_some() => "server".into(),
        Fill::Absent => "nulled".into(),
    }
}

/// Whether the table has a dense insertable (see
/// `quarry::model::Insert::Dense`): its key is one column the database
/// generates, and some column is left to name once the key and the
/// columns a server default fills are left out (`model!` sorts them).
fn has_dense(table: &Table) -> bool {
    let [key] = table.primary_key.as_slice() else { return false };
    if !table.column(key).is_some_and(|c| c.autoincrement) {
        return false;
    }
    let left_out = |c: &&Column| &c.field == key || (matches!(fill(c), Fill::Absent) && c.server_default.is_some());
    table.columns.iter().any(|c| !left_out(&c))
}

/// A relation `relation!` describes: over one NOT NULL foreign-key column
/// referencing the other table's one-column primary key, between two
/// tables, without a declared order (see `quarry::load::ColumnKeyed`).
pub(super) struct Simple<'a> {
    /// The model's column and the target's that hold equal values.
    from_column: &'a Column,
    to_column: &'a Column,
    target: &'a Table,
    /// The foreign key's column, in the table whose `New*` holds it.
    fk_column: &'a Column,
}

/// `relation` of `table` as a [`Simple`] relation, or `None` when it needs
/// the general emission (`models::relation_consts`).
pub(super) fn simple<'a>(schema: &'a Schema, table: &'a Table, relation: &Relation) -> Option<Simple<'a>> {
    if relation.kind == RelationKind::ManyToMany || !relation.order_by.is_empty() {
        return None;
    }
    let target = schema.table_by_struct(&relation.target)?;
    if target.name == table.name {
        return None;
    }
    let (holder, fk) = super::unit_of_work::full_key(schema, relation.foreign_key.as_deref())?;
    let ([fk_column], [ref_column]) = (fk.columns.as_slice(), fk.ref_columns.as_slice()) else {
        return None;
    };
    let (from_column, to_column) = match relation.kind {
        RelationKind::BelongsTo if holder.name == table.name => (table.column(fk_column)?, target.column(ref_column)?),
        RelationKind::HasMany | RelationKind::HasOne if holder.name == target.name => {
            (table.column(ref_column)?, target.column(fk_column)?)
        }
        _ => return None,
    };
    if from_column.nullable || to_column.nullable {
        return None;
    }
    let fk_column = holder.column(fk_column)?;
    Some(Simple { from_column, to_column, target, fk_column })
}

/// The `relations` entry of relation `index` of `table`: for a [`simple`]
/// relation, its constant, name and `back_populates`, kind, target, marker
/// type, index and keys (the `relation!` call its `model!` call writes),
/// then its JSON in `METADATA` where the macro cannot write it (`json`);
/// for another, `json` and its JSON alone.
fn relation_entry(schema: &Schema, table: &Table, index: usize, json: Option<&String>) -> String {
    let json = |prefix: &str| json.map(|json| format!("{prefix}{}", super::metadata::raw_string(json)));
    let relation = &table.relations[index];
    let Some(Simple { from_column, to_column, target, fk_column }) = simple(schema, table, relation) else {
        return format!("json {};", json("").expect("a relation the macro does not describe gives its JSON"));
    };
    // The key's type: the referenced column's.
    let key = if relation.kind == RelationKind::BelongsTo { to_column } else { from_column };
    let wrap = if fk_column.nullable || matches!(fill(fk_column), Fill::Absent) { "optional" } else { "given" };
    format!(
        "{} {:?}{}: {} {} {} {index}, {} -> {}::{}: {} {wrap}{};",
        ident(&ident::relation_const(&relation.field)),
        relation.field,
        relation.back_populates.as_ref().map(|back| format!(" {back:?}")).unwrap_or_default(),
        kind_word(relation.kind),
        ident(&target.struct_name),
        ident(&format!("{}__{}", table.struct_name, relation.field)),
        ident(&from_column.field),
        ident(&target.module),
        ident(&to_column.field),
        type_word(&key.ty),
        json(" = ").unwrap_or_default(),
    )
}

fn kind_word(kind: RelationKind) -> &'static str {
    match kind {
        RelationKind::HasMany => "has_many",
        RelationKind::HasOne => "has_one",
        _ => "belongs_to",
    }
}

/// Relation `index`'s JSON in `METADATA` as `model!` writes it from its
/// `relations` entry (quarry's `__relation_json!`), or `None` for a
/// relation without one: `[name, kind, target table, [column], [column],
/// back_populates]`, the names as the entry spells them.
fn derived_relation_json(schema: &Schema, table: &Table, index: usize) -> Option<String> {
    let relation = &table.relations[index];
    let Simple { from_column, to_column, target, .. } = simple(schema, table, relation)?;
    let kind = match relation.kind {
        RelationKind::HasMany => "HasMany",
        RelationKind::HasOne => "HasOne",
        _ => "BelongsTo",
    };
    Some(format!(
        "[{:?},\"{kind}\",\"{}\",[\"{}\"],[\"{}\"],{}]",
        relation.field,
        ident(&target.module),
        ident(&from_column.field),
        ident(&to_column.field),
        relation.back_populates.as_ref().map_or_else(|| "null".to_owned(), |back| format!("{back:?}")),
    ))
}
