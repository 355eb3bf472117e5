//! Emitters: read a checked [`Schema`](crate::ir::Schema), write text.

pub mod rust;
