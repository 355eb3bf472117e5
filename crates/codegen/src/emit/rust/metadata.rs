//! `METADATA`: the schema as `'static` data, and the relation descriptors'
//! descriptions.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::opt_str;
use crate::emit::ddl::{self, Backend};
use crate::ident::{self, ident};
use crate::ir::{
    Cascade, Column, ColumnType, FkAction, ForeignKey, Relation, RelationKind, Schema, ServerDefault, Table,
};

/// The hidden constant holding one relation's `RelationMeta`.
pub fn relation_const_name(table: &Table, relation: &Relation) -> Ident {
    ident(&ident::relation_meta_const(&table.module, &relation.field))
}

/// The hidden constant holding one table's `TableMeta`.
pub fn table_const_name(table: &Table) -> Ident {
    ident(&ident::table_meta_const(&table.module))
}

/// `pub static METADATA` and the relation constants it shares with the
/// `Relation` descriptors.
pub fn metadata(schema: &Schema) -> TokenStream {
    let relation_consts = schema.tables.iter().flat_map(|table| {
        table.relations.iter().map(move |relation| {
            let name = relation_const_name(table, relation);
            let value = relation_meta(schema, table, relation);
            quote! {
                #[doc(hidden)]
                #[allow(non_upper_case_globals)]
                const #name: quarry::__codegen::RelationMeta = #value;
            }
        })
    });
    // Foreign-key order, computed once here and carried as each table's rank.
    let order = crate::emit::ddl::order::order(schema);
    let table_consts = schema.tables.iter().map(|table| {
        let name = table_const_name(table);
        let rank = order.tables.iter().position(|t| t.name == table.name).unwrap_or(0);
        let value = table_meta(schema, table, rank);
        quote! {
            #[doc(hidden)]
            #[allow(non_upper_case_globals)]
            const #name: quarry::__codegen::TableMeta = #value;
        }
    });
    let tables = schema.tables.iter().map(table_const_name);
    let enums = schema.enums.iter().map(|e| {
        let name = &e.sql_name;
        let schema = opt_str(e.schema.as_deref());
        let values = e.variants.iter().map(|v| &v.value);
        quote!(quarry::__codegen::EnumMeta { name: #name, schema: #schema, values: &[#(#values),*] })
    });
    let scripts = Backend::ALL.map(|backend| {
        let script = ddl::script(schema, backend);
        let (create, drop) = (&script.create, &script.drop);
        quote!(quarry::__codegen::DdlScript { create: &[#(#create),*], drop: &[#(#drop),*] })
    });
    let [sqlite, postgres, mysql] = scripts;
    quote! {
        #(#relation_consts)*
        #(#table_consts)*

        /// Every table, column, constraint, relation and enum of the schema,
        /// and the DDL that creates them on each backend.
        pub static METADATA: quarry::Metadata = quarry::Metadata::__new(
            &[#(#tables),*],
            &[#(#enums),*],
            quarry::__codegen::Ddl { sqlite: #sqlite, postgres: #postgres, mysql: #mysql },
        );
    }
}

/// SQL names of `fields` of `table`.
fn sql_names<'a>(table: &'a Table, fields: &'a [String]) -> Vec<&'a str> {
    fields.iter().map(|f| table.column(f).map_or(f.as_str(), |c| c.name.as_str())).collect()
}

fn table_meta(schema: &Schema, table: &Table, rank: usize) -> TokenStream {
    let name = &table.name;
    let namespace = opt_str(table.schema.as_deref());
    let struct_name = &table.struct_name;
    let comment = opt_str(table.doc.as_deref());
    let columns = table.columns.iter().map(|c| column_meta(schema, c));
    let primary_key = sql_names(table, &table.primary_key);
    let uniques = table.uniques.iter().map(|u| {
        let (name, columns) = (&u.name, sql_names(table, &u.columns));
        quote!(quarry::__codegen::ConstraintMeta { name: #name, columns: &[#(#columns),*] })
    });
    let indexes = table.indexes.iter().map(|i| {
        let (name, columns, unique) = (&i.name, sql_names(table, &i.columns), i.unique);
        quote!(quarry::__codegen::IndexMeta { name: #name, columns: &[#(#columns),*], unique: #unique })
    });
    let checks = table.checks.iter().map(|c| {
        let (name, sql) = (&c.name, &c.sql);
        quote!(quarry::__codegen::CheckMeta { name: #name, sql: #sql })
    });
    let foreign_keys = table.foreign_keys.iter().map(|fk| foreign_key_meta(schema, table, fk));
    let relations = table.relations.iter().map(|r| relation_const_name(table, r));
    let rank = proc_macro2::Literal::u16_unsuffixed(u16::try_from(rank).unwrap_or(u16::MAX));
    quote! {
        quarry::__codegen::TableMeta {
            name: #name,
            schema: #namespace,
            struct_name: #struct_name,
            comment: #comment,
            columns: &[#(#columns),*],
            primary_key: &[#(#primary_key),*],
            uniques: &[#(#uniques),*],
            indexes: &[#(#indexes),*],
            checks: &[#(#checks),*],
            foreign_keys: &[#(#foreign_keys),*],
            relations: &[#(#relations),*],
            rank: #rank,
        }
    }
}

fn column_meta(schema: &Schema, column: &Column) -> TokenStream {
    let (name, field) = (&column.name, &column.field);
    let sql_type = sql_type_meta(schema, &column.ty);
    let (nullable, autoincrement) = (column.nullable, column.autoincrement);
    let default = opt_str(column.default.as_deref());
    let server_default = match &column.server_default {
        Some(d) => {
            let d = server_default_meta(d);
            quote!(::std::option::Option::Some(#d))
        }
        None => quote!(::std::option::Option::None),
    };
    let comment = opt_str(column.doc.as_deref());
    quote! {
        quarry::__codegen::ColumnMeta {
            name: #name,
            field: #field,
            sql_type: #sql_type,
            nullable: #nullable,
            autoincrement: #autoincrement,
            default: #default,
            server_default: #server_default,
            comment: #comment,
        }
    }
}

fn sql_type_meta(schema: &Schema, ty: &ColumnType) -> TokenStream {
    let opt_u32 = |v: Option<u32>| match v {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    };
    match ty {
        ColumnType::SmallInt => quote!(quarry::__codegen::SqlType::SmallInt),
        ColumnType::Integer => quote!(quarry::__codegen::SqlType::Integer),
        ColumnType::BigInt => quote!(quarry::__codegen::SqlType::BigInt),
        ColumnType::Float => quote!(quarry::__codegen::SqlType::Float),
        ColumnType::Double => quote!(quarry::__codegen::SqlType::Double),
        ColumnType::Bool => quote!(quarry::__codegen::SqlType::Bool),
        ColumnType::Text => quote!(quarry::__codegen::SqlType::Text),
        ColumnType::Varchar(n) => quote!(quarry::__codegen::SqlType::Varchar(#n)),
        ColumnType::Numeric { precision, scale } => {
            let (p, s) = (opt_u32(*precision), opt_u32(*scale));
            quote!(quarry::__codegen::SqlType::Numeric { precision: #p, scale: #s })
        }
        ColumnType::Date => quote!(quarry::__codegen::SqlType::Date),
        ColumnType::Time => quote!(quarry::__codegen::SqlType::Time),
        ColumnType::Timestamp => quote!(quarry::__codegen::SqlType::Timestamp),
        ColumnType::TimestampTz => quote!(quarry::__codegen::SqlType::TimestampTz),
        ColumnType::Json => quote!(quarry::__codegen::SqlType::Json),
        ColumnType::Jsonb => quote!(quarry::__codegen::SqlType::Jsonb),
        ColumnType::Binary => quote!(quarry::__codegen::SqlType::Binary),
        ColumnType::Enum(name) => {
            let sql_name = schema.enum_by_name(name).map_or(name.as_str(), |e| e.sql_name.as_str());
            quote!(quarry::__codegen::SqlType::Enum(#sql_name))
        }
    }
}

fn server_default_meta(default: &ServerDefault) -> TokenStream {
    let literal = |text: String| quote!(quarry::__codegen::ServerDefault::Literal(#text));
    match default {
        ServerDefault::Int(v) => literal(v.to_string()),
        ServerDefault::Float(v) => literal(v.clone()),
        ServerDefault::Bool(v) => literal(if *v { "TRUE" } else { "FALSE" }.to_owned()),
        ServerDefault::Str(v) => literal(format!("'{}'", v.replace('\'', "''"))),
        ServerDefault::CurrentTimestamp => {
            quote!(quarry::__codegen::ServerDefault::CurrentTimestamp)
        }
        ServerDefault::CurrentDate => quote!(quarry::__codegen::ServerDefault::CurrentDate),
        ServerDefault::Sql(sql) => quote!(quarry::__codegen::ServerDefault::Sql(#sql)),
    }
}

fn fk_action(action: Option<FkAction>) -> TokenStream {
    let action = match action {
        None => return quote!(::std::option::Option::None),
        Some(FkAction::NoAction) => quote!(NoAction),
        Some(FkAction::Restrict) => quote!(Restrict),
        Some(FkAction::Cascade) => quote!(Cascade),
        Some(FkAction::SetNull) => quote!(SetNull),
        Some(FkAction::SetDefault) => quote!(SetDefault),
    };
    quote!(::std::option::Option::Some(quarry::__codegen::FkAction::#action))
}

fn foreign_key_meta(schema: &Schema, table: &Table, fk: &ForeignKey) -> TokenStream {
    let name = &fk.name;
    let columns = sql_names(table, &fk.columns);
    let ref_table = &fk.ref_table;
    let ref_columns = match schema.table(&fk.ref_table) {
        Some(parent) => sql_names(parent, &fk.ref_columns),
        None => fk.ref_columns.iter().map(String::as_str).collect(),
    };
    let (on_delete, on_update) = (fk_action(fk.on_delete), fk_action(fk.on_update));
    quote! {
        quarry::__codegen::ForeignKeyMeta {
            name: #name,
            columns: &[#(#columns),*],
            ref_table: #ref_table,
            ref_columns: &[#(#ref_columns),*],
            on_delete: #on_delete,
            on_update: #on_update,
        }
    }
}

/// The foreign key named `name`, wherever it is declared.
fn find_fk<'a>(schema: &'a Schema, name: Option<&str>) -> Option<(&'a Table, &'a ForeignKey)> {
    schema.foreign_key(name?)
}

/// `(columns of the key's table, referenced columns of the parent)`, as SQL names.
fn fk_columns<'a>(schema: &'a Schema, table: &'a Table, fk: &'a ForeignKey) -> (Vec<&'a str>, Vec<&'a str>) {
    let parent = schema.table(&fk.ref_table);
    let refs = match parent {
        Some(parent) => sql_names(parent, &fk.ref_columns),
        None => fk.ref_columns.iter().map(String::as_str).collect(),
    };
    (sql_names(table, &fk.columns), refs)
}

fn relation_meta(schema: &Schema, table: &Table, relation: &Relation) -> TokenStream {
    let name = &relation.field;
    let target_table = schema.table_by_struct(&relation.target);
    let target = target_table.map_or(relation.target.as_str(), |t| t.name.as_str());
    let key = find_fk(schema, relation.foreign_key.as_deref());
    let (local, remote): (Vec<&str>, Vec<&str>) = match (relation.kind, key) {
        (RelationKind::BelongsTo, Some((holder, fk))) => fk_columns(schema, holder, fk),
        (_, Some((holder, fk))) => {
            let (child, parent) = fk_columns(schema, holder, fk);
            (parent, child)
        }
        (_, None) => (Vec::new(), Vec::new()),
    };
    let kind = match relation.kind {
        RelationKind::HasMany => quote!(HasMany),
        RelationKind::HasOne => quote!(HasOne),
        RelationKind::BelongsTo => quote!(BelongsTo),
        RelationKind::ManyToMany => quote!(ManyToMany),
    };
    let through = match (&relation.through, find_fk(schema, relation.through_target_key.as_deref())) {
        (Some(through), Some((holder, fk))) => {
            let (target_columns, target_ref_columns) = fk_columns(schema, holder, fk);
            quote! {
                ::std::option::Option::Some(quarry::__codegen::ThroughMeta {
                    table: #through,
                    target_columns: &[#(#target_columns),*],
                    target_ref_columns: &[#(#target_ref_columns),*],
                })
            }
        }
        _ => quote!(::std::option::Option::None),
    };
    let back_populates = opt_str(relation.back_populates.as_deref());
    let cascade = cascade_meta(relation.cascade);
    let order_by = relation.order_by.iter().map(|o| {
        let column = target_table.and_then(|t| t.column(&o.column)).map_or(o.column.as_str(), |c| c.name.as_str());
        let desc = o.desc;
        quote!((#column, #desc))
    });
    let from = &table.name;
    quote! {
        quarry::__codegen::RelationMeta {
            name: #name,
            kind: quarry::__codegen::RelationKind::#kind,
            table: #from,
            target: #target,
            local_columns: &[#(#local),*],
            remote_columns: &[#(#remote),*],
            through: #through,
            back_populates: #back_populates,
            cascade: #cascade,
            order_by: &[#(#order_by),*],
        }
    }
}

fn cascade_meta(c: Cascade) -> TokenStream {
    let Cascade { save_update, merge, delete, delete_orphan, refresh_expire } = c;
    quote! {
        quarry::__codegen::Cascade {
            save_update: #save_update,
            merge: #merge,
            delete: #delete,
            delete_orphan: #delete_orphan,
            refresh_expire: #refresh_expire,
        }
    }
}
