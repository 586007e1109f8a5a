-- Published ad versions: each has a public slug and a window of days it is open for
-- applications. A version is published at most once; unpublishing deletes its row, and its
-- slug is free again.
CREATE TABLE publications (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    profile_id   INTEGER NOT NULL,
    ad_number    INTEGER NOT NULL,
    slug         TEXT    NOT NULL UNIQUE CHECK (length(slug) BETWEEN 3 AND 80),
    open_from    TEXT    NOT NULL,
    open_until   TEXT    NOT NULL CHECK (open_until >= open_from),
    published_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    published_at TEXT    NOT NULL,
    UNIQUE (profile_id, ad_number),
    FOREIGN KEY (profile_id, ad_number) REFERENCES ad_versions (profile_id, number) ON DELETE CASCADE
);
CREATE TRIGGER publications_insert_revision AFTER INSERT ON publications BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER publications_update_revision AFTER UPDATE ON publications BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER publications_delete_revision AFTER DELETE ON publications BEGIN UPDATE data_revision SET revision = revision + 1; END;
