//! Two tables that reference each other: a department has a head, who
//! works in a department.

#[table(name = "departments")]
pub struct Department {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = people.id, on_delete = set_null)]
    pub head_id: Option<i32>,
}

#[table(name = "people")]
pub struct Person {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = departments.id)]
    pub department_id: Option<i32>,
}
