//! Tables and an enum in a PostgreSQL schema (namespace).

#[db_enum(name = "role", schema = "auth")]
pub enum Role {
    Admin,
    Member,
}

/// An account, in the `auth` schema.
#[table(name = "accounts", schema = "auth")]
pub struct Account {
    #[column(primary_key)]
    pub id: i32,
    #[column(max_length = 64, unique)]
    pub login: String,
    pub role: Role,
}

#[table(name = "sessions", schema = "auth")]
#[index(account_id)]
pub struct Session {
    #[column(primary_key)]
    pub id: i64,
    #[column(references = accounts.id, on_delete = cascade)]
    pub account_id: i32,
}

/// A table outside the namespace referencing one inside it.
#[table(name = "audit")]
pub struct Audit {
    #[column(primary_key)]
    pub id: i64,
    #[column(references = accounts.id)]
    pub account_id: Option<i32>,
}
