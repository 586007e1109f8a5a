-- Saved versions of a role profile's job ad, numbered per profile. A version is never edited:
-- an edit is saved as the next version, so any two can be compared.
CREATE TABLE ad_versions (
    id         INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL REFERENCES role_profiles (id) ON DELETE CASCADE,
    number     INTEGER NOT NULL CHECK (number >= 1),
    language   TEXT    NOT NULL CHECK (language IN ('da', 'en')),
    tone       TEXT    NOT NULL CHECK (tone IN ('informal', 'formal')),
    body       TEXT    NOT NULL CHECK (length(trim(body)) BETWEEN 1 AND 50000),
    saved_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    saved_at   TEXT    NOT NULL,
    UNIQUE (profile_id, number)
);
CREATE TRIGGER ad_versions_insert_revision AFTER INSERT ON ad_versions BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER ad_versions_update_revision AFTER UPDATE ON ad_versions BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER ad_versions_delete_revision AFTER DELETE ON ad_versions BEGIN UPDATE data_revision SET revision = revision + 1; END;
