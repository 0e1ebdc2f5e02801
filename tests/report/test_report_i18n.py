"""The translation catalogue (gcdb/locale/<lang>/LC_MESSAGES/gcdb.po, read by gcdb.i18n): every key in Turkish and
English with the same placeholders, partial catalogues fall back to English, a new language is just a file,
numbers in each language's CLDR format, and the report helpers on top of it."""

from __future__ import annotations

import shutil
import string

import pytest

from gcdb import columns as C
from gcdb import i18n as I
from gcdb.errors import UsageError
from gcdb.report import i18n
from gcdb.report.i18n import MissingTranslation, format_number, header, t


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


ENGLISH = I.catalogue("en")


def test_turkish_and_english_hold_every_key():
    assert set(I.catalogue("tr")) == set(ENGLISH)
    assert len(ENGLISH) > 400


@pytest.mark.parametrize("lang", I.languages())
def test_every_catalogue_keeps_the_placeholders_and_adds_no_unknown_key(lang):
    for key, text in I.catalogue(lang).items():
        assert key in ENGLISH, (lang, key)
        assert text.strip(), (lang, key)
        assert _fields(text) == _fields(ENGLISH[key]), (lang, key)


@pytest.mark.parametrize("lang", I.languages())
def test_every_catalogue_covers_the_web_reports(lang):
    web = [k for k in ENGLISH if k.startswith(I.WEB_PREFIXES)]
    assert web
    missing = [k for k in web if not I.has(k, lang)]
    assert not missing, missing


def test_the_english_comment_is_the_english_text():
    comments = I.english_comments()
    assert all(comments[key] == text for key, text in ENGLISH.items())


@pytest.mark.parametrize("key", sorted(k for k in ENGLISH if k.startswith("sheet.")))
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
    with pytest.raises(UsageError, match="lang"):
        t("total", "de")
    with pytest.raises(UsageError, match="lang"):
        header("total", "de")


def test_a_new_language_is_a_file(tmp_path, monkeypatch):
    """Copy the English catalogue, translate one entry: the language exists, untranslated keys fall back."""
    root = tmp_path / "locale"
    for lang in I.languages():
        shutil.copytree(I._locale_root() / lang, root / lang)
    po = (root / "en" / "LC_MESSAGES" / "gcdb.po").read_text(encoding="utf-8")
    po = po.replace('msgstr "Total"', 'msgstr "Gesamt"').replace('"Language: en\\n"', '"Language: de\\n"')
    (root / "de" / "LC_MESSAGES").mkdir(parents=True)
    (root / "de" / "LC_MESSAGES" / "gcdb.po").write_text(po, encoding="utf-8")
    monkeypatch.setattr(I, "_locale_root", lambda: root)
    for cached in (I.languages, I.catalogue, I._locale):
        cached.cache_clear()
    try:
        assert "de" in I.languages()
        assert I.t("total", "de") == "Gesamt"
        assert I.format_number(1234.5, 1, "de") == "1.234,5"
        assert I.direction("de") == "ltr"
    finally:
        monkeypatch.undo()
        for cached in (I.languages, I.catalogue, I._locale):
            cached.cache_clear()


def test_untranslated_entries_fall_back_to_english(tmp_path, monkeypatch):
    root = tmp_path / "locale"
    shutil.copytree(I._locale_root() / "en", root / "en")
    (root / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (root / "fr" / "LC_MESSAGES" / "gcdb.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "total"\nmsgstr ""\n\nmsgid "yes"\nmsgstr "Ja"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(I, "_locale_root", lambda: root)
    for cached in (I.languages, I.catalogue):
        cached.cache_clear()
    try:
        assert I.t("yes", "fr") == "Ja" and I.t("total", "fr") == "Total"
    finally:
        monkeypatch.undo()
        for cached in (I.languages, I.catalogue):
            cached.cache_clear()


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
    assert I.format_number(1234567.891, 2, "tr") == "1.234.567,89"
    assert I.format_percent(0.041, 1, "tr") == "%4,1" and I.format_percent(0.041, 1, "en") == "4.1%"
    assert I.format_percent(None, 1, "tr") == "–"


def test_money_and_newspaper_rounding():
    assert I.format_money(123_456_789, "tr") == "1.234.567,89 TL"
    assert I.format_money(123_456_789, "en") == "1,234,567.89 TL"
    assert I.format_compact_money(4_234_000_000_00, "tr") == "4,2 milyar TL"
    assert I.format_compact_money(812_500_000_00, "tr") == "812 milyon TL"  # three significant digits
    assert I.format_compact_money(57_349_000_00, "en") == "57.3 million TL"
    assert I.format_compact_money(950_00, "tr") == "950 TL"


def test_direction_and_language_names():
    assert I.direction("tr") == "ltr" and I.direction("ar") == "rtl"
    assert I.language_name("tr") == "Türkçe" and I.language_name("ar") == "العربية"
    assert I.languages()[:2] == ("tr", "en")


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_every_protected_table_has_a_name_on_the_methodology_sheet(lang):
    """The suppression counts name each protected table in the reader's language, never by its identifier."""
    from gcdb.services.linked import PROTECTED

    names = {name: I.optional(f"table.{name}", name, lang) for name in PROTECTED}
    assert [name for name, label in names.items() if label == name or "_" in label] == []
