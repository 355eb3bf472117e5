#[table(name = "authors")]
pub struct Author { #[column(primary_key)] pub id: i32, #[column(max_length = 50)] pub name: String }
#[table(name = "posts")]
pub struct Post { #[column(primary_key)] pub id: i32, pub title: String }
