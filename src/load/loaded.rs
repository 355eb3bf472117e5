//! A row with its loaded relations, and what makes reading an unloaded
//! one a compile error.

use std::marker::PhantomData;
use std::ops::Deref;

use super::Relationship;
use crate::model::Model;
use crate::relation::Relation;

/// A row with the relations that were loaded for it. Derefs to the row;
/// [`get`](Self::get) hands out a loaded relation.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded<M, W = ()> {
    pub(super) row: M,
    pub(super) with: W,
}

impl<M, W> Deref for Loaded<M, W> {
    type Target = M;

    fn deref(&self) -> &M {
        &self.row
    }
}

impl<M, W> Loaded<M, W> {
    /// The row itself.
    pub fn row(&self) -> &M {
        &self.row
    }

    /// The row, without its relations.
    pub fn into_row(self) -> M {
        self.row
    }

    /// The related rows of `relation`: a `Vec` for has_many, the row for a
    /// required belongs_to, an `Option` otherwise. Compiles only when
    /// `relation` was loaded.
    pub fn get<R, I>(&self, relation: R) -> &R::Value
    where
        R: Loadable<W, I>,
    {
        let _ = relation;
        R::pick(&self.with)
    }
}

/// A relation among the loaded relations `W` of a row (at position `I`,
/// inferred): what makes [`Loaded::get`] compile only for loaded relations.
#[diagnostic::on_unimplemented(
    message = "this relation was not loaded: `{Self}`",
    label = "not among the relations this row was loaded with",
    note = "add it to the relations passed to `Session::load` (or load it on demand with `Session::related`)"
)]
pub trait Loadable<W, I> {
    /// What the relation holds: `Vec<Loaded<To, _>>`, `Loaded<To, _>` or an `Option` of it.
    type Value;
    #[doc(hidden)]
    fn pick(with: &W) -> &Self::Value;
}

impl<From: Model, To: Model, Via, N, W: Get<N, I>, I> Loadable<W, I> for Relation<From, To, Via, N> {
    type Value = W::Value;

    fn pick(with: &W) -> &W::Value {
        with.get()
    }
}

/// A loaded row serializes as the row's fields followed by one field per
/// loaded relation, named as in the schema:
/// `{"id": 1, "name": "Ada", "articles": [{"id": 7, ..., "comments": []}]}`.
impl<M: serde::Serialize, W: Slots> serde::Serialize for Loaded<M, W> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        #[serde(bound(serialize = "M: serde::Serialize, W: Slots"))]
        struct Flat<'a, M, W> {
            #[serde(flatten)]
            row: &'a M,
            #[serde(flatten)]
            with: SlotMap<'a, W>,
        }
        Flat { row: &self.row, with: SlotMap(&self.with) }.serialize(serializer)
    }
}

/// The loaded relations of a row, as map entries.
struct SlotMap<'a, W>(&'a W);

impl<W: Slots> serde::Serialize for SlotMap<'_, W> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        self.0.entries(&mut map)?;
        map.end()
    }
}

/// Loaded relations that serialize, each under its relation's name.
pub trait Slots {
    #[doc(hidden)]
    fn entries<S: serde::ser::SerializeMap>(&self, map: &mut S) -> std::result::Result<(), S::Error>;
}

impl Slots for () {
    fn entries<S: serde::ser::SerializeMap>(&self, _: &mut S) -> std::result::Result<(), S::Error> {
        Ok(())
    }
}

impl<N: Relationship, V: serde::Serialize, T: Slots> Slots for (Slot<N, V>, T) {
    fn entries<S: serde::ser::SerializeMap>(&self, map: &mut S) -> std::result::Result<(), S::Error> {
        map.serialize_entry(N::NAME, &self.0.value)?;
        self.1.entries(map)
    }
}

/// One loaded relation of a row, named by its relation type `N`.
#[derive(Debug, Clone)]
pub struct Slot<N, V> {
    pub(super) value: V,
    _name: PhantomData<N>,
}

/// Equal values: the relation type is only a name.
impl<N, V: PartialEq> PartialEq for Slot<N, V> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<N, V> Slot<N, V> {
    pub(super) fn new(value: V) -> Self {
        Slot { value, _name: PhantomData }
    }
}

/// The loaded relations of a row include `N` (at position `I`, inferred).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the relation `{N}` was not loaded",
    label = "not among the relations this row was loaded with",
    note = "add it to the relations passed to `Session::load` (or load it on demand with `Session::related`)"
)]
pub trait Get<N, I> {
    /// What the relation holds: `Vec<Loaded<To, _>>`, `Loaded<To, _>` or an `Option` of it.
    type Value;
    #[doc(hidden)]
    fn get(&self) -> &Self::Value;
}

/// Position markers for [`Get`].
#[doc(hidden)]
pub struct Here;
#[doc(hidden)]
pub struct There<I>(PhantomData<I>);

impl<N, V, T> Get<N, Here> for (Slot<N, V>, T) {
    type Value = V;

    fn get(&self) -> &V {
        &self.0.value
    }
}

impl<N, H, T: Get<N, I>, I> Get<N, There<I>> for (H, T) {
    type Value = T::Value;

    fn get(&self) -> &T::Value {
        self.1.get()
    }
}
