"""i18n.py: every report string exists in Turkish and English; unknown keys fail loudly."""

from __future__ import annotations

import string

import pytest

from gcdb import columns as C
from gcdb.report import i18n
from gcdb.report.i18n import STRINGS, MissingTranslation, format_number, header, t


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_both_languages_present_with_the_same_placeholders(key):
    tr, en = STRINGS[key]
    assert tr.strip() and en.strip()
    assert _fields(tr) == _fields(en)


@pytest.mark.parametrize("key", sorted(k for k in STRINGS if k.startswith("sheet.")))
def test_sheet_names_fit_excel(key):
    for lang in i18n.LANGS:
        name = t(key, lang)
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")


def test_lookup_and_placeholders():
    assert t("total") == "Toplam" and t("total", "en") == "Total"
    assert t("note.suppressed", "tr", k=5).startswith("“<5”: 5 kişiden az")
    assert t("note.suppressed", "en", k=10).startswith("“<10”: fewer than 10 people")


def test_unknown_key_raises_with_a_hint():
    with pytest.raises(MissingTranslation, match="did you mean sheet.summary"):
        t("sheet.sumary", "tr")
    with pytest.raises(KeyError):
        t("no.such.key", "en")


def test_unknown_language():
    with pytest.raises(ValueError, match="lang"):
        t("total", "de")


def test_headers():
    assert header(C.EXPENDITURE, "tr") == "Harcama"
    assert header(C.EXPENDITURE, "en") == "Expenditure"
    assert header("execution_rate", "tr") == "Gerçekleşme Oranı"
    assert header(C.attributed(C.EXPENDITURE), "tr") == "Atfedilen Harcama"
    assert header(C.attributed(C.REVISED_APPROPRIATION), "en") == "Attributed revised appropriation"
    assert header("some_new_measure", "en") == "some_new_measure"


def test_format_number():
    assert format_number(1234.5, 1, "tr") == "1.234,5"
    assert format_number(1234.5, 1, "en") == "1,234.5"
    assert format_number(0.345, 1, "tr", percent=True) == "%34,5"
    assert format_number(0.345, 1, "en", percent=True) == "34.5%"
    assert format_number(float("nan"), 1, "tr") == "–"
