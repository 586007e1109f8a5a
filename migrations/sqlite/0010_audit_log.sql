-- The audit trail: who saw or changed what, and when. Append-only: the triggers refuse any
-- change or deletion, whoever asks. Subjects are named by id only, never by personal data, so
-- an erased candidate's entries stay true without naming them. Not part of the data revision:
-- reading a candidate writes an entry, and must not empty the caches.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT    NOT NULL,
    actor_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_name TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    subject_id INTEGER NOT NULL,
    detail     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject, subject_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OF at, actor_name, action, subject, subject_id, detail ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
