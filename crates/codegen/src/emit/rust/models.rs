//! Per table: the model struct, its `New*` insertable and its changeset,
//! plus the relation descriptors as associated constants.

use proc_macro2::TokenStream;
use quote::quote;

use super::fill::{fill, Fill};
use super::{doc, field_type, value_type};
use crate::ident::{self, ident};
use crate::ir::{Column, ColumnType, RelationKind, Schema, Table};
use crate::options::Options;

/// The model, insertable, changeset and relation constants of one table.
pub fn model(schema: &Schema, index: usize, table: &Table, options: &Options) -> TokenStream {
    let model = model_struct(table, options);
    let insertable = insertable(table, options);
    let changeset = changeset(table, options);
    let relations = relation_consts(schema, index, table);
    let unit_of_work = super::unit_of_work::model_impls(index, table);
    let cascade = super::cascade::cascade_delete(schema, table);
    let unlink = super::cascade::unlink(schema, table);
    quote!(#model #insertable #changeset #relations #unit_of_work #cascade #unlink)
}

fn serde_derive(options: &Options) -> Option<TokenStream> {
    options.serde.then(|| quote!(#[derive(serde::Serialize, serde::Deserialize)]))
}

/// Columns whose values the user does not change through a changeset.
fn updatable(table: &Table) -> impl Iterator<Item = &Column> {
    table.columns.iter().filter(|c| !table.is_primary_key(&c.field))
}

fn model_struct(table: &Table, options: &Options) -> TokenStream {
    let name = ident(&table.struct_name);
    let module = ident(&table.module);
    let docs = doc(table.doc.as_deref());
    let key = table.primary_key.iter().map(|k| ident(k));
    // diesel's AsChangeset skips key columns and refuses a struct of keys only.
    let as_changeset = updatable(table).next().is_some().then(|| quote!(diesel::query_builder::AsChangeset,));
    let serde = serde_derive(options);
    let fields = table.columns.iter().map(|column| {
        let docs = doc(column.doc.as_deref());
        let field = ident(&column.field);
        let ty = field_type(column);
        quote!(#docs pub #field: #ty,)
    });
    quote! {
        #docs
        #[derive(
            diesel::deserialize::Queryable,
            diesel::expression::Selectable,
            diesel::associations::Identifiable,
            #as_changeset
            Debug, Clone, PartialEq,
        )]
        #serde
        #[diesel(table_name = #module, primary_key(#(#key),*), treat_none_as_null = true)]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// The Rust type of a `New*` field: `Option` where `None` means "let the
/// database decide".
fn insert_type(column: &Column) -> TokenStream {
    match fill(column) {
        Fill::Required | Fill::ClientDefault(_) => field_type(column),
        Fill::Absent => {
            let ty = value_type(&column.ty);
            quote!(::std::option::Option<#ty>)
        }
    }
}

/// A client default as an expression of the field's type.
fn default_value(column: &Column, expr: &str) -> TokenStream {
    // The parser checked that the text reads back as an expression; should
    // it not, rustc reports it instead of the build script panicking.
    let expr: TokenStream = match syn::parse_str::<syn::Expr>(expr) {
        Ok(expr) => quote!(#expr),
        Err(_) => quote!(::core::compile_error!(#expr)),
    };
    let value = match column.ty {
        ColumnType::Text | ColumnType::Varchar(_) => quote!(::std::string::String::from(#expr)),
        ColumnType::Json => quote!(quarry::__codegen::Json(quarry::__codegen::serde_json::Value::from(#expr))),
        ColumnType::Jsonb => {
            quote!(quarry::__codegen::Jsonb(quarry::__codegen::serde_json::Value::from(#expr)))
        }
        _ => quote!(#expr),
    };
    if column.nullable {
        quote!(::std::option::Option::Some(#value))
    } else {
        value
    }
}

/// Whether `new` takes `impl Into<T>` for a column: for owned values that
/// are built from something else (`&str`, `DateTime<Utc>`, ...). Numbers,
/// booleans, dates and enums are taken as they are, so that literals infer.
fn takes_into(ty: &ColumnType) -> bool {
    matches!(
        ty,
        ColumnType::Text
            | ColumnType::Varchar(_)
            | ColumnType::Binary
            | ColumnType::Json
            | ColumnType::Jsonb
            | ColumnType::Timestamp
            | ColumnType::TimestampTz
            | ColumnType::Numeric { .. }
    )
}

fn insertable(table: &Table, options: &Options) -> TokenStream {
    let name = ident(&ident::insertable_name(&table.struct_name));
    let module = ident(&table.module);
    let serde = serde_derive(options);
    let docs = format!(
        " A new row of `{}`: [`{}`] without what the database or a default fills in.",
        table.name, table.struct_name
    );
    let fields = table.columns.iter().map(|column| {
        let field = ident(&column.field);
        let ty = insert_type(column);
        let docs = match fill(column) {
            Fill::Required => String::new(),
            Fill::ClientDefault(expr) => format!(" Defaults to `{expr}`."),
            Fill::Absent if column.autoincrement => " `None`: generated by the database.".to_owned(),
            Fill::Absent if column.server_default.is_some() => " `None`: the database default.".to_owned(),
            Fill::Absent => " `None`: NULL.".to_owned(),
        };
        let docs = (!docs.is_empty()).then(|| quote!(#[doc = #docs]));
        quote!(#docs pub #field: #ty,)
    });
    let required: Vec<&Column> = table.columns.iter().filter(|c| matches!(fill(c), Fill::Required)).collect();
    let params = required.iter().map(|c| {
        let field = ident(&c.field);
        let ty = value_type(&c.ty);
        if takes_into(&c.ty) {
            quote!(#field: impl ::std::convert::Into<#ty>)
        } else {
            quote!(#field: #ty)
        }
    });
    let inits = table.columns.iter().map(|column| {
        let field = ident(&column.field);
        match fill(column) {
            Fill::Required if takes_into(&column.ty) => quote!(#field: #field.into(),),
            Fill::Required => quote!(#field,),
            Fill::ClientDefault(expr) => {
                let value = default_value(column, expr);
                quote!(#field: #value,)
            }
            Fill::Absent => quote!(#field: ::std::option::Option::None,),
        }
    });
    let new_docs = if required.is_empty() {
        " A row made of defaults only.".to_owned()
    } else {
        let names: Vec<String> = required.iter().map(|c| format!("`{}`", c.field)).collect();
        format!(" A row with the required columns {}; every other field takes its default.", names.join(", "))
    };
    let too_many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let default = required.is_empty().then(|| {
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    // With no `Option` field, no value is ever DEFAULT, and saying so lets
    // diesel insert many rows in one statement on SQLite too (it cannot
    // write DEFAULT inside VALUES, so it falls back to one row per statement
    // whenever a row might).
    let no_defaults = table
        .columns
        .iter()
        .all(|c| !matches!(fill(c), Fill::Absent))
        .then(|| quote!(#[diesel(treat_none_as_default_value = false)]));
    quote! {
        #[doc = #docs]
        #[derive(diesel::prelude::Insertable, Debug, Clone, PartialEq)]
        #serde
        #[diesel(table_name = #module)]
        #no_defaults
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #[doc = #new_docs]
            #too_many
            pub fn new(#(#params),*) -> Self {
                #name { #(#inits)* }
            }
        }

        #default
    }
}

fn changeset(table: &Table, options: &Options) -> TokenStream {
    if updatable(table).next().is_none() {
        return quote!();
    }
    let name = ident(&ident::changeset_name(&table.struct_name));
    let module = ident(&table.module);
    let serde = serde_derive(options);
    let docs = format!(" Changes to a `{}` row: `None` leaves a column alone (`Some(None)` writes NULL).", table.name);
    let fields = updatable(table).map(|column| {
        let field = ident(&column.field);
        let ty = field_type(column);
        quote!(pub #field: ::std::option::Option<#ty>,)
    });
    quote! {
        #[doc = #docs]
        #[derive(diesel::query_builder::AsChangeset, Debug, Clone, PartialEq, Default)]
        #serde
        #[diesel(table_name = #module)]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// `impl Author { pub const ARTICLES: quarry::Relation<Author, Article> }`.
fn relation_consts(schema: &Schema, index: usize, table: &Table) -> TokenStream {
    if table.relations.is_empty() {
        return quote!();
    }
    let name = ident(&table.struct_name);
    let mut kinds = Vec::new();
    let consts: Vec<TokenStream> = table
        .relations
        .iter()
        .enumerate()
        .map(|(r, relation)| {
            let konst = ident(&ident::relation_const(&relation.field));
            let target = ident(&relation.target);
            let meta = super::metadata::relation_place(index, r);
            let target_table = schema.table_by_struct(&relation.target).map_or("?", |t| t.name.as_str());
            let docs = format!(" `{}.{}`: {:?} `{}`.", table.name, relation.field, relation.kind, target_table);
            let (via, value, helper) = super::unit_of_work::relation_value(schema, table, relation, &meta);
            let marker = super::loading::marker(table, relation);
            let via = if via.is_empty() { quote!(()) } else { via };
            // What the unit of work can write through it: the kind, as a trait.
            let kind = helper.as_ref().map(|_| match relation.kind {
                RelationKind::HasMany | RelationKind::HasOne => quote!(quarry::relation::kind::Children),
                RelationKind::BelongsTo => quote!(quarry::relation::kind::Parent),
                RelationKind::ManyToMany => quote!(quarry::relation::kind::Link),
            });
            kinds.extend(kind.map(|kind| quote!(impl #kind for #marker {})));
            quote! {
                #[doc = #docs]
                pub const #konst: quarry::Relation<#name, #target, #via, #marker> = #value;
                #helper
            }
        })
        .collect();
    let loading =
        table.relations.iter().filter_map(|r| super::loading::relationship(schema, table, r)).map(|(_, items)| items);
    let trees = table.relations.iter().filter_map(|r| super::tree::self_referential(schema, table, r));
    quote! {
        impl #name {
            #(#consts)*
        }
        #(#kinds)*
        #(#loading)*
        #(#trees)*
    }
}
