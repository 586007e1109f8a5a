-- Characters that turn the direction of text around (right-to-left overrides, embeddings,
-- isolates and marks) make a file name read as another: "invoice\u202Egpj.pdf" shows as
-- "invoicefdp.jpg". Names sent from now on lose them; this takes them out of the names stored
-- before, the same twelve characters. A name of nothing else becomes "document".
UPDATE documents SET file_name = CASE
    WHEN replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(file_name, chr(1564), ''), chr(8206), ''), chr(8207), ''), chr(8234), ''), chr(8235), ''), chr(8236), ''), chr(8237), ''), chr(8238), ''), chr(8294), ''), chr(8295), ''), chr(8296), ''), chr(8297), '') = '' THEN 'document'
    ELSE replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(file_name, chr(1564), ''), chr(8206), ''), chr(8207), ''), chr(8234), ''), chr(8235), ''), chr(8236), ''), chr(8237), ''), chr(8238), ''), chr(8294), ''), chr(8295), ''), chr(8296), ''), chr(8297), '')
END
WHERE strpos(file_name, chr(1564)) > 0
   OR strpos(file_name, chr(8206)) > 0
   OR strpos(file_name, chr(8207)) > 0
   OR strpos(file_name, chr(8234)) > 0
   OR strpos(file_name, chr(8235)) > 0
   OR strpos(file_name, chr(8236)) > 0
   OR strpos(file_name, chr(8237)) > 0
   OR strpos(file_name, chr(8238)) > 0
   OR strpos(file_name, chr(8294)) > 0
   OR strpos(file_name, chr(8295)) > 0
   OR strpos(file_name, chr(8296)) > 0
   OR strpos(file_name, chr(8297)) > 0;
