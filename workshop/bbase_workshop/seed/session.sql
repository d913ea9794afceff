-- Why: settings of the one transaction the seed runs in. The generation
-- queries are large one-off statements, so JIT compilation only adds latency;
-- setseed() makes every random() of the plan repeatable for a given seed.
-- Read by bbase_workshop.seed; each statement follows its `-- name:` line.

-- name: jit off
SET LOCAL jit = off;

-- name: random seed
SELECT setseed(%(seed)s);
