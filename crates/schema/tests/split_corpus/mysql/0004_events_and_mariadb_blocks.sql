-- statements: 7
-- check: SELECT COUNT(*) FROM information_schema.events WHERE event_schema = DATABASE() AND event_name = 'purge_sessions' => 1
-- check: SELECT GROUP_CONCAT(id ORDER BY id) FROM sessions => 2,3
-- check: SELECT value FROM flags WHERE name = 'sessions_seeded' => yes; 2 left
-- check: SELECT user_agent FROM sessions WHERE id = 2 => unknown; yet

CREATE TABLE sessions (id INT PRIMARY KEY, expires_at DATETIME NOT NULL);
CREATE TABLE flags (name VARCHAR(40) PRIMARY KEY, value VARCHAR(40) NOT NULL);

CREATE EVENT purge_sessions
    ON SCHEDULE EVERY 1 HOUR
    DISABLE
    DO BEGIN
        DELETE FROM sessions WHERE expires_at < NOW();
        INSERT INTO flags VALUES ('purged', 'yes') ON DUPLICATE KEY UPDATE value = 'again; yes';
    END;

-- MariaDB runs compound statements outside stored programs too.
BEGIN NOT ATOMIC
    DECLARE n INT DEFAULT 0;
    WHILE n < 3 DO
        SET n = n + 1;
        INSERT INTO sessions VALUES (n, '2000-01-01' + INTERVAL n YEAR);
    END WHILE;
END;

IF (SELECT COUNT(*) FROM sessions) = 3 THEN
    DELETE FROM sessions WHERE id = 1;
END IF;

-- Idempotent: the column is added only where it is missing.
IF NOT EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = DATABASE() AND table_name = 'sessions' AND column_name = 'user_agent') THEN
    ALTER TABLE sessions ADD COLUMN user_agent VARCHAR(200) NOT NULL DEFAULT 'unknown; yet';
END IF;

INSERT INTO flags (name, value)
SELECT 'sessions_seeded', CONCAT('yes; ', COUNT(*), ' left') FROM sessions;
