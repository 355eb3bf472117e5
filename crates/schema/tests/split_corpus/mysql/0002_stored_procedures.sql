-- statements: 6
-- check: SELECT GROUP_CONCAT(CONCAT(n, '=', label) ORDER BY n SEPARATOR ',') FROM numbers => 1=odd,2=even,3=odd,4=even,5=odd;big
-- check: SELECT total FROM totals WHERE name = 'numbers' => 15
-- check: SELECT COUNT(*) FROM errors => 1
-- check: SELECT half(9) => 4

-- Stored programs without DELIMITER: the splitter follows BEGIN … END,
-- IF … END IF, CASE … END CASE and the loops.

CREATE TABLE numbers (n INT PRIMARY KEY, label VARCHAR(20) NOT NULL);
CREATE TABLE totals (name VARCHAR(20) PRIMARY KEY, total INT NOT NULL);
CREATE TABLE errors (message TEXT NOT NULL);

CREATE DEFINER = CURRENT_USER PROCEDURE fill_numbers(IN upto INT)
    MODIFIES SQL DATA
    COMMENT 'fills numbers; labels them'
BEGIN
    DECLARE i INT DEFAULT 1;
    DECLARE running INT DEFAULT 0;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        INSERT INTO errors (message) VALUES ('fill_numbers failed; rolled back');
    END;

    fill: LOOP
        IF i > upto THEN
            LEAVE fill;
        END IF;
        CASE MOD(i, 2)
            WHEN 0 THEN INSERT INTO numbers VALUES (i, 'even');
            ELSE
                INSERT INTO numbers VALUES (i, IF(i > 4, 'odd;big', 'odd'));
        END CASE;
        SET i = i + 1;
    END LOOP fill;

    SET i = 0;
    WHILE i < upto DO
        SET i = i + 1;
        SET running = running + i;
    END WHILE;
    REPEAT
        SET i = i - 1;
    UNTIL i <= 0 END REPEAT;

    INSERT INTO totals (name, total) VALUES ('numbers', running)
        ON DUPLICATE KEY UPDATE total = VALUES(total);
    -- A duplicate key: the handler notes it and leaves.
    INSERT INTO numbers VALUES (1, 'again');
END;

CREATE FUNCTION half(n INT) RETURNS INT DETERMINISTIC
BEGIN
    DECLARE result INT;
    SET result = CASE WHEN n > 0 THEN n DIV 2 ELSE 0 END;
    RETURN result;
END;

CALL fill_numbers(5);
