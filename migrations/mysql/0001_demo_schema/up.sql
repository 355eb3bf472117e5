-- Demo schema
CREATE TABLE `authors` (
    `id` INT NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(100) NOT NULL,
    CONSTRAINT `pk_authors` PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='A person who writes articles.';

CREATE TABLE `articles` (
    `id` INT NOT NULL AUTO_INCREMENT,
    `title` VARCHAR(200) NOT NULL,
    `views` INT NOT NULL DEFAULT 0,
    `published` DATE,
    `status` ENUM('draft', 'published', 'archived') NOT NULL DEFAULT 'draft',
    `author_id` INT NOT NULL,
    CONSTRAINT `pk_articles` PRIMARY KEY (`id`),
    CONSTRAINT `ck_articles_title` CHECK (length(title) > 0),
    CONSTRAINT `fk_articles_author_id_authors` FOREIGN KEY (`author_id`) REFERENCES `authors` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='Something an author wrote.';

CREATE INDEX `ix_articles_author_id_published` ON `articles` (`author_id`, `published`);

CREATE TABLE `tags` (
    `id` INT NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(50) NOT NULL,
    CONSTRAINT `pk_tags` PRIMARY KEY (`id`),
    CONSTRAINT `uq_tags_name` UNIQUE (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='A label shared by many articles.';

CREATE TABLE `article_tags` (
    `article_id` INT NOT NULL,
    `tag_id` INT NOT NULL,
    CONSTRAINT `pk_article_tags` PRIMARY KEY (`article_id`, `tag_id`),
    CONSTRAINT `fk_article_tags_article_id_articles` FOREIGN KEY (`article_id`) REFERENCES `articles` (`id`) ON DELETE CASCADE,
    CONSTRAINT `fk_article_tags_tag_id_tags` FOREIGN KEY (`tag_id`) REFERENCES `tags` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='Links articles and tags.';

CREATE TABLE `comments` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `article_id` INT NOT NULL,
    `body` TEXT NOT NULL,
    `score` FLOAT NOT NULL,
    `posted_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT `pk_comments` PRIMARY KEY (`id`),
    CONSTRAINT `fk_comments_article_id_articles` FOREIGN KEY (`article_id`) REFERENCES `articles` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='A reader''s remark on an article.';

CREATE TABLE `categories` (
    `id` INT NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(80) NOT NULL,
    `parent_id` INT,
    CONSTRAINT `pk_categories` PRIMARY KEY (`id`),
    CONSTRAINT `uq_categories_parent_name` UNIQUE (`parent_id`, `name`),
    CONSTRAINT `fk_categories_parent_id_categories` FOREIGN KEY (`parent_id`) REFERENCES `categories` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='A node of the category tree.';

CREATE TABLE `employees` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(100) NOT NULL,
    `manager_id` BIGINT,
    `hired_on` DATE NOT NULL,
    `shift_start` TIME(6) NOT NULL,
    `salary` NUMERIC(12, 2),
    `badge` LONGBLOB,
    CONSTRAINT `pk_employees` PRIMARY KEY (`id`),
    CONSTRAINT `fk_employees_manager_id_employees` FOREIGN KEY (`manager_id`) REFERENCES `employees` (`id`) ON DELETE SET NULL ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='Someone on the payroll; managers are employees too.';

CREATE TABLE `products` (
    `id` INT NOT NULL AUTO_INCREMENT,
    `sku` VARCHAR(32) NOT NULL,
    `name` VARCHAR(200) NOT NULL,
    `price` NUMERIC(10, 2) NOT NULL,
    `weight_kg` DOUBLE,
    `in_stock` BOOL NOT NULL,
    `attributes` JSON COMMENT 'Free-form attributes (colour, size, ...), as JSON.',
    CONSTRAINT `pk_products` PRIMARY KEY (`id`),
    CONSTRAINT `uq_products_sku` UNIQUE (`sku`),
    CONSTRAINT `ck_products_price` CHECK (price >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='Something for sale.';

CREATE TABLE `users` (
    `id` INT NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(50) NOT NULL COMMENT 'The unique sign-in name.',
    `email` VARCHAR(120) NOT NULL,
    `fullname` TEXT,
    `is_active` BOOL NOT NULL DEFAULT TRUE,
    `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT `pk_users` PRIMARY KEY (`id`),
    CONSTRAINT `uq_users_name` UNIQUE (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='A person who can sign in.';

CREATE TABLE `orders` (
    `id` INT NOT NULL AUTO_INCREMENT,
    `customer_id` INT NOT NULL,
    `placed_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    `status` ENUM('pending', 'paid', 'shipped', 'cancelled') NOT NULL DEFAULT 'pending',
    `note` TEXT,
    CONSTRAINT `pk_orders` PRIMARY KEY (`id`),
    CONSTRAINT `fk_orders_customer_id_users` FOREIGN KEY (`customer_id`) REFERENCES `users` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='A customer''s order.';

CREATE INDEX `ix_orders_customer_placed` ON `orders` (`customer_id`, `placed_at`);

CREATE TABLE `order_items` (
    `order_id` INT NOT NULL,
    `product_id` INT NOT NULL,
    `quantity` SMALLINT NOT NULL,
    `unit_price` NUMERIC(10, 2) NOT NULL,
    CONSTRAINT `pk_order_items` PRIMARY KEY (`order_id`, `product_id`),
    CONSTRAINT `ck_order_items_quantity` CHECK (quantity > 0),
    CONSTRAINT `fk_order_items_order_id_orders` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`) ON DELETE CASCADE,
    CONSTRAINT `fk_order_items_product_id_products` FOREIGN KEY (`product_id`) REFERENCES `products` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='One product on an order, with its own quantity and price.';

CREATE TABLE `profiles` (
    `id` INT NOT NULL AUTO_INCREMENT,
    `user_id` INT NOT NULL,
    `bio` TEXT NOT NULL,
    `avatar` LONGBLOB,
    `settings` JSON NOT NULL,
    CONSTRAINT `pk_profiles` PRIMARY KEY (`id`),
    CONSTRAINT `uq_profiles_user_id` UNIQUE (`user_id`),
    CONSTRAINT `fk_profiles_user_id_users` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='Extra details of a user, at most one per user.';

