//! `METADATA`: the schema model ([`quarry_schema::Metadata`]) as a
//! `'static` value, and the statics the model impls and relation
//! descriptors point into.
//!
//! Every value is written as a Rust expression of the model's own types
//! (`Cow::Borrowed` strings and slices, short names from
//! `quarry::__codegen::meta`), so the runtime reads the very structure the
//! code generator built: no second copy of the definitions.
//!
//! This part is data, and the largest part of a big schema's module: it is
//! written as text, one line per column, field and relation, with only the
//! fields that differ from `meta`'s empty values (`..COLUMN`), rather than
//! built as tokens and laid out by prettyplease.

use std::fmt::Write;

use proc_macro2::{Ident, Literal, TokenStream};
use quarry_schema::app::{Cascade, Field, Model, OrderBy, Relation, RelationKind, Through};
use quarry_schema::db::{Check, Column, Enum, FkAction, ForeignKey, Index, ServerDefault, SqlType, Table, Unique};
use quarry_schema::{List, Metadata, Str};
use quote::{format_ident, quote};

/// The static array of every model, in table order.
pub fn models_static() -> Ident {
    format_ident!("__QUARRY_MODELS")
}

/// The static array of the relations of the table at `index`.
pub fn relations_static(index: usize) -> Ident {
    format_ident!("__QUARRY_RELATIONS_{index}")
}

/// `&'static` place of the model of the table at `index`.
pub fn model_place(index: usize) -> TokenStream {
    let models = models_static();
    let index = Literal::usize_unsuffixed(index);
    quote!(&#models[#index])
}

/// `&'static` place of relation `relation` of the table at `table`.
pub fn relation_place(table: usize, relation: usize) -> TokenStream {
    let relations = relations_static(table);
    let relation = Literal::usize_unsuffixed(relation);
    quote!(&#relations[#relation])
}

/// `pub static METADATA` and the statics behind it, as source text.
pub fn metadata(metadata: &Metadata) -> String {
    let mut out = String::new();
    for (i, model) in metadata.models.iter().enumerate() {
        let relations: Vec<String> = model.relations.iter().map(Lit::lit).collect();
        let ty = "quarry::__codegen::app::Relation";
        write_static(&mut out, &relations_static(i).to_string(), ty, &relations);
    }
    let models: Vec<String> =
        metadata.models.iter().enumerate().map(|(i, model)| model_lit(model, &relations_static(i))).collect();
    write_static(&mut out, &models_static().to_string(), "quarry::__codegen::app::Model", &models);
    let tables: Vec<String> = metadata.schema.tables.iter().map(table_lit).collect();
    write_static(&mut out, "__QUARRY_TABLES", "quarry::__codegen::db::Table", &tables);
    let enums = metadata.schema.enums.lit();
    let models = models_static();
    out.push_str(&format!(
        "/// Every table, column, constraint and enum of the schema (keyed by
/// SQL name), and the models and relations mapped over them.
#[allow(dead_code, non_camel_case_types, non_snake_case)]
pub static METADATA: quarry::Metadata = {{
    use quarry::__codegen::meta::*;
    Metadata {{ schema: Schema {{ tables: B(&__QUARRY_TABLES), enums: {enums} }}, models: B(&{models}) }}
}};
"
    ));
    out
}

/// `static name: [ty; n] = [...];`, one item a line, in a block that
/// imports the short names when there are any.
fn write_static(out: &mut String, name: &str, ty: &str, items: &[String]) {
    let n = items.len();
    let _ = writeln!(out, "#[doc(hidden)]\n#[allow(dead_code, non_camel_case_types, non_snake_case)]");
    if items.is_empty() {
        let _ = writeln!(out, "static {name}: [{ty}; 0] = [];");
        return;
    }
    let _ = writeln!(out, "static {name}: [{ty}; {n}] = {{\n    use quarry::__codegen::meta::*;\n    [");
    for item in items {
        let _ = writeln!(out, "        {item},");
    }
    out.push_str("    ]\n};\n");
}

/// A table: one line per field, and one per column.
fn table_lit(table: &Table) -> String {
    let mut fields = Fields::new()
        .always("name", &table.name)
        .some("schema", &table.schema)
        .some("comment", &table.comment)
        .some("renamed_from", &table.renamed_from);
    if !table.columns.is_empty() {
        let columns: String = table.columns.iter().map(|c| format!("                {},\n", c.lit())).collect();
        fields.0.push(format!("columns: B(&[\n{columns}            ])"));
    }
    fields
        .list("primary_key", &table.primary_key)
        .list("uniques", &table.uniques)
        .list("indexes", &table.indexes)
        .list("checks", &table.checks)
        .list("foreign_keys", &table.foreign_keys)
        .build_lines("Table", "TABLE", 10)
}

/// A model: one line per field of the struct, and one per model field.
fn model_lit(model: &Model, relations: &Ident) -> String {
    let Model { name, table, fields, relations: _, rank } = model;
    let fields: String = fields.iter().map(|f| format!("                {},\n", f.lit())).collect();
    let fields = if fields.is_empty() { "B(&[])".to_owned() } else { format!("B(&[\n{fields}            ])") };
    let lines = [
        format!("name: {}", name.lit()),
        format!("table: {}", table.lit()),
        format!("fields: {fields}"),
        format!("relations: B(&{relations})"),
        format!("rank: {rank}"),
    ];
    format!("Model {{\n{}        }}", lines.iter().map(|line| format!("            {line},\n")).collect::<String>())
}

/// A value written as a Rust expression that builds it in a `static`,
/// with `quarry::__codegen::meta::*` in scope.
trait Lit {
    fn lit(&self) -> String;
}

/// `field: value` for the fields of a struct literal that differ from the
/// `..BASE` value, which [`Fields::build`] appends.
struct Fields(Vec<String>);

impl Fields {
    fn new() -> Self {
        Fields(Vec::new())
    }

    fn always(mut self, name: &str, value: &impl Lit) -> Self {
        self.0.push(format!("{name}: {}", value.lit()));
        self
    }

    fn unless(self, default: bool, name: &str, value: &impl Lit) -> Self {
        if default {
            self
        } else {
            self.always(name, value)
        }
    }

    fn some<T: Lit>(self, name: &str, value: &Option<T>) -> Self {
        self.unless(value.is_none(), name, value)
    }

    fn list<T: Lit + Clone>(self, name: &str, value: &List<T>) -> Self {
        self.unless(value.is_empty(), name, value)
    }

    fn flag(self, name: &str, value: bool) -> Self {
        self.unless(!value, name, &value)
    }

    /// `Ty { fields, ..BASE }`, without `..BASE` when all `count` fields
    /// are given (clippy's `needless_update` would flag it in users' crates).
    fn build(self, ty: &str, base: &str, count: usize) -> String {
        if self.0.len() == count {
            return format!("{ty} {{ {} }}", self.0.join(", "));
        }
        format!("{ty} {{ {}, ..{base} }}", self.0.join(", "))
    }

    /// As [`Fields::build`], one field a line, for an item of a static.
    fn build_lines(self, ty: &str, base: &str, count: usize) -> String {
        let fields: String = self.0.iter().map(|field| format!("            {field},\n")).collect();
        let base = if self.0.len() == count { String::new() } else { format!("            ..{base}\n") };
        format!("{ty} {{\n{fields}{base}        }}")
    }
}

impl Lit for Str {
    fn lit(&self) -> String {
        format!("B({})", Literal::string(self))
    }
}

impl<T: Lit + Clone> Lit for List<T> {
    fn lit(&self) -> String {
        format!("B(&[{}])", self.iter().map(Lit::lit).collect::<Vec<_>>().join(", "))
    }
}

impl<T: Lit> Lit for Option<T> {
    fn lit(&self) -> String {
        match self {
            Some(value) => format!("Some({})", value.lit()),
            None => "::std::option::Option::None".to_owned(),
        }
    }
}

impl Lit for bool {
    fn lit(&self) -> String {
        self.to_string()
    }
}

impl Lit for u32 {
    fn lit(&self) -> String {
        self.to_string()
    }
}

impl Lit for Column {
    fn lit(&self) -> String {
        Fields::new()
            .always("name", &self.name)
            .always("sql_type", &self.sql_type)
            .flag("nullable", self.nullable)
            .flag("autoincrement", self.autoincrement)
            .some("server_default", &self.server_default)
            .some("comment", &self.comment)
            .some("renamed_from", &self.renamed_from)
            .build("Column", "COLUMN", 7)
    }
}

impl Lit for SqlType {
    fn lit(&self) -> String {
        let variant = match self {
            SqlType::SmallInt => "SmallInt".to_owned(),
            SqlType::Integer => "Integer".to_owned(),
            SqlType::BigInt => "BigInt".to_owned(),
            SqlType::Float => "Float".to_owned(),
            SqlType::Double => "Double".to_owned(),
            SqlType::Bool => "Bool".to_owned(),
            SqlType::Text => "Text".to_owned(),
            SqlType::Varchar(n) => format!("Varchar({})", n.lit()),
            SqlType::Numeric { precision, scale } => {
                format!("Numeric {{ precision: {}, scale: {} }}", precision.lit(), scale.lit())
            }
            SqlType::Date => "Date".to_owned(),
            SqlType::Time => "Time".to_owned(),
            SqlType::Timestamp => "Timestamp".to_owned(),
            SqlType::TimestampTz => "TimestampTz".to_owned(),
            SqlType::Json => "Json".to_owned(),
            SqlType::Jsonb => "Jsonb".to_owned(),
            SqlType::Binary => "Binary".to_owned(),
            SqlType::Enum(name) => format!("Enum({})", name.lit()),
        };
        format!("SqlType::{variant}")
    }
}

impl Lit for ServerDefault {
    fn lit(&self) -> String {
        let variant = match self {
            ServerDefault::Int(v) => format!("Int({})", Literal::i64_unsuffixed(*v)),
            ServerDefault::Float(v) => format!("Float({})", v.lit()),
            ServerDefault::Bool(v) => format!("Bool({v})"),
            ServerDefault::Str(v) => format!("Str({})", v.lit()),
            ServerDefault::CurrentTimestamp => "CurrentTimestamp".to_owned(),
            ServerDefault::CurrentDate => "CurrentDate".to_owned(),
            ServerDefault::Sql(v) => format!("Sql({})", v.lit()),
        };
        format!("ServerDefault::{variant}")
    }
}

impl Lit for Unique {
    fn lit(&self) -> String {
        format!("Unique {{ name: {}, columns: {} }}", self.name.lit(), self.columns.lit())
    }
}

impl Lit for Index {
    fn lit(&self) -> String {
        format!("Index {{ name: {}, columns: {}, unique: {} }}", self.name.lit(), self.columns.lit(), self.unique)
    }
}

impl Lit for Check {
    fn lit(&self) -> String {
        format!("Check {{ name: {}, sql: {} }}", self.name.lit(), self.sql.lit())
    }
}

impl Lit for FkAction {
    fn lit(&self) -> String {
        let variant = match self {
            FkAction::NoAction => "NoAction",
            FkAction::Restrict => "Restrict",
            FkAction::Cascade => "Cascade",
            FkAction::SetNull => "SetNull",
            FkAction::SetDefault => "SetDefault",
        };
        format!("FkAction::{variant}")
    }
}

impl Lit for ForeignKey {
    fn lit(&self) -> String {
        Fields::new()
            .always("name", &self.name)
            .always("columns", &self.columns)
            .always("ref_table", &self.ref_table)
            .always("ref_columns", &self.ref_columns)
            .some("on_delete", &self.on_delete)
            .some("on_update", &self.on_update)
            .build("ForeignKey", "FOREIGN_KEY", 6)
    }
}

impl Lit for Enum {
    fn lit(&self) -> String {
        format!("Enum {{ name: {}, schema: {}, values: {} }}", self.name.lit(), self.schema.lit(), self.values.lit())
    }
}

impl Lit for Field {
    fn lit(&self) -> String {
        Fields::new()
            .always("name", &self.name)
            .always("column", &self.column)
            .some("default", &self.default)
            .build("Field", "FIELD", 3)
    }
}

impl Lit for Relation {
    fn lit(&self) -> String {
        Fields::new()
            .always("name", &self.name)
            .unless(self.kind == RelationKind::HasMany, "kind", &self.kind)
            .always("table", &self.table)
            .always("target", &self.target)
            .list("local_columns", &self.local_columns)
            .list("remote_columns", &self.remote_columns)
            .some("through", &self.through)
            .some("back_populates", &self.back_populates)
            .unless(self.cascade == Cascade::default(), "cascade", &self.cascade)
            .flag("passive_deletes", self.passive_deletes)
            .list("order_by", &self.order_by)
            .build("Relation", "RELATION", 11)
    }
}

impl Lit for RelationKind {
    fn lit(&self) -> String {
        let variant = match self {
            RelationKind::HasMany => "HasMany",
            RelationKind::HasOne => "HasOne",
            RelationKind::BelongsTo => "BelongsTo",
            RelationKind::ManyToMany => "ManyToMany",
        };
        format!("RelationKind::{variant}")
    }
}

impl Lit for Cascade {
    fn lit(&self) -> String {
        let Cascade { save_update, merge, delete, delete_orphan, refresh_expire } = self;
        format!(
            "Cascade {{ save_update: {save_update}, merge: {merge}, delete: {delete}, delete_orphan: {delete_orphan}, refresh_expire: {refresh_expire} }}"
        )
    }
}

impl Lit for OrderBy {
    fn lit(&self) -> String {
        format!("OrderBy {{ column: {}, desc: {} }}", self.column.lit(), self.desc)
    }
}

impl Lit for Through {
    fn lit(&self) -> String {
        format!(
            "Through {{ table: {}, target_columns: {}, target_ref_columns: {} }}",
            self.table.lit(),
            self.target_columns.lit(),
            self.target_ref_columns.lit()
        )
    }
}
