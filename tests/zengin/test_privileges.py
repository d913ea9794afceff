"""The privilege matrix: what each job role may do on every function and table of
the Zengin pipeline (schemas bbase, zengin, zengin_sync), compared with the catalog.

The expected matrix is written once, below, as a table a reviewer can read. Every
function and table the catalog holds must have a row, so a new object or a new
grant without a row here fails. Roles: sync (bbase_sync, the DynamoDB/S3 job; it
relays DynamoDB's decisions, docs/sync.md), operator (people in psql: stage, diff,
execute, maintain, decide), reviewer (decide and read), readonly (read).
"""

# The matrices are tables meant to be read in one line per object, whatever their width.
# ruff: noqa: E501
from __future__ import annotations

import psycopg

ROLES = ("sync", "operator", "reviewer", "readonly")
SCHEMAS = ["bbase", "zengin", "zengin_sync"]

#: EXECUTE per function (identity arguments' types), x = granted, . = refused.
#: Trigger functions and internal helpers of SECURITY DEFINER functions: nobody.
FUNCTIONS = """
function                                                                                   sync  operator  reviewer  readonly
bbase.abbreviate_value(text)                                                               x     .         .         .
bbase.raise_invalid(text,text,text,text,text)                                              .     .         .         .
bbase.run_maintenance()                                                                    .     x         .         .
zengin.apply_diff(text)                                                                    .     .         .         .
zengin.approve_diff(text,text)                                                             .     x         x         .
zengin.check_mass_change(bigint,integer,integer,boolean,text)                              .     .         .         .
zengin.create_change_history_partitions(integer,date)                                      .     x         .         .
zengin.current_diff_id()                                                                   .     .         .         .
zengin.diff_snapshot(bigint,text,integer,boolean,text)                                     .     x         .         .
zengin.diff_status_paths()                                                                 x     x         x         x
zengin.diff_status_stages()                                                                x     x         x         x
zengin.enforce_change_history_retention(interval,timestamptz)                              .     x         .         .
zengin.execute_approved_diffs()                                                            .     x         .         .
zengin.expire_stale_diffs()                                                                .     x         .         .
zengin.export_diff(text)                                                                   x     x         x         x
zengin.find_diff_conflicts(text,boolean)                                                   .     .         .         .
zengin.find_record_problems(text,text,text,text,text,text,text)                            x     x         x         x
zengin.find_source_problems(text,jsonb)                                                    x     x         x         x
zengin.format_iso_utc(timestamptz)                                                         x     x         x         x
zengin.get_record_history(text,text)                                                       x     x         x         x
zengin.hira_from_kana(text)                                                                x     x         x         x
zengin.is_clean_record(text,text,text,text,text,text,text)                                 x     x         x         x
zengin.is_diff_id(text)                                                                    x     x         x         x
zengin.is_unrelated_name(text,text,text,text)                                              x     x         x         x
zengin.is_within_name_limit(text)                                                          x     x         x         x
zengin.is_zengin_kana(text)                                                                x     x         x         x
zengin.item_changes(text,text,text,text,text,text,text,text,text)                          x     x         x         x
zengin.item_key(text,text,text)                                                            x     x         x         x
zengin.item_record(text,text,text,text,text,text,text,text)                                x     x         x         x
zengin.lock_diff_targets(text)                                                             .     .         .         .
zengin.name_length_limit()                                                                 x     x         x         x
zengin.next_diff_ids(integer)                                                              .     x         .         .
zengin.normalize_identity(text)                                                            x     x         x         x
zengin.reject_diff(text,text,text)                                                         .     x         x         .
zengin.require_identity(text,text)                                                         x     x         x         x
zengin.review_items(text,text)                                                             x     x         x         x
zengin.run_maintenance(integer,interval)                                                   .     x         .         .
zengin.tg_banks__record_history()                                                          .     .         .         .
zengin.tg_banks__validate()                                                                .     .         .         .
zengin.tg_branches__record_history()                                                       .     .         .         .
zengin.tg_branches__validate()                                                             .     .         .         .
zengin.tg_diffs__enforce_transition()                                                      .     .         .         .
zengin.tg_diffs__set_defaults()                                                            .     .         .         .
zengin_sync.adopt_record(jsonb)                                                            .     .         .         .
zengin_sync.apply_record(jsonb)                                                            .     .         .         .
zengin_sync.begin_run(text)                                                                x     .         .         .
zengin_sync.check_item_size(jsonb)                                                         x     .         .         .
zengin_sync.check_record(jsonb)                                                            x     .         .         .
zengin_sync.check_target(text,text,jsonb)                                                  x     .         .         .
zengin_sync.check_zengin_data(text,jsonb)                                                  x     .         .         .
zengin_sync.complete_names(jsonb)                                                          x     .         .         .
zengin_sync.complete_writeback(text,jsonb)                                                 x     .         .         .
zengin_sync.desired_fields(text,text,timestamptz,text,timestamptz,text,timestamptz,jsonb)  x     .         .         .
zengin_sync.execute_approved()                                                             x     .         .         .
zengin_sync.finish_run(bigint,text,jsonb,text)                                             x     .         .         .
zengin_sync.list_unpublished()                                                             x     .         .         .
zengin_sync.mark_remote_gone(text)                                                         x     .         .         .
zengin_sync.measure_item_size(jsonb)                                                       x     .         .         .
zengin_sync.measure_value_size(jsonb)                                                      x     .         .         .
zengin_sync.merge_staged(bigint)                                                           x     .         .         .
zengin_sync.observed_fields(jsonb)                                                         x     .         .         .
zengin_sync.plan_writebacks()                                                              x     .         .         .
zengin_sync.record_published(jsonb)                                                        x     .         .         .
zengin_sync.refuse_writeback(text,text)                                                    x     .         .         .
zengin_sync.run_maintenance()                                                              x     .         .         .
"""

#: Table privileges per role: r SELECT, a INSERT, w UPDATE, d DELETE, D TRUNCATE
#: (PostgreSQL's ACL letters), - none. Sequences: r SELECT, U USAGE, w UPDATE.
#: Column grants are COLUMNS below. Partitions of change_history: nothing, ever.
TABLES = """
table                              sync   operator  reviewer  readonly
bbase.replaceable_objects          -      r         -         r
zengin.banks                       r      r         r         r
zengin.branches                    r      r         r         r
zengin.change_history              r      r         r         r
zengin.change_history_id_seq       -      -         -         -
zengin.diff_day_counters           -      -         -         -
zengin.diff_items                  r      r         r         r
zengin.diff_statuses               r      r         r         r
zengin.diff_transitions            r      r         r         r
zengin.diffs                       r      r         r         r
zengin.settings                    r      r         r         r
zengin.snapshot_banks              r      ra        r         r
zengin.snapshot_branches           r      ra        r         r
zengin.snapshots                   r      ra        r         r
zengin.snapshots_id_seq            -      -         -         -
zengin_sync.quarantine             r      r         -         r
zengin_sync.quarantine_id_seq      -      -         -         -
zengin_sync.remote_records         r      r         -         r
zengin_sync.runs                   r      r         -         r
zengin_sync.runs_id_seq            -      -         -         -
zengin_sync.staged_records         a      r         -         r
zengin_sync.writebacks             r      r         -         r
"""

#: Column-level grants (table.column role privilege): the operator records a
#: snapshot's counts after staging. Nothing else, in particular no column of zengin.diffs.
COLUMNS = {
    ("zengin.snapshots", column, "operator", "UPDATE")
    for column in ("source_version", "bank_count", "branch_count", "orphan_branch_files",
                   "orphan_bank_codes")
}

def _matrix(text: str) -> dict[str, tuple[str, ...]]:
    rows = [line.split() for line in text.strip().splitlines()[1:]]
    return {" ".join(row[:-4]): tuple(row[-4:]) for row in rows}


def _role(short: str) -> str:
    return "bbase_" + short


def _actual_functions(db: psycopg.Connection) -> dict[str, tuple[str, ...]]:
    rows = db.execute("""
        SELECT n.nspname || '.' || p.proname || '(' || coalesce((
            SELECT string_agg(format_type(t.type, NULL), ',' ORDER BY t.ord)
            FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS t (type, ord)), '') || ')',
            array_agg(has_function_privilege(r.name, p.oid, 'EXECUTE') ORDER BY r.ord)
        FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
        CROSS JOIN unnest(%s::text[]) WITH ORDINALITY AS r (name, ord)
        WHERE n.nspname = ANY (%s) AND p.prokind IN ('f', 'p')
        GROUP BY p.oid, n.nspname, p.proname""", ([_role(r) for r in ROLES], SCHEMAS)).fetchall()
    return {sig.replace("timestamp with time zone", "timestamptz"):
            tuple("x" if ok else "." for ok in granted) for sig, granted in rows}


def _table_letters(db: psycopg.Connection, oid: int, kind: str, role: str) -> str:
    if kind == "S":
        checks = [("r", "SELECT"), ("U", "USAGE"), ("w", "UPDATE")]
        fn = "has_sequence_privilege"
    else:
        checks = [("r", "SELECT"), ("a", "INSERT"), ("w", "UPDATE"), ("d", "DELETE"),
                  ("D", "TRUNCATE")]
        fn = "has_table_privilege"
    granted = db.execute(
        f"SELECT array_agg({fn}(%s, %s::oid, c) ORDER BY o) FROM unnest(%s::text[])"
        " WITH ORDINALITY AS u (c, o)", (role, oid, [c for _, c in checks])).fetchone()[0]
    return "".join(letter for (letter, _), ok in zip(checks, granted, strict=True) if ok) or "-"


def _actual_tables(db: psycopg.Connection, partitions: bool = False) -> dict[str, tuple[str, ...]]:
    rows = db.execute("""
        SELECT c.oid, c.relkind, n.nspname || '.' || c.relname
        FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY (%s) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
          AND c.relispartition = %s""", (SCHEMAS, partitions)).fetchall()
    return {name: tuple(_table_letters(db, oid, kind, _role(r)) for r in ROLES)
            for oid, kind, name in rows}


def test_every_function_has_exactly_the_execute_grants_of_the_matrix(
        db: psycopg.Connection) -> None:
    expected = _matrix(FUNCTIONS)
    actual = _actual_functions(db)
    assert sorted(set(actual) - set(expected)) == [], "functions without a matrix row"
    assert sorted(set(expected) - set(actual)) == [], "matrix rows of functions that are gone"
    wrong = {(f, r): actual[f][i] for f in expected for i, r in enumerate(ROLES)
             if actual[f][i] != expected[f][i]}
    assert wrong == {}


def test_every_table_has_exactly_the_privileges_of_the_matrix(db: psycopg.Connection) -> None:
    expected = _matrix(TABLES)
    actual = _actual_tables(db)
    assert sorted(set(actual) - set(expected)) == [], "tables without a matrix row"
    assert sorted(set(expected) - set(actual)) == [], "matrix rows of tables that are gone"
    assert {t: actual[t] for t in expected if actual[t] != expected[t]} == {}


def test_column_grants_are_exactly_the_matrix(db: psycopg.Connection) -> None:
    rows = db.execute("""
        SELECT n.nspname || '.' || c.relname, a.attname, x.grantee::regrole::text, x.privilege_type
        FROM pg_attribute AS a
        JOIN pg_class AS c ON c.oid = a.attrelid
        JOIN pg_namespace AS n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL aclexplode(a.attacl) AS x
        WHERE n.nspname = ANY (%s) AND a.attacl IS NOT NULL""", (SCHEMAS,)).fetchall()
    actual = {(t, col, role.removeprefix("bbase_"), priv) for t, col, role, priv in rows}
    assert actual == COLUMNS


def test_partitions_grant_nothing_to_the_roles(db: psycopg.Connection) -> None:
    partitions = _actual_tables(db, partitions=True)
    assert partitions, "change_history has partitions from its migration"
    assert {p: v for p, v in partitions.items() if v != ("-",) * 4} == {}


def test_no_role_may_create_objects_in_the_pipeline_schemas(db: psycopg.Connection) -> None:
    granted = [(s, r) for s in SCHEMAS for r in ROLES if db.execute(
        "SELECT has_schema_privilege(%s, %s, 'CREATE')", (_role(r), s)).fetchone()[0]]
    assert granted == []


def test_public_may_execute_no_function_of_the_pipeline(db: psycopg.Connection) -> None:
    public = db.execute("""
        SELECT p.oid::regprocedure::text
        FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
        CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS x
        WHERE n.nspname = ANY (%s) AND x.grantee = 0 AND x.privilege_type = 'EXECUTE'
        ORDER BY 1""", (SCHEMAS,)).fetchall()
    assert public == []


def test_every_security_definer_function_pins_a_safe_search_path(db: psycopg.Connection) -> None:
    rows = db.execute("""
        SELECT p.oid::regprocedure::text, (
            SELECT c FROM unnest(p.proconfig) AS c WHERE c LIKE 'search\\_path=%%')
        FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
        WHERE n.nspname = ANY (%s) AND p.prosecdef""", (SCHEMAS,)).fetchall()
    assert rows, "the pipeline has SECURITY DEFINER functions"
    unsafe = {name: setting for name, setting in rows
              if setting is None or "$user" in setting or "public" in setting
              or "pg_temp" in setting}
    assert unsafe == {}
