"""A dashboard's tables as CSV (one file, a section per table) or XLSX (a sheet
per table, money as numbers in dollars with two decimals), with openpyxl.
Every text cell is neutralised against formulas (``core.csv_safe``)."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook  # type: ignore[import-untyped]  # openpyxl ships no type hints
from openpyxl.styles import Font  # type: ignore[import-untyped]  # likewise

from purei.core.csv_safe import csv_safe_cell, csv_writer
from purei.ledger.bankfile import dollars

from .charts import Table, show

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
BOLD = Font(bold=True)


def _plain(table: Table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells = []
        for cell, column in zip(row, table.columns, strict=True):
            if isinstance(cell, int) and column.money:
                cells.append(dollars(cell))
            elif isinstance(cell, int) and column.permille:
                cells.append(f"{cell / 10:.1f}")
            else:
                cells.append(str(cell))
        rows.append(cells)
    return rows


def tables_csv(tables: list[Table]) -> str:
    """Each table: its title, its headings, its rows (dollars with two decimals,
    shares in percent), then a blank line."""
    out = io.StringIO(newline="")
    writer = csv_writer(out)
    for table in tables:
        writer.writerow([table.title])
        writer.writerow([c.heading for c in table.columns])
        for row in _plain(table):
            writer.writerow(row)
        writer.writerow([])
    return out.getvalue()


def _safe(text: str) -> str:
    """Text a spreadsheet never takes for a formula (as in every CSV)."""
    return csv_safe_cell(text)


def tables_xlsx(tables: list[Table]) -> bytes:
    """A workbook with a sheet per table (named by its key): the title, the
    headings in bold, the rows; money in dollars as numbers ("#,##0.00")."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(title=table.key[:31])
        sheet.append([_safe(table.title)])
        sheet.append([_safe(c.heading) for c in table.columns])
        for cell in sheet[2]:
            cell.font = BOLD
        for row in table.rows:
            values: list[object] = []
            for cell, column in zip(row, table.columns, strict=True):
                if isinstance(cell, int) and column.money:
                    values.append(Decimal(cell) / 100)
                elif isinstance(cell, int) and column.permille:
                    values.append(Decimal(cell) / 1000)
                elif isinstance(cell, int):
                    values.append(cell)
                else:
                    values.append(_safe(show(cell, column)))
            sheet.append(values)
            for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
                if column.money:
                    cell.number_format = "#,##0.00"
                elif column.permille:
                    cell.number_format = "0.0%"
        sheet.column_dimensions["A"].width = 36
        if table.note:
            sheet.append([])
            sheet.append([_safe(table.note)])
    if not workbook.sheetnames:
        workbook.create_sheet(title="empty")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
