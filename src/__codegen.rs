//! What generated code names. Not a public API: it changes with
//! quarry-codegen, which always matches this crate's version.

pub use bigdecimal;
pub use chrono;
pub use serde_json;
pub use std::borrow::Cow;

pub use quarry_schema::{app, db};

pub use std::sync::LazyLock;

pub use crate::__cascade_delete as cascade_delete;
pub use crate::__column_keyed as column_keyed;
pub use crate::__cte_ready as cte_ready;
pub use crate::__load_rows as load_rows;
pub use crate::__markers as markers;
pub use crate::__model as model;
pub use crate::__unlink as unlink;
pub use crate::__walk_rows as walk_rows;
pub use crate::ddl::{create_all, drop_all};
pub use crate::engine::{Backend, EngineConnection};
pub use crate::error::UnknownEnumValue;
pub use crate::model::Insert;
pub use crate::sql_types;
pub use crate::types::unchecked;
pub use crate::types::{Decimal, Json, Jsonb, NaiveTimestamp, UtcDateTime};
/// The `LEFT OUTER JOIN` kind, for the generated joined loading (diesel
/// names it only in its hidden `internal` module).
pub use diesel::internal::table_macro::LeftOuter;

/// The generated `METADATA`: the schema model the code generator wrote as
/// JSON, read on first use. Text costs rustc nothing to check, where the
/// same model as `static` Rust values cost a 300-table schema tens of
/// seconds of `cargo check`. Each model's `__META` holds its table's JSON
/// and its own, as its `model!` call wrote them; `enums` is the enums'.
pub fn metadata(models: &[[&'static str; 2]], enums: &'static str) -> crate::Metadata {
    let join = |part: usize| models.iter().map(|m| m[part]).collect::<Vec<_>>().join(",");
    let json = format!("{{\"schema\":{{\"tables\":[{}],\"enums\":{enums}}},\"models\":[{}]}}", join(0), join(1));
    // Read once per program, into a static that borrows from it.
    read(Box::leak(json.into_boxed_str()))
}

fn read(json: &'static str) -> crate::Metadata {
    match serde_json::from_str::<crate::Metadata>(json) {
        Ok(mut metadata) => {
            metadata.fill_left_out();
            metadata
        }
        Err(error) => panic!("quarry: the generated METADATA does not match this quarry version ({error}); rebuild"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_model_the_code_generator_wrote() {
        let metadata = metadata(
            &[[
                r#"{"name":"tags","columns":[{"name":"id","type":"integer","nullable":false,"autoincrement":true}],"primary_key":["id"]}"#,
                r#"{"name":"Tag","table":"tags","fields":[{"name":"id","column":"id","default":null}],"relations":[],"rank":0}"#,
            ]],
            "[]",
        );
        assert_eq!(metadata.table("tags").unwrap().primary_key[0], "id");
        assert_eq!(metadata.model("tags").unwrap().name, "Tag");
    }

    #[test]
    fn fills_in_what_the_code_generator_left_out() {
        let metadata = metadata(
            &[[
                r#"{"name":"tags","columns":[{"name":"id","type":"integer","autoincrement":true},{"name":"label","type":"text","nullable":true}],"primary_key":["id"]}"#,
                r#"{"name":"Tag","table":"tags","rank":0}"#,
            ]],
            "[]",
        );
        let table = metadata.table("tags").unwrap();
        assert_eq!((table.columns[0].nullable, table.columns[1].nullable), (false, true));
        let fields: Vec<(&str, &str)> =
            metadata.model("tags").unwrap().fields.iter().map(|f| (&*f.name, &*f.column)).collect();
        assert_eq!(fields, [("id", "id"), ("label", "label")]);
    }

    #[test]
    #[should_panic(expected = "the generated METADATA does not match this quarry version")]
    fn metadata_from_another_version_is_a_clear_panic() {
        metadata(&[[r#"{"title":"tags"}"#, "{}"]], "[]");
    }
}
