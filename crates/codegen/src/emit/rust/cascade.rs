//! `quarry::__codegen::cascade_delete!` per model: what deleting its rows
//! through the session does to related rows, from its relations' cascades.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ident::ident;
use crate::ir::{RelationKind, Schema, Table};

/// The `cascade_delete!` invocation for `table`.
pub fn cascade_delete(schema: &Schema, table: &Table) -> TokenStream {
    let (model, module) = (ident(&table.struct_name), ident(&table.module));
    let [key] = table.primary_key.as_slice() else {
        return quote!(quarry::__codegen::cascade_delete!(#model, #module::table, composite););
    };
    let Some(key) = table.column(key) else { return quote!() };
    let key = ident(&key.field);
    let steps = table.relations.iter().filter_map(|relation| {
        let (holder, fk) = schema.foreign_key(relation.foreign_key.as_deref()?)?;
        let [fk_field] = fk.columns.as_slice() else { return None };
        let fk_column = holder.column(fk_field)?;
        let (holder_module, fk_ident) = (ident(&holder.module), ident(&fk_column.field));
        match relation.kind {
            RelationKind::HasMany | RelationKind::HasOne if relation.cascade.delete => {
                let child = ident(&holder.struct_name);
                match holder.primary_key.as_slice() {
                    [child_key] => {
                        let child_key = ident(&holder.column(child_key)?.field);
                        Some(quote!(delete #holder_module::table, #holder_module::#fk_ident, #holder_module::#child_key, #child))
                    }
                    // Rows with a composite key are deleted in one statement;
                    // their own dependants are the database's to handle.
                    _ => Some(quote!(delete_rows #holder_module::table, #holder_module::#fk_ident)),
                }
            }
            RelationKind::HasMany | RelationKind::HasOne if fk_column.nullable => {
                Some(quote!(nullify #holder_module::table, #holder_module::#fk_ident))
            }
            RelationKind::ManyToMany => Some(quote!(unlink #holder_module::table, #holder_module::#fk_ident)),
            _ => None,
        }
    });
    quote!(quarry::__codegen::cascade_delete!(#model, #module::table, #module::#key, [#(#steps);*]);)
}
