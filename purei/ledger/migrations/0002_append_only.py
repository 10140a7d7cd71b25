"""Ledger rows are only ever added: the database refuses to change them.

Both engines refuse ``UPDATE`` of journals, postings and invoices. PostgreSQL also
refuses ``DELETE`` (a test database is emptied with ``TRUNCATE``, which these
triggers do not see); SQLite empties test databases with ``DELETE``, so there the
models' own ``delete`` refusal and ``PROTECT`` foreign keys guard deletion.
"""

from django.db import migrations

TABLES = ["ledger_journal", "ledger_posting", "ledger_invoice", "ledger_invoiceline"]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
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
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE "
                    f"ON {table} FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
                )
        elif vendor == "sqlite":
            for table in TABLES:
                cursor.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'ledger rows are never changed'); END"
                )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            if vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            elif vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
