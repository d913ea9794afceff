"""Catalog-wide properties: every object explains itself, definers are pinned.

These iterate over the catalog, so a new table or function is covered without
touching this file.
"""

from __future__ import annotations

import psycopg
import pytest

PRODUCT_SCHEMAS = """
    SELECT oid FROM pg_namespace
    WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('public', 'information_schema')
"""


def test_every_table_view_and_column_has_a_comment(db: psycopg.Connection) -> None:
    missing = db.execute(f"""
        SELECT c.oid::regclass::text
        FROM pg_class c
        WHERE c.relnamespace IN ({PRODUCT_SCHEMAS})
          AND c.relkind IN ('r', 'p', 'v', 'm')
          AND NOT c.relispartition
          AND obj_description(c.oid, 'pg_class') IS NULL
        UNION ALL
        SELECT c.oid::regclass::text || '.' || a.attname
        FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE c.relnamespace IN ({PRODUCT_SCHEMAS})
          AND c.relkind IN ('r', 'p', 'v', 'm')
          AND NOT c.relispartition
          AND a.attnum > 0 AND NOT a.attisdropped
          AND col_description(c.oid, a.attnum) IS NULL
        ORDER BY 1
    """).fetchall()
    assert [m[0] for m in missing] == []


def test_every_function_has_a_comment(db: psycopg.Connection) -> None:
    missing = db.execute(f"""
        SELECT p.oid::regprocedure::text FROM pg_proc p
        WHERE p.pronamespace IN ({PRODUCT_SCHEMAS})
          AND obj_description(p.oid, 'pg_proc') IS NULL
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
        ORDER BY 1
    """).fetchall()
    assert [m[0] for m in missing] == []


def test_every_security_definer_function_pins_search_path(db: psycopg.Connection) -> None:
    loose = db.execute(f"""
        SELECT p.oid::regprocedure::text FROM pg_proc p
        WHERE p.pronamespace IN ({PRODUCT_SCHEMAS}) AND p.prosecdef
          AND NOT EXISTS (SELECT FROM unnest(p.proconfig) c WHERE c LIKE 'search\\_path=%')
    """).fetchall()
    assert [m[0] for m in loose] == []


def test_no_function_is_executable_by_public_unless_meant(db: psycopg.Connection) -> None:
    """Default privileges let PUBLIC execute functions; the product revokes that."""
    open_ = db.execute(f"""
        SELECT p.oid::regprocedure::text FROM pg_proc p
        WHERE p.pronamespace IN ({PRODUCT_SCHEMAS})
          AND p.prorettype <> 'trigger'::regtype
          AND has_function_privilege('public', p.oid, 'EXECUTE')
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    """).fetchall()
    assert [m[0] for m in open_] == []


def test_every_plpgsql_function_passes_plpgsql_check(db: psycopg.Connection) -> None:
    available = db.execute(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'plpgsql_check'"
    ).fetchone()
    if not available:
        pytest.skip("plpgsql_check is not installed on this server "
                    "(Debian package postgresql-15-plpgsql-check; ./dev setup installs it)")
    db.execute("CREATE EXTENSION IF NOT EXISTS plpgsql_check")
    # The personal data functions read the session's key table (a temporary table,
    # made per session by ses_common.open_session_keys): check them as such a session.
    if db.execute("SELECT to_regprocedure('ses_common.open_session_keys()')").fetchone()[0]:
        db.execute("SELECT ses_common.open_session_keys()")
    rows = db.execute(f"""
        SELECT p.oid::regprocedure::text, r.lineno, r.message
        FROM pg_proc p
        JOIN pg_language l ON l.oid = p.prolang AND l.lanname = 'plpgsql'
        LEFT JOIN pg_trigger t ON t.tgfoid = p.oid
        CROSS JOIN LATERAL plpgsql_check_function_tb(
            p.oid, coalesce(t.tgrelid, 0), fatal_errors => false,
            performance_warnings => false, extra_warnings => false,
            other_warnings => false) r
        WHERE p.pronamespace IN ({PRODUCT_SCHEMAS})
          AND (p.prorettype <> 'trigger'::regtype OR t.tgrelid IS NOT NULL)
          AND r.level = 'error'
    """).fetchall()
    assert rows == []
