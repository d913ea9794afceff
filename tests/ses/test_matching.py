"""Matching: matching_context.score_candidates (hard filters, weighted factors, breakdown,
ties by id, idempotence, no protected attribute) and complete_matching (MatchingCompleted)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from tests.ses import workflow_rows as w
from tests.ses.conftest import insert_row

SCORE = "SELECT * FROM matching_context.score_candidates(%s, %s)"
#: Words of a protected attribute (ses-domain-rules.md section 5, 職安法 guideline), matched
#: against the snake_case words of a name ("manager" is not "age").
PROTECTED = re.compile(
    r"^(age|ages|birth|birthday|birthdate|birthplace|dob|born|sex|gender|nationality|citizenship|"
    r"honseki|domicile|religion|belief|race|ethnicity|marital|family|health|union|photo)$"
)


def protected_words(name: str) -> list[str]:
    return [word for word in name.split("_") if PROTECTED.match(word)]


@pytest.fixture
def world(db: psycopg.Connection) -> dict[str, Any]:
    w.start(db)
    project = w.project(db)
    return {"project": project, "request": w.request(db, project)}


def score(db: psycopg.Connection, req: dict[str, Any]) -> list[tuple[Any, ...]]:
    current = w.version(db, "matching_context.matching_requests", req["id"])
    return db.execute(SCORE, (req["id"], current)).fetchall()


def candidates(db: psycopg.Connection, req: dict[str, Any]) -> dict[uuid.UUID, tuple[Any, ...]]:
    return {
        r[0]: r[1:]
        for r in db.execute(
            "SELECT engineer_id, status, score, exclusion_reason, version"
            " FROM matching_context.matching_candidates"
            " WHERE matching_request_id = %s",
            (req["id"],),
        ).fetchall()
    }


def test_an_engineer_missing_a_must_have_skill_is_not_a_candidate(
    db: psycopg.Connection, world: dict[str, Any]
) -> None:
    fits = w.engineer(db, {"Java": (4, 5)})
    lacks = w.engineer(db, {"Python": (5, 8)})
    ranked = {r[1] for r in score(db, world["request"])}
    assert fits["id"] in ranked and lacks["id"] not in ranked


def test_a_must_have_skill_below_its_level_excludes(db: psycopg.Connection) -> None:
    w.start(db)
    req = w.request(db, w.project(db), required_skills=Jsonb([{"name": "Java", "level": 4}]))
    low = w.engineer(db, {"Java": (3, 9)})
    assert [r for r in score(db, req) if r[1] == low["id"]] == []


def test_an_engineer_deeper_in_the_commercial_chain_than_allowed_is_not_a_candidate(
    db: psycopg.Connection,
) -> None:
    w.start(db)
    req = w.request(db, w.project(db), max_chain_depth=1)
    near = w.engineer(db, {"Java": (4, 5)}, chain_depth=1)
    deep = w.engineer(db, {"Java": (4, 5)}, chain_depth=2)
    ranked = {r[1] for r in score(db, req)}
    assert near["id"] in ranked and deep["id"] not in ranked


def test_an_engineer_not_available_by_the_start_by_date_is_not_a_candidate(
    db: psycopg.Connection,
) -> None:
    w.start(db)
    req = w.request(db, w.project(db), start_by_date="2025-08-15")
    ready = w.engineer(db, {"Java": (4, 5)}, available_from="2025-08-15")
    late = w.engineer(db, {"Java": (4, 5)}, available_from="2025-08-16")
    ranked = {r[1] for r in score(db, req)}
    assert ready["id"] in ranked and late["id"] not in ranked


def test_a_cancelled_availability_period_does_not_make_an_engineer_available(
    db: psycopg.Connection,
) -> None:
    w.start(db)
    req = w.request(db, w.project(db), start_by_date="2025-08-15")
    booked, cancelled = (w.engineer(db, {"Java": (4, 5)}, availability_status="AVAILABLE_SOON")
                         for _ in range(2))
    for eng, status in ((booked, "CONFIRMED"), (cancelled, "CANCELLED")):
        insert_row(db, "engineer_context.availability_periods",
                   {"engineer_id": eng["id"], "available_from": "2025-08-01", "status": status})
    ranked = {r[1] for r in score(db, req)}
    assert booked["id"] in ranked and cancelled["id"] not in ranked


def test_the_score_is_the_weighted_sum_of_the_factors(
    db: psycopg.Connection, world: dict[str, Any]
) -> None:
    # Budget 650,000; desired 715,000 is 10 % above: RATE 0.5 (0 at +20 %). Every
    # other factor is 1. Default weights 45/15/12/10/10/8: 100 * (90 + 10 * 0.5) / 100.
    eng = w.engineer(db, {"Java": (4, 5)}, desired_unit_price=715000)
    row = next(r for r in score(db, world["request"]) if r[1] == eng["id"])
    assert row[2] == pytest.approx(95.0)
    assert row[3]["RATE"] == {"weight": 10, "value": 0.5, "points": 5.0}
    assert row[3]["MUST_HAVE_SKILLS"] == {"weight": 45, "value": 1, "points": 45.0}


def test_years_beyond_the_requirement_earn_no_bonus(
    db: psycopg.Connection, world: dict[str, Any]
) -> None:
    enough = w.engineer(db, {"Java": (4, 3)})
    more = w.engineer(db, {"Java": (4, 15)})
    scores = {r[1]: r[2] for r in score(db, world["request"])}
    assert scores[enough["id"]] == scores[more["id"]] == pytest.approx(100.0)


def test_a_tenant_scores_with_its_own_weights(
    db: psycopg.Connection, world: dict[str, Any]
) -> None:
    tenant = uuid.uuid4()
    insert_row(
        db,
        "matching_context.scoring_criteria",
        dict(tenant_id=tenant, factor="RATE", weight=100, valid_from="2000-01-01"),
    )
    eng = w.engineer(db, {"Java": (4, 5)}, desired_unit_price=715000)
    req = world["request"]
    rows = db.execute(
        "SELECT engineer_id, score, score_breakdown FROM"
        " matching_context.score_candidates(%s, %s, %s)",
        (req["id"], req["version"], tenant),
    ).fetchall()
    assert rows == [
        (eng["id"], pytest.approx(50.0), {"RATE": {"weight": 100, "value": 0.5, "points": 50.0}})
    ]


def test_equal_scores_are_ranked_by_engineer_id(
    db: psycopg.Connection, world: dict[str, Any]
) -> None:
    ids = [w.engineer(db, {"Java": (4, 5)})["id"] for _ in range(4)]
    rows = score(db, world["request"])
    assert [r[1] for r in rows] == sorted(ids)
    assert [r[0] for r in rows] == [1, 2, 3, 4]


def test_a_higher_score_ranks_first_whatever_the_ids(
    db: psycopg.Connection, world: dict[str, Any]
) -> None:
    engineers = [
        w.engineer(db, {"Java": (4, 5)}, desired_unit_price=price)
        for price in (700000, 600000, 750000)
    ]
    rows = score(db, world["request"])
    assert [r[1] for r in rows] == [engineers[1]["id"], engineers[0]["id"], engineers[2]["id"]]


def test_each_candidate_is_stored_with_its_breakdown(
    db: psycopg.Connection, world: dict[str, Any]
) -> None:
    eng = w.engineer(db, {"Java": (4, 5)})
    returned = {r[1]: r[3] for r in score(db, world["request"])}
    stored = db.execute(
        "SELECT score_breakdown FROM matching_context.matching_candidates"
        " WHERE matching_request_id = %s AND engineer_id = %s",
        (world["request"]["id"], eng["id"]),
    ).fetchone()[0]
    assert stored == returned[eng["id"]]
    assert set(stored) == {
        "MUST_HAVE_SKILLS",
        "NICE_TO_HAVE_SKILLS",
        "START_DATE",
        "LOCATION",
        "RATE",
        "EXPERIENCE_YEARS",
    }


def test_scoring_twice_writes_nothing_the_second_time(
    db: psycopg.Connection, world: dict[str, Any]
) -> None:
    for _ in range(3):
        w.engineer(db, {"Java": (4, 5)})
    first = score(db, world["request"])
    before = candidates(db, world["request"])
    second = score(db, world["request"])
    assert candidates(db, world["request"]) == before
    assert [r[:4] for r in second] == [r[:4] for r in first]
    assert {r[4] for r in first} == {True} and {r[4] for r in second} == {False}


def test_a_candidate_that_fails_a_filter_later_is_marked_excluded(
    db: psycopg.Connection, world: dict[str, Any]
) -> None:
    eng = w.engineer(db, {"Java": (4, 5)})
    score(db, world["request"])
    db.execute(
        "UPDATE engineer_context.skill_assessments SET skill_name = 'COBOL' WHERE engineer_id = %s",
        (eng["id"],),
    )
    assert score(db, world["request"]) == []
    status, _, reason, _ = candidates(db, world["request"])[eng["id"]]
    assert (status, reason) == ("EXCLUDED", "missing must-have skill Java")


def test_scoring_with_a_stale_request_version_is_refused(
    db: psycopg.Connection, world: dict[str, Any]
) -> None:
    req = world["request"]
    db.execute(
        "UPDATE matching_context.matching_requests SET budget_max = 700000 WHERE id = %s",
        (req["id"],),
    )
    with pytest.raises(psycopg.Error) as exc:
        db.execute(SCORE, (req["id"], req["version"]))
    assert exc.value.sqlstate == "SE001"


def test_a_completed_request_is_not_scored(db: psycopg.Connection, world: dict[str, Any]) -> None:
    req = world["request"]
    db.execute("SELECT matching_context.complete_matching(%s, %s)", (req["id"], req["version"]))
    with pytest.raises(psycopg.Error) as exc:
        score(db, req)
    assert exc.value.sqlstate == "SE191"


def test_a_missing_request_is_refused(db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.Error) as exc:
        db.execute(SCORE, (uuid.uuid4(), 1))
    assert exc.value.sqlstate == "SE190"


def test_the_scoring_rule_has_no_protected_attribute_among_its_inputs(
    db: psycopg.Connection,
) -> None:
    names = db.execute(
        "SELECT proargnames FROM pg_proc WHERE oid = 'matching_context.score_engineer'::regproc"
    ).fetchone()[0]
    inputs = names[:15]
    assert inputs == [
        "p_required_skills",
        "p_preferred_skills",
        "p_max_chain_depth",
        "p_start_by_date",
        "p_desired_start_date",
        "p_remote_policy",
        "p_budget_max",
        "p_weights",
        "p_skills",
        "p_chain_depth",
        "p_availability_status",
        "p_available_on",
        "p_remote_preference",
        "p_desired_unit_price",
        "p_years_of_experience",
    ]
    assert [n for n in inputs if protected_words(n)] == []


def test_no_engineer_or_matching_column_can_hold_a_protected_attribute(
    db: psycopg.Connection,
) -> None:
    columns = [
        r[0]
        for r in db.execute(
            "SELECT table_schema || '.' || table_name || '.' || column_name"
            " FROM information_schema.columns"
            " WHERE table_schema IN ('engineer_context', 'matching_context')"
        ).fetchall()
    ]
    assert columns, "the catalog query found no column at all"
    assert [c for c in columns if protected_words(c.rsplit(".", 1)[1])] == []


def test_no_protected_attribute_can_be_a_scoring_factor(db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.errors.CheckViolation) as exc:
        insert_row(db, "matching_context.scoring_criteria", dict(factor="AGE", weight=10))
    assert exc.value.diag.constraint_name == "scoring_criteria_factor_check"


def test_attributes_outside_the_rule_do_not_change_a_score(
    db: psycopg.Connection, world: dict[str, Any]
) -> None:
    eng = w.engineer(
        db, {"Java": (4, 5)}, desired_unit_price=700000, prefecture="東京都", nearest_station="新宿"
    )
    first = score(db, world["request"])
    db.execute(
        "UPDATE engineer_context.engineers SET prefecture = '沖縄県', nearest_station = '那覇',"
        " note = 'x', partner_company_name = NULL, engineer_code = 'ENG-OTHER',"
        " last_name_encrypted = ses_common.encrypt_personal_data('engineer_name', '鈴木')"
        " WHERE id = %s",
        (eng["id"],),
    )
    second = score(db, world["request"])
    assert [r[:4] for r in second] == [r[:4] for r in first]
    assert [r[4] for r in second] == [False]


def test_a_project_manager_scores_the_requests_of_their_projects(
    db: psycopg.Connection, world: dict[str, Any]
) -> None:
    w.engineer(db, {"Java": (4, 5)})
    db.execute("SET LOCAL ROLE ses_project_manager_role")
    db.execute("SELECT ses_common.act_as(%s)", (w.PM,))
    assert len(score(db, world["request"])) == 1


def test_a_project_manager_cannot_score_another_managers_request(
    db: psycopg.Connection, world: dict[str, Any]
) -> None:
    w.engineer(db, {"Java": (4, 5)})
    req = world["request"]
    db.execute("SET LOCAL ROLE ses_project_manager_role")
    db.execute("SELECT ses_common.act_as(%s)", (w.OTHER_PM,))
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        db.execute(SCORE, (req["id"], req["version"]))
    assert exc.value.sqlstate == "SE190"
    db.execute("RESET ROLE")
    assert candidates(db, req) == {}


def test_completing_a_request_emits_matching_completed_once(
    db: psycopg.Connection, world: dict[str, Any]
) -> None:
    req = world["request"]
    done = [
        db.execute(
            "SELECT matching_context.complete_matching(%s, %s)", (req["id"], req["version"])
        ).fetchone()[0]
        for _ in range(2)
    ]
    assert done == [True, False]
    payloads = w.events(db, "MatchingCompleted", req["id"])
    assert len(payloads) == 1
    assert payloads[0]["status"] == "COMPLETED" and payloads[0]["project_id"] == str(
        req["project_id"]
    )


def test_completing_with_a_stale_version_is_refused(
    db: psycopg.Connection, world: dict[str, Any]
) -> None:
    req = world["request"]
    db.execute(
        "UPDATE matching_context.matching_requests SET status = 'SEARCHING' WHERE id = %s",
        (req["id"],),
    )
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        db.execute("SELECT matching_context.complete_matching(%s, %s)", (req["id"], req["version"]))
    assert exc.value.sqlstate == "SE001"
    assert w.events(db, "MatchingCompleted", req["id"]) == []


def test_no_matching_completed_survives_a_rolled_back_completion(
    db: psycopg.Connection, world: dict[str, Any]
) -> None:
    req = world["request"]
    with pytest.raises(RuntimeError), db.transaction():
        db.execute("SELECT matching_context.complete_matching(%s, %s)", (req["id"], req["version"]))
        assert len(w.events(db, "MatchingCompleted", req["id"])) == 1
        raise RuntimeError("roll back")
    assert w.events(db, "MatchingCompleted", req["id"]) == []


@pytest.mark.parametrize(
    ("skills", "field"),
    [
        ([{"name": "Java"}, {"years": 3}], "required_skills[1]"),
        ([{"name": " "}], "required_skills[0]"),
        ([{"name": "Java", "years": "three"}], "required_skills[0]"),
        (["Java"], "required_skills[0]"),
    ],
)
def test_a_malformed_skill_in_the_request_is_refused_naming_it(
    db: psycopg.Connection, skills: list[Any], field: str
) -> None:
    w.start(db)
    req = w.request(db, w.project(db), required_skills=Jsonb(skills))
    with pytest.raises(psycopg.Error) as exc, db.transaction():
        db.execute(SCORE, (req["id"], req["version"]))
    assert exc.value.sqlstate == "SE195" and exc.value.diag.column_name == field
