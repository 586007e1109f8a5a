-- An interviewer's scorecards for one assignment. Number 1 is the first; a correction of a
-- submitted scorecard is a new number, so the earlier one stays as it was submitted.
CREATE TABLE scorecards (
    id             INTEGER PRIMARY KEY,
    assignment_id  INTEGER NOT NULL REFERENCES interview_assignments (id) ON DELETE CASCADE,
    number         INTEGER NOT NULL CHECK (number >= 1),
    ratings        TEXT    NOT NULL,
    recommendation TEXT CHECK (recommendation IN ('strong_no', 'no', 'yes', 'strong_yes')),
    rubric_version TEXT    NOT NULL,
    submitted_at   TEXT,
    updated_at     TEXT    NOT NULL,
    UNIQUE (assignment_id, number)
);
