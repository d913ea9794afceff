"""The SES personal data keys: fetch the key set, load it into a transaction.

The keys never live in the database. Where they come from:

* ``SES_KEYS_SECRET_ID``: an AWS Secrets Manager secret (production);
* ``SES_KEYS_FILE``: a JSON key file, which must not be readable by group or
  others (mode 0600);
* else, with ``bbase --local`` (``BBASE_LOCAL=1``), the checkout's key file
  ``.local/ses-keys.json``, created with fresh random keys by the workshop (the
  ``bbase.local_keys`` entry point).

A key set is ``{"current": 2, "keys": {"1": {"encryption": "<64 hex>",
"blind_index": "<64 hex>"}, "2": {...}}}``: 256-bit random keys, one pair per
version, the current version the highest.

:func:`load_keys` hands them to the database for the current transaction only:
``ses_common.open_session_keys()`` prepares a temporary table, then ``COPY …
FROM STDIN`` writes the rows. COPY data is not statement text, so neither
``log_statement = all`` nor ``pg_stat_statements`` sees the keys (bound
parameters would be logged, and so would ``SET``/``set_config`` text). The rows
are deleted at commit or rollback: call it again in every transaction that
reads or writes personal data, which is also what a transaction-pooling
PgBouncer needs.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bbase.config import ConfigError, Settings

if TYPE_CHECKING:
    import psycopg

KEY_BYTES = 32
MAX_VERSION = 32767


class KeySetError(ConfigError):
    """The key set is missing, unreadable or malformed."""


@dataclass(frozen=True)
class KeyVersion:
    version: int
    encryption: bytes
    blind_index: bytes

    def __repr__(self) -> str:  # never print key material
        return f"KeyVersion({self.version}, <redacted>)"


@dataclass(frozen=True)
class KeySet:
    current: int
    versions: dict[int, KeyVersion]

    def __repr__(self) -> str:
        return f"KeySet(current={self.current}, versions={sorted(self.versions)})"

    @classmethod
    def parse(cls, text: str, source: str) -> KeySet:
        """Validate a key set's JSON; errors name the field, never a key."""
        try:
            doc = json.loads(text)
        except ValueError:
            raise KeySetError(f"{source}: not JSON") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("keys"), dict) or not doc["keys"]:
            raise KeySetError(f"{source}: needs an object with 'current' and a non-empty 'keys'")
        versions: dict[int, KeyVersion] = {}
        for name, pair in doc["keys"].items():
            if not (isinstance(name, str) and name.isascii() and name.isdigit()
                    and 1 <= int(name) <= MAX_VERSION):
                shown = name if len(name) <= 8 else name[:8] + "…"
                raise KeySetError(f"{source}: key version {shown!r} is not a number"
                                  f" 1-{MAX_VERSION}")
            if not isinstance(pair, dict):
                raise KeySetError(f"{source}: keys.{name} is not an object")
            material = {}
            for purpose in ("encryption", "blind_index"):
                value = pair.get(purpose)
                try:
                    raw = bytes.fromhex(value) if isinstance(value, str) else b""
                except ValueError:
                    raw = b""
                if len(raw) != KEY_BYTES:
                    raise KeySetError(f"{source}: keys.{name}.{purpose} is not {KEY_BYTES} bytes"
                                      f" of hex")
                material[purpose] = raw
            if material["encryption"] == material["blind_index"]:
                raise KeySetError(f"{source}: keys.{name}: the blind-index key must differ"
                                  " from the encryption key")
            versions[int(name)] = KeyVersion(int(name), material["encryption"],
                                             material["blind_index"])
        current = doc.get("current")
        if not isinstance(current, int) or isinstance(current, bool) or current not in versions:
            shown = current if isinstance(current, int) else f"(a {type(current).__name__})"
            raise KeySetError(f"{source}: current {shown} is not one of the key versions")
        if current != max(versions):
            raise KeySetError(f"{source}: current {current} is not the highest version"
                              f" ({max(versions)}); versions only go forward")
        return cls(current, versions)

    def to_json(self) -> str:
        return json.dumps({"current": self.current, "keys": {
            str(v.version): {"encryption": v.encryption.hex(), "blind_index": v.blind_index.hex()}
            for v in sorted(self.versions.values(), key=lambda k: k.version)}}, indent=2)

    def with_new_version(self) -> KeySet:
        """This key set plus a fresh random version, made current."""
        new = max(self.versions) + 1
        if new > MAX_VERSION:
            raise KeySetError(f"no key version left after {MAX_VERSION}")
        versions = dict(self.versions)
        versions[new] = new_key_version(new)
        return KeySet(new, versions)


def new_key_version(version: int) -> KeyVersion:
    return KeyVersion(version, secrets.token_bytes(KEY_BYTES), secrets.token_bytes(KEY_BYTES))


def new_key_set() -> KeySet:
    return KeySet(1, {1: new_key_version(1)})


# --- where the key set lives -------------------------------------------------------------


def read_key_file(path: Path) -> KeySet:
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise KeySetError(f"key file {path}: {exc.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeySetError(f"key file {path}: mode {stat.filemode(mode)} lets others read it;"
                          f" chmod 600 {path}")
    return KeySet.parse(path.read_text(encoding="utf-8"), f"key file {path}")


def write_key_file(path: Path, keys: KeySet) -> None:
    """Write atomically, created 0600 (never readable by others, even for a moment)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(keys.to_json())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _secrets_client(settings: Settings) -> Any:
    import boto3

    return boto3.client("secretsmanager", region_name=settings.aws_region,
                        endpoint_url=settings.aws_endpoint_url)


@dataclass(frozen=True)
class KeySource:
    """Where the key set is read from and written to (``--new-key``)."""

    secret_id: str | None = None
    path: Path | None = None

    @classmethod
    def from_env(cls) -> KeySource:
        secret_id = os.environ.get("SES_KEYS_SECRET_ID") or None
        if secret_id:
            return cls(secret_id=secret_id)
        path = os.environ.get("SES_KEYS_FILE") or None
        if path:
            return cls(path=Path(path))
        if os.environ.get("BBASE_LOCAL") == "1":
            return cls(path=_local_key_file())
        raise KeySetError("no personal data keys: set SES_KEYS_SECRET_ID (AWS Secrets Manager)"
                          " or SES_KEYS_FILE; in a checkout, bbase --local uses"
                          " .local/ses-keys.json")

    def describe(self) -> str:
        return f"secret {self.secret_id}" if self.secret_id else f"key file {self.path}"

    def read(self) -> KeySet:
        if self.path is not None:
            return read_key_file(self.path)
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            text = _secrets_client(Settings.from_env()).get_secret_value(
                SecretId=self.secret_id)["SecretString"]
        except (BotoCoreError, ClientError) as exc:
            raise KeySetError(f"SES_KEYS_SECRET_ID {self.secret_id!r}: {exc}") from None
        return KeySet.parse(text, f"secret {self.secret_id}")

    def write(self, keys: KeySet) -> None:
        if self.path is not None:
            write_key_file(self.path, keys)
            return
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            _secrets_client(Settings.from_env()).put_secret_value(
                SecretId=self.secret_id, SecretString=keys.to_json())
        except (BotoCoreError, ClientError) as exc:
            raise KeySetError(f"SES_KEYS_SECRET_ID {self.secret_id!r}: {exc}") from None


def _local_key_file() -> Path:
    """The checkout's key file, from the ``bbase.local_keys`` entry point (the workshop)."""
    from importlib.metadata import entry_points

    providers = list(entry_points(group="bbase.local_keys"))
    if not providers:
        raise KeySetError("--local needs the workshop (./dev setup in a checkout) for its key file")
    return Path(providers[0].load()())


def fetch_keys() -> KeySet:
    """The key set from the environment (see the module's docstring)."""
    return KeySource.from_env().read()


# --- into the database -------------------------------------------------------------------


def load_keys(conn: psycopg.Connection, keys: KeySet | None = None) -> None:
    """Load the key set for the current transaction of ``conn`` (one is opened if none is).

    The rows go through COPY, never through statement text or bound parameters,
    and are deleted when the transaction ends: call this in every transaction
    that reads or writes personal data.
    """
    from psycopg.pq import TransactionStatus

    keys = keys or fetch_keys()
    if conn.autocommit and conn.info.transaction_status == TransactionStatus.IDLE:
        raise KeySetError("load_keys needs a transaction (conn.transaction() or autocommit off):"
                          " the keys last one transaction")
    conn.execute("SELECT ses_common.open_session_keys()")
    with conn.cursor().copy(
        "COPY pg_temp.ses_session_keys (key_version, is_current, encryption_key, blind_index_key)"
        " FROM STDIN"
    ) as copy:
        for v in keys.versions.values():
            copy.write_row((v.version, v.version == keys.current, v.encryption, v.blind_index))
