"""The benchmark writes only its own section of docs/benchmarks.md."""

from __future__ import annotations

from pathlib import Path

from bbase_workshop.bench.zengin import render, write_docs

RESULT = {
    "version": "20250629", "banks": 1154, "branches": 29035, "runs": 3, "naive_runs": 1,
    "small_samples": 10, "copy_s": 0.03,
    "phases_s": {"stage": 0.06, "diff": 0.3, "approve": 0.01, "execute": 0.5, "pipeline": 0.87},
    "naive_s": 6.0, "small_p50_ms": 1.0, "small_p95_ms": 2.0, "date": "2026-01-01",
    "load_avg": [0.5, 0.6], "pipeline_over_copy": 29.0, "naive_over_pipeline": 6.9,
}


def test_write_docs_replaces_only_the_zengin_section(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## SES database\n\nses figures\n\n## Zengin pipeline\n\nold\n\n"
                   "## Sync\n\nsync figures\n", encoding="utf-8")
    write_docs(render(RESULT), doc)
    text = doc.read_text(encoding="utf-8")
    assert "ses figures" in text and "sync figures" in text and "\nold\n" not in text
    assert text.count("## Zengin pipeline") == 1
    assert "29.0× bare COPY" in text and "p95 2.00 ms" in text


def test_write_docs_appends_when_section_is_missing(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## Sync\n\nsync figures\n", encoding="utf-8")
    write_docs(render(RESULT), doc)
    text = doc.read_text(encoding="utf-8")
    assert text.index("## Sync") < text.index("## Zengin pipeline")
