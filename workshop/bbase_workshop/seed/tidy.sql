-- Why: bulk inserts leave GIN entries in the indexes' pending lists, which the
-- planner prices as a scan of the whole list (it then prefers a sequential
-- scan); VACUUM or autoanalyze would merge them later, the seed does it at the
-- end of its load. Read by bbase_workshop.seed with %(contexts)s bound to the
-- eight SES context schemas.

-- name: gin pending lists
SELECT gin_clean_pending_list(i.indexrelid)
FROM pg_index AS i
INNER JOIN pg_class AS c ON i.indexrelid = c.oid
INNER JOIN pg_am AS a ON c.relam = a.oid
INNER JOIN pg_namespace AS n ON c.relnamespace = n.oid
WHERE a.amname = 'gin' AND c.relkind = 'i' AND n.nspname = ANY(%(contexts)s);
