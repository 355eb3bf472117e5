//! What `Session::subtree`, `subtrees` and `ancestors` need per
//! self-referential relation: the `SelfReferential` marker (which way the
//! relation walks, how a row names itself and its parent) and, through
//! `quarry::__codegen::walk_rows!`, the recursive query for each backend.
//!
//! A relation is self-referential when it is a has_many or belongs_to
//! from a table to itself over a one-column, nullable foreign key to the
//! table's own one-column primary key (`Category::CHILDREN`,
//! `Category::PARENT`). Every other relation gets no marker, so passing it
//! to those methods does not compile.

use proc_macro2::TokenStream;
use quote::quote;

use super::loading::{marker, order};
use super::value_type;
use crate::ident::ident;
use crate::ir::{Relation, RelationKind, Schema, Table};

/// The `SelfReferential` impl and `walk_rows!(...)` for `relation` of
/// `table`, or `None` when the relation is not self-referential.
pub fn self_referential(schema: &Schema, table: &Table, relation: &Relation) -> Option<TokenStream> {
    let direction = match relation.kind {
        RelationKind::HasMany => quote!(quarry::load::Down),
        RelationKind::BelongsTo => quote!(quarry::load::Up),
        _ => return None,
    };
    if relation.target != table.struct_name {
        return None;
    }
    let (holder, fk) = schema.foreign_key(relation.foreign_key.as_deref()?)?;
    let ([fk_field], [ref_field]) = (fk.columns.as_slice(), fk.ref_columns.as_slice()) else { return None };
    if holder.name != table.name || fk.ref_table != table.name || table.primary_key != [ref_field.clone()] {
        return None;
    }
    let (id, parent_id) = (table.column(ref_field)?, table.column(fk_field)?);
    if !parent_id.nullable || id.nullable {
        return None;
    }
    let (module, model) = (ident(&table.module), ident(&table.struct_name));
    let (id_field, parent_field) = (ident(&id.field), ident(&parent_id.field));
    // The children's declared order; the walk up needs none.
    let order = match relation.kind {
        RelationKind::HasMany => order(table, relation),
        _ => Vec::new(),
    };
    let marker = marker(table, relation);
    let key = value_type(&id.ty);
    Some(quote! {
        impl quarry::load::SelfReferential for #marker {
            type Direction = #direction;

            fn id(row: &#model) -> #key {
                ::std::clone::Clone::clone(&row.#id_field)
            }

            fn parent_id(row: &#model) -> ::std::option::Option<#key> {
                ::std::clone::Clone::clone(&row.#parent_field)
            }
        }
        quarry::__codegen::walk_rows!(
            #marker, #module::table, #module::#id_field, #module::#parent_field, order [#(#order),*]
        );
    })
}
