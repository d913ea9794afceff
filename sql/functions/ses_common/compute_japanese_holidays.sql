-- Why: a transfer file dated on a day the banks are closed is refused or paid
-- late; the calendar must be right years ahead, and the public holiday law
-- (国民の祝日に関する法律) is a set of rules, so the days are computed, not
-- typed in. Rules as in force since 2020 (天皇誕生日 on 2/23, スポーツの日):
-- * fixed days: 元日 1/1, 建国記念の日 2/11, 天皇誕生日 2/23, 昭和の日 4/29,
--   憲法記念日 5/3, みどりの日 5/4, こどもの日 5/5, 山の日 8/11, 文化の日 11/3,
--   勤労感謝の日 11/23;
-- * Happy Monday days: 成人の日 2nd Monday of January, 海の日 3rd Monday of
--   July, 敬老の日 3rd Monday of September, スポーツの日 2nd Monday of October;
-- * 春分の日 / 秋分の日 by the astronomical approximation valid 1980-2099
--   (floor(20.8431 + 0.242194 (y - 1980) - floor((y - 1980) / 4)), 23.2488
--   for autumn); the official day is announced a year ahead and has matched
--   this formula in every year so far;
-- * the Olympic moves of 2020 and 2021 (海の日, スポーツの日, 山の日);
-- * 国民の休日: a day that is not a holiday, between two holidays;
-- * 振替休日: a holiday on a Sunday moves to the next day that is not one;
-- * the banks' own closing days (銀行法施行令): Dec 31, Jan 2 and Jan 3.
-- Years 2020-2099 only (SE149 otherwise): earlier years had other rules,
-- later ones lack the equinox formula. One-off days by special law (e.g.
-- an enthronement) are entered by hand as SPECIAL rows.
CREATE OR REPLACE FUNCTION ses_common.compute_japanese_holidays(p_year integer)
RETURNS TABLE (holiday_date date, name text, kind text)
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    v_days date[] := '{}';
    v_names text[] := '{}';
    v_day date;
    v_next date;
    v_spring integer;
    v_autumn integer;
BEGIN
    IF p_year IS NULL OR p_year NOT BETWEEN 2020 AND 2099 THEN
        RAISE EXCEPTION 'invalid year: % (the holiday rules are known for 2020-2099)', coalesce(p_year::text, 'NULL')
            USING ERRCODE = 'SE149',
                  DETAIL = pg_catalog.format('field=year value=%s', coalesce(p_year::text, 'NULL')),
                  HINT = 'Give a year between 2020 and 2099.';
    END IF;
    v_spring := pg_catalog.floor(20.8431 + 0.242194 * (p_year - 1980) - pg_catalog.floor((p_year - 1980) / 4.0));
    v_autumn := pg_catalog.floor(23.2488 + 0.242194 * (p_year - 1980) - pg_catalog.floor((p_year - 1980) / 4.0));

    -- (date, name) of the named holidays; nth_monday(month, n)
    SELECT pg_catalog.array_agg(d ORDER BY d), pg_catalog.array_agg(n ORDER BY d)
    INTO v_days, v_names
    FROM (VALUES
        (pg_catalog.make_date(p_year, 1, 1), '元日'),
        (pg_catalog.make_date(p_year, 1, 1) + ((8 - pg_catalog.date_part('isodow', pg_catalog.make_date(p_year, 1, 1))::integer) % 7) + 7, '成人の日'),
        (pg_catalog.make_date(p_year, 2, 11), '建国記念の日'),
        (pg_catalog.make_date(p_year, 2, 23), '天皇誕生日'),
        (pg_catalog.make_date(p_year, 3, v_spring), '春分の日'),
        (pg_catalog.make_date(p_year, 4, 29), '昭和の日'),
        (pg_catalog.make_date(p_year, 5, 3), '憲法記念日'),
        (pg_catalog.make_date(p_year, 5, 4), 'みどりの日'),
        (pg_catalog.make_date(p_year, 5, 5), 'こどもの日'),
        (CASE p_year WHEN 2020 THEN pg_catalog.make_date(2020, 7, 23) WHEN 2021 THEN pg_catalog.make_date(2021, 7, 22)
            ELSE pg_catalog.make_date(p_year, 7, 1) + ((8 - pg_catalog.date_part('isodow', pg_catalog.make_date(p_year, 7, 1))::integer) % 7) + 14 END, '海の日'),
        (CASE p_year WHEN 2020 THEN pg_catalog.make_date(2020, 8, 10) WHEN 2021 THEN pg_catalog.make_date(2021, 8, 8)
            ELSE pg_catalog.make_date(p_year, 8, 11) END, '山の日'),
        (pg_catalog.make_date(p_year, 9, 1) + ((8 - pg_catalog.date_part('isodow', pg_catalog.make_date(p_year, 9, 1))::integer) % 7) + 14, '敬老の日'),
        (pg_catalog.make_date(p_year, 9, v_autumn), '秋分の日'),
        (CASE p_year WHEN 2020 THEN pg_catalog.make_date(2020, 7, 24) WHEN 2021 THEN pg_catalog.make_date(2021, 7, 23)
            ELSE pg_catalog.make_date(p_year, 10, 1) + ((8 - pg_catalog.date_part('isodow', pg_catalog.make_date(p_year, 10, 1))::integer) % 7) + 7 END, 'スポーツの日'),
        (pg_catalog.make_date(p_year, 11, 3), '文化の日'),
        (pg_catalog.make_date(p_year, 11, 23), '勤労感謝の日')
    ) AS h (d, n);

    FOR i IN 1 .. pg_catalog.cardinality(v_days) LOOP
        holiday_date := v_days[i]; name := v_names[i]; kind := 'NATIONAL';
        RETURN NEXT;
    END LOOP;

    -- 国民の休日: sandwiched between two named holidays.
    FOR i IN 1 .. pg_catalog.cardinality(v_days) - 1 LOOP
        IF v_days[i + 1] - v_days[i] = 2 AND NOT (v_days[i] + 1 = ANY (v_days)) THEN
            holiday_date := v_days[i] + 1; name := '国民の休日'; kind := 'CITIZENS';
            v_days := v_days || holiday_date;
            RETURN NEXT;
        END IF;
    END LOOP;

    -- 振替休日: the next day that is not a holiday.
    FOREACH v_day IN ARRAY v_days LOOP
        IF pg_catalog.date_part('isodow', v_day) = 7 THEN
            v_next := v_day + 1;
            WHILE v_next = ANY (v_days) LOOP
                v_next := v_next + 1;
            END LOOP;
            holiday_date := v_next; name := '振替休日'; kind := 'SUBSTITUTE';
            v_days := v_days || v_next;
            RETURN NEXT;
        END IF;
    END LOOP;

    -- The banks' year-end and new-year closing (Jan 1 is 元日 already).
    FOREACH v_day IN ARRAY ARRAY[pg_catalog.make_date(p_year, 1, 2), pg_catalog.make_date(p_year, 1, 3),
                                 pg_catalog.make_date(p_year, 12, 31)] LOOP
        IF NOT (v_day = ANY (v_days)) THEN
            holiday_date := v_day; name := '銀行休業日'; kind := 'BANK';
            RETURN NEXT;
        END IF;
    END LOOP;
END
$$;

COMMENT ON FUNCTION ses_common.compute_japanese_holidays(integer) IS
'The days banks are closed in p_year besides weekends, computed by the rules of the public holiday law as in force since 2020 (named holidays, 国民の休日, 振替休日) plus Jan 2-3 and Dec 31: (holiday_date, name, kind NATIONAL/CITIZENS/SUBSTITUTE/BANK). SE149 for a year outside 2020-2099.';

REVOKE ALL ON FUNCTION ses_common.compute_japanese_holidays(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ses_common.compute_japanese_holidays(integer)
TO ses_admin_role, ses_finance_role, bbase_operator;
