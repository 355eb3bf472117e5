//! `METADATA`: the schema model ([`quarry_schema::Metadata`]) as a
//! `'static` value, and the statics the model impls and relation
//! descriptors point into.
//!
//! Every value is written as a Rust expression of the model's own types
//! (`Cow::Borrowed` strings and slices), so the runtime reads the very
//! structure the code generator built: no second copy of the definitions.

use proc_macro2::{Ident, Literal, TokenStream};
use quarry_schema::app::{Cascade, Field, Model, OrderBy, Relation, RelationKind, Through};
use quarry_schema::db::{Check, Column, Enum, FkAction, ForeignKey, Index, ServerDefault, SqlType, Table, Unique};
use quarry_schema::{List, Metadata, Str};
use quote::{format_ident, quote};

/// The static array of every model, in table order.
pub fn models_static() -> Ident {
    format_ident!("__QUARRY_MODELS")
}

/// The static array of the relations of the table at `index`.
pub fn relations_static(index: usize) -> Ident {
    format_ident!("__QUARRY_RELATIONS_{index}")
}

/// `&'static` place of the model of the table at `index`.
pub fn model_place(index: usize) -> TokenStream {
    let models = models_static();
    let index = Literal::usize_unsuffixed(index);
    quote!(&#models[#index])
}

/// `&'static` place of relation `relation` of the table at `table`.
pub fn relation_place(table: usize, relation: usize) -> TokenStream {
    let relations = relations_static(table);
    let relation = Literal::usize_unsuffixed(relation);
    quote!(&#relations[#relation])
}

/// `pub static METADATA` and the statics behind it.
pub fn metadata(metadata: &Metadata) -> TokenStream {
    let relation_statics = metadata.models.iter().enumerate().map(|(i, model)| {
        let name = relations_static(i);
        let count = Literal::usize_unsuffixed(model.relations.len());
        let relations = model.relations.iter().map(Lit::lit);
        quote! {
            #[doc(hidden)]
            static #name: [quarry::__codegen::app::Relation; #count] = [#(#relations),*];
        }
    });
    let models = models_static();
    let count = Literal::usize_unsuffixed(metadata.models.len());
    let model_values = metadata.models.iter().enumerate().map(|(i, model)| model_lit(model, &relations_static(i)));
    let schema = &metadata.schema;
    let (tables, enums) = (schema.tables.lit(), schema.enums.lit());
    quote! {
        #(#relation_statics)*
        #[doc(hidden)]
        static #models: [quarry::__codegen::app::Model; #count] = [#(#model_values),*];

        /// Every table, column, constraint and enum of the schema (keyed by
        /// SQL name), and the models and relations mapped over them.
        pub static METADATA: quarry::Metadata = quarry::Metadata {
            schema: quarry::__codegen::db::Schema { tables: #tables, enums: #enums },
            models: quarry::__codegen::Cow::Borrowed(&#models),
        };
    }
}

fn model_lit(model: &Model, relations: &Ident) -> TokenStream {
    let Model { name, table, fields, relations: _, rank } = model;
    let (name, table, fields) = (name.lit(), table.lit(), fields.lit());
    let rank = Literal::u16_unsuffixed(*rank);
    quote! {
        quarry::__codegen::app::Model {
            name: #name,
            table: #table,
            fields: #fields,
            relations: quarry::__codegen::Cow::Borrowed(&#relations),
            rank: #rank,
        }
    }
}

/// A value written as a Rust expression that builds it in a `static`.
trait Lit {
    fn lit(&self) -> TokenStream;
}

impl Lit for Str {
    fn lit(&self) -> TokenStream {
        let text: &str = self;
        quote!(quarry::__codegen::Cow::Borrowed(#text))
    }
}

impl<T: Lit + Clone> Lit for List<T> {
    fn lit(&self) -> TokenStream {
        let items = self.iter().map(Lit::lit);
        quote!(quarry::__codegen::Cow::Borrowed(&[#(#items),*]))
    }
}

impl<T: Lit> Lit for Option<T> {
    fn lit(&self) -> TokenStream {
        match self {
            Some(value) => {
                let value = value.lit();
                quote!(::std::option::Option::Some(#value))
            }
            None => quote!(::std::option::Option::None),
        }
    }
}

impl Lit for bool {
    fn lit(&self) -> TokenStream {
        quote!(#self)
    }
}

impl Lit for u32 {
    fn lit(&self) -> TokenStream {
        let value = Literal::u32_unsuffixed(*self);
        quote!(#value)
    }
}

impl Lit for Table {
    fn lit(&self) -> TokenStream {
        let Table { name, schema, comment, renamed_from, columns, primary_key, uniques, indexes, checks, foreign_keys } =
            self;
        let (name, schema, comment, renamed_from) = (name.lit(), schema.lit(), comment.lit(), renamed_from.lit());
        let (columns, primary_key, uniques) = (columns.lit(), primary_key.lit(), uniques.lit());
        let (indexes, checks, foreign_keys) = (indexes.lit(), checks.lit(), foreign_keys.lit());
        quote! {
            quarry::__codegen::db::Table {
                name: #name,
                schema: #schema,
                comment: #comment,
                renamed_from: #renamed_from,
                columns: #columns,
                primary_key: #primary_key,
                uniques: #uniques,
                indexes: #indexes,
                checks: #checks,
                foreign_keys: #foreign_keys,
            }
        }
    }
}

impl Lit for Column {
    fn lit(&self) -> TokenStream {
        let Column { name, sql_type, nullable, autoincrement, server_default, comment, renamed_from } = self;
        let (name, sql_type, server_default) = (name.lit(), sql_type.lit(), server_default.lit());
        let (comment, renamed_from) = (comment.lit(), renamed_from.lit());
        quote! {
            quarry::__codegen::db::Column {
                name: #name,
                sql_type: #sql_type,
                nullable: #nullable,
                autoincrement: #autoincrement,
                server_default: #server_default,
                comment: #comment,
                renamed_from: #renamed_from,
            }
        }
    }
}

impl Lit for SqlType {
    fn lit(&self) -> TokenStream {
        let variant = match self {
            SqlType::SmallInt => quote!(SmallInt),
            SqlType::Integer => quote!(Integer),
            SqlType::BigInt => quote!(BigInt),
            SqlType::Float => quote!(Float),
            SqlType::Double => quote!(Double),
            SqlType::Bool => quote!(Bool),
            SqlType::Text => quote!(Text),
            SqlType::Varchar(n) => {
                let n = n.lit();
                quote!(Varchar(#n))
            }
            SqlType::Numeric { precision, scale } => {
                let (precision, scale) = (precision.lit(), scale.lit());
                quote!(Numeric { precision: #precision, scale: #scale })
            }
            SqlType::Date => quote!(Date),
            SqlType::Time => quote!(Time),
            SqlType::Timestamp => quote!(Timestamp),
            SqlType::TimestampTz => quote!(TimestampTz),
            SqlType::Json => quote!(Json),
            SqlType::Jsonb => quote!(Jsonb),
            SqlType::Binary => quote!(Binary),
            SqlType::Enum(name) => {
                let name = name.lit();
                quote!(Enum(#name))
            }
        };
        quote!(quarry::__codegen::db::SqlType::#variant)
    }
}

impl Lit for ServerDefault {
    fn lit(&self) -> TokenStream {
        let variant = match self {
            ServerDefault::Int(v) => quote!(Int(#v)),
            ServerDefault::Float(v) => {
                let v = v.lit();
                quote!(Float(#v))
            }
            ServerDefault::Bool(v) => quote!(Bool(#v)),
            ServerDefault::Str(v) => {
                let v = v.lit();
                quote!(Str(#v))
            }
            ServerDefault::CurrentTimestamp => quote!(CurrentTimestamp),
            ServerDefault::CurrentDate => quote!(CurrentDate),
            ServerDefault::Sql(v) => {
                let v = v.lit();
                quote!(Sql(#v))
            }
        };
        quote!(quarry::__codegen::db::ServerDefault::#variant)
    }
}

impl Lit for Unique {
    fn lit(&self) -> TokenStream {
        let (name, columns) = (self.name.lit(), self.columns.lit());
        quote!(quarry::__codegen::db::Unique { name: #name, columns: #columns })
    }
}

impl Lit for Index {
    fn lit(&self) -> TokenStream {
        let (name, columns, unique) = (self.name.lit(), self.columns.lit(), self.unique);
        quote!(quarry::__codegen::db::Index { name: #name, columns: #columns, unique: #unique })
    }
}

impl Lit for Check {
    fn lit(&self) -> TokenStream {
        let (name, sql) = (self.name.lit(), self.sql.lit());
        quote!(quarry::__codegen::db::Check { name: #name, sql: #sql })
    }
}

impl Lit for FkAction {
    fn lit(&self) -> TokenStream {
        let variant = match self {
            FkAction::NoAction => quote!(NoAction),
            FkAction::Restrict => quote!(Restrict),
            FkAction::Cascade => quote!(Cascade),
            FkAction::SetNull => quote!(SetNull),
            FkAction::SetDefault => quote!(SetDefault),
        };
        quote!(quarry::__codegen::db::FkAction::#variant)
    }
}

impl Lit for ForeignKey {
    fn lit(&self) -> TokenStream {
        let ForeignKey { name, columns, ref_table, ref_columns, on_delete, on_update } = self;
        let (name, columns, ref_table, ref_columns) = (name.lit(), columns.lit(), ref_table.lit(), ref_columns.lit());
        let (on_delete, on_update) = (on_delete.lit(), on_update.lit());
        quote! {
            quarry::__codegen::db::ForeignKey {
                name: #name,
                columns: #columns,
                ref_table: #ref_table,
                ref_columns: #ref_columns,
                on_delete: #on_delete,
                on_update: #on_update,
            }
        }
    }
}

impl Lit for Enum {
    fn lit(&self) -> TokenStream {
        let (name, schema, values) = (self.name.lit(), self.schema.lit(), self.values.lit());
        quote!(quarry::__codegen::db::Enum { name: #name, schema: #schema, values: #values })
    }
}

impl Lit for Field {
    fn lit(&self) -> TokenStream {
        let (name, column, default) = (self.name.lit(), self.column.lit(), self.default.lit());
        quote!(quarry::__codegen::app::Field { name: #name, column: #column, default: #default })
    }
}

impl Lit for Relation {
    fn lit(&self) -> TokenStream {
        let Relation {
            name,
            kind,
            table,
            target,
            local_columns,
            remote_columns,
            through,
            back_populates,
            cascade,
            passive_deletes,
            order_by,
        } = self;
        let (name, kind, table, target) = (name.lit(), kind.lit(), table.lit(), target.lit());
        let (local_columns, remote_columns, through) = (local_columns.lit(), remote_columns.lit(), through.lit());
        let (back_populates, cascade, order_by) = (back_populates.lit(), cascade.lit(), order_by.lit());
        quote! {
            quarry::__codegen::app::Relation {
                name: #name,
                kind: #kind,
                table: #table,
                target: #target,
                local_columns: #local_columns,
                remote_columns: #remote_columns,
                through: #through,
                back_populates: #back_populates,
                cascade: #cascade,
                passive_deletes: #passive_deletes,
                order_by: #order_by,
            }
        }
    }
}

impl Lit for RelationKind {
    fn lit(&self) -> TokenStream {
        let variant = match self {
            RelationKind::HasMany => quote!(HasMany),
            RelationKind::HasOne => quote!(HasOne),
            RelationKind::BelongsTo => quote!(BelongsTo),
            RelationKind::ManyToMany => quote!(ManyToMany),
        };
        quote!(quarry::__codegen::app::RelationKind::#variant)
    }
}

impl Lit for Cascade {
    fn lit(&self) -> TokenStream {
        let Cascade { save_update, merge, delete, delete_orphan, refresh_expire } = self;
        quote! {
            quarry::__codegen::app::Cascade {
                save_update: #save_update,
                merge: #merge,
                delete: #delete,
                delete_orphan: #delete_orphan,
                refresh_expire: #refresh_expire,
            }
        }
    }
}

impl Lit for OrderBy {
    fn lit(&self) -> TokenStream {
        let (column, desc) = (self.column.lit(), self.desc);
        quote!(quarry::__codegen::app::OrderBy { column: #column, desc: #desc })
    }
}

impl Lit for Through {
    fn lit(&self) -> TokenStream {
        let (table, target_columns, target_ref_columns) =
            (self.table.lit(), self.target_columns.lit(), self.target_ref_columns.lit());
        quote! {
            quarry::__codegen::app::Through {
                table: #table,
                target_columns: #target_columns,
                target_ref_columns: #target_ref_columns,
            }
        }
    }
}
