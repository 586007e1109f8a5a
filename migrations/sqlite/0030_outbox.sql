-- The mail amfit sends. Each message is written here in the same transaction as the change
-- that causes it (an application received, a letter sent), and a worker sends it: at once when
-- the mail server answers, later with backoff when it fails for a while, never when it refuses
-- the message for good. A claim (claimed_until) lets one instance of several send a message;
-- its Message-ID stays the same if it has to be sent again after a crash. A candidate's
-- messages go when their data is erased. message_id is also what makes a letter sent twice
-- (a double click) one: the form carries it.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id      TEXT    NOT NULL UNIQUE,
    kind            TEXT    NOT NULL CHECK (kind IN ('receipt', 'invitation', 'rejection', 'offer', 'custom')),
    candidate_id    INTEGER REFERENCES candidates (id) ON DELETE CASCADE,
    application_id  INTEGER REFERENCES applications (id) ON DELETE SET NULL,
    recipient       TEXT    NOT NULL,
    language        TEXT    NOT NULL CHECK (language IN ('da', 'en')),
    subject         TEXT    NOT NULL,
    body_text       TEXT    NOT NULL,
    body_html       TEXT    NOT NULL,
    -- An invitation's calendar entry (RFC 5545), sent as its own part and as an attachment.
    calendar        TEXT,
    -- The user who sent it; NULL for what amfit sends by itself (a receipt).
    sent_by         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    status          TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_until   TEXT,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_candidate_id ON outbox (candidate_id);
