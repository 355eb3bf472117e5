#[db_enum(name = "state")]
pub enum State { Open, Closed }
#[table(name = "people")]
pub struct Person { #[column(primary_key)] pub id: i32, pub fullname: String, pub state: State, pub age: i16 }
