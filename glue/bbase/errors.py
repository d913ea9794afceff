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


class ZenginDiffExpired(DatabaseRuleError):
    """Approval of a pending diff past its ttl. `zengin.approve_diff` expires the diff on
    the spot and returns `expired` with a WARNING carrying this code; a direct `UPDATE`
    to `approved` is refused with it."""

    sqlstate = "ZG020"


class ZenginApproverLoginIsCreator(DatabaseRuleError):
    """The database login (`session_user`) approving a diff is the login that created it
    (`zengin.diffs.created_session_user`), whatever names are passed."""

    sqlstate = "ZG021"


class ZenginForgedDiffAttribution(DatabaseRuleError):
    """A master change while the setting `zengin.diff_id` names a diff that is not being
    executed in this transaction."""

    sqlstate = "ZG022"


class ZenginSnapshotIncomplete(DatabaseRuleError):
    """`zengin.diff_snapshot` found fewer (or more) staged rows than the snapshot's header
    counts, or a header without counts: rows were lost (a crash, an interrupted or
    tampered staging); nothing is diffed. The message names the snapshot and the
    expected and found counts; stage the folder again."""

    sqlstate = "ZG030"


class ZenginMassChangeUnconfirmed(DatabaseRuleError):
    """The diffs of a snapshot would delete or update more than
    `zengin.settings.mass_change_share` (default 5 %) of the master's banks and branches;
    refused, nothing created, unless confirmed by name (`bbase zengin diff ID
    --confirm-mass-change NAME`). The message names the counts and the share."""

    sqlstate = "ZG031"


class ZenginValueTooLong(DatabaseRuleError):
    """A bank or branch name, kana, hira or roma is longer than `zengin.name_length_limit()`
    (100 characters, the design's VARCHAR(100)); the message names the field, the
    (abbreviated) value and its length. `bbase zengin stage` reports it per record before
    staging; the sync quarantines such a record before applying it."""

    sqlstate = "ZG040"


class ZenginDiffUnknown(DatabaseRuleError):
    """zengin.diff_impact was asked about a diff id that does not exist; the message
    names it."""

    sqlstate = "ZG050"


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


class SesKeyMissing(DatabaseRuleError):
    """Personal data was encrypted, decrypted or looked up without the key (version)
    loaded in this transaction."""

    sqlstate = "SE120"


class SesKeyWrong(DatabaseRuleError):
    """A ciphertext does not decrypt with the key loaded for its version (wrong key,
    a value of another data class, or corrupted bytes)."""

    sqlstate = "SE121"


class SesPersonalDataInvalid(DatabaseRuleError):
    """Bad input to a personal data function (unknown data class, blank or oversize
    value, batch size out of range); the message names the field."""

    sqlstate = "SE122"


class SesKeyTableForeign(DatabaseRuleError):
    """pg_temp.ses_session_keys exists but was not made by
    ses_common.open_session_keys; reconnect."""

    sqlstate = "SE123"


class SesEventMalformed(DatabaseRuleError):
    """ses_common.emit_event got a malformed argument (event type, source context,
    aggregate, payload); the message names it."""

    sqlstate = "SE160"

class SesWorkflowRowMissing(DatabaseRuleError):
    """A workflow function's row is missing, soft-deleted or not visible to the acting user."""

    sqlstate = "SE190"

class SesMatchingRequestClosed(DatabaseRuleError):
    """The matching request is not OPEN, SEARCHING or PROPOSING."""

    sqlstate = "SE191"

class SesSignatureNotOpen(DatabaseRuleError):
    """The contract is not awaiting signatures, or the side has no open signature request."""

    sqlstate = "SE192"

class SesContractUnsigned(DatabaseRuleError):
    """A contract was made ACTIVE without both sides' signatures."""

    sqlstate = "SE193"

class SesAmendmentNotApplicable(DatabaseRuleError):
    """The amendment is not APPROVED, or its contract is not ACTIVE or SUSPENDED."""

    sqlstate = "SE194"

class SesWorkflowArgumentInvalid(DatabaseRuleError):
    """Bad input to a matching, project or contract workflow function; the message
    names the field."""

    sqlstate = "SE195"


class SesAmendmentApplied(DatabaseRuleError):
    """An APPLIED contract amendment was changed; correct it with a new amendment."""

    sqlstate = "SE196"


class SesAdjustmentDecided(DatabaseRuleError):
    """A decided timesheet adjustment (APPROVED, APPLIED, REJECTED) was decided again
    otherwise or changed; record a new adjustment."""

    sqlstate = "SE210"


class SesAdjustmentOwnRequest(DatabaseRuleError):
    """Four eyes: the user who requested a timesheet adjustment tried to decide it."""

    sqlstate = "SE211"


class SesAdjustmentDecisionInvalid(DatabaseRuleError):
    """Bad timesheet adjustment decision: no such adjustment of yours, no acting user,
    blank rejection reason, changed deltas, a timesheet back in DRAFT, or minutes below
    zero; the message names the field."""

    sqlstate = "SE212"


class SesStatusOutsideWorkflow(DatabaseRuleError):
    """A row was inserted in a status its workflow owns (a contract ACTIVE, a timesheet
    past DRAFT, an adjustment decided) instead of the workflow's first one."""

    sqlstate = "SE213"


class SesContractTransitionIllegal(DatabaseRuleError):
    """A contract status change the contract state machine does not allow
    (contract_context.list_contract_transitions()); the hint lists the allowed ones."""

    sqlstate = "SE214"


class SesTransferKanaInvalid(DatabaseRuleError):
    """A name for a Zengin transfer (payee account holder) cannot be written in the
    transfer character set: the message names the field and the offending character and
    its position (never the value), or says it is blank or too long."""

    sqlstate = "SE140"


class SesPayeeBranchUnknown(DatabaseRuleError):
    """A payee account names a bank or branch the Zengin master does not have; the
    message names the codes."""

    sqlstate = "SE141"


class SesTransferDateInvalid(DatabaseRuleError):
    """The payment date of a transfer file is missing, in the past, or not a bank
    business day (weekend, public holiday, Dec 31 - Jan 3); the message names the day."""

    sqlstate = "SE142"


class SesZenginMasterAbsent(DatabaseRuleError):
    """A transfer file was asked for in a database without the Zengin master; the
    accounts cannot be checked, so no file is built."""

    sqlstate = "SE143"


class SesTransferAccountsInvalid(DatabaseRuleError):
    """A transfer batch was refused: the message and detail name every payee account
    that is not ACTIVE, whose bank or branch the master lacks, or every payable without
    an account."""

    sqlstate = "SE144"


class SesTransferAmountInvalid(DatabaseRuleError):
    """A transfer amount is not whole yen or exceeds its field (N10 per transfer, N12
    and N6 for the trailer's total and count); the message names the account or batch."""

    sqlstate = "SE145"


class SesTransferNothingDue(DatabaseRuleError):
    """No open payable is due by the payment date; no transfer file is written."""

    sqlstate = "SE146"


class SesTransferOriginatorMissing(DatabaseRuleError):
    """No live transfer originator (the given id, or the is_default one) in
    billing_context.transfer_originators."""

    sqlstate = "SE147"


class SesTransferRecordMalformed(DatabaseRuleError):
    """A built transfer record is not exactly 120 half-width bytes: a bug in the
    builder; nothing is written."""

    sqlstate = "SE148"


class SesBankCalendarUncovered(DatabaseRuleError):
    """The bank business-day calendar does not cover the year asked about (or a year
    outside 2020-2099 was asked for); run ses_common.refresh_bank_holidays."""

    sqlstate = "SE149"


class SesSettlementInvalid(DatabaseRuleError):
    """A settlement term or the hours given to billing_context.compute_settlement is
    invalid (unknown method or rounding mode, missing bounds or rates, negative hours);
    the message names the field."""

    sqlstate = "SE180"


class SesCloseMonthInvalid(DatabaseRuleError):
    """billing_context.close_month got a bad argument (year, month not yet ended,
    issuer name, registration number not T + 13 digits); the message names it."""

    sqlstate = "SE181"


class SesInvoiceNotPayable(DatabaseRuleError):
    """A payment was recorded against an invoice that cannot take it: missing, of the
    other direction, not yet issued, cancelled or already paid."""

    sqlstate = "SE182"


class SesPaymentInvalid(DatabaseRuleError):
    """A payment or journal correction is invalid (amount not positive, a fee without a
    treatment, a partner paid more than owed, a reversal without entry or reason); the
    message names the field."""

    sqlstate = "SE183"


class SesTimesheetTransitionIllegal(DatabaseRuleError):
    """A timesheet status change the state machine or the contract's client
    approval gate does not allow."""

    sqlstate = "SE170"


class SesTimesheetLocked(DatabaseRuleError):
    """A direct change of a submitted timesheet's attendance or totals; use an
    adjustment."""

    sqlstate = "SE171"


class SesTimesheetInvalidArgument(DatabaseRuleError):
    """Bad input to a timesheet workflow function; the message names the field."""

    sqlstate = "SE172"


class SesTimesheetAlertUnacknowledged(DatabaseRuleError):
    """Internal approval refused while an out-of-range ALERT is unacknowledged."""

    sqlstate = "SE173"


class SesTimesheetAdjustmentTooEarly(DatabaseRuleError):
    """An adjustment of a DRAFT timesheet; edit its attendance instead."""

    sqlstate = "SE174"


class SesEventConsumerUnknown(DatabaseRuleError):
    """No event consumer of that name in ses_common.event_consumers."""

    sqlstate = "SE161"


class SesEventBatchInvalid(DatabaseRuleError):
    """An event consumer batch size outside 1-10000."""

    sqlstate = "SE162"


class SesEventUnhandleable(DatabaseRuleError):
    """An event handler cannot handle the event as the reference data stands (e.g. a
    notification rule without an active template); retried, then DEAD."""

    sqlstate = "SE163"


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
