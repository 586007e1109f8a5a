-- Ids are never reused. PostgreSQL's identity columns never hand out a number twice, so
-- nothing changes here; the SQLite schema of the same version gains AUTOINCREMENT.
SELECT 1;
