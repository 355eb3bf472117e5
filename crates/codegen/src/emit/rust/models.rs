//! Per table: the relation descriptors as associated constants, with
//! their loading and cascade impls.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ident::{self, ident};
use crate::ir::{RelationKind, Schema, Table};

/// The relation constants and unlink impls of one table (its model,
/// insertable, changeset and cascade steps are its `model!` call, see
/// `declare`).
pub fn model(schema: &Schema, index: usize, table: &Table) -> TokenStream {
    let relations = relation_consts(schema, index, table);
    let unlink = super::cascade::unlink(schema, table);
    quote!(#relations #unlink)
}

/// `impl Author { pub const ARTICLES: quarry::Relation<Author, Article> }`.
/// Relations `declare::simple` accepts are lines of their `model!` call's
/// `relations` clause instead (see `declare::relation_entry`).
fn relation_consts(schema: &Schema, index: usize, table: &Table) -> TokenStream {
    let general = |relation: &&crate::ir::Relation| super::declare::simple(schema, table, relation).is_none();
    if !table.relations.iter().any(|r| general(&r)) {
        return quote!();
    }
    let name = ident(&table.struct_name);
    let mut kinds = Vec::new();
    let consts: Vec<TokenStream> = table
        .relations
        .iter()
        .enumerate()
        .filter(|(_, relation)| general(relation))
        .map(|(r, relation)| {
            let konst = ident(&ident::relation_const(&relation.field));
            let target = ident(&relation.target);
            let meta = super::metadata::relation_place(index, r);
            // As `relation!` writes the docs of the simple ones.
            let kind_word = match relation.kind {
                RelationKind::HasMany => "has_many",
                RelationKind::HasOne => "has_one",
                RelationKind::BelongsTo => "belongs_to",
                RelationKind::ManyToMany => "many_to_many",
            };
            let docs = format!(" `{}.{}`: {kind_word} [`{}`].", table.struct_name, relation.field, relation.target);
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
    let loading = table
        .relations
        .iter()
        .filter(general)
        .filter_map(|r| super::loading::relationship(schema, table, r))
        .map(|(_, items)| items);
    let trees = table.relations.iter().filter(general).filter_map(|r| super::tree::self_referential(schema, table, r));
    quote! {
        impl #name {
            #(#consts)*
        }
        #(#kinds)*
        #(#loading)*
        #(#trees)*
    }
}
