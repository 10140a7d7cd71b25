"""``purei import-products FILE… --member <slug>`` or ``purei import-products
FOLDER``: import one or many members' products in one run (one process, one
start-up), mapping the files' own categories to Pūrei's where asked.

- Several files for one member: ``purei import-products a.csv b.csv --member
  kaipara-kai`` (each file is checked and imported on its own, in turn).
- Files for many members: each file, or a folder's ``*.csv``, goes to the member
  the makers map names for it (``--makers makers.csv``; a folder's own
  ``makers.csv`` is used when there is one). The map has the columns ``file``
  (a file's name, e.g. ``kaipara-kai.csv``) or ``vendor`` (Shopify's ``Vendor``
  of the file's first product), and ``member`` (the member's slug). Without a
  line in the map, a file named ``<member-slug>.csv`` goes to that member.

Each file is all or nothing, as on the web; the exit code is 1 when any file was
not imported.
"""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from purei.catalogue.models import ImportJob
from purei.catalogue.spreadsheets import FORMATS, ImportResult, products_import
from purei.catalogue.spreadsheets.jobs import import_images_queue
from purei.core.actor import Actor
from purei.core.errors import ValidationFailed
from purei.members.models import Member

HELP = gettext_noop(
    "Import products from CSV files (Pūrei's columns or Shopify's): several files, "
    "or a folder with one file per maker and a map of makers. Every row of a file "
    "is checked first: one bad row and nothing of that file is imported."
)
MAKERS_FILE = "makers.csv"


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths",
            nargs="+",
            type=Path,
            metavar="FILE_OR_FOLDER",
            help="CSV files, or folders of them (their *.csv, makers.csv aside)",
        )
        parser.add_argument(
            "--member", default=None, help="the member's slug, for every file"
        )
        parser.add_argument(
            "--makers",
            type=Path,
            default=None,
            help=(
                "a CSV mapping each file (column file) or Shopify Vendor (column "
                "vendor) to a member's slug (column member)"
            ),
        )
        parser.add_argument("--format", choices=FORMATS, default=None)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--map-category",
            action="append",
            default=[],
            metavar="FILE'S=PŪREI'S",
            help=(
                "map a category the files use to one of Pūrei's (its name or web "
                'address name), e.g. "Kumara=Fresh produce"; repeat for each'
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        files, makers_path = _files(options["paths"])
        makers_path = options["makers"] or makers_path
        makers = _makers(makers_path) if makers_path else ({}, {})
        only: Member | None = None
        if options["member"]:
            only = Member.objects.filter(slug=options["member"]).first()
            if only is None:
                raise CommandError(
                    _("No member “%(slug)s”.") % {"slug": options["member"]}
                )
        category_map = _category_map(options["map_category"])
        members = {m.slug: m for m in Member.objects.all()} if only is None else {}
        failed = 0
        totals = ImportResult(format="")
        for path in files:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise CommandError(str(exc)) from exc
            member = only or _member_for(path, data, makers, members)
            if len(files) > 1:
                self.stdout.write(f"{path.name}:")
            if member is None:
                self.stderr.write(
                    _(
                        "No member for %(file)s: give --member, or a line for it "
                        "(its file name or Vendor) in the makers map."
                    )
                    % {"file": path.name}
                )
                failed += 1
                continue
            if not self._one(member, data, options, category_map, totals):
                failed += 1
        if len(files) > 1:
            self.stdout.write(
                _(
                    "%(files)d files in %(seconds).1f s: %(created)d products "
                    "created, %(updated)d updated, %(skipped)d unchanged; %(failed)d "
                    "files not imported."
                )
                % {
                    "files": len(files),
                    "seconds": time.monotonic() - started,
                    "created": totals.products_created,
                    "updated": totals.products_updated,
                    "skipped": totals.products_skipped,
                    "failed": failed,
                }
            )
        if failed:
            raise SystemExit(1)

    def _one(
        self,
        member: Member,
        data: bytes,
        options: dict[str, Any],
        category_map: dict[str, str],
        totals: ImportResult,
    ) -> bool:
        try:
            result = products_import(
                actor=Actor.system(),
                member=member,
                data=data,
                fmt=options["format"],
                dry_run=options["dry_run"],
                category_map=category_map,
            )
        except ValidationFailed as exc:
            raise CommandError(" ".join(exc.errors.get("category_map", []))) from exc
        if not result.ok:
            self._problems(result)
            return False
        totals.products_created += result.products_created
        totals.products_updated += result.products_updated
        totals.products_skipped += result.products_skipped
        message = (
            _("Checked: would import %(products)d products, %(variants)d variants.")
            if options["dry_run"]
            else _("Imported %(products)d products, %(variants)d variants.")
        )
        self.stdout.write(
            message % {"products": result.products, "variants": result.variants}
        )
        self.stdout.write(
            _(
                "Products: %(pc)d created, %(pu)d updated, %(ps)d unchanged. "
                "Variants: %(vc)d created, %(vu)d updated, %(vs)d unchanged."
            )
            % {
                "pc": result.products_created,
                "pu": result.products_updated,
                "ps": result.products_skipped,
                "vc": result.variants_created,
                "vu": result.variants_updated,
                "vs": result.variants_skipped,
            }
        )
        for column in result.ignored_columns:
            self.stdout.write(
                _("Ignored column “%(column)s”: %(cells)d cells (e.g. “%(example)s”).")
                % {
                    "column": column.column,
                    "cells": column.cells,
                    "example": column.example,
                }
            )
        job = import_images_queue(member=member, user=None, result=result)
        if job is not None:
            self._pictures(job)
        return True

    def _pictures(self, job: ImportJob) -> None:
        """How the pictures went: already, with tasks run at once; else queued."""
        job.refresh_from_db()
        result = ImportResult.from_dict(job.report)
        if result.images:
            self.stdout.write(
                _(
                    "%(count)d pictures are being downloaded by the worker "
                    "(purei worker); import %(job)d's page shows how it went."
                )
                % {"count": len(result.images), "job": job.pk}
            )
            return
        self.stdout.write(
            _(
                "Pictures: %(added)d added, %(skipped)d already there, "
                "%(failed)d failed."
            )
            % {
                "added": result.images_added,
                "skipped": result.images_skipped,
                "failed": len(result.image_failures),
            }
        )
        for failure in result.image_failures:
            self.stderr.write(
                _("row %(row)s, %(column)s: %(url)s: %(message)s")
                % {
                    "row": failure.row,
                    "column": failure.column,
                    "url": failure.url,
                    "message": failure.message,
                }
            )

    def _problems(self, result: ImportResult) -> None:
        for problem in result.problems:
            self.stderr.write(
                _("row %(row)s, %(column)s: %(message)s")
                % {
                    "row": problem.row,
                    "column": problem.column or "-",
                    "message": problem.message,
                }
            )
        if result.unknown_categories:
            names = [name for name, _rows in result.unknown_categories]
            self.stderr.write(
                _(
                    "Not Pūrei's categories: %(names)s. Map each to one of "
                    'Pūrei\'s with --map-category "%(first)s=<category>".'
                )
                % {
                    "names": ", ".join(f"“{name}”" for name in names),
                    "first": names[0],
                }
            )
        self.stderr.write(
            _("%(count)d problems: nothing was imported.")
            % {"count": len(result.problems)}
        )


def _files(paths: list[Path]) -> tuple[list[Path], Path | None]:
    """The CSV files to import, in order, and a folder's makers map if it has one."""
    files: list[Path] = []
    makers: Path | None = None
    for path in paths:
        if path.is_dir():
            for found in sorted(path.glob("*.csv")):
                if found.name == MAKERS_FILE:
                    makers = found
                else:
                    files.append(found)
        else:
            files.append(path)
    if not files:
        raise CommandError(_("No CSV files to import."))
    return files, makers


def _makers(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The makers map: a file's name → member slug, and a Vendor (folded) → slug."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(str(exc)) from exc
    reader = csv.DictReader(io.StringIO(text))
    fields = set(reader.fieldnames or [])
    if "member" not in fields or not fields & {"file", "vendor"}:
        raise CommandError(
            _(
                "The makers map %(file)s needs a member column, and a file or vendor "
                "column."
            )
            % {"file": path.name}
        )
    by_file: dict[str, str] = {}
    by_vendor: dict[str, str] = {}
    for line in reader:
        slug = (line.get("member") or "").strip()
        if not slug:
            continue
        if (name := (line.get("file") or "").strip()) != "":
            by_file[name] = slug
        if (vendor := (line.get("vendor") or "").strip()) != "":
            by_vendor[vendor.casefold()] = slug
    return by_file, by_vendor


def _first_vendor(data: bytes) -> str:
    try:
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
        for line in reader:
            vendor = (line.get("Vendor") or "").strip()
            if vendor:
                return vendor
    except (UnicodeDecodeError, csv.Error):
        return ""
    return ""


def _member_for(
    path: Path,
    data: bytes,
    makers: tuple[dict[str, str], dict[str, str]],
    members: dict[str, Member],
) -> Member | None:
    by_file, by_vendor = makers
    slug = by_file.get(path.name)
    if slug is None and by_vendor:
        slug = by_vendor.get(_first_vendor(data).casefold())
    if slug is None:
        slug = path.stem
    return members.get(slug)


def _category_map(pairs: list[str]) -> dict[str, str]:
    """``["Kumara=Fresh produce", …]`` as ``{"Kumara": "Fresh produce", …}``."""
    mapping = {}
    for pair in pairs:
        source, equals, target = pair.partition("=")
        if not (equals and source.strip() and target.strip()):
            raise CommandError(
                _(
                    "Write --map-category as \"the file's category=Pūrei's "
                    'category", e.g. "Kumara=Fresh produce" (not “%(pair)s”).'
                )
                % {"pair": pair}
            )
        mapping[source.strip()] = target.strip()
    return mapping
