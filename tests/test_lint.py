"""Lint as part of the suite: style, bound SQL, and no streamlit inside safetycore."""

import subprocess
import sys

from tests.conftest import ROOT


def test_ruff_passes():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_safetycore_never_imports_streamlit():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "safetycore").rglob("*.py")
        if "import streamlit" in path.read_text(encoding="utf-8")
        or "from streamlit" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
