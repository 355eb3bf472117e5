#[db_enum(name = "state")]
pub enum State { Open, Pending, Closed }
/// People who sign in.
#[table(name = "users", renamed_from = "people")]
#[unique(display_name)]
pub struct User {
    #[column(primary_key)] pub id: i32,
    #[column(renamed_from = "fullname", max_length = 80)] pub display_name: String,
    pub state: State,
    pub age: i64,
}
