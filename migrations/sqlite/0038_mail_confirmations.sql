-- What only the owner of an email address may confirm: that a job-page application from an
-- address amfit already holds joins that candidate's record, and the talent-pool consent ticked
-- on the form. Each is asked by a single-use link mailed to the address; only the SHA-256 digest
-- of its secret is kept (the mail that carries it is emptied once sent). A used link keeps its
-- row: the record of when it was confirmed. The rows follow the candidate in a merge and go
-- with their data when it is erased.
CREATE TABLE mail_confirmations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    -- The role applied to, to name it on the page the link opens.
    profile_id   INTEGER REFERENCES role_profiles (id) ON DELETE SET NULL,
    token_digest TEXT    NOT NULL UNIQUE,
    language     TEXT    NOT NULL CHECK (language IN ('da', 'en')),
    joins_record BOOLEAN NOT NULL,
    talent_pool  BOOLEAN NOT NULL,
    created_at   TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL,
    used_at      TEXT
);
CREATE INDEX mail_confirmations_candidate_id ON mail_confirmations (candidate_id);

-- The letter that carries such a link is a kind of its own. SQLite changes a CHECK only by
-- building the table again; nothing refers to the outbox, so it is copied as it is.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id      TEXT    NOT NULL UNIQUE,
    kind            TEXT    NOT NULL
        CHECK (kind IN ('receipt', 'invitation', 'rejection', 'offer', 'custom', 'confirmation')),
    candidate_id    INTEGER REFERENCES candidates (id) ON DELETE CASCADE,
    application_id  INTEGER REFERENCES applications (id) ON DELETE SET NULL,
    recipient       TEXT    NOT NULL,
    language        TEXT    NOT NULL CHECK (language IN ('da', 'en')),
    subject         TEXT    NOT NULL,
    body_text       TEXT    NOT NULL,
    body_html       TEXT    NOT NULL,
    calendar        TEXT,
    sent_by         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    status          TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_until   TEXT,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    user_id         INTEGER REFERENCES users (id) ON DELETE CASCADE
);
INSERT INTO outbox_new (id, message_id, kind, candidate_id, application_id, recipient, language, subject,
    body_text, body_html, calendar, sent_by, status, attempts, next_attempt_at, claimed_until, last_error,
    created_at, sent_at, user_id)
SELECT id, message_id, kind, candidate_id, application_id, recipient, language, subject,
    body_text, body_html, calendar, sent_by, status, attempts, next_attempt_at, claimed_until, last_error,
    created_at, sent_at, user_id
FROM outbox;
-- The counter goes on from where it was: ids of letters since erased are never used again.
DELETE FROM sqlite_sequence WHERE name = 'outbox_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_new', seq FROM sqlite_sequence WHERE name = 'outbox';
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_candidate_id ON outbox (candidate_id);
CREATE INDEX outbox_user_id ON outbox (user_id);
