//! The Rust side: which struct maps which table, which field which column,
//! and the relations between models. It names tables and columns by SQL
//! name, pointing into the [`db`](crate::db) schema beside it.

use serde::{Deserialize, Serialize};

use crate::{List, Names, Str};

/// One model struct and the table it maps.
///
/// Its JSON (the generated `METADATA`) leaves out what it can rebuild: a
/// field named like its column with no client default is the bare name, a
/// relation's `table` is the model's, and empty or default parts are
/// omitted (see [`wire`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "wire::Model", from = "wire::Model")]
pub struct Model {
    /// The struct's name, e.g. `Author`.
    pub name: Str,
    /// The SQL name of its table.
    pub table: Str,
    /// One field per column, in column order.
    pub fields: List<Field>,
    pub relations: List<Relation>,
    /// The table's place in foreign-key order, computed once by the code
    /// generator ([`order`](crate::order)): every table it references, itself
    /// and keys that close a cycle aside, has a lower rank. The unit of work
    /// writes tables in this order.
    pub rank: u16,
}

impl Model {
    /// The relation with this field name.
    pub fn relation(&self, name: &str) -> Option<&Relation> {
        self.relations.iter().find(|r| r.name == name)
    }

    /// The field that holds the column `column`.
    pub fn field_of(&self, column: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.column == column)
    }
}

/// A struct field that holds a column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// The Rust name, without `r#`.
    pub name: Str,
    /// The SQL name of its column.
    pub column: Str,
    /// The client default `New*::new` applies, as Rust source text.
    pub default: Option<Str>,
}

/// How many rows a relation reaches, and through what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RelationKind {
    /// Many children hold a foreign key to this row.
    HasMany,
    /// One child holds a foreign key to this row.
    HasOne,
    /// This row holds a foreign key to its parent.
    BelongsTo,
    /// Rows linked through an association table.
    ManyToMany,
}

/// What a relation carries to related rows (SQLAlchemy's `cascade`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Cascade {
    pub save_update: bool,
    pub merge: bool,
    pub delete: bool,
    pub delete_orphan: bool,
    pub refresh_expire: bool,
}

/// A relation: how rows of one table reach rows of another.
///
/// For every kind, `local_columns[i]` of this table equals
/// `remote_columns[i]` of the next table on the path: the target, or for
/// many-to-many the association table (whose `through` holds the second hop).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// The relation's field name.
    pub name: Str,
    pub kind: RelationKind,
    /// SQL name of the table the relation starts from.
    pub table: Str,
    /// SQL name of the related table.
    pub target: Str,
    /// Columns of this table.
    pub local_columns: Names,
    /// Columns of the target (or of the association table).
    pub remote_columns: Names,
    /// For many-to-many: the association table.
    pub through: Option<Through>,
    /// The relation on the target that mirrors this one.
    pub back_populates: Option<Str>,
    pub cascade: Cascade,
    /// Deleting a row through the session leaves this relation's dependants
    /// to the foreign key's `ON DELETE` (SQLAlchemy's `passive_deletes=True`):
    /// the session issues no statement for them.
    #[serde(default)]
    pub passive_deletes: bool,
    /// The declared order of related rows.
    pub order_by: List<OrderBy>,
}

/// One key of a relation's `order_by`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderBy {
    /// A column of the target table.
    pub column: Str,
    pub desc: bool,
}

/// The association table of a many-to-many relation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Through {
    /// SQL name of the association table.
    pub table: Str,
    /// Its columns that reference the target.
    pub target_columns: Names,
    /// The target's columns they reference.
    pub target_ref_columns: Names,
}

/// The compact JSON form of a [`Model`]: what the code generator writes and
/// the runtime reads, about half the size of the plain derive's (a 300-table
/// schema's `METADATA` is the largest part of its generated module).
mod wire {
    use serde::{Deserialize, Serialize};

    use crate::{List, Names, Str};

    #[derive(Serialize, Deserialize)]
    pub struct Model {
        name: Str,
        table: Str,
        /// Absent in the generated `METADATA` when every field is named
        /// like its column, in column order: the reader fills them in from
        /// the table (`Metadata::fill_left_out`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        fields: Vec<Field>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        relations: Vec<Relation>,
        rank: u16,
    }

    /// A field: its name alone when it names its column and has no client
    /// default.
    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Field {
        Plain(Str),
        Full {
            name: Str,
            column: Str,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            default: Option<Str>,
        },
    }

    /// A relation without its `table` (the model's): `[name, kind, target,
    /// local_columns, remote_columns, back_populates]` when nothing else is
    /// declared, else an object with the defaults left out.
    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Relation {
        Plain(Str, super::RelationKind, Str, Names, Names, Option<Str>),
        Full {
            name: Str,
            kind: super::RelationKind,
            target: Str,
            local_columns: Names,
            remote_columns: Names,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            through: Option<super::Through>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            back_populates: Option<Str>,
            #[serde(default, skip_serializing_if = "is_default")]
            cascade: super::Cascade,
            #[serde(default, skip_serializing_if = "is_false")]
            passive_deletes: bool,
            #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
            order_by: List<super::OrderBy>,
        },
    }

    impl Relation {
        /// The object form, defaults filled in for what the array leaves out.
        fn into_full(self) -> Relation {
            match self {
                Relation::Plain(name, kind, target, local_columns, remote_columns, back_populates) => Relation::Full {
                    name,
                    kind,
                    target,
                    local_columns,
                    remote_columns,
                    through: None,
                    back_populates,
                    cascade: super::Cascade::default(),
                    passive_deletes: false,
                    order_by: List::Borrowed(&[]),
                },
                full => full,
            }
        }
    }

    fn is_default(cascade: &super::Cascade) -> bool {
        *cascade == super::Cascade::default()
    }

    fn is_false(value: &bool) -> bool {
        !value
    }

    impl From<super::Model> for Model {
        fn from(model: super::Model) -> Model {
            let fields = model
                .fields
                .iter()
                .map(|f| match f {
                    super::Field { name, column, default: None } if name == column => Field::Plain(name.clone()),
                    super::Field { name, column, default } => {
                        Field::Full { name: name.clone(), column: column.clone(), default: default.clone() }
                    }
                })
                .collect();
            let relations = model
                .relations
                .iter()
                .map(|r| {
                    let plain =
                        r.through.is_none() && is_default(&r.cascade) && !r.passive_deletes && r.order_by.is_empty();
                    if plain {
                        let (columns, back) = (r.local_columns.clone(), r.back_populates.clone());
                        return Relation::Plain(
                            r.name.clone(),
                            r.kind,
                            r.target.clone(),
                            columns,
                            r.remote_columns.clone(),
                            back,
                        );
                    }
                    Relation::Full {
                        name: r.name.clone(),
                        kind: r.kind,
                        target: r.target.clone(),
                        local_columns: r.local_columns.clone(),
                        remote_columns: r.remote_columns.clone(),
                        through: r.through.clone(),
                        back_populates: r.back_populates.clone(),
                        cascade: r.cascade,
                        passive_deletes: r.passive_deletes,
                        order_by: r.order_by.clone(),
                    }
                })
                .collect();
            Model { name: model.name, table: model.table, fields, relations, rank: model.rank }
        }
    }

    impl From<Model> for super::Model {
        fn from(model: Model) -> super::Model {
            let fields = model
                .fields
                .into_iter()
                .map(|f| match f {
                    Field::Plain(name) => super::Field { column: name.clone(), name, default: None },
                    Field::Full { name, column, default } => super::Field { name, column, default },
                })
                .collect::<Vec<_>>();
            let table = &model.table;
            let relations = model
                .relations
                .into_iter()
                .map(|r| {
                    let Relation::Full {
                        name,
                        kind,
                        target,
                        local_columns,
                        remote_columns,
                        through,
                        back_populates,
                        cascade,
                        passive_deletes,
                        order_by,
                    } = r.into_full()
                    else {
                        unreachable!("into_full gives the object form")
                    };
                    super::Relation {
                        name,
                        kind,
                        table: table.clone(),
                        target,
                        local_columns,
                        remote_columns,
                        through,
                        back_populates,
                        cascade,
                        passive_deletes,
                        order_by,
                    }
                })
                .collect::<Vec<_>>();
            super::Model {
                name: model.name,
                table: model.table,
                fields: fields.into(),
                relations: relations.into(),
                rank: model.rank,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        let relation = |name: &'static str, kind, through, cascade| Relation {
            name: name.into(),
            kind,
            table: "articles".into(),
            target: "tags".into(),
            local_columns: vec!["id".into()].into(),
            remote_columns: vec!["article_id".into()].into(),
            through,
            back_populates: Some("articles".into()),
            cascade,
            passive_deletes: kind == RelationKind::HasMany,
            order_by: vec![OrderBy { column: "name".into(), desc: true }].into(),
        };
        let through = Through {
            table: "article_tags".into(),
            target_columns: vec!["tag_id".into()].into(),
            target_ref_columns: vec!["id".into()].into(),
        };
        let all = Cascade { save_update: true, merge: true, delete: true, delete_orphan: true, refresh_expire: true };
        Model {
            name: "Article".into(),
            table: "articles".into(),
            fields: vec![
                Field { name: "id".into(), column: "id".into(), default: None },
                Field { name: "kind".into(), column: "type".into(), default: None },
                Field { name: "views".into(), column: "views".into(), default: Some("0".into()) },
            ]
            .into(),
            relations: vec![
                relation("tags", RelationKind::ManyToMany, Some(through), Cascade::default()),
                relation("notes", RelationKind::HasMany, None, all),
            ]
            .into(),
            rank: 3,
        }
    }

    #[test]
    fn the_compact_json_reads_back_as_the_same_model() {
        let json = serde_json::to_string(&model()).unwrap();
        assert_eq!(serde_json::from_str::<Model>(&json).unwrap(), model());
    }

    #[test]
    fn the_compact_json_leaves_out_what_it_can_rebuild() {
        let json = serde_json::to_string(&Model { relations: List::Borrowed(&[]), ..model() }).unwrap();
        assert_eq!(
            json,
            r#"{"name":"Article","table":"articles","fields":["id",{"name":"kind","column":"type"},{"name":"views","column":"views","default":"0"}],"rank":3}"#
        );
        let mut plain = model();
        plain.relations.to_mut()[0].order_by = List::Borrowed(&[]);
        let relation = &serde_json::to_value(&plain).unwrap()["relations"][0];
        let mut keys: Vec<&str> = relation.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["back_populates", "kind", "local_columns", "name", "remote_columns", "target", "through"]);
    }

    #[test]
    fn a_plain_relation_is_an_array() {
        let mut plain = model();
        let relation = &mut plain.relations.to_mut()[1];
        (relation.cascade, relation.passive_deletes, relation.order_by) =
            (Cascade::default(), false, List::Borrowed(&[]));
        let json = serde_json::to_value(&plain).unwrap();
        assert_eq!(
            json["relations"][1],
            serde_json::json!(["notes", "HasMany", "tags", ["id"], ["article_id"], "articles"])
        );
        assert!(json["relations"][0].is_object(), "a many-to-many relation has its `through`");
        assert_eq!(serde_json::from_value::<Model>(json).unwrap(), plain);
    }
}
