-- Why: fills billing_context from the plan: payee accounts with real Zengin
-- bank and branch codes (put into the Zengin master first by the seed, which
-- checks them), our transfer originator, a RECEIVABLE invoice per closed timesheet priced by
-- the contract's settlement range and a PAYABLE one per partner-side month
-- (planned first in seed_invoices), their lines, one tax summary each (tax
-- once per rate), payments, and balanced journal entries.
-- Run by `bbase ses seed` (bbase_workshop.seed): each statement follows its
-- `-- name:` line and is executed on its own, in file order, with the seed's
-- parameters bound as named placeholders; a literal percent sign would be
-- written twice, so the statements use mod() instead.

-- name: billing_context.payee_accounts
INSERT INTO billing_context.payee_accounts (
    id, owner_type, partner_company_id, engineer_id, bank_code, branch_code, bank_name, branch_name,
    account_type, account_number_encrypted, account_holder_kana_encrypted, account_holder_name_encrypted,
    status, verified_at
)
SELECT
    md5('ses-seed:payee:partner:' || pn)::uuid, 'PARTNER_COMPANY', md5('ses-seed:partner:' || pn)::uuid, NULL,
    (%(bank_codes)s::text[])[b], (%(branch_codes)s::text[])[b],
    (%(bank_names)s::text[])[b], (%(branch_names)s::text[])[b],
    CASE WHEN mod(pn, 7) = 0 THEN 2 ELSE 1 END,
    ses_common.encrypt_personal_data('payee_account', lpad(mod(pn * 7919 + 1234567, 10000000)::text, 7, '0')),
    ses_common.encrypt_personal_data('payee_account', left('ｶ)'
        || (%(heads_kana)s::text[])[1 + mod(pn * 3, cardinality(%(heads_kana)s::text[]))]
        || (%(partner_tails_kana)s::text[])[1 + mod(pn, cardinality(%(partner_tails_kana)s::text[]))], 30)),
    ses_common.encrypt_personal_data('payee_account', '株式会社'
        || (%(heads)s::text[])[1 + mod(pn * 3, cardinality(%(heads)s::text[]))]
        || (%(partner_tails)s::text[])[1 + mod(pn, cardinality(%(partner_tails)s::text[]))]),
    'ACTIVE', now() - INTERVAL '200 days'
FROM generate_series(1, %(n_partners)s) AS pn
CROSS JOIN LATERAL (SELECT 1 + mod(pn * 5, cardinality(%(bank_codes)s::text[])) AS b) AS bb
UNION ALL
SELECT
    md5('ses-seed:payee:engineer:' || se.e)::uuid, 'ENGINEER', NULL, se.id,
    (%(bank_codes)s::text[])[b], (%(branch_codes)s::text[])[b],
    (%(bank_names)s::text[])[b], (%(branch_names)s::text[])[b],
    1, ses_common.encrypt_personal_data('payee_account', lpad(mod(se.e * 104729 + 7654321, 10000000)::text, 7, '0')),
    ses_common.encrypt_personal_data('payee_account',
        left((%(surnames_zkana)s::text[])[se.sn] || ' ' || (%(given_zkana)s::text[])[se.gn], 30)),
    ses_common.encrypt_personal_data('payee_account', (%(surnames)s::text[])[se.sn] || ' ' || (%(given)s::text[])[se.gn]),
    'ACTIVE', now() - INTERVAL '100 days'
FROM seed_engineers AS se
CROSS JOIN LATERAL (SELECT 1 + mod(se.e * 3, cardinality(%(bank_codes)s::text[])) AS b) AS bb
WHERE se.employment_type = 'FREELANCE';

-- name: billing_context.transfer_originators
INSERT INTO billing_context.transfer_originators (
    id, originator_code, originator_name_kana, bank_code, branch_code, account_type, account_number, is_default
)
VALUES (md5('ses-seed:originator')::uuid, '1234567890', 'ｶ)ﾋﾞ-ﾍﾞ-ｽ', '0001', '001', 1, '7654321', TRUE);

-- name: plan: invoices
CREATE TEMP TABLE seed_invoices ON COMMIT DROP AS
SELECT
    md5('ses-seed:invoice:' || ss.timesheet_id)::uuid AS id,
    'RECEIVABLE' AS direction,
    ss.y, ss.mo, ss.timesheet_id, ss.contract_id, ss.engineer_id, ss.project_no, ss.customer_no,
    'INV-' || ss.y || lpad(ss.mo::text, 2, '0') || '-' || lpad(ss.k::text, 6, '0') AS invoice_number,
    ss.unit_price AS base_amount,
    ss.adjustment,
    ss.hours,
    CASE WHEN ss.adjustment > 0 THEN ss.overtime_rate ELSE ss.deduction_rate END AS rate,
    ss.unit_price + ss.adjustment AS subtotal,
    floor((ss.unit_price + ss.adjustment) * 0.10) AS tax,
    ss.month_start, ss.month_end, ss.issue_date, ss.customer_due_date AS due_date,
    NULL::uuid AS payee_account_id,
    NULL::text AS issuer_name,
    NULL::text AS issuer_registration_no,
    FALSE AS is_protected
FROM seed_settlements AS ss
UNION ALL
SELECT
    md5('ses-seed:payable:' || ss.timesheet_id)::uuid,
    'PAYABLE',
    ss.y, ss.mo, ss.timesheet_id, ss.partner_contract_id, ss.engineer_id, ss.project_no, ss.customer_no,
    'BP-' || ss.y || lpad(ss.mo::text, 2, '0') || '-' || lpad(ss.k::text, 6, '0'),
    ss.partner_price,
    ss.partner_adjustment,
    ss.hours,
    CASE WHEN ss.partner_adjustment > 0 THEN floor(ss.partner_price / ss.upper_hours / 10) * 10
        ELSE floor(ss.partner_price / ss.lower_hours / 10) * 10 END,
    ss.partner_price + ss.partner_adjustment,
    floor((ss.partner_price + ss.partner_adjustment) * 0.10),
    ss.month_start, ss.month_end, ss.issue_date, ss.partner_due_date,
    CASE WHEN ss.employment_type = 'PARTNER' THEN md5('ses-seed:payee:partner:' || ss.partner_no)::uuid
        ELSE md5('ses-seed:payee:engineer:' || e.e)::uuid END,
    pc.counterparty_name,
    CASE WHEN ss.employment_type = 'PARTNER' AND mod(ss.partner_no, 9) <> 4
        THEN 'T' || lpad(mod(abs(hashtext('partner-reg' || ss.partner_no))::bigint * 7717, 10000000000000)::text, 13, '0')
        ELSE en.invoice_registration_no END,
    pc.is_protected_subcontract
FROM seed_settlements AS ss
INNER JOIN seed_engineers AS e ON ss.engineer_id = e.id
INNER JOIN contract_context.contracts AS pc ON ss.partner_contract_id = pc.id
INNER JOIN engineer_context.engineers AS en ON ss.engineer_id = en.id
WHERE ss.employment_type IN ('PARTNER', 'FREELANCE');

-- name: plan: invoice status
CREATE TEMP TABLE seed_invoice_status ON COMMIT DROP AS
SELECT
    i.*,
    CASE
        WHEN i.due_date >= c.today THEN 'UNPAID'
        WHEN mod(abs(hashtext(i.invoice_number)), 100) = 0 THEN 'OVERDUE'
        WHEN mod(abs(hashtext(i.invoice_number)), 100) = 1 AND i.due_date >= c.today - 90 THEN 'PARTIALLY_PAID'
        ELSE 'PAID'
    END AS status,
    CASE WHEN i.direction = 'RECEIVABLE' AND mod(abs(hashtext(i.invoice_number)), 10) = 3 THEN 660 ELSE 0 END AS fee
FROM seed_invoices AS i
CROSS JOIN seed_const AS c;

-- name: billing_context.invoices
INSERT INTO billing_context.invoices (
    id, invoice_year, invoice_month, invoice_number, direction, customer_id, contract_id, project_id,
    payee_account_id, issuer_name, issuer_registration_no, recipient_name, service_period_start,
    service_period_end, issue_date, due_date, status, subtotal_amount, tax_amount, total_amount, paid_amount,
    is_protected_subcontract, billing_details, sales_manager_id, sent_at, paid_at, created_at
)
SELECT
    i.id, i.y, i.mo, i.invoice_number, i.direction, p.customer_id, i.contract_id, p.id,
    i.payee_account_id,
    CASE i.direction WHEN 'RECEIVABLE' THEN %(our_company)s ELSE i.issuer_name END,
    CASE i.direction WHEN 'RECEIVABLE' THEN %(our_registration_no)s ELSE i.issuer_registration_no END,
    CASE i.direction WHEN 'RECEIVABLE' THEN p.customer_name ELSE %(our_company)s END,
    i.month_start, i.month_end, i.issue_date, i.due_date, i.status,
    i.subtotal, i.tax, i.subtotal + i.tax,
    CASE i.status WHEN 'PAID' THEN i.subtotal + i.tax WHEN 'PARTIALLY_PAID' THEN floor((i.subtotal + i.tax) / 2) ELSE 0 END,
    i.is_protected,
    jsonb_build_object('timesheet_id', i.timesheet_id, 'hours', i.hours, 'base_amount', i.base_amount,
        'adjustment', i.adjustment, 'payment_terms', '月末締め翌月末払い'),
    p.sales_manager_id,
    (i.issue_date + 1)::timestamptz,
    CASE WHEN i.status = 'PAID' THEN (i.due_date - mod(abs(hashtext(i.invoice_number)), 3))::timestamptz END,
    i.issue_date::timestamptz
FROM seed_invoice_status AS i
INNER JOIN seed_projects AS sp ON i.project_no = sp.project_no
INNER JOIN project_context.projects AS p ON sp.id = p.id;

-- name: billing_context.invoice_billing_items
INSERT INTO billing_context.invoice_billing_items (
    invoice_id, invoice_year, line_no, item_type, description, contract_id, timesheet_id, engineer_id,
    quantity, unit, unit_price, amount, tax_rate, settlement_details
)
SELECT i.id, i.y, 1, 'BASE_FEE', to_char(i.month_start, 'YYYY年MM月') || ' 作業費（1.0人月）',
    i.contract_id, i.timesheet_id, i.engineer_id, 1, 'MONTH', i.base_amount, i.base_amount, 0.100,
    jsonb_build_object('hours', i.hours)
FROM seed_invoices AS i
UNION ALL
SELECT i.id, i.y, 2, CASE WHEN i.adjustment > 0 THEN 'OVERTIME' ELSE 'DEDUCTION' END,
    CASE WHEN i.adjustment > 0 THEN '超過精算' ELSE '控除精算' END,
    i.contract_id, i.timesheet_id, i.engineer_id,
    abs(i.adjustment) / nullif(i.rate, 0), 'HOUR', i.rate, i.adjustment, 0.100,
    jsonb_build_object('hours', i.hours, 'rate', i.rate)
FROM seed_invoices AS i
WHERE i.adjustment <> 0 AND i.rate > 0;

-- name: billing_context.invoice_tax_summaries
INSERT INTO billing_context.invoice_tax_summaries (invoice_id, invoice_year, tax_rate, taxable_amount, tax_amount)
SELECT i.id, i.y, 0.100, i.subtotal, i.tax
FROM seed_invoices AS i;

-- name: billing_context.invoice_payments
INSERT INTO billing_context.invoice_payments (
    id, invoice_id, invoice_year, customer_id, payment_date, amount, fee_amount, fee_treatment, payment_method,
    payer_name, bank_reference, status
)
SELECT
    md5('ses-seed:payment:' || i.id)::uuid, i.id, i.invoice_year, i.customer_id,
    coalesce(i.paid_at::date, i.due_date), i.paid_amount - s.fee, s.fee,
    CASE WHEN s.fee > 0 THEN 'EXPENSE' END, 'BANK_TRANSFER',
    CASE i.direction WHEN 'RECEIVABLE' THEN i.recipient_name ELSE %(our_company)s END,
    'REF' || lpad(mod(abs(hashtext(i.invoice_number)), 100000000)::text, 8, '0'),
    'RECONCILED'
FROM billing_context.invoices AS i
INNER JOIN seed_invoice_status AS s ON i.id = s.id
WHERE i.paid_amount > 0;

-- name: billing_context.accounting_entries
INSERT INTO billing_context.accounting_entries (
    id, entry_date, fiscal_year, event_type, invoice_id, invoice_year, invoice_payment_id, contract_id,
    description, status, posted_at
)
SELECT
    md5('ses-seed:entry:issue:' || i.id)::uuid, i.issue_date,
    extract(YEAR FROM i.issue_date - INTERVAL '3 months')::smallint,
    CASE i.direction WHEN 'RECEIVABLE' THEN 'INVOICE_ISSUED' ELSE 'PAYABLE_RECORDED' END,
    i.id, i.invoice_year, NULL, i.contract_id,
    i.invoice_number || ' ' || i.recipient_name, 'POSTED', i.issue_date::timestamptz
FROM billing_context.invoices AS i
UNION ALL
SELECT
    md5('ses-seed:entry:payment:' || pm.id)::uuid, pm.payment_date,
    extract(YEAR FROM pm.payment_date - INTERVAL '3 months')::smallint,
    CASE i.direction WHEN 'RECEIVABLE' THEN 'PAYMENT_RECEIVED' ELSE 'PAYMENT_MADE' END,
    i.id, i.invoice_year, pm.id, i.contract_id,
    i.invoice_number || ' 入出金', 'POSTED', pm.payment_date::timestamptz
FROM billing_context.invoice_payments AS pm
INNER JOIN billing_context.invoices AS i ON pm.invoice_id = i.id AND pm.invoice_year = i.invoice_year;

-- name: billing_context.accounting_entry_lines
INSERT INTO billing_context.accounting_entry_lines (
    accounting_entry_id, line_no, side, account_code, account_name, amount, tax_rate
)
SELECT e.id, l.n, l.side, l.code, l.name, l.amount, l.rate
FROM billing_context.accounting_entries AS e
INNER JOIN billing_context.invoices AS i ON e.invoice_id = i.id AND e.invoice_year = i.invoice_year
LEFT JOIN billing_context.invoice_payments AS pm ON e.invoice_payment_id = pm.id
CROSS JOIN LATERAL (VALUES
    -- invoice issued (税抜経理): 売掛金 / 売上高 + 仮受消費税
    (1::smallint, e.event_type = 'INVOICE_ISSUED', 'DEBIT', '1130', '売掛金', i.total_amount, NULL::numeric),
    (2::smallint, e.event_type = 'INVOICE_ISSUED', 'CREDIT', '4110', '売上高', i.subtotal_amount, 0.100),
    (3::smallint, e.event_type = 'INVOICE_ISSUED', 'CREDIT', '2191', '仮受消費税', i.tax_amount, 0.100),
    -- payable recorded: 外注費 + 仮払消費税 / 買掛金
    (1::smallint, e.event_type = 'PAYABLE_RECORDED', 'DEBIT', '5210', '外注費', i.subtotal_amount, 0.100),
    (2::smallint, e.event_type = 'PAYABLE_RECORDED', 'DEBIT', '1191', '仮払消費税', i.tax_amount, 0.100),
    (3::smallint, e.event_type = 'PAYABLE_RECORDED', 'CREDIT', '2120', '買掛金', i.total_amount, NULL),
    -- payment received (a deducted fee is 支払手数料 + 仮払消費税): 普通預金 [+ fee] / 売掛金
    (1::smallint, e.event_type = 'PAYMENT_RECEIVED', 'DEBIT', '1112', '普通預金', pm.amount, NULL),
    (2::smallint, e.event_type = 'PAYMENT_RECEIVED' AND pm.fee_amount > 0, 'DEBIT', '6420', '支払手数料',
        pm.fee_amount - floor(pm.fee_amount * 10 / 110), 0.100),
    (3::smallint, e.event_type = 'PAYMENT_RECEIVED' AND pm.fee_amount > 0, 'DEBIT', '1191', '仮払消費税',
        floor(pm.fee_amount * 10 / 110), 0.100),
    (4::smallint, e.event_type = 'PAYMENT_RECEIVED', 'CREDIT', '1130', '売掛金', pm.amount + pm.fee_amount, NULL),
    -- payment made: 買掛金 / 普通預金
    (1::smallint, e.event_type = 'PAYMENT_MADE', 'DEBIT', '2120', '買掛金', pm.amount, NULL),
    (2::smallint, e.event_type = 'PAYMENT_MADE', 'CREDIT', '1112', '普通預金', pm.amount, NULL)
) AS l (n, applies, side, code, name, amount, rate)
WHERE l.applies;
