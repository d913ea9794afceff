"""The mutation harness itself (bbase mutate, docs/testing.md): its operators make
the mutants they promise, and on a tiny fixture (one SQL function, two test files
written in tmp_path) it lets a mutant survive a deliberately weak test and kills
it with a test of the boundary.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bbase_workshop.mutate import operators as ops
from bbase_workshop.mutate.report import area_of
from bbase_workshop.mutate.runner import apply_mutant, run_pytest
from tests.pg import PgServer

FUNCTION = """\
-- Why: a fixture of the harness test.
CREATE OR REPLACE FUNCTION public.mt_may_sign(p_age integer)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
AS $$ SELECT p_age >= 18 $$;
"""
RELPATH = "sql/functions/public/mt_may_sign.sql"

TEST_HEAD = '''
import os

import psycopg


def may_sign(age):
    with psycopg.connect(os.environ["MT_DSN"]) as conn:
        return conn.execute("SELECT public.mt_may_sign(%s)", (age,)).fetchone()[0]


def test_a_child_may_not_sign():
    assert may_sign(5) is False


def test_an_adult_may_sign():
    assert may_sign(40) is True
'''
BOUNDARY_TEST = '''

def test_one_may_sign_from_exactly_eighteen():
    assert may_sign(18) is True
'''


def _boundary_mutant() -> ops.Mutant:
    [mutant] = [m for m in ops.mutants_of_text(RELPATH, FUNCTION, [])
                if m.operator == "flip-comparison" and m.original == ">="]
    return mutant


@pytest.fixture
def mutated_dsn(pg: PgServer, tmp_path: Path) -> str:
    """A database holding the boundary mutant (``>`` for ``>=``)."""
    dsn = pg.dsn_for(pg.create_db())
    assert apply_mutant(dsn, _boundary_mutant(), tmp_path) is None
    return dsn


@pytest.fixture
def original_dsn(pg: PgServer) -> str:
    import psycopg

    dsn = pg.dsn_for(pg.create_db())
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(FUNCTION)
    return dsn


def _write(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return name


def test_the_boundary_mutant_replaces_greater_or_equal_by_greater():
    assert "SELECT p_age > 18" in _boundary_mutant().text


def test_both_fixture_tests_pass_on_the_original_function(original_dsn: str, tmp_path: Path):
    weak = _write(tmp_path, "test_weak.py", TEST_HEAD)
    strong = _write(tmp_path, "test_strong.py", TEST_HEAD + BOUNDARY_TEST)
    status, _, _ = run_pytest([weak, strong], {"MT_DSN": original_dsn}, tmp_path, 60)
    assert status == "survived"


def test_a_test_without_the_boundary_lets_the_mutant_survive(mutated_dsn: str, tmp_path: Path):
    weak = _write(tmp_path, "test_weak.py", TEST_HEAD)
    status, _, _ = run_pytest([weak], {"MT_DSN": mutated_dsn}, tmp_path, 60)
    assert status == "survived"


def test_a_test_of_the_boundary_kills_the_mutant(mutated_dsn: str, tmp_path: Path):
    strong = _write(tmp_path, "test_strong.py", TEST_HEAD + BOUNDARY_TEST)
    status, _, detail = run_pytest([strong], {"MT_DSN": mutated_dsn}, tmp_path, 60)
    assert (status, detail.split(" - ")[0]) == (
        "killed", "FAILED test_strong.py::test_one_may_sign_from_exactly_eighteen")


def test_a_mutant_postgresql_refuses_is_reported_not_applied(pg: PgServer, tmp_path: Path):
    dsn = pg.dsn_for(pg.create_db())
    broken = ops.Mutant(RELPATH, "flip-comparison", 1, 1, "=", "<>",
                        "CREATE FUNCTION public.mt_x() RETURNS int LANGUAGE plpgsql AS $$ "
                        "BEGIN v <> 1; END $$;")
    assert apply_mutant(dsn, broken, tmp_path).startswith("SyntaxError")


# ------------------------------------------------------------------ operators


def _mutants(text: str, operator: str) -> list[str]:
    return [m.replacement for m in ops.mutants_of_text(RELPATH, text, [("pending", "approved")])
            if m.operator == operator]


def test_assignments_named_arguments_and_json_arrows_are_not_flipped():
    text = "BEGIN v := a ->> 'k'; PERFORM f(p_x => 1); UPDATE t SET c = 1; END"
    assert _mutants(text, "flip-comparison") == []


def test_comments_and_literals_are_never_mutated():
    text = "-- a < b AND c\nSELECT 'x = y AND z' /* p >= q */"
    assert ops.mutants_of_text(RELPATH, text, []) == []


def test_drop_conjunct_removes_the_right_operand_of_one_and():
    [mutant] = [m for m in ops.mutants_of_text(
        RELPATH, "SELECT 1 FROM t WHERE a = 1 AND b = 2;", []) if m.operator == "drop-conjunct"]
    assert mutant.text == "SELECT 1 FROM t WHERE a = 1;"


def test_drop_disjunct_removes_one_alternative_but_never_or_replace():
    text = "CREATE OR REPLACE VIEW v AS SELECT 1 WHERE a IS NULL OR b <> c;"
    assert [m.text for m in ops.mutants_of_text(RELPATH, text, [])
            if m.operator == "drop-disjunct"] == [
        "CREATE OR REPLACE VIEW v AS SELECT 1 WHERE a IS NULL;"]


def test_between_is_not_a_conjunction():
    assert _mutants("SELECT 1 WHERE x BETWEEN 1 AND 2;", "drop-conjunct") == []


def test_drop_list_column_drops_the_same_column_from_both_rows():
    texts = [m.text for m in ops.mutants_of_text(
        RELPATH, "SELECT (a.x, a.y) IS DISTINCT FROM (b.x, b.y);", [])
        if m.operator == "drop-list-column"]
    assert texts == ["SELECT ( a.y) IS DISTINCT FROM ( b.y);",
                     "SELECT (a.x) IS DISTINCT FROM (b.x);"]


def test_drop_list_column_drops_one_pair_of_a_jsonb_build_object():
    texts = [m.text for m in ops.mutants_of_text(
        RELPATH, "SELECT jsonb_build_object('a', 1, 'b', 2);", [])
        if m.operator == "drop-list-column"]
    assert texts == ["SELECT jsonb_build_object( 'b', 2);", "SELECT jsonb_build_object('a', 1);"]


def test_drop_raise_replaces_the_whole_statement_by_null():
    [mutant] = [m for m in ops.mutants_of_text(
        RELPATH, "IF x THEN RAISE EXCEPTION 'bad %', f(1; 2) USING ERRCODE = 'ZG001'; END IF;",
        []) if m.operator == "drop-raise"]
    assert mutant.text == "IF x THEN NULL; END IF;"


def test_swap_status_takes_the_next_status_of_the_set():
    assert _mutants("SELECT 1 WHERE status = 'approved';", "swap-status") == ["'pending'"]


@pytest.mark.parametrize(("relpath", "area"), [
    ("sql/functions/zengin/approve_diff.sql", "zengin"),
    ("sql/triggers/zengin/tg_banks__validate.sql", "zengin"),
    ("sql/functions/zengin_sync/adopt_record.sql", "sync"),
    ("sql/functions/billing_context/assert_entry_balanced.sql", "ses-workflows"),
    ("sql/triggers/timesheet_context/tg_timesheets__enforce_transition.sql", "ses-workflows"),
    ("check:billing_context.invoices:invoices_total_check", "ses-workflows"),
    ("sql/schemas/ses_common.sql", "ses-machinery"),
    ("sql/functions/ses_common/archive_old_data.sql", "ses-machinery"),
    ("sql/triggers/ses_common/tg_soft_delete.sql", "ses-machinery"),
    ("sql/views/ses_monitoring/long_running_queries.sql", "ses-machinery"),
    ("sql/policies/contract_context/contracts.sql", "ses-security"),
    ("sql/functions/ses_common/decrypt_engineer_name.sql", "ses-security"),
    ("sql/functions/ses_common/current_user_id.sql", "ses-security"),
    ("sql/triggers/engineer_context/tg_engineers__check_personal_data.sql", "ses-security"),
    ("grant:contract_context.contracts:ses_engineer_role:SELECT", "ses-security"),
    ("check:ses_common.table_grants:table_grants_privilege_known", "ses-security"),
    ("check:zengin.banks:banks_kana_check", "zengin"),
])
def test_each_file_scores_in_its_area(relpath: str, area: str):
    assert area_of(relpath) == area


def test_write_docs_replaces_only_the_marked_block(tmp_path: Path):
    from bbase_workshop.mutate.report import write_docs

    doc = tmp_path / "testing.md"
    doc.write_text("# Testing\n\nhand-written\n", encoding="utf-8")
    write_docs(doc, "| old |", "./dev mutate --sample 1", "2026-12-01", "1 mutant run")
    write_docs(doc, "| new |", "./dev mutate --sample 2", "2026-12-02", "2 mutants run")
    assert doc.read_text(encoding="utf-8") == (
        "# Testing\n\nhand-written\n\n<!-- mutate:begin -->\n"
        "Latest run (2026-12-02): `./dev mutate --sample 2`; 2 mutants run.\n\n| new |\n"
        "<!-- mutate:end -->\n")


def test_a_policy_condition_is_mutated_like_any_other_condition():
    text = ("CREATE POLICY p ON t AS PERMISSIVE FOR SELECT TO r\n"
            "USING (customer_id = (SELECT f()) AND side = 'CUSTOMER');")
    assert sorted(m.operator for m in ops.mutants_of_text(
        "sql/policies/x_context/t.sql", text, [])) == [
        "drop-conjunct", "flip-comparison", "flip-comparison"]


def test_a_dropped_grant_deletes_its_row_and_applies_the_grants_again():
    mutant = ops.drop_grant_mutant("contract_context", "contracts", "ses_engineer_role",
                                   "SELECT", None)
    assert mutant.text == (
        "DELETE FROM ses_common.table_grants WHERE schema_name = 'contract_context'"
        " AND table_name = 'contracts' AND role_name = 'ses_engineer_role'"
        " AND privilege = 'SELECT'; SELECT ses_common.apply_context_grants('contract_context');")


@pytest.mark.parametrize(("killed", "live", "interval"), [
    (20, 20, (0.8389, 1.0)),  # all killed: the population score is still only >= 84 %
    (18, 20, (0.6990, 0.9721)),
    (0, 10, (0.0, 0.2775)),
])
def test_the_wilson_interval_bounds_the_population_score(killed, live, interval):
    from bbase_workshop.mutate.report import wilson

    assert tuple(round(x, 4) for x in wilson(killed, live)) == interval


def test_the_score_table_gives_population_sample_and_interval_per_area():
    from bbase_workshop.mutate.report import score_table

    table = score_table([("sync", "killed")] * 9 + [("sync", "survived"), ("sync", "equivalent")],
                        {"sync": 120})
    assert table.splitlines()[2] == "| sync | 120 | 11 | 9 | 0 | 1 | 1 | 0 | 0 | 90 % | 60–98 % |"


def test_a_stratified_sample_takes_the_areas_in_turn():
    import argparse

    from bbase_workshop.mutate import select

    mutants = [ops.Mutant(f"sql/functions/{schema}/f{i}.sql", "drop-raise", 1, 1, "", "", "")
               for schema in ("zengin", "zengin_sync") for i in range(5)]
    args = argparse.Namespace(area=None, file=None, operator=None, rerun=None,
                              rerun_survivors=None, sample=2, seed=13)
    assert [area_of(m.relpath) for m in select(mutants, args)] == [
        "zengin", "sync", "zengin", "sync"]


def test_a_glue_sample_keeps_only_mutants_of_the_named_functions(tmp_path: Path):
    import sqlite3

    from bbase_workshop.mutate.glue import sample_session

    session = tmp_path / "session.sqlite"
    with sqlite3.connect(session) as db:
        db.execute("CREATE TABLE work_items (job_id text PRIMARY KEY)")
        db.execute("CREATE TABLE mutation_specs (job_id text PRIMARY KEY, definition_name text,"
                   " start_pos_row int, start_pos_col int, end_pos_row int, end_pos_col int,"
                   " operator_name text, occurrence int)")
        jobs = [(f"j{i}", "wire_to_plain" if i % 2 else "parallel_scan") for i in range(20)]
        db.executemany("INSERT INTO work_items VALUES (?)", [(j,) for j, _ in jobs])
        db.executemany("INSERT INTO mutation_specs VALUES (?, ?, ?, 0, ?, 1, 'op', 0)",
                       [(j, name, n, n) for n, (j, name) in enumerate(jobs)])
    assert sample_session(session, ["wire_to_plain"], 4, 13) == (10, 4)
    with sqlite3.connect(session) as db:
        kept = db.execute("SELECT DISTINCT definition_name, count(*) FROM mutation_specs"
                          " JOIN work_items USING (job_id) GROUP BY 1").fetchall()
    assert kept == [("wire_to_plain", 4)]


def test_a_quoted_identifier_such_as_a_policy_name_is_never_mutated():
    text = ('CREATE POLICY "Managers can read what they manage or sell" ON t\n'
            'USING (a = 1 OR b = 2);')
    assert [m.replacement for m in ops.mutants_of_text(RELPATH, text, [])
            if m.operator == "drop-disjunct"] == [""]


def test_a_dropped_alternative_takes_its_whole_between():
    text = "SELECT 1 WHERE p IS NULL OR p NOT BETWEEN 1 AND 100000;"
    assert [m.text for m in ops.mutants_of_text(RELPATH, text, [])
            if m.operator == "drop-disjunct"] == ["SELECT 1 WHERE p IS NULL;"]
