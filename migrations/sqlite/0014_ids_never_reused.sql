-- Ids are never reused: every table with an id gets AUTOINCREMENT, so that the id of a
-- deleted newest row is not handed to the next one (the audit trail names candidates and the
-- rest by id). SQLite cannot add AUTOINCREMENT to a table, so each table is copied into a new
-- one that has it, the old ones are dropped and the new ones take their names, and the indexes
-- and triggers are made again. weight_overrides has no id, but is copied too: its foreign keys
-- must point at the new tables, or dropping an old parent would delete or null its rows.
--
-- sqlx runs this in a transaction, in which foreign keys cannot be switched off. So the new
-- tables refer to each other's new names (renaming a table rewrites those references), and
-- the old tables are dropped children first: a dropped parent then has nothing left that refers
-- to it, and no foreign-key action touches the copies.

CREATE TABLE companies_rebuilt (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    version          INTEGER NOT NULL DEFAULT 1,
    name             TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    industry         TEXT    NOT NULL,
    employees        INTEGER NOT NULL CHECK (employees BETWEEN 1 AND 10000000),
    account_managers INTEGER NOT NULL CHECK (account_managers BETWEEN 1 AND employees),
    description      TEXT,
    location         TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);
INSERT INTO companies_rebuilt SELECT * FROM companies;

CREATE TABLE users_rebuilt (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    name          TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'recruiter', 'hiring_manager', 'interviewer')),
    password_hash TEXT    NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);
INSERT INTO users_rebuilt SELECT * FROM users;

CREATE TABLE role_profiles_rebuilt (
    id                       INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id               INTEGER NOT NULL REFERENCES companies_rebuilt (id) ON DELETE CASCADE,
    version                  INTEGER NOT NULL DEFAULT 1,
    title                    TEXT    NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 200),
    ad_language              TEXT    NOT NULL CHECK (ad_language IN ('da', 'en')),
    accounts_per_manager     INTEGER NOT NULL CHECK (accounts_per_manager BETWEEN 1 AND 1000),
    key_accounts_per_manager INTEGER NOT NULL CHECK (key_accounts_per_manager BETWEEN 0 AND accounts_per_manager),
    typical_client_size      TEXT    NOT NULL,
    client_industries        TEXT    NOT NULL DEFAULT '[]',
    growth_focus             TEXT    NOT NULL,
    meeting_cadence          TEXT    NOT NULL,
    presentation_frequency   TEXT    NOT NULL,
    travel_share             INTEGER NOT NULL CHECK (travel_share BETWEEN 0 AND 100),
    duties                   TEXT    NOT NULL DEFAULT '[]',
    location                 TEXT    NOT NULL,
    remote_option            TEXT    NOT NULL,
    weekly_hours             INTEGER NOT NULL CHECK (weekly_hours BETWEEN 1 AND 60),
    salary_min               INTEGER,
    salary_max               INTEGER,
    salary_currency          TEXT,
    salary_period            TEXT,
    start_date               TEXT,
    application_deadline     TEXT,
    contact_name             TEXT,
    contact_email            TEXT,
    contact_phone            TEXT,
    created_at               TEXT    NOT NULL,
    updated_at               TEXT    NOT NULL, hiring_manager_id INTEGER REFERENCES users_rebuilt (id) ON DELETE SET NULL,
    CHECK ((salary_min IS NULL) = (salary_max IS NULL) AND (salary_min IS NULL OR salary_min <= salary_max))
);
INSERT INTO role_profiles_rebuilt SELECT * FROM role_profiles;

CREATE TABLE api_tokens_rebuilt (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users_rebuilt (id) ON DELETE CASCADE,
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   TEXT    NOT NULL,
    revoked_at   TEXT
);
INSERT INTO api_tokens_rebuilt SELECT * FROM api_tokens;

CREATE TABLE login_failures_rebuilt (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    subject   TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
INSERT INTO login_failures_rebuilt SELECT * FROM login_failures;

CREATE TABLE weight_overrides_rebuilt (
    profile_id    INTEGER NOT NULL REFERENCES role_profiles_rebuilt (id) ON DELETE CASCADE,
    competency_id TEXT    NOT NULL,
    weight        INTEGER NOT NULL CHECK (weight BETWEEN 0 AND 10),
    minimum       INTEGER CHECK (minimum BETWEEN 1 AND 5),
    set_by        INTEGER REFERENCES users_rebuilt (id) ON DELETE SET NULL,
    set_at        TEXT    NOT NULL,
    PRIMARY KEY (profile_id, competency_id)
);
INSERT INTO weight_overrides_rebuilt SELECT * FROM weight_overrides;

CREATE TABLE candidates_rebuilt (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    version    INTEGER NOT NULL DEFAULT 1,
    name       TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    email      TEXT    NOT NULL,
    phone      TEXT,
    source     TEXT,
    notes      TEXT,
    link       TEXT,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
, erased_at TEXT, talent_pool_given_on TEXT, talent_pool_until TEXT);
INSERT INTO candidates_rebuilt SELECT * FROM candidates;

CREATE TABLE applications_rebuilt (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id INTEGER NOT NULL REFERENCES candidates_rebuilt (id) ON DELETE CASCADE,
    profile_id   INTEGER NOT NULL REFERENCES role_profiles_rebuilt (id) ON DELETE CASCADE,
    stage        TEXT    NOT NULL CHECK (stage IN ('applied', 'screening', 'interviewing', 'offer', 'hired', 'rejected')),
    applied_on   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    UNIQUE (candidate_id, profile_id)
);
INSERT INTO applications_rebuilt SELECT * FROM applications;

CREATE TABLE stage_changes_rebuilt (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications_rebuilt (id) ON DELETE CASCADE,
    stage          TEXT    NOT NULL,
    changed_by     INTEGER REFERENCES users_rebuilt (id) ON DELETE SET NULL,
    changed_at     TEXT    NOT NULL
);
INSERT INTO stage_changes_rebuilt SELECT * FROM stage_changes;

CREATE TABLE interview_assignments_rebuilt (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications_rebuilt (id) ON DELETE CASCADE,
    interviewer_id INTEGER NOT NULL REFERENCES users_rebuilt (id) ON DELETE CASCADE,
    competencies   TEXT    NOT NULL,
    assigned_at    TEXT    NOT NULL,
    UNIQUE (application_id, interviewer_id)
);
INSERT INTO interview_assignments_rebuilt SELECT * FROM interview_assignments;

CREATE TABLE scorecards_rebuilt (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    assignment_id  INTEGER NOT NULL REFERENCES interview_assignments_rebuilt (id) ON DELETE CASCADE,
    number         INTEGER NOT NULL CHECK (number >= 1),
    ratings        TEXT    NOT NULL,
    recommendation TEXT CHECK (recommendation IN ('strong_no', 'no', 'yes', 'strong_yes')),
    rubric_version TEXT    NOT NULL,
    submitted_at   TEXT,
    updated_at     TEXT    NOT NULL,
    UNIQUE (assignment_id, number)
);
INSERT INTO scorecards_rebuilt SELECT * FROM scorecards;

CREATE TABLE decisions_rebuilt (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications_rebuilt (id) ON DELETE CASCADE,
    verdict        TEXT    NOT NULL CHECK (verdict IN ('advance', 'reject', 'offer', 'hire')),
    reason         TEXT    NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 2000),
    stage          TEXT    NOT NULL,
    decided_by     INTEGER REFERENCES users_rebuilt (id) ON DELETE SET NULL,
    decided_at     TEXT    NOT NULL
);
INSERT INTO decisions_rebuilt SELECT * FROM decisions;

CREATE TABLE ad_versions_rebuilt (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    profile_id INTEGER NOT NULL REFERENCES role_profiles_rebuilt (id) ON DELETE CASCADE,
    number     INTEGER NOT NULL CHECK (number >= 1),
    language   TEXT    NOT NULL CHECK (language IN ('da', 'en')),
    tone       TEXT    NOT NULL CHECK (tone IN ('informal', 'formal')),
    body       TEXT    NOT NULL CHECK (length(trim(body)) BETWEEN 1 AND 50000),
    saved_by   INTEGER REFERENCES users_rebuilt (id) ON DELETE SET NULL,
    saved_at   TEXT    NOT NULL,
    UNIQUE (profile_id, number)
);
INSERT INTO ad_versions_rebuilt SELECT * FROM ad_versions;

CREATE TABLE audit_log_rebuilt (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT    NOT NULL,
    actor_id   INTEGER REFERENCES users_rebuilt (id) ON DELETE SET NULL,
    actor_name TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    subject_id INTEGER NOT NULL,
    detail     TEXT    NOT NULL DEFAULT ''
);
INSERT INTO audit_log_rebuilt SELECT * FROM audit_log;


DROP TABLE audit_log;
DROP TABLE ad_versions;
DROP TABLE decisions;
DROP TABLE scorecards;
DROP TABLE interview_assignments;
DROP TABLE stage_changes;
DROP TABLE applications;
DROP TABLE candidates;
DROP TABLE weight_overrides;
DROP TABLE login_failures;
DROP TABLE api_tokens;
DROP TABLE role_profiles;
DROP TABLE users;
DROP TABLE companies;

ALTER TABLE companies_rebuilt RENAME TO companies;
ALTER TABLE users_rebuilt RENAME TO users;
ALTER TABLE role_profiles_rebuilt RENAME TO role_profiles;
ALTER TABLE api_tokens_rebuilt RENAME TO api_tokens;
ALTER TABLE login_failures_rebuilt RENAME TO login_failures;
ALTER TABLE weight_overrides_rebuilt RENAME TO weight_overrides;
ALTER TABLE candidates_rebuilt RENAME TO candidates;
ALTER TABLE applications_rebuilt RENAME TO applications;
ALTER TABLE stage_changes_rebuilt RENAME TO stage_changes;
ALTER TABLE interview_assignments_rebuilt RENAME TO interview_assignments;
ALTER TABLE scorecards_rebuilt RENAME TO scorecards;
ALTER TABLE decisions_rebuilt RENAME TO decisions;
ALTER TABLE ad_versions_rebuilt RENAME TO ad_versions;
ALTER TABLE audit_log_rebuilt RENAME TO audit_log;

CREATE TRIGGER companies_insert_revision AFTER INSERT ON companies BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER companies_update_revision AFTER UPDATE ON companies BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER companies_delete_revision AFTER DELETE ON companies BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER users_insert_revision AFTER INSERT ON users BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER users_update_revision AFTER UPDATE ON users BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER users_delete_revision AFTER DELETE ON users BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE INDEX role_profiles_company_id ON role_profiles (company_id);
CREATE INDEX role_profiles_hiring_manager_id ON role_profiles (hiring_manager_id);
CREATE TRIGGER role_profiles_insert_revision AFTER INSERT ON role_profiles BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER role_profiles_update_revision AFTER UPDATE ON role_profiles BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER role_profiles_delete_revision AFTER DELETE ON role_profiles BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE INDEX login_failures_subject ON login_failures (subject, failed_at);
CREATE TRIGGER weight_overrides_insert_revision AFTER INSERT ON weight_overrides BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER weight_overrides_update_revision AFTER UPDATE ON weight_overrides BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER weight_overrides_delete_revision AFTER DELETE ON weight_overrides BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER candidates_insert_revision AFTER INSERT ON candidates BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER candidates_update_revision AFTER UPDATE ON candidates BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER candidates_delete_revision AFTER DELETE ON candidates BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE INDEX applications_profile_id ON applications (profile_id);
CREATE TRIGGER applications_insert_revision AFTER INSERT ON applications BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER applications_update_revision AFTER UPDATE ON applications BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER applications_delete_revision AFTER DELETE ON applications BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE INDEX stage_changes_application_id ON stage_changes (application_id);
CREATE TRIGGER stage_changes_insert_revision AFTER INSERT ON stage_changes BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER stage_changes_update_revision AFTER UPDATE ON stage_changes BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER stage_changes_delete_revision AFTER DELETE ON stage_changes BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE INDEX interview_assignments_interviewer_id ON interview_assignments (interviewer_id);
CREATE TRIGGER interview_assignments_insert_revision AFTER INSERT ON interview_assignments BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER interview_assignments_update_revision AFTER UPDATE ON interview_assignments BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER interview_assignments_delete_revision AFTER DELETE ON interview_assignments BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER scorecards_insert_revision AFTER INSERT ON scorecards BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER scorecards_update_revision AFTER UPDATE ON scorecards BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER scorecards_delete_revision AFTER DELETE ON scorecards BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE INDEX decisions_application_id ON decisions (application_id);
CREATE TRIGGER decisions_insert_revision AFTER INSERT ON decisions BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER decisions_update_revision AFTER UPDATE ON decisions BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER decisions_delete_revision AFTER DELETE ON decisions BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER ad_versions_insert_revision AFTER INSERT ON ad_versions BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER ad_versions_update_revision AFTER UPDATE ON ad_versions BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE TRIGGER ad_versions_delete_revision AFTER DELETE ON ad_versions BEGIN UPDATE data_revision SET revision = revision + 1; END;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject, subject_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OF at, actor_name, action, subject, subject_id, detail ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
