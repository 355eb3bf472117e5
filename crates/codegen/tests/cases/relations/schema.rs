//! Authors, their articles, tags (many-to-many) and comments.

/// The life cycle of an article.
#[db_enum(name = "article_status")]
pub enum ArticleStatus {
    Draft,
    Published,
    #[value = "archived"]
    Archived,
}

/// A person who writes articles.
#[table(name = "authors")]
pub struct Author {
    #[column(primary_key)]
    pub id: i32,
    #[column(max_length = 100)]
    pub name: String,
    #[relation(has_many, back_populates = author, cascade = "all, delete-orphan",
               order_by = published.desc())]
    pub articles: Vec<Article>,
}

/// Something an author wrote.
#[table(name = "articles")]
#[index(author_id, published)]
#[check(name = "ck_articles_title", sql = "length(title) > 0")]
pub struct Article {
    #[column(primary_key)]
    pub id: i32,
    #[column(max_length = 200)]
    pub title: String,
    #[column(default = 0, server_default = 0)]
    pub views: i32,
    pub published: Option<NaiveDate>,
    #[column(default = ArticleStatus::Draft, server_default = "draft")]
    pub status: ArticleStatus,
    #[column(references = authors.id, on_delete = cascade)]
    pub author_id: i32,
    #[relation(belongs_to, back_populates = articles)]
    pub author: Author,
    #[relation(many_to_many, through = article_tags, back_populates = articles)]
    pub tags: Vec<Tag>,
    #[relation(has_many, back_populates = article, order_by = id)]
    pub comments: Vec<Comment>,
}

/// A label shared by many articles.
#[table(name = "tags")]
pub struct Tag {
    #[column(primary_key)]
    pub id: i32,
    #[column(max_length = 50, unique)]
    pub name: String,
    #[relation(many_to_many, through = article_tags, back_populates = tags)]
    pub articles: Vec<Article>,
}

/// Links articles and tags.
#[table(name = "article_tags")]
#[primary_key(article_id, tag_id)]
pub struct ArticleTag {
    #[column(references = articles.id, on_delete = cascade)]
    pub article_id: i32,
    #[column(references = tags.id, on_delete = cascade)]
    pub tag_id: i32,
}

/// A reader's remark on an article.
#[table(name = "comments")]
pub struct Comment {
    #[column(primary_key)]
    pub id: i64,
    #[column(references = articles.id, on_delete = cascade)]
    pub article_id: i32,
    pub body: String,
    pub score: f32,
    #[column(server_default = current_timestamp)]
    pub posted_at: NaiveDateTime,
    #[relation(belongs_to, back_populates = comments)]
    pub article: Article,
}

/// A node of the category tree.
#[table(name = "categories")]
#[unique(name = "uq_categories_parent_name", columns(parent_id, name))]
pub struct Category {
    #[column(primary_key)]
    pub id: i32,
    #[column(max_length = 80)]
    pub name: String,
    #[column(references = categories.id, on_delete = cascade)]
    pub parent_id: Option<i32>,
    #[relation(belongs_to, foreign_key = parent_id, back_populates = children)]
    pub parent: Option<Category>,
    #[relation(has_many, foreign_key = parent_id, back_populates = parent, order_by = name)]
    pub children: Vec<Category>,
}

/// Someone on the payroll; managers are employees too.
#[table(name = "employees")]
pub struct Employee {
    #[column(primary_key)]
    pub id: i64,
    #[column(max_length = 100)]
    pub name: String,
    #[column(references = employees.id, on_delete = set_null, on_update = cascade)]
    pub manager_id: Option<i64>,
    pub hired_on: NaiveDate,
    pub shift_start: NaiveTime,
    #[column(precision = 12, scale = 2)]
    pub salary: Option<BigDecimal>,
    pub badge: Option<Vec<u8>>,
    #[relation(belongs_to, foreign_key = manager_id, back_populates = reports)]
    pub manager: Option<Employee>,
    #[relation(has_many, foreign_key = manager_id, back_populates = manager)]
    pub reports: Vec<Employee>,
}
