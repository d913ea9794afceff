-- Why: settings of the one transaction the seed runs in. The generation
-- queries are large one-off statements, so JIT compilation only adds latency;
-- setseed() makes every random() of the plan repeatable for a given seed.
-- Read by bbase_workshop.seed; each statement follows its `-- name:` line.

-- name: jit off
SET LOCAL jit = off;

-- name: random seed
SELECT setseed(%(seed)s);

-- name: history load
-- The seed writes finished rows (ACTIVE contracts, CLOSED timesheets, APPLIED
-- adjustments) as history: the owner's named route past the status guards
-- (ses_common.is_history_load; docs/ses.md). It counts only for the owner or a
-- superuser, never for the application roles the seed may act as.
SET LOCAL ses_common.history_load = on;
