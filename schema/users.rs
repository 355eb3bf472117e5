//! Users and their one-to-one profiles.

/// A person who can sign in.
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    /// The unique sign-in name.
    #[column(max_length = 50, unique)]
    pub name: String,
    #[column(max_length = 120)]
    pub email: String,
    pub fullname: Option<String>,
    #[column(default = true, server_default = true)]
    pub is_active: bool,
    #[column(server_default = current_timestamp)]
    pub created_at: DateTime<Utc>,
    #[relation(has_one, back_populates = user, cascade = "all, delete-orphan")]
    pub profile: Option<Profile>,
    #[relation(has_many, back_populates = customer)]
    pub orders: Vec<Order>,
}

/// Extra details of a user, at most one per user.
#[table(name = "profiles")]
pub struct Profile {
    #[column(primary_key)]
    pub id: i32,
    #[column(unique, references = users.id, on_delete = cascade)]
    pub user_id: i32,
    pub bio: String,
    pub avatar: Option<Vec<u8>>,
    #[column(jsonb)]
    pub settings: serde_json::Value,
    #[relation(belongs_to, back_populates = profile)]
    pub user: User,
}
