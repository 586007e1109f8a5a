-- Single-use links to set a password: one a user asks for when they forgot theirs (valid 30
-- minutes), or the invitation a new colleague gets (valid 7 days). Only the SHA-256 digest of
-- the link's secret is kept, as for API tokens; a used link keeps its row, marked, so that its
-- second use can be told from a link that never was.
CREATE TABLE password_links (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_digest TEXT    NOT NULL UNIQUE,
    purpose      TEXT    NOT NULL CHECK (purpose IN ('reset', 'invitation')),
    created_at   TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL,
    used_at      TEXT
);
CREATE INDEX password_links_user_id ON password_links (user_id);
