-- The language of the ad a candidate applied through, which their letters are written in.
-- NULL for applications a recruiter entered or imported: theirs are in the profile's ad language.
ALTER TABLE applications ADD COLUMN language TEXT CHECK (language IN ('da', 'en'));
