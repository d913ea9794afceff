-- Why: the reports consumer. The report context is fed by the other
-- contexts' events, never by references (0150). Every event becomes one
-- analytics_data row for its day (metric_key event.<snake_case type>,
-- category from the source context, the event and aggregate as dimensions,
-- the payload's numbers as metrics), so reports can count and sum any event
-- without reading the source again (MatchingCompleted: matchings per day are
-- a count of its rows). One row per event, never a shared counter row: an
-- upserted daily counter is one row every consumer session must lock until
-- it commits, which serialized four sessions to the speed of one in the
-- benchmark (docs/benchmarks.md). Days are Asia/Tokyo days, the business's
-- calendar. Called only by ses_common.consume_events (which opens the
-- maintenance policy); an error here is a failed attempt. The event comes as
-- to_jsonb of its ses_common.event_outbox row (a jsonb parameter, so a
-- context installed without the outbox still installs this file).
CREATE OR REPLACE FUNCTION report_context.record_event_statistics(p_event jsonb)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_event_type text := p_event ->> 'event_type';
    v_source_context text := p_event ->> 'source_context';
    v_payload jsonb := p_event -> 'payload';
    v_day date := ((p_event ->> 'occurred_at')::timestamptz AT TIME ZONE 'Asia/Tokyo')::date;
    v_metrics jsonb;
BEGIN
    SELECT pg_catalog.jsonb_build_object('count', 1) || coalesce(pg_catalog.jsonb_object_agg(e.key, e.value), '{}')
    INTO v_metrics
    FROM pg_catalog.jsonb_each(v_payload) AS e
    WHERE pg_catalog.jsonb_typeof(e.value) = 'number' AND e.key <> 'count';

    INSERT INTO report_context.analytics_data
        (target_year, target_date, category, metric_key, granularity, dimensions, metrics,
         source_context, source_event, calculated_at)
    VALUES (
        pg_catalog.date_part('year', v_day)::smallint, v_day,
        CASE v_source_context
            WHEN 'project_context' THEN 'PROJECT'
            WHEN 'engineer_context' THEN 'ENGINEER'
            WHEN 'matching_context' THEN 'MATCHING'
            WHEN 'contract_context' THEN 'CONTRACT'
            WHEN 'timesheet_context' THEN 'TIMESHEET'
            WHEN 'billing_context' THEN 'BILLING'
            WHEN 'notification_context' THEN 'NOTIFICATION'
            ELSE 'SALES'
        END,
        'event.' || pg_catalog.lower(pg_catalog.regexp_replace(v_event_type, '([a-z])([A-Z])', '\1_\2', 'g')),
        'DAY',
        pg_catalog.jsonb_build_object('event_id', p_event -> 'event_id', 'aggregate_type',
                                      p_event -> 'aggregate_type', 'aggregate_id', p_event -> 'aggregate_id'),
        v_metrics, v_source_context, v_event_type, pg_catalog.clock_timestamp());
END
$$;

COMMENT ON FUNCTION report_context.record_event_statistics(jsonb) IS
'Handler of the reports event consumer (called by ses_common.consume_events only): one analytics_data row per event (DAY of the event in Asia/Tokyo, metric_key event.<snake_case type>, dimensions {event_id, aggregate_type, aggregate_id}, metrics {count: 1} plus the payload''s numeric fields). Daily counts and sums are GROUP BY target_date, metric_key over these rows.';

REVOKE EXECUTE ON FUNCTION report_context.record_event_statistics(jsonb) FROM PUBLIC;
-- No EXECUTE grant: only ses_common.consume_events (running as the owner) calls it.
