#[table(name = "authors")]
pub struct Author { #[column(primary_key)] pub id: i32, #[column(max_length = 120)] pub name: Option<String> }
#[table(name = "posts")]
#[check(name = "ck_posts_views", sql = "views >= 0")]
pub struct Post { #[column(primary_key)] pub id: i32, #[column(server_default = 0)] pub views: i32 }
#[table(name = "comments")]
pub struct Comment {
    #[column(primary_key)] pub id: i32,
    #[column(references = posts.id, on_delete = cascade)] pub post_id: i32,
    #[column(max_length = 40, unique)] pub slug: String,
}
#[table(name = "post_authors")]
#[primary_key(post_id, author_id)]
#[index(author_id, post_id)]
pub struct PostAuthor {
    #[column(references = posts.id, on_delete = cascade)] pub post_id: i32,
    #[column(references = authors.id, on_delete = cascade)] pub author_id: i32,
}
