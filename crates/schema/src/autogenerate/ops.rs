//! The operations of a migration and their reverses.

use serde::{Deserialize, Serialize};

use crate::db::{Check, Column, Enum, ForeignKey, Index, Table, Unique};
use crate::Names;

/// One change to a database schema. Tables are named by SQL name; a
/// constraint or column that goes away is carried whole, so that the
/// reverse can recreate it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Operation {
    CreateEnum(Enum),
    DropEnum(Enum),
    /// The values of an enum changed (PostgreSQL `ALTER TYPE`, MySQL
    /// `MODIFY ... ENUM(...)`, SQLite a new `CHECK`).
    AlterEnum {
        from: Enum,
        to: Enum,
    },
    CreateTable(Table),
    DropTable(Table),
    RenameTable {
        from: String,
        to: String,
    },
    AddColumn {
        table: String,
        column: Column,
    },
    DropColumn {
        table: String,
        column: Column,
    },
    RenameColumn {
        table: String,
        from: String,
        to: String,
    },
    /// Type, nullability, default or comment changed.
    AlterColumn {
        table: String,
        from: Column,
        to: Column,
    },
    SetPrimaryKey {
        table: String,
        from: Names,
        to: Names,
    },
    AddUnique {
        table: String,
        unique: Unique,
    },
    DropUnique {
        table: String,
        unique: Unique,
    },
    AddIndex {
        table: String,
        index: Index,
    },
    DropIndex {
        table: String,
        index: Index,
    },
    AddCheck {
        table: String,
        check: Check,
    },
    DropCheck {
        table: String,
        check: Check,
    },
    AddForeignKey {
        table: String,
        foreign_key: ForeignKey,
    },
    DropForeignKey {
        table: String,
        foreign_key: ForeignKey,
    },
    SetTableComment {
        table: String,
        from: Option<crate::Str>,
        to: Option<crate::Str>,
    },
}

impl Operation {
    /// The operation that undoes this one.
    pub fn inverse(&self) -> Operation {
        use Operation::*;
        let table = |t: &String| t.clone();
        match self {
            CreateEnum(e) => DropEnum(e.clone()),
            DropEnum(e) => CreateEnum(e.clone()),
            AlterEnum { from, to } => AlterEnum { from: to.clone(), to: from.clone() },
            CreateTable(t) => DropTable(t.clone()),
            DropTable(t) => CreateTable(t.clone()),
            RenameTable { from, to } => RenameTable { from: to.clone(), to: from.clone() },
            AddColumn { table: t, column } => DropColumn { table: table(t), column: column.clone() },
            DropColumn { table: t, column } => AddColumn { table: table(t), column: column.clone() },
            RenameColumn { table: t, from, to } => RenameColumn { table: table(t), from: to.clone(), to: from.clone() },
            AlterColumn { table: t, from, to } => AlterColumn { table: table(t), from: to.clone(), to: from.clone() },
            SetPrimaryKey { table: t, from, to } => {
                SetPrimaryKey { table: table(t), from: to.clone(), to: from.clone() }
            }
            AddUnique { table: t, unique } => DropUnique { table: table(t), unique: unique.clone() },
            DropUnique { table: t, unique } => AddUnique { table: table(t), unique: unique.clone() },
            AddIndex { table: t, index } => DropIndex { table: table(t), index: index.clone() },
            DropIndex { table: t, index } => AddIndex { table: table(t), index: index.clone() },
            AddCheck { table: t, check } => DropCheck { table: table(t), check: check.clone() },
            DropCheck { table: t, check } => AddCheck { table: table(t), check: check.clone() },
            AddForeignKey { table: t, foreign_key } => {
                DropForeignKey { table: table(t), foreign_key: foreign_key.clone() }
            }
            DropForeignKey { table: t, foreign_key } => {
                AddForeignKey { table: table(t), foreign_key: foreign_key.clone() }
            }
            SetTableComment { table: t, from, to } => {
                SetTableComment { table: table(t), from: to.clone(), to: from.clone() }
            }
        }
    }

    /// Whether running this loses data that its reverse cannot bring back
    /// (rows of a dropped table, values of a dropped column).
    pub fn destroys_data(&self) -> bool {
        matches!(self, Operation::DropTable(_) | Operation::DropColumn { .. })
    }
}

/// The downgrade of `upgrade`: each operation's inverse, last first.
pub fn reverse(upgrade: &[Operation]) -> Vec<Operation> {
    upgrade.iter().rev().map(Operation::inverse).collect()
}
