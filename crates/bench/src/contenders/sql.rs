//! SQL text the raw drivers build by hand: multi-row `VALUES` lists.

/// `(?, ?), (?, ?), ...`: `rows` tuples of `columns` placeholders, in
/// SQLite's and MySQL's style, or PostgreSQL's numbered `$1` style.
pub fn values(rows: usize, columns: usize, numbered: bool) -> String {
    let mut sql = String::with_capacity(rows * columns * 5);
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            if numbered {
                sql.push('$');
                sql.push_str(&(row * columns + column + 1).to_string());
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    sql
}

/// `?, ?, ...`: `n` placeholders for an `IN` list.
pub fn list(n: usize) -> String {
    let mut sql = String::with_capacity(n * 3);
    for i in 0..n {
        sql.push_str(if i == 0 { "?" } else { ", ?" });
    }
    sql
}

/// The columns the loads select, in one order for every driver.
pub const USER_COLUMNS: &str = "id, name, hair_color";
/// See [`USER_COLUMNS`].
pub const POST_COLUMNS: &str = "id, user_id, title, body";
/// See [`USER_COLUMNS`].
pub const COMMENT_COLUMNS: &str = "id, post_id, text";
/// The medium query, `?` for the hair colour.
pub const MEDIUM: &str =
    "SELECT users.id, users.name, users.hair_color, posts.id, posts.user_id, posts.title, posts.body \
     FROM users LEFT JOIN posts ON posts.user_id = users.id WHERE users.hair_color = ?";

#[cfg(test)]
mod tests {
    #[test]
    fn values_lists_number_postgres_placeholders_across_rows() {
        assert_eq!(super::values(2, 2, true), "($1, $2), ($3, $4)");
        assert_eq!(super::values(2, 1, false), "(?), (?)");
        assert_eq!(super::list(3), "?, ?, ?");
    }
}
