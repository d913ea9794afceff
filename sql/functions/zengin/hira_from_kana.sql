-- Why: DynamoDB diff records carry katakana but no hiragana; the master keeps
-- hiragana too, so it is derived when a record arrives without it.
CREATE OR REPLACE FUNCTION zengin.hira_from_kana(p_kana text) RETURNS text
LANGUAGE sql
IMMUTABLE
STRICT
PARALLEL SAFE
RETURN pg_catalog.translate(
    p_kana,
    'ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶ',
    'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖ'
);

COMMENT ON FUNCTION zengin.hira_from_kana(text) IS
'Katakana to hiragana (ァ..ヶ to ぁ..ゖ, ヴ to ゔ); every other character (ー, －, ．, full-width Latin, spaces) is kept. Used when a record carries no hiragana.';

GRANT EXECUTE ON FUNCTION zengin.hira_from_kana(text)
TO bbase_sync, bbase_operator, bbase_reviewer, bbase_readonly;
