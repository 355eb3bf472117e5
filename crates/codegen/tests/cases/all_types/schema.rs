//! Every column type, nullable and not, and every kind of default.

/// One of everything.
#[table(name = "samples")]
pub struct Sample {
    #[column(primary_key)]
    pub id: i64,
    pub small: i16,
    pub int: i32,
    pub big: i64,
    pub single: f32,
    pub double: f64,
    pub flag: bool,
    pub body: String,
    #[column(max_length = 40)]
    pub code: String,
    #[column(precision = 12, scale = 3)]
    pub amount: bigdecimal::BigDecimal,
    pub day: chrono::NaiveDate,
    pub clock: chrono::NaiveTime,
    pub local: chrono::NaiveDateTime,
    pub instant: chrono::DateTime<chrono::Utc>,
    pub doc: serde_json::Value,
    #[column(jsonb)]
    pub doc_b: serde_json::Value,
    pub bytes: Vec<u8>,
    pub maybe_small: Option<i16>,
    pub maybe_int: Option<i32>,
    pub maybe_big: Option<i64>,
    pub maybe_single: Option<f32>,
    pub maybe_double: Option<f64>,
    pub maybe_flag: Option<bool>,
    /// A nullable text with a comment.
    pub maybe_body: Option<String>,
    pub maybe_amount: Option<BigDecimal>,
    pub maybe_day: Option<NaiveDate>,
    pub maybe_instant: Option<DateTime<Utc>>,
    pub maybe_doc: Option<serde_json::Value>,
    pub maybe_bytes: Option<Vec<u8>>,
    pub maybe_clock: Option<NaiveTime>,
    /// The 32nd column: the widest table quarry allows, which `model!`
    /// sorts one column per expansion step, well inside rustc's recursion
    /// limit.
    pub maybe_local: Option<NaiveDateTime>,
}

/// Server and client defaults of every kind.
#[table(name = "defaults")]
pub struct Defaults {
    #[column(primary_key)]
    pub id: i32,
    #[column(server_default = 7)]
    pub seven: i32,
    #[column(server_default = -1)]
    pub minus_one: i64,
    #[column(server_default = 2.5)]
    pub ratio: f64,
    #[column(server_default = true)]
    pub on: bool,
    #[column(max_length = 20, server_default = "it's")]
    pub label: String,
    #[column(server_default = current_timestamp)]
    pub stamped: NaiveDateTime,
    #[column(server_default = current_date)]
    pub dated: NaiveDate,
    #[column(server_default = sql("1 + 1"))]
    pub computed: i32,
    #[column(default = 3)]
    pub client: i16,
    #[column(max_length = 10, default = "new")]
    pub client_text: String,
    #[column(default = 1.5, server_default = 1.5)]
    pub both: f32,
    #[column(default = 4)]
    pub maybe_client: Option<i32>,
}
