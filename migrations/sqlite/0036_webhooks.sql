-- Webhooks: integrators' addresses that amfit tells of events, and each delivery. A delivery is
-- written in the same transaction as the change it tells of (an application created, a stage
-- changed, a decision recorded) and sent by a worker, as the outbox's mail is: claimed by one
-- instance at a time, retried with backoff. Its payload holds ids only, no personal data: the
-- integrator reads the rest through the API, with its own token.
CREATE TABLE webhooks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    url        TEXT    NOT NULL,
    -- The events it is sent, as ",application.created,stage.changed," (commas around each).
    events     TEXT    NOT NULL,
    -- The key each delivery is signed with (HMAC-SHA256); shown once, when the webhook is made.
    secret     TEXT    NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE webhook_deliveries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id       INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event            TEXT    NOT NULL,
    payload          TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    claimed_until    TEXT,
    -- The HTTP status of the last try, and what went wrong with it.
    last_status_code INTEGER,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    delivered_at     TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook_id ON webhook_deliveries (webhook_id);
