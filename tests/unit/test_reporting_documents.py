"""The daily report's PDF as the Directorate reads it: headed by the agency configured in
shared/agency.py, and on a day with no filing, sections that say so in words and charts whose
axes start at zero."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from services.reporting.adapters.documents.charts import kinds_figure, trend_figure
from services.reporting.adapters.documents.fonts import report_font
from services.reporting.adapters.documents.pdf import render_pdf
from services.reporting.domain.agency_days import AgencyDays
from services.reporting.domain.daily_report import daily_figures
from services.reporting.domain.words import word
from shared.agency import AgencyIdentity
from shared.calendar import WorkingCalendar
from shared.catalogue import default_catalogue

CASABLANCA = ZoneInfo("Africa/Casablanca")
DAY = date(2025, 6, 17)
BUILT_AT = datetime(2025, 6, 18, tzinfo=UTC)


def a_day_without_filings() -> dict:
    calendar = WorkingCalendar()
    return daily_figures(DAY, AgencyDays(CASABLANCA), calendar, list(default_catalogue().kinds),
                         day_steps=[], filings={}, trend_steps=[], late_steps=[])


def pdf_text(figures: dict, language: str, agency: AgencyIdentity) -> str:
    content = render_pdf(figures, language=language, catalogue=default_catalogue(), font=report_font(),
                         agency=agency, built_at=BUILT_AT)
    reader = PdfReader(io.BytesIO(content))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_report_is_headed_by_the_configured_agency(language, monkeypatch):
    monkeypatch.setenv("LAMADI_AGENCY_NAME_FR", "Agence urbaine de Béni Mellal")
    monkeypatch.setenv("LAMADI_AGENCY_NAME_AR", "الوكالة الحضرية لبني ملال")
    text = pdf_text(a_day_without_filings(), language, AgencyIdentity())
    assert "Agence urbaine de Béni Mellal" in text and "الوكالة الحضرية لبني ملال" in text


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_a_day_without_decisions_says_so_in_words(language):
    text = pdf_text(a_day_without_filings(), language, AgencyIdentity())
    lines = text.splitlines()
    heading = lines.index(word("outcomes", language))
    assert lines[heading + 1] == word("no_decisions", language)


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_charts_of_a_day_without_filings_start_at_zero(language):
    figures, font = a_day_without_filings(), report_font()
    bars = kinds_figure(figures, language=language, catalogue=default_catalogue(), font=font).axes[0]
    assert sorted(bars.get_xlim()) == [0, 1]
    trend = trend_figure(figures["trend"], language=language, font=font).axes[0]
    assert sorted(trend.get_ylim()) == [0, 1]
