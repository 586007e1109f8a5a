-- A company's privacy notice, which its job ads point applicants to.
ALTER TABLE companies ADD COLUMN privacy_url TEXT;
