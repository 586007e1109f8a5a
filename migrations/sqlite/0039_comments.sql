-- What colleagues write to each other about a candidate, and whom each comment mentions (who
-- is told of it). A comment is about one of the candidate's applications, which decides who
-- reads it (as for scorecards), or about the candidate in general (no application, also once
-- its application is deleted), which only those who see all of the candidate read. Comments
-- are personal data about the candidate: they go with the candidate when deleted, are deleted
-- when their data is erased, and follow them in a merge.
CREATE TABLE comments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    application_id INTEGER REFERENCES applications (id) ON DELETE SET NULL,
    author_id    INTEGER NOT NULL REFERENCES users (id),
    body         TEXT    NOT NULL,
    created_at   TEXT    NOT NULL
);
CREATE INDEX comments_candidate_id ON comments (candidate_id);

CREATE TABLE comment_mentions (
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (comment_id, user_id)
);
