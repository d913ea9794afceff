-- requires: sql/functions/zengin/hira_from_kana.sql
-- Why: the designed DynamoDB layout carries katakana but no hiragana or
-- romaji. What can be derived (hiragana from katakana) is; romaji stays empty.
CREATE OR REPLACE FUNCTION zengin_sync.complete_names(p_data jsonb)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
RETURN CASE
    WHEN p_data IS NULL OR pg_catalog.jsonb_typeof(p_data) <> 'object' THEN p_data
    ELSE p_data
        || CASE
            WHEN p_data ->> 'bankHira' IS NULL AND p_data ->> 'bankKana' IS NOT NULL
                THEN pg_catalog.jsonb_build_object('bankHira', zengin.hira_from_kana(p_data ->> 'bankKana'))
            ELSE '{}'::jsonb
        END
        || CASE
            WHEN p_data ->> 'branchHira' IS NULL AND p_data ->> 'branchKana' IS NOT NULL
                THEN pg_catalog.jsonb_build_object('branchHira', zengin.hira_from_kana(p_data ->> 'branchKana'))
            ELSE '{}'::jsonb
        END
END;

COMMENT ON FUNCTION zengin_sync.complete_names(jsonb) IS
'A zenginData map with bankHira/branchHira derived from bankKana/branchKana (zengin.hira_from_kana) where missing; romaji is not derivable and stays absent.';
GRANT EXECUTE ON FUNCTION zengin_sync.complete_names(jsonb) TO bbase_sync;
