-- depends: 0100_ses_common
-- Phase 2 (supporting): timesheet_context, monthly timesheets (工数表) and their approval.
--
-- Partitioning (design document): timesheets monthly on (period_year,
-- period_month). The document's `CREATE TABLE … (LIKE timesheets INCLUDING ALL)
-- PARTITION BY …` cannot work: the copied primary key (id) does not contain the
-- partition key, and PostgreSQL requires every unique constraint of a
-- partitioned table to contain it. So the table is created partitioned from the
-- start with PRIMARY KEY (id, period_year, period_month); id stays unique in
-- practice (gen_random_uuid) and the children refer to the composite key with a
-- real foreign key (same context).
--
-- Rows outside every partition: a DEFAULT partition exists only to catch them;
-- its trigger tg_timesheets_default__reject_row (attached by
-- ses_common.attach_common_triggers) refuses the row with SE003 and says which
-- partition to create, so the default partition stays empty. Why not let it
-- hold rows: creating the matching partition later would fail (PostgreSQL
-- refuses a new partition whose rows sit in the default), and a silently
-- growing default partition defeats pruning. Why not no default at all:
-- PostgreSQL's own error (23514) names neither the fix nor a project SQLSTATE.
-- Partitions themselves are created by ses_common.create_partitions_ahead
-- (maintenance, also run by `bbase migrate`) and ses_common.create_partitions
-- (any range, e.g. for loading history).
--
-- Approval flow (ses-domain-rules.md section 6): DRAFT -> SUBMITTED ->
-- CLIENT_APPROVED -> APPROVED (internal approval; the document's value for
-- what the rules call INTERNAL_APPROVED) -> CLOSED, and REJECTED -> DRAFT.
-- Every transition is a row in timesheet_approval_steps.

CREATE SCHEMA timesheet_context;
REVOKE ALL ON SCHEMA timesheet_context FROM PUBLIC;

CREATE TABLE timesheet_context.timesheets (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    period_year smallint NOT NULL CHECK (period_year BETWEEN 2000 AND 2199),
    period_month smallint NOT NULL CHECK (period_month BETWEEN 1 AND 12),
    contract_id uuid NOT NULL,
    engineer_id uuid NOT NULL,
    project_id uuid,
    customer_id uuid NOT NULL,
    status text NOT NULL DEFAULT 'DRAFT' CHECK (
        status IN ('DRAFT', 'SUBMITTED', 'CLIENT_APPROVED', 'APPROVED', 'CLOSED', 'REJECTED')
    ),
    working_days smallint NOT NULL DEFAULT 0 CHECK (working_days BETWEEN 0 AND 31),
    total_work_minutes integer NOT NULL DEFAULT 0 CHECK (total_work_minutes >= 0),
    billable_hours numeric(6, 2) NOT NULL DEFAULT 0 CHECK (billable_hours >= 0),
    overtime_hours numeric(6, 2) NOT NULL DEFAULT 0 CHECK (overtime_hours >= 0),
    shortage_hours numeric(6, 2) NOT NULL DEFAULT 0 CHECK (shortage_hours >= 0),
    out_of_range boolean NOT NULL DEFAULT false,
    work_summary jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(work_summary) = 'object'),
    report_file_uri text,
    submitted_at timestamptz,
    client_approved_at timestamptz,
    client_approved_by uuid,
    approved_at timestamptz,
    approved_by uuid,
    closed_at timestamptz,
    rejected_at timestamptz,
    rejection_reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    PRIMARY KEY (id, period_year, period_month),
    CONSTRAINT timesheets_submitted_has_time CHECK (status IN ('DRAFT', 'REJECTED') OR submitted_at IS NOT null),
    CONSTRAINT timesheets_approved_has_approver CHECK (
        status NOT IN ('APPROVED', 'CLOSED') OR (approved_at IS NOT null AND approved_by IS NOT null)
    ),
    CONSTRAINT timesheets_rejected_has_reason CHECK (status <> 'REJECTED' OR rejection_reason IS NOT null)
) PARTITION BY RANGE (period_year, period_month);

COMMENT ON TABLE timesheet_context.timesheets IS
'Monthly timesheets (工数表), one per contract and month, partitioned monthly on (period_year, period_month) as timesheets_YYYY_MM. DRAFT -> SUBMITTED (月締申請, TimesheetSubmitted event) -> CLIENT_APPROVED -> APPROVED (internal) -> CLOSED; REJECTED returns to DRAFT. Edits only in DRAFT; later changes are timesheet_adjustments.';
COMMENT ON COLUMN timesheet_context.timesheets.period_year IS 'Year of the month worked; with period_month the partition key (fixed once recorded).';
COMMENT ON COLUMN timesheet_context.timesheets.period_month IS 'Month worked, 1-12.';
COMMENT ON COLUMN timesheet_context.timesheets.contract_id IS 'Contract the hours are worked under (contract_context.contracts; checked by tg_timesheets__check_references).';
COMMENT ON COLUMN timesheet_context.timesheets.engineer_id IS 'Engineer who worked (engineer_context.engineers; checked); owner column for the engineer role.';
COMMENT ON COLUMN timesheet_context.timesheets.project_id IS 'Project worked on (project_context.projects; checked), copied from the contract for the project manager role.';
COMMENT ON COLUMN timesheet_context.timesheets.customer_id IS 'Customer who approves the timesheet (copied from the contract); owner column for the customer role.';
COMMENT ON COLUMN timesheet_context.timesheets.status IS 'DRAFT, SUBMITTED, CLIENT_APPROVED, APPROVED (internally approved), CLOSED (period locked, invoiced) or REJECTED.';
COMMENT ON COLUMN timesheet_context.timesheets.working_days IS 'Days worked in the month.';
COMMENT ON COLUMN timesheet_context.timesheets.total_work_minutes IS 'Exact minutes worked (sum of daily_attendances.work_minutes); payroll uses these.';
COMMENT ON COLUMN timesheet_context.timesheets.billable_hours IS 'Hours for settlement after the contract''s time unit (精算単位) truncation.';
COMMENT ON COLUMN timesheet_context.timesheets.overtime_hours IS 'Hours above the contract''s upper bound (0 inside the range).';
COMMENT ON COLUMN timesheet_context.timesheets.shortage_hours IS 'Hours below the contract''s lower bound (0 inside the range).';
COMMENT ON COLUMN timesheet_context.timesheets.out_of_range IS 'Billable hours fall outside the settlement range (the ALERT of the rules); a reviewer must look before approval.';
COMMENT ON COLUMN timesheet_context.timesheets.work_summary IS 'Summary of the work done as a JSON object (tasks, deliverables, remarks for the 作業報告書); GIN-indexed.';
COMMENT ON COLUMN timesheet_context.timesheets.report_file_uri IS 'Uploaded 作業報告書 file (object storage URI), if the customer needs one.';
COMMENT ON COLUMN timesheet_context.timesheets.submitted_at IS 'When the engineer submitted the month (月締申請).';
COMMENT ON COLUMN timesheet_context.timesheets.client_approved_at IS 'When the customer approved.';
COMMENT ON COLUMN timesheet_context.timesheets.client_approved_by IS 'Customer user who approved.';
COMMENT ON COLUMN timesheet_context.timesheets.approved_at IS 'When we approved internally; required for APPROVED and CLOSED.';
COMMENT ON COLUMN timesheet_context.timesheets.approved_by IS 'Internal user who approved.';
COMMENT ON COLUMN timesheet_context.timesheets.closed_at IS 'When the month was closed (locked and invoiced).';
COMMENT ON COLUMN timesheet_context.timesheets.rejected_at IS 'When it was last rejected.';
COMMENT ON COLUMN timesheet_context.timesheets.rejection_reason IS 'Why it was rejected; required for REJECTED.';

CREATE TABLE timesheet_context.timesheets_default PARTITION OF timesheet_context.timesheets DEFAULT;

CREATE UNIQUE INDEX timesheets_contract_period_key
ON timesheet_context.timesheets (contract_id, period_year, period_month) WHERE deleted_at IS null;
CREATE INDEX idx_timesheets_period_status
ON timesheet_context.timesheets (period_year, period_month, status) WHERE deleted_at IS null;
CREATE INDEX idx_timesheets_work_summary_gin ON timesheet_context.timesheets USING gin (work_summary);

CREATE TABLE timesheet_context.daily_attendances (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    timesheet_id uuid NOT NULL,
    period_year smallint NOT NULL,
    period_month smallint NOT NULL,
    engineer_id uuid NOT NULL,
    work_date date NOT NULL,
    attendance_type text NOT NULL DEFAULT 'WORK' CHECK (
        attendance_type IN ('WORK', 'HOLIDAY_WORK', 'PAID_LEAVE', 'SPECIAL_LEAVE', 'ABSENCE', 'HOLIDAY')
    ),
    start_time time,
    end_time time,
    break_minutes smallint NOT NULL DEFAULT 0 CHECK (break_minutes BETWEEN 0 AND 1440),
    work_minutes smallint NOT NULL DEFAULT 0 CHECK (work_minutes BETWEEN 0 AND 1440),
    billable_minutes smallint NOT NULL DEFAULT 0 CHECK (billable_minutes BETWEEN 0 AND 1440),
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    FOREIGN KEY (timesheet_id, period_year, period_month)
    REFERENCES timesheet_context.timesheets (id, period_year, period_month) ON DELETE CASCADE,
    CONSTRAINT daily_attendances_date_in_period CHECK (
        extract(YEAR FROM work_date) = period_year AND extract(MONTH FROM work_date) = period_month
    ),
    CONSTRAINT daily_attendances_times_together CHECK ((start_time IS null) = (end_time IS null)),
    CONSTRAINT daily_attendances_billable_within_worked CHECK (billable_minutes <= work_minutes)
);

COMMENT ON TABLE timesheet_context.daily_attendances IS 'Daily attendance (日次勤怠) of a timesheet: one row per worked or absent day, with exact and billable minutes.';
COMMENT ON COLUMN timesheet_context.daily_attendances.timesheet_id IS 'Timesheet the day belongs to (with period_year, period_month a foreign key to timesheets).';
COMMENT ON COLUMN timesheet_context.daily_attendances.period_year IS 'Year of the timesheet (part of its key); work_date must lie in the period.';
COMMENT ON COLUMN timesheet_context.daily_attendances.period_month IS 'Month of the timesheet (part of its key).';
COMMENT ON COLUMN timesheet_context.daily_attendances.engineer_id IS 'Engineer (copied from the timesheet); owner column for the engineer role.';
COMMENT ON COLUMN timesheet_context.daily_attendances.work_date IS 'The day, unique per timesheet among live rows.';
COMMENT ON COLUMN timesheet_context.daily_attendances.attendance_type IS 'WORK, HOLIDAY_WORK, PAID_LEAVE, SPECIAL_LEAVE, ABSENCE or HOLIDAY.';
COMMENT ON COLUMN timesheet_context.daily_attendances.start_time IS 'Start of work (local time); NULL on days off.';
COMMENT ON COLUMN timesheet_context.daily_attendances.end_time IS 'End of work (local time); may be earlier than start_time for work past midnight.';
COMMENT ON COLUMN timesheet_context.daily_attendances.break_minutes IS 'Break in minutes.';
COMMENT ON COLUMN timesheet_context.daily_attendances.work_minutes IS 'Exact minutes worked: end - start - break (payroll counts these).';
COMMENT ON COLUMN timesheet_context.daily_attendances.billable_minutes IS 'Minutes for settlement: work_minutes truncated to the contract''s time unit when rounding_scope is DAILY.';
COMMENT ON COLUMN timesheet_context.daily_attendances.note IS 'Free note, e.g. work content of the day.';

CREATE UNIQUE INDEX daily_attendances_timesheet_date_key
ON timesheet_context.daily_attendances (timesheet_id, work_date) WHERE deleted_at IS null;

CREATE TABLE timesheet_context.timesheet_approval_steps (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    timesheet_id uuid NOT NULL,
    period_year smallint NOT NULL,
    period_month smallint NOT NULL,
    step_no smallint NOT NULL CHECK (step_no > 0),
    action text NOT NULL CHECK (action IN ('SUBMIT', 'CLIENT_APPROVE', 'APPROVE', 'REJECT', 'CLOSE', 'REOPEN', 'ALERT')),
    from_status text NOT NULL,
    to_status text NOT NULL,
    actor_type text NOT NULL CHECK (
        actor_type IN ('ENGINEER', 'CUSTOMER', 'PROJECT_MANAGER', 'SALES', 'FINANCE', 'SYSTEM')
    ),
    actor_id uuid,
    acted_at timestamptz NOT NULL DEFAULT now(),
    comment text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    FOREIGN KEY (timesheet_id, period_year, period_month)
    REFERENCES timesheet_context.timesheets (id, period_year, period_month) ON DELETE CASCADE
);

COMMENT ON TABLE timesheet_context.timesheet_approval_steps IS 'Approval flow (承認フロー) of a timesheet: every status transition, in order, with who made it.';
COMMENT ON COLUMN timesheet_context.timesheet_approval_steps.timesheet_id IS 'Timesheet (with period_year, period_month a foreign key to timesheets).';
COMMENT ON COLUMN timesheet_context.timesheet_approval_steps.period_year IS 'Year of the timesheet (part of its key).';
COMMENT ON COLUMN timesheet_context.timesheet_approval_steps.period_month IS 'Month of the timesheet (part of its key).';
COMMENT ON COLUMN timesheet_context.timesheet_approval_steps.step_no IS 'Position of the step in the timesheet''s history (1, 2, ...), unique among live steps.';
COMMENT ON COLUMN timesheet_context.timesheet_approval_steps.action IS 'SUBMIT, CLIENT_APPROVE, APPROVE, REJECT, CLOSE, REOPEN or ALERT (hours outside the range flagged).';
COMMENT ON COLUMN timesheet_context.timesheet_approval_steps.from_status IS 'Timesheet status before the step.';
COMMENT ON COLUMN timesheet_context.timesheet_approval_steps.to_status IS 'Timesheet status after the step.';
COMMENT ON COLUMN timesheet_context.timesheet_approval_steps.actor_type IS 'ENGINEER, CUSTOMER, PROJECT_MANAGER, SALES, FINANCE or SYSTEM.';
COMMENT ON COLUMN timesheet_context.timesheet_approval_steps.actor_id IS 'User who acted (NULL for SYSTEM).';
COMMENT ON COLUMN timesheet_context.timesheet_approval_steps.acted_at IS 'When the step was taken.';
COMMENT ON COLUMN timesheet_context.timesheet_approval_steps.comment IS 'Comment, e.g. the rejection reason.';

CREATE UNIQUE INDEX timesheet_approval_steps_step_key
ON timesheet_context.timesheet_approval_steps (timesheet_id, step_no) WHERE deleted_at IS null;

CREATE TABLE timesheet_context.timesheet_adjustments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    timesheet_id uuid NOT NULL,
    period_year smallint NOT NULL,
    period_month smallint NOT NULL,
    adjustment_type text NOT NULL CHECK (adjustment_type IN ('HOURS', 'AMOUNT', 'EXPENSE')),
    delta_minutes integer NOT NULL DEFAULT 0,
    delta_amount numeric(14, 2) NOT NULL DEFAULT 0,
    reason text NOT NULL CHECK (btrim(reason) <> ''),
    status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED', 'APPLIED')),
    applies_to_year smallint CHECK (applies_to_year BETWEEN 2000 AND 2199),
    applies_to_month smallint CHECK (applies_to_month BETWEEN 1 AND 12),
    requested_by uuid,
    approved_by uuid,
    approved_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    FOREIGN KEY (timesheet_id, period_year, period_month)
    REFERENCES timesheet_context.timesheets (id, period_year, period_month) ON DELETE CASCADE,
    CONSTRAINT timesheet_adjustments_has_delta CHECK (delta_minutes <> 0 OR delta_amount <> 0),
    CONSTRAINT timesheet_adjustments_kind_matches_delta CHECK (
        (adjustment_type = 'HOURS' AND delta_amount = 0) OR (adjustment_type <> 'HOURS' AND delta_minutes = 0)
    ),
    CONSTRAINT timesheet_adjustments_approved_has_approver CHECK (
        status NOT IN ('APPROVED', 'APPLIED') OR (approved_by IS NOT null AND approved_at IS NOT null)
    ),
    CONSTRAINT timesheet_adjustments_target_period_together CHECK ((applies_to_year IS null) = (applies_to_month IS null))
);

COMMENT ON TABLE timesheet_context.timesheet_adjustments IS 'Adjustments (勤怠調整) to a timesheet after DRAFT: hours, amounts or expenses with a reason and an approver; approved ones re-run settlement. After CLOSED they apply to the next open period (applies_to_year/month).';
COMMENT ON COLUMN timesheet_context.timesheet_adjustments.timesheet_id IS 'Timesheet adjusted (with period_year, period_month a foreign key).';
COMMENT ON COLUMN timesheet_context.timesheet_adjustments.period_year IS 'Year of the timesheet (part of its key).';
COMMENT ON COLUMN timesheet_context.timesheet_adjustments.period_month IS 'Month of the timesheet (part of its key).';
COMMENT ON COLUMN timesheet_context.timesheet_adjustments.adjustment_type IS 'HOURS (delta_minutes), AMOUNT (調整額, delta_amount) or EXPENSE (諸経費, delta_amount).';
COMMENT ON COLUMN timesheet_context.timesheet_adjustments.delta_minutes IS 'Minutes added (positive) or removed (negative); HOURS only.';
COMMENT ON COLUMN timesheet_context.timesheet_adjustments.delta_amount IS 'Yen added or removed; AMOUNT and EXPENSE only.';
COMMENT ON COLUMN timesheet_context.timesheet_adjustments.reason IS 'Why the adjustment is needed (required).';
COMMENT ON COLUMN timesheet_context.timesheet_adjustments.status IS 'PENDING, APPROVED, REJECTED or APPLIED.';
COMMENT ON COLUMN timesheet_context.timesheet_adjustments.applies_to_year IS 'Year of the open period the adjustment is settled in when the timesheet is CLOSED; NULL = its own period.';
COMMENT ON COLUMN timesheet_context.timesheet_adjustments.applies_to_month IS 'Month of that period.';
COMMENT ON COLUMN timesheet_context.timesheet_adjustments.requested_by IS 'User who asked for the adjustment.';
COMMENT ON COLUMN timesheet_context.timesheet_adjustments.approved_by IS 'User who approved it; required from APPROVED on.';
COMMENT ON COLUMN timesheet_context.timesheet_adjustments.approved_at IS 'When it was approved.';

INSERT INTO ses_common.cross_context_references
    (source_schema, source_table, source_column, target_schema, target_table, target_label)
VALUES
    ('timesheet_context', 'timesheets', 'contract_id', 'contract_context', 'contracts', 'contract'),
    ('timesheet_context', 'timesheets', 'engineer_id', 'engineer_context', 'engineers', 'engineer'),
    ('timesheet_context', 'timesheets', 'project_id', 'project_context', 'projects', 'project');

INSERT INTO ses_common.partitioned_tables (table_schema, table_name, key_kind, periods_ahead)
VALUES ('timesheet_context', 'timesheets', 'YEAR_MONTH', 3);

DO $common$
DECLARE
    v_table regclass;
BEGIN
    FOREACH v_table IN ARRAY ARRAY[
        'timesheet_context.timesheets', 'timesheet_context.daily_attendances',
        'timesheet_context.timesheet_approval_steps', 'timesheet_context.timesheet_adjustments'
    ]::regclass[]
    LOOP
        PERFORM ses_common.comment_common_columns(v_table);
        PERFORM ses_common.add_common_indexes(v_table);
    END LOOP;
END
$common$;
