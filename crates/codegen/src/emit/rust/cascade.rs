//! Per model, what the session does to related rows from its relations'
//! cascades: the steps of its `cascade_delete!` (deleting its rows), which
//! its `model!` call carries, and, per relation `Session::unlink` can undo,
//! `quarry::__codegen::unlink!` with the relation's `kind::Unlink` marker.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ident::ident;
use crate::ir::{Column, ForeignKey, Relation, RelationKind, Schema, Table};

/// The steps of `table`'s `cascade_delete!`, one per relation the
/// session acts on when a row is deleted, as source text for its `model!`
/// call's `cascade [...]` (see `quarry::__codegen::cascade_delete!`).
pub fn cascade_steps(schema: &Schema, table: &Table) -> Vec<String> {
    let path = |module: &str, columns: &[&Column]| -> String {
        let columns: Vec<String> = columns.iter().map(|c| format!("{module}::{}", ident(&c.field))).collect();
        format!("[{}]", columns.join(", "))
    };
    // `passive_deletes`: the foreign key's ON DELETE does it, not the session.
    let steps = table.relations.iter().filter(|relation| !relation.passive_deletes).filter_map(|relation| {
        let (holder, fk) = schema.foreign_key(relation.foreign_key.as_deref()?)?;
        let fk_columns = in_key_order(table, holder, fk)?;
        let module = ident(&holder.module).to_string();
        let fks = path(&module, &fk_columns);
        let name = &holder.name;
        let nullable: Vec<&Column> = fk_columns.iter().copied().filter(|c| c.nullable).collect();
        match relation.kind {
            RelationKind::HasMany | RelationKind::HasOne if relation.cascade.delete => {
                Some(format!("{{ delete {name:?} {module}::table, {fks}, {} }}", ident(&holder.struct_name)))
            }
            // A nullable key (or the nullable part of a composite one) is
            // cleared: the row no longer references the deleted one.
            RelationKind::HasMany | RelationKind::HasOne if !nullable.is_empty() => {
                Some(format!("{{ nullify {name:?} {module}::table, {fks}, {} }}", path(&module, &nullable)))
            }
            RelationKind::ManyToMany => Some(format!("{{ unlink {name:?} {module}::table, {fks} }}")),
            _ => None,
        }
    });
    steps.collect()
}

/// The columns of `fk` (in `holder`) that reference `table`'s primary key,
/// in the primary key's order; `None` unless they reference all of it.
fn in_key_order<'a>(table: &Table, holder: &'a Table, fk: &ForeignKey) -> Option<Vec<&'a Column>> {
    if fk.ref_table != table.name || fk.ref_columns.len() != table.primary_key.len() {
        return None;
    }
    table
        .primary_key
        .iter()
        .map(|key| {
            let position = fk.ref_columns.iter().position(|r| r == key)?;
            holder.column(&fk.columns[position])
        })
        .collect()
}

/// `unlink!` and `impl kind::Unlink` for each relation of `table` that
/// `Session::unlink` can undo; nothing for the others, so that passing one
/// does not compile.
pub fn unlink(schema: &Schema, table: &Table) -> TokenStream {
    let from = ident(&table.struct_name);
    let items = table.relations.iter().filter_map(|relation| {
        let target = schema.table_by_struct(&relation.target)?;
        let to = ident(&target.struct_name);
        let how = unlink_step(schema, table, relation)?;
        let marker = super::loading::marker(table, relation);
        Some(quote! {
            impl quarry::relation::kind::Unlink for #marker {}
            quarry::__codegen::unlink!(#marker, #from, #to, #how);
        })
    });
    quote!(#(#items)*)
}

/// What unlinking through `relation` does, as `unlink!` arguments. Key
/// columns are listed in the referenced primary key's order, so that they
/// match the key (a tuple when it has several columns).
fn unlink_step(schema: &Schema, table: &Table, relation: &Relation) -> Option<TokenStream> {
    if relation.kind == RelationKind::ManyToMany {
        let (through, mine) = schema.foreign_key(relation.foreign_key.as_deref()?)?;
        let (_, theirs) = schema.foreign_key(relation.through_target_key.as_deref()?)?;
        let target = schema.table_by_struct(&relation.target)?;
        let (mine, theirs) = (in_key_order(table, through, mine)?, in_key_order(target, through, theirs)?);
        if mine.iter().any(|c| theirs.iter().any(|t| t.field == c.field)) {
            return None;
        }
        let module = ident(&through.module);
        let (mine, theirs) = (mine.iter().map(|c| ident(&c.field)), theirs.iter().map(|c| ident(&c.field)));
        let name = &through.name;
        return Some(quote!(link #module::table, [#(#module::#mine),*], [#(#module::#theirs),*], #name));
    }
    let (holder, fk) = schema.foreign_key(relation.foreign_key.as_deref()?)?;
    let parent = schema.table(&fk.ref_table)?;
    let fk_columns = in_key_order(parent, holder, fk)?;
    let (module, child) = (ident(&holder.module), ident(&holder.struct_name));
    let fks = fk_columns.iter().map(|c| ident(&c.field));
    let fks = quote!([#(#module::#fks),*]);
    let nullable: Vec<_> = fk_columns.iter().filter(|c| c.nullable).map(|c| ident(&c.field)).collect();
    let orphan = match relation.kind {
        RelationKind::HasMany | RelationKind::HasOne => relation.cascade.delete_orphan,
        // The parent's side of the same key decides, as SQLAlchemy's
        // orphan detection does for `child.parent = None`.
        _ => schema.table_by_struct(&relation.target).is_some_and(|parent| {
            parent.relations.iter().any(|r| {
                matches!(r.kind, RelationKind::HasMany | RelationKind::HasOne)
                    && r.target == table.struct_name
                    && r.foreign_key == relation.foreign_key
                    && r.cascade.delete_orphan
            })
        }),
    };
    let side = match relation.kind {
        RelationKind::BelongsTo => quote!(parent),
        _ => quote!(children),
    };
    let name = &holder.name;
    if orphan {
        Some(quote!(#side orphan #module::table, #fks, #child))
    } else if !nullable.is_empty() {
        Some(quote!(#side nullify #module::table, #fks, [#(#module::#nullable),*], #name))
    } else {
        None
    }
}
