-- depends: 0181_ses_personal_data_encryption
-- Paying partners (issue 11): payee accounts checked against the Zengin
-- master, the originator of the Zengin transfer file (総合振込), and the bank
-- business-day calendar the file's payment date must fall on.
--
-- * payee_accounts.master_check: whether the bank and branch were found in
--   zengin.branches at registration (VERIFIED), or could not be looked up
--   because this database has no Zengin schema (NOT_VERIFIABLE: a context
--   installed alone). Never silently passed: an account that was not checked
--   says so. Rows that exist before this migration are NOT_CHECKED until
--   their codes are written again; the transfer file checks every account
--   against the master again anyway.
-- * billing_context.transfer_originators: our side of the transfer file's
--   header record (依頼人コード, 依頼人名, the account we pay from). Not personal
--   data (a company's own account), so stored in clear.
-- * ses_common.bank_holidays: Japanese public holidays computed by rule
--   (ses_common.refresh_bank_holidays) plus the banks' own closing days
--   (Dec 31 - Jan 3); a business day is a weekday not listed. In ses_common,
--   not a context: it is reference data every context may read, like a
--   calendar, and belongs to no one's rows.

ALTER TABLE billing_context.payee_accounts
ADD COLUMN master_check text NOT NULL DEFAULT 'NOT_CHECKED'
CONSTRAINT payee_accounts_master_check_known CHECK (master_check IN ('VERIFIED', 'NOT_VERIFIABLE', 'NOT_CHECKED'));

COMMENT ON COLUMN billing_context.payee_accounts.master_check IS
'Result of the check of bank_code/branch_code against the Zengin master when they were last written: VERIFIED (found; verified_at says when), NOT_VERIFIABLE (this database has no zengin schema to check against) or NOT_CHECKED (registered before the check existed). A missing bank or branch is refused at the write (SE141), so there is no FAILED.';

CREATE TABLE billing_context.transfer_originators (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    originator_code text NOT NULL CHECK (originator_code ~ '^[0-9]{10}$'),
    originator_name_kana text NOT NULL CHECK (originator_name_kana ~ '^[ｦｱ-ﾟA-Z0-9 ().-]{1,40}$'),
    bank_code text NOT NULL CHECK (bank_code ~ '^[0-9]{4}$'),
    branch_code text NOT NULL CHECK (branch_code ~ '^[0-9]{3}$'),
    account_type smallint NOT NULL CHECK (account_type IN (1, 2, 9)),
    account_number text NOT NULL CHECK (account_number ~ '^[0-9]{7}$'),
    is_default boolean NOT NULL DEFAULT FALSE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

COMMENT ON TABLE billing_context.transfer_originators IS
'Who sends a Zengin transfer file (振込依頼人): the consignor code the bank gave us, our name in transfer kana and the account the money leaves from; the header record of billing_context.build_transfer_records. At most one live row is_default.';
COMMENT ON COLUMN billing_context.transfer_originators.originator_code IS '依頼人コード: the 10-digit consignor code assigned by our bank.';
COMMENT ON COLUMN billing_context.transfer_originators.originator_name_kana IS '依頼人名 in the transfer character set (ses_common.is_transfer_kana), at most 40 half-width characters.';
COMMENT ON COLUMN billing_context.transfer_originators.bank_code IS '仕向銀行: our bank''s Zengin code, 4 digits.';
COMMENT ON COLUMN billing_context.transfer_originators.branch_code IS '仕向支店: our branch''s Zengin code, 3 digits.';
COMMENT ON COLUMN billing_context.transfer_originators.account_type IS '預金種目 of our account: 1 普通, 2 当座, 9 その他.';
COMMENT ON COLUMN billing_context.transfer_originators.account_number IS 'Our account number, 7 digits (a company account, not personal data).';
COMMENT ON COLUMN billing_context.transfer_originators.is_default IS 'The originator used when a build names none; at most one live row.';

CREATE UNIQUE INDEX transfer_originators_one_default_key
ON billing_context.transfer_originators (is_default) WHERE is_default AND deleted_at IS NULL;
CREATE UNIQUE INDEX transfer_originators_code_key
ON billing_context.transfer_originators (originator_code) WHERE deleted_at IS NULL;
DO $common$
BEGIN
    PERFORM ses_common.add_common_indexes('billing_context.transfer_originators');
    PERFORM ses_common.comment_common_columns('billing_context.transfer_originators');
END
$common$;

-- Unpaid payables by payee account: the impact of a master change and the
-- transfer file both sum them per account.
CREATE INDEX invoices_payables_by_payee_idx
ON billing_context.invoices (payee_account_id)
WHERE direction = 'PAYABLE' AND deleted_at IS NULL AND status IN ('ISSUED', 'UNPAID', 'PARTIALLY_PAID', 'OVERDUE');

CREATE TABLE ses_common.bank_holidays (
    holiday_date date PRIMARY KEY,
    name text NOT NULL CHECK (btrim(name) <> ''),
    kind text NOT NULL CHECK (kind IN ('NATIONAL', 'SUBSTITUTE', 'CITIZENS', 'BANK', 'SPECIAL')),
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE ses_common.bank_holidays IS
'Days Japanese banks are closed besides weekends: public holidays (国民の祝日, by rule), substitute holidays (振替休日), citizens'' holidays (国民の休日), the banks'' year-end closing (Dec 31 - Jan 3), and SPECIAL days entered by hand. Filled per year by ses_common.refresh_bank_holidays; ses_common.bank_calendar_years says which years are covered.';
COMMENT ON COLUMN ses_common.bank_holidays.holiday_date IS 'The closed day.';
COMMENT ON COLUMN ses_common.bank_holidays.name IS 'Name of the holiday, e.g. 春分の日, 振替休日.';
COMMENT ON COLUMN ses_common.bank_holidays.kind IS 'NATIONAL, SUBSTITUTE, CITIZENS, BANK (year-end closing) or SPECIAL (a one-off day set by law, entered by hand; refresh keeps it).';
COMMENT ON COLUMN ses_common.bank_holidays.created_at IS 'When the row was written.';

CREATE TABLE ses_common.bank_calendar_years (
    calendar_year integer PRIMARY KEY CHECK (calendar_year BETWEEN 2020 AND 2099),
    refreshed_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE ses_common.bank_calendar_years IS
'Years whose holidays ses_common.bank_holidays holds completely. A date in a year not listed is not known to be a business day: ses_common.is_bank_business_day raises SE149 instead of guessing.';
COMMENT ON COLUMN ses_common.bank_calendar_years.calendar_year IS 'A covered year (2020-2099: the rules of the current holiday law).';
COMMENT ON COLUMN ses_common.bank_calendar_years.refreshed_at IS 'When ses_common.refresh_bank_holidays last computed it.';

GRANT SELECT ON ses_common.bank_holidays, ses_common.bank_calendar_years
TO ses_admin_role, ses_project_manager_role, ses_finance_role, bbase_operator;

-- Row-level security (migration 0180's rules): the originator is finance's;
-- admins have every table through context_grants. ses_common.apply_maintenance_policies
-- enables and forces row-level security on the new table after migrate; the
-- policies are sql/policies/billing_context/transfer_originators.sql.
INSERT INTO ses_common.table_grants (schema_name, table_name, role_name, privilege, column_names)
SELECT
    'billing_context' AS schema_name, 'transfer_originators' AS table_name,
    'ses_finance_role' AS role_name, p.privilege, NULL AS column_names
FROM unnest('{SELECT,INSERT,UPDATE,DELETE}'::text[]) AS p (privilege);
ALTER TABLE billing_context.transfer_originators ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_context.transfer_originators FORCE ROW LEVEL SECURITY;
