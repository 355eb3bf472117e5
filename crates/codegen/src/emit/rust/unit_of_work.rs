//! What the session's unit of work needs from each relation: the
//! functions that wire its foreign key.

use proc_macro2::TokenStream;
use quote::quote;

use super::fill::{fill, Fill};
use super::value_type;
use crate::ident::{self, ident};
use crate::ir::{ForeignKey, Relation, RelationKind, Schema, Table};

/// The primary key's Rust type: the column's, or a tuple.
fn key_type(table: &Table) -> TokenStream {
    let types: Vec<TokenStream> =
        table.primary_key.iter().filter_map(|k| table.column(k)).map(|c| value_type(&c.ty)).collect();
    match types.as_slice() {
        [one] => one.clone(),
        many => quote!((#(#many),*)),
    }
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
