//! Self-referential tables: a category tree and a management chain.

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
    /// Left to `ON DELETE SET NULL`: deleting a manager is one statement.
    #[relation(has_many, foreign_key = manager_id, back_populates = manager, passive_deletes)]
    pub reports: Vec<Employee>,
}
