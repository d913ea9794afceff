"""Released migrations are frozen: migrations/RELEASED records them as shipped.

A database that ran a released migration never runs it again, so an edit to
one reaches only fresh installs, and a fresh install and an upgraded database
part ways. A change to released history goes in a new migration numbered above
the mark instead. The mark moves at a release (docs/CONVENTIONS.md).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bbase import migrate as mig

ADVICE = ("Released migrations must not change: restore each file above exactly as released "
          "and write the change as a new migration numbered above the release mark {mark} "
          "(with its .rollback.sql). See 'Releases' in docs/CONVENTIONS.md.")


def test_released_migrations_are_unchanged_and_present() -> None:
    mark, problems = mig.released_drift()
    changed = [p for p in problems if "released," in p]
    assert changed == [], "\n".join([*changed, ADVICE.format(mark=mark)])


def test_new_migrations_are_numbered_above_the_release_mark() -> None:
    mark, problems = mig.released_drift()
    inserted = [p for p in problems if "never released" in p]
    assert inserted == [], "\n".join([
        *inserted,
        f"A migration numbered at or below {mark} would run after newer ones on released "
        f"databases but before them on fresh installs: number it above {mark}.",
    ])


# --- the check itself, on a copy of the released migrations ------------------------


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """migrations/RELEASED and the files it lists, as released."""
    target = tmp_path / "migrations"
    target.mkdir()
    manifest = mig.MIGRATIONS_DIR / mig.RELEASED_MANIFEST
    shutil.copy(manifest, target)
    for entry in manifest.read_text(encoding="utf-8").splitlines()[1:]:
        shutil.copy(mig.MIGRATIONS_DIR / entry.partition("  ")[2], target)
    assert mig.released_drift(target)[1] == [], "the released files must be as released"
    return target


def test_manifest_is_what_write_release_manifest_writes_for_its_mark(copy: Path) -> None:
    text = (copy / mig.RELEASED_MANIFEST).read_text(encoding="utf-8")
    assert text == mig.release_manifest(text.splitlines()[0], copy)


def test_edited_released_migration_is_reported(copy: Path) -> None:
    with (copy / "0010_zengin_master.sql").open("a", encoding="utf-8") as f:
        f.write("\n-- a late fix\n")
    assert mig.released_drift(copy)[1] == ["0010_zengin_master.sql: released, since edited"]


def test_removed_released_rollback_is_reported(copy: Path) -> None:
    (copy / "0171_ses_archive_rows.rollback.sql").unlink()
    assert mig.released_drift(copy)[1] == [
        "0171_ses_archive_rows.rollback.sql: released, now missing (removed or renumbered)"]


def test_renumbered_released_migration_is_reported(copy: Path) -> None:
    (copy / "0172_ses_report_stats.sql").rename(copy / "0168_ses_report_stats.sql")
    _, problems = mig.released_drift(copy)
    assert problems == [
        "0172_ses_report_stats.sql: released, now missing (removed or renumbered)",
        "0168_ses_report_stats.sql: numbered at or below the release mark "
        "0173_ses_foreign_key_indexes, never released",
    ]


def test_new_migration_above_the_mark_is_free(copy: Path) -> None:
    (copy / "9998_anything.sql").write_text("-- depends: 0173_ses_foreign_key_indexes\n")
    (copy / "9998_anything.rollback.sql").write_text("")
    assert "9998_anything.sql" not in "".join(mig.released_drift(copy)[1])


def test_moving_the_mark_releases_the_newer_migrations(copy: Path) -> None:
    (copy / "9998_anything.sql").write_text("-- depends: 0173_ses_foreign_key_indexes\n")
    (copy / "9998_anything.rollback.sql").write_text("")
    mig.write_release_manifest("9998_anything", copy)
    mark, problems = mig.released_drift(copy)
    assert (mark, problems) == ("9998_anything", [])
    (copy / "9998_anything.sql").write_text("-- depends: 0173_ses_foreign_key_indexes\n-- edit\n")
    assert mig.released_drift(copy)[1] == ["9998_anything.sql: released, since edited"]


def test_mark_that_is_no_migration_is_refused(copy: Path) -> None:
    with pytest.raises(ValueError, match="no 0999_nothing.sql"):
        mig.release_manifest("0999_nothing", copy)
