-- Candidates (no birth date, age, gender, photo or nationality: Danish anti-discrimination
-- law) and their applications to role profiles, with every stage change and who made it.
CREATE TABLE candidates (
    id         INTEGER PRIMARY KEY,
    version    INTEGER NOT NULL DEFAULT 1,
    name       TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    email      TEXT    NOT NULL,
    phone      TEXT,
    source     TEXT,
    notes      TEXT,
    link       TEXT,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

CREATE TABLE applications (
    id           INTEGER PRIMARY KEY,
    candidate_id INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    profile_id   INTEGER NOT NULL REFERENCES role_profiles (id) ON DELETE CASCADE,
    stage        TEXT    NOT NULL CHECK (stage IN ('applied', 'screening', 'interviewing', 'offer', 'hired', 'rejected')),
    applied_on   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    UNIQUE (candidate_id, profile_id)
);
CREATE INDEX applications_profile_id ON applications (profile_id);

CREATE TABLE stage_changes (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    stage          TEXT    NOT NULL,
    changed_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    changed_at     TEXT    NOT NULL
);
CREATE INDEX stage_changes_application_id ON stage_changes (application_id);
