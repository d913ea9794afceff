-- Drop the foreign-key support indexes created by migration 0173 (recognised by their comment).
DO $fk_indexes$
DECLARE
    v_index regclass;
BEGIN
    FOR v_index IN
        SELECT c.oid::regclass
        FROM pg_catalog.pg_class AS c
        INNER JOIN pg_catalog.pg_namespace AS n ON c.relnamespace = n.oid
        WHERE c.relkind IN ('i', 'I')
            AND NOT c.relispartition
            AND n.nspname LIKE '%\_context'
            AND obj_description(c.oid, 'pg_class') LIKE 'Supports foreign key % migration 0173.'
    LOOP
        EXECUTE format('DROP INDEX %s', v_index);
    END LOOP;
END
$fk_indexes$;
