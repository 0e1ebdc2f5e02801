"""``gcdb demo``: the whole pipeline once (Turkish), its console summary in both languages, progress on stderr,
usage errors, and the two workbooks as a person opens them."""

from __future__ import annotations

import contextlib
import io
import re

import openpyxl
import pytest

from gcdb.cli import main as cli_main
from gcdb.cli.progress import Steps
from gcdb.pipeline import demo_inputs, pipeline_steps

TR_MONEY = re.compile(r"\d{1,3}(?:\.\d{3})+,\d{2} TL")
EN_MONEY = re.compile(r"\d{1,3}(?:,\d{3})+\.\d{2} TL")
#: Codes that must never reach a reader of the Turkish summary (scheme ids, dimension and group codes).
RAW_CODES = (
    "eu_cpr",
    "oecd_dac",
    "india_gbs",
    "ph_hgdg",
    "age_band",
    "disability:",
    "[review]",
    " yes ",
    " no ",
)


def _exit_code(argv: list[str]) -> int:
    """``gcdb argv``'s exit code, whether main returns it or argparse raises SystemExit."""
    try:
        return cli_main.main(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """``gcdb demo --out DIR`` run once in-process; also keeps the pipeline result for the English summary."""
    import gcdb.pipeline as pipeline

    out = tmp_path_factory.mktemp("demo")
    kept = {}
    original = pipeline.run_pipeline

    def keep(*args, **kwargs):
        kept["result"] = original(*args, **kwargs)
        return kept["result"]

    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "run_pipeline", keep)
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = cli_main.main(["demo", "--out", str(out)])
    return {
        "code": code,
        "out": out,
        "stdout": stdout.getvalue(),
        "stderr": stderr.getvalue(),
        "result": kept["result"],
    }


def test_demo_succeeds_and_writes_both_workbooks_and_the_tables(demo_run):
    assert demo_run["code"] == 0, demo_run["stderr"]
    out = demo_run["out"]
    pages = sorted(p.name for p in (out / "web").glob("*.html"))
    assert pages == sorted(
        f"{stem}.{lang}.html" for stem in ("meclis_raporu", "vatandas_butcesi") for lang in ("ar", "en", "tr")
    )
    assert (out / "tcdb_raporu.xlsx").is_file() and (out / "hizmette_esitlik_raporu.xlsx").is_file()
    assert any((out / "tables" / "tcdb").glob("*.csv")) and any(
        (out / "tables" / "hizmette_esitlik").glob("*.parquet")
    )
    assert "Traceback" not in demo_run["stderr"]


def test_progress_is_numbered_with_elapsed_seconds_on_stderr(demo_run):
    lines = [line for line in demo_run["stderr"].splitlines() if line.startswith("[")]
    total = pipeline_steps(out=True, tables=True, inputs=demo_inputs())
    # 5 analyses + monitoring, costing, checklists; 5 workbooks, the web reports, the tables
    assert total == 15
    assert len(lines) == total + 1
    for k, line in enumerate(lines[:-1], start=1):
        assert re.fullmatch(rf"\[{k}/{total} · \d+,\d s\] \S.*", line), line
    assert re.fullmatch(r"\[bitti · \d+,\d s\]", lines[-1])
    assert "[" not in demo_run["stdout"].splitlines()[0]  # progress never mixes into the summary on stdout


def test_turkish_summary_uses_labels_and_turkish_numbers(demo_run):
    text = demo_run["stdout"]
    assert "Toplumsal cinsiyete duyarlı bütçe" in text and "AB Tüzüğü/EIGE" in text
    assert "Yaş Grubu: 65+ / 25-44" in text or "Engellilik: Evet / Hayır" in text
    assert TR_MONEY.search(text) and not EN_MONEY.search(text)
    assert re.search(r"%\d+,\d{2} / ", text)  # shares as %4,06
    for code in RAW_CODES:
        assert code not in text, code
    assert "[üst]: Ön değerlendirme sonrası (üst)" in text
    assert "tcdb_raporu.xlsx" in text


def test_english_summary_uses_english_labels(demo_run):
    text = demo_run["result"].summary(lang="en")
    assert "Gender budget (revised appropriation):" in text and "EU CPR/EIGE" in text
    assert "Age band: 65+ / 25-44" in text or "Disability: Yes / No" in text
    assert EN_MONEY.search(text) and not TR_MONEY.search(text)
    for code in ("eu_cpr", "age_band", "Yaş", "[review]"):
        assert code not in text, code


def test_workbooks_open_with_readable_sheets(demo_run):
    out = demo_run["out"]
    tcdb = openpyxl.load_workbook(out / "tcdb_raporu.xlsx", read_only=True)
    services = openpyxl.load_workbook(out / "hizmette_esitlik_raporu.xlsx", read_only=True)
    assert tcdb.sheetnames[0] == "Özet" and "Yöntem" in tcdb.sheetnames and "Veri Kalitesi" in tcdb.sheetnames
    assert services.sheetnames[0] == "Özet" and services.sheetnames[-1] == "gcdb_chart_data"
    assert services["gcdb_chart_data"].sheet_state == "hidden"
    for book in (tcdb, services):
        assert all(len(name) <= 31 for name in book.sheetnames)
        visible = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
        assert "gcdb_chart_data" not in visible


def test_demo_help_lists_its_options(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli_main.main(["demo", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "kullanım: gcdb demo" in out and "--out" in out and "--lang" in out and "--quiet" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--k", "0"], "--k 1 ya da daha büyük olmalı"),
        (["--lang", "de"], "geçersiz seçim: 'de'"),
    ],
)
def test_demo_usage_errors_exit_2_without_a_traceback(argv, message, tmp_path, capsys):
    assert _exit_code(["demo", "--out", str(tmp_path / "o"), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()  # refused before any work


def test_demo_out_that_is_a_file_is_a_usage_error(tmp_path, capsys):
    target = tmp_path / "rapor.txt"
    target.write_text("x", encoding="utf-8")
    assert cli_main.main(["demo", "--out", str(target), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "bir klasör değil" in err and str(target) in err and "Traceback" not in err


# -- the progress helper -----------------------------------------------------------------------------------------
class _Clock:
    def __init__(self, *times: float):
        self.times = list(times)

    def __call__(self) -> float:
        return self.times.pop(0)


def test_steps_number_the_steps_and_print_elapsed_seconds():
    stream = io.StringIO()
    steps = Steps(2, lang="en", stream=stream, clock=_Clock(10.0, 10.0, 12.25, 15.0))
    steps("reading")
    steps("writing")
    steps.done()
    assert stream.getvalue().splitlines() == [
        "[1/2 · 0.0 s] reading",
        "[2/2 · 2.2 s] writing",
        "[done · 5.0 s]",
    ]


def test_steps_in_turkish_disabled_and_miscounted():
    stream = io.StringIO()
    steps = Steps(1, lang="tr", stream=stream, clock=_Clock(0.0, 1.5, 2.0, 3.0))
    steps("okunuyor")
    steps("fazladan")  # more steps than announced: the total grows, never "[2/1]"
    steps.done()
    assert stream.getvalue().splitlines() == [
        "[1/1 · 1,5 s] okunuyor",
        "[2/2 · 2,0 s] fazladan",
        "[bitti · 3,0 s]",
    ]
    quiet = io.StringIO()
    off = Steps(3, enabled=False, stream=quiet)
    off("x")
    off.done()
    assert quiet.getvalue() == ""


def test_pipeline_steps_counts_the_messages():
    assert pipeline_steps(out=False) == 5
    assert pipeline_steps(out=True, tables=False) == 8  # two workbooks and the web reports
    assert pipeline_steps(out=True, tables=True) == 9
    assert pipeline_steps(out=True, tables=False, web=False) == 7
