-- A company's description is given per language, so that an ad quotes only its own
-- language. The one description a company had is placed by what it is written in: Danish when
-- it has a Danish letter or one of the commonest Danish words that English does not have,
-- English otherwise.
ALTER TABLE companies ADD COLUMN description_da TEXT;
ALTER TABLE companies ADD COLUMN description_en TEXT;
UPDATE companies SET description_da = description
 WHERE description IS NOT NULL
   AND (LOWER(description) LIKE '%æ%' OR LOWER(description) LIKE '%ø%' OR LOWER(description) LIKE '%å%'
        OR ' ' || LOWER(description) || ' ' LIKE '% og %' OR ' ' || LOWER(description) || ' ' LIKE '% er %'
        OR ' ' || LOWER(description) || ' ' LIKE '% af %' OR ' ' || LOWER(description) || ' ' LIKE '% til %'
        OR ' ' || LOWER(description) || ' ' LIKE '% med %' OR ' ' || LOWER(description) || ' ' LIKE '% vi %'
        OR ' ' || LOWER(description) || ' ' LIKE '% en %' OR ' ' || LOWER(description) || ' ' LIKE '% et %'
        OR ' ' || LOWER(description) || ' ' LIKE '% der %' OR ' ' || LOWER(description) || ' ' LIKE '% som %'
        OR ' ' || LOWER(description) || ' ' LIKE '% vores %' OR ' ' || LOWER(description) || ' ' LIKE '% virksomhed%');
UPDATE companies SET description_en = description WHERE description IS NOT NULL AND description_da IS NULL;
ALTER TABLE companies DROP COLUMN description;
