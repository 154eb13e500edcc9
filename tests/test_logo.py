"""A logo that is missing, over 20 MB or not an image is left out of the PDF and the Word report with the
same one-line warning; the report is still written."""

from __future__ import annotations

import pytest

from exports.docx_report import write_docx
from exports.pdf_report import write_pdf
from vciso.library import load_library
from vciso.report import Branding, build_report
from vciso.workspace import Workspace


@pytest.fixture
def report_with(tmp_path):
    ws = Workspace(tmp_path / "ws")
    with ws.create_client("Logo Test Ltd") as client:
        client.create_assessment(load_library(None).get("small-business-essentials"), name="Baseline")

    def build(logo):
        with ws.open_client("logo-test-ltd") as client:
            return build_report(client, branding=Branding("Firm", "Ann", logo_path=logo))
    return build


@pytest.mark.parametrize("writer, suffix", [(write_pdf, ".pdf"), (write_docx, ".docx")])
def test_a_missing_oversized_or_unreadable_logo_is_one_warning_and_the_report_is_written(report_with, tmp_path,
                                                                                          writer, suffix):
    huge = tmp_path / "huge.png"
    with open(huge, "wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    for logo, why in ((tmp_path / "nope.png", "was not found"), (huge, "is larger than 20 MB"),
                      (broken, "could not be read")):
        out = tmp_path / f"{logo.stem}{suffix}"
        assert writer(report_with(logo), out) == [f"logo file {logo.name} {why}; the report was made without it"]
        assert out.stat().st_size > 0
