-- A ticket's search row gathers its public replies; uncapped, a long conversation (50 replies
-- of 20,000 Greek or Hebrew characters) would pass D1's 2 MB limit for one value and the next
-- reply would fail. Replies are indexed up to 400,000 characters in all (at most 1.6 MB in
-- UTF-8, whatever the script); later ones are stored and shown, only not searched.
DROP TRIGGER IF EXISTS comments_search_insert;
CREATE TRIGGER comments_search_insert AFTER INSERT ON ticket_comments WHEN NEW.public = 1
BEGIN
    UPDATE ticket_search SET replies = substr(replies || ' ' || NEW.body, 1, 400000)
    WHERE rowid = (SELECT search_rowid FROM tickets WHERE org_id = NEW.org_id AND id = NEW.ticket_id);
END;
