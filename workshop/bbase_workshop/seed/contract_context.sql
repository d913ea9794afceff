-- Why: fills contract_context from the plan: the templates, one customer-side
-- contract per planned contract and the matching partner-side contract for
-- partner and freelance engineers, all as DRAFTs sent out for signature (a
-- REQUESTED signature row per side). No contract is inserted in force: the
-- cycles (cycles.sql) sign them through contract_context.sign_contract, which
-- makes them ACTIVE at the second signature, and apply amendments through
-- contract_context.apply_amendment.
-- Run by `bbase ses seed` (bbase_workshop.seed): each statement follows its
-- `-- name:` line and is executed on its own, in file order, with the seed's
-- parameters bound as named placeholders; a literal percent sign would be
-- written twice, so the statements use mod() instead.

-- name: contract_context.contract_templates
INSERT INTO contract_context.contract_templates (
    id, template_code, name, contract_type, contract_side, status, body, default_terms, effective_from
)
SELECT
    md5('ses-seed:template:' || t || ':' || s)::uuid,
    'TPL-' || left(t, 2) || '-' || left(s, 4),
    CASE t WHEN 'QUASI_MANDATE' THEN '準委任契約書' ELSE '労働者派遣個別契約書' END
        || CASE s WHEN 'CUSTOMER' THEN '（顧客）' ELSE '（協力会社）' END,
    t, s, 'ACTIVE',
    '第1条（目的）本契約は、甲が乙に委託する業務の内容及び条件を定める。',
    jsonb_build_object('settlement_method', 'UPPER_LOWER', 'lower_hours', 140, 'upper_hours', 180,
        'time_unit_minutes', 15),
    c.window_start - 365
FROM seed_const AS c
CROSS JOIN unnest(ARRAY['QUASI_MANDATE', 'DISPATCH']) AS t
CROSS JOIN unnest(ARRAY['CUSTOMER', 'PARTNER']) AS s;

-- name: contract_context.contracts (customer side)
INSERT INTO contract_context.contracts (
    id, contract_number, contract_type, contract_side, project_id, engineer_id, matching_result_id,
    template_id, customer_id, counterparty_id, counterparty_name, status, start_date, end_date,
    monthly_unit_price, settlement_method, lower_hours, upper_hours, midpoint_hours,
    deduction_hourly_rate, overtime_hourly_rate, time_unit_minutes, closing_day, payment_month_offset,
    payment_day, client_approval_gate, contract_terms, project_manager_id, sales_manager_id, created_at
)
SELECT
    sc.id,
    'C' || to_char(sc.start_date, 'YYYYMM') || '-' || lpad(sc.k::text, 6, '0'),
    sc.contract_type, 'CUSTOMER', sp.id, sc.engineer_id,
    -- the matching that led to it is generated for contracts starting in the window
    CASE WHEN sc.start_date >= c.window_start THEN md5('ses-seed:result:' || sc.k)::uuid END,
    md5('ses-seed:template:' || sc.contract_type || ':CUSTOMER')::uuid,
    p.customer_id, p.customer_id, p.customer_name,
    'DRAFT', sc.start_date, sc.end_date, sc.unit_price, sc.settlement_method,
    sc.lower_hours, sc.upper_hours, CASE WHEN sc.settlement_method = 'MIDPOINT' THEN 160 END,
    CASE WHEN sc.settlement_method <> 'FIXED' THEN sc.deduction_rate END,
    CASE WHEN sc.settlement_method <> 'FIXED' THEN sc.overtime_rate END,
    15, 31, 1, 31, sc.approval_gate,
    jsonb_build_object('work_place', p.work_location, 'remote', p.remote_policy,
        'settlement', jsonb_build_object('method', sc.settlement_method, 'lower', sc.lower_hours, 'upper', sc.upper_hours)),
    p.project_manager_id, p.sales_manager_id,
    (sc.start_date - 15)::timestamptz
FROM seed_contracts AS sc
CROSS JOIN seed_const AS c
INNER JOIN seed_projects AS sp ON sc.project_no = sp.project_no
INNER JOIN project_context.projects AS p ON sp.id = p.id;

-- name: contract_context.contracts (partner side)
INSERT INTO contract_context.contracts (
    id, contract_number, contract_type, contract_side, project_id, engineer_id, template_id,
    upstream_contract_id, customer_id, counterparty_id, counterparty_name, status, start_date, end_date,
    monthly_unit_price, settlement_method, lower_hours, upper_hours, midpoint_hours,
    deduction_hourly_rate, overtime_hourly_rate, time_unit_minutes, closing_day, payment_month_offset,
    payment_day, is_protected_subcontract, client_approval_gate, contract_terms, project_manager_id,
    sales_manager_id, created_at
)
SELECT
    sc.partner_contract_id,
    'P' || to_char(sc.start_date, 'YYYYMM') || '-' || lpad(sc.k::text, 6, '0'),
    sc.contract_type, 'PARTNER', c.project_id, sc.engineer_id,
    md5('ses-seed:template:' || sc.contract_type || ':PARTNER')::uuid,
    c.id, c.customer_id,
    CASE WHEN e.employment_type = 'PARTNER' THEN e.partner_company_id ELSE e.id END,
    CASE WHEN e.employment_type = 'PARTNER' THEN e.partner_company_name
        ELSE ses_common.decrypt_engineer_name(e.last_name_encrypted) || ' '
            || ses_common.decrypt_engineer_name(e.first_name_encrypted) END,
    'DRAFT', c.start_date, c.end_date, sc.partner_price,
    CASE WHEN sc.settlement_method = 'MIDPOINT' THEN 'UPPER_LOWER' ELSE sc.settlement_method END,
    sc.lower_hours, sc.upper_hours, NULL,
    CASE WHEN sc.settlement_method <> 'FIXED' THEN floor(sc.partner_price / sc.lower_hours / 10) * 10 END,
    CASE WHEN sc.settlement_method <> 'FIXED' THEN floor(sc.partner_price / sc.upper_hours / 10) * 10 END,
    15, 31, 1, 31,
    e.employment_type = 'FREELANCE' OR mod(sc.partner_no, 2) = 0,
    c.client_approval_gate,
    -- the partner's qualified-invoice registration number, when it has one
    jsonb_strip_nulls(jsonb_build_object('upstream_contract', c.contract_number,
        'invoice_registration_no', CASE WHEN e.employment_type = 'PARTNER' THEN
            CASE WHEN mod(sc.partner_no, 9) <> 4 THEN 'T' || lpad(mod(abs(hashtext('partner-reg' || sc.partner_no))::bigint
                * 7717, 10000000000000)::text, 13, '0') END
            ELSE e.invoice_registration_no END)),
    c.project_manager_id, c.sales_manager_id, c.created_at
FROM seed_contracts AS sc
INNER JOIN contract_context.contracts AS c ON sc.id = c.id
INNER JOIN engineer_context.engineers AS e ON sc.engineer_id = e.id
WHERE sc.employment_type IN ('PARTNER', 'FREELANCE');

-- name: contract_context.contract_signatures (requested)
INSERT INTO contract_context.contract_signatures (
    contract_id, signer_party, signer_name, signer_email_encrypted, signature_method, status, provider,
    provider_document_id, document_sha256, requested_at
)
SELECT
    c.id, party, CASE party WHEN 'COMPANY' THEN %(our_company)s ELSE c.counterparty_name END,
    ses_common.encrypt_personal_data('signer_contact', CASE party WHEN 'COMPANY' THEN 'contracts@example.jp'
        ELSE 'sign-' || left(c.counterparty_id::text, 8) || '@example.jp' END),
    'ELECTRONIC', 'REQUESTED', 'クラウドサイン', 'DOC-' || c.contract_number,
    encode(sha256(convert_to(c.contract_number, 'UTF8')), 'hex'),
    c.created_at
FROM contract_context.contracts AS c
CROSS JOIN unnest(ARRAY['COMPANY', 'COUNTERPARTY']) AS party;
