-- Why: a ciphertext must decrypt only as the data class it was written as,
-- so that a role allowed to read one class (finance: payee accounts) cannot
-- feed another class's ciphertext (an engineer's e-mail) to its decrypt
-- function. The PGP password is HMAC-SHA256(class, key) in hex: 256 random
-- bits per class and version, so the cheap S2K mode is enough.
-- plpgsql, not a SQL body: a SQL body is resolved at creation, and the
-- replay of a database without migration 0181 (one context installed
-- alone) has no ses_crypto schema.
-- Not SECURITY DEFINER and no SET clause: internal, granted to nobody, run only
-- by the SECURITY DEFINER functions of ses_common as their owner (so with their
-- search_path ''); a SET clause would cost on every value.
CREATE OR REPLACE FUNCTION ses_common.derive_class_password(p_data_class text, p_key bytea)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
AS $$
BEGIN
    RETURN pg_catalog.encode(ses_crypto.hmac(pg_catalog.convert_to(p_data_class, 'UTF8'), p_key, 'sha256'), 'hex');
END
$$;

COMMENT ON FUNCTION ses_common.derive_class_password(text, bytea) IS
'Internal: the PGP password of a data class under a key, HMAC-SHA256(class, key) in hex. Granted to nobody.';

REVOKE ALL ON FUNCTION ses_common.derive_class_password(text, bytea) FROM PUBLIC;
