#[table(name = "teams")]
pub struct Team { #[column(primary_key)] pub id: i32, #[column(max_length = 40)] pub name: String }

#[table(name = "players")]
pub struct Player {
    #[column(primary_key)] pub id: i32,
    pub team_id: i32,
    #[column(server_default = 0)] pub goals: i32,
    /// Shirt number.
    pub number: i16,
}

#[table(name = "seasons")]
#[primary_key(year)]
pub struct Season { #[column(autoincrement = false)] pub year: i32, #[column(max_length = 20)] pub league: String }
