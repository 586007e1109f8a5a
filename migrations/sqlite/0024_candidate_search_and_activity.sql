-- The candidate list at scale: searched through an index, sorted and paged by the database.
--
-- A candidate's words: their name, email address and documents' text, folded by the
-- application as a search folds what is typed (lower case, no accents, "ø" as "o"), so that
-- both backends find the same. Written with every change to what they are made of; the
-- application fills in the candidates this migration leaves without.
CREATE TABLE candidate_words (
    candidate_id INTEGER PRIMARY KEY REFERENCES candidates (id) ON DELETE CASCADE,
    words        TEXT    NOT NULL
);
-- Prefix queries of one to three letters are read from their own index, not by scanning terms.
CREATE VIRTUAL TABLE candidate_words_index USING fts5 (
    words, content = 'candidate_words', content_rowid = 'candidate_id', prefix = '1 2 3'
);
-- A deleted row's words leave the index at once (erasure), not at a later merge.
INSERT INTO candidate_words_index (candidate_words_index, rank) VALUES ('secure-delete', 1);
CREATE TRIGGER candidate_words_insert AFTER INSERT ON candidate_words BEGIN
    INSERT INTO candidate_words_index (rowid, words) VALUES (new.candidate_id, new.words);
END;
CREATE TRIGGER candidate_words_delete AFTER DELETE ON candidate_words BEGIN
    INSERT INTO candidate_words_index (candidate_words_index, rowid, words) VALUES ('delete', old.candidate_id, old.words);
END;
CREATE TRIGGER candidate_words_update AFTER UPDATE ON candidate_words BEGIN
    INSERT INTO candidate_words_index (candidate_words_index, rowid, words) VALUES ('delete', old.candidate_id, old.words);
    INSERT INTO candidate_words_index (rowid, words) VALUES (new.candidate_id, new.words);
END;

-- The name as the list sorts it (folded, written with the words).
ALTER TABLE candidates ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
CREATE INDEX candidates_sort_name ON candidates (sort_name, id);
CREATE INDEX candidates_source ON candidates (source);
-- The applications no recruiter has opened yet: few, asked for on every start page.
CREATE INDEX applications_new ON applications (candidate_id) WHERE seen_at IS NULL;

-- When anything last happened to a candidate: added or edited, applied or moved, scored,
-- decided on, or a document received. Kept by the statements below, whoever writes.
ALTER TABLE candidates ADD COLUMN last_activity_at TEXT;
UPDATE candidates SET last_activity_at = updated_at;
UPDATE candidates SET last_activity_at = (
    SELECT max(sc.changed_at) FROM stage_changes sc JOIN applications a ON a.id = sc.application_id
    WHERE a.candidate_id = candidates.id)
WHERE (SELECT max(sc.changed_at) FROM stage_changes sc JOIN applications a ON a.id = sc.application_id
       WHERE a.candidate_id = candidates.id) > last_activity_at;
UPDATE candidates SET last_activity_at = (
    SELECT max(s.submitted_at) FROM scorecards s JOIN interview_assignments ia ON ia.id = s.assignment_id
    JOIN applications a ON a.id = ia.application_id WHERE a.candidate_id = candidates.id)
WHERE (SELECT max(s.submitted_at) FROM scorecards s JOIN interview_assignments ia ON ia.id = s.assignment_id
       JOIN applications a ON a.id = ia.application_id WHERE a.candidate_id = candidates.id) > last_activity_at;
UPDATE candidates SET last_activity_at = (
    SELECT max(d.decided_at) FROM decisions d JOIN applications a ON a.id = d.application_id
    WHERE a.candidate_id = candidates.id)
WHERE (SELECT max(d.decided_at) FROM decisions d JOIN applications a ON a.id = d.application_id
       WHERE a.candidate_id = candidates.id) > last_activity_at;
CREATE INDEX candidates_last_activity_at ON candidates (last_activity_at, id);

CREATE TRIGGER stage_changes_activity AFTER INSERT ON stage_changes BEGIN
    UPDATE candidates SET last_activity_at = new.changed_at
    WHERE id = (SELECT candidate_id FROM applications WHERE id = new.application_id);
END;
CREATE TRIGGER scorecards_submitted_activity AFTER UPDATE OF submitted_at ON scorecards
WHEN new.submitted_at IS NOT NULL BEGIN
    UPDATE candidates SET last_activity_at = new.submitted_at WHERE id = (
        SELECT a.candidate_id FROM interview_assignments ia JOIN applications a ON a.id = ia.application_id
        WHERE ia.id = new.assignment_id);
END;
CREATE TRIGGER scorecards_inserted_activity AFTER INSERT ON scorecards
WHEN new.submitted_at IS NOT NULL BEGIN
    UPDATE candidates SET last_activity_at = new.submitted_at WHERE id = (
        SELECT a.candidate_id FROM interview_assignments ia JOIN applications a ON a.id = ia.application_id
        WHERE ia.id = new.assignment_id);
END;
CREATE TRIGGER decisions_activity AFTER INSERT ON decisions BEGIN
    UPDATE candidates SET last_activity_at = new.decided_at
    WHERE id = (SELECT candidate_id FROM applications WHERE id = new.application_id);
END;
CREATE TRIGGER documents_activity AFTER INSERT ON documents BEGIN
    UPDATE candidates SET last_activity_at = new.uploaded_at WHERE id = new.candidate_id;
END;
