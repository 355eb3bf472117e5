//! Phase 1: schema files → IR, with names as written.
//!
//! A schema file is Rust item syntax: `#[table]` structs and `#[db_enum]`
//! enums (plus `use` items, which are ignored so editors can resolve the
//! types). Nothing here looks across items; `resolve` does that. Every
//! mistake in every file is collected before the phase ends.

use proc_macro2::Span as SynSpan;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, Fields, GenericArgument, Item, Lit, PathArguments, Type};

use crate::diagnostic::{did_you_mean, Diagnostic, Diagnostics};
use crate::ir::{
    Cascade, Check, Column, ColumnType, Enum, EnumVariant, FkAction, ForeignKey, Index, OrderBy, Relation,
    RelationKind, Schema, ServerDefault, SourceFile, Span, Table, Unique,
};

const TABLE_ATTRS: &[&str] = &["table", "primary_key", "unique", "index", "check", "foreign_key", "doc"];
const FIELD_ATTRS: &[&str] = &["column", "relation", "doc"];
const TABLE_KEYS: &[&str] = &["name", "schema", "renamed_from"];
const COLUMN_KEYS: &[&str] = &[
    "name",
    "primary_key",
    "autoincrement",
    "unique",
    "index",
    "max_length",
    "precision",
    "scale",
    "jsonb",
    "default",
    "server_default",
    "references",
    "on_delete",
    "on_update",
    "renamed_from",
];
const RELATION_KINDS: &[&str] = &["has_many", "has_one", "belongs_to", "many_to_many"];
const RELATION_KEYS: &[&str] = &["back_populates", "cascade", "passive_deletes", "order_by", "foreign_key", "through"];
const FK_ACTIONS: &[&str] = &["cascade", "set_null", "set_default", "restrict", "no_action"];
const CASCADE_WORDS: &[&str] =
    &["all", "save-update", "merge", "delete", "delete-orphan", "refresh-expire", "expunge", "none"];
/// The Rust type names a column may have (the last path segment).
pub(crate) const SCALAR_TYPES: &[&str] = &[
    "i16",
    "i32",
    "i64",
    "f32",
    "f64",
    "bool",
    "String",
    "BigDecimal",
    "NaiveDate",
    "NaiveTime",
    "NaiveDateTime",
    "DateTime",
    "Value",
    "Vec",
];

/// Rust's primitive types that are no column type (`i16`, `f64`, ... are).
const PRIMITIVE_TYPES: &[&str] =
    &["u8", "u16", "u32", "u64", "u128", "usize", "i8", "i128", "isize", "char", "str", "f16", "f128"];

/// Parses every file; returns the unresolved schema (without the items that
/// failed to parse) and every syntax error.
pub fn parse_files(files: Vec<SourceFile>) -> (Schema, Diagnostics) {
    let mut errors = Diagnostics::default();
    let mut schema = Schema::default();
    for (index, file) in files.iter().enumerate() {
        let mut parser = Parser { file: index, errors: &mut errors };
        parser.parse_file(&file.text, &mut schema);
    }
    schema.files = files;
    (schema, errors)
}

struct Parser<'a> {
    file: usize,
    errors: &'a mut Diagnostics,
}

impl Parser<'_> {
    fn span(&self, span: SynSpan) -> Span {
        let range = span.byte_range();
        Span { file: self.file, start: range.start, end: range.end }
    }

    fn error(&mut self, span: SynSpan, message: impl Into<String>) -> &mut Diagnostic {
        let message = message.into();
        let at = self.span(span);
        self.errors.push(Diagnostic::new(at, message));
        self.errors.last_mut()
    }

    fn syn_error(&mut self, error: syn::Error) {
        for e in error {
            let message = e.to_string();
            self.error(e.span(), message);
        }
    }

    fn parse_file(&mut self, text: &str, schema: &mut Schema) {
        let file = match syn::parse_file(text) {
            Ok(file) => file,
            Err(e) => {
                let message = e.to_string();
                // `r#self` and friends fail in the lexer, whose error has no
                // place: point at the first of them.
                let raw_reserved = ["r#self", "r#Self", "r#super", "r#crate", "r#_"]
                    .iter()
                    .filter_map(|raw| text.find(raw).map(|at| (at, raw.len())))
                    .min();
                let mut at = self.span(e.span());
                if let Some((start, len)) = raw_reserved.filter(|_| message.contains("cannot parse")) {
                    at = Span { file: self.file, start, end: start + len };
                }
                self.errors.push(
                    Diagnostic::new(at, format!("this schema file is not valid Rust syntax: {message}")).label("here"),
                );
                if message.contains("found keyword") || raw_reserved.is_some() {
                    self.errors.last_mut().hint = Some(
                        "`self`, `Self`, `super`, `crate` and `_` cannot be names, not even raw (`r#self`): name the \
                         field, struct, enum or variant differently and keep the SQL name, e.g. \
                         `#[column(name = \"self\")] pub self_: i32`; other keywords work as raw identifiers \
                         (`pub r#type: String`)"
                            .into(),
                    );
                }
                return;
            }
        };
        for item in &file.items {
            match item {
                Item::Struct(item) => {
                    if let Some(table) = self.parse_table(item) {
                        schema.tables.push(table);
                    }
                }
                Item::Enum(item) => {
                    if let Some(db_enum) = self.parse_enum(item) {
                        schema.enums.push(db_enum);
                    }
                }
                Item::Use(_) => {}
                other => {
                    self.error(other.span(), "unexpected item in a schema file").hint =
                        Some("a schema file holds `#[table]` structs, `#[db_enum]` enums and `use` items".into());
                }
            }
        }
    }

    // ----- tables -----------------------------------------------------------------

    fn parse_table(&mut self, item: &syn::ItemStruct) -> Option<Table> {
        let struct_name = item.ident.unraw().to_string();
        if !item.attrs.iter().any(|a| a.path().is_ident("table")) {
            self.error(item.ident.span(), format!("struct `{struct_name}` has no `#[table]` attribute")).hint =
                Some(format!("add `#[table(name = \"...\")]` above `struct {struct_name}`"));
            return None;
        }
        if !item.generics.params.is_empty() {
            self.error(item.generics.span(), "a table struct cannot be generic");
        }
        let mut table = Table {
            struct_name: struct_name.clone(),
            doc: doc_comment(&item.attrs),
            span: self.span(item.ident.span()),
            ..Table::empty(&heck::AsSnakeCase(&struct_name).to_string())
        };
        let mut table_pk: Option<Vec<String>> = None;
        for attr in &item.attrs {
            let Some(name) = attr.path().get_ident().map(|i| i.to_string()) else {
                self.error(attr.path().span(), "unknown attribute on a table struct").hint =
                    Some(format!("table attributes are: {}", TABLE_ATTRS.join(", ")));
                continue;
            };
            let result = match name.as_str() {
                "doc" => Ok(()),
                "table" => self.table_attr(attr, &mut table),
                "primary_key" => column_list(attr).map(|cols| table_pk = Some(cols)),
                "unique" => self.unique_attr(attr, &mut table),
                "index" => self.index_attr(attr, &mut table),
                "check" => self.check_attr(attr, &mut table),
                "foreign_key" => self.foreign_key_attr(attr, &mut table),
                other => {
                    let hint = did_you_mean(other, TABLE_ATTRS.iter().copied())
                        .unwrap_or_else(|| format!("table attributes are: {}", TABLE_ATTRS.join(", ")));
                    self.error(attr.path().span(), format!("unknown table attribute `#[{other}]`")).hint = Some(hint);
                    Ok(())
                }
            };
            if let Err(e) = result {
                self.syn_error(e);
            }
        }

        let Fields::Named(fields) = &item.fields else {
            self.error(item.ident.span(), "a table struct needs named fields, one per column");
            return None;
        };
        let mut column_pk = Vec::new();
        let mut explicit_autoincrement = Vec::new();
        for field in &fields.named {
            let Some(ident) = &field.ident else { continue };
            let field_name = ident.unraw().to_string();
            for attr in &field.attrs {
                let name = attr.path().get_ident().map(|i| i.to_string()).unwrap_or_default();
                if !FIELD_ATTRS.contains(&name.as_str()) {
                    let hint = did_you_mean(&name, FIELD_ATTRS.iter().copied())
                        .unwrap_or_else(|| "field attributes are `#[column(...)]` and `#[relation(...)]`".into());
                    self.error(attr.path().span(), format!("unknown field attribute `#[{name}]`")).hint = Some(hint);
                }
            }
            if let Some(attr) = field.attrs.iter().find(|a| a.path().is_ident("relation")) {
                if let Some(relation) = self.parse_relation(attr, field, &field_name) {
                    table.relations.push(relation);
                }
                continue;
            }
            if let Some(column) =
                self.parse_column(field, &field_name, &mut table, &mut column_pk, &mut explicit_autoincrement)
            {
                table.columns.push(column);
            }
        }
        match (table_pk, column_pk.is_empty()) {
            (Some(_), false) => {
                self.error(item.ident.span(), "primary key declared twice").hint =
                    Some("use either `#[primary_key(...)]` on the struct or `#[column(primary_key)]` on fields".into());
            }
            (Some(pk), true) => table.primary_key = pk,
            (None, _) => table.primary_key = column_pk,
        }
        // SQLAlchemy's autoincrement="auto": a lone integer primary key with
        // no default and no foreign key is generated by the database.
        if let [key] = table.primary_key.as_slice() {
            let references_something = table.foreign_keys.iter().any(|fk| fk.columns.contains(key));
            if let Some(column) = table.columns.iter_mut().find(|c| &c.field == key) {
                if !explicit_autoincrement.contains(key)
                    && column.ty.is_integer()
                    && column.default.is_none()
                    && column.server_default.is_none()
                    && !references_something
                {
                    column.autoincrement = true;
                }
            }
        }
        Some(table)
    }

    fn table_attr(&mut self, attr: &Attribute, table: &mut Table) -> syn::Result<()> {
        if matches!(attr.meta, syn::Meta::Path(_)) {
            return Ok(());
        }
        attr.parse_nested_meta(|meta| {
            let key = meta_key(&meta);
            match key.as_str() {
                "name" => table.name = string_value(&meta)?,
                "schema" => table.schema = Some(string_value(&meta)?),
                "renamed_from" => table.renamed_from = Some(string_value(&meta)?),
                other => return Err(unknown_key(&meta, other, TABLE_KEYS, "#[table]")),
            }
            Ok(())
        })
    }

    fn unique_attr(&mut self, attr: &Attribute, table: &mut Table) -> syn::Result<()> {
        let (name, columns, _) = constraint_args(attr, false)?;
        table.uniques.push(Unique { name: name.unwrap_or_default(), columns, span: self.span(attr.span()) });
        Ok(())
    }

    fn index_attr(&mut self, attr: &Attribute, table: &mut Table) -> syn::Result<()> {
        let (name, columns, unique) = constraint_args(attr, true)?;
        table.indexes.push(Index { name: name.unwrap_or_default(), columns, unique, span: self.span(attr.span()) });
        Ok(())
    }

    fn check_attr(&mut self, attr: &Attribute, table: &mut Table) -> syn::Result<()> {
        let mut name = None;
        let mut sql = None;
        attr.parse_nested_meta(|meta| {
            match meta_key(&meta).as_str() {
                "name" => name = Some(string_value(&meta)?),
                "sql" => sql = Some(string_value(&meta)?),
                other => return Err(unknown_key(&meta, other, &["name", "sql"], "#[check]")),
            }
            Ok(())
        })?;
        let sql = sql.ok_or_else(|| syn::Error::new(attr.span(), "`#[check]` needs `sql = \"<condition>\"`"))?;
        table.checks.push(Check { name: name.unwrap_or_default(), sql, span: self.span(attr.span()) });
        Ok(())
    }

    fn foreign_key_attr(&mut self, attr: &Attribute, table: &mut Table) -> syn::Result<()> {
        let mut fk = ForeignKey {
            name: String::new(),
            columns: Vec::new(),
            ref_table: String::new(),
            ref_columns: Vec::new(),
            on_delete: None,
            on_update: None,
            span: self.span(attr.span()),
        };
        attr.parse_nested_meta(|meta| {
            match meta_key(&meta).as_str() {
                "name" => fk.name = string_value(&meta)?,
                "columns" => fk.columns = nested_idents(&meta)?,
                "references" => {
                    let expr: Expr = meta.value()?.parse()?;
                    let (t, cols) = references(&expr)?;
                    fk.ref_table = t;
                    fk.ref_columns = cols;
                }
                "on_delete" => fk.on_delete = Some(fk_action(&meta)?),
                "on_update" => fk.on_update = Some(fk_action(&meta)?),
                other => {
                    return Err(unknown_key(
                        &meta,
                        other,
                        &["name", "columns", "references", "on_delete", "on_update"],
                        "#[foreign_key]",
                    ))
                }
            }
            Ok(())
        })?;
        if fk.columns.is_empty() || fk.ref_table.is_empty() {
            return Err(syn::Error::new(
                attr.span(),
                "`#[foreign_key]` needs `columns(...)` and `references = table(column, ...)`",
            ));
        }
        table.foreign_keys.push(fk);
        Ok(())
    }

    // ----- columns ----------------------------------------------------------------

    fn parse_column(
        &mut self,
        field: &syn::Field,
        field_name: &str,
        table: &mut Table,
        pk: &mut Vec<String>,
        explicit: &mut Vec<String>,
    ) -> Option<Column> {
        let span = self.span(field.ident.as_ref().map_or(field.span(), |i| i.span()));
        let (ty, nullable) = match column_type(&field.ty) {
            Ok(found) => found,
            Err(diagnostic) => {
                let mut d = Diagnostic::new(self.span(diagnostic.0), diagnostic.1).label(diagnostic.2);
                d.hint = diagnostic.3;
                self.errors.push(d);
                // Keep the column, untyped, so later phases do not report
                // it missing.
                (ColumnType::Enum(String::new()), false)
            }
        };
        let mut column = Column {
            field: field_name.to_owned(),
            name: field_name.to_owned(),
            ty,
            nullable,
            autoincrement: false,
            default: None,
            server_default: None,
            doc: doc_comment(&field.attrs),
            renamed_from: None,
            span,
        };
        let mut explicit_autoincrement = None;
        let mut fk: Option<ForeignKey> = None;
        let mut on_delete = None;
        let mut on_update = None;
        let type_span = field.ty.span();
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("column")) {
            if matches!(attr.meta, syn::Meta::Path(_)) {
                continue;
            }
            let mut problems: Vec<(SynSpan, String, Option<String>)> = Vec::new();
            let result = attr.parse_nested_meta(|meta| {
                let key = meta_key(&meta);
                let key_span = meta.path.span();
                match key.as_str() {
                    "name" => column.name = string_value(&meta)?,
                    "primary_key" => pk.push(field_name.to_owned()),
                    "autoincrement" => explicit_autoincrement = Some(optional_bool(&meta)?),
                    "unique" => table.uniques.push(Unique {
                        name: String::new(),
                        columns: vec![field_name.to_owned()],
                        span: self.span(key_span),
                    }),
                    "index" => table.indexes.push(Index {
                        name: String::new(),
                        columns: vec![field_name.to_owned()],
                        unique: false,
                        span: self.span(key_span),
                    }),
                    "max_length" => {
                        let n = int_value(&meta)?;
                        match column.ty {
                            ColumnType::Text => column.ty = ColumnType::Varchar(n),
                            _ => problems.push((
                                key_span,
                                format!("`max_length` applies only to `String` columns, and `{field_name}` is not one"),
                                Some("remove `max_length`, or make the field a `String`".into()),
                            )),
                        }
                    }
                    "precision" | "scale" => {
                        let n = int_value(&meta)?;
                        match &mut column.ty {
                            ColumnType::Numeric { precision, scale } => {
                                if key == "precision" {
                                    *precision = Some(n);
                                } else {
                                    *scale = Some(n);
                                }
                            }
                            _ => problems.push((
                                key_span,
                                format!("`{key}` applies only to `BigDecimal` columns, and `{field_name}` is not one"),
                                None,
                            )),
                        }
                    }
                    "jsonb" => match column.ty {
                        ColumnType::Json => column.ty = ColumnType::Jsonb,
                        _ => problems.push((
                            key_span,
                            format!(
                                "`jsonb` applies only to `serde_json::Value` columns, and `{field_name}` is not one"
                            ),
                            None,
                        )),
                    },
                    "default" => {
                        let expr: Expr = meta.value()?.parse()?;
                        let text = expr.to_token_stream().to_string();
                        // The emitter parses the text again.
                        if syn::parse_str::<Expr>(&text).is_err() {
                            return Err(syn::Error::new(
                                expr.span(),
                                "quarry cannot copy this expression: write it plainer",
                            ));
                        }
                        column.default = Some(text);
                    }
                    "server_default" => {
                        let expr: Expr = meta.value()?.parse()?;
                        column.server_default = Some(server_default(&expr)?);
                    }
                    "references" => {
                        let expr: Expr = meta.value()?.parse()?;
                        let (ref_table, ref_columns) = references(&expr)?;
                        fk = Some(ForeignKey {
                            name: String::new(),
                            columns: vec![field_name.to_owned()],
                            ref_table,
                            ref_columns,
                            on_delete: None,
                            on_update: None,
                            span: self.span(expr.span()),
                        });
                    }
                    "on_delete" => on_delete = Some(fk_action(&meta)?),
                    "on_update" => on_update = Some(fk_action(&meta)?),
                    "renamed_from" => column.renamed_from = Some(string_value(&meta)?),
                    other => return Err(unknown_key(&meta, other, COLUMN_KEYS, "#[column]")),
                }
                Ok(())
            });
            if let Err(e) = result {
                self.syn_error(e);
            }
            for (at, message, hint) in problems {
                let d = self.error(at, message);
                d.hint = hint;
            }
        }
        if let Some(mut fk) = fk {
            fk.on_delete = on_delete;
            fk.on_update = on_update;
            table.foreign_keys.push(fk);
        } else if on_delete.is_some() || on_update.is_some() {
            self.error(type_span, format!("`on_delete`/`on_update` on `{field_name}`, which references nothing"))
                .hint = Some("add `references = table.column`".into());
        }
        // Without an explicit setting, `resolve` decides once the primary key
        // is known (SQLAlchemy's "auto": a lone integer key column).
        column.autoincrement = explicit_autoincrement.unwrap_or(false);
        if explicit_autoincrement.is_some() {
            explicit.push(field_name.to_owned());
        }
        if explicit_autoincrement == Some(true) && !column.ty.is_integer() {
            self.error(type_span, format!("`autoincrement` needs an integer column, and `{field_name}` is not one"));
        }
        Some(column)
    }

    // ----- relations --------------------------------------------------------------

    fn parse_relation(&mut self, attr: &Attribute, field: &syn::Field, field_name: &str) -> Option<Relation> {
        let mut kind: Option<(RelationKind, SynSpan)> = None;
        let mut relation = Relation {
            field: field_name.to_owned(),
            kind: RelationKind::HasMany,
            target: String::new(),
            foreign_key: None,
            foreign_key_hint: None,
            through: None,
            through_target_key: None,
            back_populates: None,
            cascade: Cascade::default(),
            passive_deletes: false,
            order_by: Vec::new(),
            span: self.span(field.ident.as_ref().map_or(field.span(), |i| i.span())),
        };
        let mut cascade_error = None;
        let result = attr.parse_nested_meta(|meta| {
            let key = meta_key(&meta);
            if key == "passive_deletes" {
                relation.passive_deletes = optional_bool(&meta)?;
                return Ok(());
            }
            if !meta.input.peek(syn::Token![=]) && !meta.input.peek(syn::token::Paren) {
                let found = match key.as_str() {
                    "has_many" => RelationKind::HasMany,
                    "has_one" => RelationKind::HasOne,
                    "belongs_to" => RelationKind::BelongsTo,
                    "many_to_many" => RelationKind::ManyToMany,
                    other => return Err(unknown_key(&meta, other, RELATION_KINDS, "#[relation]")),
                };
                kind = Some((found, meta.path.span()));
                return Ok(());
            }
            match key.as_str() {
                "back_populates" => relation.back_populates = Some(ident_value(&meta)?),
                "foreign_key" => relation.foreign_key_hint = Some(ident_value(&meta)?),
                "through" => relation.through = Some(ident_value(&meta)?),
                "cascade" => {
                    let lit: syn::LitStr = meta.value()?.parse()?;
                    match parse_cascade(&lit.value()) {
                        Ok(c) => relation.cascade = c,
                        Err(word) => cascade_error = Some((lit.span(), word)),
                    }
                }
                "order_by" => {
                    let expr: Expr = meta.value()?.parse()?;
                    relation.order_by = order_by(&expr)?;
                }
                other => {
                    let mut all: Vec<&str> = RELATION_KEYS.to_vec();
                    all.extend(RELATION_KINDS);
                    return Err(unknown_key(&meta, other, &all, "#[relation]"));
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            self.syn_error(e);
            return None;
        }
        if let Some((at, word)) = cascade_error {
            let hint = did_you_mean(&word, CASCADE_WORDS.iter().copied())
                .unwrap_or_else(|| format!("cascade options are: {}", CASCADE_WORDS.join(", ")));
            self.error(at, format!("unknown cascade option `{word}`")).hint = Some(hint);
        }
        let Some((kind, _)) = kind else {
            self.error(attr.span(), format!("relation `{field_name}` does not say its kind")).hint =
                Some(format!("start the attribute with one of: {}", RELATION_KINDS.join(", ")));
            return None;
        };
        relation.kind = kind;
        let (many, target) = match relation_target(&field.ty) {
            Some(found) => found,
            None => {
                self.error(field.ty.span(), "a relation field's type must be `Model`, `Option<Model>` or `Vec<Model>`");
                return None;
            }
        };
        relation.target = target;
        let wants_many = matches!(kind, RelationKind::HasMany | RelationKind::ManyToMany);
        if many != wants_many {
            let shape = if wants_many { "Vec<Model>" } else { "Model or Option<Model>" };
            let name = RELATION_KINDS[kind_index(kind)];
            self.error(field.ty.span(), format!("a `{name}` relation needs a field of type {shape}")).label =
                "this type says the opposite cardinality".into();
            return None;
        }
        if kind == RelationKind::ManyToMany && relation.through.is_none() {
            self.error(
                attr.span(),
                format!("many-to-many relation `{field_name}` needs `through = <association table>`"),
            );
            return None;
        }
        Some(relation)
    }

    // ----- enums ------------------------------------------------------------------

    fn parse_enum(&mut self, item: &syn::ItemEnum) -> Option<Enum> {
        let rust_name = item.ident.unraw().to_string();
        let Some(attr) = item.attrs.iter().find(|a| a.path().is_ident("db_enum")) else {
            self.error(item.ident.span(), format!("enum `{rust_name}` has no `#[db_enum]` attribute")).hint =
                Some("add `#[db_enum(name = \"<sql type name>\")]` above the enum".into());
            return None;
        };
        let mut db_enum = Enum {
            rust_name: rust_name.clone(),
            sql_name: heck::AsSnakeCase(&rust_name).to_string(),
            schema: None,
            doc: doc_comment(&item.attrs),
            variants: Vec::new(),
            span: self.span(item.ident.span()),
        };
        if !matches!(attr.meta, syn::Meta::Path(_)) {
            let result = attr.parse_nested_meta(|meta| {
                match meta_key(&meta).as_str() {
                    "name" => db_enum.sql_name = string_value(&meta)?,
                    "schema" => db_enum.schema = Some(string_value(&meta)?),
                    other => return Err(unknown_key(&meta, other, &["name", "schema"], "#[db_enum]")),
                }
                Ok(())
            });
            if let Err(e) = result {
                self.syn_error(e);
            }
        }
        for variant in &item.variants {
            if !matches!(variant.fields, Fields::Unit) {
                self.error(variant.span(), "a `#[db_enum]` variant cannot hold data");
                continue;
            }
            let variant_name = variant.ident.unraw().to_string();
            let mut value = heck::AsSnakeCase(&variant_name).to_string();
            for attr in &variant.attrs {
                if attr.path().is_ident("value") {
                    match &attr.meta {
                        syn::Meta::NameValue(nv) => match &nv.value {
                            Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => value = s.value(),
                            other => {
                                self.error(other.span(), "expected a string: `#[value = \"stored text\"]`");
                            }
                        },
                        other => {
                            self.error(other.span(), "expected `#[value = \"stored text\"]`");
                        }
                    }
                } else if !attr.path().is_ident("doc") {
                    self.error(attr.span(), "unknown variant attribute").hint =
                        Some("the only variant attribute is `#[value = \"stored text\"]`".into());
                }
            }
            db_enum.variants.push(EnumVariant {
                rust_name: variant_name,
                value,
                span: self.span(variant.ident.span()),
            });
        }
        Some(db_enum)
    }
}

fn kind_index(kind: RelationKind) -> usize {
    match kind {
        RelationKind::HasMany => 0,
        RelationKind::HasOne => 1,
        RelationKind::BelongsTo => 2,
        RelationKind::ManyToMany => 3,
    }
}

/// The joined `///` lines of an item, if any.
fn doc_comment(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => {
                    let line = s.value();
                    Some(line.strip_prefix(' ').unwrap_or(&line).trim_end().to_owned())
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    if lines.is_empty() {
        None
    } else {
        Some(lines.join("\n").trim().to_owned())
    }
}

fn meta_key(meta: &ParseNestedMeta<'_>) -> String {
    meta.path.get_ident().map(|i| i.to_string()).unwrap_or_else(|| meta.path.to_token_stream().to_string())
}

fn unknown_key(meta: &ParseNestedMeta<'_>, key: &str, known: &[&str], attr: &str) -> syn::Error {
    let mut message = format!("unknown key `{key}` in `{attr}`");
    match did_you_mean(key, known.iter().copied()) {
        Some(hint) => message.push_str(&format!("; {hint}")),
        None => message.push_str(&format!("; expected one of: {}", known.join(", "))),
    }
    meta.error(message)
}

fn string_value(meta: &ParseNestedMeta<'_>) -> syn::Result<String> {
    let lit: syn::LitStr = meta.value()?.parse()?;
    Ok(lit.value())
}

fn int_value(meta: &ParseNestedMeta<'_>) -> syn::Result<u32> {
    let lit: syn::LitInt = meta.value()?.parse()?;
    lit.base10_parse()
}

fn optional_bool(meta: &ParseNestedMeta<'_>) -> syn::Result<bool> {
    if meta.input.peek(syn::Token![=]) {
        let lit: syn::LitBool = meta.value()?.parse()?;
        Ok(lit.value)
    } else {
        Ok(true)
    }
}

/// `key = ident` or `key = "text"`.
fn ident_value(meta: &ParseNestedMeta<'_>) -> syn::Result<String> {
    let expr: Expr = meta.value()?.parse()?;
    match &expr {
        Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => Ok(s.value()),
        Expr::Path(p) => match p.path.get_ident() {
            Some(ident) => Ok(ident.unraw().to_string()),
            None => Err(syn::Error::new(p.span(), "expected a name")),
        },
        other => Err(syn::Error::new(other.span(), "expected a name")),
    }
}

/// A name as written in an attribute, without `r#` (`Ident::unraw` for
/// names that are only available as text).
fn unraw(name: &str) -> String {
    name.strip_prefix("r#").unwrap_or(name).to_owned()
}

/// `key(a, b, c)` → field names.
fn nested_idents(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<String>> {
    let mut names = Vec::new();
    meta.parse_nested_meta(|inner| {
        names.push(unraw(&meta_key(&inner)));
        Ok(())
    })?;
    Ok(names)
}

/// `#[primary_key(a, b)]`.
fn column_list(attr: &Attribute) -> syn::Result<Vec<String>> {
    let mut names = Vec::new();
    attr.parse_nested_meta(|meta| {
        names.push(unraw(&meta_key(&meta)));
        Ok(())
    })?;
    if names.is_empty() {
        return Err(syn::Error::new(attr.span(), "name at least one column"));
    }
    Ok(names)
}

/// `#[unique(a, b)]`, `#[unique(name = "..", columns(a, b))]`, and the same
/// for `#[index(..., unique)]`.
fn constraint_args(attr: &Attribute, allow_unique: bool) -> syn::Result<(Option<String>, Vec<String>, bool)> {
    let mut name = None;
    let mut columns = Vec::new();
    let mut unique = false;
    attr.parse_nested_meta(|meta| {
        let key = meta_key(&meta);
        match key.as_str() {
            "name" if meta.input.peek(syn::Token![=]) => name = Some(string_value(&meta)?),
            "columns" if meta.input.peek(syn::token::Paren) => columns.extend(nested_idents(&meta)?),
            "unique" if allow_unique && !meta.input.peek(syn::Token![=]) => unique = true,
            _ if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) => {
                let known: &[&str] = if allow_unique { &["name", "columns", "unique"] } else { &["name", "columns"] };
                return Err(unknown_key(&meta, &key, known, if allow_unique { "#[index]" } else { "#[unique]" }));
            }
            _ => columns.push(unraw(&key)),
        }
        Ok(())
    })?;
    if columns.is_empty() {
        return Err(syn::Error::new(attr.span(), "name at least one column"));
    }
    Ok((name, columns, unique))
}

fn fk_action(meta: &ParseNestedMeta<'_>) -> syn::Result<FkAction> {
    let expr: Expr = meta.value()?.parse()?;
    let word = match &expr {
        Expr::Path(p) => p.path.to_token_stream().to_string(),
        Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => s.value().to_lowercase().replace(' ', "_"),
        _ => String::new(),
    };
    Ok(match word.as_str() {
        "cascade" => FkAction::Cascade,
        "set_null" => FkAction::SetNull,
        "set_default" => FkAction::SetDefault,
        "restrict" => FkAction::Restrict,
        "no_action" => FkAction::NoAction,
        other => {
            let hint = did_you_mean(other, FK_ACTIONS.iter().copied())
                .unwrap_or_else(|| format!("expected one of: {}", FK_ACTIONS.join(", ")));
            return Err(syn::Error::new(expr.span(), format!("unknown foreign key action `{other}`; {hint}")));
        }
    })
}

/// `authors.id`, `order_items(order_id, product_id)` or `"authors.id"`.
fn references(expr: &Expr) -> syn::Result<(String, Vec<String>)> {
    let fail = || syn::Error::new(expr.span(), "expected `table.column` or `table(column, ...)`");
    match expr {
        Expr::Field(f) => {
            let table = match &*f.base {
                Expr::Path(p) => p.path.get_ident().map(|i| unraw(&i.to_string())).ok_or_else(fail)?,
                _ => return Err(fail()),
            };
            let column = match &f.member {
                syn::Member::Named(i) => unraw(&i.to_string()),
                syn::Member::Unnamed(_) => return Err(fail()),
            };
            Ok((table, vec![column]))
        }
        Expr::Call(call) => {
            let table = match &*call.func {
                Expr::Path(p) => p.path.get_ident().map(|i| unraw(&i.to_string())).ok_or_else(fail)?,
                _ => return Err(fail()),
            };
            let columns = call
                .args
                .iter()
                .map(|a| match a {
                    Expr::Path(p) => p.path.get_ident().map(|i| unraw(&i.to_string())).ok_or_else(fail),
                    _ => Err(fail()),
                })
                .collect::<syn::Result<Vec<_>>>()?;
            Ok((table, columns))
        }
        Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => {
            let text = s.value();
            let (table, column) = text.rsplit_once('.').ok_or_else(fail)?;
            Ok((table.to_owned(), vec![column.to_owned()]))
        }
        _ => Err(fail()),
    }
}

/// A server default: a literal, `current_timestamp`, `current_date` or
/// `sql("expression")`.
fn server_default(expr: &Expr) -> syn::Result<ServerDefault> {
    let fail = || {
        syn::Error::new(
            expr.span(),
            "expected a literal, `current_timestamp`, `current_date` or `sql(\"<expression>\")`",
        )
    };
    Ok(match expr {
        Expr::Lit(ExprLit { lit, .. }) => match lit {
            Lit::Int(i) => ServerDefault::Int(i.base10_parse()?),
            Lit::Float(f) => ServerDefault::Float(f.base10_digits().to_owned().into()),
            Lit::Bool(b) => ServerDefault::Bool(b.value),
            Lit::Str(s) => ServerDefault::Str(s.value().into()),
            _ => return Err(fail()),
        },
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => match server_default(&u.expr)? {
            ServerDefault::Int(i) => ServerDefault::Int(-i),
            ServerDefault::Float(f) => ServerDefault::Float(format!("-{f}").into()),
            _ => return Err(fail()),
        },
        Expr::Path(p) => match p.path.to_token_stream().to_string().as_str() {
            "current_timestamp" | "now" => ServerDefault::CurrentTimestamp,
            "current_date" => ServerDefault::CurrentDate,
            _ => return Err(fail()),
        },
        Expr::Call(call) if matches!(&*call.func, Expr::Path(p) if p.path.is_ident("sql")) => match call.args.first() {
            Some(Expr::Lit(ExprLit { lit: Lit::Str(s), .. })) if call.args.len() == 1 => {
                ServerDefault::Sql(s.value().into())
            }
            _ => return Err(fail()),
        },
        _ => return Err(fail()),
    })
}

/// `col`, `col.desc()`, `col.asc()`, or `[a, b.desc()]`.
fn order_by(expr: &Expr) -> syn::Result<Vec<OrderBy>> {
    let fail = || syn::Error::new(expr.span(), "expected `column`, `column.desc()` or `[a, b.desc()]`");
    match expr {
        Expr::Array(array) => {
            let mut keys = Vec::new();
            for e in &array.elems {
                keys.extend(order_by(e)?);
            }
            Ok(keys)
        }
        Expr::Path(p) => {
            let column = p.path.get_ident().map(|i| unraw(&i.to_string())).ok_or_else(fail)?;
            Ok(vec![OrderBy { column, desc: false }])
        }
        Expr::MethodCall(call) if call.args.is_empty() => {
            let desc = match call.method.to_string().as_str() {
                "desc" => true,
                "asc" => false,
                _ => return Err(fail()),
            };
            let mut keys = order_by(&call.receiver)?;
            match keys.as_mut_slice() {
                [key] => key.desc = desc,
                _ => return Err(fail()),
            }
            Ok(keys)
        }
        _ => Err(fail()),
    }
}

fn parse_cascade(text: &str) -> Result<Cascade, String> {
    let mut cascade = Cascade::default();
    for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        match word {
            "all" => {
                cascade.save_update = true;
                cascade.merge = true;
                cascade.delete = true;
                cascade.refresh_expire = true;
            }
            "save-update" => cascade.save_update = true,
            "merge" => cascade.merge = true,
            "delete" => cascade.delete = true,
            "delete-orphan" => cascade.delete_orphan = true,
            "refresh-expire" => cascade.refresh_expire = true,
            "expunge" | "none" => {}
            other => return Err(other.to_owned()),
        }
    }
    Ok(cascade)
}

/// A column type problem: span, message, label, hint.
type TypeError = (SynSpan, String, String, Option<String>);

/// The column type and nullability a field's Rust type says.
fn column_type(ty: &Type) -> Result<(ColumnType, bool), TypeError> {
    if let Some(inner) = generic_of(ty, "Option") {
        if generic_of(inner, "Option").is_some() {
            return Err((ty.span(), "`Option<Option<T>>` is not a column type".into(), "nested Option".into(), None));
        }
        let (found, _) = column_type(inner)?;
        return Ok((found, true));
    }
    let unknown = |name: &str| -> TypeError {
        let hint = match name {
            "u8" | "u16" | "u32" | "u64" | "i8" | "usize" | "isize" | "u128" | "i128" => {
                Some("quarry's integer columns are i16, i32 and i64".to_owned())
            }
            "str" | "&str" => Some("use `String`".to_owned()),
            _ => did_you_mean(name, SCALAR_TYPES.iter().copied()).or_else(|| {
                Some(
                    "column types are i16, i32, i64, f32, f64, bool, String, BigDecimal, NaiveDate, NaiveTime, \
                     NaiveDateTime, DateTime<Utc>, serde_json::Value, Vec<u8> and `#[db_enum]` enums"
                        .to_owned(),
                )
            }),
        };
        (ty.span(), format!("unknown column type `{name}`"), "not a column type".into(), hint)
    };
    let Type::Path(path) = ty else {
        return Err(unknown(&ty.to_token_stream().to_string().replace(' ', "")));
    };
    let Some(last) = path.path.segments.last() else {
        return Err(unknown(""));
    };
    let name = last.ident.unraw().to_string();
    let found = match name.as_str() {
        "i16" => ColumnType::SmallInt,
        "i32" => ColumnType::Integer,
        "i64" => ColumnType::BigInt,
        "f32" => ColumnType::Float,
        "f64" => ColumnType::Double,
        "bool" => ColumnType::Bool,
        "String" => ColumnType::Text,
        "BigDecimal" => ColumnType::Numeric { precision: None, scale: None },
        "NaiveDate" => ColumnType::Date,
        "NaiveTime" => ColumnType::Time,
        "NaiveDateTime" => ColumnType::Timestamp,
        "DateTime" => match generic_of(ty, "DateTime") {
            Some(Type::Path(tz)) if tz.path.segments.last().is_some_and(|s| s.ident == "Utc") => ColumnType::TimestampTz,
            _ => {
                return Err((
                    ty.span(),
                    "only `DateTime<Utc>` is a column type".into(),
                    "time zone other than Utc".into(),
                    Some("store instants as `DateTime<Utc>` and convert at the edges".into()),
                ))
            }
        },
        "Value" => ColumnType::Json,
        "Vec" => match generic_of(ty, "Vec") {
            Some(Type::Path(inner)) if inner.path.is_ident("u8") => ColumnType::Binary,
            _ => {
                return Err((
                    ty.span(),
                    "`Vec<T>` is a column type only as `Vec<u8>` (binary)".into(),
                    "not a column type".into(),
                    Some("a field listing related rows needs `#[relation(has_many, ...)]` or `#[relation(many_to_many, ...)]`".into()),
                ))
            }
        },
        other if !PRIMITIVE_TYPES.contains(&other) && matches!(last.arguments, PathArguments::None) => {
            // An enum declared in some schema file (any name an enum may
            // have, `r#type` included); `resolve` checks it exists.
            ColumnType::Enum(other.to_owned())
        }
        other => return Err(unknown(other)),
    };
    Ok((found, false))
}

/// `T` when `ty` is `Wrapper<T>`.
fn generic_of<'t>(ty: &'t Type, wrapper: &str) -> Option<&'t Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// `(is Vec, target struct name)` of a relation field's type.
fn relation_target(ty: &Type) -> Option<(bool, String)> {
    let name_of = |t: &Type| match t {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.unraw().to_string()),
        _ => None,
    };
    if let Some(inner) = generic_of(ty, "Vec") {
        return Some((true, name_of(inner)?));
    }
    for wrapper in ["Option", "Box"] {
        if let Some(inner) = generic_of(ty, wrapper) {
            return relation_target(inner).filter(|(many, _)| !many);
        }
    }
    Some((false, name_of(ty)?))
}
