-- statements: 8
-- check: SELECT body FROM snippets WHERE id = 1 => it's; fine
-- check: SELECT body FROM snippets WHERE id = 2 => C:\temp\
-- check: SELECT body FROM snippets WHERE id = 3 => $$ not a quote here $$
-- check: SELECT body FROM snippets WHERE id = 4 => data
-- check: SELECT "weird;name" FROM snippets WHERE id = 5 => x
-- check: SELECT string_agg(body, '|' ORDER BY id) FROM snippet_archive => it's; fine|C:\temp\
-- check: SELECT obj_description('snippets'::regclass, 'pg_class') => Snippets; with 'quotes'

CREATE TABLE snippets (id integer PRIMARY KEY, body text NOT NULL, "weird;name" text);
COMMENT ON TABLE snippets IS 'Snippets; with ''quotes''';

INSERT INTO snippets (id, body) VALUES
    (1, E'it\'s; fine'),                 -- an escape string
    (2, 'C:\temp\'),                     -- a standard string: \ is a character
    (3, '$$ not a quote here $$'),
    (4, U&'d\0061t\+000061');            -- unicode escapes
INSERT INTO snippets (id, body, "weird;name") VALUES (5, $q$it's$q$, 'x');

CREATE TABLE snippet_archive (id integer PRIMARY KEY, body text NOT NULL);

-- Deleting a snippet archives it: a rule with two actions in parentheses.
CREATE RULE snippets_archive AS ON DELETE TO snippets DO ALSO (
    INSERT INTO snippet_archive (id, body) VALUES (old.id, old.body);
    UPDATE snippet_archive SET body = body WHERE id = old.id
);

DELETE FROM snippets WHERE id IN (1, 2);
INSERT INTO snippets (id, body) SELECT id, body FROM snippet_archive;

/* The end; nothing follows */
