-- depends: 0100_ses_common
-- Phase 2 (supporting): contract_context, the contracts (契約) behind every placement.
--
-- Why these columns: one contract row per engineer and side. A CUSTOMER-side
-- contract (上位) is what we bill; a PARTNER-side contract (下位, with a BP
-- company or freelancer) is what we pay; both carry their own settlement range
-- (精算幅: lower/upper monthly hours, deduction/overtime hourly rates, method,
-- time unit, rounding) because the two sides are settled separately
-- (ses-domain-rules.md section 1), and their own payment terms (section 2:
-- 取適法/フリーランス法 protected partners must be paid within 60 days and may
-- not be charged the transfer fee).
-- Cross-context references (checked by tg_contracts__check_references):
-- project_id, engineer_id, matching_result_id.

CREATE SCHEMA contract_context;
REVOKE ALL ON SCHEMA contract_context FROM PUBLIC;

CREATE TABLE contract_context.contract_templates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    template_code text NOT NULL CHECK (template_code ~ '^[A-Z0-9][A-Z0-9_-]{2,31}$'),
    name text NOT NULL CHECK (btrim(name) <> ''),
    contract_type text NOT NULL CHECK (contract_type IN ('QUASI_MANDATE', 'DISPATCH')),
    contract_side text NOT NULL CHECK (contract_side IN ('CUSTOMER', 'PARTNER')),
    template_version integer NOT NULL DEFAULT 1 CHECK (template_version >= 1),
    status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'ACTIVE', 'RETIRED')),
    body text NOT NULL,
    default_terms jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(default_terms) = 'object'),
    effective_from date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

COMMENT ON TABLE contract_context.contract_templates IS 'Contract templates (契約テンプレート): the text and default terms new contracts start from, per contract type and side.';
COMMENT ON COLUMN contract_context.contract_templates.template_code IS 'Template code; with template_version unique among live templates.';
COMMENT ON COLUMN contract_context.contract_templates.name IS 'Template name.';
COMMENT ON COLUMN contract_context.contract_templates.contract_type IS 'QUASI_MANDATE (準委任) or DISPATCH (派遣).';
COMMENT ON COLUMN contract_context.contract_templates.contract_side IS 'CUSTOMER (we are the contractor, 上位) or PARTNER (we are the client of a BP, 下位).';
COMMENT ON COLUMN contract_context.contract_templates.template_version IS 'Revision of the template text (not the row version).';
COMMENT ON COLUMN contract_context.contract_templates.status IS 'DRAFT, ACTIVE (offered for new contracts) or RETIRED.';
COMMENT ON COLUMN contract_context.contract_templates.body IS 'Template text with placeholders.';
COMMENT ON COLUMN contract_context.contract_templates.default_terms IS 'Default contract_terms for contracts made from it, as a JSON object.';
COMMENT ON COLUMN contract_context.contract_templates.effective_from IS 'First day the template may be used.';

CREATE UNIQUE INDEX contract_templates_code_version_key
ON contract_context.contract_templates (template_code, template_version) WHERE deleted_at IS NULL;

CREATE TABLE contract_context.contracts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contract_number text NOT NULL CHECK (contract_number ~ '^[A-Z0-9][A-Z0-9_-]{2,39}$'),
    contract_type text NOT NULL CHECK (contract_type IN ('QUASI_MANDATE', 'DISPATCH')),
    contract_side text NOT NULL DEFAULT 'CUSTOMER' CHECK (contract_side IN ('CUSTOMER', 'PARTNER')),
    project_id uuid NOT NULL,
    engineer_id uuid NOT NULL,
    matching_result_id uuid,
    template_id uuid REFERENCES contract_context.contract_templates (id) ON DELETE RESTRICT,
    upstream_contract_id uuid REFERENCES contract_context.contracts (id) ON DELETE RESTRICT,
    customer_id uuid NOT NULL,
    counterparty_id uuid NOT NULL,
    counterparty_name text NOT NULL,
    status text NOT NULL DEFAULT 'DRAFT' CHECK (
        status IN (
            'DRAFT', 'PENDING_SIGNATURE', 'ACTIVE', 'SUSPENDED', 'COMPLETED', 'TERMINATED', 'CANCELLED'
        )
    ),
    start_date date NOT NULL,
    end_date date NOT NULL,
    auto_renewal boolean NOT NULL DEFAULT FALSE,
    monthly_unit_price numeric(12, 2) NOT NULL CHECK (monthly_unit_price >= 0),
    effort_ratio numeric(4, 2) NOT NULL DEFAULT 1.00 CHECK (effort_ratio > 0 AND effort_ratio <= 1),
    settlement_method text NOT NULL DEFAULT 'UPPER_LOWER' CHECK (
        settlement_method IN ('UPPER_LOWER', 'MIDPOINT', 'FIXED', 'FIXED_HOURS', 'HOURLY')
    ),
    lower_hours numeric(6, 2) DEFAULT 140 CHECK (lower_hours >= 0),
    upper_hours numeric(6, 2) DEFAULT 180 CHECK (upper_hours >= 0),
    midpoint_hours numeric(6, 2) CHECK (midpoint_hours > 0),
    fixed_hours numeric(6, 2) CHECK (fixed_hours > 0),
    hourly_rate numeric(10, 2) CHECK (hourly_rate >= 0),
    deduction_hourly_rate numeric(10, 2) CHECK (deduction_hourly_rate >= 0),
    overtime_hourly_rate numeric(10, 2) CHECK (overtime_hourly_rate >= 0),
    time_unit_minutes smallint NOT NULL DEFAULT 15 CHECK (time_unit_minutes IN (1, 15, 30, 60)),
    rounding_scope text NOT NULL DEFAULT 'DAILY' CHECK (rounding_scope IN ('DAILY', 'MONTHLY')),
    amount_rounding_mode text NOT NULL DEFAULT 'FLOOR' CHECK (amount_rounding_mode IN ('FLOOR', 'HALF_UP', 'CEILING')),
    proration_basis text NOT NULL DEFAULT 'WEEKDAYS' CHECK (proration_basis IN ('WEEKDAYS', 'CALENDAR_DAYS')),
    closing_day smallint NOT NULL DEFAULT 31 CHECK (closing_day BETWEEN 1 AND 31),
    payment_month_offset smallint NOT NULL DEFAULT 1 CHECK (payment_month_offset BETWEEN 0 AND 3),
    payment_day smallint NOT NULL DEFAULT 31 CHECK (payment_day BETWEEN 1 AND 31),
    transfer_fee_bearer text NOT NULL DEFAULT 'PAYER' CHECK (transfer_fee_bearer IN ('PAYER', 'PAYEE')),
    is_protected_subcontract boolean NOT NULL DEFAULT FALSE,
    client_approval_gate text NOT NULL DEFAULT 'AFTER_SUBMISSION' CHECK (
        client_approval_gate IN ('ANY_TIME', 'AFTER_SUBMISSION', 'AFTER_INTERNAL_APPROVAL', 'NONE')
    ),
    contract_terms jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(contract_terms) = 'object'),
    project_manager_id uuid,
    sales_manager_id uuid,
    signed_at timestamptz,
    terminated_at timestamptz,
    termination_reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT contracts_period_ordered CHECK (end_date >= start_date),
    CONSTRAINT contracts_settlement_range_ordered CHECK (lower_hours <= upper_hours),
    CONSTRAINT contracts_range_methods_have_bounds CHECK (
        settlement_method NOT IN ('UPPER_LOWER', 'MIDPOINT') OR (lower_hours IS NOT NULL AND upper_hours IS NOT NULL)
    ),
    CONSTRAINT contracts_fixed_hours_method_has_hours CHECK (
        (settlement_method = 'FIXED_HOURS') = (fixed_hours IS NOT NULL)
    ),
    CONSTRAINT contracts_hourly_method_has_rate CHECK (settlement_method <> 'HOURLY' OR hourly_rate IS NOT NULL),
    CONSTRAINT contracts_partner_side_has_upstream CHECK (contract_side = 'PARTNER' OR upstream_contract_id IS NULL),
    CONSTRAINT contracts_protected_partner_pays_fee CHECK (
        NOT (is_protected_subcontract AND transfer_fee_bearer = 'PAYEE')
    ),
    CONSTRAINT contracts_terminated_has_time CHECK ((status = 'TERMINATED') = (terminated_at IS NOT NULL))
);

COMMENT ON TABLE contract_context.contracts IS
'Contracts (契約): one per engineer placement and side. CUSTOMER side is billed to the customer, PARTNER side is paid to the BP company or freelancer (upstream_contract_id points to the customer-side contract it serves). Carries the monthly unit price and the settlement range (精算幅). DRAFT -> PENDING_SIGNATURE -> ACTIVE (ContractSigned event) -> COMPLETED, or SUSPENDED / TERMINATED / CANCELLED.';
COMMENT ON COLUMN contract_context.contracts.contract_number IS 'Human contract number, unique among live contracts.';
COMMENT ON COLUMN contract_context.contracts.contract_type IS 'QUASI_MANDATE (準委任: the customer gives no instructions) or DISPATCH (派遣: worker dispatch, the customer directs the work).';
COMMENT ON COLUMN contract_context.contracts.contract_side IS 'CUSTOMER (we bill, 上位) or PARTNER (we pay a BP, 下位).';
COMMENT ON COLUMN contract_context.contracts.project_id IS 'Project (project_context.projects; checked by tg_contracts__check_references).';
COMMENT ON COLUMN contract_context.contracts.engineer_id IS 'Engineer placed (engineer_context.engineers; checked); owner column for the engineer role.';
COMMENT ON COLUMN contract_context.contracts.matching_result_id IS 'Matching result that led to the contract (matching_context.matching_results; checked); NULL for a contract made without matching.';
COMMENT ON COLUMN contract_context.contracts.template_id IS 'Template the contract was made from.';
COMMENT ON COLUMN contract_context.contracts.upstream_contract_id IS 'For a PARTNER-side contract: the CUSTOMER-side contract it serves.';
COMMENT ON COLUMN contract_context.contracts.customer_id IS 'End customer of the placement (for both sides); owner column for the customer role.';
COMMENT ON COLUMN contract_context.contracts.counterparty_id IS 'The other party of this contract: the customer (CUSTOMER side) or the partner company / freelancer (PARTNER side).';
COMMENT ON COLUMN contract_context.contracts.counterparty_name IS 'Counterparty name as at signature (snapshot).';
COMMENT ON COLUMN contract_context.contracts.status IS 'DRAFT, PENDING_SIGNATURE, ACTIVE, SUSPENDED, COMPLETED, TERMINATED or CANCELLED.';
COMMENT ON COLUMN contract_context.contracts.start_date IS 'First day of the contract period.';
COMMENT ON COLUMN contract_context.contracts.end_date IS 'Last day of the contract period (SES contracts run 1-3 months and are renewed).';
COMMENT ON COLUMN contract_context.contracts.auto_renewal IS 'Whether the contract renews itself unless cancelled.';
COMMENT ON COLUMN contract_context.contracts.monthly_unit_price IS 'Monthly unit price (単価) for 1.0 人月, in yen.';
COMMENT ON COLUMN contract_context.contracts.effort_ratio IS 'Effort (人月) the price applies to, 0 < ratio <= 1; billed base = monthly_unit_price x effort_ratio.';
COMMENT ON COLUMN contract_context.contracts.settlement_method IS 'UPPER_LOWER (上下割: deduction rate = price / lower, overtime rate = price / upper), MIDPOINT (中間割: one rate = price / midpoint), FIXED (固定, hours ignored), FIXED_HOURS (every hour above or below fixed_hours settled) or HOURLY (時間単価: hours x hourly_rate).';
COMMENT ON COLUMN contract_context.contracts.lower_hours IS 'Lower bound (下限) of the settlement range in monthly hours, default 140; below it hours are deducted.';
COMMENT ON COLUMN contract_context.contracts.upper_hours IS 'Upper bound (上限) of the settlement range in monthly hours, default 180; above it overtime is billed. Actual hours equal to a bound are not adjusted.';
COMMENT ON COLUMN contract_context.contracts.midpoint_hours IS 'MIDPOINT divisor (中割時間); NULL means (lower_hours + upper_hours) / 2.';
COMMENT ON COLUMN contract_context.contracts.fixed_hours IS 'Reference hours of a FIXED_HOURS contract ("150h固定"); set exactly for that method.';
COMMENT ON COLUMN contract_context.contracts.hourly_rate IS 'Hourly rate of an HOURLY contract, in yen.';
COMMENT ON COLUMN contract_context.contracts.deduction_hourly_rate IS 'Deduction rate (控除単価) per hour below the range, in yen: the contract''s value, else floor(price / lower / 10) * 10, stored here when the contract is made.';
COMMENT ON COLUMN contract_context.contracts.overtime_hourly_rate IS 'Overtime rate (超過単価) per hour above the range, in yen: the contract''s value, else floor(price / upper / 10) * 10.';
COMMENT ON COLUMN contract_context.contracts.time_unit_minutes IS 'Billing time unit (精算単位): daily hours are truncated to 1, 15, 30 or 60 minutes (billing only; payroll counts exact minutes).';
COMMENT ON COLUMN contract_context.contracts.rounding_scope IS 'DAILY (truncate each day to the time unit) or MONTHLY (truncate the monthly total).';
COMMENT ON COLUMN contract_context.contracts.amount_rounding_mode IS 'How the settled amount is rounded to 1 yen, once per line: FLOOR (default), HALF_UP or CEILING.';
COMMENT ON COLUMN contract_context.contracts.proration_basis IS 'Proration (日割り) of a partial month: WEEKDAYS or CALENDAR_DAYS.';
COMMENT ON COLUMN contract_context.contracts.closing_day IS 'Monthly closing day (締め日); 31 means month end.';
COMMENT ON COLUMN contract_context.contracts.payment_month_offset IS 'Months from the closing to the payment (1 = 翌月).';
COMMENT ON COLUMN contract_context.contracts.payment_day IS 'Day of the payment month (31 = month end); 月末締め翌月末払い is 31/1/31.';
COMMENT ON COLUMN contract_context.contracts.transfer_fee_bearer IS 'Who bears the bank transfer fee: PAYER or PAYEE. PAYEE is forbidden for protected partners.';
COMMENT ON COLUMN contract_context.contracts.is_protected_subcontract IS 'The partner is protected by 取適法 (下請法) or the フリーランス法: payment within 60 days of the service, no transfer fee deducted.';
COMMENT ON COLUMN contract_context.contracts.client_approval_gate IS 'When the customer approves timesheets: ANY_TIME, AFTER_SUBMISSION (after 月締申請), AFTER_INTERNAL_APPROVAL, or NONE (no customer approval).';
COMMENT ON COLUMN contract_context.contracts.contract_terms IS 'Further terms as a JSON object (work place, dispatch details for 派遣, deliverables, special clauses); GIN-indexed.';
COMMENT ON COLUMN contract_context.contracts.project_manager_id IS 'Project manager; owner column.';
COMMENT ON COLUMN contract_context.contracts.sales_manager_id IS 'Sales user in charge; owner column.';
COMMENT ON COLUMN contract_context.contracts.signed_at IS 'When all parties had signed.';
COMMENT ON COLUMN contract_context.contracts.terminated_at IS 'When the contract was terminated early; set exactly for TERMINATED.';
COMMENT ON COLUMN contract_context.contracts.termination_reason IS 'Why the contract was terminated or cancelled.';

CREATE UNIQUE INDEX contracts_contract_number_key ON contract_context.contracts (contract_number) WHERE deleted_at IS NULL;
CREATE INDEX idx_contracts_status_period ON contract_context.contracts (status, start_date, end_date) WHERE deleted_at IS NULL;
CREATE INDEX idx_contracts_terms_gin ON contract_context.contracts USING gin (contract_terms);

CREATE TABLE contract_context.contract_signatures (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contract_id uuid NOT NULL REFERENCES contract_context.contracts (id) ON DELETE CASCADE,
    signer_party text NOT NULL CHECK (signer_party IN ('COMPANY', 'COUNTERPARTY')),
    signer_name text NOT NULL,
    signer_email text,
    signer_user_id uuid,
    signature_method text NOT NULL DEFAULT 'ELECTRONIC' CHECK (signature_method IN ('ELECTRONIC', 'WET_INK', 'SEAL')),
    status text NOT NULL DEFAULT 'REQUESTED' CHECK (status IN ('REQUESTED', 'SIGNED', 'DECLINED', 'EXPIRED', 'REVOKED')),
    provider text,
    provider_document_id text,
    document_sha256 text CHECK (document_sha256 ~ '^[0-9a-f]{64}$'),
    requested_at timestamptz NOT NULL DEFAULT now(),
    signed_at timestamptz,
    expires_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT contract_signatures_signed_has_time CHECK ((status = 'SIGNED') = (signed_at IS NOT NULL))
);

COMMENT ON TABLE contract_context.contract_signatures IS 'Electronic signatures (電子署名) of a contract: one row per signer request.';
COMMENT ON COLUMN contract_context.contract_signatures.contract_id IS 'Contract signed.';
COMMENT ON COLUMN contract_context.contract_signatures.signer_party IS 'COMPANY (us) or COUNTERPARTY.';
COMMENT ON COLUMN contract_context.contract_signatures.signer_name IS 'Name of the person signing.';
COMMENT ON COLUMN contract_context.contract_signatures.signer_email IS 'Where the signing request was sent.';
COMMENT ON COLUMN contract_context.contract_signatures.signer_user_id IS 'Signer''s user, when the signer uses the system.';
COMMENT ON COLUMN contract_context.contract_signatures.signature_method IS 'ELECTRONIC, WET_INK or SEAL (押印).';
COMMENT ON COLUMN contract_context.contract_signatures.status IS 'REQUESTED, SIGNED, DECLINED, EXPIRED or REVOKED.';
COMMENT ON COLUMN contract_context.contract_signatures.provider IS 'E-signature service, e.g. CloudSign, DocuSign.';
COMMENT ON COLUMN contract_context.contract_signatures.provider_document_id IS 'The provider''s id of the signing envelope.';
COMMENT ON COLUMN contract_context.contract_signatures.document_sha256 IS 'SHA-256 (hex) of the signed document, to prove what was signed.';
COMMENT ON COLUMN contract_context.contract_signatures.requested_at IS 'When the signature was requested.';
COMMENT ON COLUMN contract_context.contract_signatures.signed_at IS 'When it was signed; set exactly for SIGNED.';
COMMENT ON COLUMN contract_context.contract_signatures.expires_at IS 'When an unsigned request expires.';

CREATE TABLE contract_context.contract_amendments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contract_id uuid NOT NULL REFERENCES contract_context.contracts (id) ON DELETE CASCADE,
    amendment_number integer NOT NULL CHECK (amendment_number > 0),
    amendment_type text NOT NULL CHECK (
        amendment_type IN ('PRICE_CHANGE', 'PERIOD_EXTENSION', 'SETTLEMENT_CHANGE', 'TERMINATION', 'OTHER')
    ),
    effective_date date NOT NULL,
    changes jsonb NOT NULL CHECK (jsonb_typeof(changes) = 'object'),
    reason text,
    status text NOT NULL DEFAULT 'DRAFT' CHECK (
        status IN ('DRAFT', 'PENDING_SIGNATURE', 'APPROVED', 'APPLIED', 'REJECTED', 'CANCELLED')
    ),
    requested_by uuid,
    approved_by uuid,
    approved_at timestamptz,
    applied_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT contract_amendments_approved_has_approver CHECK (
        status NOT IN ('APPROVED', 'APPLIED') OR (approved_by IS NOT NULL AND approved_at IS NOT NULL)
    )
);

COMMENT ON TABLE contract_context.contract_amendments IS 'Contract amendments (契約変更): price changes, extensions, settlement changes, early termination; applied to the contract row once approved.';
COMMENT ON COLUMN contract_context.contract_amendments.contract_id IS 'Contract amended.';
COMMENT ON COLUMN contract_context.contract_amendments.amendment_number IS 'Sequence number within the contract (1, 2, ...), unique among live amendments.';
COMMENT ON COLUMN contract_context.contract_amendments.amendment_type IS 'PRICE_CHANGE, PERIOD_EXTENSION, SETTLEMENT_CHANGE, TERMINATION or OTHER.';
COMMENT ON COLUMN contract_context.contract_amendments.effective_date IS 'First day the amendment applies.';
COMMENT ON COLUMN contract_context.contract_amendments.changes IS 'Changed contract columns as a JSON object {"column": {"from": old, "to": new}}.';
COMMENT ON COLUMN contract_context.contract_amendments.reason IS 'Why the contract is amended.';
COMMENT ON COLUMN contract_context.contract_amendments.status IS 'DRAFT, PENDING_SIGNATURE, APPROVED, APPLIED, REJECTED or CANCELLED.';
COMMENT ON COLUMN contract_context.contract_amendments.requested_by IS 'User who requested the amendment.';
COMMENT ON COLUMN contract_context.contract_amendments.approved_by IS 'User who approved it; required from APPROVED on.';
COMMENT ON COLUMN contract_context.contract_amendments.approved_at IS 'When it was approved.';
COMMENT ON COLUMN contract_context.contract_amendments.applied_at IS 'When it was applied to the contract row.';

CREATE UNIQUE INDEX contract_amendments_number_key
ON contract_context.contract_amendments (contract_id, amendment_number) WHERE deleted_at IS NULL;

INSERT INTO ses_common.cross_context_references
    (source_schema, source_table, source_column, target_schema, target_table, target_label)
VALUES
    ('contract_context', 'contracts', 'project_id', 'project_context', 'projects', 'project'),
    ('contract_context', 'contracts', 'engineer_id', 'engineer_context', 'engineers', 'engineer'),
    ('contract_context', 'contracts', 'matching_result_id', 'matching_context', 'matching_results', 'matching result');

DO $common$
DECLARE
    v_table regclass;
BEGIN
    FOREACH v_table IN ARRAY ARRAY[
        'contract_context.contract_templates', 'contract_context.contracts',
        'contract_context.contract_signatures', 'contract_context.contract_amendments'
    ]::regclass[]
    LOOP
        PERFORM ses_common.comment_common_columns(v_table);
        PERFORM ses_common.add_common_indexes(v_table);
    END LOOP;
END
$common$;
