"""Import at scale: one ``purei import-products`` run over a folder of makers'
Shopify files against one run per file (issue 18).

``python -m scripts.bench.import_makers --makers 50 --products 200`` makes a fresh
SQLite database in a temporary folder (``PUREI_DATA_DIR``), migrates it, adds
MAKERS members, writes one Shopify product CSV per maker (PRODUCTS products of one
to three variants each, with was prices, SEO columns and HTML bodies; no picture
addresses, so nothing is downloaded) and a ``makers.csv`` mapping each file to
its member. It then times, each on a fresh copy of the migrated database:

- **one run**: ``purei import-products FOLDER`` (one process for every file);
- **one run per file**: ``purei import-products FILE --member SLUG``, MAKERS times,
  one after the other, as a shell loop would;
- **start-up**: ``purei import-products --help`` once (what each extra process
  pays before it reads a row).

and prints the figures as a Markdown table (docs/spreadsheets.md keeps them).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PUREI = [sys.executable, "-c", "from purei.cli import main; main()"]
COLUMNS = [
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Type",
    "Tags",
    "Published",
    "Option1 Name",
    "Option1 Value",
    "Variant SKU",
    "Variant Grams",
    "Variant Inventory Tracker",
    "Variant Inventory Qty",
    "Variant Inventory Policy",
    "Variant Price",
    "Variant Compare At Price",
    "SEO Title",
    "SEO Description",
    "Gift Card",
    "Status",
]
KINDS = (
    ("Honey", "Mānuka honey", ("250 g", "500 g", "1 kg")),
    ("Wine", "Pinot noir", ("375 ml", "750 ml")),
    ("fresh-produce", "Kūmara", ("1 kg", "5 kg", "10 kg")),
)
WORDS = ("Kaipara", "Tōtara", "Kōwhai", "Harakeke", "Rātā", "Kawakawa", "Pōhutukawa")


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PUREI_DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite:///{data_dir / 'bench.sqlite3'}",
        DJANGO_SETTINGS_MODULE="purei.settings",
        TASKS_BACKEND="immediate",
        PYTHONPATH=str(ROOT),
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [*PUREI, *args], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    return time.monotonic() - started


def _prepare(data_dir: Path, makers: int) -> None:
    """Migrate a database and add the members (in a child process)."""
    env = _env(data_dir)
    _run(["migrate", "--no-input", "-v", "0"], env)
    code = (
        "import django; django.setup()\n"
        "from purei.members.models import Member\n"
        f"for n in range({makers}):\n"
        "    Member.objects.create(slug=f'maker-{n:02d}', "
        "legal_name=f'Maker {n} Limited', trading_name=f'Maker {n}')\n"
    )
    subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], env=env, check=True, cwd=ROOT
    )


def _write_files(folder: Path, makers: int, products: int, seed: int) -> int:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    rows_written = 0
    with (folder / "makers.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["file", "vendor", "member"])
        for n in range(makers):
            writer.writerow([f"shop-{n:02d}.csv", "", f"maker-{n:02d}"])
    for n in range(makers):
        with (folder / f"shop-{n:02d}.csv").open(
            "w", newline="", encoding="utf-8"
        ) as out:
            shop = csv.DictWriter(out, fieldnames=COLUMNS)
            shop.writeheader()
            for p in range(products):
                kind, noun, sizes = KINDS[p % len(KINDS)]
                title = f"{rng.choice(WORDS)} {noun} {p}"
                handle = f"m{n}-p{p}"
                for v, size in enumerate(sizes[: rng.randint(1, len(sizes))]):
                    price = rng.randint(500, 9000)
                    row = {
                        "Handle": handle,
                        "Option1 Name": "Size",
                        "Option1 Value": size,
                        "Variant SKU": f"{handle}-{v}",
                        "Variant Grams": str(rng.randint(100, 5000)),
                        "Variant Inventory Tracker": "shopify",
                        "Variant Inventory Qty": str(rng.randint(0, 50)),
                        "Variant Inventory Policy": "deny",
                        "Variant Price": f"{price // 100}.{price % 100:02d}",
                        "Variant Compare At Price": (
                            f"{price // 80}.00" if rng.random() < 0.3 else ""
                        ),
                    }
                    if v == 0:
                        row.update(
                            {
                                "Title": title,
                                "Body (HTML)": f"<p>{title}, from the "
                                f"<strong>{rng.choice(WORDS)}</strong> hills.</p>",
                                "Vendor": f"Maker {n}",
                                "Type": kind,
                                "Tags": "gift, local",
                                "Published": "true",
                                "SEO Title": f"{title} — Maker {n}",
                                "SEO Description": f"{title}, made in Aotearoa.",
                                "Gift Card": "false",
                                "Status": "active",
                            }
                        )
                    shop.writerow(row)
                    rows_written += 1
    return rows_written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--makers", type=int, default=50)
    parser.add_argument("--products", type=int, default=200, help="per maker")
    parser.add_argument("--seed", type=int, default=18)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="purei-import-bench-") as tmp:
        base = Path(tmp)
        files = base / "files"
        files.mkdir()
        clean = base / "clean"
        clean.mkdir()
        _prepare(clean, options.makers)
        rows = _write_files(files, options.makers, options.products, options.seed)

        def fresh(name: str) -> Path:
            target = base / name
            shutil.copytree(clean, target)
            return target

        one = fresh("one")
        one_run = _run(["import-products", str(files)], _env(one))
        many = fresh("many")
        per_file = []
        for n in range(options.makers):
            per_file.append(
                _run(
                    [
                        "import-products",
                        str(files / f"shop-{n:02d}.csv"),
                        "--member",
                        f"maker-{n:02d}",
                    ],
                    _env(many),
                )
            )
        start_up = _run(["import-products", "--help"], _env(one))
    total = sum(per_file)
    products = options.makers * options.products
    print(  # noqa: T201
        f"\n{options.makers} makers, {products} products, {rows} rows (SQLite)\n\n"
        "| how | wall time | per maker |\n|---|---|---|\n"
        f"| one run, a folder and makers.csv | {one_run:.1f} s | "
        f"{one_run / options.makers:.2f} s |\n"
        f"| {options.makers} runs, one per file | {total:.1f} s | "
        f"{total / options.makers:.2f} s |\n"
        f"| start-up of one run (`--help`) | {start_up:.1f} s | |\n"
    )


if __name__ == "__main__":
    main()
