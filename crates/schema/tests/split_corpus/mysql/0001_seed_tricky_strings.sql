-- statements: 9
-- check: SELECT body FROM notes WHERE id = 1 => it's; x
-- check: SELECT body FROM notes WHERE id = 2 => say "hi"; then \ leave
-- check: SELECT REPLACE(body, '\t', '<tab>') FROM notes WHERE id = 3 => tab<tab>and 'doubled' quotes
-- check: SELECT body FROM notes WHERE id = 4 => # not a comment -- nor this /* or this */
-- check: SELECT `order;by` FROM notes WHERE id = 1 => 4
-- check: SELECT @@session.time_zone => +00:00

-- A dump-style header: executable comments are SQL, and are kept.
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET TIME_ZONE='+00:00' */;

CREATE TABLE notes (
    id INT NOT NULL PRIMARY KEY,
    body TEXT NOT NULL,
    `order;by` INT NOT NULL DEFAULT 0 COMMENT 'sort key; ascending'
) /*!50100 ENGINE=InnoDB */ DEFAULT CHARSET=utf8mb4;

# MySQL's own comment style; it's fine to have quotes in it.
INSERT INTO notes (id, body, `order;by`) VALUES (1, 'it\'s; x', 5--1);
INSERT INTO notes (id, body) VALUES (2, "say \"hi\"; then \\ leave");
INSERT INTO notes (id, body) VALUES (3, 'tab\tand ''doubled'' quotes');
INSERT INTO notes (id, body) VALUES (4, '# not a comment -- nor this /* or this */');
/*M!100100 UPDATE notes SET `order;by` = `order;by` - 2 WHERE id = 1 */;
/* plain comments; with 'quotes' */ -- and a trailing one
