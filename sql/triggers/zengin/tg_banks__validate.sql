-- Why: bad master data must be refused with an error that names the field and
-- the value and carries a project SQLSTATE; a CHECK constraint alone would say
-- only which constraint failed. The CHECK constraints of the table back this up.
CREATE OR REPLACE FUNCTION zengin.tg_banks__validate()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.bank_code IS DISTINCT FROM OLD.bank_code) THEN
        RAISE EXCEPTION 'the code of banks row % cannot change (to %)', OLD.bank_code, NEW.bank_code
            USING ERRCODE = 'ZG004',
                  DETAIL = pg_catalog.format('old=%s new=%s', OLD.bank_code, NEW.bank_code),
                  HINT = 'Delete the row and insert the new one (each is recorded in zengin.change_history).';
    END IF;
    IF NEW.bank_code IS NULL OR NEW.bank_code !~ '^[0-9]{4}$' THEN
        PERFORM bbase.raise_invalid('ZG001', 'bank_code', NEW.bank_code, 'must be exactly 4 ASCII digits');
    END IF;
    IF NEW.name IS NULL OR pg_catalog.btrim(NEW.name, E' \t\n\u3000') = '' THEN
        PERFORM bbase.raise_invalid('ZG002', 'name', NEW.name, 'must not be empty');
    END IF;
    IF NEW.kana IS NULL OR NEW.kana !~ '^[ァ-ヺー－．・（）／　Ａ-Ｚ０-９]+$' THEN
        PERFORM bbase.raise_invalid('ZG003', 'kana', NEW.kana,
            'must be full-width katakana (ァ-ヺ, ー, －, ．, ・, （）, ／, full-width A-Z/0-9, ideographic space)');
    END IF;
    IF NEW.hira IS NULL THEN
        NEW.hira := zengin.hira_from_kana(NEW.kana);
    END IF;
    IF TG_OP = 'UPDATE' THEN
        NEW.created_at := OLD.created_at;
        NEW.updated_at := pg_catalog.now();
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION zengin.tg_banks__validate() IS
'Trigger function: validates a zengin.banks row before it is written (codes ZG001, name ZG002, kana ZG003, codes immutable ZG004; the message names field and value), derives hira from kana when missing, stamps updated_at.';

CREATE OR REPLACE TRIGGER tg_banks__validate
BEFORE INSERT OR UPDATE ON zengin.banks
FOR EACH ROW EXECUTE FUNCTION zengin.tg_banks__validate();

COMMENT ON TRIGGER tg_banks__validate ON zengin.banks IS
'Validates each written row (see the function) before the CHECK constraints would.';
