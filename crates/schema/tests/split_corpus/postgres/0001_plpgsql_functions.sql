-- statements: 8
-- check: SELECT slugify('Hello, World; it''s  Quarry!') => hello-world-it-s-quarry
-- check: SELECT count(*) FROM articles WHERE updated_at > created_at => 1
-- check: SELECT slug FROM articles ORDER BY id LIMIT 1 => first-post-edited
-- check: SELECT describe_tag('') => the empty tag: $$ ; '' and all

-- Timestamps maintained by a trigger function, and slugs by a helper.
-- Before quarry split by backend, the $$ bodies failed with
-- "unterminated dollar-quoted string".

CREATE TABLE articles (
    id bigserial PRIMARY KEY,
    title text NOT NULL,
    slug text NOT NULL UNIQUE,
    -- now(), the transaction's start, for both: two clock_timestamp()
    -- defaults of one row can differ by a microsecond.
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at := clock_timestamp();  -- not now(): that is the transaction's start
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_set_updated_at
    BEFORE UPDATE ON articles
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE FUNCTION slugify(title text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT
AS $function$
DECLARE
    slug text;
BEGIN
    -- Lower case; anything that is not a letter or digit becomes one '-'.
    slug := regexp_replace(lower(title), '[^a-z0-9]+', '-', 'g');
    RETURN trim(both '-' from slug);
END;
$function$;

CREATE FUNCTION describe_tag(tag text) RETURNS text LANGUAGE plpgsql AS $body$
BEGIN
    IF tag = '' THEN
        RETURN 'the empty tag: $$ ; '''' and all';
    END IF;
    RETURN format('tag %L', tag);
END
$body$;

INSERT INTO articles (title, slug) VALUES ('First post', slugify('First post'));
INSERT INTO articles (title, slug) VALUES ('Second; with ''quotes''', slugify('Second; with ''quotes'''));
UPDATE articles SET slug = 'first-post-edited' WHERE slug = 'first-post';
