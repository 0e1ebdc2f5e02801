"""``gcdb validate``: exit codes 0 / 1 / 2, what it prints, never a traceback."""

import importlib

import pytest
from ingest_helpers import DATA

from gcdb.cli import main as cli


@pytest.fixture(autouse=True)
def _only_importable_commands(monkeypatch):
    # other subcommands are built in parallel; keep the parser buildable while one of them is missing
    available = []
    for name in cli.COMMANDS:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        available.append(name)
    assert "gcdb.cli.validate" in available
    monkeypatch.setattr(cli, "COMMANDS", tuple(available))


def test_clean_file_exits_0_and_prints_the_reconciliation(capsys):
    code = cli.main(["validate", "budget", str(DATA / "budget_tr_cp1254.csv")])
    out = capsys.readouterr().out
    assert code == 0
    assert "Satır sayısı" in out and "Başlangıç Ödeneği (TL)" in out
    assert "98.766.917.678,05" in out  # sum of initial appropriations, Turkish format
    assert "0 hata, 0 uyarı" in out


def test_english_labels(capsys):
    assert cli.main(["validate", "population", str(DATA / "population.csv"), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Rows" in out and "Population" in out and "0 errors, 0 warnings" in out


def test_bad_data_exits_1_and_prints_the_issue(budget_file, capsys, tmp_path):
    path = budget_file({}, {"Harcama": "abc"})
    issues_out = tmp_path / "issues.csv"
    code = cli.main(["validate", "budget", str(path), "--issues-out", str(issues_out)])
    out = capsys.readouterr().out
    assert code == 1
    assert "unparseable_number" in out and "budget.csv:3 [Harcama]" in out and "'abc'" in out
    assert "unparseable_number" in issues_out.read_text(encoding="utf-8-sig")


def test_warnings_pass_unless_strict(budget_file, capsys):
    path = budget_file({"Harcama": "5.000,00"})
    assert cli.main(["validate", "budget", str(path)]) == 0
    assert cli.main(["validate", "budget", str(path), "--strict"]) == 1
    assert "expenditure_exceeds_revised" in capsys.readouterr().out


def test_districts_option(usage_file, write, capsys):
    path = usage_file({"İlçe": "Çankaya"})
    assert cli.main(["validate", "usage", str(path)]) == 1
    districts = write("ilceler.csv", "district\nÇankaya\n")
    assert cli.main(["validate", "usage", str(path), "--districts", str(districts)]) == 0
    assert cli.main(["validate", "usage", str(path), "--no-district-check"]) == 0
    capsys.readouterr()


def test_nonsense_kind_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["validate", "nonsense", "x.csv"])
    assert info.value.code == 2
    assert "geçersiz seçim: 'nonsense'" in capsys.readouterr().err


def test_districts_with_budget_is_a_usage_error(capsys):
    assert cli.main(["validate", "budget", str(DATA / "budget_clean.csv"), "--districts", "x.csv"]) == 2
    assert "yalnızca hizmet kullanımı ve nüfus dosyalarında" in capsys.readouterr().err


def test_missing_file_is_a_message_not_a_traceback(tmp_path, capsys):
    code = cli.main(["validate", "usage", str(tmp_path / "yok.csv")])
    err = capsys.readouterr().err
    assert code == 1
    assert "dosya bulunamadı" in err and "yok.csv" in err
    assert "Traceback" not in err


def test_missing_district_list_is_a_message(usage_file, tmp_path, capsys):
    code = cli.main(["validate", "usage", str(usage_file({})), "--districts", str(tmp_path / "none.csv")])
    assert code == 2 and "bulunamadı" in capsys.readouterr().err


def test_personal_data_refusal_exits_1(usage_file, capsys):
    code = cli.main(["validate", "usage", str(usage_file({"Ad Soyad": "Ayşe Yılmaz"}))])
    out = capsys.readouterr().out
    assert code == 1 and "personal_data" in out and "Ayşe" not in out


@pytest.mark.parametrize("argv", [["validate", "--help"], ["--help"]])
def test_help_exits_0_and_describes_the_command(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert "kullanım: gcdb" in out
    if argv[0] == "validate":
        assert "budget" in out and "usage" in out and "population" in out
    else:  # the top-level help lists every registered command
        assert "validate" in out


def test_unreadable_file_is_exit_1_without_a_traceback(tmp_path, capsys):
    bad = tmp_path / "butce.xlsx"
    bad.write_bytes(b"this is not a workbook")
    code = cli.main(["validate", "budget", str(bad)])
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.err + captured.out
    assert "butce.xlsx" in captured.err + captured.out
