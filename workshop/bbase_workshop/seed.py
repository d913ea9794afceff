"""Generated, consistent data for every SES context (``bbase ses seed``).

Everything is generated set-based inside PostgreSQL (``INSERT … SELECT …
generate_series``) in one transaction: Python only supplies the vocabulary
(Japanese names, companies, skills, real Zengin bank and branch codes) as
array parameters and runs the steps in order. Consistency comes from a plan
built first in temporary tables (engineers, contract chains, months), from
which every context is filled:

* each engineer works on a chain of non-overlapping contracts (whole months);
* a project's period spans its contracts, its customer is theirs;
* every customer-side contract has the matching request, candidate and result
  that led to it, and partner/freelance engineers get a partner-side contract;
* one timesheet per contract and month, whose totals are the sums of its daily
  attendances; approval steps follow its status;
* a RECEIVABLE invoice per closed timesheet, priced by the contract's
  settlement range, with lines, one tax summary (tax once per rate), payments
  and balanced journal entries; a PAYABLE invoice per partner-side month;
* analytics and KPI values are computed from those rows; notifications are the
  events (contract signed, timesheet submitted, invoice issued) of those rows.

Rows get deterministic ids (``md5(label)::uuid``) and the random choices use
``setseed``, so the same scale and seed give the same data.
"""

# The embedded SQL statements are laid out as SQL, not to Python's line limit.
# ruff: noqa: E501

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from psycopg import sql

CONTEXTS = (
    "project_context", "engineer_context", "matching_context", "contract_context",
    "timesheet_context", "billing_context", "report_context", "notification_context",
)

# --- vocabulary ------------------------------------------------------------

SURNAMES = [
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"),
    ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"),
    ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山田", "ヤマダ"),
    ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"), ("井上", "イノウエ"),
    ("木村", "キムラ"), ("林", "ハヤシ"), ("斎藤", "サイトウ"), ("清水", "シミズ"),
    ("山崎", "ヤマザキ"), ("森", "モリ"), ("池田", "イケダ"), ("橋本", "ハシモト"),
    ("阿部", "アベ"), ("石川", "イシカワ"), ("山下", "ヤマシタ"), ("中島", "ナカジマ"),
    ("石井", "イシイ"), ("小川", "オガワ"), ("前田", "マエダ"), ("岡田", "オカダ"),
    ("長谷川", "ハセガワ"), ("藤田", "フジタ"), ("後藤", "ゴトウ"), ("近藤", "コンドウ"),
    ("村上", "ムラカミ"), ("遠藤", "エンドウ"), ("青木", "アオキ"), ("坂本", "サカモト"),
    ("福田", "フクダ"), ("太田", "オオタ"), ("西村", "ニシムラ"), ("藤井", "フジイ"),
    ("金子", "カネコ"), ("岡本", "オカモト"), ("藤原", "フジワラ"), ("中野", "ナカノ"),
    ("三浦", "ミウラ"), ("原田", "ハラダ"), ("松田", "マツダ"), ("竹内", "タケウチ"),
]
GIVEN_NAMES = [
    ("翔太", "ショウタ"), ("大輔", "ダイスケ"), ("拓也", "タクヤ"), ("健太", "ケンタ"),
    ("直樹", "ナオキ"), ("亮", "リョウ"), ("達也", "タツヤ"), ("和也", "カズヤ"),
    ("雄一", "ユウイチ"), ("誠", "マコト"), ("蓮", "レン"), ("悠真", "ユウマ"),
    ("陽翔", "ハルト"), ("湊", "ミナト"), ("大翔", "ヒロト"), ("浩二", "コウジ"),
    ("隆", "タカシ"), ("剛", "ツヨシ"), ("修", "オサム"), ("航", "ワタル"),
    ("美咲", "ミサキ"), ("陽菜", "ヒナ"), ("彩", "アヤ"), ("愛", "アイ"),
    ("結衣", "ユイ"), ("さくら", "サクラ"), ("真由美", "マユミ"), ("恵", "メグミ"),
    ("由美", "ユミ"), ("千尋", "チヒロ"), ("葵", "アオイ"), ("凛", "リン"),
    ("芽衣", "メイ"), ("智子", "トモコ"), ("直美", "ナオミ"), ("香織", "カオリ"),
    ("麻衣", "マイ"), ("奈々", "ナナ"), ("優子", "ユウコ"), ("舞", "マイ"),
    ("光", "ヒカル"), ("翼", "ツバサ"), ("純", "ジュン"), ("歩", "アユミ"),
]
# Fictional company names: head + tail (customers are end users, partners are IT firms).
COMPANY_HEADS = [
    ("東都", "トウト"), ("北辰", "ホクシン"), ("青葉", "アオバ"), ("旭", "アサヒ"),
    ("大和", "ヤマト"), ("富士見", "フジミ"), ("港南", "コウナン"), ("光陽", "コウヨウ"),
    ("新星", "シンセイ"), ("三和", "サンワ"), ("桜", "サクラ"), ("若葉", "ワカバ"),
    ("日進", "ニッシン"), ("明和", "メイワ"), ("昭栄", "ショウエイ"), ("東洋", "トウヨウ"),
    ("千代田", "チヨダ"), ("白鷺", "シラサギ"), ("豊栄", "ホウエイ"), ("瑞光", "ズイコウ"),
    ("丸善", "マルゼン"), ("栄光", "エイコウ"), ("蒼天", "ソウテン"), ("京葉", "ケイヨウ"),
    ("湘南", "ショウナン"), ("武蔵野", "ムサシノ"), ("浪速", "ナニワ"), ("中部", "チュウブ"),
    ("九州", "キュウシュウ"), ("北陸", "ホクリク"),
]
CUSTOMER_TAILS = [
    ("物産", "ブッサン"), ("商事", "ショウジ"), ("製作所", "セイサクショ"),
    ("ホールディングス", "ホールディングス"), ("電機", "デンキ"), ("損害保険", "ソンガイホケン"),
    ("運輸", "ウンユ"), ("食品", "ショクヒン"), ("不動産", "フドウサン"), ("証券", "ショウケン"),
    ("化学", "カガク"), ("百貨店", "ヒャッカテン"),
]
PARTNER_TAILS = [
    ("システムズ", "システムズ"), ("ソリューションズ", "ソリューションズ"),
    ("テクノロジー", "テクノロジー"), ("情報サービス", "ジョウホウサービス"), ("ソフト", "ソフト"),
    ("データ", "データ"), ("ネットワークス", "ネットワークス"), ("コンサルティング", "コンサルティング"),
]
SKILLS = [
    ("Java", "LANGUAGE"), ("Python", "LANGUAGE"), ("Go", "LANGUAGE"), ("TypeScript", "LANGUAGE"),
    ("PHP", "LANGUAGE"), ("C#", "LANGUAGE"), ("Ruby", "LANGUAGE"), ("Kotlin", "LANGUAGE"),
    ("Swift", "LANGUAGE"), ("COBOL", "LANGUAGE"), ("React", "FRAMEWORK"), ("Vue.js", "FRAMEWORK"),
    ("Spring Boot", "FRAMEWORK"), ("Django", "FRAMEWORK"), ("Ruby on Rails", "FRAMEWORK"),
    ("Laravel", "FRAMEWORK"), (".NET", "FRAMEWORK"), ("AWS", "CLOUD"), ("Azure", "CLOUD"),
    ("Google Cloud", "CLOUD"), ("PostgreSQL", "DATABASE"), ("Oracle Database", "DATABASE"),
    ("MySQL", "DATABASE"), ("Docker", "TOOL"), ("Kubernetes", "INFRASTRUCTURE"),
    ("Terraform", "INFRASTRUCTURE"), ("Linux", "INFRASTRUCTURE"), ("スクラム", "METHODOLOGY"),
    ("金融業務", "BUSINESS_DOMAIN"), ("PMO", "MANAGEMENT"),
]
CERTIFICATIONS = [
    ("基本情報技術者", "IPA", "FE"), ("応用情報技術者", "IPA", "AP"),
    ("情報処理安全確保支援士", "IPA", "RISS"), ("プロジェクトマネージャ", "IPA", "PM"),
    ("AWS Certified Solutions Architect - Associate", "Amazon Web Services", "SAA-C03"),
    ("Oracle Certified Java Programmer, Gold SE 11", "Oracle", "1Z0-816"),
    ("LPIC-1", "LPI", "LPIC-1"), ("Microsoft Certified: Azure Fundamentals", "Microsoft", "AZ-900"),
]
PROJECT_SUBJECTS = [
    "基幹システム刷新", "ECサイトリニューアル", "会計システム保守", "人事給与クラウド移行",
    "データ基盤構築", "スマホアプリ開発", "社内ポータル開発", "在庫管理システム開発",
    "CRM導入支援", "セキュリティ診断", "勘定系システム更改", "物流管理システム開発",
    "BIダッシュボード構築", "API基盤整備", "インフラ運用自動化", "生成AI活用PoC",
]
LOCATIONS = [
    ("東京都", "大手町"), ("東京都", "品川"), ("東京都", "新宿"), ("東京都", "渋谷"),
    ("東京都", "豊洲"), ("東京都", "六本木一丁目"), ("神奈川県", "横浜"), ("神奈川県", "川崎"),
    ("埼玉県", "大宮"), ("千葉県", "海浜幕張"), ("大阪府", "梅田"), ("愛知県", "名古屋"),
    ("福岡県", "博多"),
]
# Real Zengin bank and branch codes (zengin-code data, 2026-08): (bank, name, kana, branch, name, kana).
BANK_BRANCHES = [
    ("0001", "みずほ", "ﾐｽﾞﾎ", "001", "東京営業部", "ﾄｳｷﾖｳ"),
    ("0001", "みずほ", "ﾐｽﾞﾎ", "004", "丸の内中央", "ﾏﾙﾉｳﾁﾁﾕｳｵｳ"),
    ("0001", "みずほ", "ﾐｽﾞﾎ", "009", "神田駅前", "ｶﾝﾀﾞｴｷﾏｴ"),
    ("0005", "三菱ＵＦＪ", "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ", "001", "本店", "ﾎﾝﾃﾝ"),
    ("0005", "三菱ＵＦＪ", "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ", "002", "丸の内", "ﾏﾙﾉｳﾁ"),
    ("0005", "三菱ＵＦＪ", "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ", "005", "大阪営業部", "ｵｵｻｶ"),
    ("0009", "三井住友", "ﾐﾂｲｽﾐﾄﾓ", "001", "神保町", "ｼﾞﾝﾎﾞｳﾁﾖｳ"),
    ("0009", "三井住友", "ﾐﾂｲｽﾐﾄﾓ", "005", "春日部", "ｶｽｶﾍﾞ"),
    ("0010", "りそな", "ﾘｿﾅ", "005", "天理", "ﾃﾝﾘ"),
    ("0017", "埼玉りそな", "ｻｲﾀﾏﾘｿﾅ", "256", "浦和中央", "ｳﾗﾜﾁﾕｳｵｳ"),
    ("0036", "楽天", "ﾗｸﾃﾝ", "201", "ジャズ", "ｼﾞﾔｽﾞ"),
    ("0036", "楽天", "ﾗｸﾃﾝ", "202", "ロック", "ﾛﾂｸ"),
    ("0038", "ドコモＳＭＴＢネット", "ﾄﾞｺﾓSMTBﾈﾂﾄ", "101", "イチゴ", "ｲﾁｺﾞ"),
    ("0116", "北海道", "ﾎﾂｶｲﾄﾞｳ", "101", "本店営業部", "ﾎﾝﾃﾝ"),
    ("0134", "千葉", "ﾁﾊﾞ", "002", "幕張", "ﾏｸﾊﾘ"),
    ("0149", "静岡", "ｼｽﾞｵｶ", "112", "呉服町", "ｺﾞﾌｸﾁﾖｳ"),
]
OUR_COMPANY = "株式会社ビーベース"
#: A format-valid registration number (T + corporate number with its check digit).
OUR_REGISTRATION_NO = "T9010401234567"

_SMALL_KANA = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")


def zengin_kana(katakana: str) -> str:
    """Full-width katakana to the half-width kana a Zengin transfer file accepts.

    Small kana become large (ｷｭｳ → ｷﾕｳ), voiced marks are split (ガ → ｶﾞ), the long
    vowel mark becomes '-' (the allowed set has no ｰ).
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", katakana.translate(_SMALL_KANA)):
        if ch == "\u3099":
            out.append("ﾞ")
        elif ch == "\u309a":
            out.append("ﾟ")
        elif ch == "ー":
            out.append("-")
        elif ch == "ヲ":
            out.append("ｦ")
        else:
            out.append(_HALF.get(ch, ch))
    return "".join(out)


_HALF = {
    unicodedata.normalize("NFKC", chr(c)): chr(c) for c in range(0xFF71, 0xFF9E)
}


# --- sizes -----------------------------------------------------------------

@dataclass(frozen=True)
class Sizes:
    engineers: int
    projects: int
    contracts: int
    customers: int
    partners: int
    staff: int
    months: int

    @classmethod
    def for_scale(cls, scale: float, years: int) -> Sizes:
        if scale <= 0:
            raise ValueError("scale must be positive")
        if not 1 <= years <= 20:
            raise ValueError("years must be between 1 and 20")

        def n(base: int, minimum: int) -> int:
            return max(minimum, math.ceil(base * scale))

        return cls(engineers=n(1000, 20), projects=n(300, 8), contracts=n(500, 10),
                   customers=n(30, 3), partners=n(40, 3), staff=n(10, 4), months=12 * years)


def _params(sizes: Sizes, seed: float) -> dict:
    return {
        "seed": seed,
        "n_engineers": sizes.engineers,
        "n_projects": sizes.projects,
        "n_contracts": sizes.contracts,
        # engineers carrying contract chains (about 1.25 contracts each)
        "n_chain": max(1, min(sizes.engineers, math.ceil(sizes.contracts / 1.25))),
        # projects that received contracts; the rest are still open, lost, ...
        "n_staffed_projects": max(1, math.ceil(sizes.projects * 0.7)),
        "n_customers": sizes.customers,
        "n_partners": sizes.partners,
        "n_staff": sizes.staff,
        "months": sizes.months,
        "surnames": [s for s, _ in SURNAMES],
        "surnames_kana": [k for _, k in SURNAMES],
        "given": [g for g, _ in GIVEN_NAMES],
        "given_kana": [k for _, k in GIVEN_NAMES],
        "heads": [h for h, _ in COMPANY_HEADS],
        "heads_kana": [zengin_kana(k) for _, k in COMPANY_HEADS],
        "customer_tails": [t for t, _ in CUSTOMER_TAILS],
        "partner_tails": [t for t, _ in PARTNER_TAILS],
        "partner_tails_kana": [zengin_kana(k) for _, k in PARTNER_TAILS],
        "surnames_zkana": [zengin_kana(k) for _, k in SURNAMES],
        "given_zkana": [zengin_kana(k) for _, k in GIVEN_NAMES],
        "skill_names": [s for s, _ in SKILLS],
        "skill_categories": [c for _, c in SKILLS],
        "cert_names": [c[0] for c in CERTIFICATIONS],
        "cert_issuers": [c[1] for c in CERTIFICATIONS],
        "cert_codes": [c[2] for c in CERTIFICATIONS],
        "subjects": PROJECT_SUBJECTS,
        "prefectures": [p for p, _ in LOCATIONS],
        "stations": [s for _, s in LOCATIONS],
        "bank_codes": [b[0] for b in BANK_BRANCHES],
        "bank_names": [b[1] for b in BANK_BRANCHES],
        "branch_codes": [b[3] for b in BANK_BRANCHES],
        "branch_names": [b[4] for b in BANK_BRANCHES],
        "our_company": OUR_COMPANY,
        "our_registration_no": OUR_REGISTRATION_NO,
    }


# --- the steps -------------------------------------------------------------
# Each step is one SQL statement run with the parameters above (psycopg named
# parameters, so a literal percent sign would be written %%; the steps use
# mod() instead). Temporary tables (seed_*) hold the plan; they are dropped at
# commit.

PLAN = [
    ("plan: calendar", """
CREATE TEMP TABLE seed_const ON COMMIT DROP AS
SELECT
    current_date AS today,
    date_trunc('month', current_date)::date AS this_month,
    (date_trunc('month', current_date) - make_interval(months => %(months)s - 1))::date AS window_start,
    md5('ses-seed:company')::uuid AS our_company_id
"""),
    ("plan: months", """
CREATE TEMP TABLE seed_months ON COMMIT DROP AS
SELECT
    m::date AS month_start,
    (m + INTERVAL '1 month' - INTERVAL '1 day')::date AS month_end,
    extract(YEAR FROM m)::smallint AS y,
    extract(MONTH FROM m)::smallint AS mo,
    (row_number() OVER (ORDER BY m))::integer AS month_no
FROM seed_const AS c,
    generate_series(c.window_start, c.this_month, INTERVAL '1 month') AS m
"""),
    ("plan: engineers", """
CREATE TEMP TABLE seed_engineers ON COMMIT DROP AS
SELECT
    e,
    md5('ses-seed:engineer:' || e)::uuid AS id,
    CASE WHEN mod(e, 10) < 4 THEN 'EMPLOYEE' WHEN mod(e, 10) < 9 THEN 'PARTNER' ELSE 'FREELANCE' END
        AS employment_type,
    1 + mod(e * 7919, %(n_partners)s) AS partner_no,
    1 + mod(e * 31 + e / 53, cardinality(%(surnames)s::text[])) AS sn,
    1 + mod(e * 17 + e / 41, cardinality(%(given)s::text[])) AS gn,
    1 + mod(e * 13, cardinality(%(stations)s::text[])) AS loc,
    1 + mod(e * 11, %(n_staff)s) AS sales_no,
    round((1 + random() * 24)::numeric, 1) AS years
FROM generate_series(1, %(n_engineers)s) AS e
"""),
    ("plan: engineer skills", """
CREATE TEMP TABLE seed_engineer_skills ON COMMIT DROP AS
SELECT
    se.e,
    se.id AS engineer_id,
    k.name,
    k.category,
    (1 + mod(abs(hashtext(se.e || k.name)), 5))::smallint AS level,
    least(se.years, round((0.5 + random() * 12)::numeric, 1)) AS years
FROM seed_engineers AS se
CROSS JOIN LATERAL (
    SELECT s.name, s.category
    FROM unnest(%(skill_names)s::text[], %(skill_categories)s::text[]) AS s (name, category)
    ORDER BY md5(se.e || s.name)
    LIMIT 3 + mod(se.e, 4)
) AS k
"""),
    ("plan: contract chains", """
CREATE TEMP TABLE seed_contracts ON COMMIT DROP AS
WITH k AS (
    SELECT
        k,
        1 + mod(k - 1, %(n_chain)s) AS e,
        (k - 1) / %(n_chain)s AS j,
        6 + floor(random() * 19)::integer AS duration,
        CASE WHEN (k - 1) / %(n_chain)s = 0
            THEN floor(random() * greatest(1, %(months)s - 6))::integer
            ELSE floor(random() * 3)::integer
        END AS lead_months
    FROM generate_series(1, %(n_contracts)s) AS k
),
placed AS (
    SELECT
        k.*,
        sum(k.lead_months + k.duration) OVER w - k.duration AS start_offset
    FROM k
    WINDOW w AS (PARTITION BY k.e ORDER BY k.j ROWS UNBOUNDED PRECEDING)
)
SELECT
    p.k,
    p.e,
    se.id AS engineer_id,
    se.employment_type,
    se.partner_no,
    md5('ses-seed:contract:' || p.k)::uuid AS id,
    md5('ses-seed:partner-contract:' || p.k)::uuid AS partner_contract_id,
    1 + mod(p.k * 7 + p.k / 13, %(n_staffed_projects)s) AS project_no,
    (c.window_start + make_interval(months => p.start_offset::integer))::date AS start_date,
    (c.window_start + make_interval(months => (p.start_offset + p.duration)::integer) - INTERVAL '1 day')::date AS end_date,
    (least(1300000, 450000 + se.years * 20000 + mod(p.k, 7) * 10000) / 10000)::integer * 10000 AS unit_price,
    CASE WHEN mod(p.k, 10) < 8 THEN 'UPPER_LOWER' WHEN mod(p.k, 10) = 8 THEN 'MIDPOINT' ELSE 'FIXED' END
        AS settlement_method,
    CASE WHEN mod(p.k, 5) = 0 THEN 'DISPATCH' ELSE 'QUASI_MANDATE' END AS contract_type,
    mod(p.k, 20) = 7 AS terminated
FROM placed AS p
INNER JOIN seed_engineers AS se ON p.e = se.e
CROSS JOIN seed_const AS c
"""),
    ("plan: contract status", """
ALTER TABLE seed_contracts
    ADD COLUMN status text,
    ADD COLUMN customer_no integer,
    ADD COLUMN lower_hours numeric,
    ADD COLUMN upper_hours numeric,
    ADD COLUMN deduction_rate numeric,
    ADD COLUMN overtime_rate numeric,
    ADD COLUMN partner_price numeric
"""),
    ("plan: contract terms", """
UPDATE seed_contracts AS sc
SET
    status = CASE
        WHEN sc.end_date < c.today AND sc.terminated THEN 'TERMINATED'
        WHEN sc.end_date < c.today THEN 'COMPLETED'
        WHEN sc.start_date > c.today THEN 'PENDING_SIGNATURE'
        ELSE 'ACTIVE'
    END,
    customer_no = 1 + mod(sc.project_no * 13, %(n_customers)s),
    lower_hours = CASE WHEN mod(sc.k, 4) = 3 THEN 150 ELSE 140 END,
    upper_hours = CASE WHEN mod(sc.k, 4) = 3 THEN 190 ELSE 180 END,
    deduction_rate = CASE sc.settlement_method
        WHEN 'MIDPOINT' THEN floor(sc.unit_price / 160.0 / 10) * 10
        ELSE floor(sc.unit_price / (CASE WHEN mod(sc.k, 4) = 3 THEN 150 ELSE 140 END) / 10.0) * 10
    END,
    overtime_rate = CASE sc.settlement_method
        WHEN 'MIDPOINT' THEN floor(sc.unit_price / 160.0 / 10) * 10
        ELSE floor(sc.unit_price / (CASE WHEN mod(sc.k, 4) = 3 THEN 190 ELSE 180 END) / 10.0) * 10
    END,
    partner_price = floor(sc.unit_price * (0.80 + mod(sc.k, 6) * 0.01) / 10000) * 10000
FROM seed_const AS c
"""),
    ("plan: projects", """
CREATE TEMP TABLE seed_projects ON COMMIT DROP AS
WITH spans AS (
    SELECT project_no, min(start_date) AS start_date, max(end_date) AS end_date, count(*) AS headcount
    FROM seed_contracts
    GROUP BY project_no
)
SELECT
    p AS project_no,
    md5('ses-seed:project:' || p)::uuid AS id,
    1 + mod(p * 13, %(n_customers)s) AS customer_no,
    1 + mod(p * 5, %(n_staff)s) AS pm_no,
    1 + mod(p * 3 + 1, %(n_staff)s) AS sales_no,
    s.start_date,
    s.end_date,
    coalesce(s.headcount, 1 + mod(p, 3)) AS headcount,
    CASE
        WHEN s.project_no IS NULL THEN
            (ARRAY['LOST', 'OPEN', 'CANCELLED', 'PROPOSING', 'DRAFT', 'OPEN', 'PROPOSING', 'ON_HOLD'])[
                1 + mod((row_number() OVER (PARTITION BY s.project_no IS NULL ORDER BY p))::integer - 1, 8)]
        WHEN s.end_date < c.today THEN 'COMPLETED'
        WHEN s.start_date > c.today THEN 'ORDERED'
        ELSE 'ACTIVE'
    END AS status
FROM generate_series(1, %(n_projects)s) AS p
LEFT JOIN spans AS s ON p = s.project_no
CROSS JOIN seed_const AS c
"""),
    ("plan: project dates for unstaffed projects", """
UPDATE seed_projects AS sp
SET start_date = (c.this_month + make_interval(months => 1 + mod(sp.project_no, 3)))::date,
    end_date = (c.this_month + make_interval(months => 7 + mod(sp.project_no, 12)) - INTERVAL '1 day')::date
FROM seed_const AS c
WHERE sp.start_date IS NULL AND sp.status IN ('OPEN', 'PROPOSING', 'ON_HOLD')
"""),
    ("plan: customer contracts follow their project's customer", """
UPDATE seed_contracts AS sc
SET customer_no = sp.customer_no
FROM seed_projects AS sp
WHERE sc.project_no = sp.project_no
"""),
    ("plan: contract months", """
CREATE TEMP TABLE seed_contract_months ON COMMIT DROP AS
SELECT
    sc.k,
    sc.id AS contract_id,
    m.y,
    m.mo,
    m.month_start,
    m.month_end,
    md5('ses-seed:timesheet:' || sc.k || ':' || m.month_no)::uuid AS timesheet_id,
    CASE
        WHEN m.month_start = c.this_month THEN 'DRAFT'
        WHEN m.month_start = (c.this_month - INTERVAL '1 month')::date THEN
            (ARRAY['SUBMITTED', 'CLIENT_APPROVED', 'APPROVED', 'CLOSED'])[1 + mod(sc.k, 4)]
        ELSE 'CLOSED'
    END AS status
FROM seed_contracts AS sc
INNER JOIN seed_months AS m ON m.month_start BETWEEN sc.start_date AND sc.end_date
CROSS JOIN seed_const AS c
WHERE sc.status <> 'PENDING_SIGNATURE'
"""),
    ("plan: daily attendance", """
CREATE TEMP TABLE seed_days ON COMMIT DROP AS
SELECT
    cm.timesheet_id,
    cm.y,
    cm.mo,
    d::date AS work_date,
    CASE WHEN random() < 0.03 THEN 'PAID_LEAVE' ELSE 'WORK' END AS attendance_type,
    (TIME '08:45' + make_interval(mins => 15 * floor(random() * 5)::integer)) AS start_time,
    (420 + 15 * floor(random() * 9))::integer AS work_minutes
FROM seed_contract_months AS cm
CROSS JOIN seed_const AS c
CROSS JOIN LATERAL generate_series(cm.month_start, least(cm.month_end, c.today - 1), INTERVAL '1 day') AS d
WHERE extract(ISODOW FROM d) < 6
"""),
    ("plan: timesheet totals", """
CREATE TEMP TABLE seed_timesheets ON COMMIT DROP AS
SELECT
    cm.*,
    sc.engineer_id,
    sc.settlement_method,
    sc.unit_price,
    sc.partner_price,
    sc.lower_hours,
    sc.upper_hours,
    sc.deduction_rate,
    sc.overtime_rate,
    sc.employment_type,
    sc.partner_no,
    sc.partner_contract_id,
    sc.project_no,
    sc.customer_no,
    coalesce(t.days, 0)::smallint AS days,
    coalesce(t.minutes, 0)::integer AS minutes,
    round(coalesce(t.minutes, 0) / 60.0, 2) AS hours
FROM seed_contract_months AS cm
INNER JOIN seed_contracts AS sc ON cm.k = sc.k
LEFT JOIN (
    SELECT
        d.timesheet_id,
        count(*) FILTER (WHERE d.attendance_type = 'WORK') AS days,
        sum(d.work_minutes) FILTER (WHERE d.attendance_type = 'WORK') AS minutes
    FROM seed_days AS d
    GROUP BY d.timesheet_id
) AS t ON cm.timesheet_id = t.timesheet_id
"""),
    ("plan: settlement", """
CREATE TEMP TABLE seed_settlements ON COMMIT DROP AS
SELECT
    st.*,
    CASE
        WHEN st.settlement_method = 'FIXED' THEN 0
        WHEN st.settlement_method = 'MIDPOINT' THEN floor((st.hours - 160) * st.overtime_rate)
        WHEN st.hours > st.upper_hours THEN floor((st.hours - st.upper_hours) * st.overtime_rate)
        WHEN st.hours < st.lower_hours THEN -ceil((st.lower_hours - st.hours) * st.deduction_rate)
        ELSE 0
    END AS adjustment,
    CASE
        WHEN st.settlement_method = 'FIXED' THEN 0
        WHEN st.hours > st.upper_hours THEN floor((st.hours - st.upper_hours) * floor(st.partner_price / st.upper_hours / 10) * 10)
        WHEN st.hours < st.lower_hours THEN -ceil((st.lower_hours - st.hours) * floor(st.partner_price / st.lower_hours / 10) * 10)
        ELSE 0
    END AS partner_adjustment,
    st.month_end + 1 AS issue_date,
    (st.month_end + INTERVAL '1 month')::date AS customer_due_date,
    st.month_end + 30 AS partner_due_date
FROM seed_timesheets AS st
WHERE st.status = 'CLOSED'
"""),
    ("partitions for the whole window", """
SELECT ses_common.create_partitions(
    format('%%I.%%I', p.table_schema, p.table_name)::regclass,
    (SELECT window_start - 90 FROM seed_const),
    (SELECT this_month FROM seed_const)
)
FROM ses_common.partitioned_tables AS p
"""),
    # --- project_context ---------------------------------------------------
    ("project_context.projects", """
INSERT INTO project_context.projects (
    id, project_code, name, description, customer_id, customer_name, status, priority,
    start_date, end_date, budget_amount, unit_price_min, unit_price_max, required_headcount,
    requirements, contract_type, work_location, remote_policy, max_chain_depth,
    project_manager_id, sales_manager_id, ordered_at, created_at, updated_at
)
SELECT
    sp.id,
    'PJ' || lpad(sp.project_no::text, 6, '0'),
    (%(heads)s::text[])[1 + mod(sp.customer_no, cardinality(%(heads)s::text[]))]
        || (%(customer_tails)s::text[])[1 + mod(sp.customer_no / 7, cardinality(%(customer_tails)s::text[]))]
        || ' ' || (%(subjects)s::text[])[1 + mod(sp.project_no * 7, cardinality(%(subjects)s::text[]))],
    (%(subjects)s::text[])[1 + mod(sp.project_no * 7, cardinality(%(subjects)s::text[]))] || 'の開発・保守支援',
    md5('ses-seed:customer:' || sp.customer_no)::uuid,
    '株式会社' || (%(heads)s::text[])[1 + mod(sp.customer_no, cardinality(%(heads)s::text[]))]
        || (%(customer_tails)s::text[])[1 + mod(sp.customer_no / 7, cardinality(%(customer_tails)s::text[]))],
    sp.status,
    (1 + mod(sp.project_no * 3, 5))::smallint,
    sp.start_date,
    sp.end_date,
    sp.headcount * 800000 * greatest(1, (sp.end_date - sp.start_date) / 30),
    600000,
    900000 + mod(sp.project_no, 5) * 100000,
    sp.headcount,
    jsonb_build_object(
        'must', jsonb_build_array(
            jsonb_build_object('skill', (%(skill_names)s::text[])[1 + mod(sp.project_no, 30)], 'years', 2 + mod(sp.project_no, 4))
        ),
        'nice', jsonb_build_array(
            jsonb_build_object('skill', (%(skill_names)s::text[])[1 + mod(sp.project_no * 7 + 3, 30)])
        )
    ),
    CASE WHEN mod(sp.project_no, 5) = 0 THEN 'DISPATCH' ELSE 'QUASI_MANDATE' END,
    (%(stations)s::text[])[1 + mod(sp.project_no, cardinality(%(stations)s::text[]))] || '駅周辺',
    (ARRAY['ONSITE', 'HYBRID', 'REMOTE'])[1 + mod(sp.project_no, 3)],
    CASE WHEN mod(sp.project_no, 4) = 0 THEN 1 ELSE 2 END,
    md5('ses-seed:staff:' || sp.pm_no)::uuid,
    md5('ses-seed:staff:' || sp.sales_no)::uuid,
    CASE WHEN sp.status IN ('ORDERED', 'ACTIVE', 'COMPLETED') THEN sp.start_date - 30 END,
    coalesce(sp.start_date - 60, c.today - 30 - mod(sp.project_no * 37, 600))::timestamptz,
    -- lost and cancelled projects were last touched when they were dropped
    CASE WHEN sp.status IN ('LOST', 'CANCELLED')
        THEN (c.today - 10 - mod(sp.project_no * 37, 600))::timestamptz
        ELSE now()
    END
FROM seed_projects AS sp
CROSS JOIN seed_const AS c
"""),
    ("project_context.project_requirements", """
INSERT INTO project_context.project_requirements (
    project_id, requirement_type, name, is_mandatory, min_years, min_level, sort_order
)
SELECT sp.id, 'SKILL', (%(skill_names)s::text[])[1 + mod(sp.project_no, 30)], true,
    2 + mod(sp.project_no, 4), 3, 1
FROM seed_projects AS sp
UNION ALL
SELECT sp.id, 'SKILL', (%(skill_names)s::text[])[1 + mod(sp.project_no * 7 + 3, 30)], false, NULL, 2, 2
FROM seed_projects AS sp
UNION ALL
SELECT sp.id, 'DOMAIN', (ARRAY['金融業務', '製造業務', '流通業務', '公共業務'])[1 + mod(sp.project_no, 4)], false, 1, NULL, 3
FROM seed_projects AS sp
"""),
    ("project_context.project_phases", """
INSERT INTO project_context.project_phases (
    id, project_id, sequence_no, name, phase_type, status, start_date, end_date
)
SELECT
    md5('ses-seed:phase:' || sp.project_no || ':' || ph.n)::uuid,
    sp.id,
    ph.n::smallint,
    ph.name,
    ph.kind,
    CASE
        WHEN sp.status IN ('CANCELLED', 'LOST') THEN 'CANCELLED'
        WHEN sp.start_date IS NULL THEN 'PLANNED'
        WHEN sp.start_date + (sp.end_date - sp.start_date) * ph.n / 3 < c.today THEN 'COMPLETED'
        WHEN sp.start_date + (sp.end_date - sp.start_date) * (ph.n - 1) / 3 <= c.today THEN 'IN_PROGRESS'
        ELSE 'PLANNED'
    END,
    sp.start_date + (sp.end_date - sp.start_date) * (ph.n - 1) / 3,
    sp.start_date + (sp.end_date - sp.start_date) * ph.n / 3 - CASE WHEN ph.n < 3 THEN 1 ELSE 0 END
FROM seed_projects AS sp
CROSS JOIN seed_const AS c
CROSS JOIN (VALUES (1, '設計', 'DESIGN'), (2, '開発', 'DEVELOPMENT'), (3, 'テスト', 'TESTING')) AS ph (n, name, kind)
"""),
    ("project_context.project_milestones", """
INSERT INTO project_context.project_milestones (project_id, phase_id, name, due_date, status, achieved_at)
SELECT
    ph.project_id,
    ph.id,
    ph.name || '完了',
    coalesce(ph.end_date, c.this_month + 180),
    CASE
        WHEN ph.status = 'CANCELLED' THEN 'CANCELLED'
        WHEN ph.status = 'COMPLETED' THEN 'ACHIEVED'
        ELSE 'PLANNED'
    END,
    CASE WHEN ph.status = 'COMPLETED' THEN ph.end_date::timestamptz END
FROM project_context.project_phases AS ph
CROSS JOIN seed_const AS c
WHERE ph.sequence_no IN (1, 3)
"""),
    # --- engineer_context --------------------------------------------------
    ("engineer_context.engineers", """
INSERT INTO engineer_context.engineers (
    id, engineer_code, last_name, first_name, last_name_kana, first_name_kana, email, phone,
    employment_type, partner_company_id, partner_company_name, chain_depth, availability_status,
    available_from, skills, years_of_experience, desired_unit_price, minimum_unit_price,
    nearest_station, prefecture, remote_preference, invoice_registration_no, sales_manager_id,
    created_at
)
SELECT
    se.id,
    'EN' || lpad(se.e::text, 6, '0'),
    (%(surnames)s::text[])[se.sn],
    (%(given)s::text[])[se.gn],
    (%(surnames_kana)s::text[])[se.sn],
    (%(given_kana)s::text[])[se.gn],
    'engineer' || se.e || '@example.jp',
    '090-' || lpad(mod(se.e * 7, 10000)::text, 4, '0') || '-' || lpad(mod(se.e * 13, 10000)::text, 4, '0'),
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
) AS cur ON se.e = cur.e
"""),
    ("engineer_context.skill_assessments", """
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
CROSS JOIN seed_const AS c
"""),
    ("engineer_context.certifications", """
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
WHERE mod(se.e, 5) IN (0, 2)
"""),
    ("engineer_context.availability_periods", """
INSERT INTO engineer_context.availability_periods (engineer_id, available_from, available_to, availability_rate, status)
SELECT e.id, e.available_from, NULL, CASE WHEN mod(se.e, 10) = 1 THEN 0.60 ELSE 1.00 END,
    CASE WHEN mod(se.e, 4) = 0 THEN 'TENTATIVE' ELSE 'CONFIRMED' END
FROM engineer_context.engineers AS e
INNER JOIN seed_engineers AS se ON e.id = se.id
WHERE e.availability_status NOT IN ('RETIRED', 'UNAVAILABLE')
"""),
    # --- matching_context --------------------------------------------------
    ("matching_context.scoring_criteria", """
INSERT INTO matching_context.scoring_criteria (factor, weight, valid_from, description)
SELECT f, w, c.window_start, d
FROM seed_const AS c
CROSS JOIN (VALUES
    ('MUST_HAVE_SKILLS', 45, '必須スキル（欠けると除外）'),
    ('START_DATE', 15, '参画可能日'),
    ('NICE_TO_HAVE_SKILLS', 12, '尚可スキル'),
    ('LOCATION', 10, '勤務地・リモート'),
    ('RATE', 10, '単価（予算内で満点）'),
    ('EXPERIENCE_YEARS', 8, '経験年数（要件超過分は加点なし）')
) AS v (f, w, d)
"""),
    ("matching_context.matching_requests", """
INSERT INTO matching_context.matching_requests (
    id, project_id, customer_id, title, required_skills, preferred_skills, headcount, budget_min, budget_max,
    desired_start_date, start_by_date, work_location, remote_policy, max_chain_depth, contract_type,
    status, project_manager_id, sales_manager_id, completed_at, created_at
)
SELECT
    md5('ses-seed:request:' || sc.k)::uuid,
    p.id, p.customer_id, p.name || ' 要員募集',
    p.requirements -> 'must', p.requirements -> 'nice', 1, p.unit_price_min, p.unit_price_max,
    sc.start_date, sc.start_date + 14, p.work_location, p.remote_policy, p.max_chain_depth, sc.contract_type,
    'COMPLETED', p.project_manager_id, p.sales_manager_id, (sc.start_date - 20)::timestamptz,
    (sc.start_date - 45)::timestamptz
FROM seed_contracts AS sc
INNER JOIN seed_projects AS sp ON sc.project_no = sp.project_no
INNER JOIN project_context.projects AS p ON sp.id = p.id
UNION ALL
SELECT
    md5('ses-seed:open-request:' || sp.project_no)::uuid,
    p.id, p.customer_id, p.name || ' 要員募集',
    p.requirements -> 'must', p.requirements -> 'nice', p.required_headcount, p.unit_price_min, p.unit_price_max,
    p.start_date, p.start_date + 14, p.work_location, p.remote_policy, p.max_chain_depth, p.contract_type,
    CASE WHEN p.status = 'OPEN' THEN 'SEARCHING' ELSE 'PROPOSING' END,
    p.project_manager_id, p.sales_manager_id, NULL, p.created_at
FROM seed_projects AS sp
INNER JOIN project_context.projects AS p ON sp.id = p.id
WHERE sp.status IN ('OPEN', 'PROPOSING')
"""),
    ("matching_context.matching_candidates", """
INSERT INTO matching_context.matching_candidates (
    id, matching_request_id, engineer_id, status, score, score_breakdown, proposed_unit_price,
    sales_manager_id, proposed_at, created_at
)
SELECT
    md5('ses-seed:candidate:' || sc.k || ':' || n)::uuid,
    md5('ses-seed:request:' || sc.k)::uuid,
    md5('ses-seed:engineer:' || (1 + mod(sc.e - 1 + n, %(n_engineers)s)))::uuid,
    CASE n WHEN 0 THEN 'ACCEPTED' WHEN 1 THEN 'DECLINED' ELSE 'SUGGESTED' END,
    (92 - n * 9 - mod(sc.k, 7))::numeric,
    jsonb_build_object('MUST_HAVE_SKILLS', 45, 'START_DATE', 15 - n * 3, 'NICE_TO_HAVE_SKILLS', 12 - n * 2,
        'LOCATION', 10, 'RATE', 10 - n * 2, 'EXPERIENCE_YEARS', 8),
    CASE WHEN n < 2 THEN sc.unit_price END,
    md5('ses-seed:staff:' || (1 + mod(sc.k, %(n_staff)s)))::uuid,
    CASE WHEN n < 2 THEN (sc.start_date - 30)::timestamptz END,
    (sc.start_date - 40)::timestamptz
FROM seed_contracts AS sc
CROSS JOIN generate_series(0, 2) AS n
UNION ALL
SELECT
    md5('ses-seed:open-candidate:' || sp.project_no || ':' || n)::uuid,
    md5('ses-seed:open-request:' || sp.project_no)::uuid,
    md5('ses-seed:engineer:' || (1 + mod(sp.project_no * 37 + n, %(n_engineers)s)))::uuid,
    CASE WHEN n = 0 AND sp.status = 'PROPOSING' THEN 'PROPOSED' ELSE 'SUGGESTED' END,
    (85 - n * 6)::numeric,
    jsonb_build_object('MUST_HAVE_SKILLS', 45, 'START_DATE', 12, 'RATE', 10 - n),
    NULL,
    md5('ses-seed:staff:' || sp.sales_no)::uuid,
    CASE WHEN n = 0 AND sp.status = 'PROPOSING' THEN now() END,
    now() - INTERVAL '3 days'
FROM seed_projects AS sp
CROSS JOIN generate_series(0, 2) AS n
WHERE sp.status IN ('OPEN', 'PROPOSING')
"""),
    ("matching_context.matching_results", """
INSERT INTO matching_context.matching_results (
    id, matching_request_id, matching_candidate_id, project_id, engineer_id, customer_id, status,
    matching_score, agreed_unit_price, expected_start_date, decided_at, decided_by, decision_reason,
    sales_manager_id, created_at
)
SELECT
    md5('ses-seed:result:' || sc.k)::uuid,
    md5('ses-seed:request:' || sc.k)::uuid,
    md5('ses-seed:candidate:' || sc.k || ':0')::uuid,
    sp.id, sc.engineer_id, md5('ses-seed:customer:' || sp.customer_no)::uuid,
    'CONTRACTED', (92 - mod(sc.k, 7))::numeric, sc.unit_price, sc.start_date,
    (sc.start_date - 20)::timestamptz, md5('ses-seed:staff:' || sp.pm_no)::uuid, '顧客面談の結果、採用',
    md5('ses-seed:staff:' || sp.sales_no)::uuid, (sc.start_date - 25)::timestamptz
FROM seed_contracts AS sc
INNER JOIN seed_projects AS sp ON sc.project_no = sp.project_no
"""),
    # --- contract_context --------------------------------------------------
    ("contract_context.contract_templates", """
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
CROSS JOIN unnest(ARRAY['CUSTOMER', 'PARTNER']) AS s
"""),
    ("contract_context.contracts (customer side)", """
INSERT INTO contract_context.contracts (
    id, contract_number, contract_type, contract_side, project_id, engineer_id, matching_result_id,
    template_id, customer_id, counterparty_id, counterparty_name, status, start_date, end_date,
    monthly_unit_price, settlement_method, lower_hours, upper_hours, midpoint_hours,
    deduction_hourly_rate, overtime_hourly_rate, time_unit_minutes, closing_day, payment_month_offset,
    payment_day, contract_terms, project_manager_id, sales_manager_id, signed_at, terminated_at,
    termination_reason, created_at
)
SELECT
    sc.id,
    'C' || to_char(sc.start_date, 'YYYYMM') || '-' || lpad(sc.k::text, 6, '0'),
    sc.contract_type, 'CUSTOMER', sp.id, sc.engineer_id, md5('ses-seed:result:' || sc.k)::uuid,
    md5('ses-seed:template:' || sc.contract_type || ':CUSTOMER')::uuid,
    p.customer_id, p.customer_id, p.customer_name,
    sc.status, sc.start_date, sc.end_date, sc.unit_price, sc.settlement_method,
    sc.lower_hours, sc.upper_hours, CASE WHEN sc.settlement_method = 'MIDPOINT' THEN 160 END,
    CASE WHEN sc.settlement_method <> 'FIXED' THEN sc.deduction_rate END,
    CASE WHEN sc.settlement_method <> 'FIXED' THEN sc.overtime_rate END,
    15, 31, 1, 31,
    jsonb_build_object('work_place', p.work_location, 'remote', p.remote_policy,
        'settlement', jsonb_build_object('method', sc.settlement_method, 'lower', sc.lower_hours, 'upper', sc.upper_hours)),
    p.project_manager_id, p.sales_manager_id,
    CASE WHEN sc.status <> 'PENDING_SIGNATURE' THEN (sc.start_date - 10)::timestamptz END,
    CASE WHEN sc.status = 'TERMINATED' THEN sc.end_date::timestamptz END,
    CASE WHEN sc.status = 'TERMINATED' THEN '顧客都合による早期終了' END,
    (sc.start_date - 15)::timestamptz
FROM seed_contracts AS sc
INNER JOIN seed_projects AS sp ON sc.project_no = sp.project_no
INNER JOIN project_context.projects AS p ON sp.id = p.id
"""),
    ("contract_context.contracts (partner side)", """
INSERT INTO contract_context.contracts (
    id, contract_number, contract_type, contract_side, project_id, engineer_id, template_id,
    upstream_contract_id, customer_id, counterparty_id, counterparty_name, status, start_date, end_date,
    monthly_unit_price, settlement_method, lower_hours, upper_hours, midpoint_hours,
    deduction_hourly_rate, overtime_hourly_rate, time_unit_minutes, closing_day, payment_month_offset,
    payment_day, is_protected_subcontract, contract_terms, project_manager_id, sales_manager_id, signed_at,
    terminated_at, termination_reason, created_at
)
SELECT
    sc.partner_contract_id,
    'P' || to_char(sc.start_date, 'YYYYMM') || '-' || lpad(sc.k::text, 6, '0'),
    sc.contract_type, 'PARTNER', c.project_id, sc.engineer_id,
    md5('ses-seed:template:' || sc.contract_type || ':PARTNER')::uuid,
    c.id, c.customer_id,
    CASE WHEN e.employment_type = 'PARTNER' THEN e.partner_company_id ELSE e.id END,
    CASE WHEN e.employment_type = 'PARTNER' THEN e.partner_company_name ELSE e.last_name || ' ' || e.first_name END,
    c.status, c.start_date, c.end_date, sc.partner_price,
    CASE WHEN sc.settlement_method = 'MIDPOINT' THEN 'UPPER_LOWER' ELSE sc.settlement_method END,
    sc.lower_hours, sc.upper_hours, NULL,
    CASE WHEN sc.settlement_method <> 'FIXED' THEN floor(sc.partner_price / sc.lower_hours / 10) * 10 END,
    CASE WHEN sc.settlement_method <> 'FIXED' THEN floor(sc.partner_price / sc.upper_hours / 10) * 10 END,
    15, 31, 1, 31,
    e.employment_type = 'FREELANCE' OR mod(sc.partner_no, 2) = 0,
    jsonb_build_object('upstream_contract', c.contract_number),
    c.project_manager_id, c.sales_manager_id, c.signed_at, c.terminated_at, c.termination_reason, c.created_at
FROM seed_contracts AS sc
INNER JOIN contract_context.contracts AS c ON sc.id = c.id
INNER JOIN engineer_context.engineers AS e ON sc.engineer_id = e.id
WHERE sc.employment_type IN ('PARTNER', 'FREELANCE')
"""),
    ("contract_context.contract_signatures", """
INSERT INTO contract_context.contract_signatures (
    contract_id, signer_party, signer_name, signature_method, status, provider, provider_document_id,
    document_sha256, requested_at, signed_at
)
SELECT
    c.id, party, CASE party WHEN 'COMPANY' THEN %(our_company)s ELSE c.counterparty_name END,
    'ELECTRONIC',
    CASE WHEN c.signed_at IS NULL THEN 'REQUESTED' ELSE 'SIGNED' END,
    'クラウドサイン', 'DOC-' || c.contract_number,
    encode(sha256(convert_to(c.contract_number, 'UTF8')), 'hex'),
    c.created_at,
    c.signed_at
FROM contract_context.contracts AS c
CROSS JOIN unnest(ARRAY['COMPANY', 'COUNTERPARTY']) AS party
"""),
    ("contract_context.contract_amendments", """
INSERT INTO contract_context.contract_amendments (
    contract_id, amendment_number, amendment_type, effective_date, changes, reason, status,
    requested_by, approved_by, approved_at, applied_at
)
SELECT
    c.id, 1, 'PERIOD_EXTENSION', c.end_date - 90,
    jsonb_build_object('end_date', jsonb_build_object('from', c.end_date - 90, 'to', c.end_date)),
    '顧客からの延長依頼', 'APPLIED', c.sales_manager_id, c.project_manager_id,
    (c.end_date - 100)::timestamptz, (c.end_date - 95)::timestamptz
FROM (
    SELECT x.*, row_number() OVER (ORDER BY x.contract_number) AS rn
    FROM contract_context.contracts AS x
    WHERE x.contract_side = 'CUSTOMER' AND x.end_date - x.start_date > 180
) AS c
WHERE mod(c.rn, 10) = 1
"""),
    # --- timesheet_context -------------------------------------------------
    ("timesheet_context.timesheets", """
INSERT INTO timesheet_context.timesheets (
    id, period_year, period_month, contract_id, engineer_id, project_id, customer_id, status,
    working_days, total_work_minutes, billable_hours, overtime_hours, shortage_hours, out_of_range,
    work_summary, submitted_at, client_approved_at, client_approved_by, approved_at, approved_by,
    closed_at, created_at
)
SELECT
    st.timesheet_id, st.y, st.mo, st.contract_id, st.engineer_id, sp.id,
    md5('ses-seed:customer:' || sp.customer_no)::uuid,
    st.status, st.days, st.minutes, st.hours,
    CASE WHEN st.settlement_method <> 'FIXED' THEN greatest(0, st.hours - st.upper_hours) ELSE 0 END,
    CASE WHEN st.settlement_method <> 'FIXED' AND st.status <> 'DRAFT' THEN greatest(0, st.lower_hours - st.hours) ELSE 0 END,
    st.status <> 'DRAFT' AND st.settlement_method <> 'FIXED'
        AND (st.hours > st.upper_hours OR st.hours < st.lower_hours),
    jsonb_build_object('tasks', jsonb_build_array((%(subjects)s::text[])[1 + mod(st.project_no * 7, cardinality(%(subjects)s::text[]))]),
        'working_days', st.days, 'billable_hours', st.hours, 'remote_days', mod(st.k, 5) * st.days / 5),
    CASE WHEN st.status <> 'DRAFT' THEN (st.month_end + 1)::timestamptz END,
    CASE WHEN st.status IN ('CLIENT_APPROVED', 'APPROVED', 'CLOSED') THEN (st.month_end + 3)::timestamptz END,
    CASE WHEN st.status IN ('CLIENT_APPROVED', 'APPROVED', 'CLOSED') THEN md5('ses-seed:client-user:' || sp.customer_no)::uuid END,
    CASE WHEN st.status IN ('APPROVED', 'CLOSED') THEN (st.month_end + 4)::timestamptz END,
    CASE WHEN st.status IN ('APPROVED', 'CLOSED') THEN md5('ses-seed:staff:' || sp.pm_no)::uuid END,
    CASE WHEN st.status = 'CLOSED' THEN (st.month_end + 5)::timestamptz END,
    st.month_start::timestamptz
FROM seed_timesheets AS st
INNER JOIN seed_projects AS sp ON st.project_no = sp.project_no
"""),
    ("timesheet_context.daily_attendances", """
INSERT INTO timesheet_context.daily_attendances (
    timesheet_id, period_year, period_month, engineer_id, work_date, attendance_type, start_time, end_time,
    break_minutes, work_minutes, billable_minutes, created_at
)
SELECT
    d.timesheet_id, d.y, d.mo, st.engineer_id, d.work_date, d.attendance_type,
    CASE WHEN d.attendance_type = 'WORK' THEN d.start_time END,
    CASE WHEN d.attendance_type = 'WORK' THEN d.start_time + make_interval(mins => d.work_minutes + 60) END,
    CASE WHEN d.attendance_type = 'WORK' THEN 60 ELSE 0 END,
    CASE WHEN d.attendance_type = 'WORK' THEN d.work_minutes ELSE 0 END,
    CASE WHEN d.attendance_type = 'WORK' THEN d.work_minutes ELSE 0 END,
    (d.work_date + TIME '19:00')::timestamptz
FROM seed_days AS d
INNER JOIN seed_timesheets AS st ON d.timesheet_id = st.timesheet_id
"""),
    ("timesheet_context.timesheet_approval_steps", """
INSERT INTO timesheet_context.timesheet_approval_steps (
    timesheet_id, period_year, period_month, step_no, action, from_status, to_status, actor_type,
    actor_id, acted_at
)
SELECT
    t.id, t.period_year, t.period_month, s.n, s.action, s.from_status, s.to_status, s.actor_type,
    CASE s.actor_type WHEN 'ENGINEER' THEN t.engineer_id WHEN 'CUSTOMER' THEN t.client_approved_by
        ELSE t.approved_by END,
    s.at
FROM timesheet_context.timesheets AS t
CROSS JOIN LATERAL (VALUES
    (1::smallint, 'SUBMIT', 'DRAFT', 'SUBMITTED', 'ENGINEER', t.submitted_at),
    (2::smallint, 'CLIENT_APPROVE', 'SUBMITTED', 'CLIENT_APPROVED', 'CUSTOMER', t.client_approved_at),
    (3::smallint, 'APPROVE', 'CLIENT_APPROVED', 'APPROVED', 'PROJECT_MANAGER', t.approved_at),
    (4::smallint, 'CLOSE', 'APPROVED', 'CLOSED', 'FINANCE', t.closed_at)
) AS s (n, action, from_status, to_status, actor_type, at)
WHERE s.at IS NOT NULL
"""),
    ("timesheet_context.timesheet_adjustments", """
INSERT INTO timesheet_context.timesheet_adjustments (
    timesheet_id, period_year, period_month, adjustment_type, delta_minutes, delta_amount, reason, status,
    applies_to_year, applies_to_month, requested_by, approved_by, approved_at
)
SELECT
    t.id, t.period_year, t.period_month,
    CASE WHEN mod(abs(hashtext(t.id::text)), 2) = 0 THEN 'HOURS' ELSE 'EXPENSE' END,
    CASE WHEN mod(abs(hashtext(t.id::text)), 2) = 0 THEN 60 ELSE 0 END,
    CASE WHEN mod(abs(hashtext(t.id::text)), 2) = 0 THEN 0 ELSE 3200 END,
    CASE WHEN mod(abs(hashtext(t.id::text)), 2) = 0 THEN '打刻漏れの修正' ELSE '客先出張の交通費' END,
    'APPLIED', NULL, NULL, t.engineer_id, t.approved_by, t.closed_at
FROM (
    SELECT x.*, row_number() OVER (ORDER BY x.id) AS rn
    FROM timesheet_context.timesheets AS x
    WHERE x.status = 'CLOSED'
) AS t
WHERE mod(t.rn, 50) = 1
"""),
    # --- billing_context ---------------------------------------------------
    ("billing_context.payee_accounts", """
INSERT INTO billing_context.payee_accounts (
    id, owner_type, partner_company_id, engineer_id, bank_code, branch_code, bank_name, branch_name,
    account_type, account_number, account_holder_kana, account_holder_name, status, verified_at
)
SELECT
    md5('ses-seed:payee:partner:' || pn)::uuid, 'PARTNER_COMPANY', md5('ses-seed:partner:' || pn)::uuid, NULL,
    (%(bank_codes)s::text[])[b], (%(branch_codes)s::text[])[b],
    (%(bank_names)s::text[])[b], (%(branch_names)s::text[])[b],
    CASE WHEN mod(pn, 7) = 0 THEN 2 ELSE 1 END,
    lpad(mod(pn * 7919 + 1234567, 10000000)::text, 7, '0'),
    left('ｶ)' || (%(heads_kana)s::text[])[1 + mod(pn * 3, cardinality(%(heads_kana)s::text[]))]
        || (%(partner_tails_kana)s::text[])[1 + mod(pn, cardinality(%(partner_tails_kana)s::text[]))], 30),
    '株式会社' || (%(heads)s::text[])[1 + mod(pn * 3, cardinality(%(heads)s::text[]))]
        || (%(partner_tails)s::text[])[1 + mod(pn, cardinality(%(partner_tails)s::text[]))],
    'ACTIVE', now() - INTERVAL '200 days'
FROM generate_series(1, %(n_partners)s) AS pn
CROSS JOIN LATERAL (SELECT 1 + mod(pn * 5, cardinality(%(bank_codes)s::text[])) AS b) AS bb
UNION ALL
SELECT
    md5('ses-seed:payee:engineer:' || se.e)::uuid, 'ENGINEER', NULL, se.id,
    (%(bank_codes)s::text[])[b], (%(branch_codes)s::text[])[b],
    (%(bank_names)s::text[])[b], (%(branch_names)s::text[])[b],
    1, lpad(mod(se.e * 104729 + 7654321, 10000000)::text, 7, '0'),
    left((%(surnames_zkana)s::text[])[se.sn] || ' ' || (%(given_zkana)s::text[])[se.gn], 30),
    (%(surnames)s::text[])[se.sn] || ' ' || (%(given)s::text[])[se.gn],
    'ACTIVE', now() - INTERVAL '100 days'
FROM seed_engineers AS se
CROSS JOIN LATERAL (SELECT 1 + mod(se.e * 3, cardinality(%(bank_codes)s::text[])) AS b) AS bb
WHERE se.employment_type = 'FREELANCE'
"""),
    ("plan: invoices", """
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
    false AS is_protected
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
WHERE ss.employment_type IN ('PARTNER', 'FREELANCE')
"""),
    ("plan: invoice status", """
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
CROSS JOIN seed_const AS c
"""),
    ("billing_context.invoices", """
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
INNER JOIN project_context.projects AS p ON sp.id = p.id
"""),
    ("billing_context.invoice_billing_items", """
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
WHERE i.adjustment <> 0 AND i.rate > 0
"""),
    ("billing_context.invoice_tax_summaries", """
INSERT INTO billing_context.invoice_tax_summaries (invoice_id, invoice_year, tax_rate, taxable_amount, tax_amount)
SELECT i.id, i.y, 0.100, i.subtotal, i.tax
FROM seed_invoices AS i
"""),
    ("billing_context.invoice_payments", """
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
WHERE i.paid_amount > 0
"""),
    ("billing_context.accounting_entries", """
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
INNER JOIN billing_context.invoices AS i ON pm.invoice_id = i.id AND pm.invoice_year = i.invoice_year
"""),
    ("billing_context.accounting_entry_lines", """
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
WHERE l.applies
"""),
    # --- report_context ----------------------------------------------------
    ("report_context.analytics_data", """
INSERT INTO report_context.analytics_data (
    target_year, target_date, category, metric_key, granularity, dimensions, metrics, source_context,
    source_event, calculated_at
)
SELECT m.y, m.month_start, 'SALES', 'sales.revenue', 'MONTH', '{}'::jsonb,
    jsonb_build_object('invoices', count(i.id), 'subtotal', coalesce(sum(i.subtotal_amount), 0),
        'total', coalesce(sum(i.total_amount), 0)),
    'billing_context', 'InvoiceIssued', (m.month_end + 6)::timestamptz
FROM seed_months AS m
LEFT JOIN billing_context.invoices AS i
    ON i.invoice_year = m.y AND i.invoice_month = m.mo AND i.direction = 'RECEIVABLE'
GROUP BY m.y, m.mo, m.month_start, m.month_end
UNION ALL
SELECT m.y, m.month_start, 'UTILIZATION', 'engineers.utilization', 'MONTH', '{}'::jsonb,
    jsonb_build_object('assigned', count(DISTINCT t.engineer_id), 'engineers', %(n_engineers)s,
        'rate', round(100.0 * count(DISTINCT t.engineer_id) / %(n_engineers)s, 2)),
    'timesheet_context', 'TimesheetSubmitted', (m.month_end + 6)::timestamptz
FROM seed_months AS m
LEFT JOIN timesheet_context.timesheets AS t ON t.period_year = m.y AND t.period_month = m.mo
GROUP BY m.y, m.mo, m.month_start, m.month_end
UNION ALL
SELECT m.y, m.month_start, 'TIMESHEET', 'timesheets.hours', 'MONTH', '{}'::jsonb,
    jsonb_build_object('timesheets', count(t.id), 'billable_hours', coalesce(sum(t.billable_hours), 0),
        'out_of_range', count(t.id) FILTER (WHERE t.out_of_range)),
    'timesheet_context', 'TimesheetSubmitted', (m.month_end + 6)::timestamptz
FROM seed_months AS m
LEFT JOIN timesheet_context.timesheets AS t ON t.period_year = m.y AND t.period_month = m.mo
GROUP BY m.y, m.mo, m.month_start, m.month_end
"""),
    ("report_context.kpi_definitions", """
INSERT INTO report_context.kpi_definitions (
    id, kpi_code, name, description, category, unit, aggregation, direction, calculation, target_value
)
VALUES
    (md5('ses-seed:kpi:MONTHLY_REVENUE')::uuid, 'MONTHLY_REVENUE', '月次売上', '発行済み請求書の税抜合計',
        'SALES', 'JPY', 'SUM', 'HIGHER_IS_BETTER', '{"metric_key": "sales.revenue", "field": "subtotal"}', NULL),
    (md5('ses-seed:kpi:UTILIZATION_RATE')::uuid, 'UTILIZATION_RATE', '稼働率', '稼働中技術者 / 全技術者',
        'UTILIZATION', 'PERCENT', 'LAST', 'HIGHER_IS_BETTER', '{"metric_key": "engineers.utilization", "field": "rate"}', 85),
    (md5('ses-seed:kpi:BILLABLE_HOURS')::uuid, 'BILLABLE_HOURS', '請求対象時間', '月間の請求対象時間合計',
        'TIMESHEET', 'HOURS', 'SUM', 'HIGHER_IS_BETTER', '{"metric_key": "timesheets.hours", "field": "billable_hours"}', NULL)
"""),
    ("report_context.kpi_values", """
INSERT INTO report_context.kpi_values (
    kpi_definition_id, period_type, period_start, period_end, value, target_value, status, calculated_at
)
SELECT k.id, 'MONTH', a.target_date, (a.target_date + INTERVAL '1 month' - INTERVAL '1 day')::date,
    (a.metrics ->> (k.calculation ->> 'field'))::numeric, k.target_value,
    CASE WHEN a.target_date < (SELECT this_month FROM seed_const) THEN 'FINAL' ELSE 'PROVISIONAL' END,
    a.calculated_at
FROM report_context.analytics_data AS a
INNER JOIN report_context.kpi_definitions AS k ON a.metric_key = k.calculation ->> 'metric_key'
"""),
    ("report_context.dashboards", """
INSERT INTO report_context.dashboards (id, name, description, owner_id, visibility, shared_roles, layout, is_default,
    refresh_interval_seconds)
VALUES
    (md5('ses-seed:dashboard:1')::uuid, '経営ダッシュボード', '売上・稼働率・未入金', md5('ses-seed:staff:1')::uuid,
        'ROLE', ARRAY['ses_admin_role', 'ses_finance_role'], '{"columns": 12}', true, 300),
    (md5('ses-seed:dashboard:2')::uuid, '営業ダッシュボード', '案件と提案状況', md5('ses-seed:staff:2')::uuid,
        'PUBLIC', '{}', '{"columns": 12}', false, 600),
    (md5('ses-seed:dashboard:3')::uuid, '自分の工数', NULL, md5('ses-seed:staff:3')::uuid,
        'PRIVATE', '{}', '{"columns": 6}', false, NULL)
"""),
    ("report_context.dashboard_widgets", """
INSERT INTO report_context.dashboard_widgets (
    dashboard_id, kpi_definition_id, widget_type, title, data_source, query_params, position_x, position_y, width, height
)
SELECT md5('ses-seed:dashboard:' || d)::uuid, k.id, w.kind, k.name, 'report_context.kpi_values',
    jsonb_build_object('months', 12), (w.n - 1) * 4, (d - 1) * 3, 4, 3
FROM generate_series(1, 3) AS d
CROSS JOIN (VALUES (1, 'KPI_CARD'), (2, 'LINE_CHART'), (3, 'BAR_CHART')) AS w (n, kind)
INNER JOIN report_context.kpi_definitions AS k
    ON k.kpi_code = (ARRAY['MONTHLY_REVENUE', 'UTILIZATION_RATE', 'BILLABLE_HOURS'])[w.n]
"""),
    ("report_context.report_templates", """
INSERT INTO report_context.report_templates (id, template_code, name, report_type, output_format, parameters_schema)
VALUES
    (md5('ses-seed:report:MONTHLY_REVENUE')::uuid, 'MONTHLY_REVENUE', '月次売上レポート', 'MONTHLY_REVENUE', 'PDF',
        '{"required": ["year", "month"]}'),
    (md5('ses-seed:report:UTILIZATION')::uuid, 'UTILIZATION', '稼働状況レポート', 'UTILIZATION', 'XLSX', '{}'),
    (md5('ses-seed:report:CONTRACT_EXPIRY')::uuid, 'CONTRACT_EXPIRY', '契約満了予定一覧', 'CONTRACT_EXPIRY', 'CSV', '{}')
"""),
    ("report_context.generated_reports", """
INSERT INTO report_context.generated_reports (
    report_template_id, requested_by, parameters, period_start, period_end, status, started_at, completed_at,
    file_uri, file_size_bytes, file_sha256, expires_at, created_at
)
SELECT md5('ses-seed:report:MONTHLY_REVENUE')::uuid, md5('ses-seed:staff:1')::uuid,
    jsonb_build_object('year', m.y, 'month', m.mo), m.month_start, m.month_end, 'COMPLETED',
    (m.month_end + 7)::timestamptz, (m.month_end + 7)::timestamptz + INTERVAL '42 seconds',
    's3://bbase-reports/monthly-revenue/' || to_char(m.month_start, 'YYYY-MM') || '.pdf',
    180000 + m.month_no * 100, encode(sha256(convert_to(m.month_start::text, 'UTF8')), 'hex'),
    (m.month_end + 400)::timestamptz, (m.month_end + 7)::timestamptz
FROM seed_months AS m
WHERE m.month_start < (SELECT this_month FROM seed_const)
"""),
    # --- notification_context ----------------------------------------------
    ("notification_context.notification_channels", """
INSERT INTO notification_context.notification_channels (id, channel_type, name, config, is_active, rate_limit_per_minute)
VALUES
    (md5('ses-seed:channel:EMAIL')::uuid, 'EMAIL', 'メール', '{"from": "noreply@example.jp"}', true, 600),
    (md5('ses-seed:channel:IN_APP')::uuid, 'IN_APP', 'アプリ内通知', '{}', true, NULL),
    (md5('ses-seed:channel:SLACK')::uuid, 'SLACK', 'Slack #ses-ops', '{"channel": "#ses-ops"}', true, 60)
"""),
    ("notification_context.notification_templates", """
INSERT INTO notification_context.notification_templates (
    id, template_code, notification_type, channel_type, subject_template, body_template
)
SELECT md5('ses-seed:ntemplate:' || t.code)::uuid, t.code, t.code, 'EMAIL', t.subject, t.body
FROM (VALUES
    ('CONTRACT_SIGNED', '契約締結のお知らせ: {{contract_number}}', '{{counterparty_name}} との契約が締結されました。'),
    ('TIMESHEET_SUBMITTED', '工数表提出: {{engineer_name}} {{period}}', '{{engineer_name}} さんが {{period}} の工数表を提出しました。'),
    ('INVOICE_ISSUED', '請求書発行: {{invoice_number}}', '{{recipient_name}} 宛の請求書を発行しました。'),
    ('PROJECT_ORDERED', '案件受注: {{project_name}}', '{{project_name}} を受注しました。')
) AS t (code, subject, body)
"""),
    ("notification_context.notification_rules", """
INSERT INTO notification_context.notification_rules (
    name, event_type, notification_type, template_id, channel_id, recipient_selector, priority_level
)
SELECT r.name, r.event, r.code, md5('ses-seed:ntemplate:' || r.code)::uuid, md5('ses-seed:channel:EMAIL')::uuid,
    jsonb_build_object('role', r.role), r.priority
FROM (VALUES
    ('契約締結を営業担当へ', 'ContractSigned', 'CONTRACT_SIGNED', 'sales_manager', 3),
    ('工数表提出をPMへ', 'TimesheetSubmitted', 'TIMESHEET_SUBMITTED', 'project_manager', 2),
    ('請求書発行を経理へ', 'InvoiceIssued', 'INVOICE_ISSUED', 'finance', 3),
    ('案件受注を全員へ', 'ProjectOrdered', 'PROJECT_ORDERED', 'all', 4)
) AS r (name, event, code, role, priority)
"""),
    ("notification_context.notifications", """
INSERT INTO notification_context.notifications (
    id, created_at, notification_type, source_context, source_entity, source_id, template_id, title, body,
    payload, recipient_users, status, priority_level, dedup_key, sent_at
)
SELECT
    md5('ses-seed:notification:' || ev.kind || ':' || ev.source_id)::uuid,
    ev.at, ev.kind, ev.ctx, ev.entity, ev.source_id, md5('ses-seed:ntemplate:' || ev.kind)::uuid,
    ev.title, NULL, ev.payload, jsonb_build_array(ev.recipient),
    CASE
        WHEN ev.at > now() - INTERVAL '2 days' THEN (ARRAY['PENDING', 'QUEUED', 'PENDING', 'FAILED'])[1 + mod(abs(hashtext(ev.source_id::text)), 4)]
        WHEN mod(abs(hashtext(ev.source_id::text)), 200) = 0 THEN 'FAILED'
        ELSE 'SENT'
    END,
    ev.priority,
    ev.kind || ':' || ev.source_id,
    CASE WHEN ev.at <= now() - INTERVAL '2 days' AND mod(abs(hashtext(ev.source_id::text)), 200) <> 0
        THEN ev.at + INTERVAL '1 minute' END
FROM (
    SELECT 'CONTRACT_SIGNED' AS kind, 'contract_context' AS ctx, 'contracts' AS entity, c.id AS source_id,
        c.signed_at AS at, '契約締結: ' || c.contract_number AS title,
        jsonb_build_object('contract_number', c.contract_number, 'counterparty_name', c.counterparty_name) AS payload,
        c.sales_manager_id AS recipient, 3::smallint AS priority
    FROM contract_context.contracts AS c WHERE c.signed_at IS NOT NULL
    UNION ALL
    SELECT 'TIMESHEET_SUBMITTED', 'timesheet_context', 'timesheets', t.id, t.submitted_at,
        '工数表提出: ' || t.period_year || '年' || t.period_month || '月',
        jsonb_build_object('period', t.period_year || '-' || t.period_month, 'engineer_id', t.engineer_id),
        coalesce(t.approved_by, md5('ses-seed:staff:1')::uuid), (1 + mod(abs(hashtext(t.id::text)), 5))::smallint
    FROM timesheet_context.timesheets AS t WHERE t.submitted_at IS NOT NULL
    UNION ALL
    SELECT 'INVOICE_ISSUED', 'billing_context', 'invoices', i.id, i.sent_at, '請求書発行: ' || i.invoice_number,
        jsonb_build_object('invoice_number', i.invoice_number, 'recipient_name', i.recipient_name),
        i.sales_manager_id, 3::smallint
    FROM billing_context.invoices AS i WHERE i.sent_at IS NOT NULL AND i.direction = 'RECEIVABLE'
) AS ev
WHERE ev.at <= now() AND ev.recipient IS NOT NULL
"""),
    ("notification_context.notification_deliveries", """
INSERT INTO notification_context.notification_deliveries (
    notification_id, notification_created_at, channel_id, recipient_user_id, recipient_address, status,
    attempt_count, last_attempt_at, delivered_at, read_at, error_code, error_message, created_at
)
SELECT
    n.id, n.created_at, md5('ses-seed:channel:EMAIL')::uuid, (n.recipient_users ->> 0)::uuid,
    'staff-' || left((n.recipient_users ->> 0), 8) || '@example.jp',
    CASE n.status WHEN 'SENT' THEN 'DELIVERED' WHEN 'FAILED' THEN 'FAILED' ELSE 'PENDING' END,
    CASE n.status WHEN 'SENT' THEN 1 WHEN 'FAILED' THEN 3 ELSE 0 END,
    CASE WHEN n.status IN ('SENT', 'FAILED') THEN n.created_at + INTERVAL '1 minute' END,
    CASE WHEN n.status = 'SENT' THEN n.sent_at END,
    NULL,
    CASE WHEN n.status = 'FAILED' THEN '550' END,
    CASE WHEN n.status = 'FAILED' THEN 'mailbox unavailable' END,
    n.created_at
FROM notification_context.notifications AS n
"""),
    ("notification_context.notification_subscriptions", """
INSERT INTO notification_context.notification_subscriptions (user_id, notification_type, channel_id, digest)
SELECT md5('ses-seed:staff:' || s)::uuid, t.code, md5('ses-seed:channel:' || ch)::uuid,
    CASE WHEN ch = 'EMAIL' AND mod(s, 3) = 0 THEN 'DAILY' ELSE 'IMMEDIATE' END
FROM generate_series(1, %(n_staff)s) AS s
CROSS JOIN (VALUES ('CONTRACT_SIGNED'), ('TIMESHEET_SUBMITTED'), ('INVOICE_ISSUED'), ('PROJECT_ORDERED')) AS t (code)
CROSS JOIN unnest(ARRAY['EMAIL', 'IN_APP']) AS ch
"""),
]


_TEMP_TABLE = re.compile(r"\s*CREATE TEMP TABLE (\w+)")


def ses_tables(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """Every (schema, table) of the eight contexts, partitioned parents, no partitions."""
    return [tuple(r) for r in conn.execute(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = ANY(%s) AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
        "ORDER BY 1, 2", (list(CONTEXTS),)).fetchall()]


def seed(conn: psycopg.Connection, scale: float = 1.0, seed: float = 0.42, years: int = 5,
         replace: bool = False, progress: Callable[[str], object] | None = None) -> dict[str, int]:
    """Fill every SES context in one transaction; return row counts per table.

    Refuses when an SES table already holds rows, unless ``replace`` (then they are
    truncated first, in the same transaction).
    """
    sizes = Sizes.for_scale(scale, years)
    params = _params(sizes, seed)
    say = progress or (lambda _msg: None)
    tables = ses_tables(conn)
    missing = sorted(set(CONTEXTS) - {s for s, _ in tables})
    if missing:
        raise RuntimeError(f"SES schemas missing: {', '.join(missing)}; run bbase migrate first")
    with conn.transaction():
        occupied = [f"{s}.{t}" for s, t in tables if conn.execute(
            sql.SQL("SELECT EXISTS (SELECT FROM {}.{})").format(
                sql.Identifier(s), sql.Identifier(t))).fetchone()[0]]
        if occupied and not replace:
            raise RuntimeError(
                f"{len(occupied)} SES table(s) already hold rows (e.g. {occupied[0]}); "
                "use --replace to empty them first")
        if occupied:
            conn.execute(sql.SQL("TRUNCATE {} CASCADE").format(sql.SQL(", ").join(
                sql.Identifier(s, t) for s, t in tables)))
        # The per-row reference checks cost a dynamic lookup per reference (across every
        # partition for a timesheet id): far too slow for millions of rows. They are
        # switched off for this transaction only, and the same rule is checked
        # set-based once everything is in (verify_references); any orphan aborts.
        checks = _reference_triggers(conn)
        for schema, table, trigger in checks:
            conn.execute(sql.SQL("ALTER TABLE {}.{} DISABLE TRIGGER {}").format(
                sql.Identifier(schema), sql.Identifier(table), sql.Identifier(trigger)))
        # Foreign keys that reference a partitioned table (children of timesheets,
        # invoices, notifications) check each row with a generic plan that locks every
        # partition: minutes for a million attendance rows. They are dropped for the
        # load and added back before commit, which validates them in one pass (as
        # pg_restore does); a violation aborts the whole seed.
        foreign_keys = _partitioned_foreign_keys(conn)
        for schema, table, name, _definition, _comment in foreign_keys:
            conn.execute(sql.SQL("ALTER TABLE {}.{} DROP CONSTRAINT {}").format(
                sql.Identifier(schema), sql.Identifier(table), sql.Identifier(name)))
        # Generation queries are large one-off statements: JIT compilation only adds latency.
        conn.execute("SET LOCAL jit = off")
        conn.execute("SELECT setseed(%(seed)s)", params)
        say(f"seed: {sizes.engineers:,} engineers, {sizes.projects:,} projects, "
            f"{sizes.contracts:,} customer contracts over {sizes.months} months")
        for label, statement in PLAN:
            started = _now(conn)
            cur = conn.execute(statement, params)  # type: ignore[arg-type]
            created = _TEMP_TABLE.match(statement)
            if created:  # temporary tables have no statistics until analysed
                conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(created.group(1))))
            say(f"  {label}: {max(cur.rowcount, 0):,} rows ({_now(conn) - started:.1f} s)")
        # Deferred constraint triggers (e.g. balanced journal entries) run now, so the
        # tables have no pending trigger events when their keys and checks are put back;
        # afterwards they are deferred again, as they were.
        deferred = [sql.Identifier(n, c) for n, c in conn.execute(
            "SELECT n.nspname, k.conname FROM pg_constraint k "
            "JOIN pg_namespace n ON n.oid = k.connamespace "
            "WHERE k.condeferred AND n.nspname = ANY(%s)", (list(CONTEXTS),)).fetchall()]
        if deferred:
            conn.execute(sql.SQL("SET CONSTRAINTS {} IMMEDIATE").format(
                sql.SQL(", ").join(deferred)))
        for schema, table, name, definition, comment in foreign_keys:
            say(f"  validating {schema}.{table} {name}")
            conn.execute(sql.SQL("ALTER TABLE {}.{} ADD CONSTRAINT {} {}").format(
                sql.Identifier(schema), sql.Identifier(table), sql.Identifier(name),
                sql.SQL(definition)))  # type: ignore[arg-type]
            if comment is not None:
                conn.execute(sql.SQL("COMMENT ON CONSTRAINT {} ON {}.{} IS {}").format(
                    sql.Identifier(name), sql.Identifier(schema), sql.Identifier(table),
                    sql.Literal(comment)))
        for schema, table, trigger in checks:
            conn.execute(sql.SQL("ALTER TABLE {}.{} ENABLE TRIGGER {}").format(
                sql.Identifier(schema), sql.Identifier(table), sql.Identifier(trigger)))
        if deferred:
            conn.execute(sql.SQL("SET CONSTRAINTS {} DEFERRED").format(
                sql.SQL(", ").join(deferred)))
        orphans = verify_references(conn)
        if orphans:
            raise RuntimeError(f"generated data has dangling references: {orphans}")
        say("  every cross-context reference resolves")
        # Bulk inserts leave GIN entries in the indexes' pending lists, which the planner
        # prices as a scan of the whole list (it then prefers a seq scan); VACUUM or
        # autoanalyze would merge them later, this does it now.
        conn.execute(
            "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'gin' AND c.relkind = 'i' AND n.nspname = ANY(%s)", (list(CONTEXTS),))
        for (name,) in conn.execute(
                "SELECT relname FROM pg_class WHERE relnamespace = pg_my_temp_schema() "
                "AND relkind = 'r' AND relname LIKE 'seed%%'").fetchall():
            conn.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(name)))
        counts = {f"{s}.{t}": conn.execute(sql.SQL("SELECT count(*) FROM {}.{}").format(
            sql.Identifier(s), sql.Identifier(t))).fetchone()[0] for s, t in tables}
    conn.execute("ANALYZE")
    return counts


def vacuum_analyze(conn: psycopg.Connection) -> None:
    """VACUUM (ANALYZE) every SES table after a load (needs an autocommit connection).

    Sets the visibility map (index-only scans) and fresh statistics, so the first
    queries after a seed plan as they will later.
    """
    for schema, table in ses_tables(conn):
        conn.execute(sql.SQL("VACUUM (ANALYZE) {}.{}").format(
            sql.Identifier(schema), sql.Identifier(table)))


def _reference_triggers(conn: psycopg.Connection) -> list[tuple[str, str, str]]:
    """The tg_<table>__check_references triggers on the SES tables (not their partition clones)."""
    return [tuple(r) for r in conn.execute(
        "SELECT n.nspname, c.relname, t.tgname FROM pg_trigger t "
        "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = ANY(%s) AND NOT c.relispartition AND NOT t.tgisinternal "
        "AND t.tgname LIKE 'tg\\_%%\\_\\_check\\_references' ORDER BY 1, 2",
        (list(CONTEXTS),)).fetchall()]


def _partitioned_foreign_keys(conn: psycopg.Connection) -> list[tuple]:
    """(schema, table, name, definition, comment) of SES foreign keys to a partitioned table."""
    return [tuple(r) for r in conn.execute(
        "SELECT n.nspname, c.relname, k.conname, pg_get_constraintdef(k.oid), "
        "obj_description(k.oid, 'pg_constraint') "
        "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_class r ON r.oid = k.confrelid "
        "WHERE k.contype = 'f' AND k.conparentid = 0 AND r.relkind = 'p' AND NOT c.relispartition "
        "AND n.nspname = ANY(%s) ORDER BY 1, 2, 3", (list(CONTEXTS),)).fetchall()]


def verify_references(conn: psycopg.Connection) -> dict[str, int]:
    """Rows whose cross-context reference names no live row, per declared reference.

    The set-based form of tg_check_references: for each row of
    ses_common.cross_context_references, count the live source rows with a
    non-NULL reference that no live target row has. Returns only non-zero counts.
    """
    out: dict[str, int] = {}
    refs = conn.execute(
        "SELECT source_schema, source_table, source_column, target_schema, target_table "
        "FROM ses_common.cross_context_references ORDER BY 1, 2, 3").fetchall()
    for ss, st, sc, ts, tt in refs:
        n = conn.execute(sql.SQL(
            "SELECT count(*) FROM {}.{} AS s WHERE s.{} IS NOT NULL AND s.deleted_at IS NULL "
            "AND NOT EXISTS (SELECT FROM {}.{} AS t WHERE t.id = s.{} AND t.deleted_at IS NULL)"
        ).format(sql.Identifier(ss), sql.Identifier(st), sql.Identifier(sc),
                 sql.Identifier(ts), sql.Identifier(tt), sql.Identifier(sc))).fetchone()[0]
        if n:
            out[f"{ss}.{st}.{sc} -> {ts}.{tt}"] = n
    return out


def _now(conn: psycopg.Connection) -> float:
    return float(conn.execute("SELECT extract(EPOCH FROM clock_timestamp())").fetchone()[0])
