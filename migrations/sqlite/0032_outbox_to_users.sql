-- Mail to the people who use amfit, beside the letters to candidates: an interviewer's calendar
-- invitation to an interview (and its changes and cancellation). Such a message names the user
-- it goes to, and is about a candidate (candidate_id), with whose data it is erased; the
-- candidate's list of letters leaves it out.
ALTER TABLE outbox ADD COLUMN user_id INTEGER REFERENCES users (id) ON DELETE CASCADE;
CREATE INDEX outbox_user_id ON outbox (user_id);
