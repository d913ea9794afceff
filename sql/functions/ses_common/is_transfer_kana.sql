-- Why: the character set a Zengin transfer file (総合振込) accepts in its name
-- fields is one rule: JIS half-width katakana without small kana (ｧ-ｯ) and
-- without the half-width long vowel mark ｰ, the sound marks ﾞﾟ, A-Z, 0-9,
-- space and ( ) - . (ses-domain-rules.md section 4; no comma, no ｰ). The
-- payee account check, the normaliser and the file builder all ask here.
-- Note the Zengin master (zengin.banks.kana, zengin.is_zengin_kana) stores
-- full-width katakana: ses_common.normalize_transfer_kana converts between the
-- two. A LANGUAGE sql single expression: inlined, no call per row.
CREATE OR REPLACE FUNCTION ses_common.is_transfer_kana(p_text text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURN p_text ~ '^[ｦｱ-ﾟA-Z0-9 ().-]+$';

COMMENT ON FUNCTION ses_common.is_transfer_kana(text) IS
'True when p_text is non-empty and only uses the Zengin transfer file character set: half-width katakana without small kana and without ｰ, ﾞ ﾟ, A-Z, 0-9, space and ( ) - . ; NULL for NULL. Lengths are the caller''s rule.';

REVOKE ALL ON FUNCTION ses_common.is_transfer_kana(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.is_transfer_kana(text)
TO ses_admin_role, ses_project_manager_role, ses_finance_role, bbase_operator;
