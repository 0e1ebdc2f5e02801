import subprocess
import sys

import gcdb


def test_every_public_name_resolves():
    for name in gcdb.__all__:
        assert getattr(gcdb, name) is not None, name


def test_unknown_name_is_an_attribute_error():
    try:
        gcdb.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")


def test_import_gcdb_does_not_import_pandas():
    code = "import sys, gcdb; print('pandas' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=str(__import__("pathlib").Path(gcdb.__file__).parent.parent),
    )
    assert out.stdout.strip() == "False"
