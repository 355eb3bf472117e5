#[db_enum(name = "position")]
pub enum Position { Keeper, Field }

#[table(name = "teams")]
pub struct Team { #[column(primary_key)] pub id: i32, #[column(max_length = 40)] pub name: String }

#[table(name = "players")]
pub struct Player {
    #[column(primary_key)] pub id: i32,
    #[column(references = teams.id, on_delete = cascade)] pub team_id: i32,
    #[column(server_default = 1)] pub goals: i32,
    /// The number on the shirt.
    pub number: i16,
    pub position: Option<Position>,
}

#[table(name = "seasons")]
#[primary_key(year, league)]
pub struct Season { #[column(autoincrement = false)] pub year: i32, #[column(max_length = 20)] pub league: String }
