//! JSON documents: [`Json`] (`JSON`) and [`Jsonb`] (`JSONB` on PostgreSQL).

use serde_json::Value;

use super::{refuse, wrapper};

/// The deepest nesting of arrays and objects a document may have on SQLite
/// and PostgreSQL: what serde_json reads back (its recursion limit). A deeper document would be
/// written but could never be read again, so it is refused on the way in.
pub const MAX_JSON_DEPTH: usize = 127;

/// The deepest nesting of arrays holding a value that MariaDB's `JSON_VALID` accepts (MySQL allows 100):
/// the limit on MySQL/MariaDB, so that both refuse the same documents.
pub const MAX_MYSQL_JSON_DEPTH: usize = 31;

/// A JSON document stored as `JSON` (JSON text on SQLite): what a schema
/// column declared `serde_json::Value` holds.
///
/// ```
/// use quarry::types::Json;
///
/// let doc = Json(serde_json::json!({"colour": "red"}));
/// assert_eq!(doc["colour"], "red"); // serde_json::Value's API, through Deref
/// ```
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[serde(transparent)]
#[diesel(sql_type = diesel::sql_types::Json)]
pub struct Json(pub Value);

/// A JSON document stored as `JSONB` on PostgreSQL, `JSON` on
/// MySQL/MariaDB and JSON text on SQLite.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[serde(transparent)]
#[diesel(sql_type = crate::sql_types::Jsonb)]
pub struct Jsonb(pub Value);

wrapper!(Json(Value));
wrapper!(Jsonb(Value));

/// How deeply arrays and objects nest in `value` (a scalar is 0).
fn depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 0usize)];
    while let Some((value, level)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(fields) => Box::new(fields.values()),
            _ => continue,
        };
        deepest = deepest.max(level + 1);
        stack.extend(children.map(|child| (child, level + 1)));
    }
    deepest
}

fn readable(value: &Value, limit: usize) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let depth = depth(value);
    if depth > limit {
        return refuse(format!(
            "a JSON document nested {depth} levels deep would not read back: this backend allows {limit} levels"
        ));
    }
    Ok(())
}

macro_rules! json_on {
    ($backend:ty, $jsonb_native:ty, $limit:expr) => {
        impl diesel::serialize::ToSql<diesel::sql_types::Json, $backend> for Json {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, $backend>,
            ) -> diesel::serialize::Result {
                readable(&self.0, $limit)?;
                <Value as diesel::serialize::ToSql<diesel::sql_types::Json, $backend>>::to_sql(&self.0, out)
            }
        }
        impl diesel::deserialize::FromSql<diesel::sql_types::Json, $backend> for Json {
            fn from_sql(
                value: <$backend as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                <Value as diesel::deserialize::FromSql<diesel::sql_types::Json, $backend>>::from_sql(value).map(Json)
            }
        }
        crate::types::delegate!($backend: crate::sql_types::Jsonb => $jsonb_native, Jsonb(Value), |v| readable(&v.0, $limit));
    };
}

#[cfg(feature = "sqlite")]
json_on!(diesel::sqlite::Sqlite, diesel::sql_types::Json, MAX_JSON_DEPTH);
#[cfg(feature = "postgres")]
json_on!(diesel::pg::Pg, diesel::sql_types::Jsonb, MAX_JSON_DEPTH);
#[cfg(feature = "mysql")]
json_on!(diesel::mysql::Mysql, diesel::sql_types::Json, MAX_MYSQL_JSON_DEPTH);

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(levels: usize) -> String {
        format!("{}{}", "[".repeat(levels), "]".repeat(levels))
    }

    #[test]
    fn the_depth_limit_is_what_serde_json_reads_back() {
        let deepest: Value = serde_json::from_str(&nested(MAX_JSON_DEPTH)).unwrap();
        assert_eq!(depth(&deepest), MAX_JSON_DEPTH);
        assert!(readable(&deepest, MAX_JSON_DEPTH).is_ok());
        assert!(serde_json::from_str::<Value>(&nested(MAX_JSON_DEPTH + 1)).is_err());
        let mut deeper = deepest;
        deeper = Value::Array(vec![deeper]);
        assert!(readable(&deeper, MAX_JSON_DEPTH).unwrap_err().to_string().contains("128 levels"));
        assert_eq!(depth(&serde_json::json!({"a": [1, {"b": 2}]})), 3);
        assert_eq!(depth(&serde_json::json!(1)), 0);
    }
}
