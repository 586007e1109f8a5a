-- The first answer to each POST sent with an Idempotency-Key, so that a retry gets it again
-- instead of doing the work twice. Keys are the user's own; a row without a status is a
-- request still being worked on. Rows older than a day are deleted as new keys come.
CREATE TABLE idempotency_keys (
    user_id          BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key              TEXT        NOT NULL,
    fingerprint      TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    response_status  INTEGER,
    response_headers TEXT,
    response_body    TEXT,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
