"""The mechanism: the current language, messages that remember their key, errors shown again in another
language, messages for many rows at once, exact numbers, and argparse's words borrowed for a block only."""

from __future__ import annotations

import argparse
import threading

import numpy as np
import pandas as pd
import pytest

from gcdb import i18n as I
from gcdb.errors import DataValidationError, GcdbError, RuleError, UsageError, format_issues, issues_frame
from gcdb.i18n.cli import argparse_speaks, ui_lang


def test_turkish_unless_a_block_says_otherwise():
    assert I.current_lang() == "tr" and I.t("total") == "Toplam"
    with I.using("en"):
        assert I.current_lang() == "en" and I.t("total") == "Total"
        with I.using(None):  # None keeps the current language
            assert I.t("total") == "Total"
        assert I.t("total", "tr") == "Toplam"  # an explicit language wins
    assert I.current_lang() == "tr"
    with pytest.raises(UsageError, match="lang"):
        with I.using("xx"):
            pass


def test_each_thread_has_its_own_language():
    seen = {}

    def worker():
        seen["thread"] = I.t("total")

    with I.using("en"):
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert seen["thread"] == "Toplam"  # a new thread starts from the default


def test_a_message_is_text_and_renders_in_another_language():
    message = I.Message("read.file_where", path="b.csv", message=I.Message("read.file_not_found"))
    assert message == "b.csv: dosya bulunamadı" and isinstance(message, str)
    assert message.key == "read.file_where" and message.render("en") == "b.csv: file not found"
    assert I.render(message, "en") == "b.csv: file not found" and I.render("plain", "en") == "plain"


def test_errors_render_in_the_language_asked():
    err = UsageError(I.Message("cli.limit_negative"))
    assert str(err) == "--limit 0 ya da daha büyük olmalı" and err.render("en") == "--limit must be 0 or more"
    assert GcdbError("as raised").render("en") == "as raised"
    rule = RuleError(I.Message("rules.empty_any"), file="k.yaml", line=3, rule_id="a")
    assert str(rule) == "k.yaml:3 (kural 'a'): boş 'any' koşulu (hiçbir zaman uymaz)"
    assert rule.render("en") == "k.yaml:3 (rule 'a'): empty 'any' condition (it could never match)"
    issues = issues_frame(
        [
            {
                "file": "b.csv",
                "row": 2,
                "column": "Harcama",
                "code": "x_y",
                "severity": "error",
                "message": "m",
                "value": "v",
            }
        ]
    )
    data = DataValidationError(I.Message("budget.no_lines"), issues)
    assert data.render("en").startswith("the budget has no lines\nerror ")
    assert "hata" in str(data) and "(değer: 'v')" in str(data)


def test_readers_take_the_language_of_their_messages(tmp_path):
    import gcdb

    missing = tmp_path / "yok.csv"
    with pytest.raises(DataValidationError, match="dosya bulunamadı"):
        gcdb.read_budget(missing)
    with pytest.raises(DataValidationError, match="file not found") as info:
        gcdb.read_budget(missing, lang="en")
    assert info.value.issues["message"].tolist() == ["file not found"]
    assert info.value.render("tr").startswith(f"{missing}: dosya bulunamadı")
    with pytest.raises(UsageError, match="lang"):
        gcdb.read_budget(missing, lang="xx")


def test_speaks_refuses_generators():
    def gen(*, lang=None):
        yield 1

    with pytest.raises(TypeError, match="generator"):
        I.speaks(gen)


def test_t_array_fills_many_rows_without_a_loop():
    out = I.t_array("validate.overspend", spent=np.array(["1,00", "2,00"]), revised="0,50")
    assert out.tolist() == [
        "harcama (1,00 TL) revize ödeneği (0,50 TL) aşıyor",
        "harcama (2,00 TL) revize ödeneği (0,50 TL) aşıyor",
    ]
    assert I.t_array(
        "validate.overspend", "en", spent=pd.Series(["3"]), revised=pd.Series([None])
    ).tolist() == ["expenditure 3 TL exceeds the revised appropriation  TL"]
    with pytest.raises(ValueError, match="length"):
        I.t_array("validate.overspend", spent=["1"], revised=["1", "2"])


def test_numbers_in_each_language():
    assert I.format_int(1234567) == "1.234.567" and I.format_int(1234567, "en") == "1,234,567"
    assert I.format_int(2**70) == "1.180.591.620.717.411.303.424"  # exact beyond 2^53
    assert I.format_int(np.int64(-5000)) == "-5.000"
    assert I.format_percent(0.152) == "%15,2" and I.format_percent(0.152, lang="en") == "15.2%"
    from gcdb.read import format_kurus

    assert format_kurus(123456789) == "1.234.567,89" and format_kurus(-5, "en") == "-0.05"
    with I.using("en"):
        assert format_kurus(123456789) == "1,234,567.89"


def test_issue_labels_and_the_issues_listing():
    from gcdb.errors import issue_label, severity_label

    assert (
        issue_label("unknown_district") == "Tanınmayan ilçe" and issue_label("no_such_code") == "no_such_code"
    )
    assert severity_label("warning") == "uyarı" and severity_label("warning", "en") == "warning"
    assert (
        format_issues(issues_frame()) == "sorun yok"
        and format_issues(issues_frame(), lang="en") == "no issues"
    )


def test_pydantic_errors_in_turkish_and_pydantic_english_in_english():
    error = {
        "type": "literal_error",
        "msg": "Input should be 'first' or 'all'",
        "ctx": {"expected": "'first' or 'all'"},
    }
    assert I.pydantic_message(error) == "şunlardan biri olmalı: 'first', 'all'"
    assert I.pydantic_message(error, "en") == "Input should be 'first' or 'all'"
    assert I.pydantic_message({"type": "value_error", "msg": "Value error, kendi iletisi"}) == "kendi iletisi"


def test_the_command_line_finds_its_language_first():
    assert ui_lang([], {}) == "tr"
    assert ui_lang(["validate", "--lang", "en"], {}) == "en"
    assert ui_lang(["--lang=en", "budget"], {"GCDB_LANG": "tr"}) == "en"
    assert ui_lang(["budget"], {"GCDB_LANG": "en"}) == "en"
    assert ui_lang(["report", "html", "--lang", "ar,en"], {}) == "en"  # Arabic is partial: its first full one
    assert ui_lang(["report", "html", "--lang", "ar"], {}) == "tr"
    assert ui_lang(["x", "--", "--lang", "en"], {}) == "tr"
    with pytest.raises(UsageError, match="GCDB_LANG"):
        ui_lang([], {"GCDB_LANG": "klingon"})


def test_argparse_speaks_turkish_in_the_block_only():
    with argparse_speaks():  # group titles are set when the parser is built, "usage:" when it is printed
        inside = argparse.ArgumentParser(prog="x").format_help()
    outside = argparse.ArgumentParser(prog="x").format_help()
    assert inside.startswith("kullanım: x") and "seçenekler:" in inside
    assert outside.startswith("usage: x") and "options:" in outside
