-- requires: sql/functions/zengin/is_zengin_kana.sql, sql/functions/zengin/hira_from_kana.sql
-- requires: sql/functions/zengin/find_record_problems.sql, sql/functions/zengin/is_clean_record.sql
-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: bad master data must be refused with an error that names the field and
-- the value and carries a project SQLSTATE; a CHECK constraint alone would say
-- only which constraint failed. The CHECK constraints of the table back this up.
CREATE OR REPLACE FUNCTION zengin.tg_banks__validate()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_problem record;
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.bank_code IS DISTINCT FROM OLD.bank_code) THEN
        RAISE EXCEPTION 'the code of banks row % cannot change (to %)', OLD.bank_code, NEW.bank_code
            USING ERRCODE = 'ZG004',
                  DETAIL = pg_catalog.format('old=%s new=%s', OLD.bank_code, NEW.bank_code),
                  HINT = 'Delete the row and insert the new one (each is recorded in zengin.change_history).';
    END IF;
    SELECT p.field, p.value, p.rule, p.sqlstate INTO v_problem
    FROM zengin.find_record_problems('bank', NEW.bank_code, NULL, NEW.name, NEW.kana,
        NEW.hira, NEW.roma) AS p
    LIMIT 1;
    IF FOUND THEN
        PERFORM bbase.raise_invalid(v_problem.sqlstate, v_problem.field, v_problem.value, v_problem.rule);
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
'Trigger function: validates a zengin.banks row before it is written (zengin.find_record_problems: codes ZG001, name ZG002, kana ZG003, longer than zengin.name_length_limit() ZG040; codes immutable ZG004; the message names field and value), derives hira from kana when missing, stamps updated_at.';

-- Inserts call the function only for a row it has work for (invalid, or no
-- hira): the WHEN condition runs in the executor, so a bulk insert of valid
-- rows pays no PL/pgSQL call per row. Updates always go through it (codes
-- immutable, updated_at stamped). The gate is zengin.is_clean_record, the
-- inlinable form of zengin.find_record_problems.
DROP TRIGGER IF EXISTS tg_banks__validate ON zengin.banks;

CREATE OR REPLACE TRIGGER tg_banks__validate_insert
BEFORE INSERT ON zengin.banks
FOR EACH ROW
WHEN (NOT zengin.is_clean_record('bank', NEW.bank_code, NULL, NEW.name, NEW.kana, NEW.hira, NEW.roma)
    OR NEW.hira IS NULL)
EXECUTE FUNCTION zengin.tg_banks__validate();

CREATE OR REPLACE TRIGGER tg_banks__validate_update
BEFORE UPDATE ON zengin.banks
FOR EACH ROW EXECUTE FUNCTION zengin.tg_banks__validate();

COMMENT ON TRIGGER tg_banks__validate_insert ON zengin.banks IS
'Validates an inserted row that breaks a rule (or derives its missing hira) before the CHECK constraints would; see the function.';
COMMENT ON TRIGGER tg_banks__validate_update ON zengin.banks IS
'Validates every updated row, keeps codes immutable and stamps updated_at; see the function.';
