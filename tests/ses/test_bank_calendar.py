"""The bank business-day calendar: Japanese public holidays computed by rule."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

#: The Cabinet Office's published holidays (内閣府「国民の祝日について」), with the
#: banks' closing days Jan 2, Jan 3 and Dec 31 added.
OFFICIAL = {
    2025: ["01-01", "01-02", "01-03", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29",
           "05-03", "05-04", "05-05", "05-06", "07-21", "08-11", "09-15", "09-23", "10-13",
           "11-03", "11-23", "11-24", "12-31"],
    2026: ["01-01", "01-02", "01-03", "01-12", "02-11", "02-23", "03-20", "04-29", "05-03",
           "05-04", "05-05", "05-06", "07-20", "08-11", "09-21", "09-22", "09-23", "10-12",
           "11-03", "11-23", "12-31"],
    2021: ["01-01", "01-02", "01-03", "01-11", "02-11", "02-23", "03-20", "04-29", "05-03",
           "05-04", "05-05", "07-22", "07-23", "08-08", "08-09", "09-20", "09-23", "11-03",
           "11-23", "12-31"],
}


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_computed_holidays_match_the_published_list(db: psycopg.Connection, year: int) -> None:
    days = [r[0] for r in db.execute(
        "SELECT to_char(holiday_date, 'MM-DD') FROM ses_common.compute_japanese_holidays(%s)"
        " ORDER BY 1", (year,))]
    assert days == OFFICIAL[year]


def test_a_holiday_on_sunday_moves_to_the_next_free_day(db: psycopg.Connection) -> None:
    # 2026-05-03 (Sunday): 5/4 and 5/5 are holidays already, so 5/6 is the 振替休日.
    row = db.execute("SELECT name, kind FROM ses_common.compute_japanese_holidays(2026)"
                     " WHERE holiday_date = '2026-05-06'").fetchone()
    assert row == ("振替休日", "SUBSTITUTE")


def test_a_day_between_two_holidays_is_a_citizens_holiday(db: psycopg.Connection) -> None:
    row = db.execute("SELECT name, kind FROM ses_common.compute_japanese_holidays(2026)"
                     " WHERE holiday_date = '2026-09-22'").fetchone()
    assert row == ("国民の休日", "CITIZENS")


@pytest.mark.parametrize(("day", "open_"), [
    ("2026-09-22", False),   # 国民の休日 (Tuesday)
    ("2026-09-24", True),    # Thursday
    ("2026-12-31", False),   # banks' year-end closing
    ("2027-01-04", True),    # first business day of 2027
    ("2027-01-09", False),   # Saturday
    ("2027-01-11", False),   # 成人の日
])
def test_business_days_are_weekdays_not_in_the_calendar(
    db: psycopg.Connection, day: str, open_: bool
) -> None:
    db.execute("SELECT ses_common.refresh_bank_holidays(2026, 2027)")
    assert db.execute("SELECT ses_common.is_bank_business_day(%s)", (day,)).fetchone()[0] is open_


def test_a_year_the_calendar_does_not_cover_raises_instead_of_guessing(
    db: psycopg.Connection,
) -> None:
    db.execute("DELETE FROM ses_common.bank_calendar_years WHERE calendar_year = 2028")
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT ses_common.is_bank_business_day('2028-03-01')")
    assert exc.value.sqlstate == "SE149"


@pytest.mark.parametrize("year", [2019, 2100])
def test_years_outside_the_known_rules_are_refused(db: psycopg.Connection, year: int) -> None:
    with pytest.raises(psycopg.Error) as exc:
        db.execute("SELECT ses_common.refresh_bank_holidays(%s, %s)", (year, year))
    assert exc.value.sqlstate == "SE149"


def test_refreshing_again_keeps_a_special_day_and_changes_nothing_else(
    db: psycopg.Connection,
) -> None:
    db.execute("SELECT ses_common.refresh_bank_holidays(2027, 2027)")
    db.execute("INSERT INTO ses_common.bank_holidays (holiday_date, name, kind)"
               " VALUES ('2027-06-01', '特別な休日', 'SPECIAL')")
    before = db.execute("SELECT array_agg(holiday_date ORDER BY holiday_date)"
                        " FROM ses_common.bank_holidays"
                        " WHERE holiday_date BETWEEN '2027-01-01' AND '2027-12-31'").fetchone()[0]
    db.execute("SELECT ses_common.refresh_bank_holidays(2027, 2027)")
    after = db.execute("SELECT array_agg(holiday_date ORDER BY holiday_date)"
                       " FROM ses_common.bank_holidays"
                        " WHERE holiday_date BETWEEN '2027-01-01' AND '2027-12-31'").fetchone()[0]
    assert after == before and dt.date(2027, 6, 1) in after


def test_an_install_covers_this_year_and_the_next_two(db: psycopg.Connection) -> None:
    years = [r[0] for r in db.execute(
        "SELECT calendar_year FROM ses_common.bank_calendar_years ORDER BY 1")]
    this = db.execute(
        "SELECT date_part('year', now() AT TIME ZONE 'Asia/Tokyo')::int").fetchone()[0]
    assert {this, this + 1, this + 2} <= set(years)
