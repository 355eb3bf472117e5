-- statements: 6
-- check: SELECT value FROM settings WHERE key = 'backup.path' => C:\backups\
-- check: SELECT value FROM settings WHERE key = 'greeting' => it's; "fine" -- really /* yes */
-- check: SELECT count(*) FROM "order;items" => 2
-- check: SELECT group_concat([unit price], '+') FROM "order;items" => 3+4

/* Settings seeded for the first release.
   Values may hold ; and ' and even -- or /* without ending anything. */
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

INSERT INTO settings (key, value) VALUES
    ('backup.path', 'C:\backups\'),
    ('greeting', 'it''s; "fine" -- really /* yes */'),
    ('motd', 'BEGIN; END;');

CREATE TABLE "order;items" (
    `id` INTEGER PRIMARY KEY,
    [unit price] INTEGER NOT NULL
);
INSERT INTO "order;items" ([unit price]) VALUES (3);
INSERT INTO "order;items" ([unit price]) VALUES (4);

DELETE FROM settings WHERE key = 'motd' -- the last statement needs no semicolon
