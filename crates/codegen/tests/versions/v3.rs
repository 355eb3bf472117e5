#[table(name = "authors")]
pub struct Author { #[column(primary_key)] pub id: i32, #[column(max_length = 50)] pub name: String }
#[table(name = "posts")]
#[index(views)]
pub struct Post { #[column(primary_key)] pub id: i32, pub title: String, #[column(server_default = 0)] pub views: i32 }
#[table(name = "comments")]
pub struct Comment {
    #[column(primary_key)] pub id: i32,
    #[column(references = posts.id, on_delete = cascade)] pub post_id: i32,
    #[column(max_length = 40, unique)] pub slug: String,
}
