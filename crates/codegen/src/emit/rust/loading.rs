//! What `Session::load` needs per relation: a type naming the relation,
//! its `Relationship` impl (keys and cardinality) and, through
//! `quarry::__codegen::load_rows!`, the typed `WHERE key IN (...)` query
//! for each backend.
//!
//! Relations whose keys are one column referencing the other table's
//! primary key are loadable: has_many, has_one, belongs_to and
//! many_to_many (through its association table).

use proc_macro2::TokenStream;
use quote::quote;

use super::value_type;
use crate::ident::ident;
use crate::ir::{Column, Relation, RelationKind, Schema, Table};

/// The hidden module holding the relation types.
pub const MODULE: &str = "__quarry_relations";

/// The type naming `relation` of `table`, as a path from the schema module.
pub fn marker(table: &Table, relation: &Relation) -> TokenStream {
    let module = ident(MODULE);
    let name = ident(&format!("{}__{}", table.struct_name, relation.field));
    quote!(#module::#name)
}

/// The relation's type (for the descriptor's `Name` parameter) and the
/// items that make it loadable, or `None` for a relation `Session::load`
/// cannot load yet (composite keys).
pub fn relationship(schema: &Schema, table: &Table, relation: &Relation) -> Option<(TokenStream, TokenStream)> {
    let target = schema.table_by_struct(&relation.target)?;
    let (key, from_key, cardinality, rows) = match relation.kind {
        RelationKind::ManyToMany => many_to_many(schema, table, target, relation)?,
        _ => direct(schema, table, target, relation)?,
    };
    let marker = marker(table, relation);
    let (from, to) = (ident(&table.struct_name), ident(&target.struct_name));
    let name = &relation.field;
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
        }
        quarry::__codegen::load_rows!(#marker, #rows);
    };
    Some((marker, items))
}

/// `row.field` as an `Option` of the key: cloned, wrapped unless nullable.
fn key_of(column: &Column) -> TokenStream {
    let field = ident(&column.field);
    if column.nullable {
        quote!(::std::clone::Clone::clone(&row.#field))
    } else {
        quote!(::std::option::Option::Some(::std::clone::Clone::clone(&row.#field)))
    }
}

/// The relation's declared order, as diesel expressions on `target`.
fn order(target: &Table, relation: &Relation) -> Vec<TokenStream> {
    let module = ident(&target.module);
    relation
        .order_by
        .iter()
        .filter_map(|o| {
            let column = ident(&target.column(&o.column)?.field);
            Some(if o.desc {
                quote!(diesel::ExpressionMethods::desc(#module::#column))
            } else {
                quote!(diesel::ExpressionMethods::asc(#module::#column))
            })
        })
        .collect()
}

/// The pieces of a loadable relation: key type, the `From` row's key,
/// cardinality, and the arguments of `load_rows!`.
type Pieces = (TokenStream, TokenStream, TokenStream, TokenStream);

/// has_many, has_one, belongs_to: the key is one column of one table.
fn direct(schema: &Schema, table: &Table, target: &Table, relation: &Relation) -> Option<Pieces> {
    let (holder, fk) = schema.foreign_key(relation.foreign_key.as_deref()?)?;
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
    // (the `From` side's key, the `To` side's key, the `To` column filtered on)
    let (from_key, to_key, filter) = match relation.kind {
        RelationKind::BelongsTo => (key_of(fk_column), key_of(key_column), key_column),
        _ => (key_of(key_column), key_of(fk_column), fk_column),
    };
    let cardinality = match relation.kind {
        RelationKind::HasMany => quote!(quarry::load::Many),
        RelationKind::BelongsTo if !fk_column.nullable => quote!(quarry::load::One),
        _ => quote!(quarry::load::Optional),
    };
    let (module, column, to) = (ident(&target.module), ident(&filter.field), ident(&target.struct_name));
    let order = order(target, relation);
    let rows = quote! {
        #module::table, #module::#column,
        key |row: &#to| -> ::std::option::Option<#key> { #to_key },
        order [#(#order),*]
    };
    Some((key, from_key, cardinality, rows))
}

/// many_to_many: the key is this table's primary key, matched by the
/// association table's column that references it.
fn many_to_many(schema: &Schema, table: &Table, target: &Table, relation: &Relation) -> Option<Pieces> {
    let (through, mine) = schema.foreign_key(relation.foreign_key.as_deref()?)?;
    let (_, theirs) = schema.foreign_key(relation.through_target_key.as_deref()?)?;
    let ([link], [my_key]) = (mine.columns.as_slice(), mine.ref_columns.as_slice()) else { return None };
    let ([their_link], [their_key]) = (theirs.columns.as_slice(), theirs.ref_columns.as_slice()) else { return None };
    if table.primary_key != [my_key.clone()] || target.primary_key != [their_key.clone()] {
        return None;
    }
    let link_column = through.column(link)?;
    if link_column.nullable {
        return None;
    }
    let key_column = table.column(my_key)?;
    let key = value_type(&key_column.ty);
    let (through_module, target_module) = (ident(&through.module), ident(&target.module));
    let (link, their_link, their_key) =
        (ident(&link_column.field), ident(&through.column(their_link)?.field), ident(&target.column(their_key)?.field));
    let order = order(target, relation);
    let rows = quote! {
        through #through_module::table, #through_module::#link,
        on diesel::ExpressionMethods::eq(#through_module::#their_link, #target_module::#their_key),
        #target_module::table, #target_module::all_columns,
        order [#(#order),*]
    };
    Some((key, key_of(key_column), quote!(quarry::load::Many), rows))
}

/// `pub mod __quarry_relations { ... }`: one type per relation.
pub fn markers(schema: &Schema) -> TokenStream {
    let structs = schema.tables.iter().flat_map(|table| {
        table.relations.iter().map(move |relation| {
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
        /// The types that name each relation: in a loaded row's type, and for
        /// the session methods that accept only some kinds.
        #[doc(hidden)]
        pub mod #module {
            #(#structs)*
        }
    }
}
