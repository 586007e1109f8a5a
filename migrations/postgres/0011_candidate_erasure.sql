-- When a candidate's personal data was erased on their request; the row stays, anonymised, so
-- that scores and decisions keep counting in the statistics and a second request is answered.
ALTER TABLE candidates ADD COLUMN erased_at TIMESTAMPTZ;
