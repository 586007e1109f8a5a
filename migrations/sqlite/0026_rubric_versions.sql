-- The rubric versions in the order this installation first used them, so that people read
-- "version 2, in use since 3 December 2026" and not the content hash that tells them apart.
CREATE TABLE rubric_versions (
    number        INTEGER PRIMARY KEY AUTOINCREMENT,
    version       TEXT    NOT NULL UNIQUE,
    first_used_at TEXT    NOT NULL
);
