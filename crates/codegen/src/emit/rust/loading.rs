//! What `Session::load` needs per relation: a type naming the relation,
//! its `Relationship` impl (keys and cardinality) and, through
//! `quarry::__codegen::load_rows!`, the typed `WHERE key IN (...)` query
//! for each backend.
//!
//! Relations whose foreign key is one column referencing the other table's
//! primary key are loadable: has_many, has_one and belongs_to.

use proc_macro2::TokenStream;
use quote::quote;

use super::value_type;
use crate::ident::ident;
use crate::ir::{Relation, RelationKind, Schema, Table};

/// The hidden module holding the relation types.
pub const MODULE: &str = "__quarry_relations";

/// The type naming `relation` of `table`, as a path from the schema module.
fn marker(table: &Table, relation: &Relation) -> TokenStream {
    let module = ident(MODULE);
    let name = ident(&format!("{}__{}", table.struct_name, relation.field));
    quote!(#module::#name)
}

/// The relation's type (for the descriptor's `Name` parameter) and the
/// items that make it loadable, or `None` for a relation `Session::load`
/// cannot load yet (many-to-many, composite keys).
pub fn relationship(schema: &Schema, table: &Table, relation: &Relation) -> Option<(TokenStream, TokenStream)> {
    let (holder, fk) = schema.foreign_key(relation.foreign_key.as_deref()?)?;
    let target = schema.table_by_struct(&relation.target)?;
    let ([fk_field], [ref_field]) = (fk.columns.as_slice(), fk.ref_columns.as_slice()) else { return None };
    let (parent, child) = match relation.kind {
        RelationKind::HasMany | RelationKind::HasOne if holder.name == target.name => (table, target),
        RelationKind::BelongsTo if holder.name == table.name => (target, table),
        _ => return None,
    };
    if parent.primary_key != [ref_field.clone()] {
        return None;
    }
    let key_column = parent.column(ref_field)?;
    let fk_column = child.column(fk_field)?;
    let key = value_type(&key_column.ty);
    let value = |column: &crate::ir::Column| {
        let field = ident(&column.field);
        if column.nullable {
            quote!(::std::clone::Clone::clone(&row.#field))
        } else {
            quote!(::std::option::Option::Some(::std::clone::Clone::clone(&row.#field)))
        }
    };
    // (the `From` side's key, the `To` side's key, the `To` column filtered on)
    let (from_key, to_key, filter) = match relation.kind {
        RelationKind::BelongsTo => (value(fk_column), value(key_column), key_column),
        _ => (value(key_column), value(fk_column), fk_column),
    };
    let cardinality = match relation.kind {
        RelationKind::HasMany => quote!(quarry::load::Many),
        RelationKind::BelongsTo if !fk_column.nullable => quote!(quarry::load::One),
        _ => quote!(quarry::load::Optional),
    };
    let marker = marker(table, relation);
    let (from, to) = (ident(&table.struct_name), ident(&target.struct_name));
    let name = &relation.field;
    let module = ident(&target.module);
    let column = ident(&filter.field);
    let order = relation.order_by.iter().filter_map(|o| {
        let column = ident(&target.column(&o.column)?.field);
        Some(if o.desc {
            quote!(diesel::ExpressionMethods::desc(#module::#column))
        } else {
            quote!(diesel::ExpressionMethods::asc(#module::#column))
        })
    });
    let items = quote! {
        impl quarry::load::Relationship for #marker {
            type From = #from;
            type To = #to;
            type Key = #key;
            type Cardinality = #cardinality;
            const NAME: &'static str = #name;

            fn parent_key(row: &#from) -> ::std::option::Option<#key> {
                #from_key
            }

            fn child_key(row: &#to) -> ::std::option::Option<#key> {
                #to_key
            }
        }
        quarry::__codegen::load_rows!(#marker, #module::table, #module::#column, order [#(#order),*]);
    };
    Some((marker, items))
}

/// `pub mod __quarry_relations { ... }`: one type per loadable relation.
pub fn markers(schema: &Schema) -> TokenStream {
    let structs = schema.tables.iter().flat_map(|table| {
        table.relations.iter().filter(|r| relationship(schema, table, r).is_some()).map(move |relation| {
            let name = ident(&format!("{}__{}", table.struct_name, relation.field));
            let docs = format!(" The relation `{}.{}`, as a type.", table.struct_name, relation.field);
            quote! {
                #[doc = #docs]
                #[derive(Debug, Clone, Copy)]
                pub struct #name;
            }
        })
    });
    let module = ident(MODULE);
    quote! {
        /// The types that name each loadable relation in a loaded row's type.
        #[doc(hidden)]
        pub mod #module {
            #(#structs)*
        }
    }
}
