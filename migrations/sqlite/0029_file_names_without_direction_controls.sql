-- Characters that turn the direction of text around (right-to-left overrides, embeddings,
-- isolates and marks) make a file name read as another: "invoice\u202Egpj.pdf" shows as
-- "invoicefdp.jpg". Names sent from now on lose them; this takes them out of the names stored
-- before, the same twelve characters. A name of nothing else becomes "document".
UPDATE documents SET file_name = CASE
    WHEN replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(file_name, char(1564), ''), char(8206), ''), char(8207), ''), char(8234), ''), char(8235), ''), char(8236), ''), char(8237), ''), char(8238), ''), char(8294), ''), char(8295), ''), char(8296), ''), char(8297), '') = '' THEN 'document'
    ELSE replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(file_name, char(1564), ''), char(8206), ''), char(8207), ''), char(8234), ''), char(8235), ''), char(8236), ''), char(8237), ''), char(8238), ''), char(8294), ''), char(8295), ''), char(8296), ''), char(8297), '')
END
WHERE instr(file_name, char(1564)) > 0
   OR instr(file_name, char(8206)) > 0
   OR instr(file_name, char(8207)) > 0
   OR instr(file_name, char(8234)) > 0
   OR instr(file_name, char(8235)) > 0
   OR instr(file_name, char(8236)) > 0
   OR instr(file_name, char(8237)) > 0
   OR instr(file_name, char(8238)) > 0
   OR instr(file_name, char(8294)) > 0
   OR instr(file_name, char(8295)) > 0
   OR instr(file_name, char(8296)) > 0
   OR instr(file_name, char(8297)) > 0;
