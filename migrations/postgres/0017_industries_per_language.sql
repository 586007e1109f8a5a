-- A profile's client industries are given per language, so that an ad names them only in its
-- own. The column holds {"da": [...], "en": [...]}. The one list a profile had is placed by
-- what it is written in: Danish when it has a Danish letter or a Danish industry word
-- (handel, byggeri, forsyning, landbrug, sundhed, rådgivning, produktion), English otherwise.
UPDATE role_profiles SET client_industries = CASE
    WHEN LOWER(client_industries::text) LIKE '%æ%'
      OR LOWER(client_industries::text) LIKE '%ø%'
      OR LOWER(client_industries::text) LIKE '%å%'
      OR LOWER(client_industries::text) LIKE '%handel%'
      OR LOWER(client_industries::text) LIKE '%byggeri%'
      OR LOWER(client_industries::text) LIKE '%forsyning%'
      OR LOWER(client_industries::text) LIKE '%landbrug%'
      OR LOWER(client_industries::text) LIKE '%sundhed%'
      OR LOWER(client_industries::text) LIKE '%rådgivning%'
      OR LOWER(client_industries::text) LIKE '%produktion%'
    THEN jsonb_build_object('da', client_industries, 'en', '[]'::jsonb)
    ELSE jsonb_build_object('da', '[]'::jsonb, 'en', client_industries)
END;
ALTER TABLE role_profiles ALTER COLUMN client_industries SET DEFAULT '{"da": [], "en": []}';
