//! How many related rows each row has, and the type that holds them.

use crate::error::{Error, Result};

/// [`One`] and [`Optional`]: relations that reach one row at most.
pub trait ToOne: Cardinality {}
impl ToOne for One {}
impl ToOne for Optional {}

/// [`Many`]: relations that reach any number of rows, which an order or a
/// limit per parent applies to.
///
/// ```
/// # include!("../doctest_setup.rs");
/// # fn main() {
/// Author::ARTICLES.limit(3);      // has_many: compiles
/// // Article::AUTHOR.limit(3);    // belongs_to: "`.order_by(..)` and `.limit(..)` take a has_many or many_to_many relation"
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`.order_by(..)` and `.limit(..)` take a has_many or many_to_many relation; this one reaches at most one row (`{Self}`)",
    label = "a to-one relation",
    note = "a belongs_to or has_one relation loads one row per parent: there is nothing to order or limit"
)]
pub trait ToMany: Cardinality {}
impl ToMany for Many {}

/// How many related rows each row has, and the type that holds them.
pub trait Cardinality {
    /// `Vec<T>`, `T` or `Option<T>`.
    type Out<T>;
    /// What the relation holds under extra criteria, which may leave a
    /// required row out: [`One`] becomes [`Optional`].
    type Filtered: Cardinality;

    #[doc(hidden)]
    fn collect<T>(rows: Vec<T>, relation: &'static str) -> Result<Self::Out<T>>;
    #[doc(hidden)]
    fn map<T, U>(out: Self::Out<T>, f: impl FnMut(T) -> U) -> Self::Out<U>;
}

/// has_many: any number of related rows, as a `Vec`.
#[derive(Debug, Clone, Copy)]
pub struct Many;

/// belongs_to over a NOT NULL foreign key: exactly one related row.
#[derive(Debug, Clone, Copy)]
pub struct One;

/// has_one, or belongs_to over a nullable foreign key: zero or one row.
#[derive(Debug, Clone, Copy)]
pub struct Optional;

impl Cardinality for Many {
    type Out<T> = Vec<T>;
    type Filtered = Many;

    fn collect<T>(rows: Vec<T>, _: &'static str) -> Result<Vec<T>> {
        Ok(rows)
    }

    fn map<T, U>(out: Vec<T>, f: impl FnMut(T) -> U) -> Vec<U> {
        out.into_iter().map(f).collect()
    }
}

impl Cardinality for One {
    type Out<T> = T;
    type Filtered = Optional;

    fn collect<T>(rows: Vec<T>, relation: &'static str) -> Result<T> {
        let count = rows.len();
        let mut rows = rows.into_iter();
        match (rows.next(), count) {
            (Some(row), 1) => Ok(row),
            _ => Err(Error::RelatedRows { relation, expected: "exactly one", found: count }),
        }
    }

    fn map<T, U>(out: T, mut f: impl FnMut(T) -> U) -> U {
        f(out)
    }
}

impl Cardinality for Optional {
    type Out<T> = Option<T>;
    type Filtered = Optional;

    fn collect<T>(rows: Vec<T>, relation: &'static str) -> Result<Option<T>> {
        let count = rows.len();
        if count > 1 {
            return Err(Error::RelatedRows { relation, expected: "at most one", found: count });
        }
        Ok(rows.into_iter().next())
    }

    fn map<T, U>(out: Option<T>, f: impl FnMut(T) -> U) -> Option<U> {
        out.map(f)
    }
}
