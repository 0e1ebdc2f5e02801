"""Encoding and separator detection; header aliases."""

import pytest

from gcdb import columns as C
from gcdb.errors import UsageError
from gcdb.read.aliases import BIRTH_YEAR, header_key, map_headers
from gcdb.read.sniff import detect_separator, sniff_csv

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")


def test_encodings():
    text = "İLÇE;CİNSİYET\nŞİŞLİ;Kadın\n"
    assert sniff_csv(text.encode("utf-8"))[1].encoding == "utf-8-sig"
    decoded, dialect = sniff_csv(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert dialect.bom and decoded == text
    decoded, dialect = sniff_csv(text.encode("cp1254"))
    assert dialect.encoding == "cp1254" and decoded == text


@pytest.mark.parametrize(
    ("text", "sep"),
    [
        ("a;b;c\n1;2,5;3\n4;5,5;6\n", ";"),
        ('a,b,c\n1,"2,5",3\n', ","),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("BAŞLIK\n\na;b\n1;2\n3;4\n", ";"),
        ("a,b;c\n1,2;3\n", ";"),  # tie on consistency: more fields? equal → ';' first
    ],
)
def test_separators(text, sep):
    assert detect_separator(text) == sep


def test_header_keys_fold_case_and_decoration():
    assert header_key("BAŞLANGIÇ ÖDENEĞİ") == header_key("Başlangıç Ödeneği (TL)") == "baslangic odenegi"
    assert header_key("initial_appropriation") == "initial appropriation"
    assert header_key("Satır No.") == header_key("SATIR NO") == "satir no"
    assert header_key("T.C. Kimlik No") == "tc kimlik no"


def test_map_headers_turkish_english_and_canonical():
    mapping = map_headers(["YIL", "Revize Ödenek", "expenditure", "Gerçekleşme", "Bilinmeyen"], "budget")
    assert mapping.canonical == (C.FISCAL_YEAR, C.REVISED_APPROPRIATION, C.EXPENDITURE, C.EXPENDITURE, None)
    assert mapping.duplicates == {C.EXPENDITURE: ("expenditure", "Gerçekleşme")}
    assert mapping.unmapped == ("Bilinmeyen",)
    usage = map_headers(["Doğum Yılı", "İLÇE", "Mahalle Adı", "Cinsiyeti"], "usage")
    assert usage.canonical == (BIRTH_YEAR, C.DISTRICT, C.NEIGHBOURHOOD, C.SEX)


def test_user_aliases_are_checked():
    assert map_headers(["Tutar"], "budget", {"tutar": C.EXPENDITURE}).canonical == (C.EXPENDITURE,)
    with pytest.raises(UsageError, match="not a budget column"):
        map_headers(["Tutar"], "budget", {"Tutar": "amount"})
    with pytest.raises(UsageError, match="unknown table kind"):
        map_headers(["x"], "budgets")
