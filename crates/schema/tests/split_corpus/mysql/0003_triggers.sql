-- statements: 8
-- check: SELECT GROUP_CONCAT(CONCAT(sku, ':', quantity) ORDER BY sku SEPARATOR ',') FROM stock => apple:0,pear:7
-- check: SELECT GROUP_CONCAT(CONCAT(sku, ' ', action) ORDER BY id SEPARATOR '; ') FROM stock_log => apple added; pear added; apple emptied; pear restocked
-- check: SELECT COUNT(*) FROM stock WHERE updated_by IS NOT NULL => 2

CREATE TABLE stock (
    sku VARCHAR(20) PRIMARY KEY,
    quantity INT NOT NULL,
    updated_by VARCHAR(100)
);
CREATE TABLE stock_log (id INT AUTO_INCREMENT PRIMARY KEY, sku VARCHAR(20) NOT NULL, action VARCHAR(40) NOT NULL);

-- A single-statement body needs no BEGIN: an IF … END IF right after FOR EACH ROW.
CREATE TRIGGER stock_no_negative BEFORE INSERT ON stock
FOR EACH ROW
IF NEW.quantity < 0 THEN
    SET NEW.quantity = 0;
END IF;

CREATE DEFINER = CURRENT_USER() TRIGGER stock_after_insert AFTER INSERT ON stock FOR EACH ROW
    INSERT INTO stock_log (sku, action) VALUES (NEW.sku, 'added');

CREATE TRIGGER stock_before_update BEFORE UPDATE ON stock
FOR EACH ROW
BEGIN
    SET NEW.updated_by = CURRENT_USER();
    IF NEW.quantity = 0 AND OLD.quantity > 0 THEN
        INSERT INTO stock_log (sku, action) VALUES (NEW.sku, 'emptied');
    ELSEIF NEW.quantity > OLD.quantity THEN
        INSERT INTO stock_log (sku, action) VALUES (NEW.sku, 'restocked');
    END IF;
END;

INSERT INTO stock (sku, quantity) VALUES ('apple', 3), ('pear', -2);
UPDATE stock SET quantity = 0 WHERE sku = 'apple';
UPDATE stock SET quantity = 7 WHERE sku = 'pear';
