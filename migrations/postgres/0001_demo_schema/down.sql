-- Demo schema
DROP TABLE IF EXISTS "profiles";

DROP TABLE IF EXISTS "order_items";

DROP TABLE IF EXISTS "orders";

DROP TABLE IF EXISTS "users";

DROP TABLE IF EXISTS "products";

DROP TABLE IF EXISTS "employees";

DROP TABLE IF EXISTS "categories";

DROP TABLE IF EXISTS "comments";

DROP TABLE IF EXISTS "article_tags";

DROP TABLE IF EXISTS "tags";

DROP TABLE IF EXISTS "articles";

DROP TABLE IF EXISTS "authors";

DROP TYPE IF EXISTS "order_status";

DROP TYPE IF EXISTS "article_status";

