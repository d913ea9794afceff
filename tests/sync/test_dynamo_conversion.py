"""The glue's conversion of DynamoDB items (``bbase.dynamo``), without a database or
DynamoDB: what a hostile attribute becomes, and what a valid one becomes. These are
the tests ``bbase mutate --glue workshop/bbase_workshop/mutate/glue_dynamo.toml``
runs against each mutant of the conversion (docs/testing.md)."""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import Any

import pytest

from bbase import dynamo
from bbase.dynamo import MAX_DEPTH, NUL_SHOWN, ItemError


def _error(av: Any) -> str:
    with pytest.raises(ItemError) as exc:
        dynamo.wire_to_plain(av)
    return str(exc.value)


def _nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"S": "x"}
    for _ in range(levels):
        value = {"M": {"k": value}}
    return value


# --- show: how a value appears in a reason ------------------------------------------------

def test_a_long_string_is_shown_cut_at_the_limit_with_its_length():
    assert dynamo.show("x" * 61) == repr("x" * 60) + "… (61 characters)"


def test_a_string_of_exactly_the_limit_is_shown_whole():
    assert dynamo.show("x" * 60) == repr("x" * 60)


def test_a_long_repr_is_shown_cut_with_its_length():
    text = repr(list(range(40)))
    assert dynamo.show(list(range(40))) == f"{text[:60]}… ({len(text)} characters)"


def test_a_repr_of_exactly_the_limit_and_twenty_is_shown_whole():
    value = ["x" * 76]  # repr: 80 characters
    assert dynamo.show(value) == repr(value)


def test_a_repr_one_longer_than_the_limit_and_twenty_is_cut():
    value = ["x" * 77]  # repr: 81 characters
    assert dynamo.show(value) == f"{repr(value)[:60]}… (81 characters)"


# --- numbers -------------------------------------------------------------------------------

def test_a_whole_number_becomes_an_int():
    assert [(v, type(v)) for v in (dynamo.wire_to_plain({"N": "42"}),
                                   dynamo.wire_to_plain({"N": "1E+2"}))] == [(42, int), (100, int)]


def test_a_fraction_stays_an_exact_decimal():
    value = dynamo.wire_to_plain({"N": "1.50"})
    assert (value, type(value)) == (Decimal("1.5"), Decimal)


def test_thirty_eight_significant_digits_are_accepted():
    assert dynamo.wire_to_plain({"N": "1" * 38}) == int("1" * 38)


def test_thirty_nine_significant_digits_are_beyond_the_range():
    assert _error({"N": "1" * 39}).startswith("item: '" + "1" * 39 + "' is beyond DynamoDB's")


def test_trailing_zeros_are_not_significant_digits():
    assert dynamo.wire_to_plain({"N": "1" + "0" * 40}) == 10 ** 40


@pytest.mark.parametrize("text", ["1E-130", "9.99E+125", "-1E-130"])
def test_the_smallest_and_largest_exponents_are_accepted(text: str):
    assert dynamo.wire_to_plain({"N": text}) == Decimal(text)


@pytest.mark.parametrize("text", ["1E-131", "1E+126", "-1E+126"])
def test_an_exponent_past_the_range_is_refused(text: str):
    assert "is beyond DynamoDB's number range" in _error({"N": text})


def test_zero_is_a_number_whatever_its_exponent():
    assert dynamo.wire_to_plain({"N": "0E+500"}) == 0


def test_a_number_that_is_no_string_is_refused_as_not_a_number():
    assert _error({"N": None}) == "item: None is not a number"


# --- strings and names ---------------------------------------------------------------------

def test_a_nul_is_named_with_its_position():
    assert _error({"S": "ab\x00c"}) == "item: contains NUL (U+0000) at character 3: 'ab\\x00c'"


def test_text_that_is_not_utf8_is_named_with_the_position_of_the_bad_character():
    assert _error({"S": "ab\ud800"}).startswith("item: not valid UTF-8 at character 3:")


def test_a_member_name_of_forty_characters_is_shown_whole():
    assert dynamo._member("m", "k" * 40) == "m." + "k" * 40


def test_a_longer_member_name_is_shortened_to_forty_characters():
    assert dynamo._member("m", "k" * 41) == "m." + "k" * 40 + "…"


# --- attribute values ----------------------------------------------------------------------

def test_an_empty_attribute_value_is_refused():
    assert _error({}) == "item: {} is not a DynamoDB attribute value"


def test_a_map_becomes_a_dict_of_its_converted_members():
    assert dynamo.wire_to_plain({"M": {"a": {"S": "x"}, "b": {"N": "2"}}}) == {"a": "x", "b": 2}


def test_a_bad_member_of_a_map_is_named_by_its_path():
    assert _error({"M": {"k": {"N": "x"}}}) == "item.k: 'x' is not a number"


def test_a_map_key_with_a_nul_is_refused_naming_the_key():
    assert _error({"M": {"a\x00": {"S": "x"}}}).startswith("item key: contains NUL")


def test_a_list_becomes_a_list_of_its_converted_elements():
    assert dynamo.wire_to_plain({"L": [{"S": "a"}, {"N": "1"}]}) == ["a", 1]


def test_a_bad_element_of_a_list_is_named_by_its_position():
    assert _error({"L": [{"S": "a"}, {"N": "x"}]}) == "item[2]: 'x' is not a number"


def test_a_list_that_is_no_list_is_refused():
    assert _error({"L": "ab"}) == "item: list 'ab' is not a list"


@pytest.mark.parametrize("flag", [True, False])
def test_a_boolean_stays_itself(flag: bool):
    assert dynamo.wire_to_plain({"BOOL": flag}) is flag


def test_a_boolean_that_is_no_boolean_is_refused():
    assert _error({"BOOL": "true"}).endswith("is not a DynamoDB attribute value")


def test_null_true_becomes_none():
    assert dynamo.wire_to_plain({"NULL": True}) is None


def test_null_false_is_refused():
    assert _error({"NULL": False}) == "item: {'NULL': False} is not a DynamoDB attribute value"


def test_a_string_set_becomes_a_sorted_list():
    assert dynamo.wire_to_plain({"SS": ["b", "a"]}) == ["a", "b"]


def test_a_bad_member_of_a_string_set_is_named_by_its_position():
    assert _error({"SS": ["a", "b\x00"]}).startswith("item[2]: contains NUL")


def test_a_number_set_becomes_a_sorted_list_of_numbers():
    assert dynamo.wire_to_plain({"NS": ["10", "9", "1.5"]}) == [Decimal("1.5"), 9, 10]


def test_a_bad_member_of_a_number_set_is_named_by_its_position():
    assert _error({"NS": ["1", "x"]}) == "item[2]: 'x' is not a number"


def test_binary_holding_a_boolean_is_refused():
    assert _error({"B": True}) == "item: {'B': True} is not a DynamoDB attribute value"


def test_binary_becomes_base64_and_binary_text_stays_as_sent():
    assert (dynamo.wire_to_plain({"B": b"\x00\xff"}), dynamo.wire_to_plain({"B": "AP8="})) == (
        base64.b64encode(b"\x00\xff").decode(), "AP8=")


def test_a_binary_set_becomes_a_list_of_base64():
    assert dynamo.wire_to_plain({"BS": [b"\x01", "AQ=="]}) == ["AQ==", "AQ=="]


def test_a_binary_set_holding_a_number_is_refused():
    assert _error({"BS": [b"\x01", 5]}).endswith("is not a DynamoDB attribute value")


def test_an_unknown_type_holding_a_list_is_refused():
    assert _error({"X": [b"\x01"]}) == "item: {'X': [b'\\x01']} is not a DynamoDB attribute value"


def test_lists_nested_deeper_than_the_maximum_are_refused():
    value: dict[str, Any] = {"S": "x"}
    for _ in range(MAX_DEPTH + 1):
        value = {"L": [value]}
    assert _error(value).endswith(f"nested deeper than {MAX_DEPTH} levels")


def test_nesting_of_exactly_the_maximum_depth_is_converted():
    value = dynamo.wire_to_plain(_nested(MAX_DEPTH))
    for _ in range(MAX_DEPTH):
        value = value["k"]
    assert value == "x"


def test_nesting_one_level_deeper_than_the_maximum_is_refused():
    assert _error(_nested(MAX_DEPTH + 1)).endswith(f"nested deeper than {MAX_DEPTH} levels")


def test_an_item_parsed_from_json_text_converts_every_type():
    """Attribute types arrive as strings made at run time (botocore parses JSON), never
    the interned constants of the source: the types are compared by value."""
    item = json.loads('{"s": {"S": "x"}, "num": {"N": "1"}, "b": {"B": "AQ=="},'
                      ' "m": {"M": {"k": {"S": "y"}}}, "l": {"L": [{"N": "2"}]},'
                      ' "ss": {"SS": ["b", "a"]}, "ns": {"NS": ["2", "1"]}, "bs": {"BS": ["AQ=="]},'
                      ' "t": {"BOOL": true}, "n": {"NULL": true}}')
    assert dynamo.item_to_plain(item) == {
        "s": "x", "num": 1, "b": "AQ==", "m": {"k": "y"}, "l": [2], "ss": ["a", "b"],
        "ns": [1, 2], "bs": ["AQ=="], "t": True, "n": None}


# --- items ---------------------------------------------------------------------------------

def test_an_item_that_is_no_map_is_refused():
    with pytest.raises(ItemError, match=r"^item: \[1\] is not a map of attributes$"):
        dynamo.item_to_plain([1])  # type: ignore[arg-type]


def test_a_bad_attribute_is_named_by_its_path_without_a_prefix():
    with pytest.raises(ItemError, match=r"^zenginData\.bankName: contains NUL"):
        dynamo.item_to_plain({"zenginData": {"M": {"bankName": {"S": "a\x00"}}}})


def test_an_attribute_name_with_a_nul_is_refused():
    with pytest.raises(ItemError, match=r"^attribute name: contains NUL"):
        dynamo.item_to_plain({"a\x00": {"S": "x"}})


# --- plain data (S3 bodies) ----------------------------------------------------------------

def test_plain_data_jsonb_can_hold_passes_the_check():
    assert dynamo.check_plain({"a": ["x", 1, None, {"b": True}]}, "body") is None


def test_a_nul_deep_in_plain_data_is_named_by_its_path():
    with pytest.raises(ItemError, match=r"^body\.a\[2\]: contains NUL"):
        dynamo.check_plain({"a": ["x", "b\x00"]}, "body")


def test_a_key_with_a_nul_in_plain_data_is_refused():
    with pytest.raises(ItemError, match=r"^body key: contains NUL"):
        dynamo.check_plain({"a\x00": 1}, "body")


def _plain_nested(levels: int) -> Any:
    value: Any = "x"
    for _ in range(levels):
        value = {"k": value}
    return value


def test_plain_data_nested_in_lists_deeper_than_its_limit_is_refused():
    value: Any = "x"
    for _ in range(2 * MAX_DEPTH + 1):
        value = [value]
    with pytest.raises(ItemError, match=f"nested deeper than {2 * MAX_DEPTH} levels$"):
        dynamo.check_plain(value, "body")


def test_plain_data_nested_exactly_to_its_limit_passes():
    assert dynamo.check_plain(_plain_nested(2 * MAX_DEPTH), "body") is None


def test_plain_data_nested_deeper_than_its_limit_is_refused():
    with pytest.raises(ItemError, match=f"nested deeper than {2 * MAX_DEPTH} levels$"):
        dynamo.check_plain(_plain_nested(2 * MAX_DEPTH + 1), "body")


# --- the printable copy of an unconvertible item -------------------------------------------

def test_a_nul_is_printed_as_its_control_picture():
    assert dynamo.printable("a\x00b") == f"a{NUL_SHOWN}b"


def test_text_that_is_not_utf8_is_repaired():
    assert dynamo.printable("a\ud800") == "a?"


def test_the_printable_copy_keeps_the_shape_of_the_data():
    assert dynamo.printable({1: ("a", {"b"}), "n": None, "t": True, "i": 7}) == {
        "1": ["a", ["b"]], "n": None, "t": True, "i": 7}


def test_bytes_are_printed_as_base64():
    assert dynamo.printable(b"\x00\xff") == "AP8="


def test_numbers_that_json_cannot_hold_exactly_are_printed_as_text():
    assert [dynamo.printable(Decimal("1.10")), dynamo.printable(float("nan"))] == ["1.10", "nan"]


def test_anything_else_is_printed_as_its_repr():
    assert dynamo.printable(1j) == "1j"


def test_a_convertible_item_converts_with_no_error():
    item = {"id": {"S": "a"}, "n": {"N": "1"}}
    shown, plain, error = dynamo.convert_item(item)
    assert (shown is item, plain, error) == (True, {"id": "a", "n": 1}, None)


def test_an_unconvertible_item_is_shown_printable_with_its_reason():
    shown, plain, error = dynamo.convert_item({"id": {"S": "a\x00"}})
    assert (shown, plain, error) == ({"id": {"S": f"a{NUL_SHOWN}"}}, {"id": f"a{NUL_SHOWN}"},
                                     "id: contains NUL (U+0000) at character 2: 'a\\x00'")


def test_an_item_that_is_no_map_is_shown_wrapped():
    shown, plain, error = dynamo.convert_item(["a"])
    assert (shown, plain, error) == ({"unprintable": ["a"]}, {"unprintable": ["a"]},
                                     "item: ['a'] is not a map of attributes")


# --- JSON text -----------------------------------------------------------------------------

def test_json_text_is_compact_and_keeps_non_ascii():
    assert dynamo.dumps({"a": "ア", "b": [1, 2]}) == '{"a":"ア","b":[1,2]}'


def test_json_text_of_decimals_sets_and_bytes():
    assert json.loads(dynamo.dumps([Decimal("2"), Decimal("1.25"), {"b", "a"}, b"\x01"])) == [
        2, 1.25, ["a", "b"], "AQ=="]


def test_json_text_of_a_whole_decimal_is_an_integer():
    assert dynamo.dumps(Decimal("2.0")) == "2"


def test_json_text_refuses_nan():
    with pytest.raises(ValueError, match="Out of range float values"):
        dynamo.dumps(float("nan"))


def test_json_text_refuses_what_it_cannot_represent():
    with pytest.raises(TypeError, match="^not JSON serialisable: complex$"):
        dynamo.dumps(1j)


def test_json_fractions_are_read_as_exact_decimals():
    value = dynamo.loads('{"a": 1.10}')["a"]
    assert (value, type(value)) == (Decimal("1.10"), Decimal)
