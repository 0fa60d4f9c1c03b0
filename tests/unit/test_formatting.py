"""Dutch formatting filters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from briefgen import formatting as f

NBSP = "\u00a0"


def nb(text: str) -> str:
    """Phone numbers are written with non-breaking spaces, so they are never split over two lines."""
    return text.replace(" ", NBSP)


PHONE_1, PHONE_2 = nb("06 18 87 83 59"), nb("06 10 20 57 16")
CONTACTS = [
    {"naam": "E. Seijsener", "domein": "Wmo", "telefoon": "0618878359"},
    {"naam": "A. Rijssenbeek", "domein": "Jeugd", "telefoon": "0610205716", "email": "a.rijssenbeek@hilversum.nl"},
]


@pytest.mark.parametrize(
    ("func", "args", "kwargs", "expected"),
    [
        (f.datum, (dt.date(2021, 5, 18),), {}, "18 mei 2021"),
        (f.datum, ("2021-05-18",), {}, "18 mei 2021"),
        (f.datum, (dt.date(2021, 3, 1),), {}, "1 maart 2021"),
        (f.bedrag, (19050000,), {}, "€\u00a019.050.000"),
        (f.bedrag, (Decimal("38.13"),), {}, "€\u00a038,13"),
        (f.bedrag, (38.13,), {}, "€\u00a038,13"),
        (f.bedrag, (38,), {"centen": True}, "€\u00a038,00"),
        (f.bedrag, (Decimal("1250.5"),), {"centen": True}, "€\u00a01.250,50"),
        (f.getal, (1250,), {}, "1.250"),
        (f.getal, (Decimal("1250.5"),), {}, "1.250,5"),
        (f.opsomming, (["Wmo", "Jeugd", "Participatie"],), {}, "Wmo, Jeugd en Participatie"),
        (f.opsomming, (["Wmo", "Jeugd"],), {}, "Wmo en Jeugd"),
        (f.opsomming, (["Wmo"],), {}, "Wmo"),
        (f.opsomming, ([],), {}, ""),
        (f.telefoon, ("0618878359",), {}, nb("06 18 87 83 59")),
        (f.telefoon, ("035-629 2798",), {}, nb("035 629 2798")),
        (f.telefoon, ("0356292798",), {}, nb("035 629 27 98")),
        (f.telefoon, ("14 035",), {}, nb("14 035")),
        (f.telefoon, ("+32 2 511 12 12",), {}, nb("+32 2 511 12 12")),
        (f.woorden, (15,), {}, "vijftien"),
        (f.woorden, (30,), {}, "dertig"),
        (f.contact, (CONTACTS[0],), {}, f"E. Seijsener voor Wmo ({PHONE_1})"),
        (
            f.contacten,
            (CONTACTS,),
            {},
            f"E. Seijsener voor Wmo ({PHONE_1}) en A. Rijssenbeek voor Jeugd ({PHONE_2}, a.rijssenbeek@hilversum.nl)",
        ),
    ],
)
def test_filter_formats_the_dutch_way(func, args, kwargs, expected):
    assert func(*args, **kwargs) == expected


@pytest.mark.parametrize(
    ("func", "value", "message"),
    [
        (f.telefoon, "abc", "'abc' is geen telefoonnummer (bijvoorbeeld 035 629 26 26 of 06 12 34 56 78)"),
        (f.telefoon, "12", "'12' is geen geldig telefoonnummer (bijvoorbeeld 035 629 26 26 of 06 12 34 56 78)"),
        (f.telefoon, "", "'' is geen telefoonnummer (bijvoorbeeld 035 629 26 26 of 06 12 34 56 78)"),
        (f.woorden, 1.5, "'1.5' is geen geheel getal"),
        (f.bedrag, "veel", "'veel' is geen getal"),
        (f.bedrag, True, "een ja/nee-waarde is geen getal"),
        (f.getal, None, "niets (None) is geen getal"),
        (f.datum, "2021-02-30", "'2021-02-30' is geen datum (JJJJ-MM-DD)"),
        (f.datum, 5, "'5' is geen datum"),
    ],
)
def test_filter_refuses_with_a_dutch_message(func, value, message):
    with pytest.raises(f.FormatError) as caught:
        func(value)
    assert str(caught.value) == message


PHONES = [
    ("0618878359", "06 18 87 83 59"),
    ("0306594233", "030 659 42 33"),
    ("0346254411", "0346 25 44 11"),
    ("08001234567", "0800 123 45 67"),
    # an extension after the number as its digits are grouped (was '030 659 42 33 ex t. 12', which no longer parsed)
    ("030 6594233 ext. 12", "030 659 42 33 toestel 12"),
    ("0306594233 x12", "030 659 42 33 toestel 12"),
    ("+31306594233;ext=12", "030 659 42 33 toestel 12"),
    ("030 659 4233 toestel 12", "030 659 4233 toestel 12"),
    ("035-629 2798 tst. 7", "035 629 2798 toestel 7"),
    ("+32 2 511 12 12 ext. 5", "+32 2 511 12 12 toestel 5"),
    # a municipality's short number: 14 and the whole area code (was '14 03 18')
    ("14 0318", "14 0318"),
    ("140318", "14 0318"),
    ("14 0172", "14 0172"),
    ("140346", "14 0346"),
    ("14 0348", "14 0348"),
    ("14 030", "14 030"),
    ("14035", "14 035"),
    # the writer's grouping only where the rest after the net number is in groups itself (was '030 6594233')
    ("030-6594233", "030 659 42 33"),
    ("06-18878359", "06 18 87 83 59"),
    ("06 18878359", "06 18 87 83 59"),
    ("0346-254411", "0346 25 44 11"),
    ("0800-1234567", "0800 123 45 67"),
    ("035-629 2798", "035 629 2798"),
    ("020 624 1111", "020 624 1111"),
    ("+31 20 624 1111", "020 624 11 11"),
    ("+32 2 511 12 12", "+32 2 511 12 12"),
]


@pytest.mark.parametrize(("written", "expected"), PHONES)
def test_phone_number_is_grouped_and_formatting_it_again_changes_nothing(written, expected):
    """A letterhead's organisation phone arrives formatted; ``{{ organisatie.telefoon | telefoon }}`` formats it
    again: that must give the same text, not a FormatError."""
    once = f.telefoon(written)
    assert once == nb(expected)
    assert f.telefoon(once) == once


@pytest.mark.parametrize(("written", "link"), [
    ("030 6594233 ext. 12", "tel:+31306594233;ext=12"),
    ("14 0318", "tel:+31140318"),
    ("06-18878359", "tel:+31618878359"),
])
def test_formatted_phone_number_keeps_its_link(written, link):  # the HTML link of a number with an extension was lost
    assert f.telefoon_link(written) == link
    assert f.telefoon_link(f.telefoon(written)) == link


def test_truncated_mobile_number_is_refused():  # was accepted and shown as '61234'
    with pytest.raises(f.FormatError) as caught:
        f.telefoon("06-1234")
    assert str(caught.value) == "'06-1234' is geen geldig telefoonnummer (bijvoorbeeld 035 629 26 26 of 06 12 34 56 78)"


def test_the_examples_in_the_phone_message_are_valid_numbers_written_as_telefoon_writes_them():
    examples = f._PHONE_EXAMPLE.removeprefix(" (bijvoorbeeld ").removesuffix(")").split(" of ")
    assert [f.telefoon(number).replace(f.NBSP, " ") for number in examples] == examples


def test_remembered_numbers_print_as_babel_prints_them():
    """getal and bedrag remember what they printed, keyed by the number's text (equal Decimals such
    as 1.50 and 1.5 are one key otherwise); each value, asked in turn, prints as Babel prints it."""
    from babel.numbers import format_currency, format_decimal

    values = [Decimal("1.50"), Decimal("1.5"), 1, 1.0, Decimal("1E+3"), Decimal("1000"), Decimal("-0"), 0, Decimal("0.10")]
    unsigned = [Decimal(str(v)) or abs(Decimal(str(v))) for v in values]  # -0 prints as 0 (test_negative_zero_is_zero)
    for _ in range(2):
        assert [f.getal(v) for v in values] == [format_decimal(v, locale=f.LOCALE) for v in unsigned]
    amount = f"¤{NBSP}#,##0.00;¤{NBSP}-#,##0.00"
    assert [f.bedrag(v, centen=True) for v in values] == \
        [format_currency(v, "EUR", format=amount, locale=f.LOCALE, currency_digits=False) for v in unsigned]
    assert [f.bedrag(v) for v in (Decimal("2.50"), Decimal("2.5"), 2)] == ["€\u00a02,50", "€\u00a02,50", "€\u00a02"]


@pytest.mark.parametrize(("value", "expected"), [(-5, "€\u00a0-5"), (Decimal("-38.13"), "€\u00a0-38,13")])
def test_negative_amount_puts_the_sign_after_the_euro_sign(value, expected):  # was '-€ 5'
    assert f.bedrag(value) == expected


@pytest.mark.parametrize(
    ("func", "value", "message"),
    [
        (f.getal, [1, 2], "een lijst is geen getal"),
        (f.datum, {"a": 1}, "een verzameling van namen en waarden is geen datum"),
        (f.telefoon, range, "een Python-klasse is geen telefoonnummer"),
        (f.woorden, f.getal, "een functie is geen getal"),
    ],
)
def test_a_value_that_is_not_text_is_named_not_printed(func, value, message):  # was "'<function getal at 0x…>'"
    with pytest.raises(f.FormatError) as caught:
        func(value)
    assert str(caught.value) == message


def test_remembered_dates_are_each_their_own() -> None:
    """datum() remembers its text by date: another date, or a date with a time, gets its own."""
    assert f.datum(dt.date(2021, 5, 18)) == "18 mei 2021"
    assert f.datum(dt.date(2021, 5, 19)) == "19 mei 2021"
    assert f.datum(dt.datetime(2021, 5, 20, 23, 59)) == "20 mei 2021"
    assert f.datum(dt.date(2021, 5, 18)) == "18 mei 2021"


def test_negative_zero_is_zero():
    """A -0.0 cell (a correction that cancels out) is no debt: never "€ -0"."""
    assert [f.bedrag(-0.0), f.bedrag(Decimal("-0.00"), centen=True), f.getal(-0.0)] == ["€\u00a00", "€\u00a00,00", "0"]
