"""``gcdb catalogue``: registered on a private parser (the lead adds the module to gcdb.cli.main.COMMANDS)."""

from __future__ import annotations

import argparse
import re

import pytest

from gcdb.cli import catalogue as cli
from gcdb.errors import CatalogueError, UsageError

CODE = re.compile(r"^\s+(A\d+H\d+E\d+(?:-\d)?)\s", re.M)


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="gcdb")
    sub = parser.add_subparsers(dest="command")
    cli.register(sub)
    return parser.parse_args(["catalogue", *argv])


def run(capsys, *argv: str) -> str:
    args = parse(*argv)
    assert args.func(args) == 0
    return capsys.readouterr().out


def test_register_adds_the_subcommand():
    args = parse("--area", "7", "--lang", "en")
    assert (args.area, args.lang, args.role, args.func) == (7, "en", "responsible", cli.run)


def test_summary_lists_every_area(capsys):
    out = run(capsys)
    assert "İstanbul Büyükşehir Belediyesi Yerel Eşitlik Eylem Planı 2021–2024" in out
    assert "Toplam: 15 amaç, 52 hedef, 352 eylem, 604 gösterge" in out
    assert "Bakım Hizmetleri" in out and "Afet/Kriz" in out


def test_area_7_prints_its_targets_and_actions(capsys):
    out = run(capsys, "--area", "7")
    assert "Amaç 7: Bakım Hizmetleri" in out
    for target in ("A7H1", "A7H2", "A7H3"):
        assert f"Hedef {target}:" in out
    codes = CODE.findall(out)
    assert codes == [f"A7H1E{i}" for i in range(1, 14)] + [f"A7H2E{i}" for i in range(1, 7)] + [
        "A7H3E1",
        "A7H3E2",
    ]
    assert "Erişilebilir kreş sayısının artırılması" in out
    assert "2019–2024" in out  # A7H1E1
    assert "Toplam: 21 eylem" in out
    assert "Amaç 6" not in out and "A6H" not in out


def test_unit_prints_the_actions_it_is_responsible_for(capsys, saglik_responsible):
    out = run(capsys, "--unit", "Sağlık")
    assert "Birim: Sağlık Daire Başkanlığı (sorumlu)" in out
    assert set(CODE.findall(out)) == saglik_responsible
    assert len(CODE.findall(out)) == 38


def test_unit_any_role_and_year_filter(capsys):
    out_any = run(capsys, "--unit", "Sağlık", "--role", "any")
    assert len(CODE.findall(out_any)) == 57
    # Sağlık's actions in area 15 active in 2022: E10–E12 (2021–2022) and E13 (Pandemi Süresince → 2021–2022);
    # E7 (2021), E18 and E24 (2020–2021) have ended
    out = run(capsys, "--unit", "Sağlık", "--year", "2022", "--area", "15")
    assert set(CODE.findall(out)) == {"A15H3E10", "A15H3E11", "A15H3E12", "A15H3E13"}
    assert "Etkin yıl: 2022" in out
    assert "Seçime uyan eylem yok." in run(capsys, "--unit", "Sağlık", "--year", "2023", "--area", "15")


def test_routine_and_missing_responsible_rendering(capsys):
    out = run(capsys, "--target", "A4H1")
    assert "(sorumlu birim yazılmamış)" in out  # A4H1E3, A4H1E4
    assert "2020–Rutin" in out
    out_en = run(capsys, "--target", "A4H1", "--lang", "en")
    assert "(no responsible unit given)" in out_en and "2020–Recurring" in out_en and "Target A4H1" in out_en


def test_action_detail(capsys):
    out = run(capsys, "--action", "A11H3E1-2")
    assert out.startswith("A11H3E1-2  İBB’nin kadın çalışmalarının dijital ortama taşınması")
    assert "Sorumlu Birim: Kültür Varlıkları Daire Başkanlığı" in out
    assert "Planda yazılan kod: A11H3E1" in out
    assert "Kaynak satırı: 14256" in out


def test_indicators(capsys):
    out = run(capsys, "--indicators", "--area", "10")
    assert out.count("A10-G") == 11 and "Toplam: 11 gösterge" in out
    assert "[sayı; disability] Engelli erişimine uygun otobüs sayısı" in out
    assert "[count; disability]" in run(capsys, "--indicators", "--area", "10", "--lang", "en")


def test_no_match_message(capsys):
    out = run(capsys, "--area", "12", "--year", "2030")
    assert "Seçime uyan eylem yok." in out


@pytest.mark.parametrize(
    "argv",
    [("--area", "99"), ("--target", "A4H3"), ("--unit", "Uzay Ajansı"), ("--action", "A1H1E99")],
)
def test_unknown_lookups_are_usage_errors(argv):
    args = parse(*argv)
    with pytest.raises(UsageError):
        args.func(args)


def test_plan_option_loads_another_plan(capsys):
    from pathlib import Path

    mini = Path(__file__).resolve().parent / "fixtures" / "mini_plan"
    out = run(capsys, "--plan", str(mini), "--unit", "sdm", "--role", "any")
    assert set(CODE.findall(out)) == {"A1H1E1", "A1H1E2", "A2H1E1"}
    assert "Birim: Sosyal Destek Müdürlüğü (sorumlu ya da işbirliği)" in out
    assert "Örnekköy Belediyesi Yerel Eşitlik Eylem Planı 2023–2025" in run(capsys, "--plan", str(mini))


def test_invalid_plan_is_a_data_error(tmp_path):
    args = parse("--plan", str(tmp_path))
    with pytest.raises(CatalogueError):
        args.func(args)


def _main(argv: list[str]) -> int:
    """``gcdb catalogue …`` through the real entry point (exit codes, messages)."""
    from gcdb.cli import main as cli_main

    try:
        return cli_main.main(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)


def test_help_exits_0_and_lists_the_options(capsys):
    assert _main(["catalogue", "--help"]) == 0
    out = capsys.readouterr().out
    assert "kullanım: gcdb catalogue" in out and "--area" in out and "--unit" in out


def test_success_through_the_entry_point(capsys):
    assert _main(["catalogue", "--area", "7"]) == 0
    assert "A7H1" in capsys.readouterr().out


def test_unknown_area_exits_2_with_a_message_and_no_traceback(capsys):
    assert _main(["catalogue", "--area", "99"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gcdb: hata:") and "99" in err and "Traceback" not in err


def test_invalid_plan_exits_1_with_a_message(tmp_path, capsys):
    assert _main(["catalogue", "--plan", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert str(tmp_path) in err and "Traceback" not in err
