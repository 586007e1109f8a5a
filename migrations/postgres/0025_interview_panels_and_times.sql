-- Interview panels set once: a role profile's default panel, which each new application of
-- the profile is given, and when and where each interviewer meets the candidate.
CREATE TABLE profile_panels (
    profile_id     BIGINT      NOT NULL REFERENCES role_profiles (id) ON DELETE CASCADE,
    interviewer_id BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The competency ids of the rubric this interviewer rates.
    competencies   JSONB       NOT NULL,
    added_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (profile_id, interviewer_id)
);

-- The wall-clock time where the interview is held (no time zone: it is met there).
ALTER TABLE interview_assignments ADD COLUMN starts_at TIMESTAMP;
ALTER TABLE interview_assignments ADD COLUMN duration_minutes INTEGER;
ALTER TABLE interview_assignments ADD COLUMN place TEXT;
ALTER TABLE interview_assignments ADD COLUMN video_link TEXT;
CREATE INDEX interview_assignments_starts_at ON interview_assignments (starts_at) WHERE starts_at IS NOT NULL;
