//! SQL keywords, Rust keywords, quotes, spaces and non-ASCII letters as
//! names: each must give working code and SQL on every backend.

/// Rust keywords as variants, written raw.
#[db_enum(name = "kind")]
pub enum Kind {
    r#type,
    r#match,
}

#[table(name = "order")]
pub struct Order {
    #[column(primary_key)]
    pub id: i32,
    #[column(name = "group")]
    pub group: i32,
    #[column(max_length = 20)]
    pub r#type: String,
    pub r#match: Option<String>,
    #[column(name = "self")]
    pub self_: i32,
    #[column(name = "select", max_length = 10, index)]
    pub select: String,
    /// Names that diesel's `table!` and quarry's generated code use
    /// nearby, yet fine as columns.
    pub row: Option<i32>,
    pub S: Option<i32>,
    pub kind: Option<Kind>,
    /// Named like a diesel SQL type, which the `table!` call then names
    /// by path rather than bare.
    pub Text: Option<String>,
}

#[table(name = "user")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    #[column(name = "it's", max_length = 30, unique)]
    pub its: String,
    #[column(name = "first name", max_length = 30)]
    pub first_name: String,
    #[column(name = "café")]
    pub café: Option<i32>,
    #[column(references = order.id, on_delete = cascade)]
    pub order_id: Option<i32>,
}

#[table(name = "group by")]
pub struct GroupBy {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = user.id)]
    pub user_id: i32,
}

#[table(name = "données")]
pub struct Donnée {
    #[column(primary_key)]
    pub id: i32,
    #[column(name = "quote\"d")]
    pub quoted: String,
    #[column(references = "group by.id", on_delete = set_null)]
    pub group_id: Option<i32>,
}
