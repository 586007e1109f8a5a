-- Users with one role each, API tokens (stored only as a SHA-256 hash), failed logins for
-- throttling, and the hiring manager who owns a role profile.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    name          TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'recruiter', 'hiring_manager', 'interviewer')),
    password_hash TEXT    NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   TEXT    NOT NULL,
    revoked_at   TEXT
);

CREATE TABLE login_failures (
    id        INTEGER PRIMARY KEY,
    subject   TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (subject, failed_at);

ALTER TABLE role_profiles ADD COLUMN hiring_manager_id INTEGER REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX role_profiles_hiring_manager_id ON role_profiles (hiring_manager_id);
