-- The embeddable widget: per-organisation allowed origins and form-token secret; where a
-- widget ticket came from (the embedding page's origin) and the host page's hidden context.

ALTER TABLE orgs ADD COLUMN widget_origins TEXT NOT NULL DEFAULT '[]';
-- Signs the widget's form tokens (minimum fill time). Never leaves the database.
ALTER TABLE orgs ADD COLUMN widget_secret TEXT NOT NULL DEFAULT '';
UPDATE orgs SET widget_secret = lower(hex(randomblob(32))) WHERE widget_secret = '';
-- SQLite cannot add a column with a random default: new organisations get theirs here.
CREATE TRIGGER orgs_widget_secret AFTER INSERT ON orgs WHEN NEW.widget_secret = ''
BEGIN
    UPDATE orgs SET widget_secret = lower(hex(randomblob(32))) WHERE id = NEW.id;
END;

ALTER TABLE tickets ADD COLUMN origin TEXT;
ALTER TABLE tickets ADD COLUMN context TEXT;
