//! A small JSON API on axum over the demo schema, one quarry session per
//! request: list authors with their articles (eager loaded, paginated),
//! get one, create one with its articles in one unit of work, delete one
//! with its articles (cascade).
//!
//! ```text
//! cargo run --example web --features axum                 # embedded SQLite file
//! DATABASE_URL=postgres://... cargo run --example web --features axum,postgres
//! DATABASE_URL=mysql://...    cargo run --example web --features axum,mysql
//! curl localhost:3000/authors?page=1&per_page=10
//! ```
//!
//! `PORT` picks the port (0: any free one); the first line printed says
//! where it listens. The embedded migrations run at start-up.

use std::net::SocketAddr;

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use diesel::prelude::*;
use quarry::asyncio::axum::{session_layer, Db};
use quarry::asyncio::AsyncEngine;
use serde::Deserialize;
use serde_json::json;

mod schema {
    quarry::include_schema!();
}

/// `migrations/`, embedded.
static MIGRATIONS: &[quarry::migrate::Migration] = quarry::embed_migrations!();

/// `?page=2&per_page=10`, both optional.
#[derive(Deserialize)]
struct PageParams {
    page: Option<i64>,
    per_page: Option<i64>,
}

/// The body of `POST /authors`.
#[derive(Deserialize)]
struct NewAuthorBody {
    name: String,
    #[serde(default)]
    articles: Vec<NewArticleBody>,
}

#[derive(Deserialize)]
struct NewArticleBody {
    title: String,
}

/// A quarry error as the API answers it: 404 for a missing row, 422 with
/// the constraint's name for a refused write, 503 when the database is
/// unavailable, 500 otherwise.
struct ApiError(quarry::Error);

impl From<quarry::Error> for ApiError {
    fn from(error: quarry::Error) -> Self {
        ApiError(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match &self.0 {
            quarry::Error::NotFound => (StatusCode::NOT_FOUND, json!({ "error": "not found" })),
            quarry::Error::Integrity(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "error": "integrity", "constraint": e.constraint, "message": e.message }),
            ),
            e if e.is_retryable() => (StatusCode::SERVICE_UNAVAILABLE, json!({ "error": e.to_string() })),
            e => (StatusCode::INTERNAL_SERVER_ERROR, json!({ "error": e.to_string() })),
        };
        (status, Json(body)).into_response()
    }
}

/// The routes for one backend's connection type: each handler's queries
/// are typed for it.
macro_rules! api {
    ($module:ident, $conn:ty) => {
        mod $module {
            use super::*;
            use schema::{authors, Author, NewArticle, NewAuthor};

            type Conn = $conn;

            pub fn router(engine: AsyncEngine<Conn>) -> Router {
                Router::new()
                    .route("/authors", get(list).post(create))
                    .route("/authors/{id}", get(one).delete(remove))
                    .layer(session_layer(engine))
            }

            /// `GET /authors`: a page of authors by name, each with its
            /// articles (two statements, whatever the page size).
            async fn list(mut db: Db<Conn>, Query(params): Query<PageParams>) -> Result<Response, ApiError> {
                let per_page = params.per_page.unwrap_or(20).clamp(1, 100);
                let offset = (params.page.unwrap_or(1).max(1) - 1) * per_page;
                let page = db
                    .run(move |s| {
                        let query = authors::table.order(authors::name).limit(per_page).offset(offset);
                        let rows = s.load(query, Author::ARTICLES)?;
                        let total: i64 = s.one(authors::table.count())?;
                        Ok(json!({ "authors": rows, "total": total }))
                    })
                    .await?;
                Ok(Json(page).into_response())
            }

            /// `GET /authors/{id}`: 404 when there is none.
            async fn one(mut db: Db<Conn>, Path(id): Path<i32>) -> Result<Response, ApiError> {
                let author = db
                    .run(move |s| {
                        let mut rows = s.load(authors::table.filter(authors::id.eq(id)), Author::ARTICLES)?;
                        rows.pop().ok_or(quarry::Error::NotFound)
                    })
                    .await?;
                Ok(Json(author).into_response())
            }

            /// `POST /authors`: the author and its articles in one unit of
            /// work; 201 with the new author, 422 if a constraint refuses a
            /// row (nothing is written then).
            async fn create(mut db: Db<Conn>, Json(body): Json<NewAuthorBody>) -> Result<Response, ApiError> {
                let author = db
                    .run(move |s| {
                        let author = s.add(NewAuthor::new(&body.name));
                        for article in body.articles {
                            s.add_child(author, Author::ARTICLES, move |id| NewArticle::new(&article.title, id))?;
                        }
                        let flushed = s.flush()?;
                        let id = *flushed.key(author).ok_or(quarry::Error::NotFound)?;
                        let mut rows = s.load(authors::table.filter(authors::id.eq(id)), Author::ARTICLES)?;
                        rows.pop().ok_or(quarry::Error::NotFound)
                    })
                    .await?;
                Ok((StatusCode::CREATED, Json(author)).into_response())
            }

            /// `DELETE /authors/{id}`: the author and, by its cascade, its
            /// articles; 204, or 404 when there is none.
            async fn remove(mut db: Db<Conn>, Path(id): Path<i32>) -> Result<Response, ApiError> {
                db.run(move |s| {
                    let author: Author = s.first(authors::table.find(id))?.ok_or(quarry::Error::NotFound)?;
                    s.delete(&author)?;
                    Ok(())
                })
                .await?;
                Ok(StatusCode::NO_CONTENT.into_response())
            }
        }
    };
}

#[cfg(feature = "sqlite")]
api!(sqlite_api, diesel::SqliteConnection);
#[cfg(feature = "postgres")]
api!(postgres_api, diesel::PgConnection);
#[cfg(feature = "mysql")]
api!(mysql_api, diesel::MysqlConnection);

/// The router for `url`'s backend, its migrations applied.
async fn app(url: &str) -> quarry::Result<Router> {
    let scheme = url.split(':').next().unwrap_or_default();
    match scheme {
        #[cfg(feature = "sqlite")]
        "sqlite" => {
            let engine = AsyncEngine::connect(url).await?;
            engine.run_migrations(MIGRATIONS).await?;
            Ok(sqlite_api::router(engine))
        }
        #[cfg(feature = "postgres")]
        "postgres" | "postgresql" => {
            let engine = AsyncEngine::connect(url).await?;
            engine.run_migrations(MIGRATIONS).await?;
            Ok(postgres_api::router(engine))
        }
        #[cfg(feature = "mysql")]
        "mysql" | "mariadb" => {
            let engine = AsyncEngine::connect(url).await?;
            engine.run_migrations(MIGRATIONS).await?;
            Ok(mysql_api::router(engine))
        }
        _ => Err(quarry::Error::InvalidUrl {
            url: url.to_owned(),
            reason: format!("this example was built without the `{scheme}` backend feature"),
        }),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite:///target/web.sqlite3".to_owned());
    let port: u16 = std::env::var("PORT").ok().map(|p| p.parse()).transpose()?.unwrap_or(3000);
    let router = app(&url).await?;
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router).await?;
    Ok(())
}
