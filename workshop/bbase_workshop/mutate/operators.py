"""Mutation operators over the project's SQL: each yields mutants, one site in one file.

A mutant is one small deliberate bug: the text of one replaceable file under
``sql/`` with one site changed, or (for the CHECK constraints the migrations
hold) one ``ALTER TABLE ... DROP CONSTRAINT``. The operators read a *masked*
copy of the text, in which comments and single-quoted literals are blanked
out, so that they never mutate a comment, a message or a dynamic-SQL string;
only the status-literal operator looks at literals, and only at those whose
value belongs to a status set the migrations declare.

Operators (``Mutant.operator``):

* ``flip-comparison``: ``<`` <-> ``<=``, ``>`` <-> ``>=``, ``=`` <-> ``<>`` (``!=`` -> ``=``),
  ``IS [NOT] DISTINCT FROM`` and ``IS [NOT] NULL`` negated;
* ``drop-conjunct``: ``a AND b`` -> ``a`` (the right operand of one ``AND``, in a
  ``WHERE``, ``CHECK``, ``IF``, ``WHEN`` or ``ON``);
* ``drop-disjunct``: ``a OR b`` -> ``a`` (one alternative of a condition, such as
  one field of a "does this row differ" test);
* ``drop-list-column``: one column dropped from both sides of a row comparison
  ``(a, b) IS DISTINCT FROM (x, y)``, one key/value pair from a ``jsonb_build_object``,
  or one element from an ``ARRAY[...]`` of three or more (field lists);
* ``drop-raise``: ``RAISE EXCEPTION ...;`` or ``PERFORM bbase.raise_invalid(...);`` -> ``NULL;``;
* ``swap-status``: a status literal replaced by the next one of its status set;
* ``drop-check`` (migrations): one CHECK constraint dropped from the migrated database;
* ``drop-grant`` (grants as data): one row of ``ses_common.table_grants`` (a role's
  privilege on an SES table) deleted and the grants applied again, so the role
  loses that privilege.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

OPERATORS = ("flip-comparison", "drop-conjunct", "drop-disjunct", "drop-list-column",
             "drop-raise", "swap-status", "drop-check", "drop-grant")

FLIPS = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "=": "<>", "<>": "=", "!=": "="}


@dataclass(frozen=True)
class Mutant:
    """One deliberate bug. ``relpath`` is the sql/ file it lives in (for
    ``drop-check``: ``check:<schema.table>:<constraint>``);
    ``text`` is what is applied to the database instead of the original file."""

    relpath: str
    operator: str
    line: int
    ordinal: int
    original: str
    replacement: str
    text: str

    @property
    def id(self) -> str:
        """Stable enough to name in the equivalent-mutant list: file, operator, line, ordinal."""
        return f"{self.relpath}:{self.line}:{self.operator}:{self.ordinal}"

    def describe(self) -> str:
        orig = " ".join(self.original.split())[:70]
        repl = " ".join(self.replacement.split())[:70]
        return f"{self.id}  `{orig}` -> `{repl}`"


@dataclass(frozen=True)
class Literal:
    start: int
    end: int  # exclusive, after the closing quote
    value: str


def mask(text: str) -> tuple[str, list[Literal]]:
    """``text`` with comments, quoted identifiers and single-quoted literals blanked
    (same length), and the literals found (positions in ``text``)."""
    masked, literals, _ = _mask(text)
    return masked, literals


def _mask(text: str) -> tuple[str, list[Literal], list[tuple[int, int]]]:
    out = list(text)
    literals: list[Literal] = []
    identifiers: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("--", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out[i:j] = " " * (j - i)
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out[i:j] = [ch if ch == "\n" else " " for ch in text[i:j]]
            i = j
        elif c == '"':  # a quoted identifier (a policy's name is a sentence): never mutated
            j = text.find('"', i + 1)
            while j >= 0 and text.startswith('""', j):
                j = text.find('"', j + 2)
            j = n if j < 0 else j + 1
            identifiers.append((i, j))
            out[i:j] = [ch if ch == "\n" else " " for ch in text[i:j]]
            i = j
        elif c == "'":
            j = i + 1
            while j < n:
                if text[j] == "'":
                    if j + 1 < n and text[j + 1] == "'":
                        j += 2
                        continue
                    break
                j += 1
            j = min(j + 1, n)
            literals.append(Literal(i, j, text[i + 1:j - 1].replace("''", "'")))
            out[i:j] = [ch if ch == "\n" else " " for ch in text[i:j]]
            i = j
        else:
            i += 1
    return "".join(out), literals, identifiers


def mask_comments(text: str) -> str:
    """``text`` with comments blanked, literals and quoted identifiers kept (same length)."""
    masked, literals, identifiers = _mask(text)
    out = list(masked)
    for start, end in [(lit.start, lit.end) for lit in literals] + identifiers:
        out[start:end] = text[start:end]
    return "".join(out)


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


# ---------------------------------------------------------------- comparisons

_CMP = re.compile(r"(?<![<>=!:~@#|&^*/+\-])(<=|>=|<>|!=|=|<|>)(?![<>=@~#|&*])")
#: ``SET x =`` (search_path, UPDATE ... SET) and ``, col =`` in a SET list are
#: assignments, not comparisons: flipping them only makes a syntax error.
_ASSIGNMENT_BEFORE = re.compile(r"(?:\bSET|,)\s*[\w.\"]+\s*$", re.IGNORECASE)


_IS = re.compile(r"\bIS\s+(NOT\s+)?(DISTINCT\s+FROM|NULL)\b", re.IGNORECASE)


def flip_comparisons(text: str, masked: str) -> Iterator[tuple[int, int, str]]:
    found = []
    for m in _CMP.finditer(masked):
        op = m.group(1)
        if op == "=" and _ASSIGNMENT_BEFORE.search(masked[max(0, m.start() - 80):m.start()]):
            continue
        found.append((m.start(), m.end(), FLIPS[op]))
    for m in _IS.finditer(masked):  # IS [NOT] DISTINCT FROM, IS [NOT] NULL
        what = " ".join(m.group(2).upper().split())
        found.append((m.start(), m.end(), f"IS {what}" if m.group(1) else f"IS NOT {what}"))
    yield from sorted(found)


# ---------------------------------------------------------------- conjuncts

_STOP_WORDS = {"AND", "OR", "THEN", "LOOP", "ORDER", "GROUP", "RETURNING", "LIMIT", "UNION",
               "EXCEPT", "INTERSECT", "WHEN", "ELSE", "END", "INTO", "ON", "DO", "WHERE",
               "HAVING", "WINDOW", "FOR", "OFFSET", "USING", "FROM", "SELECT", "JOIN", "LEFT",
               "RIGHT", "INNER", "FULL", "CROSS", "NATURAL", "LATERAL"}
_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9$]*")
_AND = re.compile(r"\bAND\b", re.IGNORECASE)
_OR = re.compile(r"\bOR\b(?!\s+REPLACE\b)", re.IGNORECASE)
_BOUNDARY_BACK = re.compile(
    r"\b(?:AND|OR|WHERE|IF|WHEN|ON|CHECK|HAVING|ELSIF|WHILE)\b|[(,;]", re.IGNORECASE)


def _operand_end(masked: str, start: int) -> int:
    """Where the operand starting at ``start`` ends (depth-0 stop word, ``,``, ``;`` or ``)``)."""
    depth, i, n = 0, start, len(masked)
    between = False  # inside ``[NOT] BETWEEN x AND y``: that AND is the operand's own
    while i < n:
        c = masked[i]
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and c in ",;":
            return i
        elif depth == 0 and (c.isalpha() or c == "_") and (i == 0 or not (
                masked[i - 1].isalnum() or masked[i - 1] in "_.$")):
            w = _WORD.match(masked, i)
            assert w is not None
            word = w.group(0).upper()
            if word == "BETWEEN":
                between = True
            elif word == "AND" and between:
                between = False
                i = w.end()
                continue
            if word in _STOP_WORDS and i > start and not (
                    word == "FROM" and re.search(r"DISTINCT\s*$", masked[start:i], re.I)):
                return i
            i = w.end()
            continue
        i += 1
    return n


def _operand_start(masked: str, and_pos: int) -> int:
    """Where the operand left of the ``AND`` at ``and_pos`` begins (approximately)."""
    depth, i = 0, and_pos - 1
    while i >= 0:
        c = masked[i]
        if c == ")":
            depth += 1
        elif c == "(":
            if depth == 0:
                return i + 1
            depth -= 1
        elif depth == 0 and c in ",;":
            return i + 1
        elif depth == 0 and (c.isalpha() or c == "_"):
            j = i
            while j > 0 and (masked[j - 1].isalnum() or masked[j - 1] == "_"):
                j -= 1
            if masked[j - 1:j] != "." and _BOUNDARY_BACK.fullmatch(masked[j:i + 1]):
                return i + 1
            i = j
        i -= 1
    return 0


def drop_conjuncts(text: str, masked: str, word: re.Pattern[str] = _AND
                   ) -> Iterator[tuple[int, int, str]]:
    # Trim with comments blanked but literals kept: a literal is part of the operand.
    code = mask_comments(text)
    for m in word.finditer(masked):
        left = masked[_operand_start(masked, m.start()):m.start()]
        if word is _AND and re.search(r"\bBETWEEN\b", left, re.IGNORECASE):
            continue  # BETWEEN x AND y is not a conjunction
        end = _operand_end(masked, m.end())
        if not masked[m.end():end].strip():
            continue
        # Remove the whitespace before AND, AND itself and its right operand.
        start = m.start()
        while start > 0 and code[start - 1].isspace():
            start -= 1
        stop = end
        while stop > m.end() and code[stop - 1].isspace():
            stop -= 1
        yield start, stop, ""


# ---------------------------------------------------------------- column lists

def _close_paren(masked: str, open_pos: int) -> int:
    depth = 0
    for i in range(open_pos, len(masked)):
        if masked[i] == "(":
            depth += 1
        elif masked[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _close_bracket(masked: str, open_pos: int) -> int:
    return _close_paren(masked.replace("[", "(").replace("]", ")"), open_pos)


def _open_paren(masked: str, close_pos: int) -> int:
    depth = 0
    for i in range(close_pos, -1, -1):
        if masked[i] == ")":
            depth += 1
        elif masked[i] == "(":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _split_args(masked: str, open_pos: int, close_pos: int) -> list[tuple[int, int]]:
    """Depth-0 comma-separated spans strictly inside the parentheses."""
    spans, depth, start = [], 0, open_pos + 1
    for i in range(open_pos + 1, close_pos):
        c = masked[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            spans.append((start, i))
            start = i + 1
    spans.append((start, close_pos))
    return spans


def _without(spans: list[tuple[int, int]], first: int, last: int) -> tuple[int, int]:
    """The text range to delete to remove spans[first..last] and one separating comma."""
    if last + 1 < len(spans):
        return spans[first][0], spans[last + 1][0]
    if first > 0:
        return spans[first - 1][1], spans[last][1]
    return spans[first][0], spans[last][1]


_ROW_CMP = re.compile(
    r"\)\s*(?:IS\s+(?:NOT\s+)?DISTINCT\s+FROM|=|<>)\s*(?:ROW\s*)?\(", re.IGNORECASE)
_ARRAY = re.compile(r"\bARRAY\s*\[", re.IGNORECASE)
_JSONB_BUILD = re.compile(r"\bjsonb?_build_object\s*\(", re.IGNORECASE)


def drop_list_columns(text: str, masked: str) -> Iterator[tuple[int, int, str] | list]:
    for m in _ROW_CMP.finditer(masked):
        lclose, ropen = m.start(), m.end() - 1
        lopen, rclose = _open_paren(masked, lclose), _close_paren(masked, ropen)
        if lopen < 0 or rclose < 0:
            continue
        left, right = _split_args(masked, lopen, lclose), _split_args(masked, ropen, rclose)
        if len(left) < 2 or len(left) != len(right) or re.match(
                r"\s*SELECT\b", masked[lopen + 1:lclose], re.IGNORECASE):
            continue
        for k in range(len(left)):
            # Two edits in one site: the same column from both sides (right first).
            yield [(*_without(right, k, k), ""), (*_without(left, k, k), "")]
    for m in _JSONB_BUILD.finditer(masked):
        open_pos = m.end() - 1
        close = _close_paren(masked, open_pos)
        if close < 0:
            continue
        args = _split_args(masked, open_pos, close)
        if len(args) < 2 or len(args) % 2:
            continue
        for k in range(0, len(args), 2):
            yield (*_without(args, k, k + 1), "")
    for m in _ARRAY.finditer(masked):
        open_pos = m.end() - 1
        close = _close_bracket(masked, open_pos)
        if close < 0:
            continue
        elements = _split_args(masked.replace("[", "(").replace("]", ")"), open_pos, close)
        if len(elements) < 3:
            continue
        for k in range(len(elements)):
            yield (*_without(elements, k, k), "")


# ---------------------------------------------------------------- raises

_RAISE = re.compile(r"\bRAISE\s+EXCEPTION\b|\bPERFORM\s+bbase\.raise_invalid\s*\(",
                    re.IGNORECASE)


def drop_raises(text: str, masked: str) -> Iterator[tuple[int, int, str]]:
    for m in _RAISE.finditer(masked):
        depth = 0
        for i in range(m.start(), len(masked)):
            c = masked[i]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            elif c == ";" and depth == 0:
                yield m.start(), i + 1, "NULL;"
                break


# ---------------------------------------------------------------- statuses

_STATUS_SET = re.compile(r"\bstatus\w*\s+IN\s*\(([^()]*)\)", re.IGNORECASE)


def status_sets(migrations_dir: Path) -> list[tuple[str, ...]]:
    """The status sets the migrations' CHECK constraints declare (``status IN ('a', 'b')``)."""
    sets: list[tuple[str, ...]] = []
    for path in sorted(migrations_dir.glob("*.sql")):
        if path.name.endswith(".rollback.sql"):
            continue
        for m in _STATUS_SET.finditer(path.read_text(encoding="utf-8")):
            values = tuple(re.findall(r"'([^']*)'", m.group(1)))
            if len(values) >= 2 and values not in sets:
                sets.append(values)
    return sets


def swap_statuses(literals: Iterable[Literal], sets: list[tuple[str, ...]]
                  ) -> Iterator[tuple[int, int, str]]:
    for lit in literals:
        for values in sets:
            if lit.value in values:
                other = values[(values.index(lit.value) + 1) % len(values)]
                yield lit.start, lit.end, "'" + other.replace("'", "''") + "'"
                break


# ---------------------------------------------------------------- all of them

def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, repl in sorted(edits, key=lambda e: e[0], reverse=True):
        text = text[:start] + repl + text[end:]
    return text


def mutants_of_text(relpath: str, text: str, sets: list[tuple[str, ...]]) -> list[Mutant]:
    masked, literals = mask(text)
    generators = {
        "flip-comparison": flip_comparisons(text, masked),
        "drop-conjunct": drop_conjuncts(text, masked),
        "drop-disjunct": drop_conjuncts(text, masked, _OR),
        "drop-list-column": drop_list_columns(text, masked),
        "drop-raise": drop_raises(text, masked),
        "swap-status": swap_statuses(literals, sets),
    }
    out: list[Mutant] = []
    for operator, sites in generators.items():
        per_line: dict[int, int] = {}
        for site in sites:
            edits = site if isinstance(site, list) else [site]
            first = min(e[0] for e in edits)
            last = max(e[1] for e in edits)
            shown = first + len(text[first:last]) - len(text[first:last].lstrip())
            line = _line(text, shown)
            per_line[line] = per_line.get(line, 0) + 1
            mutated = _apply(text, edits)
            original = text[first:last]
            replacement = _apply(original, [(s - first, e - first, r) for s, e, r in edits])
            out.append(Mutant(relpath, operator, line, per_line[line], original, replacement,
                              mutated))
    return out


def mutants_of_file(root: Path, path: Path, sets: list[tuple[str, ...]]) -> list[Mutant]:
    return mutants_of_text(path.relative_to(root).as_posix(),
                           path.read_text(encoding="utf-8"), sets)


def drop_check_mutant(table: str, constraint: str, definition: str) -> Mutant:
    """A migration's CHECK constraint dropped: the mutant is one ALTER TABLE."""
    quoted = '"' + constraint.replace('"', '""') + '"'
    stmt = f"ALTER TABLE {table} DROP CONSTRAINT {quoted}"
    return Mutant(f"check:{table}:{constraint}", "drop-check", 0, 0, f"{constraint} {definition}",
                  "(dropped)", stmt)


def drop_grant_mutant(schema: str, table: str, role: str, privilege: str,
                      columns: str | None) -> Mutant:
    """One privilege of one role on one SES table taken away: its row of
    ``ses_common.table_grants`` deleted, then ``apply_context_grants`` revokes it."""
    def lit(v: str) -> str:
        return "'" + v.replace("'", "''") + "'"

    stmt = (f"DELETE FROM ses_common.table_grants WHERE schema_name = {lit(schema)}"
            f" AND table_name = {lit(table)} AND role_name = {lit(role)}"
            f" AND privilege = {lit(privilege)};"
            f" SELECT ses_common.apply_context_grants({lit(schema)});")
    shown = f"GRANT {privilege}" + (f" ({columns})" if columns else "") + f" TO {role}"
    return Mutant(f"grant:{schema}.{table}:{role}:{privilege}", "drop-grant", 0, 0, shown,
                  "(revoked)", stmt)
