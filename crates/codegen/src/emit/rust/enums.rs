//! Schema enums: a diesel SQL type per enum and the Rust enum that maps to it.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc;
use crate::ident::ident;
use crate::ir::{Enum, Schema};
use crate::options::Options;

/// `pub mod sql_types`: one diesel SQL type per enum (a PostgreSQL enum type,
/// a MySQL `ENUM`, text on SQLite). Always emitted: table modules import it.
pub fn sql_types(schema: &Schema) -> TokenStream {
    let types = schema.enums.iter().map(|e| {
        let name = ident(&e.rust_name);
        let sql_name = &e.sql_name;
        let postgres = match &e.schema {
            Some(schema) => quote!(#[diesel(postgres_type(name = #sql_name, schema = #schema))]),
            None => quote!(#[diesel(postgres_type(name = #sql_name))]),
        };
        let docs = format!(" The SQL type of [`super::{name}`]: `{sql_name}`.");
        quote! {
            #[doc = #docs]
            #[derive(diesel::sql_types::SqlType, diesel::query_builder::QueryId, Debug, Clone, Copy, Default)]
            #postgres
            #[diesel(mysql_type(name = "String"))]
            #[diesel(sqlite_type(name = "Text"))]
            pub struct #name;
        }
    });
    quote! {
        /// The SQL types of the schema's enums.
        pub mod sql_types {
            #(#types)*
        }
    }
}

/// The Rust enum with its conversions: `as_str`, `ALL`, `Display`,
/// `FromStr`, and diesel's `ToSql`/`FromSql` through text on every backend.
pub fn rust_enum(e: &Enum, options: &Options) -> TokenStream {
    let name = ident(&e.rust_name);
    let rust_name = &e.rust_name;
    let docs = doc(e.doc.as_deref());
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let values: Vec<_> = e.variants.iter().map(|v| v.value.as_str()).collect();
    let count = proc_macro2::Literal::usize_unsuffixed(variants.len());
    let serde_derive = options.serde.then(|| quote!(#[derive(serde::Serialize, serde::Deserialize)]));
    let serde_renames = values.iter().map(|value| options.serde.then(|| quote!(#[serde(rename = #value)])));
    let variant_docs = values.iter().map(|value| format!(" Stored as `{value}`."));
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
        #serde_derive
        #[diesel(sql_type = sql_types::#name)]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #serde_renames
                #variants,
            )*
        }

        impl #name {
            /// Every value, in declaration order.
            pub const ALL: [#name; #count] = [#(#name::#variants),*];

            /// The text stored in the database.
            pub const fn as_str(self) -> &'static str {
                match self {
                    #(#name::#variants => #values,)*
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = quarry::__codegen::UnknownEnumValue;

            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                match text {
                    #(#values => ::std::result::Result::Ok(#name::#variants),)*
                    _ => ::std::result::Result::Err(quarry::__codegen::UnknownEnumValue::new(#rust_name, text)),
                }
            }
        }

        impl<DB> diesel::serialize::ToSql<sql_types::#name, DB> for #name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(self.as_str(), out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<sql_types::#name, DB> for #name
        where
            DB: diesel::backend::Backend,
            ::std::string::String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(value: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = <::std::string::String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(value)?;
                ::std::result::Result::Ok(text.parse::<#name>()?)
            }
        }
    }
}
