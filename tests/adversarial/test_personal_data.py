"""Personal data never passes: names, phone numbers, e-mail addresses and T.C. kimlik numbers typed into any
input (budget included) are refused or masked, and the issue reports show masked values only."""

from __future__ import annotations

import pandas as pd
import pytest
from adversarial_helpers import balanced, cli, issues_of, table, write_csv

from gcdb import columns as C
from gcdb import paths
from gcdb.read import read_budget, read_population, read_usage
from gcdb.read.personal import mask_text, scan_values

#: Assertions written against the English messages (gcdb speaks Turkish by default).
pytestmark = pytest.mark.usefixtures("english")

TCKN = "10000000146"  # check digits right
READERS = {"budget": read_budget, "usage": read_usage, "population": read_population}

# (kind, column, hostile value, what the masked value must look like, what must never be printed)
CATEGORICAL = [
    ("usage", "Mahalle", "Ahmet Yılmaz", "A*** Y***", "Yılmaz"),
    ("usage", "Mahalle", "0532 123 45 67", "0532*******", "123 45 67"),
    ("usage", "Mahalle", TCKN, "1000*******", TCKN),
    ("usage", "Cinsiyet", TCKN, "1000*******", TCKN),
    ("usage", "İlçe", "Ayşe Demir", "A*** D***", "Demir"),
    ("usage", "Hizmet", "ayse.demir@example.com", "a***@e***", "ayse.demir"),
    ("usage", "Hizmet Kodu", "Mehmet Ali Kaya", "M*** A*** K***", "Kaya"),
    ("budget", "Birim", "Fatma Öztürk", "F*** Ö***", "Öztürk"),
    ("population", "İlçe", "Zeynep Arslan", "Z*** A***", "Arslan"),
    ("population", "Cinsiyet", "(0212) 555 12 34", "0212*******", "555 12 34"),
]


@pytest.mark.parametrize(("kind", "column", "value", "masked", "secret"), CATEGORICAL)
def test_personal_value_in_a_categorical_column_is_an_error_and_never_printed(
    tmp_path, kind, column, value, masked, secret
):
    path = write_csv(tmp_path / f"{kind}.csv", kind, [{}, {column: value}, {}])
    # API: the row is held back, the issue names file, row and column, its value is masked
    result = READERS[kind](path)
    found = issues_of(result, "personal_data")
    assert len(found) == 1, result.issues.to_string()
    hit = found.iloc[0]
    assert (hit["file"], hit["row"], hit["column"]) == (path.name, 3, column)
    assert hit["value"] == masked
    assert not result.issues["value"].str.contains(secret, regex=False).any()
    assert 3 in set(result.quarantine[C.SOURCE_ROW]) and 3 not in set(result.data[C.SOURCE_ROW])
    assert (
        not result.quarantine.astype("str").apply(lambda c: c.str.contains(secret, regex=False)).any().any()
    )
    assert not result.data.astype("str").apply(lambda c: c.str.contains(secret, regex=False)).any().any()
    balanced(result, 3)
    # CLI: exit 1, the row and column named, the value masked, never printed raw
    issues_csv = tmp_path / "issues.csv"
    run = cli("validate", kind, path, "--issues-out", issues_csv)
    assert run.code == 1
    assert f"{path.name}:3 [{column}]" in run.out and masked in run.out
    assert secret not in run.text
    assert secret not in issues_csv.read_text(encoding="utf-8-sig")


FREE_TEXT = [
    ("AHMET YILMAZ'A ÖDEME", "[AD SOYAD]'A ÖDEME", "YILMAZ"),
    ("YARDIM: Ayşe Kaya 0532 123 45 67", "YARDIM: [AD SOYAD] [TELEFON]", "Kaya"),
    (f"BURS ÖDEMESİ {TCKN}", "BURS ÖDEMESİ [TC KİMLİK NO]", TCKN),
    ("BAŞVURU bilgi@ornek.org.tr ADRESİNE", "BAŞVURU [E-POSTA] ADRESİNE", "bilgi@"),
]


@pytest.mark.parametrize(("description", "masked", "secret"), FREE_TEXT)
def test_personal_parts_of_a_budget_description_are_masked_with_a_warning(
    tmp_path, description, masked, secret
):
    path = write_csv(tmp_path / "budget.csv", "budget", [{}, {"Açıklama": description}])
    result = read_budget(path)
    assert result.ok  # a warning, the line stays in the budget with its money
    assert result.data[C.DESCRIPTION].tolist() == ["KADIN DAYANIŞMA EVİ", masked]
    warning = issues_of(result, "personal_data_masked").iloc[0]
    assert (warning["row"], warning["column"], warning["severity"]) == (3, "Açıklama", "warning")
    assert "masked" in warning["message"] and secret not in warning["value"]
    balanced(result, 2)
    run = cli("validate", "budget", path)
    assert run.code == 0 and f"{path.name}:3 [Açıklama]" in run.out and secret not in run.text


def test_tagged_output_carries_the_masked_description_only(tmp_path):
    path = write_csv(
        tmp_path / "budget.csv", "budget", [{"Açıklama": "AHMET YILMAZ'A KADIN DAYANIŞMA EVİ ÖDEMESİ"}]
    )
    out = tmp_path / "tagged.csv"
    run = cli("tag", "--rules", paths.rules() / "ibb_yeep_2021_budget.yaml", "--in", path, "--out", out)
    assert run.code == 0, run.text
    written = out.read_text(encoding="utf-8-sig")
    assert "[AD SOYAD]'A KADIN DAYANIŞMA EVİ ÖDEMESİ" in written and "YILMAZ" not in written
    balanced(read_budget(path), 1)


def test_quarantined_budget_row_keeps_no_personal_text(tmp_path):
    path = write_csv(
        tmp_path / "budget.csv", "budget", [{"Açıklama": "MEHMET KAYA 0532 123 45 67", "Harcama": "x"}]
    )
    result = read_budget(path)
    assert len(result.quarantine) == 1
    assert result.quarantine["Açıklama"].tolist() == ["[AD SOYAD] [TELEFON]"]
    balanced(result, 1)
    run = cli("validate", "budget", path)
    assert run.code == 1 and f"{path.name}:2 [Harcama]" in run.out and "KAYA" not in run.text


@pytest.mark.parametrize(
    ("extra", "values", "reason"),
    [
        ("Ad Soyad", ["Ali Veli", "Ayşe Fatma"], "its header names personal data"),
        ("Not", [TCKN, "10000000078"], "T.C. kimlik numbers"),
    ],
)
def test_budget_file_with_a_personal_column_is_refused_and_keeps_no_values(tmp_path, extra, values, reason):
    path = write_csv(tmp_path / "budget.csv", "budget", [{extra: v} for v in values])
    result = read_budget(path)
    assert result.refused and result.data.empty
    hit = issues_of(result, "personal_data").iloc[0]
    assert hit["column"] == extra and reason in hit["message"]
    assert list(result.quarantine.columns) == [C.SOURCE_ROW, "issue_codes"]  # no values at all
    balanced(result, 2)
    run = cli("validate", "budget", path)
    assert run.code == 1 and f"[{extra}]" in run.out and TCKN not in run.text and "Ali Veli" not in run.text


def test_no_false_positives_on_real_place_names_and_the_demo_budget():
    hoods = pd.read_csv(paths.datasets() / "reference" / "istanbul_neighbourhoods.csv")["name_tr"]
    assert len(hoods) == 966
    bare = hoods.str.replace(r"\s+Mah\.$", "", regex=True)  # as usage files often write them
    districts = pd.read_csv(paths.datasets() / "reference" / "istanbul_districts.csv")["district"]
    assert len(districts) == 39
    budget = pd.read_parquet(paths.demo() / "budget.parquet")
    for values in (hoods, bare, districts, budget[C.DESCRIPTION], budget[C.UNIT_NAME]):
        kinds, _ = scan_values(values.astype("str"))
        assert (kinds == "").all(), values[kinds != ""].unique()[:10]


def test_names_are_found_and_places_named_after_people_are_not():
    assert mask_text("MEHMET ALİ KAYA İÇİN YARDIM") == "[AD SOYAD] İÇİN YARDIM"
    assert mask_text("Kemal Türkler Mah.") == "Kemal Türkler Mah."
    assert mask_text("MEHMET AKİF ERSOY PARKI YAPIMI") == "MEHMET AKİF ERSOY PARKI YAPIMI"
    assert mask_text("VELİ TOPLANTISI") == "VELİ TOPLANTISI"  # an everyday word, not a person
    assert mask_text("Veli Ahmet Koç") == "[AD SOYAD]"
    assert mask_text("2024000001 nolu satır") == "2024000001 nolu satır"  # an id, not a phone number
    assert mask_text("10000000145") == "10000000145"  # wrong check digit: not a T.C. number


def test_population_file_with_a_name_in_the_neighbourhood_column(tmp_path):
    rows = [{"Mahalle": "Caferağa"}, {"Mahalle": "Hatice Şahin"}]
    path = write_csv(tmp_path / "population.csv", "population", rows)
    result = read_population(path)
    hit = issues_of(result, "personal_data").iloc[0]
    assert (hit["row"], hit["column"], hit["value"]) == (3, "Mahalle", "H*** Ş***")
    balanced(result, 2)
    assert cli("validate", "population", path).code == 1


def test_every_issue_value_is_masked_even_for_other_codes(tmp_path):
    # a phone number in the age column is an unparseable number: its issue value is masked too
    path = write_csv(tmp_path / "usage.csv", "usage", [{}, {"Yaş": "0532 123 45 67"}])
    result = read_usage(path)
    found = issues_of(result, "unparseable_number")
    assert found[["row", "column", "value"]].values.tolist() == [[3, "Yaş", "0532*******"]]
    balanced(result, 2)
    run = cli("validate", "usage", path)
    assert run.code == 1 and "123 45 67" not in run.text


def test_workbook_from_the_usage_table_holds_no_raw_name(tmp_path):
    """The tag workbook of usage records: the quarantined name never reaches a sheet."""
    frame = table("usage", [{}, {"Mahalle": "Ahmet Yılmaz"}])
    path = tmp_path / "usage.xlsx"
    frame.to_excel(path, index=False)
    out = tmp_path / "tagged.xlsx"
    run = cli("tag", "--rules", paths.rules() / "ibb_yeep_2021_services.yaml", "--in", path, "--out", out)
    assert run.code == 0, run.text
    import openpyxl

    book = openpyxl.load_workbook(out, read_only=True)
    texts = {str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row}
    book.close()
    assert not any("Yılmaz" in t for t in texts)
    balanced(read_usage(path), 2)
