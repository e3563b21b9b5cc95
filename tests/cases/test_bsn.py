"""BI-1 and PR-4: the BSN's rules, its blind index, its mask and its encryption at rest."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from stdnum.nl import bsn as stdnum_bsn

from cases import bsn as bsn_rules
from cases.models import Client
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

VALID = ["111222333", "123456782", "999999990", "1234.56.782", "123 456 782"]
# Fails the eleven test, or is all zeros.
FAILS_ELFPROEF = ["123456789", "000000000"]
# Not nine ASCII digits.
BAD_FORMAT = ["12345678a", "12345678", "1234567890", "١٢٣٤٥٦٧٨٢", ""]


@pytest.mark.parametrize("value", VALID)
def test_valid_bsns_pass(value):
    assert bsn_rules.is_valid(value)
    bsn_rules.validate_bsn(value)


@pytest.mark.parametrize("value", FAILS_ELFPROEF + BAD_FORMAT)
def test_invalid_bsns_are_rejected(value):
    assert not bsn_rules.is_valid(value)
    with pytest.raises(ValidationError):
        bsn_rules.validate_bsn(value)


@pytest.mark.parametrize("value", FAILS_ELFPROEF)
def test_nine_digits_failing_the_eleven_test_raise_code_bsn_elfproef(value):
    with pytest.raises(ValidationError) as error:
        bsn_rules.validate_bsn(value)
    assert error.value.code == "bsn_elfproef"


@pytest.mark.parametrize("value", BAD_FORMAT)
def test_anything_but_nine_ascii_digits_raises_code_bsn_format(value):
    with pytest.raises(ValidationError) as error:
        bsn_rules.validate_bsn(value)
    assert error.value.code == "bsn_format"


def test_arabic_indic_digits_are_rejected_even_though_they_pass_the_eleven_test():
    arabic = "١٢٣٤٥٦٧٨٢"  # 123456782, a valid BSN in ASCII digits
    assert int(arabic) == 123456782
    assert not bsn_rules.is_valid(arabic)
    with pytest.raises(ValidationError) as error:
        bsn_rules.validate_bsn(arabic)
    assert error.value.code == "bsn_format"


@pytest.mark.parametrize(
    "value",
    [
        "１２３４５６７８２",  # full-width digits, which stdnum would turn into 123456782
        "11122237",  # eight digits, which stdnum would pad to the valid 011122237
    ],
)
def test_what_stdnum_would_accept_but_is_not_nine_ascii_digits_is_rejected(value):
    assert stdnum_bsn.is_valid(value)
    assert not bsn_rules.is_valid(value)
    with pytest.raises(ValidationError) as error:
        bsn_rules.validate_bsn(value)
    assert error.value.code == "bsn_format"


def test_the_eleven_test_is_stdnums(monkeypatch):
    monkeypatch.setattr(stdnum_bsn, "checksum", lambda number: 0)
    assert bsn_rules.is_valid("123456789")
    bsn_rules.validate_bsn("123456789")


def test_the_messages_are_our_own_dutch_ones():
    with translation.override("nl"), pytest.raises(ValidationError) as error:
        bsn_rules.validate_bsn("123456789")
    assert error.value.messages == [
        "Dit is geen geldig BSN: het voldoet niet aan de elfproef. Controleer het nummer."
    ]


def test_normalise_drops_spaces_dots_and_dashes():
    assert bsn_rules.normalise("1234.56.782") == "123456782"
    assert bsn_rules.normalise(" 123 456 782 ") == "123456782"
    assert bsn_rules.normalise("123-456-782") == "123456782"


def test_blind_index_is_deterministic():
    assert bsn_rules.blind_index("123456782") == bsn_rules.blind_index("123456782")


def test_blind_index_normalises_separators():
    index = bsn_rules.blind_index("123456782")
    assert bsn_rules.blind_index("1234.56.782") == index
    assert bsn_rules.blind_index("123 456 782") == index


def test_blind_index_differs_per_value():
    assert bsn_rules.blind_index("123456782") != bsn_rules.blind_index("111222333")


def test_blind_index_does_not_contain_the_bsn():
    assert "123456782" not in bsn_rules.blind_index("123456782")


def test_blind_index_of_empty_is_empty():
    assert bsn_rules.blind_index("") == ""


def test_blind_index_depends_on_the_key(settings):
    settings.BLIND_INDEX_KEY = "first-key"
    first = bsn_rules.blind_index("123456782")
    settings.BLIND_INDEX_KEY = "second-key"
    second = bsn_rules.blind_index("123456782")
    assert first != second


@pytest.mark.parametrize("value", ["123456782", "1234.56.782"])
def test_mask_shows_only_the_last_three_digits(value):
    masked = bsn_rules.mask(value)
    assert masked.endswith("782")
    assert re.sub(r"[^0-9]", "", masked) == "782"


def test_mask_of_empty_is_empty():
    assert bsn_rules.mask("") == ""


def test_client_masked_bsn_shows_only_the_last_three_digits():
    client = ClientFactory(with_bsn=True)
    assert re.sub(r"[^0-9]", "", client.masked_bsn) == "782"


# --- Encryption at rest ---------------------------------------------------------------


def raw_bsn(client_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT bsn FROM cases_client WHERE id = %s", [client_id])
        return cursor.fetchone()[0]


def test_bsn_is_encrypted_in_the_database_and_readable_through_the_model():
    client = ClientFactory()
    client.set_bsn("1234.56.782")
    client.save()

    stored = raw_bsn(client.pk)
    assert stored
    assert "123456782" not in stored
    assert not stored.isdigit()
    assert Client.objects.get(pk=client.pk).bsn == "123456782"


def test_two_clients_with_the_same_bsn_have_different_ciphertexts_but_the_same_index():
    first = ClientFactory(with_bsn=True)
    second = ClientFactory(with_bsn=True)
    assert raw_bsn(first.pk) != raw_bsn(second.pk)
    assert first.bsn_index == second.bsn_index == bsn_rules.blind_index("123456782")


def test_a_client_without_bsn_stores_an_empty_value():
    client = ClientFactory()
    assert raw_bsn(client.pk) == ""
    assert Client.objects.get(pk=client.pk).bsn == ""


def test_search_finds_a_client_by_exact_bsn_through_the_blind_index():
    client = ClientFactory(with_bsn=True)
    ClientFactory()
    assert list(Client.objects.with_bsn("123 456 782")) == [client]
    assert not Client.objects.with_bsn("111222333").exists()


def test_the_database_refuses_a_second_client_with_the_same_bsn_in_one_team():
    first = ClientFactory(with_bsn=True)
    with transaction.atomic(), pytest.raises(IntegrityError):
        ClientFactory(team=first.team, with_bsn=True)


def test_the_same_bsn_in_another_team_and_many_clients_without_one_are_allowed():
    first = ClientFactory(with_bsn=True)
    ClientFactory(with_bsn=True)
    ClientFactory(team=first.team)
    ClientFactory(team=first.team)
    assert Client.objects.filter(bsn_index=first.bsn_index).count() == 2
    assert Client.objects.filter(team=first.team).count() == 3


# --- Random input ------------------------------------------------------------------------


@hypothesis_settings(max_examples=50)
@given(st.text())
def test_is_valid_never_raises_on_arbitrary_text(value):
    assert isinstance(bsn_rules.is_valid(value), bool)


@hypothesis_settings(max_examples=50)
@given(st.text())
def test_validate_bsn_passes_or_raises_validation_error_in_agreement_with_is_valid(value):
    if bsn_rules.is_valid(value):
        bsn_rules.validate_bsn(value)
        assert re.fullmatch(r"[0-9]{9}", bsn_rules.normalise(value))
    else:
        with pytest.raises(ValidationError) as error:
            bsn_rules.validate_bsn(value)
        assert error.value.code in ("bsn_format", "bsn_elfproef")


@hypothesis_settings(max_examples=50)
@given(st.from_regex(r"[0-9]{9}", fullmatch=True))
def test_is_valid_matches_the_eleven_test_on_nine_digits(digits):
    total = sum(int(d) * w for d, w in zip(digits, [9, 8, 7, 6, 5, 4, 3, 2, -1], strict=True))
    expected = total % 11 == 0 and digits != "000000000"
    assert bsn_rules.is_valid(digits) is expected
