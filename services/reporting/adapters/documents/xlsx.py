"""The report as a workbook (XlsxWriter): one sheet per table, right to left in Arabic, the
header row frozen, numbers kept as numbers (shares formatted as percentages), and a native
chart of the 30-day trend and of the day per kind."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import xlsxwriter

from services.reporting.domain.tables import Table, report_tables
from shared.catalogue import Catalogue

SHEET_NAME_MAX = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str) -> str:
    return _NOT_IN_SHEET_NAMES.sub(" ", title)[:SHEET_NAME_MAX].strip()


def render_xlsx(figures: Mapping[str, Any], *, language: str, catalogue: Catalogue, built_at: datetime) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    # A fixed creation date: the same figures give the same workbook.
    workbook.set_properties({"title": f"Lamadi {figures['date']}", "author": "Lamadi",
                             "created": built_at.replace(tzinfo=None)})
    formats = {
        "head": workbook.add_format({"bold": True, "bg_color": "#F3F4F6", "bottom": 1, "text_wrap": True}),
        "share": workbook.add_format({"num_format": "0%"}),
    }
    for table in report_tables(figures, language, catalogue):
        sheet = workbook.add_worksheet(sheet_name(table.title))
        if language == "ar":
            sheet.right_to_left()
        _write(sheet, table, formats)
        if table.name == "trend" and table.rows:
            _chart(workbook, sheet, table, kind="line", anchor="E2")
        elif table.name == "kinds" and table.rows:
            # Without the total line, which would dwarf the kinds.
            _chart(workbook, sheet, table, kind="bar", anchor="I2", columns=(1, 2, 4), last=len(table.rows) - 1)
    workbook.close()
    return buffer.getvalue()


def _write(sheet, table: Table, formats: dict) -> None:
    sheet.write_row(0, 0, table.headings, formats["head"])
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, len(table.headings) - 1, 14)
    for r, values in enumerate(table.rows, start=1):
        for c, value in enumerate(values):
            if value is None:
                sheet.write_blank(r, c, None)
            elif c in table.shares:
                sheet.write_number(r, c, value, formats["share"])
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)


def _chart(workbook, sheet, table: Table, *, kind: str, anchor: str, columns: tuple[int, ...] = (1, 2),
           last: int | None = None) -> None:
    chart = workbook.add_chart({"type": kind})
    last = len(table.rows) if last is None else last
    for column in columns:
        chart.add_series({
            "name": [sheet.name, 0, column],
            "categories": [sheet.name, 1, 0, last, 0],
            "values": [sheet.name, 1, column, last, column],
        })
    chart.set_title({"name": table.title})
    chart.set_size({"width": 620, "height": 320})
    sheet.insert_chart(anchor, chart)
