-- statements: 5
-- check: SELECT enum_range(NULL::mood) => {sad,ok,happy}
-- check: SELECT string_agg(name || ':' || feeling, ',' ORDER BY name) FROM moods => ada:happy,grace:ok
-- check: SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'moods_feeling_idx' => 1

-- Idempotent setup, as hand-written PostgreSQL migrations often do it:
-- DO blocks that check the catalog first.

DO $$
BEGIN
    IF to_regtype('mood') IS NULL THEN
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
    END IF;
END
$$;

CREATE TABLE IF NOT EXISTS moods (name text PRIMARY KEY, feeling mood NOT NULL DEFAULT 'ok');

DO LANGUAGE plpgsql $do$
DECLARE
    people text[] := ARRAY['ada', 'grace'];
    person text;
BEGIN
    FOREACH person IN ARRAY people LOOP
        INSERT INTO moods (name) VALUES (person) ON CONFLICT DO NOTHING;
    END LOOP;
    UPDATE moods SET feeling = 'happy' WHERE name = 'ada';
    RAISE NOTICE 'seeded %; done', array_length(people, 1);
END;
$do$;

DO $$ BEGIN
    CREATE INDEX moods_feeling_idx ON moods (feeling);
EXCEPTION WHEN duplicate_table THEN
    NULL; -- already there
END $$;

/* A second run would change nothing: /* nested comments */ are fine; */
DO $$ BEGIN PERFORM 1; END $$
