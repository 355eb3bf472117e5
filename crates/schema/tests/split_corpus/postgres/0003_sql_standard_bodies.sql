-- statements: 6
-- check: SELECT grade(95) || grade(70) || grade(NULL) => AC?
-- check: SELECT string_agg(student || '=' || points, ',' ORDER BY student) FROM scores => ada=100,grace=80
-- check: SELECT count(*) FROM score_log => 2

-- SQL-standard function bodies (PostgreSQL 14+): BEGIN ATOMIC … END holds
-- statements ended by ';', and CASE … END inside them.

CREATE TABLE scores (student text PRIMARY KEY, points integer NOT NULL);
CREATE TABLE score_log (student text NOT NULL, note text NOT NULL);

CREATE OR REPLACE FUNCTION grade(points integer) RETURNS text
    LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    SELECT CASE
               WHEN points IS NULL THEN '?'
               WHEN points >= 90 THEN 'A'
               WHEN points >= 80 THEN 'B'
               ELSE 'C'
           END;
END;

CREATE PROCEDURE award(who text, bonus integer)
    LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO scores (student, points) VALUES (who, 0) ON CONFLICT (student) DO NOTHING;
    UPDATE scores SET points = points + bonus WHERE student = who;
    INSERT INTO score_log (student, note) VALUES (who, 'awarded; ' || bonus);
END;

CALL award('ada', 100);
CALL award('grace', 80);
