"""The personal data encryption section of ``bbase bench ses``: cost per row of
encrypting and decrypting with the chosen settings against pgcrypto's defaults.

In one transaction of one session (the key set loaded as the product loads it),
each variant encrypts ``rows`` e-mail-like values with a set-based statement
(``SELECT count(f(v)) FROM generate_series(…)``), ``runs`` times; the figure is
the median time per row. Then each decrypts the values it wrote. Variants:

* **chosen, full path**: ``ses_common.encrypt_personal_data`` /
  ``decrypt_engineer_contact`` (class check, key lookup in the temporary table,
  per-class password HMAC, PGP with ``s2k-mode=1``, the SE121 exception block);
* **chosen settings, bare**: ``pgp_sym_encrypt(v, pw, 'cipher-algo=aes256,
  s2k-mode=1, compress-algo=0')``: what the settings cost without the wrapper;
* **pgcrypto defaults**: ``pgp_sym_encrypt(v, pw)``: S2K mode 3, the iterated
  password stretching meant for human passwords;
* **raw AES-CBC** (reference only): ``encrypt_iv`` with a random IV, no
  integrity check, so a wrong key would return garbage; not used.
* **no encryption**: the same statement returning the clear value (the floor).

Rounds are round-robin (every round times every variant once) so that load
bursts on the shared cores hit all variants alike.

The bench-only password is drawn in SQL (``gen_random_bytes``) and never leaves
the server.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from dataclasses import dataclass

import psycopg

from bbase.keys import load_keys, new_key_set

HEADING = "## SES personal data encryption"

VALUE = "'engineer' || g || '@example.jp'"
PGP_CHOSEN = "'cipher-algo=aes256, s2k-mode=1, compress-algo=0'"

#: name -> (encrypt expression over v and k.pw/k.raw, decrypt expression over c)
VARIANTS: dict[str, tuple[str, str]] = {
    "chosen, full path (ses_common functions)": (
        "ses_common.encrypt_personal_data('engineer_contact', v)",
        "ses_common.decrypt_engineer_contact(c)"),
    "chosen settings, bare pgcrypto (s2k-mode=1)": (
        f"ses_crypto.pgp_sym_encrypt(v, k.pw, {PGP_CHOSEN})",
        f"ses_crypto.pgp_sym_decrypt(c, k.pw, {PGP_CHOSEN})"),
    "pgcrypto defaults (s2k-mode=3)": (
        "ses_crypto.pgp_sym_encrypt(v, k.pw)",
        "ses_crypto.pgp_sym_decrypt(c, k.pw)"),
    "raw AES-256-CBC, random IV (no integrity; reference)": (
        "(SELECT r.iv || ses_crypto.encrypt_iv(convert_to(v, 'UTF8'), k.raw, r.iv,"
        " 'aes-cbc/pad:pkcs')"
        " FROM (SELECT ses_crypto.gen_random_bytes(16) AS iv) AS r)",
        "convert_from(ses_crypto.decrypt_iv(substr(c, 17), k.raw, substr(c, 1, 16),"
        " 'aes-cbc/pad:pkcs'), 'UTF8')"),
    "no encryption (floor)": ("convert_to(v, 'UTF8')", "convert_from(c, 'UTF8')"),
}
CHOSEN = "chosen, full path (ses_common functions)"
DEFAULTS = "pgcrypto defaults (s2k-mode=3)"
BARE = "chosen settings, bare pgcrypto (s2k-mode=1)"


@dataclass
class CryptoResult:
    name: str
    encrypt_us: float
    decrypt_us: float


def _per_row(conn: psycopg.Connection, statement: str, rows: int) -> float:
    started = time.perf_counter()
    conn.execute(statement, {"rows": rows} if "%(rows)s" in statement else None).fetchall()
    return (time.perf_counter() - started) / rows * 1e6


def run(dsn: str, rows: int, runs: int) -> list[CryptoResult]:
    """Round-robin: every run times every variant once, so a burst of load on the shared
    cores hits all variants alike; the medians are compared."""
    statements: dict[str, tuple[str, str, int]] = {}
    samples: dict[str, tuple[list[float], list[float]]] = {n: ([], []) for n in VARIANTS}
    with psycopg.connect(dsn) as conn:
        conn.execute("SET jit = off")
        load_keys(conn, new_key_set())  # a bench-only key set, as the product loads one
        conn.execute("CREATE TEMPORARY TABLE bench_crypto_key ON COMMIT DROP AS SELECT "
                     "encode(ses_crypto.gen_random_bytes(32), 'hex') AS pw, "
                     "ses_crypto.gen_random_bytes(32) AS raw")
        for i, (name, (encrypt, decrypt)) in enumerate(VARIANTS.items()):
            n = max(rows // 20, 50) if name == DEFAULTS else rows  # ~50x slower per row
            source = (f"SELECT {encrypt} AS c FROM bench_crypto_key AS k, "
                      f"LATERAL (SELECT {VALUE} AS v FROM generate_series(1, %(rows)s) AS g) AS s")
            table = f"bench_crypto_{i}"
            conn.execute(f"CREATE TEMPORARY TABLE {table} ON COMMIT DROP AS {source}", {"rows": n})
            statements[name] = (f"SELECT count(*) FROM ({source}) AS x",
                                f"SELECT count({decrypt}) FROM {table}, bench_crypto_key AS k", n)
        for _ in range(runs):
            for name, (enc, dec, n) in statements.items():
                samples[name][0].append(_per_row(conn, enc, n))
                samples[name][1].append(_per_row(conn, dec, n))
        conn.rollback()
    return [CryptoResult(name, statistics.median(e), statistics.median(d))
            for name, (e, d) in samples.items()]


def render(results: list[CryptoResult], server: str, rows: int, runs: int,
           load: float | None = None) -> str:
    by = {r.name: r for r in results}
    chosen, defaults, bare = by[CHOSEN], by[DEFAULTS], by[BARE]
    lines = [
        HEADING,
        "",
        "```sh",
        ".venv/bin/bbase bench ses --crypto-only --crypto-write-docs"
        "   # workshop/bbase_workshop/bench/ses_crypto.py",
        "```",
        "",
        f"Run on {dt.date.today().isoformat()}, PostgreSQL {server}, the embedded local cluster,"
        " 2 shared cores"
        + (f" (load average {load:.1f} at the start)" if load is not None else "")
        + ". One session, one transaction with a key set loaded as the product"
        f" loads it; each variant encrypts {rows:,} e-mail-like values in one set-based"
        f" statement ({rows // 20:,} for the pgcrypto defaults, ~50× slower), then decrypts"
        f" them; {runs} rounds, each timing every variant once (round-robin, so load bursts"
        " hit all alike); median per variant, microseconds per row (client wall clock /"
        " rows).",
        "",
        "| variant | encrypt µs/row | decrypt µs/row | encrypt ÷ chosen | decrypt ÷ chosen |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r.name} | {r.encrypt_us:.1f} | {r.decrypt_us:.1f} | "
                     f"{r.encrypt_us / chosen.encrypt_us:.2f} | "
                     f"{r.decrypt_us / chosen.decrypt_us:.2f} |")
    lines += [
        "",
        "Same PGP message, only the S2K setting changed: pgcrypto's default costs"
        f" {defaults.encrypt_us / bare.encrypt_us:.0f}× `s2k-mode=1` to encrypt and"
        f" {defaults.decrypt_us / bare.decrypt_us:.0f}× to decrypt on this machine (the issue"
        " expected ~50×; the default iteration count is random per message, 65,536 to"
        " 253,952 hashed bytes), and"
        f" {defaults.encrypt_us / chosen.encrypt_us:.1f}× /"
        f" {defaults.decrypt_us / chosen.decrypt_us:.1f}×"
        " the chosen full path, wrapper included. Its iterated hashing stretches a human"
        " password; our keys are random 256-bit values (the per-class PGP password is an"
        " HMAC of one), which need none."
        " The full path's extra over bare pgcrypto with the same settings is the wrapper: the"
        " data-class check, the key lookup in the temporary table, the per-class HMAC and,"
        " to decrypt, the exception block that turns a wrong key into SE121. Raw AES-CBC is"
        " cheaper still but has no integrity check (a wrong key can return garbage), which"
        " the issue rules out.",
        "",
    ]
    return "\n".join(lines)


def run_section(dsn: str, rows: int, runs: int, write_docs: bool) -> None:
    """Measure, print the section, and write it into docs/benchmarks.md when asked."""
    from bbase_workshop.bench import write_section

    with psycopg.connect(dsn, autocommit=True) as conn:
        server = conn.execute("SHOW server_version").fetchone()[0]
    load = os.getloadavg()[0]
    results = run(dsn, rows, runs)
    section = render(results, server, rows, runs, load)
    print(section)
    if write_docs:
        write_section(section)
        print("wrote the SES personal data encryption section of docs/benchmarks.md")
