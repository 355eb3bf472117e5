-- statements: 10
-- check: SELECT group_concat(name || '=' || status, ',') FROM (SELECT * FROM account_status ORDER BY id) => Ada King=open
-- check: SELECT count(*) FROM audit_log WHERE action = 'deleted' => 1
-- check: SELECT count(*) FROM accounts => 1
-- check: SELECT n FROM countdown => 3,2,1

-- SQLite cannot drop a column: rebuild the table, as its documentation
-- prescribes; then a view that deletes through a trigger.
CREATE TABLE accounts_new (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    balance INTEGER NOT NULL DEFAULT 0,
    closed_at TEXT
);
INSERT INTO accounts_new (id, name, balance, closed_at)
    SELECT id, name, balance, closed_at FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;

CREATE VIEW account_status AS
    SELECT id, name,
           CASE WHEN closed_at IS NULL THEN 'open' ELSE 'closed' END AS status
      FROM accounts;

-- Deleting through the view deletes the account and notes it.
CREATE TRIGGER account_status_delete INSTEAD OF DELETE ON account_status
BEGIN
    DELETE FROM accounts WHERE id = old.id;
    INSERT INTO audit_log (account_id, action, detail)
    VALUES (old.id, 'deleted', CASE old.status WHEN 'closed' THEN 'was closed' ELSE 'was open; odd' END);
END;

CREATE VIEW countdown AS
    WITH RECURSIVE c(i) AS (SELECT 3 UNION ALL SELECT i - 1 FROM c WHERE i > 1)
    SELECT group_concat(i, ',') AS n FROM c;

CREATE INDEX accounts_open ON accounts (name) WHERE closed_at IS NULL;

SELECT * FROM account_status;  -- a check the migration's author left in
DELETE FROM account_status WHERE status = 'closed';
