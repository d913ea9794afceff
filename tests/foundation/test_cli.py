"""The operator's path through ``bbase``: fast help, help on every option, and one
clear line (``bbase: …`` on stderr, non-zero exit, no traceback) when a command
cannot do its job."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from bbase import dynamo
from bbase.cli import build_parser, main
from bbase.config import LOCAL_CREDENTIALS, Settings, is_loopback_endpoint
from tests.zengin.helpers import CREATOR, SMALL_BANKS, SMALL_BRANCHES, diff, pending_ids, stage

#: Libraries that building the parser (``bbase --help``) must not import.
HEAVY = ("psycopg", "boto3", "botocore", "s3transfer", "jinja2", "yoyo", "moto")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _settings(endpoint: str | None) -> Settings:
    return Settings(database_url=None, db_secret_id=None, env="dev",
                    aws_region="ap-northeast-1", aws_endpoint_url=endpoint)


def _no_aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                 "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/config")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


# --- the parser -----------------------------------------------------------------

def test_building_the_parser_imports_no_heavy_library() -> None:
    code = (
        "import sys, bbase.cli\n"
        "parser = bbase.cli.build_parser()\n"
        "assert 'demo' in parser._subparsers._group_actions[0].choices, 'workshop not loaded'\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert proc.stdout.strip() == "[]"


def _undocumented(parser: argparse.ArgumentParser, path: str) -> list[str]:
    missing: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        name = "/".join(action.option_strings) or action.metavar or action.dest
        if not action.help or action.help == argparse.SUPPRESS:
            missing.append(f"{path} {name}")
        if isinstance(action, argparse._SubParsersAction):
            documented = {choice.dest for choice in action._choices_actions if choice.help}
            for command, sub in action.choices.items():
                if command not in documented:
                    missing.append(f"{path} {command}")
                missing += _undocumented(sub, f"{path} {command}")
    return missing


def test_every_argument_of_every_command_has_help() -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    # The walk covers the workshop's plugin commands too (it is installed in a checkout).
    assert {"demo", "bench", "migrate", "zengin"} <= set(commands)
    assert {"seed", "refresh"} <= set(commands["ses"]._subparsers._group_actions[0].choices)
    assert _undocumented(parser, "bbase") == []


def test_dsn_help_says_it_starts_the_local_cluster_only_with_local() -> None:
    choices = build_parser()._subparsers._group_actions[0]._choices_actions
    text = next(c.help for c in choices if c.dest == "dsn")
    assert "URI in use" in text and "only with --local" in text


# --- one clear line when a command cannot do its job ------------------------------

def test_no_database_configured_is_one_line(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("DATABASE_URL", "DB_SECRET_ID", "BBASE_LOCAL"):
        monkeypatch.delenv(name, raising=False)
    code, _, err = _run(capsys, "status")
    assert code == 1
    assert err.startswith("bbase: no database: set DATABASE_URL") and err.count("\n") == 1


def test_unreachable_database_names_host_and_port_but_not_the_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    port = _closed_port()
    monkeypatch.setenv("DATABASE_URL", f"postgresql://op:s3cret-pw@127.0.0.1:{port}/prod")
    for argv in (["status"], ["migrate"], ["zengin", "diff", "1"], ["maintain"]):
        code, _, err = _run(capsys, *argv)
        assert code == 1, argv
        assert err == (f"bbase: cannot connect to database prod on host 127.0.0.1 port {port}: "
                       "Connection refused\n"), argv


def test_status_on_an_empty_database_says_bbase_is_not_installed(
    empty_dsn: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_dsn)
    code, out, err = _run(capsys, "status")
    assert code == 1 and out == ""
    assert err.startswith("bbase: bbase is not installed in database ")
    assert err.endswith(": run bbase migrate\n") and err.count("\n") == 1
    with psycopg.connect(empty_dsn) as conn:  # and it did not start an install
        assert conn.execute("SELECT to_regclass('public._yoyo_migration')").fetchone()[0] is None


def test_zengin_diff_on_an_empty_database_says_bbase_is_not_installed(
    empty_dsn: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_dsn)
    code, _, err = _run(capsys, "zengin", "diff", "1")
    assert code == 1
    assert err.startswith("bbase: bbase is not installed in database ")
    assert "run bbase migrate" in err and err.count("\n") == 1


def test_no_aws_credentials_is_one_line(monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    _no_aws_credentials(monkeypatch)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://dynamodb.example.invalid:8000")
    code, _, err = _run(capsys, "aws", "bootstrap")
    assert code == 1
    assert err.startswith("bbase: no AWS credentials") and err.count("\n") == 1


def test_unreachable_aws_endpoint_names_it(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    port = _closed_port()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    code, _, err = _run(capsys, "aws", "bootstrap")
    assert code == 1
    assert err.startswith(f"bbase: cannot reach the AWS endpoint http://127.0.0.1:{port}")
    assert "EndpointConnectionError" in err and err.count("\n") == 1


def test_local_dummy_credentials_only_for_a_loopback_endpoint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _no_aws_credentials(monkeypatch)
    for url in ("http://127.0.0.1:5000", "http://127.1.2.3:5000", "http://localhost:5000",
                "http://[::1]:5000"):
        assert is_loopback_endpoint(url), url
        creds = dynamo.session(_settings(url)).get_credentials()
        assert creds is not None and creds.access_key == LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"]
    for url in ("http://10.0.0.5:5000", "https://dynamodb.ap-northeast-1.amazonaws.com",
                "http://localhost.example.com", None):
        assert not is_loopback_endpoint(url), url
        assert dynamo.session(_settings(url)).get_credentials() is None, url


# --- bbase status ---------------------------------------------------------------

@pytest.mark.commits
def test_status_has_a_legend_and_counts_what_is_applied(
    fresh_dsn: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", fresh_dsn)
    code, out, _ = _run(capsys, "status")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "# A = applied, U = not applied yet"
    body = lines[1:-1]
    assert body and all(line.startswith("A ") for line in body)
    assert lines[-1] == f"status: {len(body)} applied, 0 not applied yet; nothing to do"


@pytest.mark.commits
def test_status_after_a_rollback_says_to_run_migrate(
    fresh_dsn: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", fresh_dsn)
    assert _run(capsys, "rollback", "--count", "1")[0] == 0
    code, out, _ = _run(capsys, "status")
    lines = out.splitlines()
    assert code == 0 and lines[-2].startswith("U ")
    assert lines[-1].endswith(" applied, 1 not applied yet; run bbase migrate to apply them")


# --- bbase zengin reject ----------------------------------------------------------

@pytest.fixture
def pending_diff(fresh_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A committed pending diff in a database of its own, which DATABASE_URL names."""
    with psycopg.connect(fresh_dsn, autocommit=True) as conn:
        diff(conn, stage(conn, tmp_path / "src", SMALL_BANKS, SMALL_BRANCHES))
        diff_id = pending_ids(conn)[0]
    monkeypatch.setenv("DATABASE_URL", fresh_dsn)
    return diff_id


def _diff_row(dsn: str, diff_id: str) -> tuple:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT status, rejected_by, reject_reason FROM zengin.diffs "
                            "WHERE id = %s", (diff_id,)).fetchone()


@pytest.mark.commits
def test_reject_command_rejects_a_pending_diff_with_its_reason(
    pending_diff: str, fresh_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "zengin", "reject", pending_diff, "--reviewer", "hanako",
                        "--reason", "closing date not confirmed")
    assert code == 0 and out == f"rejected {pending_diff}\n"
    assert _diff_row(fresh_dsn, pending_diff) == ("rejected", "hanako",
                                                  "closing date not confirmed")


@pytest.mark.commits
def test_reject_without_a_reason_is_refused_with_zg017(
    pending_diff: str, fresh_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "zengin", "reject", pending_diff, "--reviewer", "hanako")
    assert code == 1
    assert err.startswith("bbase: ") and err.count("\n") == 1
    assert "(ZenginInvalidArgument, SQLSTATE ZG017)" in err and "p_reason" in err
    assert _diff_row(fresh_dsn, pending_diff)[0] == "pending"


@pytest.mark.commits
def test_reject_by_a_blank_reviewer_is_refused_with_zg012(
    pending_diff: str, fresh_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "zengin", "reject", pending_diff, "--reviewer", " ",
                        "--reason", "duplicate")
    assert code == 1
    assert "(ZenginApproverMissing, SQLSTATE ZG012)" in err and err.count("\n") == 1
    assert _diff_row(fresh_dsn, pending_diff)[0] == "pending"


@pytest.mark.commits
def test_self_approval_through_the_cli_is_refused_with_zg013(
    pending_diff: str, fresh_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "zengin", "approve", pending_diff, "--approver", CREATOR)
    assert code == 1
    assert err.startswith("bbase: approver ") and err.count("\n") == 1
    assert "(ZenginApproverIsCreator, SQLSTATE ZG013)" in err
    assert _diff_row(fresh_dsn, pending_diff)[0] == "pending"


def test_entry_point_runs_without_a_traceback() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DB_SECRET_ID")}
    env["BBASE_LOCAL"] = ""
    proc = subprocess.run([sys.executable, "-m", "bbase.cli", "status"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.startswith("bbase: no database") and "Traceback" not in proc.stderr
