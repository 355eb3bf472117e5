-- statements: 8
-- check: SELECT count(*) FROM audit_log => 4
-- check: SELECT group_concat(action || ':' || account_id, ',') FROM (SELECT * FROM audit_log ORDER BY id) => created:1,created:2,renamed:1,closed:2
-- check: SELECT balance_band FROM accounts WHERE id = 1 => high
--
-- Accounts, with an audit trail kept by triggers. The trigger bodies hold
-- several statements each; before quarry split them by backend, this file
-- failed with "incomplete input".

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    balance INTEGER NOT NULL DEFAULT 0,
    balance_band TEXT,
    closed_at TEXT,
    updated_at TEXT
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    action TEXT NOT NULL,  -- created; renamed; closed
    detail TEXT
);

CREATE TRIGGER accounts_after_insert AFTER INSERT ON accounts
FOR EACH ROW
BEGIN
    INSERT INTO audit_log (account_id, action, detail)
    VALUES (new.id, 'created', 'name=' || new.name || ';');
    UPDATE accounts
       SET balance_band = CASE
               WHEN new.balance >= 1000 THEN 'high'
               WHEN new.balance > 0 THEN 'low'
               ELSE 'empty'
           END
     WHERE id = new.id;
END;

-- One trigger per kind of change, as the app's history page reads them.
CREATE TRIGGER IF NOT EXISTS accounts_after_update AFTER UPDATE OF name, closed_at ON accounts
FOR EACH ROW WHEN old.name IS NOT new.name OR old.closed_at IS NOT new.closed_at
BEGIN
    INSERT INTO audit_log (account_id, action, detail)
    SELECT new.id,
           CASE WHEN new.closed_at IS NOT NULL AND old.closed_at IS NULL THEN 'closed' ELSE 'renamed' END,
           old.name || ' -> ' || new.name;
    UPDATE accounts SET updated_at = '2024-01-01T00:00:00' WHERE id = new.id;
END;

INSERT INTO accounts (id, name, balance) VALUES (1, 'Ada; Lovelace', 1500);
INSERT INTO accounts (id, name, balance) VALUES (2, 'Grace ''Amazing'' Hopper', 0);
UPDATE accounts SET name = 'Ada King' WHERE id = 1;
UPDATE accounts SET closed_at = '2024-02-01' WHERE id = 2;
