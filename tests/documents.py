"""Reading back the PDF documents Essaim prints, as a person would see them."""

from __future__ import annotations

import shutil
import subprocess

import pytest


def rendered_text(tmp_path, content: bytes) -> str:
    """The PDF rendered by pdftoppm (it must open), and its text by pdftotext."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (Debian's poppler-utils) is not installed; .ci/run installs it")
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    subprocess.run([pdftoppm, "-png", "-r", "40", str(path), str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page*.png")), "pdftoppm rendered no page"
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    )
    return done.stdout
