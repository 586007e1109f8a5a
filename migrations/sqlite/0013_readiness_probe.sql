-- One row that the readiness check (/readyz) writes and commits, to learn whether the database
-- can take writes now (a full disk fails the commit). Not recruitment data: no revision trigger.
CREATE TABLE readiness_probe (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    probed_at TEXT
);
INSERT INTO readiness_probe (id, probed_at) VALUES (1, NULL);
