-- Roll back the Zengin master: the schema and everything in it (including replayed functions).
DROP SCHEMA zengin CASCADE;
