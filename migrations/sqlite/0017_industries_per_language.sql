-- A profile's client industries are given per language, so that an ad names them only in its
-- own. The column holds {"da": [...], "en": [...]}. The one list a profile had is placed by
-- what it is written in: Danish when it has a Danish letter or a Danish industry word
-- (handel, byggeri, forsyning, landbrug, sundhed, rådgivning, produktion), English otherwise.
UPDATE role_profiles SET client_industries = CASE
    WHEN LOWER(client_industries) LIKE '%æ%'
      OR LOWER(client_industries) LIKE '%ø%'
      OR LOWER(client_industries) LIKE '%å%'
      OR LOWER(client_industries) LIKE '%handel%'
      OR LOWER(client_industries) LIKE '%byggeri%'
      OR LOWER(client_industries) LIKE '%forsyning%'
      OR LOWER(client_industries) LIKE '%landbrug%'
      OR LOWER(client_industries) LIKE '%sundhed%'
      OR LOWER(client_industries) LIKE '%rådgivning%'
      OR LOWER(client_industries) LIKE '%produktion%'
    THEN json_object('da', json(client_industries), 'en', json('[]'))
    ELSE json_object('da', json('[]'), 'en', json(client_industries))
END;
