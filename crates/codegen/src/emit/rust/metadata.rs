//! `METADATA`: the schema model ([`quarry_schema::Metadata`]) as JSON text
//! that the runtime reads on first use, and the places in it that model
//! impls and relation descriptors point at.
//!
//! The model is data, and the largest part of a big schema. Written as
//! `static` Rust values it cost about 45 s of `cargo check` for 300 tables
//! (the build benchmark's `attribute.py`, at bc2b377): every literal is
//! type-checked and const-evaluated. As one string it costs nothing to
//! check, and the runtime reads it once (300 tables: 2 ms in a release
//! build, 22 ms in a debug one). It is the very structure the code
//! generator built, serialized by the model's own serde derives, less what
//! the reader fills in: a plain column is `[name, type]` and a plain
//! foreign key `[columns, ref_table, ref_columns]` (which `db::Column` and
//! `db::ForeignKey` read beside their object forms), a NOT NULL column's
//! `nullable`, a foreign key's conventional name and a model's fields
//! named like its columns are left out (`Metadata::fill_left_out`), and a
//! plain relation is an array (`app::Model`'s JSON).

use proc_macro2::{Literal, TokenStream};
use quarry_schema::app::Model;
use quarry_schema::db::{Column, ForeignKey, Table};
use quarry_schema::{List, Metadata};
use quote::quote;

/// A function reading relation `relation` of the table at `table` from
/// `METADATA` (a relation descriptor is a `const`, which cannot read a
/// lazily built static itself).
pub fn relation_place(table: usize, relation: usize) -> TokenStream {
    let (table, relation) = (Literal::usize_unsuffixed(table), Literal::usize_unsuffixed(relation));
    quote!(|| &METADATA.models[#table].relations[#relation])
}

/// `pub static METADATA`, as source text.
pub fn metadata(metadata: &Metadata) -> String {
    let json = json(metadata);
    format!(
        "/// Every table, column, constraint and enum of the schema (keyed by
/// SQL name), and the models and relations mapped over them.
#[allow(dead_code)]
pub static METADATA: quarry::__codegen::LazyLock<quarry::Metadata> =
    quarry::__codegen::LazyLock::new(|| quarry::__codegen::metadata({}));
",
        raw_string(&json)
    )
}

/// `metadata` as compact JSON with one table, enum or model a line, so
/// that a schema change shows as a readable diff of the generated module.
fn json(metadata: &Metadata) -> String {
    let lines = |items: Vec<String>| -> String {
        if items.is_empty() {
            "[]".to_owned()
        } else {
            format!("[\n{}\n]", items.join(",\n"))
        }
    };
    let tables = lines(metadata.schema.tables.iter().map(table_json).collect());
    let enums = lines(metadata.schema.enums.iter().map(to_json).collect());
    let models = lines(
        metadata
            .models
            .iter()
            .map(|model| match metadata.schema.table(&model.table) {
                Some(table) if plain_fields(model, table) => model_json_without_fields(model),
                _ => to_json(model),
            })
            .collect(),
    );
    format!("{{\"schema\":{{\"tables\":{tables},\"enums\":{enums}}},\"models\":{models}}}")
}

/// A table, each column with nothing declared beyond its type,
/// nullability and autoincrement written `[name, type(, nullable(,
/// autoincrement))]`, and the others without the `"nullable":false` of a
/// NOT NULL column (what `db::Column` reads by default; snapshots write the
/// object form); each foreign key with its conventional name and no
/// actions written `[columns, ref_table, ref_columns]`.
fn table_json(table: &Table) -> String {
    let columns: Vec<String> = table.columns.iter().map(column_json).collect();
    let keys: Vec<String> = table.foreign_keys.iter().map(|fk| foreign_key_json(table, fk)).collect();
    let empty = Table { columns: List::Borrowed(&[]), foreign_keys: List::Borrowed(&[]), ..table.clone() };
    // The table's own `columns` comes first: only `name`, `schema`,
    // `comment` and `renamed_from` precede it; `foreign_keys` comes last.
    let json = to_json(&empty).replacen("\"columns\":[]", &format!("\"columns\":[{}]", columns.join(",")), 1);
    if keys.is_empty() {
        return json;
    }
    let open = json.strip_suffix('}').expect("a table is a JSON object");
    format!("{open},\"foreign_keys\":[{}]}}", keys.join(","))
}

fn column_json(column: &Column) -> String {
    let plain = column.server_default.is_none() && column.comment.is_none() && column.renamed_from.is_none();
    match (plain, column.nullable, column.autoincrement) {
        (true, false, false) => to_json(&(&column.name, &column.sql_type)),
        (true, true, false) => to_json(&(&column.name, &column.sql_type, true)),
        (true, nullable, true) => to_json(&(&column.name, &column.sql_type, nullable, true)),
        // Only a key can read so: inside a JSON string every `"` is escaped.
        (false, _, _) => to_json(column).replace(",\"nullable\":false", ""),
    }
}

fn foreign_key_json(table: &Table, fk: &ForeignKey) -> String {
    let conventional = fk.name == ForeignKey::conventional_name(&table.name, &fk.columns, &fk.ref_table);
    if conventional && fk.on_delete.is_none() && fk.on_update.is_none() {
        to_json(&(&fk.columns, &fk.ref_table, &fk.ref_columns))
    } else {
        to_json(fk)
    }
}

/// Whether the model's fields are its table's columns, in order, each
/// named like its column and without a client default: what the reader
/// rebuilds when `fields` is left out (`Metadata::fill_left_out`).
fn plain_fields(model: &Model, table: &Table) -> bool {
    model.fields.len() == table.columns.len()
        && model
            .fields
            .iter()
            .zip(table.columns.iter())
            .all(|(f, c)| f.default.is_none() && f.name == f.column && f.column == c.name)
}

/// A model's JSON without its `fields`.
fn model_json_without_fields(model: &Model) -> String {
    to_json(&Model { fields: List::Borrowed(&[]), ..model.clone() })
}

fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).expect("the schema model serializes")
}

/// `r#"text"#` with enough `#` that `text` cannot end it.
fn raw_string(text: &str) -> String {
    let hashes = "#".repeat((1..).find(|&n| !text.contains(&format!("\"{}", "#".repeat(n)))).unwrap_or(1));
    format!("r{hashes}\"{text}\"{hashes}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_strings_outlast_their_text() {
        assert_eq!(raw_string(r#"{"a":"b"}"#), r###"r#"{"a":"b"}"#"###);
        assert_eq!(raw_string(r##"x"#y"##), r####"r##"x"#y"##"####);
    }
}
