"""The database's own refusal to change ledger rows (migration 0002), kept in place.

Migration 0002 made triggers that refuse an ``UPDATE`` of journals, postings,
invoices and invoice lines (and on PostgreSQL a ``DELETE``). SQLite cannot alter a
column in place: a later migration that changes one of those tables rebuilds it,
and the rebuilt table has no triggers (0005 lost the invoices' this way). So after
every ``migrate`` the ledger makes sure each trigger is there again
(``ensure_append_only``, on ``post_migrate``); doing it twice changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

TABLES = ("ledger_journal", "ledger_posting", "ledger_invoice", "ledger_invoiceline")


def trigger_name(table: str) -> str:
    return f"{table}_append_only"


def ensure_append_only(using: str = "default") -> None:
    connection = connections[using]
    vendor = connection.vendor
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        if not present.issuperset(TABLES):
            return  # the ledger is not migrated this far (yet)
        if vendor == "postgresql":
            cursor.execute(
                """
                CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION 'ledger rows are never changed or deleted (%)',
                        TG_TABLE_NAME;
                END;
                $$ LANGUAGE plpgsql
                """
            )
            for table in TABLES:
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {trigger_name(table)} "
                    f"BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
                )
        elif vendor == "sqlite":
            for table in TABLES:
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {trigger_name(table)} "
                    f"BEFORE UPDATE ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'ledger rows are never changed'); END"
                )


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """``post_migrate`` for the ledger app: its tables exist once it has run."""
    plan = kwargs.get("plan") or []
    if any(
        migration.app_label == "ledger" and backwards for migration, backwards in plan
    ):
        return  # unapplying the ledger: leave it as the migrations left it
    ensure_append_only(using)
