-- Roll back 0192: the older replay of sql/ recreates
-- billing_context.issue_month_invoice. What the newer replay put in place
-- that the older one cannot replace is removed here: the set-based close
-- functions, and the statement-level triggers (cross-context reference
-- checks, the outbox's queueing), which the older replay recreates as row
-- triggers.
DROP FUNCTION IF EXISTS billing_context.issue_month_invoices(integer, integer, uuid[], text, text);
DROP FUNCTION IF EXISTS billing_context.list_month_billables(integer, integer, uuid[]);

DO $$
DECLARE
    v_trigger record;
BEGIN
    FOR v_trigger IN
        SELECT t.tgname, t.tgrelid::regclass AS rel
        FROM pg_catalog.pg_trigger AS t
        WHERE NOT t.tgisinternal
          AND t.tgnewtable IS NOT NULL
          AND (t.tgname LIKE 'tg\_%\_\_check\_reference%' OR t.tgname = 'tg_event_outbox__queue_handlings')
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', v_trigger.tgname, v_trigger.rel);
    END LOOP;
END
$$;
