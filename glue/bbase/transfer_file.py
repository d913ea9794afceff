"""The Zengin transfer file (総合振込): bytes out of the SQL records, and back.

The records, their fields and every rule a bank refuses a file for are built and
checked in SQL (``billing_context.build_transfer_records``); they arrive here as
120 half-width characters each. This module only moves them: encode to cp932 (the
Windows Shift_JIS the banks' software reads; identical to Shift_JIS on every
half-width character), check 120 bytes each, join with CRLF. Why not
``convert_to(…, 'SJIS')`` in SQL: the SQL side asserts the byte length in
Shift_JIS already (SE148); returning text keeps the function readable in psql,
and the file's encoding is a property of the file, which the glue writes.

:func:`parse` reads a file back for verification: record lengths, line endings,
record order, one header, the trailer's count and total against the data, and
the end record; it names the record number of each problem.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import psycopg

from bbase.errors import BbaseError

RECORD_BYTES = 120
ENCODING = "cp932"
EOL = b"\r\n"


class TransferFileError(BbaseError):
    """A transfer file (or the records for one) breaks the fixed layout."""

    exit_code = 2


@dataclass(frozen=True)
class Transfer:
    """One data record (2)."""

    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    account_type: str
    account_number: str
    holder: str
    amount: int


@dataclass(frozen=True)
class TransferFile:
    type_code: str
    originator_code: str
    originator_name: str
    payment_mmdd: str
    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    transfers: list[Transfer] = field(default_factory=list)
    trailer_count: int = 0
    trailer_total: int = 0

    @property
    def total(self) -> int:
        return sum(t.amount for t in self.transfers)


def encode(records: Iterable[str]) -> bytes:
    """cp932 bytes of the records, each exactly 120 bytes, each ended by CRLF."""
    out = bytearray()
    for n, record in enumerate(records, start=1):
        try:
            raw = record.encode(ENCODING)
        except UnicodeEncodeError as exc:
            raise TransferFileError(f"record {n}: character {record[exc.start]!r} has no "
                                    f"{ENCODING} encoding") from None
        if len(raw) != RECORD_BYTES or any(b in (0x0D, 0x0A) for b in raw):
            raise TransferFileError(f"record {n}: {len(raw)} bytes, not {RECORD_BYTES}")
        out += raw + EOL
    return bytes(out)


def _text(raw: bytes, start: int, width: int) -> str:
    return raw[start:start + width].decode(ENCODING).rstrip(" ")


def _number(raw: bytes, start: int, width: int, n: int, name: str) -> int:
    chunk = raw[start:start + width]
    if not chunk.isdigit():
        raise TransferFileError(f"record {n}: {name} {chunk.decode(ENCODING, 'replace')!r} is not"
                                f" {width} digits")
    return int(chunk)


def parse(data: bytes) -> TransferFile:
    """Read a transfer file back; :class:`TransferFileError` names the first problem."""
    if not data.endswith(EOL):
        raise TransferFileError("the file does not end with CRLF")
    lines = data[:-len(EOL)].split(EOL)
    for n, raw in enumerate(lines, start=1):
        if len(raw) != RECORD_BYTES:
            raise TransferFileError(f"record {n}: {len(raw)} bytes, not {RECORD_BYTES}"
                                    " (or a CR/LF alone inside it)")
        if b"\r" in raw or b"\n" in raw:
            raise TransferFileError(f"record {n}: a lone CR or LF")
    kinds = "".join(chr(raw[0]) for raw in lines)
    if len(kinds) < 3 or kinds[0] != "1" or kinds[-2:] != "89" or set(kinds[1:-2]) - {"2"}:
        raise TransferFileError(f"record order {kinds[:20]!r}: expected 1, 2…, 8, 9")
    head = lines[0]
    if head[1:3] != b"21":
        raise TransferFileError(f"record 1: type code {head[1:3].decode(ENCODING)!r}, not 21")
    out = TransferFile(
        type_code="21", originator_code=_text(head, 4, 10), originator_name=_text(head, 14, 40),
        payment_mmdd=_text(head, 54, 4), bank_code=_text(head, 58, 4),
        branch_code=_text(head, 77, 3), account_type=_text(head, 95, 1),
        account_number=_text(head, 96, 7),
    )
    for n, raw in enumerate(lines[1:-2], start=2):
        out.transfers.append(Transfer(
            bank_code=_text(raw, 1, 4), bank_name=_text(raw, 5, 15),
            branch_code=_text(raw, 20, 3), branch_name=_text(raw, 23, 15),
            account_type=_text(raw, 42, 1), account_number=_text(raw, 43, 7),
            holder=_text(raw, 50, 30), amount=_number(raw, 80, 10, n, "amount")))
    n_trailer = len(lines) - 1
    trailer = lines[-2]
    count = _number(trailer, 1, 6, n_trailer, "count")
    total = _number(trailer, 7, 12, n_trailer, "total")
    if count != len(out.transfers) or total != out.total:
        raise TransferFileError(f"record {n_trailer}: trailer says {count} transfers totalling"
                                f" {total}, the data records are {len(out.transfers)} totalling"
                                f" {out.total}")
    return TransferFile(**{**out.__dict__, "trailer_count": count, "trailer_total": total})


def build(conn: psycopg.Connection, payment_date: date) -> bytes:
    """The file for ``payment_date``, built in SQL in the caller's transaction (which
    must have loaded the personal data keys, as a role that may decrypt)."""
    rows = conn.execute("SELECT record FROM billing_context.build_transfer_records(%s)"
                        " ORDER BY record_no", (payment_date,)).fetchall()
    return encode(r[0] for r in rows)


def summary(parsed: TransferFile, payment_date: date) -> list[str]:
    """Lines for people: the batch, then one line per transfer with the account number
    masked."""
    lines = [f"総合振込 {payment_date.isoformat()} (MMDD {parsed.payment_mmdd}) from"
             f" {parsed.originator_name} [{parsed.originator_code}]"
             f" {parsed.bank_code}-{parsed.branch_code}",
             f"{len(parsed.transfers)} transfers, total {parsed.total:,} yen"]
    for t in parsed.transfers:
        lines.append(f"  {t.bank_code}-{t.branch_code} {t.account_type} ***{t.account_number[-4:]}"
                     f" {t.holder:<30} {t.amount:>14,}")
    return lines
