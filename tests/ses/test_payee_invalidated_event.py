"""PayeeAccountInvalidated (migration 0195): a Zengin master change that invalidates payee
accounts writes one event per account to the outbox in the same transaction (ids and codes,
no personal data), and the notifications consumer turns it into one notification for the
users subscribed to PAYEE_ACCOUNT_INVALID, one delivery per channel."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from tests.ses.test_payee_accounts import _register, master  # noqa: F401 (fixture)

EVENTS = (
    "SELECT aggregate_id, payload FROM ses_common.event_outbox"
    " WHERE event_type = 'PayeeAccountInvalidated' ORDER BY aggregate_id"
)


def _delete_branch(conn: psycopg.Connection, bank: str, branch: str) -> None:
    conn.execute(
        "DELETE FROM zengin.branches WHERE bank_code = %s AND branch_code = %s", (bank, branch)
    )


def test_an_invalidated_account_emits_exactly_one_event(master: psycopg.Connection) -> None:  # noqa: F811
    on_it = _register(master, "0001", "002")
    _register(master, "0001", "001")
    _delete_branch(master, "0001", "002")
    assert [r[0] for r in master.execute(EVENTS)] == [on_it["id"]]


def test_a_deleted_branch_without_accounts_emits_nothing(master: psycopg.Connection) -> None:  # noqa: F811
    _register(master, "0001", "001")
    _delete_branch(master, "0001", "002")
    assert master.execute(EVENTS).fetchall() == []


def test_a_renamed_branch_emits_nothing(master: psycopg.Connection) -> None:  # noqa: F811
    _register(master, "0001", "002")
    master.execute(
        "UPDATE zengin.branches SET name = '新支店名'"
        " WHERE bank_code = '0001' AND branch_code = '002'"
    )
    assert master.execute(EVENTS).fetchall() == []


def test_a_rolled_back_deletion_leaves_no_event(master: psycopg.Connection) -> None:  # noqa: F811
    _register(master, "0001", "002")
    with pytest.raises(psycopg.errors.RaiseException), master.transaction():
        _delete_branch(master, "0001", "002")
        master.execute("DO $$ BEGIN RAISE EXCEPTION 'crash after the diff'; END $$")
    assert master.execute(EVENTS).fetchall() == []


def test_the_event_carries_ids_and_codes_and_no_personal_data(master: psycopg.Connection) -> None:  # noqa: F811
    account = _register(master, "0001", "002", kana="ﾔﾏﾀﾞ ﾀﾛｳ", number="7654321")
    _delete_branch(master, "0001", "002")
    payload = master.execute(EVENTS).fetchone()[1]
    assert payload == {
        "payee_account_id": str(account["id"]),
        "bank_code": "0001",
        "branch_code": "002",
        "diff_id": None,
        "removed": "branch",
        "status": "INVALID",
        "audience": "ses_finance_role",
    }


def test_the_consumer_tells_finance_once_per_channel(master: psycopg.Connection) -> None:  # noqa: F811
    finance_user = uuid.uuid4()
    master.execute("SET LOCAL ses_common.maintenance = on")
    master.execute(
        "SELECT ses_common.create_partitions("
        "'notification_context.notifications'::regclass, current_date, current_date)"
    )
    mail = master.execute(
        "INSERT INTO notification_context.notification_channels (channel_type, name)"
        " VALUES ('EMAIL', 'Finance mail') RETURNING id"
    ).fetchone()[0]
    in_app = master.execute(
        "SELECT channel_id FROM notification_context.notification_rules"
        " WHERE event_type = 'PayeeAccountInvalidated'"
    ).fetchone()[0]
    for channel in (in_app, mail):
        master.execute(
            "INSERT INTO notification_context.notification_subscriptions"
            " (user_id, notification_type, channel_id)"
            " VALUES (%s, 'PAYEE_ACCOUNT_INVALID', %s)",
            (finance_user, channel),
        )
    account = _register(master, "0001", "002")
    _delete_branch(master, "0001", "002")
    master.execute("SELECT * FROM ses_common.consume_events('notifications', 100)")
    master.execute("SELECT * FROM ses_common.consume_events('notifications', 100)")
    notifications = master.execute(
        "SELECT id, notification_type, recipient_users FROM notification_context.notifications"
        " WHERE source_id = %s",
        (account["id"],),
    ).fetchall()
    deliveries = master.execute(
        "SELECT channel_id, recipient_user_id FROM notification_context.notification_deliveries"
        " WHERE notification_id = %s ORDER BY channel_id = %s",
        (notifications[0][0], mail),
    ).fetchall()
    assert ([n[1:] for n in notifications], deliveries) == (
        [("PAYEE_ACCOUNT_INVALID", [str(finance_user)])],
        [(in_app, finance_user), (mail, finance_user)],
    )
