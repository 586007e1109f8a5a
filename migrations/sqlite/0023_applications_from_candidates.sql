-- Candidates apply by themselves, on a published ad's page. An application keeps where it came
-- from and the candidate's message, and whether a recruiter has opened it yet; those that
-- recruiters entered were seen as they were made.
ALTER TABLE applications ADD COLUMN source TEXT;
ALTER TABLE applications ADD COLUMN message TEXT;
ALTER TABLE applications ADD COLUMN seen_at TEXT;
UPDATE applications SET seen_at = created_at;

-- The documents sent with applications, in the database so that backups and every instance
-- have them; their text is kept for search. Erasure deletes them (secure_delete overwrites).
CREATE TABLE documents (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id   INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    application_id INTEGER REFERENCES applications (id) ON DELETE SET NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('cv', 'other')),
    format         TEXT    NOT NULL CHECK (format IN ('pdf', 'docx')),
    file_name      TEXT    NOT NULL CHECK (length(file_name) BETWEEN 1 AND 210),
    size           INTEGER NOT NULL CHECK (size = length(content)),
    content        BLOB    NOT NULL,
    text           TEXT,
    uploaded_at    TEXT    NOT NULL
);
CREATE INDEX documents_candidate_id ON documents (candidate_id);
CREATE INDEX documents_application_id ON documents (application_id);
CREATE TRIGGER documents_insert_revision AFTER INSERT ON documents BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER documents_update_revision AFTER UPDATE ON documents BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER documents_delete_revision AFTER DELETE ON documents BEGIN UPDATE data_revision SET revision = revision + 1; END;

-- Failed logins and applications are both throttled per subject: one table of attempts.
ALTER TABLE login_failures RENAME TO throttled_attempts;
ALTER TABLE throttled_attempts RENAME COLUMN failed_at TO attempted_at;
DROP INDEX login_failures_subject;
CREATE INDEX throttled_attempts_subject ON throttled_attempts (subject, attempted_at);
