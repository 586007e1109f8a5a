-- What a recruiter requires beyond the rubric (experience, education, languages, a driving
-- licence) and the terms a Danish ad gives (pension, bonus or commission, reporting line, an
-- invitation to all qualified applicants). Each is one value of the profile, read and written
-- whole, so each is one JSON column; existing profiles ask for nothing and state nothing.
ALTER TABLE role_profiles ADD COLUMN hard_requirements JSONB NOT NULL DEFAULT '{}';
ALTER TABLE role_profiles ADD COLUMN job_terms JSONB NOT NULL DEFAULT '{}';
