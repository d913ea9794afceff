"""The project's own SQLSTATEs, one Python exception class each.

``docs/errors.md`` explains every code; this module is the code's copy of
that list, written out so that static tools and a wheel without the docs see
the same classes. ``tests/foundation/test_errors.py`` checks the two against
each other both ways, and against every code the SQL raises.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg


class BbaseError(Exception):
    """Base of every error the glue reports to its user."""


class DatabaseRuleError(BbaseError):
    """The database refused an operation with one of the project's SQLSTATEs."""

    sqlstate: str = ""

    def __init__(self, message: str, sqlstate: str | None = None, detail: str | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate or type(self).sqlstate
        self.detail = detail
        self.hint = hint


class ZenginInvalidCode(DatabaseRuleError):
    """A bank code is not exactly 4 ASCII digits or a branch code not exactly 3; the
    message names the field and the value."""

    sqlstate = "ZG001"


class ZenginInvalidName(DatabaseRuleError):
    """A bank or branch name is empty or blank."""

    sqlstate = "ZG002"


class ZenginInvalidKana(DatabaseRuleError):
    """A kana name is empty or holds characters Zengin kana does not use (hiragana,
    ASCII letters, …)."""

    sqlstate = "ZG003"


class ZenginCodeImmutable(DatabaseRuleError):
    """An UPDATE tried to change a bank or branch code; delete and insert instead."""

    sqlstate = "ZG004"


class ZenginDiffNotFound(DatabaseRuleError):
    """No diff with that id."""

    sqlstate = "ZG010"


class ZenginIllegalTransition(DatabaseRuleError):
    """A diff status change that `zengin.diff_transitions` does not list; that table is
    the state machine (`SELECT * FROM zengin.diff_transitions`), and the error's HINT
    names the statuses allowed next."""

    sqlstate = "ZG011"


class ZenginApproverMissing(DatabaseRuleError):
    """Approval or rejection without a named person."""

    sqlstate = "ZG012"


class ZenginApproverIsCreator(DatabaseRuleError):
    """The approver is the diff's creator."""

    sqlstate = "ZG013"


class ZenginDiffConflict(DatabaseRuleError):
    """At execution the live row no longer matches the diff's currentData (or an
    addition's row already exists); the diff ends failed and the rows stay untouched."""

    sqlstate = "ZG014"


class ZenginSnapshotNotFound(DatabaseRuleError):
    """No staged snapshot with that id."""

    sqlstate = "ZG015"


class ZenginDiffImmutable(DatabaseRuleError):
    """An UPDATE tried to change a diff's content (type, data, creator, …) after
    creation."""

    sqlstate = "ZG016"


class ZenginInvalidArgument(DatabaseRuleError):
    """A maintenance or helper function got an out-of-range argument; the message names
    it."""

    sqlstate = "ZG017"


class SyncRunLocked(DatabaseRuleError):
    """Another `bbase sync` run holds the run lock (advisory lock `zengin_sync.run`);
    the message names the holder's backend pid. `bbase sync` exits 75."""

    sqlstate = "ZS001"


class SyncRunNotRunning(DatabaseRuleError):
    """zengin_sync.finish_run` was called for a run that is not running (a later run
    marked it abandoned)."""

    sqlstate = "ZS002"


class SyncRemoteUnknown(DatabaseRuleError):
    """A write-back was recorded for a diff the sync has no DynamoDB record of, or with
    no write-back outstanding."""

    sqlstate = "ZS003"


class SyncCannotAdopt(DatabaseRuleError):
    """A record unknown to PostgreSQL arrived from DynamoDB in a status the sync may not
    adopt (`zengin.diff_statuses.sync_may_adopt`); it is quarantined."""

    sqlstate = "ZS010"


class SesStaleVersion(DatabaseRuleError):
    """Optimistic-locking conflict: an UPDATE set `version` to a value other than the
    row's current version (someone changed the row after it was read). Re-read and redo."""

    sqlstate = "SE001"


class SesReferenceMissing(DatabaseRuleError):
    """Cross-context reference check: `Referenced <project/engineer/contract/…> does not
    exist: <id>`; the referenced row is missing or soft-deleted."""

    sqlstate = "SE002"


class SesPartitionMissing(DatabaseRuleError):
    """A row of a partitioned SES table falls outside every partition (it reached the
    DEFAULT partition, which stays empty); create it with
    `ses_common.create_partitions`."""

    sqlstate = "SE003"


class SesPartitionKeyFrozen(DatabaseRuleError):
    """An UPDATE tried to change a partition key column (timesheet period,
    invoice/analytics year, notification created_at), which is fixed once recorded."""

    sqlstate = "SE004"


class SesInvalidArgument(DatabaseRuleError):
    """Bad input to an SES maintenance function (unknown or non-SES table, bad date
    range, schema outside the SES contexts); the message names the field and the value."""

    sqlstate = "SE005"


class SesUnbalancedJournalEntry(DatabaseRuleError):
    """A posted journal entry's debit and credit lines do not balance (or a side is
    empty) at commit."""

    sqlstate = "SE006"


class SesArchiveCutoffInvalid(DatabaseRuleError):
    """ses_common.archive_old_data` was called with a NULL cutoff or one after today;
    pass the first day that stays live."""

    sqlstate = "SE050"


class SesArchiveIncomplete(DatabaseRuleError):
    """ses_common.archive_old_data` copied rows of a table into the archive but could
    not delete as many from the live table (a trigger or rule kept some); that group was
    rolled back and reported as FAILED."""

    sqlstate = "SE051"


class SesGrantColumnUnknown(DatabaseRuleError):
    """ses_common.table_grants names a column its table does not have (renamed or
    dropped by a migration); ses_common.apply_context_grants changed nothing. Fix the
    row's column_names, then run SELECT * FROM ses_common.apply_context_grants();."""

    sqlstate = "SE100"


#: SQLSTATE -> exception class, for every class above.
CLASSES: dict[str, type[DatabaseRuleError]] = {
    cls.sqlstate: cls for cls in DatabaseRuleError.__subclasses__()
}
#: SQLSTATE -> (exception class name, short meaning).
SQLSTATES: dict[str, tuple[str, str]] = {
    code: (cls.__name__, " ".join((cls.__doc__ or "").split())) for code, cls in CLASSES.items()
}


def translate(exc: psycopg.Error) -> Exception:
    """Turn a psycopg error carrying a project SQLSTATE into its exception class."""
    diag = exc.diag
    code = diag.sqlstate or ""
    cls = CLASSES.get(code)
    if cls is None:
        return exc
    return cls(diag.message_primary or str(exc), code, diag.message_detail, diag.message_hint)
