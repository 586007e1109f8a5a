-- What each user is told by mail of the work that comes their way (assigned an interview,
-- applications arrived, candidates ready for a decision, an interview tomorrow, a scorecard
-- overdue): at once, in a daily digest, or not at all; and in which language.
ALTER TABLE users ADD COLUMN notifications TEXT NOT NULL DEFAULT 'at_once'
    CHECK (notifications IN ('at_once', 'daily', 'off'));
ALTER TABLE users ADD COLUMN mail_language TEXT NOT NULL DEFAULT 'en' CHECK (mail_language IN ('da', 'en'));

-- What waits for a user's next daily digest: one line each, with where to act on it.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    line       TEXT    NOT NULL,
    link       TEXT    NOT NULL,
    created_at TEXT NOT NULL,
    sent_at    TEXT
);
CREATE INDEX notifications_waiting ON notifications (sent_at, user_id);

-- Jobs that run once a day whichever instance gets there first: a row per job and day.
CREATE TABLE daily_runs (
    job TEXT NOT NULL,
    day TEXT NOT NULL,
    PRIMARY KEY (job, day)
);
