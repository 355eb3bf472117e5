//! What the session's unit of work needs from each table: `Model` and
//! `NewRow` impls, `FlushRows` for every backend, and the functions that
//! wire a relation's foreign key.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::fill::{fill, Fill};
use super::value_type;
use crate::ident::{self, ident};
use crate::ir::{ColumnType, ForeignKey, Relation, RelationKind, Schema, Table};

/// The primary key's Rust type: the column's, or a tuple.
fn key_type(table: &Table) -> TokenStream {
    let types: Vec<TokenStream> =
        table.primary_key.iter().filter_map(|k| table.column(k)).map(|c| value_type(&c.ty)).collect();
    match types.as_slice() {
        [one] => one.clone(),
        many => quote!((#(#many),*)),
    }
}

/// `impl Model for Author`, `impl NewRow for NewAuthor` and the
/// `FlushRows` impls.
pub fn model_impls(index: usize, table: &Table) -> TokenStream {
    let model = ident(&table.struct_name);
    let new = ident(&ident::insertable_name(&table.struct_name));
    let module = ident(&table.module);
    let key = key_type(table);
    let model_place = super::metadata::model_place(index);
    let parts: Vec<TokenStream> = table
        .primary_key
        .iter()
        .filter_map(|k| table.column(k))
        .map(|column| {
            let field = ident(&column.field);
            match fill(column) {
                Fill::Absent => quote!(::std::clone::Clone::clone(&self.#field)?),
                _ => quote!(::std::clone::Clone::clone(&self.#field)),
            }
        })
        .collect();
    let model_parts: Vec<TokenStream> = table
        .primary_key
        .iter()
        .map(|k| {
            let field = ident(k);
            quote!(::std::clone::Clone::clone(&self.#field))
        })
        .collect();
    let model_key = match model_parts.as_slice() {
        [one] => one.clone(),
        many => quote!((#(#many),*)),
    };
    let key_value = match (parts.as_slice(), table.primary_key.as_slice()) {
        // A lone optional key field already is the `Option`.
        ([_], [only]) if table.column(only).is_some_and(|c| matches!(fill(c), Fill::Absent)) => {
            let field = ident(only);
            quote!(::std::clone::Clone::clone(&self.#field))
        }
        ([one], _) => quote!(::std::option::Option::Some(#one)),
        (many, _) => quote!(::std::option::Option::Some((#(#many),*))),
    };
    let refused = refused_value(table);
    let insert = insert_impl(table, &new, &key);
    quote! {
        impl quarry::Model for #model {
            type Table = #module::table;
            type Key = #key;
            type New = #new;

            fn meta() -> &'static quarry::__codegen::app::Model {
                #model_place
            }

            fn key(&self) -> #key {
                #model_key
            }
        }

        impl quarry::NewRow for #new {
            type Model = #model;

            fn key(&self) -> ::std::option::Option<#key> {
                #key_value
            }
            #refused
        }

        #insert
    }
}

/// `impl Insert for NewAuthor`: what quarry's generic `FlushRows` needs to
/// know (the key's columns, whether the database generates it, the dense
/// form), and the dense insertable itself when the table has one.
fn insert_impl(table: &Table, new: &Ident, key: &TokenStream) -> TokenStream {
    let module = ident(&table.module);
    let key_columns: Vec<TokenStream> = table
        .primary_key
        .iter()
        .map(|k| {
            let column = ident(k);
            quote!(#module::#column)
        })
        .collect();
    let key_columns = match key_columns.as_slice() {
        [one] => one.clone(),
        many => quote!((#(#many),*)),
    };
    let generated =
        matches!(table.primary_key.as_slice(), [only] if table.column(only).is_some_and(|c| c.autoincrement));
    let generated_fns = generated.then(|| {
        quote! {
            fn generated_key(id: u64) -> ::std::option::Option<#key> {
                ::std::convert::TryFrom::try_from(id).ok()
            }

            fn sort_generated(keys: &mut [#key]) {
                keys.sort_unstable();
            }
        }
    });
    let key_names = table.primary_key.iter().filter_map(|k| table.column(k)).map(|c| c.name.as_str());
    // What an upsert updates on a key conflict: every other column, or,
    // for a table of key columns only, one of them (a conflict changes
    // nothing).
    let mut updated: Vec<&str> =
        table.columns.iter().filter(|c| !table.is_primary_key(&c.field)).map(|c| c.name.as_str()).collect();
    if updated.is_empty() {
        updated.extend(key_names.clone().take(1));
    }
    let dense = if generated { dense_insertable(table, new) } else { None };
    let (dense_type, columns, dense_fn, dense_struct) = match dense {
        Some(Dense { name, columns, unset, borrows, item }) => (
            quote!(#name<'a>),
            columns,
            quote! {
                fn dense(&self) -> ::std::option::Option<#name<'_>> {
                    let row = self;
                    if #(#unset)&&* {
                        ::std::option::Option::Some(#name { #(#borrows)* })
                    } else {
                        ::std::option::Option::None
                    }
                }
            },
            item,
        ),
        None => (
            quote!(#new),
            0,
            quote! {
                fn dense(&self) -> ::std::option::Option<#new> {
                    ::std::option::Option::None
                }
            },
            quote!(),
        ),
    };
    quote! {
        #dense_struct
        impl quarry::__codegen::Insert for #new {
            type KeyColumns = #key_columns;
            type Dense<'a> = #dense_type;
            const GENERATED: bool = #generated;
            const DENSE_COLUMNS: usize = #columns;
            const KEY: &'static [&'static str] = &[#(#key_names),*];
            const UPDATED: &'static [&'static str] = &[#(#updated),*];

            #dense_fn
            #generated_fns
        }
    }
}

/// `NewRow::refused_value` for a table with columns whose values diesel
/// binds unseen by quarry (floats, times of day); nothing otherwise.
fn refused_value(table: &Table) -> TokenStream {
    let checks: Vec<TokenStream> = table
        .columns
        .iter()
        .filter_map(|column| {
            let field = ident(&column.field);
            let name = format!("{}.{}", table.name, column.name);
            let optional = column.nullable || matches!(fill(column), Fill::Absent);
            let value = if optional { quote!(v) } else { quote!(self.#field) };
            let check = match column.ty {
                ColumnType::Float => {
                    quote!(quarry::__codegen::unchecked::float(backend, #name, ::std::convert::From::from(#value)))
                }
                ColumnType::Double => quote!(quarry::__codegen::unchecked::float(backend, #name, #value)),
                ColumnType::Time => quote!(quarry::__codegen::unchecked::time(backend, #name, &#value)),
                _ => return None,
            };
            Some(if optional { quote!(self.#field.and_then(|v| #check)) } else { check })
        })
        .collect();
    if checks.is_empty() {
        return quote!();
    }
    quote! {
        fn refused_value(&self, backend: quarry::__codegen::Backend) -> ::std::option::Option<::std::string::String> {
            #(if let ::std::option::Option::Some(why) = #checks { return ::std::option::Option::Some(why); })*
            ::std::option::Option::None
        }
    }
}

/// The new rows without the columns the database fills in (the generated
/// key, and columns with a server default left unset), borrowed, with NULL
/// written out for the other unset nullable columns. SQLite cannot write
/// `DEFAULT` inside `VALUES`, and PostgreSQL plans `DEFAULT` in a
/// multi-row `VALUES` slowly, so when every row leaves exactly those
/// columns unset the session inserts them through this type: many rows in
/// one statement, naming only the columns that take values.
struct Dense {
    name: Ident,
    /// How many columns it names.
    columns: usize,
    /// `row.field.is_none()` for each omitted column.
    unset: Vec<TokenStream>,
    /// `field: &row.field,` for each named column.
    borrows: Vec<TokenStream>,
    /// The struct.
    item: TokenStream,
}

fn dense_insertable(table: &Table, new: &Ident) -> Option<Dense> {
    let key = table.primary_key.first()?;
    let left_out =
        |c: &&crate::ir::Column| &c.field == key || (matches!(fill(c), Fill::Absent) && c.server_default.is_some());
    let (omitted, columns): (Vec<_>, Vec<_>) = table.columns.iter().partition(left_out);
    if columns.is_empty() {
        return None;
    }
    let name = ident(&format!("__QuarryDense{new}"));
    let module = ident(&table.module);
    let fields = columns.iter().map(|c| {
        let field = ident(&c.field);
        let ty = super::value_type(&c.ty);
        if c.nullable {
            quote!(#field: ::std::option::Option<&'a #ty>,)
        } else {
            quote!(#field: &'a #ty,)
        }
    });
    let borrows = columns
        .iter()
        .map(|c| {
            let field = ident(&c.field);
            if c.nullable {
                quote!(#field: row.#field.as_ref(),)
            } else {
                quote!(#field: &row.#field,)
            }
        })
        .collect();
    let unset = omitted
        .iter()
        .map(|c| {
            let field = ident(&c.field);
            quote!(row.#field.is_none())
        })
        .collect();
    let item = quote! {
        #[doc(hidden)]
        #[derive(diesel::prelude::Insertable)]
        #[diesel(table_name = #module)]
        #[diesel(treat_none_as_default_value = false)]
        pub struct #name<'a> {
            #(#fields)*
        }
    };
    Some(Dense { name, columns: columns.len(), unset, borrows, item })
}

/// The foreign key a relation follows when it references the whole primary
/// key of its table (in any column order), with that table.
pub(super) fn full_key<'a>(schema: &'a Schema, name: Option<&str>) -> Option<(&'a Table, &'a ForeignKey)> {
    let (holder, fk) = schema.foreign_key(name?)?;
    let parent = schema.table(&fk.ref_table)?;
    let (mut referenced, mut primary) = (fk.ref_columns.clone(), parent.primary_key.clone());
    referenced.sort();
    primary.sort();
    (!primary.is_empty() && referenced == primary && fk.columns.len() == fk.ref_columns.len()).then_some((holder, fk))
}

/// Sets each column of `fk` in a new row from the parent's key `key` (a
/// tuple in primary-key order when the key has several columns).
fn assign_key(schema: &Schema, holder: &Table, fk: &ForeignKey) -> Option<TokenStream> {
    let parent = schema.table(&fk.ref_table)?;
    let sets = fk.columns.iter().zip(&fk.ref_columns).map(|(column, referenced)| {
        let value = match parent.primary_key.as_slice() {
            [_] => quote!(key),
            primary => {
                let index = syn::Index::from(primary.iter().position(|k| k == referenced)?);
                quote!(&key.#index)
            }
        };
        assign(holder, column, value)
    });
    sets.collect::<Option<Vec<_>>>().map(|sets| quote!(#(#sets)*))
}

/// `row.field = value` (cloned) with the field's insert type (`Some(..)`
/// for an optional field).
fn assign(holder: &Table, field: &str, value: TokenStream) -> Option<TokenStream> {
    let column = holder.column(field)?;
    let target = ident(&column.field);
    let value = quote!(::std::clone::Clone::clone(#value));
    let optional = matches!(fill(column), Fill::Absent) || column.nullable;
    Some(if optional {
        quote!(row.#target = ::std::option::Option::Some(#value);)
    } else {
        quote!(row.#target = #value;)
    })
}

/// A relation constant's `Via` type (empty for `()`), its value, and the helper
/// function it points at.
pub fn relation_value(
    schema: &Schema,
    table: &Table,
    relation: &Relation,
    meta: &TokenStream,
) -> (TokenStream, TokenStream, Option<TokenStream>) {
    let plain = (quote!(), quote!(quarry::Relation::__new(#meta)), None);
    let Some(target) = schema.table_by_struct(&relation.target) else { return plain };
    let helper = ident(&format!("__quarry_wire_{}", relation.field));
    let (from_key, to_key) = (key_type(table), key_type(target));
    let (from_new, to_new) =
        (ident(&ident::insertable_name(&table.struct_name)), ident(&ident::insertable_name(&target.struct_name)));
    match relation.kind {
        RelationKind::HasMany | RelationKind::HasOne => {
            let Some((holder, fk)) = full_key(schema, relation.foreign_key.as_deref()) else { return plain };
            let Some(set) = assign_key(schema, holder, fk) else { return plain };
            let function = quote! {
                #[doc(hidden)]
                pub fn #helper(row: &mut #to_new, key: &#from_key) { #set }
            };
            (quote!(), quote!(quarry::Relation::__child(#meta, Self::#helper)), Some(function))
        }
        RelationKind::BelongsTo => {
            let Some((holder, fk)) = full_key(schema, relation.foreign_key.as_deref()) else { return plain };
            let Some(set) = assign_key(schema, holder, fk) else { return plain };
            let function = quote! {
                #[doc(hidden)]
                pub fn #helper(row: &mut #from_new, key: &#to_key) { #set }
            };
            (quote!(), quote!(quarry::Relation::__parent(#meta, Self::#helper)), Some(function))
        }
        RelationKind::ManyToMany => {
            let (Some((through, mine)), Some((_, theirs))) = (
                full_key(schema, relation.foreign_key.as_deref()),
                full_key(schema, relation.through_target_key.as_deref()),
            ) else {
                return plain;
            };
            // Each association column's value: `mine` or `theirs` (a field
            // of it, for a composite key in primary-key order).
            let value_of = |field: &str| -> Option<TokenStream> {
                for (fk, key, name) in [(mine, table, quote!(mine)), (theirs, target, quote!(theirs))] {
                    if let Some(i) = fk.columns.iter().position(|c| c == field) {
                        let referenced = &fk.ref_columns[i];
                        return Some(match key.primary_key.as_slice() {
                            [_] => quote!(::std::clone::Clone::clone(#name)),
                            primary => {
                                let index = syn::Index::from(primary.iter().position(|k| k == referenced)?);
                                quote!(::std::clone::Clone::clone(&#name.#index))
                            }
                        });
                    }
                }
                None
            };
            // The association row can be made from the two keys only when
            // its other columns need no value.
            let required: Vec<_> = through.columns.iter().filter(|c| matches!(fill(c), Fill::Required)).collect();
            let shared = mine.columns.iter().any(|c| theirs.columns.contains(c));
            let Some(args) = required.iter().map(|c| value_of(&c.field)).collect::<Option<Vec<_>>>() else {
                return plain;
            };
            if shared {
                return plain;
            }
            let via = ident(&ident::insertable_name(&through.struct_name));
            let function = quote! {
                #[doc(hidden)]
                pub fn #helper(mine: &#from_key, theirs: &#to_key) -> #via { #via::new(#(#args),*) }
            };
            (quote!(#via), quote!(quarry::Relation::__link(#meta, Self::#helper)), Some(function))
        }
    }
}
