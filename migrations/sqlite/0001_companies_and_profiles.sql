-- Companies and their role profiles. Closed sets are stored by their snake_case names;
-- lists are JSON arrays. The checks repeat the domain's rules as a last line of defence.
CREATE TABLE companies (
    id               INTEGER PRIMARY KEY,
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

CREATE TABLE role_profiles (
    id                       INTEGER PRIMARY KEY,
    company_id               INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
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
    updated_at               TEXT    NOT NULL,
    CHECK ((salary_min IS NULL) = (salary_max IS NULL) AND (salary_min IS NULL OR salary_min <= salary_max))
);

CREATE INDEX role_profiles_company_id ON role_profiles (company_id);
