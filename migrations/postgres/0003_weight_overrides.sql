-- A recruiter's override of one competency's derived weight and minimum for one profile,
-- with who set it and when. Removing the row resets the competency to the derived values.
CREATE TABLE weight_overrides (
    profile_id    BIGINT      NOT NULL REFERENCES role_profiles (id) ON DELETE CASCADE,
    competency_id TEXT        NOT NULL,
    weight        INTEGER     NOT NULL CHECK (weight BETWEEN 0 AND 10),
    minimum       INTEGER     CHECK (minimum BETWEEN 1 AND 5),
    set_by        BIGINT      REFERENCES users (id) ON DELETE SET NULL,
    set_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (profile_id, competency_id)
);
