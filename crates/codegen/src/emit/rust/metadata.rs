//! `METADATA`: the schema model ([`quarry_schema::Metadata`]) as JSON text
//! that the runtime reads on first use, and the places in it that model
//! impls and relation descriptors point at.
//!
//! The model is data, and the largest part of a big schema. Written as
//! `static` Rust values it cost about 45 s of `cargo check` for 300 tables
//! (the build benchmark's `attribute.py`, at bc2b377): every literal is
//! type-checked and const-evaluated. As text it costs nothing to check,
//! and the runtime reads it once (300 tables: 2 ms in a release build, 22
//! ms in a debug one). It is the very structure the code generator built,
//! serialized by the model's own serde derives, less what the reader fills
//! in: a plain column is `[name, type]` and a plain foreign key `[columns,
//! ref_table, ref_columns]` (which `db::Column` and `db::ForeignKey` read
//! beside their object forms), a NOT NULL column's `nullable`, a foreign
//! key's conventional name and a model's fields named like its columns are
//! left out (`Metadata::fill_left_out`), and a plain relation is an array
//! (`app::Model`'s JSON).
//!
//! Nor does the module repeat what its `model!` calls already say: each
//! call's expansion writes its table's JSON and its model's (`__META`,
//! by quarry's `__table_json!`), the table's name, columns and primary
//! key worked out from the call, and `METADATA` joins them. The call gives
//! the rest as text (`metadata`), and the JSON of each column the macro
//! cannot work out (a `VARCHAR` length, a server default, a comment, ...);
//! [`model_parts`] decides which, by writing each column as the macro
//! would and comparing.

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

/// `pub static METADATA`, as source text: every model's `__META`, and
/// the enums.
pub fn metadata(metadata: &Metadata, structs: &[String]) -> String {
    // Eight a line: the list is as long as the schema.
    let parts: String = structs
        .chunks(8)
        .map(|line| format!("        {}\n", line.iter().map(|s| format!("{s}::__META,")).collect::<Vec<_>>().join(" ")))
        .collect();
    format!(
        "/// Every table, column, constraint and enum of the schema (keyed by
/// SQL name), and the models and relations mapped over them.
#[allow(dead_code)]
pub static METADATA: quarry::__codegen::LazyLock<quarry::Metadata> = quarry::__codegen::LazyLock::new(|| {{
    quarry::__codegen::metadata(
        &[\n{parts}        ],
        {},
    )
}});
",
        raw_string(&enums_json(metadata))
    )
}

/// Each column's and each relation's JSON as `model!` writes it from its
/// call (`None` where it cannot), in order.
pub struct Derived {
    pub columns: Vec<Option<String>>,
    pub relations: Vec<Option<String>>,
}

/// What a `model!` call says of its table's and model's JSON beyond what
/// the macro works out: the rest of each (`metadata` line), and each
/// column's and relation's JSON where the macro cannot write it.
pub struct ModelParts {
    /// Both texts whole, where the macro cannot write the table's name or
    /// key as JSON (a name whose Rust escape is not JSON's).
    full: Option<(String, String)>,
    table_rest: String,
    model_rest: String,
    /// Per column, the JSON the call gives (`None`: the macro's own).
    pub columns: Vec<Option<String>>,
    /// Per relation, likewise.
    pub relations: Vec<Option<String>>,
}

impl ModelParts {
    /// The `metadata` line of the `model!` call.
    pub fn line(&self) -> String {
        match &self.full {
            Some((table, model)) => format!("metadata full {}, {};", raw_string(table), raw_string(model)),
            None => format!("metadata {}, {};", raw_string(&self.table_rest), raw_string(&self.model_rest)),
        }
    }

    /// The table's and the model's JSON as `__table_json!` writes them
    /// from the call, what the call does not give as `derived` says the
    /// macro writes it.
    pub fn assembled(&self, model: &Model, table: &Table, derived: &Derived) -> (String, String) {
        if let Some(full) = &self.full {
            return full.clone();
        }
        let pick = |given: &[Option<String>], derived: &[Option<String>]| -> Vec<String> {
            given.iter().zip(derived).map(|(g, d)| g.clone().or_else(|| d.clone()).expect("a JSON text")).collect()
        };
        let keys: Vec<String> = table.primary_key.iter().map(|k| format!("{k:?}")).collect();
        let relations = pick(&self.relations, &derived.relations);
        let relations = match relations.is_empty() {
            true => String::new(),
            false => format!(",\"relations\":[{}]", relations.join(",")),
        };
        (
            format!(
                "{{\"name\":{:?},\"columns\":[{}],\"primary_key\":[{}]{}}}",
                table.name,
                pick(&self.columns, &derived.columns).join(","),
                keys.join(","),
                self.table_rest
            ),
            format!("{{\"name\":\"{}\",\"table\":{:?}{relations}{}}}", model.name, table.name, self.model_rest),
        )
    }
}

/// The [`ModelParts`] of `table` and its `model` (as lowered), given each
/// column's and relation's JSON as the macro would write it.
pub fn model_parts(table: &Table, model: &Model, derived: &Derived) -> ModelParts {
    let table_json = table_json(table);
    let model_json = model_json(model, table);
    let keys: Vec<String> = table.primary_key.iter().map(|k| format!("{k:?}")).collect();
    let relations_json: Vec<String> = match serde_json::from_str::<serde_json::Value>(&model_json) {
        Ok(serde_json::Value::Object(members)) => match members.get("relations") {
            Some(serde_json::Value::Array(items)) => items.iter().map(|item| item.to_string()).collect(),
            _ => Vec::new(),
        },
        _ => unreachable!("a model is a JSON object"),
    };
    let derivable = format!("{:?}", table.name) == to_json(&table.name)
        && format!("[{}]", keys.join(",")) == to_json(&table.primary_key)
        && derived.columns.len() == table.columns.len()
        && derived.relations.len() == relations_json.len();
    if !derivable {
        return ModelParts {
            full: Some((table_json, model_json)),
            table_rest: String::new(),
            model_rest: String::new(),
            columns: vec![None; derived.columns.len()],
            relations: relations_json.into_iter().map(Some).collect(),
        };
    }
    let given = |actual: Vec<String>, derived: &[Option<String>]| -> Vec<Option<String>> {
        actual
            .into_iter()
            .zip(derived)
            .map(|(json, derived)| (derived.as_ref() != Some(&json)).then_some(json))
            .collect()
    };
    ModelParts {
        full: None,
        table_rest: rest(&table_json, &["name", "columns", "primary_key"]),
        model_rest: rest(&model_json, &["name", "table", "relations"]),
        columns: given(table.columns.iter().map(column_json).collect(), &derived.columns),
        relations: given(relations_json, &derived.relations),
    }
}

/// `json`'s members but `left_out`, as `,"name":value` each.
fn rest(json: &str, left_out: &[&str]) -> String {
    let serde_json::Value::Object(members) = serde_json::from_str(json).expect("a JSON object") else {
        unreachable!("tables and models are JSON objects")
    };
    members
        .iter()
        .filter(|(k, _)| !left_out.contains(&k.as_str()))
        .map(|(k, v)| format!(",{}:{v}", to_json(k)))
        .collect()
}

/// The JSON `METADATA` reads: the tables' and models' texts (see
/// [`ModelParts::assembled`]) and the enums, as `quarry::__codegen::metadata`
/// joins them.
pub fn assembled_json(metadata: &Metadata, parts: &[(String, String)]) -> String {
    let tables: Vec<&str> = parts.iter().map(|(t, _)| t.as_str()).collect();
    let models: Vec<&str> = parts.iter().map(|(_, m)| m.as_str()).collect();
    format!(
        "{{\"schema\":{{\"tables\":[{}],\"enums\":{}}},\"models\":[{}]}}",
        tables.join(","),
        enums_json(metadata),
        models.join(",")
    )
}

fn enums_json(metadata: &Metadata) -> String {
    let enums: Vec<String> = metadata.schema.enums.iter().map(to_json).collect();
    if enums.is_empty() {
        "[]".to_owned()
    } else {
        format!("[\n{}\n]", enums.join(",\n"))
    }
}

/// A model's JSON, without its fields where the reader rebuilds them.
fn model_json(model: &Model, table: &Table) -> String {
    match plain_fields(model, table) {
        true => model_json_without_fields(model),
        false => to_json(model),
    }
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
pub(super) fn raw_string(text: &str) -> String {
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
