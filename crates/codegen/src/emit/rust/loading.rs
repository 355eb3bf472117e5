//! What `Session::load` needs per relation: a type naming the relation,
//! its `Relationship` impl (keys and cardinality) and, through
//! `quarry::__codegen::load_rows!`, the typed `WHERE key IN (...)` query
//! for each backend.
//!
//! Relations whose keys are one column referencing the other table's
//! primary key are loadable: has_many, has_one, belongs_to and
//! many_to_many (through its association table).

use std::fmt::Write;

use proc_macro2::TokenStream;
use quote::quote;

use super::value_type;
use crate::ident::ident;
use crate::ir::{Column, ForeignKey, Relation, RelationKind, Schema, Table};

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
    let (key, from_key, cardinality, rows, matching) = match relation.kind {
        RelationKind::ManyToMany => many_to_many(schema, table, target, relation)?,
        _ => direct(schema, table, target, relation)?,
    };
    let marker = marker(table, relation);
    // Relations over one NOT NULL column are `model!` call lines instead
    // (expanded by `relation!`), loaded through `ColumnKeyed` (see
    // `declare::simple`).
    let joined = join_rows(schema, table, target, relation, &marker).unwrap_or_default();
    let matching = matching.tokens(&marker);
    let (from, to) = (ident(&table.struct_name), ident(&target.struct_name));
    let name = &relation.field;
    let width =
        relation.foreign_key.as_deref().and_then(|fk| schema.foreign_key(fk)).map_or(1, |(_, fk)| fk.columns.len());
    let width = proc_macro2::Literal::usize_unsuffixed(width);
    let key_columns = (width.to_string() != "1").then(|| quote!(const KEY_COLUMNS: usize = #width;));
    let items = quote! {
        impl quarry::load::Relationship for #marker {
            type From = #from;
            type To = #to;
            type Key = #key;
            type Cardinality = #cardinality;
            const NAME: &'static str = #name;
            #key_columns

            fn parent_key(row: &#from) -> ::std::option::Option<#key> {
                #from_key
            }
        }
        #rows
        #matching
        #joined
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
pub(super) fn order(target: &Table, relation: &Relation) -> Vec<TokenStream> {
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
/// cardinality, the `load_rows!` invocation, and the `IN (SELECT ...)`
/// that filters `From` rows by their related rows.
type Pieces = (TokenStream, TokenStream, TokenStream, TokenStream, Matching);

/// `lhs IN (SELECT select FROM from WHERE predicate)`, as (type, expression) pairs.
struct Matching {
    lhs: (TokenStream, TokenStream),
    from: (TokenStream, TokenStream),
    select: (TokenStream, TokenStream),
    /// For many-to-many: the predicate on `from` is itself an `IN` over the target.
    inner: Option<Inner>,
}

/// The inner `IN (SELECT ...)` of a many-to-many filter.
struct Inner {
    bounds: TokenStream,
    predicate_ty: TokenStream,
    predicate: TokenStream,
}

impl Matching {
    /// A column, or `assume_not_null` of it when nullable (the `IN` list
    /// compares non-null keys; a NULL key never matches anyway).
    fn column(module: &proc_macro2::Ident, column: &Column) -> (TokenStream, TokenStream) {
        let field = ident(&column.field);
        if column.nullable {
            (
                quote!(diesel::dsl::AssumeNotNull<#module::#field>),
                quote!(diesel::NullableExpressionMethods::assume_not_null(#module::#field)),
            )
        } else {
            (quote!(#module::#field), quote!(#module::#field))
        }
    }

    /// Columns to select: one, or a tuple of them.
    fn columns(module: &proc_macro2::Ident, columns: &[&Column]) -> (TokenStream, TokenStream) {
        if let [column] = columns {
            return Self::column(module, column);
        }
        let (types, exprs): (Vec<_>, Vec<_>) = columns.iter().map(|c| Self::column(module, c)).unzip();
        (quote!((#(#types),*)), quote!((#(#exprs),*)))
    }

    /// Columns to compare with a subquery: one, or a row value `(a, b)`.
    fn row(module: &proc_macro2::Ident, columns: &[&Column]) -> (TokenStream, TokenStream) {
        if let [column] = columns {
            return Self::column(module, column);
        }
        let (types, exprs) = Self::columns(module, columns);
        (quote!(quarry::dsl::Row<#types>), quote!(quarry::dsl::row(#exprs)))
    }

    /// `impl Matching<P> for marker`.
    fn tokens(&self, marker: &TokenStream) -> TokenStream {
        let ((lhs_ty, lhs), (from_ty, from), (select_ty, select)) = (&self.lhs, &self.from, &self.select);
        let (bounds, predicate_ty, predicate) = match &self.inner {
            Some(Inner { bounds, predicate_ty, predicate }) => {
                (bounds.clone(), predicate_ty.clone(), predicate.clone())
            }
            None => (quote!(), quote!(P), quote!(predicate)),
        };
        quote! {
            impl<P> quarry::load::Matching<P> for #marker
            where
                #bounds
                #from_ty: diesel::query_dsl::methods::FilterDsl<#predicate_ty>,
                diesel::dsl::Filter<#from_ty, #predicate_ty>: diesel::query_dsl::methods::SelectDsl<#select_ty>,
                diesel::dsl::Select<diesel::dsl::Filter<#from_ty, #predicate_ty>, #select_ty>:
                    diesel::query_builder::Query<SqlType = diesel::dsl::SqlTypeOf<#lhs_ty>>,
            {
                type Output = quarry::dsl::InSubquery<
                    #lhs_ty,
                    diesel::dsl::Select<diesel::dsl::Filter<#from_ty, #predicate_ty>, #select_ty>,
                >;

                fn matching(predicate: P) -> Self::Output {
                    quarry::dsl::in_subquery(
                        #lhs,
                        diesel::query_dsl::methods::SelectDsl::select(
                            diesel::query_dsl::methods::FilterDsl::filter(#from, #predicate),
                            #select,
                        ),
                    )
                }
            }
        }
    }
}

/// `Some(key)` from `row`'s `columns`: the value, or a tuple of them, and
/// `None` when any of them is NULL.
fn key_from(columns: &[&Column]) -> TokenStream {
    if let [column] = columns {
        return key_of(column);
    }
    let parts = columns.iter().map(|column| {
        let field = ident(&column.field);
        if column.nullable {
            quote!(::std::clone::Clone::clone(&row.#field)?)
        } else {
            quote!(::std::clone::Clone::clone(&row.#field))
        }
    });
    quote!(::std::option::Option::Some((#(#parts),*)))
}

/// has_many, has_one, belongs_to: the key is the foreign key's columns of
/// one table, referencing the other's whole primary key.
fn direct(schema: &Schema, table: &Table, target: &Table, relation: &Relation) -> Option<Pieces> {
    let (holder, fk) = super::unit_of_work::full_key(schema, relation.foreign_key.as_deref())?;
    let (parent, child) = match relation.kind {
        RelationKind::HasMany | RelationKind::HasOne if holder.name == target.name => (table, target),
        RelationKind::BelongsTo if holder.name == table.name => (target, table),
        _ => return None,
    };
    // The parent's key columns and the child's, pairwise in the foreign key's order.
    let key_columns: Vec<&Column> = fk.ref_columns.iter().map(|c| parent.column(c)).collect::<Option<_>>()?;
    let fk_columns: Vec<&Column> = fk.columns.iter().map(|c| child.column(c)).collect::<Option<_>>()?;
    let types: Vec<TokenStream> = key_columns.iter().map(|c| value_type(&c.ty)).collect();
    let key = match types.as_slice() {
        [one] => one.clone(),
        many => quote!((#(#many),*)),
    };
    // (the `From` side's key, the `To` side's key, the `To` columns filtered on)
    let (from_key, to_key, filter) = match relation.kind {
        RelationKind::BelongsTo => (key_from(&fk_columns), key_from(&key_columns), &key_columns),
        _ => (key_from(&key_columns), key_from(&fk_columns), &fk_columns),
    };
    let cardinality = match relation.kind {
        RelationKind::HasMany => quote!(quarry::load::Many),
        RelationKind::BelongsTo if fk_columns.iter().all(|c| !c.nullable) => quote!(quarry::load::One),
        _ => quote!(quarry::load::Optional),
    };
    let (module, to, marker) = (ident(&target.module), ident(&target.struct_name), marker(table, relation));
    let order = order(target, relation);
    let filter: Vec<_> = filter.iter().map(|c| ident(&c.field)).collect();
    let rows = quote! {
        quarry::__codegen::load_rows!(#marker, #module::table, [#(#module::#filter),*],
            key |row: &#to| -> ::std::option::Option<#key> { #to_key },
            order [#(#order),*]);
    };
    // Rows of `table` whose key is among the matching target rows' keys.
    let (from_module, to_module) = (ident(&table.module), ident(&target.module));
    let (lhs, select) = match relation.kind {
        RelationKind::BelongsTo => {
            (Matching::row(&from_module, &fk_columns), Matching::columns(&to_module, &key_columns))
        }
        _ => (Matching::row(&from_module, &key_columns), Matching::columns(&to_module, &fk_columns)),
    };
    let matching = Matching { lhs, from: (quote!(#to_module::table), quote!(#to_module::table)), select, inner: None };
    Some((key, from_key, cardinality, rows, matching))
}

/// The association table's columns of `fk` and the columns of `referenced`
/// they point at, pairwise, when they cover its whole primary key and none
/// of the association table's is nullable.
fn links<'a>(through: &'a Table, fk: &ForeignKey, referenced: &'a Table) -> Option<(Vec<&'a Column>, Vec<&'a Column>)> {
    let (mut columns, mut primary) = (fk.ref_columns.clone(), referenced.primary_key.clone());
    columns.sort();
    primary.sort();
    if columns != primary || fk.columns.len() != fk.ref_columns.len() {
        return None;
    }
    let links: Vec<&Column> = fk.columns.iter().map(|c| through.column(c)).collect::<Option<_>>()?;
    let keys: Vec<&Column> = fk.ref_columns.iter().map(|c| referenced.column(c)).collect::<Option<_>>()?;
    (!links.iter().any(|c| c.nullable)).then_some((links, keys))
}

/// many_to_many: the key is this table's primary key (a tuple when it has
/// several columns), matched by the association table's columns that
/// reference it.
fn many_to_many(schema: &Schema, table: &Table, target: &Table, relation: &Relation) -> Option<Pieces> {
    let (through, mine) = schema.foreign_key(relation.foreign_key.as_deref()?)?;
    let (_, theirs) = schema.foreign_key(relation.through_target_key.as_deref()?)?;
    let (my_links, my_keys) = links(through, mine, table)?;
    let (their_links, their_keys) = links(through, theirs, target)?;
    let types: Vec<TokenStream> = my_keys.iter().map(|c| value_type(&c.ty)).collect();
    let key = match types.as_slice() {
        [one] => one.clone(),
        many => quote!((#(#many),*)),
    };
    let (through_module, target_module) = (ident(&through.module), ident(&target.module));
    let field = |module: &proc_macro2::Ident, column: &Column| {
        let field = ident(&column.field);
        quote!(#module::#field)
    };
    // `through.their_link = target.their_key [AND ...]`.
    let on = their_links
        .iter()
        .zip(&their_keys)
        .map(|(link, key)| {
            let (link, key) = (field(&through_module, link), field(&target_module, key));
            quote!(diesel::ExpressionMethods::eq(#link, #key))
        })
        .reduce(|all, one| quote!(diesel::BoolExpressionMethods::and(#all, #one)))?;
    let order = order(target, relation);
    let marker = marker(table, relation);
    let links_of_mine: Vec<TokenStream> = my_links.iter().map(|c| field(&through_module, c)).collect();
    let rows = quote! {
        quarry::__codegen::load_rows!(#marker,
            through #through_module::table, [#(#links_of_mine),*],
            on #on,
            #target_module::table, #target_module::all_columns,
            order [#(#order),*]);
    };
    // Rows of `table` whose key the association table links to a matching
    // target row: `id IN (SELECT link FROM through WHERE their_link IN
    // (SELECT key FROM target WHERE predicate))`, with row values `(a, b)`
    // where a key has several columns.
    let from_module = ident(&table.module);
    let (their_key_ty, their_key) = Matching::columns(&target_module, &their_keys);
    let (their_link_ty, their_link) = Matching::row(&through_module, &their_links);
    let inner_ty = quote!(diesel::dsl::Select<diesel::dsl::Filter<#target_module::table, P>, #their_key_ty>);
    let inner = quote!(diesel::query_dsl::methods::SelectDsl::select(
        diesel::query_dsl::methods::FilterDsl::filter(#target_module::table, predicate),
        #their_key
    ));
    let linked_ty = quote!(quarry::dsl::InSubquery<#their_link_ty, #inner_ty>);
    let matching = Matching {
        lhs: Matching::row(&from_module, &my_keys),
        from: (quote!(#through_module::table), quote!(#through_module::table)),
        select: Matching::columns(&through_module, &my_links),
        inner: Some(Inner {
            bounds: quote! {
                #target_module::table: diesel::query_dsl::methods::FilterDsl<P>,
                diesel::dsl::Filter<#target_module::table, P>:
                    diesel::query_dsl::methods::SelectDsl<#their_key_ty>,
                #inner_ty: diesel::query_builder::Query<SqlType = diesel::dsl::SqlTypeOf<#their_link_ty>>,
            },
            predicate_ty: linked_ty,
            predicate: quote!(quarry::dsl::in_subquery(#their_link, #inner)),
        }),
    };
    Some((key, key_from(&my_keys), quote!(quarry::load::Many), rows, matching))
}

/// `pub mod __quarry_relations { ... }`: one type per relation, named
/// `Model__field`, declared by `quarry::__codegen::markers!` a table's
/// relations at a time, a line each (so that rustc's help on a relation of
/// the wrong kind shows the line naming its type), as source text.
pub fn markers(schema: &Schema) -> String {
    let mut out = format!(
        "/// The types that name each relation (`Author__articles`): in a loaded
/// row's type, and for the session methods that accept only some kinds.
#[doc(hidden)]
#[allow(dead_code, non_camel_case_types, non_snake_case)]
pub mod {MODULE} {{\n"
    );
    if schema.tables.iter().any(|t| !t.relations.is_empty()) {
        out.push_str("    use quarry::__codegen::markers;\n");
    }
    for table in schema.tables.iter().filter(|t| !t.relations.is_empty()) {
        let names: Vec<String> =
            table.relations.iter().map(|r| ident(&format!("{}__{}", table.struct_name, r.field)).to_string()).collect();
        let _ = writeln!(out, "    markers!({});", names.join(" "));
    }
    out.push_str("}\n");
    out
}

/// One side of a join: a table, or for a self-referential relation the
/// alias its rows are joined under.
struct Source {
    /// The table's module.
    module: proc_macro2::Ident,
    /// The alias's name (a const and a type), or `None` for the table itself.
    alias: Option<proc_macro2::Ident>,
}

impl Source {
    fn table(table: &Table) -> Self {
        Source { module: ident(&table.module), alias: None }
    }

    /// The source in a `JOIN`: (type, expression).
    fn from(&self) -> (TokenStream, TokenStream) {
        let module = &self.module;
        match &self.alias {
            Some(alias) => (quote!(#alias), quote!(#alias)),
            None => (quote!(#module::table), quote!(#module::table)),
        }
    }

    /// A column of the source, wrapped in `assume_not_null` when `unwrap`.
    fn column(&self, column: &Column, unwrap: bool) -> (TokenStream, TokenStream) {
        let (module, field) = (&self.module, ident(&column.field));
        let (ty, expr) = match &self.alias {
            Some(alias) => (quote!(diesel::dsl::Field<#alias, #module::#field>), quote!(#alias.field(#module::#field))),
            None => (quote!(#module::#field), quote!(#module::#field)),
        };
        if unwrap {
            (quote!(diesel::dsl::AssumeNotNull<#ty>), quote!(diesel::NullableExpressionMethods::assume_not_null(#expr)))
        } else {
            (ty, expr)
        }
    }

    /// All the source's columns, nullable (the right side of a LEFT JOIN).
    fn nullable_columns(&self) -> (TokenStream, TokenStream) {
        let module = &self.module;
        let (ty, expr) = match &self.alias {
            Some(alias) => (
                quote!(diesel::dsl::Fields<#alias, <#module::table as diesel::Table>::AllColumns>),
                quote!(#alias.fields(#module::all_columns)),
            ),
            None => (quote!(<#module::table as diesel::Table>::AllColumns), quote!(#module::all_columns)),
        };
        (quote!(diesel::dsl::Nullable<#ty>), quote!(diesel::NullableExpressionMethods::nullable(#expr)))
    }
}

/// `left = right` for an `ON` clause: (type, expression). A nullable column
/// compared with a NOT NULL one is read with `assume_not_null` (a NULL key
/// matches nothing either way).
fn on_eq(
    (left, left_column): (&Source, &Column),
    (right, right_column): (&Source, &Column),
) -> (TokenStream, TokenStream) {
    let unwrap_left = left_column.nullable && !right_column.nullable;
    let unwrap_right = right_column.nullable && !left_column.nullable;
    let (lt, le) = left.column(left_column, unwrap_left);
    let (rt, re) = right.column(right_column, unwrap_right);
    (quote!(diesel::dsl::Eq<#lt, #rt>), quote!(diesel::ExpressionMethods::eq(#le, #re)))
}

/// `a = b AND c = d ...` over column pairs, as (type, expression).
fn on_all(pairs: Vec<(TokenStream, TokenStream)>) -> Option<(TokenStream, TokenStream)> {
    pairs.into_iter().reduce(|(all_ty, all), (ty, one)| {
        (quote!(diesel::dsl::And<#all_ty, #ty>), quote!(diesel::BoolExpressionMethods::and(#all, #one)))
    })
}

/// The joined strategy for a relation: an alias of the target table when
/// the relation is self-referential, and `impl JoinRows<Q, C>` for any
/// query `Q` diesel can `LEFT OUTER JOIN` the target to and load as
/// `(From, Option<To>)`. A to-many relation also orders the children by the
/// relation's declared order (after the query's own) and requires a query
/// without LIMIT/OFFSET (`quarry::load::UnlimitedQuery`, implemented here for
/// the `From` table itself).
fn join_rows(
    schema: &Schema,
    table: &Table,
    target: &Table,
    relation: &Relation,
    marker: &TokenStream,
) -> Option<TokenStream> {
    let parent = Source::table(table);
    let mut extra_items = quote!();
    let rhs = if target.name == table.name {
        if relation.kind == RelationKind::ManyToMany {
            return None;
        }
        let name = format!("{}__{}", table.struct_name, relation.field);
        let (konst, ty, sql) =
            (ident(&format!("__quarry_join_{name}")), ident(&format!("__QuarryJoin_{name}")), ident(&relation.field));
        let module = ident(&target.module);
        extra_items = quote! {
            diesel::alias! {
                pub const #konst: Alias<#ty> = #module as #sql;
            }
        };
        Source { module: ident(&target.module), alias: Some(konst) }
    } else {
        Source::table(target)
    };
    // The joins: (source, ON) each, in order.
    let joins: Vec<((TokenStream, TokenStream), (TokenStream, TokenStream))> = match relation.kind {
        RelationKind::ManyToMany => {
            let (through, mine) = schema.foreign_key(relation.foreign_key.as_deref()?)?;
            let (_, theirs) = schema.foreign_key(relation.through_target_key.as_deref()?)?;
            let via = Source::table(through);
            let (my_links, my_keys) = links(through, mine, table)?;
            let (their_links, their_keys) = links(through, theirs, target)?;
            let first = on_all(my_links.iter().zip(&my_keys).map(|(l, k)| on_eq((&via, *l), (&parent, *k))).collect())?;
            let second =
                on_all(their_keys.iter().zip(&their_links).map(|(k, l)| on_eq((&rhs, *k), (&via, *l))).collect())?;
            vec![(via.from(), first), (rhs.from(), second)]
        }
        _ => {
            let (holder, fk) = super::unit_of_work::full_key(schema, relation.foreign_key.as_deref())?;
            let pairs = fk.columns.iter().zip(&fk.ref_columns);
            let on: Option<Vec<_>> = match relation.kind {
                RelationKind::HasMany | RelationKind::HasOne if holder.name == target.name => pairs
                    .map(|(fk_field, ref_field)| {
                        Some(on_eq((&rhs, target.column(fk_field)?), (&parent, table.column(ref_field)?)))
                    })
                    .collect(),
                RelationKind::BelongsTo if holder.name == table.name => pairs
                    .map(|(fk_field, ref_field)| {
                        Some(on_eq((&rhs, target.column(ref_field)?), (&parent, table.column(fk_field)?)))
                    })
                    .collect(),
                _ => return None,
            };
            vec![(rhs.from(), on_all(on?)?)]
        }
    };
    let to_many = matches!(relation.kind, RelationKind::HasMany | RelationKind::ManyToMany);
    let grouped = relation.kind != RelationKind::BelongsTo;
    let (from, to) = (ident(&table.struct_name), ident(&target.struct_name));
    let parent_module = &parent.module;

    // The query's type after each step (a type parameter bound to the
    // step's output: a projection of `Q` in a bound overflows rustc's trait
    // solver), the bounds that make each step possible, and the steps.
    let mut params = Vec::new();
    let mut bounds = Vec::new();
    let mut steps = Vec::new();
    let mut query = quote!(Q);
    let mut next =
        |bounds: &mut Vec<TokenStream>, (bound, args): (TokenStream, TokenStream), query: &mut TokenStream| {
            let param = ident(&format!("Q{}", params.len() + 1));
            let current = std::mem::replace(query, quote!(#param));
            bounds.push(quote!(#current: #bound<#args, Output = #param>));
            params.push(param);
        };
    if to_many {
        bounds.push(quote!(Q: quarry::load::UnlimitedQuery<#marker>));
        extra_items = quote! {
            #extra_items
            impl quarry::load::UnlimitedQuery<#marker> for #parent_module::table {}
        };
    }
    for ((source_ty, source), (on_ty, on)) in &joins {
        next(
            &mut bounds,
            (quote!(diesel::query_dsl::InternalJoinDsl), quote!(#source_ty, quarry::__codegen::LeftOuter, #on_ty)),
            &mut query,
        );
        steps.push(quote! {
            let query = diesel::query_dsl::InternalJoinDsl::join(query, #source, quarry::__codegen::LeftOuter, #on);
        });
    }
    let (columns_ty, columns) = rhs.nullable_columns();
    let select_ty = quote!((<#parent_module::table as diesel::Table>::AllColumns, #columns_ty));
    next(&mut bounds, (quote!(diesel::query_dsl::methods::SelectDsl), select_ty), &mut query);
    steps.push(quote! {
        let query = diesel::query_dsl::methods::SelectDsl::select(query, (#parent_module::all_columns, #columns));
    });
    let order: Vec<(TokenStream, TokenStream)> = if to_many {
        relation
            .order_by
            .iter()
            .filter_map(|o| {
                let (ty, expr) = rhs.column(target.column(&o.column)?, false);
                Some(if o.desc {
                    (quote!(diesel::dsl::Desc<#ty>), quote!(diesel::ExpressionMethods::desc(#expr)))
                } else {
                    (quote!(diesel::dsl::Asc<#ty>), quote!(diesel::ExpressionMethods::asc(#expr)))
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    if !order.is_empty() {
        let (types, exprs): (Vec<_>, Vec<_>) = order.into_iter().unzip();
        next(&mut bounds, (quote!(diesel::query_dsl::methods::ThenOrderDsl), quote!((#(#types,)*))), &mut query);
        steps.push(quote! {
            let query = diesel::query_dsl::methods::ThenOrderDsl::then_order_by(query, (#(#exprs,)*));
        });
    }
    bounds.push(quote! {
        #query: diesel::RunQueryDsl<C> + diesel::query_dsl::LoadQuery<'static, C, (#from, ::std::option::Option<#to>)>
    });
    Some(quote! {
        #extra_items
        impl<Q, C, #(#params),*> quarry::load::JoinRows<Q, C> for #marker
        where
            #(#bounds,)*
        {
            const GROUPED: bool = #grouped;

            fn join_rows(
                query: Q,
                conn: &mut C,
            ) -> diesel::QueryResult<::std::vec::Vec<(#from, ::std::option::Option<#to>)>> {
                #(#steps)*
                diesel::RunQueryDsl::load(query, conn)
            }
        }
    })
}
