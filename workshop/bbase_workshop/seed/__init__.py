"""Generated, consistent data for every SES context (``bbase ses seed``).

Master data (companies, engineers and their skills, projects, templates,
reference rows) is generated set-based inside PostgreSQL (``INSERT … SELECT …
generate_series``): Python only supplies the vocabulary (Japanese names,
companies, skills, real Zengin bank and branch codes) as array parameters and
runs the steps in order. The steps are the SQL files next to this module
(``plan.sql``, then one file per context), one statement after each
``-- name:`` line. Consistency comes from a plan built first in temporary
tables (engineers, contract chains, months), from which every context is
filled:

* each engineer works on a chain of non-overlapping contracts (whole months);
* a project's period spans its contracts, its customer is theirs;
* contracts go in as DRAFTs with their signature requests, timesheets of the
  generated months as empty DRAFTs, matching requests as OPEN.

Everything with a workflow then lives through its months (``cycles.sql``, run
by :mod:`bbase_workshop.seed.cycles`): the last ``months`` months (default 3)
and the current one, through the product's workflow functions called by the
role that does the job under row-level security: matching scored and
completed, contracts signed by both sides, days entered, timesheets submitted,
rejected and corrected, approved by the customer and internally, each month
closed by ``billing_context.close_month`` (invoices, payables, journals,
events), receipts and partner payments recorded, late invoices marked
overdue, and the events consumed into notifications and report rows. Report
figures (``report_context.sql``) are computed from those rows afterwards.

Only with ``bulk_history`` (``--bulk-history YEARS``, for the query benchmarks'
volume) are the years before those months inserted finished: CLOSED
timesheets with their days and steps, invoices with payments and journals,
COMPLETED matching, and their notifications, as the old system would hand
them over.

Rows of the plan get deterministic ids (``md5(label)::uuid``) and the random
choices use ``setseed``; the cycles' choices are hashes of those ids. So the
same scale and seed give the same data, except what the workflow functions
draw themselves: ids of the rows they create (invoices, journal entries,
events, notifications) and the time stamps of the run (signed_at,
submitted_at, ...).
"""

from __future__ import annotations

import math
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import psycopg
from psycopg import sql

from bbase.keys import KeySet, load_keys

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
    ("データ", "データ"), ("ネットワークス", "ネットワークス"),
    ("コンサルティング", "コンサルティング"),
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
# Real Zengin bank and branch codes (zengin-code data, 2026-08):
# (bank, name, kana, branch, name, kana).
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
    #: closed months lived through the workflow functions (the current month comes on top)
    cycle_months: int
    #: months before those, inserted finished (--bulk-history)
    history_months: int

    @classmethod
    def for_scale(cls, scale: float, months: int = 3, history_years: int = 0) -> Sizes:
        if scale <= 0:
            raise ValueError("scale must be positive")
        if not 1 <= months <= 24:
            raise ValueError("months must be between 1 and 24")
        if not 0 <= history_years <= 20:
            raise ValueError("bulk history years must be between 0 and 20")

        def n(base: int, minimum: int) -> int:
            return max(minimum, math.ceil(base * scale))

        return cls(engineers=n(1000, 20), projects=n(300, 8), contracts=n(500, 10),
                   customers=n(30, 3), partners=n(40, 3), staff=n(10, 4),
                   cycle_months=months, history_months=12 * history_years)

    @property
    def months(self) -> int:
        """Every generated month: history, cycles and the current month."""
        return self.history_months + self.cycle_months + 1


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
        "cycle_months": sizes.cycle_months,
        # contract chains are placed from before the window (so contracts run
        # into it from earlier starts); with history the window is long enough
        "placement_months": sizes.months - 1 + (0 if sizes.history_months else 18),
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
# The SQL lives in the .sql files next to this module, one file per table group,
# each statement after its "-- name: <label>" line. Each step runs with the
# parameters above bound by psycopg (named placeholders). Temporary tables
# (seed_*) hold the plan; they are dropped at commit.

#: The step files, in the order they run: the plan first, then every context in
#: the order their references need (a context refers only to rows already in),
#: then the cycles (cycles.sql, run by bbase_workshop.seed.cycles), then the
#: files of REPORT_FILES, computed from what the cycles produced.
STEP_FILES = (
    "plan.sql",
    "partitions.sql",
    "project_context.sql",
    "engineer_context.sql",
    "matching_context.sql",
    "contract_context.sql",
    "timesheet_context.sql",
    "billing_context.sql",
    "notification_context.sql",
)
REPORT_FILES = ("report_context.sql",)

_NAME = re.compile(r"^-- name: (.+)$", re.MULTILINE)
_TEMP_TABLE = re.compile(r"\s*CREATE TEMP TABLE (\w+)")


def statements(file: str) -> list[tuple[str, str]]:
    """(name, statement) of each statement of a .sql file of this package, in order.

    The text before the first ``-- name:`` line is the file's header; each
    statement runs from its ``-- name:`` line to the next one, without its
    closing semicolon.
    """
    text = resources.files(__package__).joinpath(file).read_text(encoding="utf-8")
    parts = _NAME.split(text)
    if len(parts) < 3 or "-- Why:" not in parts[0]:
        raise RuntimeError(f"{file}: expected a '-- Why:' header and '-- name:' statements")
    return [(name.strip(), body.strip().removesuffix(";"))
            for name, body in zip(parts[1::2], parts[2::2], strict=True)]


def _query(file: str, name: str) -> str:
    """The statement called ``name`` in ``file``."""
    found = [body for label, body in statements(file) if label == name]
    if len(found) != 1:
        raise KeyError(f"{file}: no single statement named {name!r}")
    return found[0]


def _rows(conn: psycopg.Connection, name: str) -> list[tuple]:
    """Rows of a catalog.sql query, with the SES context schemas bound."""
    return [tuple(r) for r in conn.execute(
        _query("catalog.sql", name), {"contexts": list(CONTEXTS)}).fetchall()]  # type: ignore[arg-type]


def ses_tables(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """Every (schema, table) of the eight contexts, partitioned parents, no partitions."""
    return _rows(conn, "ses_tables")  # type: ignore[return-value]


def _full_width(kana: str) -> str:
    """Half-width transfer kana back to the full-width katakana the Zengin master
    stores (zengin.banks.kana): NFKC, then ASCII to its full-width form."""
    text = unicodedata.normalize("NFKC", kana)
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c)
                   for c in text)


def ensure_master_branches(conn: psycopg.Connection) -> None:
    """Payee accounts are checked against the Zengin master (SE141 for a missing
    branch): put the seeded banks and branches in it where it is installed. A real
    master already has them and is left as it is."""
    if conn.execute("SELECT to_regclass('zengin.branches')").fetchone()[0] is None:
        return
    for bank, bank_name, bank_kana, branch, branch_name, branch_kana in BANK_BRANCHES:
        conn.execute("INSERT INTO zengin.banks (bank_code, name, kana) VALUES (%s, %s, %s)"
                     " ON CONFLICT DO NOTHING", (bank, bank_name, _full_width(bank_kana)))
        conn.execute("INSERT INTO zengin.branches (bank_code, branch_code, name, kana)"
                     " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                     (bank, branch, branch_name, _full_width(branch_kana)))


def seed(conn: psycopg.Connection, scale: float = 1.0, seed: float = 0.42, months: int = 3,
         bulk_history: int = 0, replace: bool = False,
         progress: Callable[[str], object] | None = None,
         keys: KeySet | None = None) -> dict[str, int]:
    """Fill every SES context in one transaction; return row counts per table.

    ``months`` closed months (and the current one) are lived through the
    workflow functions (:mod:`bbase_workshop.seed.cycles`); ``bulk_history``
    years before them are inserted finished (benchmark volume only).

    Refuses when an SES table already holds rows, unless ``replace`` (then they are
    truncated first, in the same transaction). Personal data is encrypted in SQL
    with ``keys`` (default: the workshop's, :func:`bbase_workshop.keyfile.workshop_keys`),
    loaded into the transaction by COPY.
    """
    if keys is None:
        from bbase_workshop.keyfile import workshop_keys

        keys = workshop_keys()
    from bbase_workshop.seed.cycles import Cycles

    sizes = Sizes.for_scale(scale, months, bulk_history)
    params = _params(sizes, seed)
    say = progress or (lambda _msg: None)
    steps = [step for file in STEP_FILES for step in statements(file)]
    report_steps = [step for file in REPORT_FILES for step in statements(file)]
    tables = ses_tables(conn)
    missing = sorted(set(CONTEXTS) - {s for s, _ in tables})
    if missing:
        raise RuntimeError(f"SES schemas missing: {', '.join(missing)}; run bbase migrate first")
    with conn.transaction():
        load_keys(conn, keys)
        ensure_master_branches(conn)
        # Reference rows shipped by migrations (ids 5e5eNNNN-..., NNNN the migration:
        # notification channel, templates and rules of 0188) are not data of anyone's:
        # the seed brings its own reference rows and replaces them without --replace.
        held = [(f"{s}.{t}", shipped) for s, t in tables for shipped in [conn.execute(
            sql.SQL("SELECT bool_and(id::text LIKE '5e5e____-%') FROM {}.{}").format(
                sql.Identifier(s), sql.Identifier(t))).fetchone()[0]] if shipped is not None]
        occupied = [name for name, shipped in held if not shipped]
        if occupied and not replace:
            raise RuntimeError(
                f"{len(occupied)} SES table(s) already hold rows (e.g. {occupied[0]}); "
                "use --replace to empty them first")
        if held:
            conn.execute(sql.SQL("TRUNCATE {} CASCADE").format(sql.SQL(", ").join(
                sql.Identifier(s, t) for s, t in tables)))
            # the events of the rows just emptied went with them (their queues cascade)
            if conn.execute("SELECT to_regclass('ses_common.event_outbox')").fetchone()[0]:
                conn.execute("TRUNCATE ses_common.event_outbox CASCADE")
        # The per-row reference checks cost a dynamic lookup per reference (across every
        # partition for a timesheet id): far too slow for millions of rows. They are
        # switched off for this transaction only, and the same rule is checked
        # set-based once everything is in (ses_common.verify_references); any orphan aborts.
        checks = _rows(conn, "reference_triggers")
        for schema, table, trigger in checks:
            conn.execute(sql.SQL("ALTER TABLE {}.{} DISABLE TRIGGER {}").format(
                sql.Identifier(schema), sql.Identifier(table), sql.Identifier(trigger)))
        # Foreign keys that reference a partitioned table (children of timesheets,
        # invoices, notifications) check each row with a generic plan that locks every
        # partition: minutes for a million attendance rows. They are dropped for the
        # load and added back before commit, which validates them in one pass (as
        # pg_restore does); a violation aborts the whole seed.
        foreign_keys = _rows(conn, "partitioned_foreign_keys")
        for schema, table, name, _definition, _comment in foreign_keys:
            conn.execute(sql.SQL("ALTER TABLE {}.{} DROP CONSTRAINT {}").format(
                sql.Identifier(schema), sql.Identifier(table), sql.Identifier(name)))
        for _label, statement in statements("session.sql"):
            conn.execute(statement, params)  # type: ignore[arg-type]
        say(f"seed: {sizes.engineers:,} engineers, {sizes.projects:,} projects, "
            f"{sizes.contracts:,} customer contracts; {sizes.cycle_months} months lived "
            f"through the workflow" + (f" after {sizes.history_months} months of bulk history"
                                       if sizes.history_months else ""))

        def run(step_list: list[tuple[str, str]]) -> None:
            for label, statement in step_list:
                started = time.monotonic()
                cur = conn.execute(statement, params)  # type: ignore[arg-type]
                created = _TEMP_TABLE.match(statement)
                if created:  # temporary tables have no statistics until analysed
                    conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(created.group(1))))
                say(f"  {label}: {max(cur.rowcount, 0):,} rows "
                    f"({time.monotonic() - started:.1f} s)")

        run(steps)
        started = time.monotonic()
        # the workflow functions' queries plan on fresh statistics of the master data
        for schema, table in tables:
            conn.execute(sql.SQL("ANALYZE {}.{}").format(sql.Identifier(schema),
                                                         sql.Identifier(table)))
        Cycles(conn, params, say).run()
        say(f"  cycles done ({time.monotonic() - started:.1f} s)")
        run(report_steps)
        # Deferred constraint triggers (e.g. balanced journal entries) run now, so the
        # tables have no pending trigger events when their keys and checks are put back;
        # afterwards they are deferred again, as they were.
        deferred = [sql.Identifier(n, c) for n, c in _rows(conn, "deferred_constraints")]
        if deferred:
            conn.execute(sql.SQL("SET CONSTRAINTS {} IMMEDIATE").format(
                sql.SQL(", ").join(deferred)))
        for schema, table, name, definition, comment in foreign_keys:
            say(f"  validating {schema}.{table} {name}")
            # the definition is the catalog's own text (pg_get_constraintdef), put back as it was
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
        for _label, statement in statements("tidy.sql"):
            conn.execute(statement, {"contexts": list(CONTEXTS)})  # type: ignore[arg-type]
        for (name,) in _rows(conn, "plan_tables"):
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


def verify_references(conn: psycopg.Connection) -> dict[str, int]:
    """Rows whose cross-context reference names no live row, per declared reference.

    Calls ses_common.verify_references() (the set-based form of
    tg_check_references) and returns its non-zero counts keyed
    ``"<schema>.<table>.<column> -> <schema>.<table>"``; {} when every reference
    resolves.
    """
    return {f"{ss}.{st}.{sc} -> {ts}.{tt}": n
            for ss, st, sc, ts, tt, n in _rows(conn, "verify_references")}
