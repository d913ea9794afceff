"""scripts/backup.sh, scripts/restore.sh: back up, restore one context into an empty database."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from bbase_workshop import CHECKOUT as ROOT
from tests.pg import PgServer
from tests.ses.test_seed import seeded_database

pytestmark = pytest.mark.commits

CONTEXT = "billing_context"  # partitioned invoices, in-context foreign keys, cross-context checks
SES_SCHEMAS = {
    "bbase", "ses_common", "ses_archive", "project_context", "engineer_context",
    "matching_context", "contract_context", "timesheet_context", "billing_context",
    "report_context", "notification_context",
}


@pytest.fixture(scope="module")
def seeded_dsn(pg: PgServer, template_db: str) -> Iterator[str]:
    name = "ses_backup_test"
    dsn = seeded_database(pg, template_db, name)
    try:
        yield dsn
    finally:
        pg.drop_db(name)


@pytest.fixture(scope="module")
def backup_dir(seeded_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("backup") / "set"
    subprocess.run([str(ROOT / "scripts" / "backup.sh"), "-d", seeded_dsn, "-o", str(out)],
                   check=True, capture_output=True, text=True)
    return out


def _restore(backup_dir: Path, dsn: str, schema: str) -> subprocess.CompletedProcess:
    script = str(ROOT / "scripts" / "restore.sh")
    return subprocess.run([script, "-d", dsn, str(backup_dir), schema],
                          capture_output=True, text=True)


def _tables(conn: psycopg.Connection, schema: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY 1", (schema,))]


def _fingerprint(conn: psycopg.Connection, schema: str, table: str) -> tuple[int, str]:
    return conn.execute(sql.SQL(
        "SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {}.{} t"
    ).format(sql.Identifier(schema), sql.Identifier(table))).fetchone()


def test_backup_writes_one_checksummed_custom_format_file_per_schema(backup_dir: Path) -> None:
    dumps = {p.stem for p in backup_dir.glob("*.dump")}
    assert dumps == SES_SCHEMAS
    subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=backup_dir, check=True)
    assert all(p.read_bytes()[:5] == b"PGDMP" for p in backup_dir.glob("*.dump"))


def test_backup_leaves_materialized_views_out(backup_dir: Path) -> None:
    toc = subprocess.run(["/usr/lib/postgresql/15/bin/pg_restore", "--list",
                          str(backup_dir / "report_context.dump")],
                         check=True, capture_output=True, text=True).stdout
    assert "MATERIALIZED VIEW" not in toc
    assert "analytics_data" in toc


def test_one_context_restores_into_an_empty_database_with_every_row(
    backup_dir: Path, seeded_dsn: str, empty_dsn: str
) -> None:
    done = _restore(backup_dir, empty_dsn, CONTEXT)
    assert done.returncode == 0, done.stderr
    with psycopg.connect(seeded_dsn) as src, psycopg.connect(empty_dsn) as dst:
        assert _tables(dst, CONTEXT) == _tables(src, CONTEXT)
        for table in _tables(src, CONTEXT):
            assert _fingerprint(dst, CONTEXT, table) == _fingerprint(src, CONTEXT, table), table
        assert _fingerprint(src, CONTEXT, "invoices")[0] > 0
        # Only the context and what it needs came back; the other contexts did not.
        schemas = {r[0] for r in dst.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", (list(SES_SCHEMAS),))}
    assert schemas == {"bbase", "ses_common", CONTEXT}


def test_the_restored_context_keeps_its_rules(backup_dir: Path, empty_dsn: str) -> None:
    assert _restore(backup_dir, empty_dsn, CONTEXT).returncode == 0
    with psycopg.connect(empty_dsn, autocommit=True) as conn:
        invoice_id, year = conn.execute(
            "SELECT id, invoice_year FROM billing_context.invoices LIMIT 1").fetchone()
        # soft delete (common trigger from ses_common) still turns DELETE into deleted_at
        conn.execute("DELETE FROM billing_context.invoices WHERE id = %s AND invoice_year = %s",
                     (invoice_id, year))
        deleted_at = conn.execute("SELECT deleted_at FROM billing_context.invoices WHERE id = %s",
                                  (invoice_id,)).fetchone()[0]
        assert deleted_at is not None
        # a CHECK constraint survived
        with pytest.raises(psycopg.errors.CheckViolation) as exc:  # SQLSTATE 23514
            conn.execute("UPDATE billing_context.invoices SET total_amount = total_amount + 1 "
                         "WHERE id = %s", (invoice_id,))
        assert exc.value.diag.constraint_name == "invoices_total_is_subtotal_plus_tax"


def test_restore_refuses_a_schema_that_already_exists(backup_dir: Path, seeded_dsn: str) -> None:
    done = _restore(backup_dir, seeded_dsn, CONTEXT)
    assert done.returncode != 0
    assert "already exists" in done.stderr


def test_restore_refuses_a_damaged_backup(backup_dir: Path, empty_dsn: str,
                                          tmp_path: Path) -> None:
    damaged = tmp_path / "damaged"
    subprocess.run(["cp", "-r", str(backup_dir), str(damaged)], check=True)
    with (damaged / f"{CONTEXT}.dump").open("r+b") as f:
        f.seek(200)
        f.write(b"\x00\x00\x00\x00")
    done = _restore(damaged, empty_dsn, CONTEXT)
    assert done.returncode != 0
    assert "checksums" in done.stderr
