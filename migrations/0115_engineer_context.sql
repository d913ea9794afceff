-- depends: 0100_ses_common
-- Phase 1 (core): engineer_context, the engineers (技術者) we place.
--
-- Why these columns: matching needs availability, skills (jsonb for GIN search,
-- skill_assessments rows for scoring), years, desired rate, location and the
-- commercial-chain depth; contracts and payments need the employment type (own
-- staff, partner company's engineer, or individual freelancer). Deliberately
-- absent: age, sex, nationality, birthplace, family, health, beliefs. Matching
-- must never score them (派遣法 26条6項, 職安法 guideline), and what is not
-- stored cannot leak into a score.

CREATE SCHEMA engineer_context;
REVOKE ALL ON SCHEMA engineer_context FROM PUBLIC;

CREATE TABLE engineer_context.engineers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    engineer_code text NOT NULL CHECK (engineer_code ~ '^[A-Z0-9][A-Z0-9_-]{2,31}$'),
    last_name text NOT NULL CHECK (btrim(last_name) <> ''),
    first_name text NOT NULL CHECK (btrim(first_name) <> ''),
    last_name_kana text,
    first_name_kana text,
    email text CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    phone text,
    employment_type text NOT NULL CHECK (employment_type IN ('EMPLOYEE', 'PARTNER', 'FREELANCE')),
    partner_company_id uuid,
    partner_company_name text,
    chain_depth smallint NOT NULL DEFAULT 0 CHECK (chain_depth >= 0),
    availability_status text NOT NULL DEFAULT 'AVAILABLE' CHECK (
        availability_status IN ('AVAILABLE', 'AVAILABLE_SOON', 'ASSIGNED', 'ON_LEAVE', 'UNAVAILABLE', 'RETIRED')
    ),
    available_from date,
    skills jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(skills) = 'array'),
    years_of_experience numeric(4, 1) CHECK (years_of_experience >= 0),
    desired_unit_price numeric(12, 2) CHECK (desired_unit_price >= 0),
    minimum_unit_price numeric(12, 2) CHECK (minimum_unit_price >= 0),
    nearest_station text,
    prefecture text,
    remote_preference text NOT NULL DEFAULT 'ANY' CHECK (remote_preference IN ('ONSITE', 'HYBRID', 'REMOTE', 'ANY')),
    invoice_registration_no text CHECK (invoice_registration_no ~ '^T[0-9]{13}$'),
    sales_manager_id uuid,
    user_id uuid,
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT engineers_partner_has_company CHECK (
        (employment_type = 'PARTNER') = (partner_company_id IS NOT NULL)
    ),
    CONSTRAINT engineers_own_staff_chain_zero CHECK (employment_type <> 'EMPLOYEE' OR chain_depth = 0),
    CONSTRAINT engineers_minimum_below_desired CHECK (minimum_unit_price <= desired_unit_price)
);

COMMENT ON TABLE engineer_context.engineers IS
'Engineers (技術者) we can place: own staff, partner companies'' engineers (BP) and freelancers. Holds what matching and contracts need and nothing that may not be used for selection (no age, sex, nationality, birthplace).';
COMMENT ON COLUMN engineer_context.engineers.engineer_code IS 'Human engineer code, unique among live engineers.';
COMMENT ON COLUMN engineer_context.engineers.last_name IS 'Family name (姓).';
COMMENT ON COLUMN engineer_context.engineers.first_name IS 'Given name (名).';
COMMENT ON COLUMN engineer_context.engineers.last_name_kana IS 'Family name in katakana (セイ).';
COMMENT ON COLUMN engineer_context.engineers.first_name_kana IS 'Given name in katakana (メイ).';
COMMENT ON COLUMN engineer_context.engineers.email IS 'Contact e-mail address.';
COMMENT ON COLUMN engineer_context.engineers.phone IS 'Contact telephone number.';
COMMENT ON COLUMN engineer_context.engineers.employment_type IS 'EMPLOYEE (own staff, プロパー), PARTNER (a partner company''s engineer, BP) or FREELANCE (individual contractor; フリーランス法 applies).';
COMMENT ON COLUMN engineer_context.engineers.partner_company_id IS 'Partner company employing the engineer; set exactly when employment_type is PARTNER.';
COMMENT ON COLUMN engineer_context.engineers.partner_company_name IS 'Partner company name as at entry (snapshot).';
COMMENT ON COLUMN engineer_context.engineers.chain_depth IS 'Commercial-chain depth below us (商流): 0 own staff, 1 a direct partner''s engineer, 2 that partner''s partner, ...; matching filters on projects.max_chain_depth.';
COMMENT ON COLUMN engineer_context.engineers.availability_status IS 'AVAILABLE (待機), AVAILABLE_SOON (current assignment ending), ASSIGNED (稼働中), ON_LEAVE, UNAVAILABLE or RETIRED.';
COMMENT ON COLUMN engineer_context.engineers.available_from IS 'First day the engineer can start a new assignment.';
COMMENT ON COLUMN engineer_context.engineers.skills IS 'Skill summary as a JSON array, e.g. [{"name": "Java", "years": 5, "level": 4}]; GIN-indexed for containment search (skills @> ''[{"name": "Java"}]''). skill_assessments holds the assessed detail.';
COMMENT ON COLUMN engineer_context.engineers.years_of_experience IS 'Total years of IT experience.';
COMMENT ON COLUMN engineer_context.engineers.desired_unit_price IS 'Monthly unit price the engineer (or partner) asks for, in yen.';
COMMENT ON COLUMN engineer_context.engineers.minimum_unit_price IS 'Lowest acceptable monthly unit price, in yen.';
COMMENT ON COLUMN engineer_context.engineers.nearest_station IS 'Nearest station, for commute-based matching.';
COMMENT ON COLUMN engineer_context.engineers.prefecture IS 'Prefecture of residence, for commute-based matching.';
COMMENT ON COLUMN engineer_context.engineers.remote_preference IS 'ONSITE, HYBRID, REMOTE or ANY.';
COMMENT ON COLUMN engineer_context.engineers.invoice_registration_no IS 'Qualified-invoice registration number (T + 13 digits) of a freelancer; NULL for an unregistered (免税) freelancer and for others.';
COMMENT ON COLUMN engineer_context.engineers.sales_manager_id IS 'Sales user in charge of the engineer; owner column for row-level security.';
COMMENT ON COLUMN engineer_context.engineers.user_id IS 'The engineer''s own login user, when the engineer uses the system; owner column for the engineer role.';
COMMENT ON COLUMN engineer_context.engineers.note IS 'Free internal note (no protected attributes).';

CREATE UNIQUE INDEX engineers_engineer_code_key ON engineer_context.engineers (engineer_code) WHERE deleted_at IS NULL;
CREATE INDEX idx_engineers_availability ON engineer_context.engineers (availability_status) WHERE deleted_at IS NULL;
CREATE INDEX idx_engineers_skills_gin ON engineer_context.engineers USING gin (skills);

CREATE TABLE engineer_context.skill_assessments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    engineer_id uuid NOT NULL REFERENCES engineer_context.engineers (id) ON DELETE CASCADE,
    skill_category text NOT NULL CHECK (
        skill_category IN (
            'LANGUAGE', 'FRAMEWORK', 'DATABASE', 'INFRASTRUCTURE', 'CLOUD', 'TOOL',
            'METHODOLOGY', 'BUSINESS_DOMAIN', 'MANAGEMENT', 'OTHER'
        )
    ),
    skill_name text NOT NULL CHECK (btrim(skill_name) <> ''),
    skill_level smallint NOT NULL CHECK (skill_level BETWEEN 1 AND 5),
    years_of_experience numeric(4, 1) CHECK (years_of_experience >= 0),
    last_used_on date,
    assessment_source text NOT NULL DEFAULT 'SELF' CHECK (
        assessment_source IN ('SELF', 'INTERVIEW', 'TEST', 'PROJECT_REVIEW')
    ),
    assessed_by uuid,
    assessed_on date NOT NULL DEFAULT current_date,
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

COMMENT ON TABLE engineer_context.skill_assessments IS 'Skill assessments (スキル評価) of an engineer: one row per skill and assessment.';
COMMENT ON COLUMN engineer_context.skill_assessments.engineer_id IS 'Engineer assessed.';
COMMENT ON COLUMN engineer_context.skill_assessments.skill_category IS 'LANGUAGE, FRAMEWORK, DATABASE, INFRASTRUCTURE, CLOUD, TOOL, METHODOLOGY, BUSINESS_DOMAIN, MANAGEMENT or OTHER.';
COMMENT ON COLUMN engineer_context.skill_assessments.skill_name IS 'Skill, e.g. Java, PostgreSQL, AWS, 金融業務.';
COMMENT ON COLUMN engineer_context.skill_assessments.skill_level IS 'Level 1 (beginner) to 5 (expert, can lead).';
COMMENT ON COLUMN engineer_context.skill_assessments.years_of_experience IS 'Years using the skill.';
COMMENT ON COLUMN engineer_context.skill_assessments.last_used_on IS 'When the skill was last used in work.';
COMMENT ON COLUMN engineer_context.skill_assessments.assessment_source IS 'SELF (self-declared), INTERVIEW, TEST or PROJECT_REVIEW.';
COMMENT ON COLUMN engineer_context.skill_assessments.assessed_by IS 'User who assessed (NULL for self-declared).';
COMMENT ON COLUMN engineer_context.skill_assessments.assessed_on IS 'Date of the assessment.';
COMMENT ON COLUMN engineer_context.skill_assessments.note IS 'Free note.';

CREATE INDEX idx_skill_assessments_skill_level
ON engineer_context.skill_assessments (skill_category, skill_level) WHERE deleted_at IS NULL;

CREATE TABLE engineer_context.certifications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    engineer_id uuid NOT NULL REFERENCES engineer_context.engineers (id) ON DELETE CASCADE,
    certification_name text NOT NULL CHECK (btrim(certification_name) <> ''),
    issuing_organization text,
    certification_code text,
    credential_id text,
    acquired_on date,
    expires_on date,
    verified_at timestamptz,
    verified_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT certifications_validity_ordered CHECK (expires_on >= acquired_on)
);

COMMENT ON TABLE engineer_context.certifications IS 'Certifications (資格) an engineer holds, e.g. 基本情報技術者, AWS Solutions Architect.';
COMMENT ON COLUMN engineer_context.certifications.engineer_id IS 'Engineer holding the certification.';
COMMENT ON COLUMN engineer_context.certifications.certification_name IS 'Certification name.';
COMMENT ON COLUMN engineer_context.certifications.issuing_organization IS 'Issuer, e.g. IPA, Amazon Web Services.';
COMMENT ON COLUMN engineer_context.certifications.certification_code IS 'Issuer''s code of the certification (e.g. FE, SAA-C03).';
COMMENT ON COLUMN engineer_context.certifications.credential_id IS 'Certificate or credential number, for verification.';
COMMENT ON COLUMN engineer_context.certifications.acquired_on IS 'Date obtained.';
COMMENT ON COLUMN engineer_context.certifications.expires_on IS 'Expiry date; NULL when it does not expire.';
COMMENT ON COLUMN engineer_context.certifications.verified_at IS 'When we checked the certificate; NULL while self-declared.';
COMMENT ON COLUMN engineer_context.certifications.verified_by IS 'User who checked the certificate.';

CREATE TABLE engineer_context.availability_periods (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    engineer_id uuid NOT NULL REFERENCES engineer_context.engineers (id) ON DELETE CASCADE,
    available_from date NOT NULL,
    available_to date,
    availability_rate numeric(3, 2) NOT NULL DEFAULT 1.00 CHECK (availability_rate > 0 AND availability_rate <= 1),
    status text NOT NULL DEFAULT 'TENTATIVE' CHECK (status IN ('TENTATIVE', 'CONFIRMED', 'CANCELLED')),
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT availability_periods_ordered CHECK (available_to >= available_from)
);

COMMENT ON TABLE engineer_context.availability_periods IS 'Periods (稼働可能期間) in which an engineer can work, and at what share of full time.';
COMMENT ON COLUMN engineer_context.availability_periods.engineer_id IS 'Engineer available.';
COMMENT ON COLUMN engineer_context.availability_periods.available_from IS 'First available day.';
COMMENT ON COLUMN engineer_context.availability_periods.available_to IS 'Last available day; NULL open-ended.';
COMMENT ON COLUMN engineer_context.availability_periods.availability_rate IS 'Share of full time available (稼働率), 0 < rate <= 1; 1.00 = full time.';
COMMENT ON COLUMN engineer_context.availability_periods.status IS 'TENTATIVE, CONFIRMED or CANCELLED.';
COMMENT ON COLUMN engineer_context.availability_periods.note IS 'Free note, e.g. why the period is limited.';

CREATE INDEX availability_periods_engineer_period_idx
ON engineer_context.availability_periods (engineer_id, available_from, available_to) WHERE deleted_at IS NULL;

DO $common$
DECLARE
    v_table regclass;
BEGIN
    FOREACH v_table IN ARRAY ARRAY[
        'engineer_context.engineers', 'engineer_context.skill_assessments',
        'engineer_context.certifications', 'engineer_context.availability_periods'
    ]::regclass[]
    LOOP
        PERFORM ses_common.comment_common_columns(v_table);
        PERFORM ses_common.add_common_indexes(v_table);
    END LOOP;
END
$common$;
