-- What a Danish ad needs to say: permanent or fixed-term, whether interviews are held as
-- applications come in, and where to apply online.
ALTER TABLE role_profiles ADD COLUMN employment TEXT NOT NULL DEFAULT 'permanent';
ALTER TABLE role_profiles ADD COLUMN interviewing TEXT NOT NULL DEFAULT 'after_deadline';
ALTER TABLE role_profiles ADD COLUMN apply_url TEXT;
