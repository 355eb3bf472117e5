//! Typed relation descriptors: `Author::ARTICLES` is a
//! `Relation<Author, Article>` describing how authors reach their articles.

use std::fmt;
use std::marker::PhantomData;

use crate::metadata::RelationMeta;

/// A relation from rows of `From` to rows of `To`, as declared in the schema.
pub struct Relation<From, To> {
    meta: &'static RelationMeta,
    _types: PhantomData<fn(From) -> To>,
}

impl<From, To> Relation<From, To> {
    #[doc(hidden)]
    pub const fn __new(meta: &'static RelationMeta) -> Self {
        Relation { meta, _types: PhantomData }
    }

    /// The relation's description: kind, keys, association table, cascade.
    pub const fn meta(&self) -> &'static RelationMeta {
        self.meta
    }
}

impl<From, To> Clone for Relation<From, To> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<From, To> Copy for Relation<From, To> {}

impl<From, To> fmt::Debug for Relation<From, To> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Relation").field(&self.meta).finish()
    }
}
