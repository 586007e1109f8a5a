-- The interview plan: who interviews an applicant, and which competencies each covers.
CREATE TABLE interview_assignments (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    interviewer_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    competencies   TEXT    NOT NULL,
    assigned_at    TEXT    NOT NULL,
    UNIQUE (application_id, interviewer_id)
);
CREATE INDEX interview_assignments_interviewer_id ON interview_assignments (interviewer_id);
