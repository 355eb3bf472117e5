-- Demo schema
CREATE TABLE "authors" (
    "id" INTEGER NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    CONSTRAINT "pk_authors" PRIMARY KEY ("id")
);

CREATE TABLE "articles" (
    "id" INTEGER NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "views" INTEGER NOT NULL DEFAULT 0,
    "published" DATE,
    "status" TEXT NOT NULL DEFAULT 'draft' CHECK ("status" IN ('draft', 'published', 'archived')),
    "author_id" INTEGER NOT NULL,
    CONSTRAINT "pk_articles" PRIMARY KEY ("id"),
    CONSTRAINT "ck_articles_title" CHECK (length(title) > 0),
    CONSTRAINT "fk_articles_author_id_authors" FOREIGN KEY ("author_id") REFERENCES "authors" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_articles_author_id_published" ON "articles" ("author_id", "published");

CREATE TABLE "tags" (
    "id" INTEGER NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    CONSTRAINT "pk_tags" PRIMARY KEY ("id"),
    CONSTRAINT "uq_tags_name" UNIQUE ("name")
);

CREATE TABLE "article_tags" (
    "article_id" INTEGER NOT NULL,
    "tag_id" INTEGER NOT NULL,
    CONSTRAINT "pk_article_tags" PRIMARY KEY ("article_id", "tag_id"),
    CONSTRAINT "fk_article_tags_article_id_articles" FOREIGN KEY ("article_id") REFERENCES "articles" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_article_tags_tag_id_tags" FOREIGN KEY ("tag_id") REFERENCES "tags" ("id") ON DELETE CASCADE
);

CREATE TABLE "comments" (
    "id" INTEGER NOT NULL,
    "article_id" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "score" REAL NOT NULL,
    "posted_at" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "pk_comments" PRIMARY KEY ("id"),
    CONSTRAINT "fk_comments_article_id_articles" FOREIGN KEY ("article_id") REFERENCES "articles" ("id") ON DELETE CASCADE
);

CREATE TABLE "categories" (
    "id" INTEGER NOT NULL,
    "name" VARCHAR(80) NOT NULL,
    "parent_id" INTEGER,
    CONSTRAINT "pk_categories" PRIMARY KEY ("id"),
    CONSTRAINT "uq_categories_parent_name" UNIQUE ("parent_id", "name"),
    CONSTRAINT "fk_categories_parent_id_categories" FOREIGN KEY ("parent_id") REFERENCES "categories" ("id") ON DELETE CASCADE
);

CREATE TABLE "employees" (
    "id" INTEGER NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "manager_id" BIGINT,
    "hired_on" DATE NOT NULL,
    "shift_start" TIME NOT NULL,
    "salary" NUMERIC(12, 2),
    "badge" BLOB,
    CONSTRAINT "pk_employees" PRIMARY KEY ("id"),
    CONSTRAINT "fk_employees_manager_id_employees" FOREIGN KEY ("manager_id") REFERENCES "employees" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

CREATE TABLE "products" (
    "id" INTEGER NOT NULL,
    "sku" VARCHAR(32) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "price" NUMERIC(10, 2) NOT NULL,
    "weight_kg" DOUBLE,
    "in_stock" BOOLEAN NOT NULL,
    "attributes" TEXT,
    CONSTRAINT "pk_products" PRIMARY KEY ("id"),
    CONSTRAINT "uq_products_sku" UNIQUE ("sku"),
    CONSTRAINT "ck_products_price" CHECK (price >= 0)
);

CREATE TABLE "users" (
    "id" INTEGER NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "email" VARCHAR(120) NOT NULL,
    "fullname" TEXT,
    "is_active" BOOLEAN NOT NULL DEFAULT TRUE,
    "created_at" TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "pk_users" PRIMARY KEY ("id"),
    CONSTRAINT "uq_users_name" UNIQUE ("name")
);

CREATE TABLE "orders" (
    "id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "placed_at" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'paid', 'shipped', 'cancelled')),
    "note" TEXT,
    CONSTRAINT "pk_orders" PRIMARY KEY ("id"),
    CONSTRAINT "fk_orders_customer_id_users" FOREIGN KEY ("customer_id") REFERENCES "users" ("id")
);

CREATE INDEX "ix_orders_customer_placed" ON "orders" ("customer_id", "placed_at");

CREATE TABLE "order_items" (
    "order_id" INTEGER NOT NULL,
    "product_id" INTEGER NOT NULL,
    "quantity" SMALLINT NOT NULL,
    "unit_price" NUMERIC(10, 2) NOT NULL,
    CONSTRAINT "pk_order_items" PRIMARY KEY ("order_id", "product_id"),
    CONSTRAINT "ck_order_items_quantity" CHECK (quantity > 0),
    CONSTRAINT "fk_order_items_order_id_orders" FOREIGN KEY ("order_id") REFERENCES "orders" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_order_items_product_id_products" FOREIGN KEY ("product_id") REFERENCES "products" ("id") ON DELETE RESTRICT
);

CREATE TABLE "profiles" (
    "id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "bio" TEXT NOT NULL,
    "avatar" BLOB,
    "settings" TEXT NOT NULL,
    CONSTRAINT "pk_profiles" PRIMARY KEY ("id"),
    CONSTRAINT "uq_profiles_user_id" UNIQUE ("user_id"),
    CONSTRAINT "fk_profiles_user_id_users" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);

