-- The candidate list at scale: searched through an index, sorted and paged by the database.
--
-- A candidate's words: their name, email address and documents' text, folded by the
-- application as a search folds what is typed (lower case, no accents, "ø" as "o"), so that
-- both backends find the same. Written with every change to what they are made of; the
-- application fills in the candidates this migration leaves without.
CREATE TABLE candidate_words (
    candidate_id BIGINT PRIMARY KEY REFERENCES candidates (id) ON DELETE CASCADE,
    words        TEXT   NOT NULL
);
-- The words are already folded and split by the application: the 'simple' configuration only
-- separates them, and prefix queries (`anne:*`) are answered from this index.
CREATE INDEX candidate_words_index ON candidate_words USING gin (to_tsvector('simple', words));

-- The name as the list sorts it (folded, written with the words).
ALTER TABLE candidates ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
CREATE INDEX candidates_sort_name ON candidates (sort_name, id);
CREATE INDEX candidates_source ON candidates (source);
-- The applications no recruiter has opened yet: few, asked for on every start page.
CREATE INDEX applications_new ON applications (candidate_id) WHERE seen_at IS NULL;

-- When anything last happened to a candidate: added or edited, applied or moved, scored,
-- decided on, or a document received. Kept by the triggers below, whoever writes.
ALTER TABLE candidates ADD COLUMN last_activity_at TIMESTAMPTZ;
UPDATE candidates c SET last_activity_at = greatest(
    c.updated_at,
    (SELECT max(sc.changed_at) FROM stage_changes sc JOIN applications a ON a.id = sc.application_id
     WHERE a.candidate_id = c.id),
    (SELECT max(s.submitted_at) FROM scorecards s JOIN interview_assignments ia ON ia.id = s.assignment_id
     JOIN applications a ON a.id = ia.application_id WHERE a.candidate_id = c.id),
    (SELECT max(d.decided_at) FROM decisions d JOIN applications a ON a.id = d.application_id
     WHERE a.candidate_id = c.id));
CREATE INDEX candidates_last_activity_at ON candidates (last_activity_at, id);

CREATE FUNCTION stage_change_activity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE candidates SET last_activity_at = NEW.changed_at
    WHERE id = (SELECT candidate_id FROM applications WHERE id = NEW.application_id);
    RETURN NULL;
END
$$;
CREATE TRIGGER stage_changes_activity AFTER INSERT ON stage_changes
    FOR EACH ROW EXECUTE FUNCTION stage_change_activity();

CREATE FUNCTION scorecard_activity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE candidates SET last_activity_at = NEW.submitted_at WHERE id = (
        SELECT a.candidate_id FROM interview_assignments ia JOIN applications a ON a.id = ia.application_id
        WHERE ia.id = NEW.assignment_id);
    RETURN NULL;
END
$$;
CREATE TRIGGER scorecards_submitted_activity AFTER UPDATE OF submitted_at ON scorecards
    FOR EACH ROW WHEN (NEW.submitted_at IS NOT NULL) EXECUTE FUNCTION scorecard_activity();
CREATE TRIGGER scorecards_inserted_activity AFTER INSERT ON scorecards
    FOR EACH ROW WHEN (NEW.submitted_at IS NOT NULL) EXECUTE FUNCTION scorecard_activity();

CREATE FUNCTION decision_activity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE candidates SET last_activity_at = NEW.decided_at
    WHERE id = (SELECT candidate_id FROM applications WHERE id = NEW.application_id);
    RETURN NULL;
END
$$;
CREATE TRIGGER decisions_activity AFTER INSERT ON decisions
    FOR EACH ROW EXECUTE FUNCTION decision_activity();

CREATE FUNCTION document_activity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE candidates SET last_activity_at = NEW.uploaded_at WHERE id = NEW.candidate_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER documents_activity AFTER INSERT ON documents
    FOR EACH ROW EXECUTE FUNCTION document_activity();
