-- Why: fills engineer_context from the plan: the engineers (availability from
-- their current contract), their skill assessments, certifications and
-- availability periods. Personal data is encrypted in SQL with the key set
-- the seed loaded into its transaction (ses_common.encrypt_personal_data).
-- Run by `bbase ses seed` (bbase_workshop.seed): each statement follows its
-- `-- name:` line and is executed on its own, in file order, with the seed's
-- parameters bound as named placeholders; a literal percent sign would be
-- written twice, so the statements use mod() instead.

-- name: engineer_context.engineers
INSERT INTO engineer_context.engineers (
    id, engineer_code, last_name_encrypted, first_name_encrypted, last_name_kana_encrypted,
    first_name_kana_encrypted, email_encrypted, phone_encrypted,
    employment_type, partner_company_id, partner_company_name, chain_depth, availability_status,
    available_from, skills, years_of_experience, desired_unit_price, minimum_unit_price,
    nearest_station, prefecture, remote_preference, invoice_registration_no, sales_manager_id,
    created_at
)
SELECT
    se.id,
    'EN' || lpad(se.e::text, 6, '0'),
    ses_common.encrypt_personal_data('engineer_name', (%(surnames)s::text[])[se.sn]),
    ses_common.encrypt_personal_data('engineer_name', (%(given)s::text[])[se.gn]),
    ses_common.encrypt_personal_data('engineer_name', (%(surnames_kana)s::text[])[se.sn]),
    ses_common.encrypt_personal_data('engineer_name', (%(given_kana)s::text[])[se.gn]),
    ses_common.encrypt_personal_data('engineer_contact', 'engineer' || se.e || '@example.jp'),
    ses_common.encrypt_personal_data('engineer_contact', '090-' || lpad(mod(se.e * 7, 10000)::text, 4, '0')
        || '-' || lpad(mod(se.e * 13, 10000)::text, 4, '0')),
    se.employment_type,
    CASE WHEN se.employment_type = 'PARTNER' THEN md5('ses-seed:partner:' || se.partner_no)::uuid END,
    CASE WHEN se.employment_type = 'PARTNER' THEN
        '株式会社' || (%(heads)s::text[])[1 + mod(se.partner_no * 3, cardinality(%(heads)s::text[]))]
        || (%(partner_tails)s::text[])[1 + mod(se.partner_no, cardinality(%(partner_tails)s::text[]))]
    END,
    CASE se.employment_type WHEN 'EMPLOYEE' THEN 0 WHEN 'FREELANCE' THEN 1 ELSE 1 + mod(se.e, 2) END,
    CASE
        WHEN cur.end_date IS NOT NULL AND cur.end_date < c.today + 31 THEN 'AVAILABLE_SOON'
        WHEN cur.end_date IS NOT NULL THEN 'ASSIGNED'
        WHEN mod(se.e, 50) = 3 THEN 'ON_LEAVE'
        WHEN mod(se.e, 50) = 5 THEN 'UNAVAILABLE'
        WHEN mod(se.e, 97) = 11 THEN 'RETIRED'
        ELSE 'AVAILABLE'
    END,
    coalesce(cur.end_date + 1, c.today + mod(se.e, 30)),
    sk.skills,
    se.years,
    (least(1300000, 450000 + se.years * 20000) / 10000)::integer * 10000,
    (least(1300000, 450000 + se.years * 20000) * 0.9 / 10000)::integer * 10000,
    (%(stations)s::text[])[se.loc],
    (%(prefectures)s::text[])[se.loc],
    (ARRAY['ANY', 'REMOTE', 'HYBRID', 'ONSITE'])[1 + mod(se.e, 4)],
    CASE WHEN se.employment_type = 'FREELANCE' AND mod(se.e, 20) <> 9
        THEN 'T' || lpad(mod(abs(hashtext('reg' || se.e))::bigint * 9973, 10000000000000)::text, 13, '0')
    END,
    md5('ses-seed:staff:' || se.sales_no)::uuid,
    c.window_start - 30 + mod(se.e, 365)
FROM seed_engineers AS se
CROSS JOIN seed_const AS c
INNER JOIN (
    SELECT s.e, jsonb_agg(jsonb_build_object('name', s.name, 'years', s.years, 'level', s.level) ORDER BY s.name) AS skills
    FROM seed_engineer_skills AS s
    GROUP BY s.e
) AS sk ON se.e = sk.e
LEFT JOIN (
    SELECT sc.e, max(sc.end_date) AS end_date
    FROM seed_contracts AS sc
    WHERE sc.status = 'ACTIVE'
    GROUP BY sc.e
) AS cur ON se.e = cur.e;

-- name: engineer_context.skill_assessments
INSERT INTO engineer_context.skill_assessments (
    engineer_id, skill_category, skill_name, skill_level, years_of_experience, last_used_on,
    assessment_source, assessed_on
)
SELECT
    s.engineer_id, s.category, s.name, s.level, s.years,
    c.today - mod(s.e * 37, 700),
    (ARRAY['SELF', 'INTERVIEW', 'PROJECT_REVIEW'])[1 + mod(s.e + length(s.name), 3)],
    c.today - mod(s.e * 11, 400)
FROM seed_engineer_skills AS s
CROSS JOIN seed_const AS c;

-- name: engineer_context.certifications
INSERT INTO engineer_context.certifications (
    engineer_id, certification_name, issuing_organization, certification_code, credential_id,
    acquired_on, expires_on, verified_at
)
SELECT
    se.id,
    (%(cert_names)s::text[])[1 + mod(se.e, cardinality(%(cert_names)s::text[]))],
    (%(cert_issuers)s::text[])[1 + mod(se.e, cardinality(%(cert_issuers)s::text[]))],
    (%(cert_codes)s::text[])[1 + mod(se.e, cardinality(%(cert_codes)s::text[]))],
    'CR' || lpad(se.e::text, 8, '0'),
    c.today - 200 - mod(se.e * 17, 3000),
    CASE WHEN mod(se.e, 8) IN (4, 5, 7) THEN c.today + 500 - mod(se.e * 17, 300) END,
    CASE WHEN mod(se.e, 3) = 0 THEN (c.today - mod(se.e, 100))::timestamptz END
FROM seed_engineers AS se
CROSS JOIN seed_const AS c
WHERE mod(se.e, 5) IN (0, 2);

-- name: engineer_context.availability_periods
INSERT INTO engineer_context.availability_periods (engineer_id, available_from, available_to, availability_rate, status)
SELECT e.id, e.available_from, NULL, CASE WHEN mod(se.e, 10) = 1 THEN 0.60 ELSE 1.00 END,
    CASE WHEN mod(se.e, 4) = 0 THEN 'TENTATIVE' ELSE 'CONFIRMED' END
FROM engineer_context.engineers AS e
INNER JOIN seed_engineers AS se ON e.id = se.id
WHERE e.availability_status NOT IN ('RETIRED', 'UNAVAILABLE');
