-- depends: 0194_timesheet_adjustment_decisions
-- Two more events become notifications through the outbox (0187, 0188):
-- * PayeeAccountInvalidated: a Zengin diff (or a manual edit of the master)
--   removed the bank or branch of a payee account, which is now INVALID
--   (sql/triggers/billing_context/tg_change_history__update_payee_accounts.sql
--   emits it instead of writing the notification itself). Finance is told:
--   the rule addresses the users subscribed to PAYEE_ACCOUNT_INVALID
--   (recipient_selector "subscribers", read by notification_context.notify_event).
-- * TimesheetAdjusted: an adjustment was approved
--   (tg_timesheet_adjustments__apply_decision); the project manager is told.
-- The notifications consumer takes both event types; events already in the
-- outbox are queued for it too.
UPDATE ses_common.event_consumers
SET event_types = event_types || ARRAY['PayeeAccountInvalidated', 'TimesheetAdjusted']
WHERE consumer = 'notifications' AND NOT event_types @> ARRAY['PayeeAccountInvalidated', 'TimesheetAdjusted'];

INSERT INTO ses_common.event_handlings (consumer, event_id, event_type, next_attempt_at)
SELECT
    'notifications' AS consumer,
    o.event_id,
    o.event_type,
    o.occurred_at
FROM ses_common.event_outbox AS o
WHERE o.event_type IN ('PayeeAccountInvalidated', 'TimesheetAdjusted')
ON CONFLICT DO NOTHING;

-- Reference rows under forced row-level security: as in 0188, FORCE is lifted
-- for the two tables while the owner writes them, in this transaction.
ALTER TABLE notification_context.notification_templates NO FORCE ROW LEVEL SECURITY;
ALTER TABLE notification_context.notification_rules NO FORCE ROW LEVEL SECURITY;

INSERT INTO notification_context.notification_templates
(id, template_code, notification_type, channel_type, locale, subject_template, body_template)
VALUES
(
    '5e5e0195-0000-4000-8000-000000000101', 'PAYEE_ACCOUNT_INVALID', 'PAYEE_ACCOUNT_INVALID', 'IN_APP', 'ja-JP',
    '振込先口座が無効になりました',
    '振込先口座 {{payee_account_id}} の金融機関 {{bank_code}}-{{branch_code}} が全銀マスタから削除されました'
    || '（差分 {{diff_id}}）。次回の振込までに新しい口座を登録してください。'
),
(
    '5e5e0195-0000-4000-8000-000000000102', 'TIMESHEET_ADJUSTED', 'TIMESHEET_ADJUSTED', 'IN_APP', 'ja-JP',
    '勤怠調整が承認されました',
    '勤怠 {{timesheet_id}} の調整 {{adjustment_id}}（{{adjustment_type}}）が承認されました: {{status}}。'
)
ON CONFLICT (id) DO NOTHING;

INSERT INTO notification_context.notification_rules
(id, name, event_type, notification_type, template_id, channel_id, recipient_selector, priority_level)
VALUES
(
    '5e5e0195-0000-4000-8000-000000000201', 'Payee account invalidated: tell finance', 'PayeeAccountInvalidated',
    'PAYEE_ACCOUNT_INVALID', '5e5e0195-0000-4000-8000-000000000101', '5e5e0188-0000-4000-8000-000000000001',
    '{"subscribers": true}', 4
),
(
    '5e5e0195-0000-4000-8000-000000000202', 'Timesheet adjusted: tell the project manager', 'TimesheetAdjusted',
    'TIMESHEET_ADJUSTED', '5e5e0195-0000-4000-8000-000000000102', '5e5e0188-0000-4000-8000-000000000001',
    '{"project_users": ["project_manager_id"]}', 3
)
ON CONFLICT (id) DO NOTHING;

ALTER TABLE notification_context.notification_templates FORCE ROW LEVEL SECURITY;
ALTER TABLE notification_context.notification_rules FORCE ROW LEVEL SECURITY;

-- The direct path of notifications before the outbox is gone (its one
-- caller, the payee account trigger, emits an event now).
DROP FUNCTION IF EXISTS notification_context.enqueue_notification(
    text, text, text, uuid, text, text, jsonb, smallint, text
);
