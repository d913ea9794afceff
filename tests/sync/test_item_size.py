"""zengin_sync.check_item_size's fast path rests on one fact: the JSON text of an
attribute-value item is never smaller than DynamoDB's count of it."""

from __future__ import annotations

from typing import Any

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bbase import dynamo

_LEAF = st.one_of(
    st.text(max_size=20).filter(lambda s: "\x00" not in s).map(lambda s: {"S": s}),
    st.integers(-10**37, 10**37).map(lambda n: {"N": str(n)}),
    st.booleans().map(lambda b: {"BOOL": b}),
    st.just({"NULL": True}),
    st.binary(max_size=20).map(lambda b: {"B": b}),
)
_VALUE = st.recursive(_LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=4).map(lambda v: {"L": v}),
    st.dictionaries(st.text(min_size=1, max_size=8).filter(lambda s: "\x00" not in s), inner,
                    max_size=4).map(lambda v: {"M": v}),
), max_leaves=20)
_ITEM = st.dictionaries(st.text(min_size=1, max_size=10).filter(lambda s: "\x00" not in s),
                        _VALUE, min_size=1, max_size=6)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(item=_ITEM)
def test_the_json_text_of_an_item_bounds_its_dynamodb_size(
        db: psycopg.Connection, item: dict[str, Any]) -> None:
    size, text_bytes = db.execute(
        "SELECT zengin_sync.measure_item_size(i), octet_length(i::text)"
        " FROM (SELECT %s::jsonb AS i) AS x", (dynamo.dumps(item),)).fetchone()
    assert 0 < size <= text_bytes
