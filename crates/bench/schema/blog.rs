//! diesel_bench's schema: users, their posts, the posts' comments.

/// A user; `hair_color` is what the medium query filters on.
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    pub name: String,
    pub hair_color: Option<String>,
    #[relation(has_many, back_populates = user)]
    pub posts: Vec<Post>,
}

/// A post by a user.
#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = users.id)]
    pub user_id: i32,
    pub title: String,
    pub body: Option<String>,
    #[relation(belongs_to, back_populates = posts)]
    pub user: User,
    #[relation(has_many, back_populates = post)]
    pub comments: Vec<Comment>,
}

/// A comment on a post.
#[table(name = "comments")]
pub struct Comment {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = posts.id)]
    pub post_id: i32,
    pub text: String,
    #[relation(belongs_to, back_populates = comments)]
    pub post: Post,
}
