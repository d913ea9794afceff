-- Why: a ciphertext must decrypt only as the data class it was written as,
-- so that a role allowed to read one class (finance: payee accounts) cannot
-- feed another class's ciphertext (an engineer's e-mail) to its decrypt
-- function. The PGP password is HMAC-SHA256(class, key) in hex: 256 random
-- bits per class and version, so the cheap S2K mode is enough. Internal.
-- plpgsql, not a SQL body: a SQL body is resolved at creation, and the
-- replay of a database without migration 0181 (one context installed
-- alone) has no ses_crypto schema.
-- requires: sql/functions/ses_common/read_session_key.sql
CREATE OR REPLACE FUNCTION ses_common.derive_class_password(p_data_class text, p_key_version integer)
RETURNS text
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    RETURN pg_catalog.encode(
        ses_crypto.hmac(pg_catalog.convert_to(p_data_class, 'UTF8'),
                        ses_common.read_session_key(p_key_version, 'encryption'), 'sha256'),
        'hex');
END
$$;

COMMENT ON FUNCTION ses_common.derive_class_password(text, integer) IS
'Internal: the PGP password of a data class under a key version (NULL: current), HMAC-SHA256(class, encryption key) in hex. Granted to nobody.';

REVOKE ALL ON FUNCTION ses_common.derive_class_password(text, integer) FROM PUBLIC;
