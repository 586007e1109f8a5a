-- A job page's form is anyone's to fill in. An application giving the email address of a
-- candidate already held becomes a new candidate, marked as a possible duplicate of that one
-- until a recruiter merges the two or keeps them apart; nothing it sent reaches the existing
-- record before that.
ALTER TABLE candidates ADD COLUMN possible_duplicate_of BIGINT REFERENCES candidates (id) ON DELETE SET NULL;
CREATE INDEX candidates_possible_duplicate_of ON candidates (possible_duplicate_of);
-- Every application looks its address up, known or not: one lookup by index, the same for both.
CREATE INDEX candidates_email ON candidates (email);

-- How a talent-pool consent was given: by the candidate on the application form, or recorded by
-- a recruiter. Consents recorded before this column existed say neither (NULL).
ALTER TABLE candidates ADD COLUMN talent_pool_given_via TEXT
    CHECK (talent_pool_given_via IN ('application_form', 'recruiter'));
