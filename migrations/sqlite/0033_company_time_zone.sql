-- Where a company's interviews are held: their times are wall-clock times in this IANA zone,
-- which calendar invitations convert from.
ALTER TABLE companies ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/Copenhagen';
