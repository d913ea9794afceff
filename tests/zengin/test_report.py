"""The review report: old and new side by side, the characters that change marked,
code reuse flagged (rule in ``zengin.review_items``), the real status shown, and a
page whose filters work in a real browser (headless Chromium)."""

from __future__ import annotations

import copy
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import psycopg
import pytest

from bbase import cli
from bbase import keys as ses_keys
from bbase.report import char_diff, diff_view, render, write_review_report
from tests.ses.conftest import TEST_KEYS
from tests.zengin.helpers import (
    CONFIRMER,
    SMALL_BANKS,
    SMALL_BRANCHES,
    approve_all,
    bank,
    diff,
    execute,
    load_small_master,
    stage,
)

UPDATE = {
    "id": "diff-20261122-001", "diffType": "update", "target": "branch",
    "timestamp": "2026-11-22T09:00:00.000Z", "createdBy": "zengin-import",
    "zenginData": {"bankCode": "0010", "bankName": "りそな", "branchCode": "725",
                   "branchName": "市ヶ谷", "branchKana": "イチガヤ"},
    "currentData": {"bankCode": "0010", "bankName": "りそな", "branchCode": "725",
                    "branchName": "市ケ谷", "branchKana": "イチガヤ"},
    "changes": {"branchName": {"old": "市ケ谷", "new": "市ヶ谷"}},
}
CHROMIUM = Path("/usr/bin/chromium")


def test_only_the_changed_fields_of_an_update_are_marked() -> None:
    (record,) = diff_view(UPDATE).records
    marked = {f.label: f.changed for f in record.fields}
    assert marked == {"名称": True, "カナ": False}
    assert record.code == "0010-725"


def test_report_escapes_and_shows_both_sides() -> None:
    html = render([UPDATE | {"createdBy": "<script>"}], "review")
    assert "市ケ谷" in html and "市ヶ谷" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count('class="changed"') == 2


# --- character-level highlight -------------------------------------------------

def test_char_diff_marks_only_the_characters_that_differ() -> None:
    old, new = char_diff("市ケ谷", "市ヶ谷")
    assert [(s.text, s.changed) for s in old] == [("市", False), ("ケ", True), ("谷", False)]
    assert [(s.text, s.changed) for s in new] == [("市", False), ("ヶ", True), ("谷", False)]


def test_char_diff_of_an_insertion_marks_nothing_on_the_old_side() -> None:
    old, new = char_diff("新宿", "新宿西口")
    assert [s.changed for s in old] == [False]
    assert [(s.text, s.changed) for s in new] == [("新宿", False), ("西口", True)]


def test_char_diff_marks_unrelated_values_whole_rather_than_scattered_letters() -> None:
    old, new = char_diff("jtbtoraberando", "akashia")
    assert [(s.text, s.changed) for s in old] == [("jtbtoraberando", True)]
    assert [(s.text, s.changed) for s in new] == [("akashia", True)]


def test_report_highlights_just_the_changed_character_inside_a_field() -> None:
    html = render([UPDATE], "review")
    assert "市<mark>ケ</mark>谷" in html and "市<mark>ヶ</mark>谷" in html
    assert "<mark>イ" not in html, "an unchanged field has no character marks"


# --- code reuse (SQL: zengin.is_unrelated_name, zengin.review_items) ------------

@pytest.mark.parametrize(("old_name", "new_name", "old_kana", "new_kana"), [
    ("市ケ谷", "市ヶ谷", "イチガヤ", "イチガヤ"),
    ("新宿", "新宿西口", "シンジユク", "シンジユクニシグチ"),
    ("本店営業部", "本店", "ホンテンエイギヨウブ", "ホンテン"),
    ("紐育", "ニューヨーク", "ニユーヨーク", "ニユーヨーク"),
    ("ＡＢＣ", "abc", "エービーシー", "エービーシ－"),
])
def test_a_rename_keeping_a_character_or_the_reading_is_not_unrelated(
    db: psycopg.Connection, old_name: str, new_name: str, old_kana: str, new_kana: str
) -> None:
    assert db.execute("SELECT zengin.is_unrelated_name(%s, %s, %s, %s)",
                      (old_name, new_name, old_kana, new_kana)).fetchone()[0] is False


@pytest.mark.parametrize(("old_name", "new_name", "old_kana", "new_kana"), [
    ("渋谷", "新宿", "シブヤ", "シンジユク"),
    ("渋谷支店", "新宿支店", "シブヤ", "シンジユク"),
    ("丸の内中央", "梅田", "マルノウチチユウオウ", "ウメダ"),
])
def test_a_new_reading_and_no_shared_character_is_unrelated(
    db: psycopg.Connection, old_name: str, new_name: str, old_kana: str, new_kana: str
) -> None:
    assert db.execute("SELECT zengin.is_unrelated_name(%s, %s, %s, %s)",
                      (old_name, new_name, old_kana, new_kana)).fetchone()[0] is True


def _review(db: psycopg.Connection, status: str = "pending", bank_code: str | None = None
            ) -> dict[tuple[str, str, str], tuple[str, bool, str | None]]:
    """{(diff type of the item, bank code, branch code): (status, code_reused, note)}"""
    return {(r[0], r[1], r[2] or ""): (r[3], r[4], r[5]) for r in db.execute(
        "SELECT item_type, bank_code, branch_code, status, code_reused, code_reuse_note"
        " FROM zengin.review_items(%s, %s)", (status, bank_code))}


def _renamed(**names: tuple[str, str]) -> dict:
    """SMALL_BRANCHES with branches of bank 0001 renamed: code=(name, kana)."""
    branches = copy.deepcopy(SMALL_BRANCHES)
    for code, (name, kana) in names.items():
        branches["0001"][code.removeprefix("b")] = bank(code.removeprefix("b"), name, kana)
    return branches


def test_update_to_an_unrelated_name_is_flagged_as_code_reuse(
    db: psycopg.Connection, tmp_path: Path
) -> None:
    load_small_master(db, tmp_path / "v1")
    diff(db, stage(db, tmp_path / "v2", SMALL_BANKS, _renamed(
        b004=("梅田", "ウメダ"), b001=("東京中央", "トウキヨウチユウオウ"))),
         confirmed_by=CONFIRMER)
    review = _review(db)
    status, reused, note = review[("update", "0001", "004")]
    assert (status, reused) == ("pending", True)
    assert "丸の内中央" in note and "梅田" in note and "0001-004" in note
    assert review[("update", "0001", "001")][1] is False, "東京営業部 → 東京中央 is a rename"


def test_deletion_and_later_addition_of_one_code_are_both_flagged_as_code_reuse(
    db: psycopg.Connection, tmp_path: Path
) -> None:
    load_small_master(db, tmp_path / "v1")
    branches = copy.deepcopy(SMALL_BRANCHES)
    del branches["0001"]["004"]
    diff(db, stage(db, tmp_path / "v2", SMALL_BANKS, branches), confirmed_by=CONFIRMER)
    approve_all(db)
    execute(db)
    assert _review(db, "completed")[("deletion", "0001", "004")][1] is False, \
        "an addition followed by a deletion is not a reuse"
    diff(db, stage(db, tmp_path / "v3", SMALL_BANKS, _renamed(b004=("梅田", "ウメダ"))),
         confirmed_by=CONFIRMER)
    approve_all(db)
    execute(db)
    completed = _review(db, "completed")
    deleted, added = completed[("deletion", "0001", "004")], completed[("addition", "0001", "004")]
    assert deleted[1] is True and added[1] is True
    assert "丸の内中央" in added[2] and "梅田" in added[2]
    assert completed[("addition", "0001", "001")][1] is False


def test_review_items_of_one_bank_keep_only_that_bank(
    db: psycopg.Connection, tmp_path: Path
) -> None:
    diff(db, stage(db, tmp_path / "v1", SMALL_BANKS, SMALL_BRANCHES))
    assert {k[1] for k in _review(db, bank_code="0005")} == {"0005"}


def test_review_items_refuses_an_unknown_status_with_zg017(db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT * FROM zengin.review_items('waiting')")
    assert exc.value.sqlstate == "ZG017" and "p_status" in exc.value.diag.message_primary


def test_review_items_refuses_a_malformed_bank_code_with_zg001(db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT * FROM zengin.review_items('pending', '１２３４')")
    assert exc.value.sqlstate == "ZG001" and "p_bank_code" in exc.value.diag.message_primary


# --- the report of a database: real status, psql lines -------------------------

def test_report_of_executed_diffs_lists_none_as_pending(
    db: psycopg.Connection, tmp_path: Path
) -> None:
    load_small_master(db, tmp_path / "v1")
    path = tmp_path / "review.html"
    assert write_review_report(db, path, "review") == 0
    html = path.read_text(encoding="utf-8")
    assert not re.search(r"diff-\d{8}", html) and "No diffs in status pending" in html
    assert write_review_report(db, path, "review", status="completed") == 2
    html = path.read_text(encoding="utf-8")
    assert html.count('class="status completed"') == 2
    assert 'class="status pending"' not in html and "approve_diff('diff-" not in html


def test_report_gives_each_pending_diff_its_approve_and_reject_lines(
    db: psycopg.Connection, tmp_path: Path
) -> None:
    diff(db, stage(db, tmp_path / "v1", SMALL_BANKS, SMALL_BRANCHES))
    ids = [r[0] for r in db.execute("SELECT id FROM zengin.diffs ORDER BY id")]
    path = tmp_path / "review.html"
    assert write_review_report(db, path, "review") == len(ids) == 2
    html = path.read_text(encoding="utf-8")
    for diff_id in ids:
        assert f"SELECT zengin.approve_diff('{diff_id}', '&lt;your name&gt;');" in html
        assert (f"SELECT zengin.reject_diff('{diff_id}', '&lt;your name&gt;', "
                "'&lt;reason&gt;');") in html


def _payee_on(db: psycopg.Connection, bank_code: str, branch_code: str, owed: int) -> None:
    """A payee account on the branch, with an unpaid payable of ``owed`` yen."""
    ses_keys.load_keys(db, TEST_KEYS)
    account = db.execute(
        "INSERT INTO billing_context.payee_accounts (owner_type, partner_company_id, bank_code,"
        " branch_code, account_type, account_number_encrypted, account_holder_kana_encrypted)"
        " VALUES ('PARTNER_COMPANY', gen_random_uuid(), %s, %s, 1,"
        " ses_common.encrypt_personal_data('payee_account', '1234567'),"
        " ses_common.encrypt_personal_data('payee_account', 'ﾔﾏﾀﾞ')) RETURNING id",
        (bank_code, branch_code)).fetchone()[0]
    db.execute("SELECT ses_common.create_partitions('billing_context.invoices'::regclass,"
               " '2026-01-01', '2026-01-01')")
    db.execute(
        "INSERT INTO billing_context.invoices (invoice_year, invoice_month, invoice_number,"
        " direction, customer_id, payee_account_id, issuer_name, recipient_name,"
        " service_period_start, service_period_end, issue_date, due_date, status,"
        " subtotal_amount, tax_amount, total_amount) VALUES (2026, 1, 'P-1', 'PAYABLE',"
        " gen_random_uuid(), %s, 'partner', 'us', '2026-01-01', '2026-01-31', '2026-02-01',"
        " '2026-02-27', 'UNPAID', %s, 0, %s)", (account, owed, owed))


def test_report_shows_the_payee_accounts_a_pending_deletion_would_invalidate(
    db: psycopg.Connection, tmp_path: Path
) -> None:
    load_small_master(db, tmp_path / "v1")
    _payee_on(db, "0001", "001", 330000)
    branches = copy.deepcopy(SMALL_BRANCHES)
    del branches["0001"]["001"]
    diff(db, stage(db, tmp_path / "v2", SMALL_BANKS, branches), confirmed_by=CONFIRMER)
    path = tmp_path / "review.html"
    assert write_review_report(db, path, "review") == 1
    html = path.read_text(encoding="utf-8")
    assert 'class="impact hit" data-invalidated="1"' in html
    assert "¥330,000" in html
    assert db.execute("SELECT count(*) FROM billing_context.payee_accounts"
                      " WHERE status = 'ACTIVE'").fetchone()[0] == 1  # nothing executed


@pytest.mark.commits
def test_zengin_report_command_prints_the_path_and_the_count_of_really_pending_diffs(
    fresh_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        load_small_master(conn, tmp_path / "v1")
        diff(conn, stage(conn, tmp_path / "v2", SMALL_BANKS, _renamed(b004=("梅田", "ウメダ"))),
             confirmed_by=CONFIRMER)
    monkeypatch.setenv("DATABASE_URL", fresh_dsn)
    out = tmp_path / "out" / "pending.html"
    assert cli.main(["zengin", "report", "--output", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"{out.resolve()}: 1 pending diff"
    assert len(set(re.findall(r"diff-\d{8}-\d{3,}", out.read_text(encoding="utf-8")))) == 1
    assert cli.main(["zengin", "report", "--status", "completed", "--bank", "0005",
                     "--output", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"{out.resolve()}: 1 completed diff of bank 0005"


# --- the page in a real browser ------------------------------------------------

class _Dom(HTMLParser):
    """Elements of a serialized DOM: (tag, attributes) in document order."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def having(self, tag: str, cls: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.elements if t == tag and cls in (a.get("class") or "").split()]


def _dump_dom(report: Path, query: str, profile: Path) -> _Dom:
    """The page's DOM after its scripts ran, as headless Chromium serializes it."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing (Debian package chromium; ./dev installs it)")
    done = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", "--dump-dom",
         report.as_uri() + query],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "report-filters" in done.stdout, done.stderr[-2000:]
    return _Dom(done.stdout)


@pytest.fixture
def browser_report(db: psycopg.Connection, tmp_path: Path) -> Path:
    """Pending diffs of two banks with every kind: 0001 gets an update, an addition and
    a deletion (of a branch a payee account is on); 0005 an update."""
    load_small_master(db, tmp_path / "v1")
    banks = copy.deepcopy(SMALL_BANKS)
    banks["0005"] = bank("0005", "三菱ＵＦＪ", "ミツビシユ－エフジエイ", "mitsubishi-ufj")
    branches = _renamed(b004=("梅田", "ウメダ"), b007=("市ヶ谷", "イチガヤ"))
    del branches["0001"]["001"]
    _payee_on(db, "0001", "001", 55000)
    diff(db, stage(db, tmp_path / "v2", banks, branches), confirmed_by=CONFIRMER)
    path = tmp_path / "review.html"
    assert write_review_report(db, path, "review") == 2
    return path


def test_browser_contents_links_resolve_and_nothing_is_hidden_unfiltered(
    browser_report: Path, tmp_path: Path
) -> None:
    dom = _dump_dom(browser_report, "", tmp_path / "profile")
    ids = {a.get("id") for _, a in dom.elements}
    links = [a["href"] for t, a in dom.elements if t == "a" and (a.get("href") or "")[:1] == "#"]
    sections = dom.having("section", "diff")
    assert len(links) == len(sections) == 2
    assert all(href[1:] in ids for href in links)
    assert not any("hidden" in a for a in dom.having("tbody", "item") + sections)


def test_browser_kind_filter_hides_other_kinds_and_diffs_left_empty(
    browser_report: Path, tmp_path: Path
) -> None:
    dom = _dump_dom(browser_report, "?kind=deletion", tmp_path / "profile")
    items = dom.having("tbody", "item")
    assert {a["data-kind"] for a in items} == {"addition", "update", "deletion"}
    assert all(("hidden" in a) == (a["data-kind"] != "deletion") for a in items)
    shown = [a["id"] for a in dom.having("section", "diff") if "hidden" not in a]
    assert len(shown) == 1, "only bank 0001's diff has a deletion"
    toc = {a["id"]: "hidden" in a for t, a in dom.elements
           if t == "li" and (a.get("id") or "").startswith("toc-")}
    assert toc == {f"toc-{s['id']}": "hidden" in s for s in dom.having("section", "diff")}


def test_browser_bank_filter_keeps_only_that_banks_records(
    browser_report: Path, tmp_path: Path
) -> None:
    dom = _dump_dom(browser_report, "?bank=0005", tmp_path / "profile")
    items = dom.having("tbody", "item")
    assert {a["data-bank"] for a in items if "hidden" not in a} == {"0005"}
    assert any("hidden" in a for a in items)



def test_browser_shows_the_payee_impact_only_on_the_diff_that_deletes_the_branch(
    browser_report: Path, tmp_path: Path
) -> None:
    dom = _dump_dom(browser_report, "?bank=0001", tmp_path / "profile")
    hits = [a for a in dom.having("div", "impact") if "hit" in (a.get("class") or "").split()]
    assert [a["data-invalidated"] for a in hits] == ["1"]
    quiet = [a["data-invalidated"] for a in dom.having("div", "impact") if a not in hits]
    assert quiet == ["0"]
    assert dom.having("div", "stat") and any(a.get("id") == "impact-total"
                                             for a in dom.having("div", "stat"))
