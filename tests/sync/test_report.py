"""The review report shows old and new side by side and marks what changes."""

from __future__ import annotations

from bbase.report import diff_view, render

UPDATE = {
    "id": "diff-20261122-001", "diffType": "update", "target": "branch",
    "timestamp": "2026-11-22T09:00:00.000Z", "createdBy": "zengin-import",
    "zenginData": {"bankCode": "0010", "bankName": "りそな", "branchCode": "725",
                   "branchName": "市ヶ谷", "branchKana": "イチガヤ"},
    "currentData": {"bankCode": "0010", "bankName": "りそな", "branchCode": "725",
                    "branchName": "市ケ谷", "branchKana": "イチガヤ"},
    "changes": {"branchName": {"old": "市ケ谷", "new": "市ヶ谷"}},
}


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
