-- requires: sql/functions/bbase/raise_invalid.sql
-- Why: the design document's archive_old_data, made to run and to keep what it
-- moves. The document's version referred to columns that do not exist
-- (timesheets.period_date, invoices.invoice_date), only set deleted_at (so
-- nothing left the live tables), and passed its cutoff as $1 to an EXECUTE
-- whose text had no parameter. Its contract is kept: one result row per table
-- with the number of rows archived and a status.
--
-- What is archived (the document's four tables, with their children, so no
-- child is left without its parent):
--   billing_context.invoices        PAID, issued before the cutoff; with their
--                                   lines, tax summaries, payments, and the
--                                   journal entries (and lines) posted for them
--   timesheet_context.timesheets    APPROVED or CLOSED, period ended before the
--                                   cutoff; with daily attendances, approval
--                                   steps and adjustments
--   project_context.projects        COMPLETED, CANCELLED or LOST, ended (or last
--                                   changed) before the cutoff; with
--                                   requirements, phases and milestones
--   notification_context.notifications  SENT, created before the cutoff; with
--                                   their deliveries
-- Only live rows (deleted_at IS NULL) are archived: soft-deleted rows are
-- ses_common.purge_deleted's business. A row that a live row of another
-- context still references (ses_common.cross_context_references, e.g. a
-- project with a live contract, a timesheet billed by a live invoice line) is
-- not archived; invoices go first, so a timesheet whose invoice was archived
-- in the same run goes too.
--
-- Moving a row = copying it (to_jsonb, every column) into
-- ses_archive.archived_rows and deleting it through the purge path
-- (a purge permit, ses_common.purge_permits, which the soft-delete trigger
-- honours; children go by ON DELETE CASCADE). Each group runs in its own
-- subtransaction: a failing group reports its error as the status of its
-- tables, archives nothing, and the other groups still run. Everything is
-- committed with the caller's transaction, so the copy and the delete are
-- never separated.
--
-- SECURITY DEFINER: operators run it without holding INSERT on the archive or
-- DELETE on every context table.
CREATE OR REPLACE FUNCTION ses_common.archive_old_data(p_cutoff date)
RETURNS TABLE (context_name text, table_name text, archived_count integer, archive_status text)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_group record;
    v_member record;
    v_ids uuid[];
    v_guard text;
    v_counts integer[];
    v_count integer;
    v_deleted integer;
    v_i integer;
    v_state text;
    v_message text;
BEGIN
    -- Rows of every table under forced row-level security, as the owner: see
    -- ses_common.apply_maintenance_policies (on until the transaction ends).
    PERFORM pg_catalog.set_config('ses_common.maintenance', 'on', true);
    IF p_cutoff IS NULL OR p_cutoff > current_date THEN
        PERFORM bbase.raise_invalid('SE050', 'p_cutoff', p_cutoff::text, 'must be a date not after today',
                                    'Pass the first day that stays live, e.g. current_date - interval ''3 years''.');
    END IF;

    FOR v_group IN
        SELECT g.ord, g.root_schema, g.root_table, g.root_condition, g.members
        FROM (VALUES
            (1, 'billing_context', 'invoices',
             'r.status = ''PAID'' AND r.issue_date < $1',
             -- member: table, filter on $1 (the root ids), whether to delete it explicitly before the root
             ARRAY[
                 ARRAY['invoice_billing_items', 'm.invoice_id = ANY ($1)', 'false'],
                 ARRAY['invoice_tax_summaries', 'm.invoice_id = ANY ($1)', 'false'],
                 ARRAY['invoice_payments', 'm.invoice_id = ANY ($1)', 'false'],
                 ARRAY['accounting_entry_lines',
                       'm.accounting_entry_id IN (SELECT e.id FROM billing_context.accounting_entries AS e'
                       || ' WHERE e.invoice_id = ANY ($1) OR e.invoice_payment_id IN'
                       || ' (SELECT p.id FROM billing_context.invoice_payments AS p WHERE p.invoice_id = ANY ($1)))',
                       'false'],
                 ARRAY['accounting_entries',
                       'm.invoice_id = ANY ($1) OR m.invoice_payment_id IN'
                       || ' (SELECT p.id FROM billing_context.invoice_payments AS p WHERE p.invoice_id = ANY ($1))',
                       'true']
             ]),
            (2, 'timesheet_context', 'timesheets',
             'r.status IN (''APPROVED'', ''CLOSED'')'
             || ' AND (make_date(r.period_year, r.period_month, 1) + interval ''1 month'')::date <= $1',
             ARRAY[
                 ARRAY['daily_attendances', 'm.timesheet_id = ANY ($1)', 'false'],
                 ARRAY['timesheet_approval_steps', 'm.timesheet_id = ANY ($1)', 'false'],
                 ARRAY['timesheet_adjustments', 'm.timesheet_id = ANY ($1)', 'false']
             ]),
            (3, 'project_context', 'projects',
             'r.status IN (''COMPLETED'', ''CANCELLED'', ''LOST'') AND coalesce(r.end_date, r.updated_at::date) < $1',
             ARRAY[
                 ARRAY['project_milestones', 'm.project_id = ANY ($1)', 'false'],
                 ARRAY['project_phases', 'm.project_id = ANY ($1)', 'false'],
                 ARRAY['project_requirements', 'm.project_id = ANY ($1)', 'false']
             ]),
            (4, 'notification_context', 'notifications',
             'r.status = ''SENT'' AND r.created_at < $1::timestamp AT TIME ZONE ''Asia/Tokyo''',
             ARRAY[
                 ARRAY['notification_deliveries', 'm.notification_id = ANY ($1)', 'false']
             ])
        ) AS g (ord, root_schema, root_table, root_condition, members)
        ORDER BY g.ord
    LOOP
        IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', v_group.root_schema, v_group.root_table)) IS NULL THEN
            context_name := v_group.root_schema;
            table_name := v_group.root_table;
            archived_count := 0;
            archive_status := 'SKIPPED: context not installed';
            RETURN NEXT;
            CONTINUE;
        END IF;

        -- Rows a live row of another (installed) context refers to stay.
        SELECT coalesce(string_agg(pg_catalog.format(
                   ' AND NOT EXISTS (SELECT FROM %I.%I AS x WHERE x.%I = r.id AND x.deleted_at IS NULL)',
                   ref.source_schema, ref.source_table, ref.source_column), '' ORDER BY ref.source_schema,
                   ref.source_table, ref.source_column), '')
        INTO v_guard
        FROM ses_common.cross_context_references AS ref
        WHERE ref.target_schema = v_group.root_schema
          AND ref.target_table = v_group.root_table
          AND pg_catalog.to_regclass(pg_catalog.format('%I.%I', ref.source_schema, ref.source_table)) IS NOT NULL;

        v_counts := ARRAY[]::integer[];
        BEGIN
            EXECUTE pg_catalog.format(
                'SELECT array_agg(r.id) FROM %I.%I AS r WHERE r.deleted_at IS NULL AND (%s)%s',
                v_group.root_schema, v_group.root_table, v_group.root_condition, v_guard
            ) INTO v_ids USING p_cutoff;
            v_ids := coalesce(v_ids, ARRAY[]::uuid[]);

            -- Copy the children first, then the roots (the cascade removes the children with the roots).
            FOR v_i IN 1 .. array_length(v_group.members, 1) LOOP
                EXECUTE pg_catalog.format(
                    'INSERT INTO ses_archive.archived_rows (source_schema, source_table, source_id, row_data,'
                    ' archive_cutoff) SELECT %L, %L, m.id, to_jsonb(m), $2 FROM %I.%I AS m WHERE %s',
                    v_group.root_schema, v_group.members[v_i][1], v_group.root_schema, v_group.members[v_i][1],
                    v_group.members[v_i][2]
                ) USING v_ids, p_cutoff;
                GET DIAGNOSTICS v_count = ROW_COUNT;
                v_counts := v_counts || v_count;
            END LOOP;
            EXECUTE pg_catalog.format(
                'INSERT INTO ses_archive.archived_rows (source_schema, source_table, source_id, row_data,'
                ' archive_cutoff) SELECT %L, %L, r.id, to_jsonb(r), $2 FROM %I.%I AS r WHERE r.id = ANY ($1)',
                v_group.root_schema, v_group.root_table, v_group.root_schema, v_group.root_table
            ) USING v_ids, p_cutoff;
            GET DIAGNOSTICS v_count = ROW_COUNT;

            INSERT INTO ses_common.purge_permits DEFAULT VALUES ON CONFLICT (xact_id) DO NOTHING;
            FOR v_i IN 1 .. array_length(v_group.members, 1) LOOP
                IF v_group.members[v_i][3] = 'true' THEN
                    EXECUTE pg_catalog.format('DELETE FROM %I.%I AS m WHERE %s',
                                              v_group.root_schema, v_group.members[v_i][1],
                                              v_group.members[v_i][2]) USING v_ids;
                END IF;
            END LOOP;
            EXECUTE pg_catalog.format('DELETE FROM %I.%I AS r WHERE r.id = ANY ($1)',
                                      v_group.root_schema, v_group.root_table) USING v_ids;
            GET DIAGNOSTICS v_deleted = ROW_COUNT;
            DELETE FROM ses_common.purge_permits AS p WHERE p.xact_id = pg_catalog.pg_current_xact_id();
            IF v_deleted <> v_count THEN
                RAISE EXCEPTION 'archive_old_data: copied % row(s) of %.% but deleted %',
                    v_count, v_group.root_schema, v_group.root_table, v_deleted
                    USING ERRCODE = 'SE051',
                          HINT = 'A trigger or rule kept rows from being deleted; nothing of this group was archived.';
            END IF;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
            RAISE WARNING 'archive_old_data: %.% not archived: % %',
                v_group.root_schema, v_group.root_table, v_state, v_message;
            context_name := v_group.root_schema;
            archived_count := 0;
            archive_status := pg_catalog.format('FAILED: %s %s', v_state, v_message);
            FOR v_i IN 1 .. array_length(v_group.members, 1) LOOP
                table_name := v_group.members[v_i][1];
                RETURN NEXT;
            END LOOP;
            table_name := v_group.root_table;
            RETURN NEXT;
            CONTINUE;
        END;

        context_name := v_group.root_schema;
        archive_status := 'SUCCESS';
        FOR v_i IN 1 .. array_length(v_group.members, 1) LOOP
            table_name := v_group.members[v_i][1];
            archived_count := v_counts[v_i];
            RETURN NEXT;
        END LOOP;
        table_name := v_group.root_table;
        archived_count := v_count;
        RETURN NEXT;
    END LOOP;
END
$$;

COMMENT ON FUNCTION ses_common.archive_old_data(date) IS
'Move old finished rows out of the live SES tables into ses_archive.archived_rows (copy as jsonb, then delete through the purge path, in the caller''s transaction): PAID invoices issued before p_cutoff with their lines, tax summaries, payments and journal entries; APPROVED/CLOSED timesheets whose month ended before p_cutoff with attendances, approval steps, adjustments; COMPLETED/CANCELLED/LOST projects ended before p_cutoff with requirements, phases, milestones; SENT notifications created before p_cutoff with deliveries. Rows still referenced by a live row of another context stay. Returns one row per table: context_name, table_name, archived_count, archive_status (SUCCESS, SKIPPED: …, or FAILED: <sqlstate> <message>, in which case that group archived nothing). Raises SE050 for a NULL or future cutoff.';

REVOKE EXECUTE ON FUNCTION ses_common.archive_old_data(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.archive_old_data(date) TO bbase_operator, ses_admin_role;
