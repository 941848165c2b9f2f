"""Reference numbers: check digit, randomness, grouping."""

import pytest

from service.reference import InvalidReference, check_digit, format_reference, new_reference, parse_reference


def test_new_references_are_ten_digits_and_valid():
    for _ in range(500):
        reference = new_reference()
        assert len(reference) == 10 and reference.isdigit() and reference[0] != "0"
        assert parse_reference(reference) == reference


def test_references_are_not_sequential():
    references = sorted(int(new_reference()[:-1]) for _ in range(200))
    gaps = {b - a for a, b in zip(references, references[1:], strict=False)}
    assert len(gaps) > 150  # sequential allocation would give one gap size


def test_every_single_digit_error_is_caught():
    reference = "4829135570"
    body = reference[:-1]
    reference = body + check_digit(body)
    for position in range(10):
        for digit in "0123456789":
            if digit == reference[position]:
                continue
            wrong = reference[:position] + digit + reference[position + 1 :]
            with pytest.raises(InvalidReference):
                parse_reference(wrong)


def test_every_adjacent_swap_is_caught():
    for _ in range(200):
        reference = new_reference()
        for position in range(9):
            a, b = reference[position], reference[position + 1]
            if a == b:
                continue
            swapped = reference[:position] + b + a + reference[position + 2 :]
            with pytest.raises(InvalidReference):
                parse_reference(swapped)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the reference number"),
        ("48291355A0", "digits only"),
        ("482 913 557", "10 digits; this has 9"),
    ],
)
def test_bad_references_are_explained(typed, message):
    with pytest.raises(InvalidReference, match=message):
        parse_reference(typed)


def test_spaces_and_dashes_are_ignored_and_grouping_reads_aloud():
    reference = new_reference()
    grouped = format_reference(reference)
    assert grouped == f"{reference[:3]} {reference[3:6]} {reference[6:]}"
    assert parse_reference(grouped) == reference
    assert parse_reference(grouped.replace(" ", "-")) == reference
