-- Why: fills notification_context with its reference data (channels,
-- templates, rules in the notifications consumer's recipient_selector form,
-- staff subscriptions), which the event consumers of the cycles turn into
-- notifications and deliveries (notification_context.notify_event). With
-- --bulk-history, the events of the history rows (timesheets submitted,
-- invoices issued) get their notifications inserted finished.
-- Run by `bbase ses seed` (bbase_workshop.seed): each statement follows its
-- `-- name:` line and is executed on its own, in file order, with the seed's
-- parameters bound as named placeholders; a literal percent sign would be
-- written twice, so the statements use mod() instead.

-- name: notification_context.notification_channels
INSERT INTO notification_context.notification_channels (id, channel_type, name, config, is_active, rate_limit_per_minute)
VALUES
    (md5('ses-seed:channel:EMAIL')::uuid, 'EMAIL', 'メール', '{"from": "noreply@example.jp"}', true, 600),
    (md5('ses-seed:channel:IN_APP')::uuid, 'IN_APP', 'アプリ内通知', '{}', true, null),
    (md5('ses-seed:channel:SLACK')::uuid, 'SLACK', 'Slack #ses-ops', '{"channel": "#ses-ops"}', true, 60);

-- name: notification_context.notification_templates
INSERT INTO notification_context.notification_templates (
    id, template_code, notification_type, channel_type, subject_template, body_template
)
SELECT md5('ses-seed:ntemplate:' || t.code)::uuid, t.code, t.code, 'EMAIL', t.subject, t.body
FROM (VALUES
    ('CONTRACT_SIGNED', '契約締結のお知らせ: {{contract_number}}', '契約 {{contract_number}}（{{contract_side}}）が締結されました。'),
    ('TIMESHEET_SUBMITTED', '工数表提出: {{period_year}}年{{period_month}}月',
        '{{billable_hours}} 時間の工数表が提出されました。承認してください。'),
    ('INVOICE_ISSUED', '請求書発行: {{invoiceNumber}}', '請求額 {{totalAmount}} 円（税込）、支払期日 {{dueDate}}。'),
    ('PROJECT_ORDERED', '案件受注: {{project_code}}', '案件 {{project_code}} を受注しました。')
) AS t (code, subject, body);

-- name: notification_context.notification_rules
INSERT INTO notification_context.notification_rules (
    name, event_type, notification_type, template_id, channel_id, recipient_selector, priority_level
)
SELECT r.name, r.event, r.code, md5('ses-seed:ntemplate:' || r.code)::uuid, md5('ses-seed:channel:EMAIL')::uuid,
    jsonb_build_object('project_users', r.managers), r.priority
FROM (VALUES
    ('契約締結を営業担当へ', 'ContractSigned', 'CONTRACT_SIGNED', '["sales_manager_id"]'::jsonb, 3),
    ('工数表提出をPMへ', 'TimesheetSubmitted', 'TIMESHEET_SUBMITTED', '["project_manager_id"]'::jsonb, 2),
    ('請求書発行を営業担当へ', 'InvoiceIssued', 'INVOICE_ISSUED', '["sales_manager_id"]'::jsonb, 3),
    ('案件受注をPMと営業へ', 'ProjectOrdered', 'PROJECT_ORDERED', '["project_manager_id", "sales_manager_id"]'::jsonb, 4)
) AS r (name, event, code, managers, priority);

-- name: notification_context.notifications (history months)
INSERT INTO notification_context.notifications (
    id, created_at, notification_type, source_context, source_entity, source_id, template_id, title, body,
    payload, recipient_users, status, priority_level, dedup_key, sent_at
)
SELECT
    md5('ses-seed:notification:' || ev.kind || ':' || ev.source_id)::uuid,
    ev.at, ev.kind, ev.ctx, ev.entity, ev.source_id, md5('ses-seed:ntemplate:' || ev.kind)::uuid,
    ev.title, null, ev.payload, jsonb_build_array(ev.recipient),
    CASE
        WHEN ev.at > now() - INTERVAL '2 days' THEN (ARRAY['PENDING', 'QUEUED', 'PENDING', 'FAILED'])[1 + mod(abs(hashtext(ev.source_id::text)), 4)]
        WHEN mod(abs(hashtext(ev.source_id::text)), 200) = 0 THEN 'FAILED'
        ELSE 'SENT'
    END,
    ev.priority,
    ev.kind || ':' || ev.source_id,
    CASE WHEN ev.at <= now() - INTERVAL '2 days' AND mod(abs(hashtext(ev.source_id::text)), 200) <> 0
        THEN ev.at + INTERVAL '1 minute' END
FROM (
    SELECT 'CONTRACT_SIGNED' AS kind, 'contract_context' AS ctx, 'contracts' AS entity, c.id AS source_id,
        c.signed_at AS at, '契約締結: ' || c.contract_number AS title,
        jsonb_build_object('contract_number', c.contract_number, 'counterparty_name', c.counterparty_name) AS payload,
        c.sales_manager_id AS recipient, 3::smallint AS priority
    FROM contract_context.contracts AS c WHERE c.signed_at IS NOT null
    UNION ALL
    SELECT 'TIMESHEET_SUBMITTED', 'timesheet_context', 'timesheets', t.id, t.submitted_at,
        '工数表提出: ' || t.period_year || '年' || t.period_month || '月',
        jsonb_build_object('period', t.period_year || '-' || t.period_month, 'engineer_id', t.engineer_id),
        coalesce(t.approved_by, md5('ses-seed:staff:1')::uuid), (1 + mod(abs(hashtext(t.id::text)), 5))::smallint
    FROM timesheet_context.timesheets AS t WHERE t.submitted_at IS NOT null
    UNION ALL
    SELECT 'INVOICE_ISSUED', 'billing_context', 'invoices', i.id, i.sent_at, '請求書発行: ' || i.invoice_number,
        jsonb_build_object('invoice_number', i.invoice_number, 'recipient_name', i.recipient_name),
        i.sales_manager_id, 3::smallint
    FROM billing_context.invoices AS i WHERE i.sent_at IS NOT null AND i.direction = 'RECEIVABLE'
) AS ev
WHERE ev.at <= now() AND ev.recipient IS NOT null;

-- name: notification_context.notification_deliveries (history months)
INSERT INTO notification_context.notification_deliveries (
    notification_id, notification_created_at, channel_id, recipient_user_id, recipient_address_encrypted, status,
    attempt_count, last_attempt_at, delivered_at, read_at, error_code, error_message, created_at
)
SELECT
    n.id, n.created_at, md5('ses-seed:channel:EMAIL')::uuid, (n.recipient_users ->> 0)::uuid,
    ses_common.encrypt_personal_data('delivery_address', 'staff-' || left((n.recipient_users ->> 0), 8) || '@example.jp'),
    CASE n.status WHEN 'SENT' THEN 'DELIVERED' WHEN 'FAILED' THEN 'FAILED' ELSE 'PENDING' END,
    CASE n.status WHEN 'SENT' THEN 1 WHEN 'FAILED' THEN 3 ELSE 0 END,
    CASE WHEN n.status IN ('SENT', 'FAILED') THEN n.created_at + INTERVAL '1 minute' END,
    CASE WHEN n.status = 'SENT' THEN n.sent_at END,
    null,
    CASE WHEN n.status = 'FAILED' THEN '550' END,
    CASE WHEN n.status = 'FAILED' THEN 'mailbox unavailable' END,
    n.created_at
FROM notification_context.notifications AS n;

-- name: notification_context.notification_subscriptions
INSERT INTO notification_context.notification_subscriptions (user_id, notification_type, channel_id, digest)
SELECT md5('ses-seed:staff:' || s)::uuid, t.code, md5('ses-seed:channel:' || ch)::uuid,
    CASE WHEN ch = 'EMAIL' AND mod(s, 3) = 0 THEN 'DAILY' ELSE 'IMMEDIATE' END
FROM generate_series(1, %(n_staff)s) AS s
CROSS JOIN (VALUES ('CONTRACT_SIGNED'), ('TIMESHEET_SUBMITTED'), ('INVOICE_ISSUED'), ('PROJECT_ORDERED')) AS t (code)
CROSS JOIN unnest(ARRAY['EMAIL', 'IN_APP']) AS ch;
