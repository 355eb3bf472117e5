//! What a contender does: each shape, on a connection of its own.

use crate::data::{NewTree, NewUser, Outcome, Stored};
use crate::Result;

/// A contender's result in its own types; turned into the plain form only
/// for the check, never while timed.
pub trait Output {
    /// The result in plain form.
    fn outcome(self: Box<Self>) -> Outcome;
}

/// A result with the function that puts it in plain form.
struct Converted<T>(T, fn(T) -> Outcome);

impl<T> Output for Converted<T> {
    fn outcome(self: Box<Self>) -> Outcome {
        (self.1)(self.0)
    }
}

/// `value` as an [`Output`], put in plain form by `convert` for the check.
pub fn output<T: 'static>(value: T, convert: fn(T) -> Outcome) -> Box<dyn Output> {
    Box::new(Converted(value, convert))
}

/// One library's way of running every shape on one backend. Each holds
/// one connection (a session for quarry) for as long as it lives, as
/// diesel_bench does: checking connections out is not measured.
pub trait Contender {
    /// The name in the tables: "quarry", "diesel", "rusqlite", ...
    fn name(&self) -> &'static str;

    /// Every row of `users`.
    fn trivial(&mut self) -> Result<Box<dyn Output>>;

    /// `users LEFT JOIN posts ON posts.user_id = users.id WHERE
    /// users.hair_color = 'black'`, as (user, optional post) pairs.
    fn medium(&mut self) -> Result<Box<dyn Output>>;

    /// Inserts `users`, in one statement where the library can. The rows
    /// are handed over by value, as a request's body is: a library that
    /// binds borrowed values borrows them, one that wants owned values
    /// moves them, and neither pays for a copy the other does not.
    fn insert(&mut self, users: Vec<NewUser>) -> Result<()>;

    /// Every user with its posts with their comments.
    fn associations(&mut self) -> Result<Box<dyn Output>>;

    /// Writes `trees` in one transaction: users, then posts with their
    /// users' keys, then comments with their posts' keys. By value, as
    /// [`insert`](Self::insert).
    fn nested_write(&mut self, trees: Vec<NewTree>) -> Result<()>;
}

/// The contender the others are checked against and the harness seeds,
/// empties and reads the tables with (hand-written diesel).
pub trait Reference: Contender {
    /// Creates the tables, with quarry's DDL: every contender shares them.
    fn create_tables(&mut self) -> Result<()>;

    /// Empties the three tables.
    fn clear(&mut self) -> Result<()>;

    /// What the tables hold, keys left out.
    fn stored(&mut self) -> Result<Stored>;
}
