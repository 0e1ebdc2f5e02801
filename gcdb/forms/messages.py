"""Strings of the forms layer a person reads (instructions, input messages, issues), in Turkish and English.

Keys are program constants; :func:`msg` fails loudly on an unknown key. Placeholders in braces are filled from
keyword arguments.
"""

from __future__ import annotations

from typing import Final

STRINGS: Final[dict[str, tuple[str, str]]] = {
    # workbook furniture
    "sheet.instructions": ("Açıklamalar", "Instructions"),
    "sheet.lists": ("Listeler", "Lists"),
    "legend": (
        "Sarı hücreleri doldurunuz. Gri hücreleri gcdb yazdı: değiştirmeyiniz, satır ve sütun eklemeyiniz, "
        "silmeyiniz.",
        "Fill in the yellow cells. The grey cells were written by gcdb: do not change them, and do not add or "
        "delete rows or columns.",
    ),
    "identity.heading": ("Bu dosya", "This file"),
    "general.heading": ("Nasıl doldurulur", "How to fill in"),
    "guide.heading": ("Doldurulacak sütunlar", "Columns to fill in"),
    "guide.sheet": ("Sayfa", "Sheet"),
    "guide.column": ("Sütun", "Column"),
    "guide.expected": ("Ne yazılmalı", "What to enter"),
    "general.1": (
        "Dosyayı doldurup olduğu gibi geri gönderiniz. Sayfaların, sütunların ve satırların adını, yerini ve "
        "sırasını değiştirmeyiniz; dosya bu bilgilerle otomatik okunur.",
        "Fill in the file and send it back as it is. Do not rename, move or reorder sheets, columns or rows: "
        "the file is read automatically.",
    ),
    "general.2": (
        "Açılır listeli hücrelerde listedeki değerlerden birini seçiniz. Sayıları rakamla yazınız (1.234,56 "
        "gibi); sayı hücrelerine açıklama yazmayınız, açıklamayı metin sütunlarına yazınız.",
        "In cells with a drop-down list pick one of the listed values. Write numbers as digits (1,234.56); do "
        "not write explanations in number cells, use the text columns.",
    ),
    "general.3": (
        "Ad, soyad, T.C. kimlik numarası, telefon gibi kişisel veri yazmayınız.",
        "Do not write personal data such as names, national id numbers or phone numbers.",
    ),
    "general.4": (
        "Bir satırı hiç doldurmazsanız o satır için bilgi verilmemiş sayılır. Bir satırı doldurmaya "
        "başladıysanız zorunlu sütunlarını da doldurunuz.",
        "A row left completely blank counts as not reported. Once you fill in a row, fill in its required "
        "columns too.",
    ),
    # what a column expects
    "kind.choice": ("Listeden seçiniz: {choices}", "Pick from the list: {choices}"),
    "kind.yes_no": ("Evet veya Hayır", "Yes or No"),
    "kind.integer": ("Tam sayı{range}", "Whole number{range}"),
    "kind.decimal": ("Sayı{range}", "Number{range}"),
    "kind.percent": (
        "Yüzde: 0 ile 100 arasında bir sayı, % işareti olmadan",
        "Percentage: 0 to 100, no % sign",
    ),
    "kind.money": ("Tutar, TL (kuruşlu olabilir: 1.234,56){range}", "Amount in TL (1,234.56){range}"),
    "kind.text": ("Metin{length}", "Text{length}"),
    "kind.date": ("Tarih (gg.aa.yyyy)", "Date (dd.mm.yyyy)"),
    "kind.from": (
        "Satırın '{source}' sütununa göre: {kinds}",
        "As the row's '{source}' column says: {kinds}",
    ),
    "range.between": (" ({lo} ile {hi} arası)", " ({lo} to {hi})"),
    "range.min": (" (en az {lo})", " (at least {lo})"),
    "range.max": (" (en çok {hi})", " (at most {hi})"),
    "length.max": (" (en çok {n} karakter)", " (at most {n} characters)"),
    "required": ("Zorunlu.", "Required."),
    "pattern": ("Biçim: {hint}.", "Format: {hint}."),
    "yes": ("Evet", "Yes"),
    "no": ("Hayır", "No"),
    "validation.title": ("Geçersiz değer", "Invalid value"),
    # issues
    "issue.not_found": ("dosya bulunamadı", "file not found"),
    "issue.unreadable": (
        "okunabilir bir .xlsx dosyası değil ({error})",
        "not a readable .xlsx workbook ({error})",
    ),
    "issue.not_a_form": (
        "gcdb'nin hazırladığı bir form değil (gizli anahtar sayfası yok); boş formu yeniden isteyiniz",
        "not a form made by gcdb (no hidden key sheet); ask for a new blank form",
    ),
    "issue.key_damaged": (
        "formun gizli anahtarı değiştirilmiş (sağlama toplamı tutmuyor); dosya okunmadı",
        "the form's hidden key was edited (its checksum does not match); the file was not read",
    ),
    "issue.wrong_form": (
        "bu dosya '{found}' formu; '{expected}' formu bekleniyordu",
        "this file is a '{found}' form; a '{expected}' form was expected",
    ),
    "issue.form_version": (
        "formun sürümü {found}; {expected}. sürüm bekleniyordu, yeni formu kullanınız",
        "form version {found}; version {expected} was expected, use the new form",
    ),
    "issue.identity": (
        "{label}: dosyada {found}, beklenen {expected}; dosya okunmadı",
        "{label}: the file says {found}, {expected} was expected; the file was not read",
    ),
    "issue.sheet_missing": (
        "'{sheet}' sayfası yok (silinmiş ya da adı değiştirilmiş); {n} satırı okunamadı",
        "sheet '{sheet}' is missing (deleted or renamed); its {n} rows could not be read",
    ),
    "issue.header_moved": (
        "sütunlar beklenen yerlerinde değil ({headers}): sütunlar taşınmış ya da araya sütun eklenmiş; başlıklarına "
        "göre okundu",
        "columns are not where the form put them ({headers}): columns were moved or inserted; they were read by "
        "their headers",
    ),
    "issue.header_missing": (
        "'{header}' sütunu bulunamadı ({cell} hücresinde bekleniyordu); sayfa okunamadı",
        "column '{header}' not found (expected in cell {cell}); the sheet could not be read",
    ),
    "issue.extra_column": (
        "formda olmayan '{header}' sütunu eklenmiş; {n} dolu hücresi okunmadı",
        "column '{header}' is not part of the form; its {n} filled cells were not read",
    ),
    "issue.fixed_changed": (
        "gcdb'nin yazdığı hücre değiştirilmiş ('{expected}' yazıyordu); formdaki değer kullanıldı",
        "a cell gcdb wrote was edited (it said '{expected}'); the form's value was used",
    ),
    "issue.unexpected_row": (
        "formda olmayan satır ('{key}'): eklenmiş ya da kodu değiştirilmiş",
        "a row that is not in the form ('{key}'): added, or its code was edited",
    ),
    "issue.row_missing": (
        "formdaki '{key}' satırı dosyada yok (silinmiş ya da kodu değiştirilmiş)",
        "the form's row '{key}' is not in the file (deleted, or its code was edited)",
    ),
    "issue.duplicate_row": (
        "'{key}' satırı birden fazla kez var (ilki {first}. satırda)",
        "row '{key}' appears more than once (first in row {first})",
    ),
    "issue.not_a_choice": (
        "listede olmayan değer; seçenekler: {choices}",
        "not one of the listed values: {choices}",
    ),
    "issue.number": ("sayı okunamadı: {expected} bekleniyordu", "not a number: {expected} expected"),
    "issue.not_whole": ("tam sayı bekleniyordu", "a whole number was expected"),
    "issue.out_of_range": ("izin verilen aralığın dışında{range}", "outside the allowed range{range}"),
    "issue.required": (
        "'{header}' boş; satır doldurulduğunda zorunludur",
        "'{header}' is blank; it is required once the row is filled in",
    ),
    "issue.too_long": ("{n} karakterden uzun", "longer than {n} characters"),
    "issue.pattern": ("beklenen biçimde değil: {hint}", "not in the expected format: {hint}"),
    "issue.date": ("tarih okunamadı (gg.aa.yyyy bekleniyordu)", "not a date (dd.mm.yyyy expected)"),
    "issue.formula": (
        "hücrede formül var; hesaplanmış değeri okundu",
        "the cell holds a formula; its computed value was read",
    ),
    "issue.formula_no_value": (
        "hücrede hesaplanmamış bir formül var; değeri rakamla yazınız",
        "the cell holds a formula without a computed value; type the value",
    ),
    "issue.personal": (
        "kişisel veri (T.C. kimlik numarası ya da ad soyad) içeriyor; satır okunmadı, kişisel veriyi siliniz",
        "holds personal data (a national id number or a name); the row was not read, remove the personal data",
    ),
}


def msg(key: str, lang: str = "tr", /, **values: object) -> str:
    """The string ``key`` in ``lang`` (``"tr"`` or ``"en"``) with ``values`` filled in."""
    if lang not in ("tr", "en"):
        raise ValueError(f"lang must be 'tr' or 'en', got {lang!r}")
    pair = STRINGS[key]
    text = pair[0] if lang == "tr" else pair[1]
    return text.format(**values) if values else text
