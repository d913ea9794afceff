-- depends: 0100_ses_common
-- Phase 2 (supporting): billing_context, invoices (請求書), payments and journals.
--
-- Partitioning (design document): invoices yearly on invoice_year, primary key
-- (id, invoice_year) because a partitioned table's unique constraints must
-- contain the partition key (the document's LIKE … INCLUDING ALL copy cannot
-- work). A DEFAULT partition only catches rows no yearly partition holds; its
-- trigger refuses them with SE003 (see migration 0135 for why).
--
-- Business rules carried by columns and constraints (ses-domain-rules.md):
-- * qualified invoices (インボイス制度): issuer registration number T+13 digits;
--   an invoice cannot leave DRAFT without the six required items;
--   tax is computed once per invoice per rate: invoice_tax_summaries, one row
--   per rate; billing items carry the rate, never a tax amount;
-- * payment terms: protected partners (取適法, フリーランス法) are paid within
--   60 days of the service (due_date <= service_period_end + 59) and never
--   bear the transfer fee;
-- * journals (税抜経理): accounting_entries (one per event) with
--   accounting_entry_lines (debit/credit); entries are never edited, a
--   correction is a reversal (reversal_of_id) plus a new posting;
-- * payee bank accounts by Zengin bank code (4 digits) and branch code (3
--   digits), checked against the Zengin master by code, not by foreign key:
--   the master is another system's data and is recoded monthly.
-- invoices.direction tells a customer invoice we issue (RECEIVABLE) from a
-- partner's invoice to us (PAYABLE, 仕入請求書).
-- Cross-context references (tg_<table>__check_references): contract_id,
-- project_id, timesheet_id, engineer_id.

CREATE SCHEMA billing_context;
REVOKE ALL ON SCHEMA billing_context FROM PUBLIC;

CREATE TABLE billing_context.payee_accounts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_type text NOT NULL CHECK (owner_type IN ('PARTNER_COMPANY', 'ENGINEER')),
    partner_company_id uuid,
    engineer_id uuid,
    bank_code text NOT NULL CHECK (bank_code ~ '^[0-9]{4}$'),
    branch_code text NOT NULL CHECK (branch_code ~ '^[0-9]{3}$'),
    bank_name text,
    branch_name text,
    account_type smallint NOT NULL CHECK (account_type IN (1, 2, 4, 9)),
    account_number text NOT NULL CHECK (account_number ~ '^[0-9]{7}$'),
    account_holder_kana text NOT NULL CHECK (account_holder_kana ~ '^[ｦｱ-ﾟA-Z0-9 ().-]{1,30}$'),
    account_holder_name text,
    status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INVALID', 'CLOSED')),
    invalid_reason text,
    invalidated_at timestamptz,
    verified_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT payee_accounts_owner_matches_type CHECK (
        (owner_type = 'PARTNER_COMPANY' AND partner_company_id IS NOT NULL AND engineer_id IS NULL)
        OR (owner_type = 'ENGINEER' AND engineer_id IS NOT NULL AND partner_company_id IS NULL)
    ),
    CONSTRAINT payee_accounts_invalid_has_reason CHECK (
        (status = 'INVALID') = (invalid_reason IS NOT NULL AND invalidated_at IS NOT NULL)
    )
);

COMMENT ON TABLE billing_context.payee_accounts IS
'Bank accounts we pay partners and freelancers to (振込先), by Zengin bank and branch code. When the Zengin master removes or recodes the branch the account becomes INVALID and must be registered again; a transfer batch containing an INVALID account is refused.';
COMMENT ON COLUMN billing_context.payee_accounts.owner_type IS 'PARTNER_COMPANY or ENGINEER (a freelancer paid directly).';
COMMENT ON COLUMN billing_context.payee_accounts.partner_company_id IS 'Partner company owning the account; set exactly for PARTNER_COMPANY.';
COMMENT ON COLUMN billing_context.payee_accounts.engineer_id IS 'Freelance engineer owning the account (engineer_context.engineers; checked); set exactly for ENGINEER.';
COMMENT ON COLUMN billing_context.payee_accounts.bank_code IS 'Zengin bank code, 4 digits (zengin.banks by code, no foreign key across systems).';
COMMENT ON COLUMN billing_context.payee_accounts.branch_code IS 'Zengin branch code, 3 digits.';
COMMENT ON COLUMN billing_context.payee_accounts.bank_name IS 'Bank name as at registration (snapshot).';
COMMENT ON COLUMN billing_context.payee_accounts.branch_name IS 'Branch name as at registration (snapshot).';
COMMENT ON COLUMN billing_context.payee_accounts.account_type IS 'Zengin deposit type (預金種目): 1 普通, 2 当座, 4 貯蓄, 9 その他.';
COMMENT ON COLUMN billing_context.payee_accounts.account_number IS 'Account number, 7 digits (zero-padded).';
COMMENT ON COLUMN billing_context.payee_accounts.account_holder_kana IS 'Account holder (受取人名) as the bank knows it, in the Zengin character set: half-width katakana without small kana, ﾞﾟ, A-Z, 0-9, space and ( ) - . ; at most 30 characters.';
COMMENT ON COLUMN billing_context.payee_accounts.account_holder_name IS 'Account holder in ordinary writing, for people.';
COMMENT ON COLUMN billing_context.payee_accounts.status IS 'ACTIVE, INVALID (the master no longer has the branch) or CLOSED.';
COMMENT ON COLUMN billing_context.payee_accounts.invalid_reason IS 'Why the account became INVALID, e.g. branch 001 merged into 005.';
COMMENT ON COLUMN billing_context.payee_accounts.invalidated_at IS 'When it became INVALID.';
COMMENT ON COLUMN billing_context.payee_accounts.verified_at IS 'When the account was last checked against the Zengin master.';

CREATE INDEX payee_accounts_bank_branch_idx
ON billing_context.payee_accounts (bank_code, branch_code) WHERE deleted_at IS NULL;

CREATE TABLE billing_context.invoices (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    invoice_year smallint NOT NULL CHECK (invoice_year BETWEEN 2000 AND 2199),
    invoice_month smallint NOT NULL CHECK (invoice_month BETWEEN 1 AND 12),
    invoice_number text NOT NULL CHECK (btrim(invoice_number) <> ''),
    direction text NOT NULL DEFAULT 'RECEIVABLE' CHECK (direction IN ('RECEIVABLE', 'PAYABLE')),
    customer_id uuid NOT NULL,
    contract_id uuid,
    project_id uuid,
    payee_account_id uuid REFERENCES billing_context.payee_accounts (id) ON DELETE RESTRICT,
    issuer_name text,
    issuer_registration_no text CHECK (issuer_registration_no ~ '^T[0-9]{13}$'),
    recipient_name text NOT NULL,
    service_period_start date,
    service_period_end date,
    issue_date date,
    due_date date,
    status text NOT NULL DEFAULT 'DRAFT' CHECK (
        status IN ('DRAFT', 'ISSUED', 'UNPAID', 'PARTIALLY_PAID', 'PAID', 'OVERDUE', 'CANCELLED')
    ),
    subtotal_amount numeric(14, 2) NOT NULL DEFAULT 0,
    tax_amount numeric(14, 2) NOT NULL DEFAULT 0,
    total_amount numeric(14, 2) NOT NULL DEFAULT 0,
    paid_amount numeric(14, 2) NOT NULL DEFAULT 0 CHECK (paid_amount >= 0),
    tax_rounding_mode text NOT NULL DEFAULT 'FLOOR' CHECK (tax_rounding_mode IN ('FLOOR', 'HALF_UP', 'CEILING')),
    is_protected_subcontract boolean NOT NULL DEFAULT FALSE,
    transfer_fee_bearer text NOT NULL DEFAULT 'PAYER' CHECK (transfer_fee_bearer IN ('PAYER', 'PAYEE')),
    billing_details jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(billing_details) = 'object'),
    sales_manager_id uuid,
    sent_at timestamptz,
    paid_at timestamptz,
    cancelled_at timestamptz,
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    PRIMARY KEY (id, invoice_year),
    CONSTRAINT invoices_total_is_subtotal_plus_tax CHECK (total_amount = subtotal_amount + tax_amount),
    CONSTRAINT invoices_service_period_ordered CHECK (service_period_end >= service_period_start),
    CONSTRAINT invoices_due_after_issue CHECK (due_date >= issue_date),
    CONSTRAINT invoices_issued_has_required_items CHECK (
        status IN ('DRAFT', 'CANCELLED')
        OR (
            issuer_name IS NOT NULL AND issue_date IS NOT NULL AND due_date IS NOT NULL
            AND service_period_start IS NOT NULL AND service_period_end IS NOT NULL
            AND (direction = 'PAYABLE' OR issuer_registration_no IS NOT NULL)
        )
    ),
    CONSTRAINT invoices_protected_due_within_60_days CHECK (
        NOT is_protected_subcontract OR due_date <= service_period_end + 59
    ),
    CONSTRAINT invoices_protected_partner_pays_fee CHECK (
        NOT (is_protected_subcontract AND transfer_fee_bearer = 'PAYEE')
    ),
    CONSTRAINT invoices_paid_has_time CHECK ((status = 'PAID') = (paid_at IS NOT NULL)),
    CONSTRAINT invoices_cancelled_has_time CHECK ((status = 'CANCELLED') = (cancelled_at IS NOT NULL))
) PARTITION BY RANGE (invoice_year);

COMMENT ON TABLE billing_context.invoices IS
'Invoices (請求書): RECEIVABLE ones we issue to customers and PAYABLE ones partners send us, partitioned yearly on invoice_year as invoices_YYYY. DRAFT -> ISSUED (finalised with the six required items, InvoiceIssued event) -> UNPAID (delivered, awaiting payment) -> PARTIALLY_PAID / OVERDUE -> PAID, or CANCELLED. Tax per rate is in invoice_tax_summaries.';
COMMENT ON COLUMN billing_context.invoices.invoice_year IS 'Year of the billed month; the partition key (fixed once recorded).';
COMMENT ON COLUMN billing_context.invoices.invoice_month IS 'Billed month, 1-12.';
COMMENT ON COLUMN billing_context.invoices.invoice_number IS 'Invoice number (ours for RECEIVABLE, the partner''s for PAYABLE).';
COMMENT ON COLUMN billing_context.invoices.direction IS 'RECEIVABLE (we bill a customer, 売上) or PAYABLE (a partner bills us, 仕入).';
COMMENT ON COLUMN billing_context.invoices.customer_id IS 'End customer the invoice relates to; owner column for the customer role (which sees RECEIVABLE invoices only).';
COMMENT ON COLUMN billing_context.invoices.contract_id IS 'Contract billed (contract_context.contracts; checked by tg_invoices__check_references); NULL for an invoice over several contracts (see the items).';
COMMENT ON COLUMN billing_context.invoices.project_id IS 'Project billed (project_context.projects; checked), for the project manager role.';
COMMENT ON COLUMN billing_context.invoices.payee_account_id IS 'For PAYABLE: the partner''s bank account we pay to.';
COMMENT ON COLUMN billing_context.invoices.issuer_name IS 'Issuer''s name (required item 1).';
COMMENT ON COLUMN billing_context.invoices.issuer_registration_no IS 'Issuer''s qualified-invoice registration number, T + 13 digits (required item 1 for RECEIVABLE; NULL on a PAYABLE from an unregistered partner, whose input tax is only partly creditable).';
COMMENT ON COLUMN billing_context.invoices.recipient_name IS 'Recipient''s name (required item 6).';
COMMENT ON COLUMN billing_context.invoices.service_period_start IS 'First day of the service billed.';
COMMENT ON COLUMN billing_context.invoices.service_period_end IS 'Last day of the service billed: the transaction date (required item 2) and the start of the 60-day payment limit for protected partners.';
COMMENT ON COLUMN billing_context.invoices.issue_date IS 'Date of issue.';
COMMENT ON COLUMN billing_context.invoices.due_date IS 'Payment due date; for protected partners at most service_period_end + 59 days.';
COMMENT ON COLUMN billing_context.invoices.status IS 'DRAFT, ISSUED, UNPAID, PARTIALLY_PAID, PAID, OVERDUE or CANCELLED.';
COMMENT ON COLUMN billing_context.invoices.subtotal_amount IS 'Total before tax, in yen (sum of the items; required item 4 per rate is in invoice_tax_summaries).';
COMMENT ON COLUMN billing_context.invoices.tax_amount IS 'Consumption tax, in yen: the sum of invoice_tax_summaries.tax_amount (tax is rounded once per rate, never per line).';
COMMENT ON COLUMN billing_context.invoices.total_amount IS 'Amount billed including tax, in yen; always subtotal_amount + tax_amount.';
COMMENT ON COLUMN billing_context.invoices.paid_amount IS 'Amount received or paid so far, in yen (sum of invoice_payments).';
COMMENT ON COLUMN billing_context.invoices.tax_rounding_mode IS 'How tax per rate is rounded: FLOOR (default), HALF_UP or CEILING (the issuer''s choice).';
COMMENT ON COLUMN billing_context.invoices.is_protected_subcontract IS 'PAYABLE from a partner protected by 取適法 or the フリーランス法 (copied from the contract).';
COMMENT ON COLUMN billing_context.invoices.transfer_fee_bearer IS 'PAYER or PAYEE of the transfer fee; PAYEE is forbidden for protected partners.';
COMMENT ON COLUMN billing_context.invoices.billing_details IS 'Further printed details as a JSON object (our bank account, contact, remarks); GIN-indexed.';
COMMENT ON COLUMN billing_context.invoices.sales_manager_id IS 'Sales user in charge; owner column.';
COMMENT ON COLUMN billing_context.invoices.sent_at IS 'When the invoice was delivered to the customer.';
COMMENT ON COLUMN billing_context.invoices.paid_at IS 'When it was fully paid; set exactly for PAID.';
COMMENT ON COLUMN billing_context.invoices.cancelled_at IS 'When it was cancelled; set exactly for CANCELLED.';
COMMENT ON COLUMN billing_context.invoices.note IS 'Free internal note.';

CREATE TABLE billing_context.invoices_default PARTITION OF billing_context.invoices DEFAULT;

CREATE UNIQUE INDEX invoices_direction_number_key
ON billing_context.invoices (direction, invoice_number, invoice_year) WHERE deleted_at IS NULL;
CREATE INDEX idx_invoices_status_due_date ON billing_context.invoices (status, due_date) WHERE deleted_at IS NULL;
CREATE INDEX idx_invoices_billing_details_gin ON billing_context.invoices USING gin (billing_details);
CREATE INDEX invoices_year_month_idx ON billing_context.invoices (invoice_year, invoice_month) WHERE deleted_at IS NULL;

CREATE TABLE billing_context.invoice_billing_items (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    invoice_id uuid NOT NULL,
    invoice_year smallint NOT NULL,
    line_no smallint NOT NULL CHECK (line_no > 0),
    item_type text NOT NULL CHECK (
        item_type IN ('BASE_FEE', 'OVERTIME', 'DEDUCTION', 'PRORATION', 'ADJUSTMENT', 'EXPENSE', 'DISCOUNT')
    ),
    description text NOT NULL CHECK (btrim(description) <> ''),
    contract_id uuid,
    timesheet_id uuid,
    engineer_id uuid,
    quantity numeric(10, 2) NOT NULL DEFAULT 1,
    unit text NOT NULL DEFAULT 'MONTH' CHECK (unit IN ('MONTH', 'HOUR', 'DAY', 'ITEM')),
    unit_price numeric(12, 2) NOT NULL,
    amount numeric(14, 2) NOT NULL,
    tax_rate numeric(4, 3) NOT NULL DEFAULT 0.100 CHECK (tax_rate IN (0.000, 0.080, 0.100)),
    settlement_details jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settlement_details) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    FOREIGN KEY (invoice_id, invoice_year)
    REFERENCES billing_context.invoices (id, invoice_year) ON DELETE CASCADE
);

COMMENT ON TABLE billing_context.invoice_billing_items IS 'Invoice lines (請求明細): base fee, overtime (超過), deduction (控除), proration, adjustments and expenses. A line carries its tax rate but never a tax amount: tax is computed once per rate in invoice_tax_summaries.';
COMMENT ON COLUMN billing_context.invoice_billing_items.invoice_id IS 'Invoice (with invoice_year a foreign key to invoices).';
COMMENT ON COLUMN billing_context.invoice_billing_items.invoice_year IS 'Year of the invoice (part of its key).';
COMMENT ON COLUMN billing_context.invoice_billing_items.line_no IS 'Line number on the invoice (1, 2, ...), unique among live lines.';
COMMENT ON COLUMN billing_context.invoice_billing_items.item_type IS 'BASE_FEE, OVERTIME, DEDUCTION, PRORATION, ADJUSTMENT, EXPENSE or DISCOUNT.';
COMMENT ON COLUMN billing_context.invoice_billing_items.description IS 'What is billed (required item 3), e.g. 2026年10月分 システム開発支援 山田太郎.';
COMMENT ON COLUMN billing_context.invoice_billing_items.contract_id IS 'Contract the line settles (contract_context.contracts; checked).';
COMMENT ON COLUMN billing_context.invoice_billing_items.timesheet_id IS 'Timesheet the hours come from (timesheet_context.timesheets; checked).';
COMMENT ON COLUMN billing_context.invoice_billing_items.engineer_id IS 'Engineer whose work is billed (engineer_context.engineers; checked).';
COMMENT ON COLUMN billing_context.invoice_billing_items.quantity IS 'Quantity: effort in 人月 for BASE_FEE, hours for OVERTIME/DEDUCTION, count otherwise.';
COMMENT ON COLUMN billing_context.invoice_billing_items.unit IS 'MONTH, HOUR, DAY or ITEM.';
COMMENT ON COLUMN billing_context.invoice_billing_items.unit_price IS 'Price per unit in yen (monthly price, overtime or deduction hourly rate).';
COMMENT ON COLUMN billing_context.invoice_billing_items.amount IS 'Line amount in yen before tax, rounded once by the contract''s rounding mode; negative for DEDUCTION and DISCOUNT.';
COMMENT ON COLUMN billing_context.invoice_billing_items.tax_rate IS 'Consumption tax rate of the line: 0.100 (SES services), 0.080 (reduced) or 0.000.';
COMMENT ON COLUMN billing_context.invoice_billing_items.settlement_details IS 'How the amount was settled, as a JSON object: method, actual hours, bounds, rates applied.';

CREATE UNIQUE INDEX invoice_billing_items_line_key
ON billing_context.invoice_billing_items (invoice_id, line_no) WHERE deleted_at IS NULL;

CREATE TABLE billing_context.invoice_tax_summaries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    invoice_id uuid NOT NULL,
    invoice_year smallint NOT NULL,
    tax_rate numeric(4, 3) NOT NULL CHECK (tax_rate IN (0.000, 0.080, 0.100)),
    taxable_amount numeric(14, 2) NOT NULL,
    tax_amount numeric(14, 2) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    FOREIGN KEY (invoice_id, invoice_year)
    REFERENCES billing_context.invoices (id, invoice_year) ON DELETE CASCADE,
    CONSTRAINT invoice_tax_summaries_tax_is_whole_yen CHECK (tax_amount = trunc(tax_amount))
);

COMMENT ON TABLE billing_context.invoice_tax_summaries IS 'Tax per rate of an invoice (required items 4 and 5): the lines of one rate summed, and the tax on that sum rounded once (three 105-yen lines at 10% with FLOOR give 31, not 30).';
COMMENT ON COLUMN billing_context.invoice_tax_summaries.invoice_id IS 'Invoice (with invoice_year a foreign key to invoices).';
COMMENT ON COLUMN billing_context.invoice_tax_summaries.invoice_year IS 'Year of the invoice (part of its key).';
COMMENT ON COLUMN billing_context.invoice_tax_summaries.tax_rate IS 'The rate, 0.100, 0.080 or 0.000; one live row per invoice and rate.';
COMMENT ON COLUMN billing_context.invoice_tax_summaries.taxable_amount IS 'Sum of the invoice''s line amounts at this rate, in yen.';
COMMENT ON COLUMN billing_context.invoice_tax_summaries.tax_amount IS 'Tax on taxable_amount, rounded once to whole yen by the invoice''s tax_rounding_mode.';

CREATE UNIQUE INDEX invoice_tax_summaries_rate_key
ON billing_context.invoice_tax_summaries (invoice_id, tax_rate) WHERE deleted_at IS NULL;

CREATE TABLE billing_context.invoice_payments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    invoice_id uuid NOT NULL,
    invoice_year smallint NOT NULL,
    customer_id uuid NOT NULL,
    payment_date date NOT NULL,
    amount numeric(14, 2) NOT NULL CHECK (amount > 0),
    fee_amount numeric(10, 2) NOT NULL DEFAULT 0 CHECK (fee_amount >= 0),
    fee_treatment text CHECK (fee_treatment IN ('EXPENSE', 'SALES_RETURN')),
    payment_method text NOT NULL DEFAULT 'BANK_TRANSFER' CHECK (payment_method IN ('BANK_TRANSFER', 'OFFSET', 'OTHER')),
    payer_name text,
    bank_reference text,
    status text NOT NULL DEFAULT 'RECEIVED' CHECK (status IN ('RECEIVED', 'RECONCILED', 'REVERSED')),
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    FOREIGN KEY (invoice_id, invoice_year)
    REFERENCES billing_context.invoices (id, invoice_year) ON DELETE CASCADE,
    CONSTRAINT invoice_payments_fee_has_treatment CHECK ((fee_amount > 0) = (fee_treatment IS NOT NULL))
);

COMMENT ON TABLE billing_context.invoice_payments IS 'Payments (入金記録) of an invoice: money received from a customer for a RECEIVABLE, or paid to a partner for a PAYABLE.';
COMMENT ON COLUMN billing_context.invoice_payments.invoice_id IS 'Invoice paid (with invoice_year a foreign key to invoices).';
COMMENT ON COLUMN billing_context.invoice_payments.invoice_year IS 'Year of the invoice (part of its key).';
COMMENT ON COLUMN billing_context.invoice_payments.customer_id IS 'Customer of the invoice (copied); owner column for the customer role.';
COMMENT ON COLUMN billing_context.invoice_payments.payment_date IS 'Date the money arrived or left.';
COMMENT ON COLUMN billing_context.invoice_payments.amount IS 'Amount that moved through the bank, in yen.';
COMMENT ON COLUMN billing_context.invoice_payments.fee_amount IS 'Transfer fee the customer deducted (tax included), in yen; 0 when none.';
COMMENT ON COLUMN billing_context.invoice_payments.fee_treatment IS 'How a deducted fee is booked: EXPENSE (支払手数料) or SALES_RETURN (売上値引); set exactly when fee_amount > 0.';
COMMENT ON COLUMN billing_context.invoice_payments.payment_method IS 'BANK_TRANSFER, OFFSET (相殺) or OTHER.';
COMMENT ON COLUMN billing_context.invoice_payments.payer_name IS 'Payer name as shown on the bank statement (振込依頼人名).';
COMMENT ON COLUMN billing_context.invoice_payments.bank_reference IS 'Bank statement reference of the transfer.';
COMMENT ON COLUMN billing_context.invoice_payments.status IS 'RECEIVED, RECONCILED (matched to the invoice and journalised) or REVERSED.';
COMMENT ON COLUMN billing_context.invoice_payments.note IS 'Free note.';

CREATE TABLE billing_context.accounting_entries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entry_number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    entry_date date NOT NULL,
    fiscal_year smallint NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2199),
    event_type text NOT NULL CHECK (
        event_type IN (
            'INVOICE_ISSUED', 'PAYMENT_RECEIVED', 'PAYABLE_RECORDED', 'PAYMENT_MADE', 'REVERSAL', 'MANUAL'
        )
    ),
    invoice_id uuid,
    invoice_year smallint,
    invoice_payment_id uuid REFERENCES billing_context.invoice_payments (id) ON DELETE RESTRICT,
    contract_id uuid,
    reversal_of_id uuid REFERENCES billing_context.accounting_entries (id) ON DELETE RESTRICT,
    description text NOT NULL,
    status text NOT NULL DEFAULT 'POSTED' CHECK (status IN ('DRAFT', 'POSTED', 'REVERSED')),
    posted_at timestamptz,
    posted_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    FOREIGN KEY (invoice_id, invoice_year)
    REFERENCES billing_context.invoices (id, invoice_year) ON DELETE RESTRICT,
    CONSTRAINT accounting_entries_reversal_has_original CHECK ((event_type = 'REVERSAL') = (reversal_of_id IS NOT NULL)),
    CONSTRAINT accounting_entries_posted_has_time CHECK (status = 'DRAFT' OR posted_at IS NOT NULL)
);

COMMENT ON TABLE billing_context.accounting_entries IS 'Journal entries (会計仕訳, 税抜経理): one per business event (invoice issued, payment received, payable recorded, payment made), lines in accounting_entry_lines. Posted entries are not edited: a correction is a REVERSAL entry plus a new one.';
COMMENT ON COLUMN billing_context.accounting_entries.entry_number IS 'Journal number in order of creation (an identity: rolled-back entries leave gaps).';
COMMENT ON COLUMN billing_context.accounting_entries.entry_date IS 'Accounting date of the entry.';
COMMENT ON COLUMN billing_context.accounting_entries.fiscal_year IS 'Fiscal year the entry belongs to.';
COMMENT ON COLUMN billing_context.accounting_entries.event_type IS 'INVOICE_ISSUED, PAYMENT_RECEIVED, PAYABLE_RECORDED, PAYMENT_MADE, REVERSAL or MANUAL.';
COMMENT ON COLUMN billing_context.accounting_entries.invoice_id IS 'Invoice the entry posts (with invoice_year a foreign key to invoices).';
COMMENT ON COLUMN billing_context.accounting_entries.invoice_year IS 'Year of that invoice (part of its key).';
COMMENT ON COLUMN billing_context.accounting_entries.invoice_payment_id IS 'Payment the entry posts.';
COMMENT ON COLUMN billing_context.accounting_entries.contract_id IS 'Contract concerned (contract_context.contracts; checked).';
COMMENT ON COLUMN billing_context.accounting_entries.reversal_of_id IS 'For a REVERSAL: the entry it cancels.';
COMMENT ON COLUMN billing_context.accounting_entries.description IS 'Summary (摘要).';
COMMENT ON COLUMN billing_context.accounting_entries.status IS 'DRAFT, POSTED or REVERSED (a REVERSAL entry cancels it).';
COMMENT ON COLUMN billing_context.accounting_entries.posted_at IS 'When the entry was posted.';
COMMENT ON COLUMN billing_context.accounting_entries.posted_by IS 'User or job that posted it.';

CREATE TABLE billing_context.accounting_entry_lines (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    accounting_entry_id uuid NOT NULL REFERENCES billing_context.accounting_entries (id) ON DELETE CASCADE,
    line_no smallint NOT NULL CHECK (line_no > 0),
    side text NOT NULL CHECK (side IN ('DEBIT', 'CREDIT')),
    account_code text NOT NULL CHECK (btrim(account_code) <> ''),
    account_name text NOT NULL,
    amount numeric(14, 2) NOT NULL CHECK (amount > 0),
    tax_rate numeric(4, 3) CHECK (tax_rate IN (0.000, 0.080, 0.100)),
    description text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

COMMENT ON TABLE billing_context.accounting_entry_lines IS 'Debit and credit lines of a journal entry, e.g. 売掛金 / 売上高 + 仮受消費税. The debits and credits of an entry balance.';
COMMENT ON COLUMN billing_context.accounting_entry_lines.accounting_entry_id IS 'Entry the line belongs to.';
COMMENT ON COLUMN billing_context.accounting_entry_lines.line_no IS 'Line number within the entry, unique among live lines.';
COMMENT ON COLUMN billing_context.accounting_entry_lines.side IS 'DEBIT (借方) or CREDIT (貸方).';
COMMENT ON COLUMN billing_context.accounting_entry_lines.account_code IS 'Account code of the chart of accounts.';
COMMENT ON COLUMN billing_context.accounting_entry_lines.account_name IS 'Account name, e.g. 売掛金, 売上高, 仮受消費税, 外注費, 支払手数料.';
COMMENT ON COLUMN billing_context.accounting_entry_lines.amount IS 'Amount in yen, positive; the side says which way.';
COMMENT ON COLUMN billing_context.accounting_entry_lines.tax_rate IS 'Tax rate of the line for tax-related accounts; NULL otherwise.';
COMMENT ON COLUMN billing_context.accounting_entry_lines.description IS 'Line note.';

CREATE UNIQUE INDEX accounting_entry_lines_line_key
ON billing_context.accounting_entry_lines (accounting_entry_id, line_no) WHERE deleted_at IS NULL;

INSERT INTO ses_common.cross_context_references
    (source_schema, source_table, source_column, target_schema, target_table, target_label)
VALUES
    ('billing_context', 'payee_accounts', 'engineer_id', 'engineer_context', 'engineers', 'engineer'),
    ('billing_context', 'invoices', 'contract_id', 'contract_context', 'contracts', 'contract'),
    ('billing_context', 'invoices', 'project_id', 'project_context', 'projects', 'project'),
    ('billing_context', 'invoice_billing_items', 'contract_id', 'contract_context', 'contracts', 'contract'),
    ('billing_context', 'invoice_billing_items', 'timesheet_id', 'timesheet_context', 'timesheets', 'timesheet'),
    ('billing_context', 'invoice_billing_items', 'engineer_id', 'engineer_context', 'engineers', 'engineer'),
    ('billing_context', 'accounting_entries', 'contract_id', 'contract_context', 'contracts', 'contract');

INSERT INTO ses_common.partitioned_tables (table_schema, table_name, key_kind, periods_ahead)
VALUES ('billing_context', 'invoices', 'YEAR', 1);

DO $common$
DECLARE
    v_table regclass;
BEGIN
    FOREACH v_table IN ARRAY ARRAY[
        'billing_context.payee_accounts', 'billing_context.invoices',
        'billing_context.invoice_billing_items', 'billing_context.invoice_tax_summaries',
        'billing_context.invoice_payments', 'billing_context.accounting_entries',
        'billing_context.accounting_entry_lines'
    ]::regclass[]
    LOOP
        PERFORM ses_common.comment_common_columns(v_table);
        PERFORM ses_common.add_common_indexes(v_table);
    END LOOP;
END
$common$;
