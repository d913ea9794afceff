-- requires: sql/functions/ses_common/apply_context_grants.sql
-- Why: the one place the grants of the SES roles on the *_context schemas are
-- put in place (they are data: ses_common.context_grants), replayed by
-- `bbase migrate` (and yoyo's post-apply hook) after every change of the
-- applied migrations, so every table of every context, including one a later
-- migration adds, carries its grants. A post-install step rather than a call
-- in each sql/schemas/<context>.sql: it runs after the function is replayed,
-- and a context installed alone (foundation, ses_common, its own migrations)
-- needs no other context's files.
-- The table comes with migration 0174; an install without it (one context
-- alone from the 0100-0109 and its own number block only) gets no grants
-- until 0174 and 0180 (per-table grants) are applied: `bbase migrate --only
-- 0174 0180 ...` adds them alone.
-- Idempotent; takes no lock when every grant is in place.
-- No COMMENT/GRANT here: this file creates no object of its own.
DO $apply$
BEGIN
    IF pg_catalog.to_regclass('ses_common.context_grants') IS NULL
       OR pg_catalog.to_regclass('ses_common.table_grants') IS NULL THEN
        RAISE NOTICE 'ses_common.context_grants or table_grants is not installed (migrations 0174, 0180): SES context grants left as they are';
    ELSE
        PERFORM ses_common.apply_context_grants();
    END IF;
END
$apply$;
