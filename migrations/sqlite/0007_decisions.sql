-- Hiring decisions: what the profile's hiring manager decided about an application, why, and
-- the stage it moved the application to. Kept as a history: a decision is never edited.
CREATE TABLE decisions (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    verdict        TEXT    NOT NULL CHECK (verdict IN ('advance', 'reject', 'offer', 'hire')),
    reason         TEXT    NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 2000),
    stage          TEXT    NOT NULL,
    decided_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_at     TEXT    NOT NULL
);
CREATE INDEX decisions_application_id ON decisions (application_id);
