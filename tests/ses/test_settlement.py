"""Settlement (精算) of one side of a contract for one month: billing_context.compute_settlement.

The worked examples of ses-domain-rules.md section 1 (単価 600,000 yen, 140-180 h).
"""

from __future__ import annotations

from decimal import Decimal

import psycopg
import pytest

DB = psycopg.Connection

SETTLE = """
    SELECT amount, base_amount, adjustment_amount, deduction_rate, overtime_rate,
        lower_hours, upper_hours
    FROM billing_context.compute_settlement(%(method)s, %(price)s, %(hours)s,
        p_active_days => %(active)s, p_month_days => %(days)s,
        p_rounding_mode => %(rounding)s, p_fixed_hours => %(fixed)s, p_hourly_rate => %(hourly)s,
        p_deduction_rate => %(deduction)s, p_overtime_rate => %(overtime)s)
"""


def settle(db: DB, method: str, hours: str | None, **kw: object) -> dict[str, Decimal]:
    params = {
        "method": method,
        "price": Decimal(kw.get("price", "600000")),
        "hours": None if hours is None else Decimal(hours),
        "active": kw.get("active"),
        "days": kw.get("days"),
        "rounding": kw.get("rounding", "FLOOR"),
        "fixed": kw.get("fixed"),
        "hourly": kw.get("hourly"),
        "deduction": kw.get("deduction"),
        "overtime": kw.get("overtime"),
    }
    cur = db.execute(SETTLE, params)
    names = [c.name for c in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


def test_upper_lower_above_the_range_bills_overtime_at_the_floored_upper_rate(db: DB) -> None:
    r = settle(db, "UPPER_LOWER", "190.5")
    assert r["overtime_rate"] == 3330
    assert r["amount"] == 634965


def test_upper_lower_below_the_range_deducts_at_the_floored_lower_rate(db: DB) -> None:
    r = settle(db, "UPPER_LOWER", "132.25")
    assert r["deduction_rate"] == 4280
    assert r["amount"] == 566830


def test_midpoint_above_the_range_uses_the_one_midpoint_rate(db: DB) -> None:
    r = settle(db, "MIDPOINT", "190.5")
    assert (r["deduction_rate"], r["overtime_rate"]) == (3750, 3750)
    assert r["amount"] == 639375


def test_midpoint_below_the_range_floors_the_half_yen(db: DB) -> None:
    assert settle(db, "MIDPOINT", "132.25")["amount"] == 570937


def test_half_up_rounding_mode_rounds_the_half_yen_up(db: DB) -> None:
    assert settle(db, "MIDPOINT", "132.25", rounding="HALF_UP")["amount"] == 570938


def test_a_partial_month_prorates_price_and_bounds_keeping_full_month_rates(db: DB) -> None:
    r = settle(db, "UPPER_LOWER", "120", active=13, days=21)
    assert (r["base_amount"], r["lower_hours"], r["upper_hours"]) == (371428, 86, 111)
    assert r["adjustment_amount"] == 9 * 3330
    assert r["amount"] == 401398


@pytest.mark.parametrize("hours", ["140.00", "180.00", "160.00"])
@pytest.mark.parametrize("method", ["UPPER_LOWER", "MIDPOINT"])
def test_hours_on_or_inside_the_bounds_give_no_adjustment(db: DB, method: str, hours: str) -> None:
    r = settle(db, method, hours)
    assert (r["adjustment_amount"], r["amount"]) == (0, 600000)


@pytest.mark.parametrize("hours", ["0", "100", "250.75", None])
def test_fixed_ignores_the_hours(db: DB, hours: str | None) -> None:
    assert settle(db, "FIXED", hours)["amount"] == 600000


def test_rates_written_in_the_contract_win_over_derived_rates(db: DB) -> None:
    r = settle(db, "UPPER_LOWER", "190.5", overtime="3500")
    assert r["amount"] == 600000 + Decimal("10.5") * 3500


def test_fixed_hours_settles_every_hour_off_the_reference_point(db: DB) -> None:
    # 150h固定: rate floor10(600000 / 150) = 4000; 2.5 h short.
    assert settle(db, "FIXED_HOURS", "147.5", fixed="150")["amount"] == 590000


def test_hourly_bills_hours_times_the_rate(db: DB) -> None:
    assert settle(db, "HOURLY", "101.25", hourly="3800")["amount"] == Decimal("384750")


@pytest.mark.parametrize(
    ("method", "hours", "extra", "field"),
    [
        ("WEEKLY", "160", {}, "settlement_method"),
        ("UPPER_LOWER", "-1", {}, "hours"),
        ("UPPER_LOWER", None, {}, "hours"),
        ("UPPER_LOWER", "160", {"rounding": "BANKERS"}, "rounding_mode"),
        ("HOURLY", "160", {}, "hourly_rate"),
        ("FIXED_HOURS", "160", {}, "fixed_hours"),
        ("UPPER_LOWER", "160", {"active": 22, "days": 21}, "active_days/month_days"),
    ],
)
def test_bad_settlement_input_raises_se180_naming_the_field(
    db: DB, method: str, hours: str | None, extra: dict[str, object], field: str
) -> None:
    with pytest.raises(psycopg.DatabaseError) as err:
        settle(db, method, hours, **extra)
    assert err.value.sqlstate == "SE180"
    assert f"invalid {field}:" in str(err.value)


def test_weekdays_of_a_month_exclude_saturdays_and_sundays(db: DB) -> None:
    row = db.execute(
        "SELECT billing_context.count_billing_days('2026-11-01', '2026-11-30', 'WEEKDAYS'),"
        " billing_context.count_billing_days('2026-11-01', '2026-11-30', 'CALENDAR_DAYS')"
    ).fetchone()
    assert row == (21, 30)
