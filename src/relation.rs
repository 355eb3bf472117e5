//! Typed relation descriptors: `Author::ARTICLES` is a
//! `Relation<Author, Article>` describing how authors reach their articles,
//! and how the session's unit of work writes a new article for a new author.

use std::fmt;
use std::marker::PhantomData;

use crate::metadata::app;
use crate::model::Model;

/// A relation from rows of `From` to rows of `To`, as declared in the
/// schema. `Via` is the association table's `New*` type for a
/// many-to-many relation, `()` otherwise. `Name` is the relation's own
/// type, generated for each relation [`Session::load`](crate::Session::load)
/// can load (it names the relation in a loaded row's type), `()` otherwise.
pub struct Relation<From: Model, To: Model, Via = (), Name = ()> {
    /// Reads the relation's description from the generated `METADATA`.
    meta: fn() -> &'static app::Relation,
    wiring: Wiring<From, To, Via>,
    _types: Types<From, To, Via, Name>,
}

/// The type parameters a [`Relation`] carries without holding values of them.
type Types<From, To, Via, Name> = PhantomData<fn(From) -> (To, Via, Name)>;

/// Relation kinds as types: what the unit of work can write through a
/// relation. The code generator implements one of these for each
/// relation's own type (the descriptor's `Name` parameter) when the
/// relation's keys are one column, so that each session method accepts only
/// the relations it can honour, checked by rustc.
pub mod kind {
    /// has_many and has_one: [`Session::add_child`](crate::Session::add_child)
    /// writes a child with its parent's key.
    #[diagnostic::on_unimplemented(
        message = "`add_child` takes a has_many or has_one relation with a one-column key; `{Self}` is not one",
        note = "a belongs_to relation is written with `add_with_parent`, a many_to_many one with `link`"
    )]
    pub trait Children {}

    /// belongs_to: [`Session::add_with_parent`](crate::Session::add_with_parent)
    /// writes a row with its parent's key.
    #[diagnostic::on_unimplemented(
        message = "`add_with_parent` takes a belongs_to relation with a one-column key; `{Self}` is not one",
        note = "a has_many or has_one relation is written with `add_child`, a many_to_many one with `link`"
    )]
    pub trait Parent {}

    /// many_to_many: [`Session::link`](crate::Session::link) writes the
    /// association row from the two keys.
    #[diagnostic::on_unimplemented(
        message = "`link` takes a many_to_many relation whose association row is its two keys; `{Self}` is not one",
        note = "a has_many or has_one relation is written with `add_child`, a belongs_to one with `add_with_parent`"
    )]
    pub trait Link {}

    /// Relations [`Session::unlink`](crate::Session::unlink) can undo,
    /// all over one-column keys: many_to_many (the association row is
    /// deleted), has_many / has_one with `cascade = "delete-orphan"` (the
    /// child is deleted) or over a nullable key (the key is cleared), and
    /// belongs_to over a nullable key or whose parent side says
    /// delete-orphan. Not a has_many / has_one / belongs_to over a NOT NULL
    /// key without delete-orphan: the child cannot be left without a parent.
    #[diagnostic::on_unimplemented(
        message = "`unlink` cannot let go of rows through `{Self}`",
        note = "`unlink` takes a many_to_many relation, or a has_many, has_one or belongs_to one over a nullable foreign key or with cascade \"delete-orphan\"; all with one-column keys"
    )]
    pub trait Unlink {}
}

/// Sets a new row's foreign key (`row`) to a parent's key.
pub(crate) type SetKey<Row, Key> = fn(&mut Row, &Key);
/// Makes an association row from the keys of the two rows it links.
pub(crate) type MakeLink<A, B, Via> = fn(&A, &B) -> Via;

/// How the unit of work connects a new row to its related row.
enum Wiring<From: Model, To: Model, Via> {
    /// has_many / has_one: set the child's foreign key to the parent's key.
    Child(SetKey<To::New, From::Key>),
    /// belongs_to: set this row's foreign key to the parent's key.
    Parent(SetKey<From::New, To::Key>),
    /// many_to_many: make an association row from both keys.
    Link(MakeLink<From::Key, To::Key, Via>),
    /// A relation the unit of work cannot write (composite keys).
    None,
}

impl<From: Model, To: Model, Via> Clone for Wiring<From, To, Via> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<From: Model, To: Model, Via> Copy for Wiring<From, To, Via> {}

impl<From: Model, To: Model, Via, Name> Relation<From, To, Via, Name> {
    #[doc(hidden)]
    pub const fn __new(meta: fn() -> &'static app::Relation) -> Self {
        Relation { meta, wiring: Wiring::None, _types: PhantomData }
    }

    #[doc(hidden)]
    pub const fn __child(meta: fn() -> &'static app::Relation, set: fn(&mut To::New, &From::Key)) -> Self {
        Relation { meta, wiring: Wiring::Child(set), _types: PhantomData }
    }

    #[doc(hidden)]
    pub const fn __parent(meta: fn() -> &'static app::Relation, set: fn(&mut From::New, &To::Key)) -> Self {
        Relation { meta, wiring: Wiring::Parent(set), _types: PhantomData }
    }

    #[doc(hidden)]
    pub const fn __link(meta: fn() -> &'static app::Relation, link: fn(&From::Key, &To::Key) -> Via) -> Self {
        Relation { meta, wiring: Wiring::Link(link), _types: PhantomData }
    }

    /// The relation's description: kind, keys, association table, cascade.
    pub fn meta(&self) -> &'static app::Relation {
        (self.meta)()
    }

    /// The error for a session method that cannot write this relation.
    pub(crate) fn wrong_kind(&self, method: &'static str, expected: &'static str) -> crate::Error {
        crate::Error::WrongRelation {
            method,
            expected,
            table: &self.meta().table,
            relation: &self.meta().name,
            kind: self.meta().kind,
        }
    }

    pub(crate) fn child_setter(&self) -> Option<SetKey<To::New, From::Key>> {
        match self.wiring {
            Wiring::Child(set) => Some(set),
            _ => None,
        }
    }

    pub(crate) fn parent_setter(&self) -> Option<SetKey<From::New, To::Key>> {
        match self.wiring {
            Wiring::Parent(set) => Some(set),
            _ => None,
        }
    }

    pub(crate) fn linker(&self) -> Option<MakeLink<From::Key, To::Key, Via>> {
        match self.wiring {
            Wiring::Link(link) => Some(link),
            _ => None,
        }
    }
}

impl<From: Model, To: Model, Via, Name> Clone for Relation<From, To, Via, Name> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<From: Model, To: Model, Via, Name> Copy for Relation<From, To, Via, Name> {}

impl<From: Model, To: Model, Via, Name> fmt::Debug for Relation<From, To, Via, Name> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Relation").field(self.meta()).finish()
    }
}
