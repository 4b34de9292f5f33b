-- Catalog search through FTS5 instead of LIKE: D1 refuses a LIKE pattern longer than 50 bytes
-- (a requester's sentence, or two dozen Greek letters), FTS5 queries have no such limit. The
-- indexed text is the item's `search_text` (every locale's name and description, folded by
-- core's `search_key`); queries are folded the same way (`search::catalog_query`). Kept by
-- triggers in the same transaction as every write, linked by `search_rowid` like tickets'.
CREATE VIRTUAL TABLE catalog_search USING fts5(
    search_text,
    tokenize = 'unicode61 remove_diacritics 2'
);
ALTER TABLE catalog_items ADD COLUMN search_rowid INTEGER;
CREATE INDEX catalog_items_search_rowid ON catalog_items (search_rowid);

UPDATE catalog_items SET search_rowid = rowid;
INSERT INTO catalog_search (rowid, search_text)
SELECT search_rowid, search_text FROM catalog_items;

CREATE TRIGGER catalog_items_search_insert AFTER INSERT ON catalog_items
BEGIN
    INSERT INTO catalog_search (search_text) VALUES (NEW.search_text);
    UPDATE catalog_items SET search_rowid = last_insert_rowid() WHERE id = NEW.id;
END;
CREATE TRIGGER catalog_items_search_update AFTER UPDATE OF search_text ON catalog_items
BEGIN
    UPDATE catalog_search SET search_text = NEW.search_text WHERE rowid = NEW.search_rowid;
END;
CREATE TRIGGER catalog_items_search_delete AFTER DELETE ON catalog_items
BEGIN
    DELETE FROM catalog_search WHERE rowid = OLD.search_rowid;
END;
