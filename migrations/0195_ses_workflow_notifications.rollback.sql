-- Roll back the PayeeAccountInvalidated and TimesheetAdjusted notifications.
ALTER TABLE notification_context.notification_templates NO FORCE ROW LEVEL SECURITY;
ALTER TABLE notification_context.notification_rules NO FORCE ROW LEVEL SECURITY;
DELETE FROM notification_context.notification_rules
WHERE id IN ('5e5e0195-0000-4000-8000-000000000201', '5e5e0195-0000-4000-8000-000000000202');
DELETE FROM notification_context.notification_templates
WHERE id IN ('5e5e0195-0000-4000-8000-000000000101', '5e5e0195-0000-4000-8000-000000000102');
ALTER TABLE notification_context.notification_templates FORCE ROW LEVEL SECURITY;
ALTER TABLE notification_context.notification_rules FORCE ROW LEVEL SECURITY;

DELETE FROM ses_common.event_handlings
WHERE consumer = 'notifications' AND event_type IN ('PayeeAccountInvalidated', 'TimesheetAdjusted');
UPDATE ses_common.event_consumers
SET event_types = array_remove(array_remove(event_types, 'PayeeAccountInvalidated'), 'TimesheetAdjusted')
WHERE consumer = 'notifications';
