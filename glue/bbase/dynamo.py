"""DynamoDB: the diff table, record (de)serialisation, paging, batches, backoff.

Moves records only; what a record means is decided in SQL (zengin_sync).

* The table ``zengin-data-diff-{env}`` is created exactly as designed: key
  ``id`` (HASH) + ``timestamp`` (RANGE), GSI ``StatusIndex`` (``status`` +
  ``timestamp``, projecting ALL), TTL on ``ttl``, on-demand billing,
  point-in-time recovery for prod.
* Throttling (``ProvisionedThroughputExceededException`` and friends) and
  ``UnprocessedItems``/``UnprocessedKeys`` are retried with capped, fully
  jittered exponential backoff (:func:`with_backoff`). botocore's own retries
  are reduced to one attempt so that a single policy applies.
* Unlike the design document's ``batch_get_item``, keys name both the
  partition key and the sort key (the table has both).
"""

from __future__ import annotations

import base64
import json
import queue
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import boto3
from boto3.dynamodb.types import TypeSerializer
from botocore.config import Config
from botocore.exceptions import ClientError

from bbase import logs
from bbase.config import LOCAL_CREDENTIALS, Settings, is_loopback_endpoint

if TYPE_CHECKING:
    import psycopg

THROTTLE_CODES = frozenset({
    "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
    "InternalServerError", "ServiceUnavailable", "SlowDown", "TransactionInProgressException",
})
T = TypeVar("T")
_serializer = TypeSerializer()


def table_name(env: str) -> str:
    return f"zengin-data-diff-{env}"


def statuses(conn: psycopg.Connection) -> tuple[str, ...]:
    """The diff statuses, from the database's one list (``zengin.diff_statuses``).

    In state machine order (``zengin.diff_status_stages``): ``StatusIndex`` is
    queried once per status in this order, so a record whose status moves on
    during the pull is met again under its new status, never missed. The glue
    keeps no list of its own.
    """
    return tuple(r[0] for r in conn.execute(
        "SELECT status FROM zengin.diff_status_stages() ORDER BY stage, status"))


def botocore_config() -> Config:
    # One attempt in botocore; with_backoff retries with the project's policy.
    return Config(retries={"max_attempts": 1, "mode": "standard"}, max_pool_connections=32,
                  connect_timeout=5, read_timeout=60)


def session(settings: Settings) -> boto3.session.Session:
    """A boto3 session with the configured credentials.

    Only when none are configured and ``AWS_ENDPOINT_URL`` is a loopback address
    (a local moto server) does it use :data:`bbase.config.LOCAL_CREDENTIALS`; a remote
    endpoint without credentials fails with botocore's ``NoCredentialsError``.
    """
    s = boto3.session.Session(region_name=settings.aws_region)
    if s.get_credentials() is None and is_loopback_endpoint(settings.aws_endpoint_url):
        s = boto3.session.Session(
            region_name=settings.aws_region,
            aws_access_key_id=LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )
    return s


def client(settings: Settings) -> Any:
    return session(settings).client("dynamodb", endpoint_url=settings.aws_endpoint_url,
                                    config=botocore_config())


# --- backoff ------------------------------------------------------------------

class Backoff:
    """Capped exponential backoff with full jitter: sleep U(0, min(cap, base·2^n))."""

    def __init__(self, base: float = 0.05, cap: float = 2.0, deadline: float = 300.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.base, self.cap, self.sleep = base, cap, sleep
        self.deadline = time.monotonic() + deadline
        self.attempt = 0

    def wait(self, what: str) -> None:
        if time.monotonic() > self.deadline:
            raise TimeoutError(f"{what}: still throttled after backing off until the deadline")
        delay = random.uniform(0, min(self.cap, self.base * (2 ** self.attempt)))
        self.attempt += 1
        logs.warning("throttled", what=what, attempt=self.attempt, sleep_s=round(delay, 3))
        self.sleep(delay)


def is_throttle(exc: BaseException) -> bool:
    if not isinstance(exc, ClientError):
        return False
    return exc.response.get("Error", {}).get("Code") in THROTTLE_CODES


def with_backoff(fn: Callable[..., T], *args: Any, what: str = "", **kwargs: Any) -> T:
    """Call ``fn`` until it is not throttled (capped, jittered backoff)."""
    backoff = Backoff()
    while True:
        try:
            return fn(*args, **kwargs)
        except ClientError as exc:
            if not is_throttle(exc):
                raise
            backoff.wait(what or getattr(fn, "__name__", "call"))


# --- records ----------------------------------------------------------------

#: DynamoDB's own limits on what an item can hold: nesting depth of maps and
#: lists, significant digits and exponent range of a number.
MAX_DEPTH = 32
_MAX_DIGITS = 38
_EXPONENTS = range(-130, 126)
#: How a NUL character (which PostgreSQL text cannot hold) is shown in the
#: printable copy of an unconvertible item.
NUL_SHOWN = "\u2400"


class ItemError(ValueError):
    """An item that cannot be converted faithfully; the message names the attribute."""


def show(value: Any, limit: int = 60) -> str:
    """A value as a message shows it: repr, first ``limit`` characters, then its length."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}… ({len(value)} characters)"
    text = repr(value)
    return text if len(text) <= limit + 20 else f"{text[:limit]}… ({len(text)} characters)"


def _number(text: Any, path: str = "N") -> int | Decimal:
    """A DynamoDB number: an int when whole, else a Decimal (never a float: no inf, no NaN)."""
    try:
        value = Decimal(text)
    except (ArithmeticError, TypeError, ValueError):
        raise ItemError(f"{path}: {show(text)} is not a number") from None
    if not value.is_finite():
        raise ItemError(f"{path}: {show(text)} is not a finite number")
    significant = "".join(map(str, value.as_tuple().digits)).strip("0")
    if value and (len(significant) > _MAX_DIGITS or value.adjusted() not in _EXPONENTS):
        raise ItemError(f"{path}: {show(text)} is beyond DynamoDB's number range "
                        f"(38 digits, 1E-130 to 9.99E+125)")
    return int(value) if value == value.to_integral_value() else value


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise ItemError(f"{path}: {type(value).__name__} {show(value)}, expected a string")
    if "\x00" in value:
        raise ItemError(f"{path}: contains NUL (U+0000) at character {value.index(chr(0)) + 1}: "
                        f"{show(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ItemError(f"{path}: not valid UTF-8 at character {exc.start + 1}: "
                        f"{show(value)}") from None
    return value


def _member(path: str, key: Any) -> str:
    """``path.key`` as a message names it (a hostile key is shown shortened)."""
    key = str(key)
    return f"{path}.{key if len(key) <= 40 else key[:40] + '…'}"


def wire_to_plain(av: Any, path: str = "item", depth: int = 0) -> Any:
    """One DynamoDB attribute value ({"S": …}, {"M": …}, …) as plain JSON data.

    Raises :class:`ItemError`, naming the attribute (``zenginData.bankName``), for
    anything that cannot be converted faithfully: a malformed attribute value, a NUL
    character or text that is not UTF-8 (PostgreSQL text holds neither), a number
    outside DynamoDB's range, nesting deeper than DynamoDB allows.
    """
    if depth > MAX_DEPTH:
        raise ItemError(f"{path}: nested deeper than {MAX_DEPTH} levels")
    if not isinstance(av, dict) or len(av) != 1:
        raise ItemError(f"{path}: {show(av)} is not a DynamoDB attribute value")
    ((kind, value),) = av.items()
    if kind == "S":
        return _text(value, path)
    if kind == "N":
        return _number(value, path)
    if kind == "M":
        if not isinstance(value, dict):
            raise ItemError(f"{path}: map {show(value)} is not a map")
        return {_text(k, f"{path} key"): wire_to_plain(v, _member(path, k), depth + 1)
                for k, v in value.items()}
    if kind == "L":
        if not isinstance(value, list):
            raise ItemError(f"{path}: list {show(value)} is not a list")
        return [wire_to_plain(v, f"{path}[{i + 1}]", depth + 1) for i, v in enumerate(value)]
    if kind == "BOOL" and isinstance(value, bool):
        return value
    if kind == "NULL" and value is True:
        return None
    if kind == "SS" and isinstance(value, list):
        return sorted(_text(v, f"{path}[{i + 1}]") for i, v in enumerate(value))
    if kind == "NS" and isinstance(value, list):
        return sorted(_number(v, f"{path}[{i + 1}]") for i, v in enumerate(value))
    if kind == "B" and isinstance(value, bytes | str):
        return base64.b64encode(value).decode() if isinstance(value, bytes) else value
    if kind == "BS" and isinstance(value, list) and all(isinstance(v, bytes | str) for v in value):
        return [base64.b64encode(v).decode() if isinstance(v, bytes) else v for v in value]
    raise ItemError(f"{path}: {show(av)} is not a DynamoDB attribute value")


def item_to_plain(item: dict[str, Any]) -> dict[str, Any]:
    """A DynamoDB item as plain JSON data; :class:`ItemError` when it is not convertible."""
    if not isinstance(item, dict):
        raise ItemError(f"item: {show(item)} is not a map of attributes")
    return {_text(k, "attribute name"): wire_to_plain(v, _member("", k)[1:])
            for k, v in item.items()}


def check_plain(value: Any, path: str, depth: int = 0) -> None:
    """Raise :class:`ItemError` when plain JSON data (an S3 body) holds what PostgreSQL's
    jsonb cannot: a NUL character, text that is not UTF-8, nesting deeper than 64."""
    if depth > 2 * MAX_DEPTH:
        raise ItemError(f"{path}: nested deeper than {2 * MAX_DEPTH} levels")
    if isinstance(value, str):
        _text(value, path)
    elif isinstance(value, dict):
        for k, v in value.items():
            _text(k, f"{path} key")
            check_plain(v, _member(path, k), depth + 1)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            check_plain(v, f"{path}[{i + 1}]", depth + 1)


def printable(value: Any) -> Any:
    """A copy of an unconvertible item that PostgreSQL can hold: NUL shown as U+2400,
    text that is not UTF-8 repaired, bytes base64, anything else as its repr."""
    if isinstance(value, str):
        return value.replace("\x00", NUL_SHOWN).encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {printable(str(k)): printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [printable(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, Decimal | float):
        return str(value)
    return printable(repr(value))


def convert_item(item: Any) -> tuple[dict[str, Any], Any, str | None]:
    """(item, plain, error) for staging a pulled item.

    A convertible item gives itself, its plain form and no error. Anything else
    (:class:`ItemError`, or a structure too deep for Python) gives printable
    copies (:func:`printable`; plain is the printable item when even that
    cannot be converted) and the reason, so the merge quarantines it instead
    of the COPY or the run failing.
    """
    try:
        return item, item_to_plain(item), None
    except (ItemError, RecursionError) as exc:
        error = str(exc) if isinstance(exc, ItemError) else "item: nested too deeply"
    try:
        shown = printable(item)
    except RecursionError:
        shown = {"unprintable": "nested too deeply"}
    if not isinstance(shown, dict):
        shown = {"unprintable": shown}
    try:
        plain: Any = item_to_plain(shown)
    except (ItemError, RecursionError):
        plain = shown
    return shown, plain, error


def plain_to_item(record: dict[str, Any]) -> dict[str, Any]:
    """Plain JSON data (floats as Decimal) to a typed DynamoDB item (TypeSerializer)."""
    return {k: _serializer.serialize(v) for k, v in record.items()}


def loads(text: str) -> Any:
    """JSON with numbers as int/Decimal, as TypeSerializer wants them."""
    return json.loads(text, parse_float=Decimal)


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json_default,
                      allow_nan=False)


# --- reading ------------------------------------------------------------------

def query_status(ddb: Any, table: str, status: str, page_size: int | None = None
                 ) -> Iterator[list[dict[str, Any]]]:
    """Pages of items in ``status``, via StatusIndex, following LastEvaluatedKey."""
    kwargs: dict[str, Any] = {
        "TableName": table, "IndexName": "StatusIndex",
        "KeyConditionExpression": "#status = :status",
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": {":status": {"S": status}},
    }
    if page_size:
        kwargs["Limit"] = page_size
    while True:
        resp = with_backoff(ddb.query, what=f"query {status}", **kwargs)
        items, lek = resp.get("Items", []), resp.get("LastEvaluatedKey")
        del resp  # hold one page, not two, while the next one is fetched
        yield items
        del items
        if not lek:
            return
        kwargs["ExclusiveStartKey"] = lek


def parallel_scan(ddb: Any, table: str, segments: int = 4, page_size: int | None = None
                  ) -> Iterator[list[dict[str, Any]]]:
    """Pages of every item, from ``segments`` Scan workers (Segment/TotalSegments).

    A bounded queue between the workers and the caller keeps memory flat:
    workers wait while the caller (COPY into PostgreSQL) catches up.
    """
    pages: queue.Queue[Any] = queue.Queue(maxsize=segments * 2)
    done = object()
    stop = threading.Event()

    def worker(segment: int) -> None:
        kwargs: dict[str, Any] = {"TableName": table, "Segment": segment,
                                  "TotalSegments": segments}
        if page_size:
            kwargs["Limit"] = page_size
        try:
            while not stop.is_set():
                resp = with_backoff(ddb.scan, what=f"scan segment {segment}", **kwargs)
                lek = resp.get("LastEvaluatedKey")
                pages.put(resp.get("Items", []))
                del resp
                if not lek:
                    break
                kwargs["ExclusiveStartKey"] = lek
        except BaseException as exc:  # handed to the consumer
            pages.put(exc)
        finally:
            pages.put(done)

    threads = [threading.Thread(target=worker, args=(s,), daemon=True) for s in range(segments)]
    for t in threads:
        t.start()
    finished = 0
    try:
        while finished < segments:
            page = pages.get()
            if page is done:
                finished += 1
            elif isinstance(page, BaseException):
                raise page
            else:
                yield page
    finally:
        stop.set()
        while any(t.is_alive() for t in threads):
            try:
                pages.get_nowait()
            except queue.Empty:
                time.sleep(0.01)


def batch_get(ddb: Any, table: str, keys: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """Items by (id, timestamp), 100 per request, retrying UnprocessedKeys with backoff."""
    out: list[dict[str, Any]] = []
    keys = list(keys)
    for start in range(0, len(keys), 100):
        request = {table: {"Keys": [{"id": {"S": i}, "timestamp": {"S": ts}}
                                    for i, ts in keys[start:start + 100]],
                           "ConsistentRead": True}}
        backoff = Backoff()
        while request:
            resp = with_backoff(ddb.batch_get_item, RequestItems=request, what="batch_get_item")
            out.extend(resp.get("Responses", {}).get(table, []))
            request = resp.get("UnprocessedKeys") or {}
            if request:
                backoff.wait("batch_get_item UnprocessedKeys")
    return out


def batch_write(ddb: Any, table: str, items: Iterable[dict[str, Any]]) -> int:
    """Put items 25 per request, retrying UnprocessedItems with backoff. Returns items written."""
    written = 0
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal written
        request = {table: [{"PutRequest": {"Item": it}} for it in batch]}
        backoff = Backoff()
        while request:
            resp = with_backoff(ddb.batch_write_item, RequestItems=request, what="batch_write_item")
            request = resp.get("UnprocessedItems") or {}
            if request:
                backoff.wait("batch_write_item UnprocessedItems")
        written += len(batch)
        batch.clear()

    for it in items:
        batch.append(it)
        if len(batch) == 25:
            flush()
    if batch:
        flush()
    return written


def item_count(ddb: Any, table: str) -> int | None:
    """DynamoDB's (approximate) item count, for a progress bar's total."""
    try:
        return int(ddb.describe_table(TableName=table)["Table"].get("ItemCount", 0)) or None
    except ClientError:
        return None


# --- bootstrap ----------------------------------------------------------------

def table_definition(env: str) -> dict[str, Any]:
    """CreateTable arguments exactly as in the design document."""
    return {
        "TableName": table_name(env),
        "AttributeDefinitions": [
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "timestamp", "AttributeType": "S"},
            {"AttributeName": "status", "AttributeType": "S"},
        ],
        "KeySchema": [
            {"AttributeName": "id", "KeyType": "HASH"},
            {"AttributeName": "timestamp", "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [{
            "IndexName": "StatusIndex",
            "KeySchema": [
                {"AttributeName": "status", "KeyType": "HASH"},
                {"AttributeName": "timestamp", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "ALL"},
        }],
        "BillingMode": "PAY_PER_REQUEST",
        "SSESpecification": {"Enabled": True},
    }


def bootstrap_table(ddb: Any, env: str) -> list[str]:
    """Create the table if missing, then make sure TTL (and PITR for prod) are on."""
    name = table_name(env)
    done: list[str] = []
    try:
        ddb.describe_table(TableName=name)
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
        ddb.create_table(**table_definition(env))
        done.append(f"created table {name}")
    ddb.get_waiter("table_exists").wait(TableName=name,
                                        WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    ttl = ddb.describe_time_to_live(TableName=name).get("TimeToLiveDescription", {})
    if (ttl.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING")
            or ttl.get("AttributeName") != "ttl"):
        ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={
            "AttributeName": "ttl", "Enabled": True})
        done.append("enabled TTL on ttl")
    if env == "prod":
        pitr = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
        status = pitr.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus")
        if status != "ENABLED":
            ddb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={
                "PointInTimeRecoveryEnabled": True})
            done.append("enabled point-in-time recovery")
    return done
