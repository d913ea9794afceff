-- depends: 0100_ses_common
-- Phase 3 (generic): notification_context, notifications and their delivery.
--
-- Partitioning (design document): notifications monthly on created_at, primary
-- key (id, created_at) (a partitioned table's unique constraints must contain
-- the partition key). Month bounds are midnight Asia/Tokyo, the business's
-- calendar, so "this month's notifications" is one partition for the people
-- who use it. A DEFAULT partition only catches rows no monthly partition holds;
-- its trigger refuses them with SE003 (see migration 0135 for why).
-- Notifications are produced from other contexts' events (ProjectOrdered,
-- ContractSigned, TimesheetSubmitted, InvoiceIssued, ...): source_context and
-- source_id name the origin without a reference check, because an event may
-- outlive (or precede the replication of) its source row.

CREATE SCHEMA notification_context;
REVOKE ALL ON SCHEMA notification_context FROM PUBLIC;

CREATE TABLE notification_context.notification_channels (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    channel_type text NOT NULL CHECK (
        channel_type IN ('EMAIL', 'IN_APP', 'SLACK', 'TEAMS', 'GOOGLE_CHAT', 'SMS', 'WEBHOOK')
    ),
    name text NOT NULL CHECK (btrim(name) <> ''),
    config jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object'),
    secret_ref text,
    is_active boolean NOT NULL DEFAULT true,
    rate_limit_per_minute integer CHECK (rate_limit_per_minute > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

COMMENT ON TABLE notification_context.notification_channels IS 'Delivery channels (配信チャネル): e-mail, in-app, chat tools, SMS, webhooks, with their non-secret settings.';
COMMENT ON COLUMN notification_context.notification_channels.channel_type IS 'EMAIL, IN_APP, SLACK, TEAMS, GOOGLE_CHAT, SMS or WEBHOOK.';
COMMENT ON COLUMN notification_context.notification_channels.name IS 'Channel name, unique among live channels.';
COMMENT ON COLUMN notification_context.notification_channels.config IS 'Non-secret settings as a JSON object (sender address, endpoint, workspace).';
COMMENT ON COLUMN notification_context.notification_channels.secret_ref IS 'Name of the secret (e.g. in AWS Secrets Manager) holding tokens; secrets are never stored here.';
COMMENT ON COLUMN notification_context.notification_channels.is_active IS 'Whether deliveries use the channel.';
COMMENT ON COLUMN notification_context.notification_channels.rate_limit_per_minute IS 'Most deliveries per minute the provider accepts; NULL unlimited.';

CREATE UNIQUE INDEX notification_channels_name_key
ON notification_context.notification_channels (name) WHERE deleted_at IS null;

CREATE TABLE notification_context.notification_templates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    template_code text NOT NULL CHECK (template_code ~ '^[A-Z][A-Z0-9_]{2,63}$'),
    notification_type text NOT NULL CHECK (notification_type ~ '^[A-Z][A-Z0-9_]*$'),
    channel_type text NOT NULL CHECK (
        channel_type IN ('EMAIL', 'IN_APP', 'SLACK', 'TEAMS', 'GOOGLE_CHAT', 'SMS', 'WEBHOOK')
    ),
    locale text NOT NULL DEFAULT 'ja-JP' CHECK (locale ~ '^[a-z]{2}(-[A-Z]{2})?$'),
    subject_template text,
    body_template text NOT NULL,
    template_version integer NOT NULL DEFAULT 1 CHECK (template_version >= 1),
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

COMMENT ON TABLE notification_context.notification_templates IS 'Notification templates (通知テンプレート): subject and body per notification type, channel and locale.';
COMMENT ON COLUMN notification_context.notification_templates.template_code IS 'Template code; with channel_type, locale and template_version unique among live templates.';
COMMENT ON COLUMN notification_context.notification_templates.notification_type IS 'Notification type rendered, e.g. CONTRACT_SIGNED, TIMESHEET_SUBMITTED.';
COMMENT ON COLUMN notification_context.notification_templates.channel_type IS 'Channel the template is written for.';
COMMENT ON COLUMN notification_context.notification_templates.locale IS 'Language, e.g. ja-JP, en.';
COMMENT ON COLUMN notification_context.notification_templates.subject_template IS 'Subject with placeholders (e-mail); NULL for channels without subjects.';
COMMENT ON COLUMN notification_context.notification_templates.body_template IS 'Body with placeholders.';
COMMENT ON COLUMN notification_context.notification_templates.template_version IS 'Revision of the template text (not the row version).';
COMMENT ON COLUMN notification_context.notification_templates.is_active IS 'Whether the template is used.';

CREATE UNIQUE INDEX notification_templates_code_key
ON notification_context.notification_templates (template_code, channel_type, locale, template_version)
WHERE deleted_at IS null;

CREATE TABLE notification_context.notifications (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created_at timestamptz NOT NULL DEFAULT now(),
    notification_type text NOT NULL CHECK (notification_type ~ '^[A-Z][A-Z0-9_]*$'),
    source_context text CHECK (source_context LIKE '%\_context'),
    source_entity text,
    source_id uuid,
    template_id uuid REFERENCES notification_context.notification_templates (id) ON DELETE SET NULL,
    title text NOT NULL,
    body text,
    payload jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(payload) = 'object'),
    recipient_users jsonb NOT NULL CHECK (jsonb_typeof(recipient_users) = 'array'),
    status text NOT NULL DEFAULT 'PENDING' CHECK (
        status IN ('PENDING', 'QUEUED', 'SENDING', 'SENT', 'PARTIALLY_SENT', 'FAILED', 'CANCELLED', 'EXPIRED')
    ),
    priority_level smallint NOT NULL DEFAULT 3 CHECK (priority_level BETWEEN 1 AND 5),
    dedup_key text,
    scheduled_at timestamptz,
    sent_at timestamptz,
    expires_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    PRIMARY KEY (id, created_at),
    CONSTRAINT notifications_sent_has_time CHECK (status NOT IN ('SENT', 'PARTIALLY_SENT') OR sent_at IS NOT null)
) PARTITION BY RANGE (created_at);

COMMENT ON TABLE notification_context.notifications IS
'Notifications (通知) raised by events of the other contexts, partitioned monthly on created_at (month bounds at midnight Asia/Tokyo) as notifications_YYYY_MM. PENDING -> QUEUED -> SENDING -> SENT / PARTIALLY_SENT / FAILED, or CANCELLED / EXPIRED. Per-recipient outcomes are in notification_deliveries.';
COMMENT ON COLUMN notification_context.notifications.notification_type IS 'What happened, e.g. PROJECT_ORDERED, CONTRACT_SIGNED, TIMESHEET_SUBMITTED, INVOICE_ISSUED, CONTRACT_EXPIRING, PAYEE_ACCOUNT_INVALID.';
COMMENT ON COLUMN notification_context.notifications.source_context IS 'Context of the event, e.g. contract_context.';
COMMENT ON COLUMN notification_context.notifications.source_entity IS 'Entity of the event, e.g. contracts.';
COMMENT ON COLUMN notification_context.notifications.source_id IS 'id of the source row (not checked: the event may outlive it).';
COMMENT ON COLUMN notification_context.notifications.template_id IS 'Template used to render the text.';
COMMENT ON COLUMN notification_context.notifications.title IS 'Rendered title.';
COMMENT ON COLUMN notification_context.notifications.body IS 'Rendered body.';
COMMENT ON COLUMN notification_context.notifications.payload IS 'Event data as a JSON object, for the channels and the UI.';
COMMENT ON COLUMN notification_context.notifications.recipient_users IS 'Recipient user ids as a JSON array of strings; GIN-indexed ("my notifications": recipient_users @> ''["<uuid>"]'').';
COMMENT ON COLUMN notification_context.notifications.status IS 'PENDING, QUEUED, SENDING, SENT, PARTIALLY_SENT, FAILED, CANCELLED or EXPIRED.';
COMMENT ON COLUMN notification_context.notifications.priority_level IS 'Priority 1 (lowest) to 5 (urgent); sent in descending order.';
COMMENT ON COLUMN notification_context.notifications.dedup_key IS 'Key that identifies repeats of the same event, so the sender can drop duplicates.';
COMMENT ON COLUMN notification_context.notifications.scheduled_at IS 'Earliest sending time; NULL at once.';
COMMENT ON COLUMN notification_context.notifications.sent_at IS 'When sending finished; required for SENT and PARTIALLY_SENT.';
COMMENT ON COLUMN notification_context.notifications.expires_at IS 'After this an unsent notification becomes EXPIRED.';

CREATE TABLE notification_context.notifications_default PARTITION OF notification_context.notifications DEFAULT;

CREATE INDEX idx_notifications_status_priority
ON notification_context.notifications (status, priority_level DESC) WHERE deleted_at IS null;
CREATE INDEX idx_notifications_recipients_gin ON notification_context.notifications USING gin (recipient_users);
CREATE INDEX notifications_dedup_key_idx
ON notification_context.notifications (dedup_key) WHERE dedup_key IS NOT null AND deleted_at IS null;

CREATE TABLE notification_context.notification_rules (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (btrim(name) <> ''),
    event_type text NOT NULL CHECK (event_type ~ '^[A-Z][A-Za-z0-9_]*$'),
    conditions jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(conditions) = 'object'),
    notification_type text NOT NULL CHECK (notification_type ~ '^[A-Z][A-Z0-9_]*$'),
    template_id uuid REFERENCES notification_context.notification_templates (id) ON DELETE RESTRICT,
    channel_id uuid REFERENCES notification_context.notification_channels (id) ON DELETE RESTRICT,
    recipient_selector jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(recipient_selector) = 'object'),
    priority_level smallint NOT NULL DEFAULT 3 CHECK (priority_level BETWEEN 1 AND 5),
    throttle_minutes integer NOT NULL DEFAULT 0 CHECK (throttle_minutes >= 0),
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

COMMENT ON TABLE notification_context.notification_rules IS 'Notification rules (通知ルール): which event, under which conditions, becomes which notification for whom, e.g. ContractSigned -> CONTRACT_SIGNED to the sales manager.';
COMMENT ON COLUMN notification_context.notification_rules.name IS 'Rule name.';
COMMENT ON COLUMN notification_context.notification_rules.event_type IS 'Domain event the rule listens to, e.g. ProjectOrdered, TimesheetSubmitted, InvoiceIssued.';
COMMENT ON COLUMN notification_context.notification_rules.conditions IS 'Conditions on the event data as a JSON object, e.g. {"priority_at_least": 4}; {} always.';
COMMENT ON COLUMN notification_context.notification_rules.notification_type IS 'Notification type produced.';
COMMENT ON COLUMN notification_context.notification_rules.template_id IS 'Template used to render it.';
COMMENT ON COLUMN notification_context.notification_rules.channel_id IS 'Channel to send it on; NULL = each recipient''s subscriptions decide.';
COMMENT ON COLUMN notification_context.notification_rules.recipient_selector IS 'Who receives it as a JSON object, e.g. {"roles": ["sales_manager"], "users": []}.';
COMMENT ON COLUMN notification_context.notification_rules.priority_level IS 'Priority 1-5 of the notifications produced.';
COMMENT ON COLUMN notification_context.notification_rules.throttle_minutes IS 'Minimum minutes between two notifications of the rule for the same source; 0 none.';
COMMENT ON COLUMN notification_context.notification_rules.is_active IS 'Whether the rule fires.';

CREATE INDEX notification_rules_event_type_idx
ON notification_context.notification_rules (event_type) WHERE deleted_at IS null AND is_active;

CREATE TABLE notification_context.notification_deliveries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    notification_id uuid NOT NULL,
    notification_created_at timestamptz NOT NULL,
    channel_id uuid REFERENCES notification_context.notification_channels (id) ON DELETE RESTRICT,
    recipient_user_id uuid NOT NULL,
    recipient_address text,
    status text NOT NULL DEFAULT 'PENDING' CHECK (
        status IN ('PENDING', 'SENDING', 'DELIVERED', 'READ', 'FAILED', 'BOUNCED', 'RETRYING', 'CANCELLED')
    ),
    attempt_count smallint NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
    last_attempt_at timestamptz,
    next_attempt_at timestamptz,
    delivered_at timestamptz,
    read_at timestamptz,
    provider_message_id text,
    error_code text,
    error_message text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    FOREIGN KEY (notification_id, notification_created_at)
    REFERENCES notification_context.notifications (id, created_at) ON DELETE CASCADE,
    CONSTRAINT notification_deliveries_delivered_has_time CHECK (
        status NOT IN ('DELIVERED', 'READ') OR delivered_at IS NOT null
    )
);

COMMENT ON TABLE notification_context.notification_deliveries IS 'Delivery results (配信結果): one row per notification, recipient and channel, with retries and the provider''s answer.';
COMMENT ON COLUMN notification_context.notification_deliveries.notification_id IS 'Notification delivered (with notification_created_at a foreign key to notifications).';
COMMENT ON COLUMN notification_context.notification_deliveries.notification_created_at IS 'created_at of that notification (part of its key).';
COMMENT ON COLUMN notification_context.notification_deliveries.channel_id IS 'Channel used.';
COMMENT ON COLUMN notification_context.notification_deliveries.recipient_user_id IS 'Recipient user; owner column.';
COMMENT ON COLUMN notification_context.notification_deliveries.recipient_address IS 'Address used (e-mail, chat id, phone) at delivery time.';
COMMENT ON COLUMN notification_context.notification_deliveries.status IS 'PENDING, SENDING, DELIVERED, READ, FAILED, BOUNCED, RETRYING or CANCELLED.';
COMMENT ON COLUMN notification_context.notification_deliveries.attempt_count IS 'Attempts made so far.';
COMMENT ON COLUMN notification_context.notification_deliveries.last_attempt_at IS 'When the last attempt was made.';
COMMENT ON COLUMN notification_context.notification_deliveries.next_attempt_at IS 'When the next retry is due.';
COMMENT ON COLUMN notification_context.notification_deliveries.delivered_at IS 'When the provider accepted it; required for DELIVERED and READ.';
COMMENT ON COLUMN notification_context.notification_deliveries.read_at IS 'When the recipient opened it (in-app).';
COMMENT ON COLUMN notification_context.notification_deliveries.provider_message_id IS 'The provider''s message id.';
COMMENT ON COLUMN notification_context.notification_deliveries.error_code IS 'The provider''s error code of the last failure.';
COMMENT ON COLUMN notification_context.notification_deliveries.error_message IS 'The provider''s error text of the last failure.';

CREATE INDEX notification_deliveries_retry_idx
ON notification_context.notification_deliveries (next_attempt_at) WHERE status = 'RETRYING' AND deleted_at IS null;

CREATE TABLE notification_context.notification_subscriptions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    notification_type text NOT NULL CHECK (notification_type ~ '^[A-Z][A-Z0-9_]*$'),
    channel_id uuid NOT NULL REFERENCES notification_context.notification_channels (id) ON DELETE CASCADE,
    is_enabled boolean NOT NULL DEFAULT true,
    digest text NOT NULL DEFAULT 'IMMEDIATE' CHECK (digest IN ('IMMEDIATE', 'HOURLY', 'DAILY')),
    filters jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(filters) = 'object'),
    quiet_hours_start time,
    quiet_hours_end time,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT notification_subscriptions_quiet_hours_together CHECK (
        (quiet_hours_start IS null) = (quiet_hours_end IS null)
    )
);

COMMENT ON TABLE notification_context.notification_subscriptions IS 'Subscriptions (購読設定): which notification types a user receives on which channel, how often, and when not.';
COMMENT ON COLUMN notification_context.notification_subscriptions.user_id IS 'Subscribed user; owner column.';
COMMENT ON COLUMN notification_context.notification_subscriptions.notification_type IS 'Notification type subscribed to; with user and channel unique among live rows.';
COMMENT ON COLUMN notification_context.notification_subscriptions.channel_id IS 'Channel to receive it on.';
COMMENT ON COLUMN notification_context.notification_subscriptions.is_enabled IS 'false = unsubscribed (kept to remember the choice).';
COMMENT ON COLUMN notification_context.notification_subscriptions.digest IS 'IMMEDIATE, HOURLY or DAILY digest.';
COMMENT ON COLUMN notification_context.notification_subscriptions.filters IS 'Further filters as a JSON object, e.g. {"customer_id": "…"}.';
COMMENT ON COLUMN notification_context.notification_subscriptions.quiet_hours_start IS 'Start of the daily quiet period (local time), when only urgent notifications are sent.';
COMMENT ON COLUMN notification_context.notification_subscriptions.quiet_hours_end IS 'End of the quiet period.';

CREATE UNIQUE INDEX notification_subscriptions_user_type_channel_key
ON notification_context.notification_subscriptions (user_id, notification_type, channel_id) WHERE deleted_at IS null;

INSERT INTO ses_common.partitioned_tables (table_schema, table_name, key_kind, periods_ahead)
VALUES ('notification_context', 'notifications', 'TIMESTAMP_MONTH', 3);

DO $common$
DECLARE
    v_table regclass;
BEGIN
    FOREACH v_table IN ARRAY ARRAY[
        'notification_context.notification_channels', 'notification_context.notification_templates',
        'notification_context.notifications', 'notification_context.notification_rules',
        'notification_context.notification_deliveries', 'notification_context.notification_subscriptions'
    ]::regclass[]
    LOOP
        PERFORM ses_common.comment_common_columns(v_table);
        PERFORM ses_common.add_common_indexes(v_table);
    END LOOP;
END
$common$;
