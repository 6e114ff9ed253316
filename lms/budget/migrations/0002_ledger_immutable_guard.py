"""A database-level guard: ledger rows cannot be updated (nor deleted, on PostgreSQL)."""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION budget_ledger_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are never edited or deleted; post a reversal instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER budget_ledger_no_update BEFORE UPDATE OR DELETE ON budget_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION budget_ledger_immutable();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS budget_ledger_no_update ON budget_ledgerentry;
DROP FUNCTION IF EXISTS budget_ledger_immutable();
"""
# On SQLite only updates are blocked: Django's test flush empties tables with DELETE,
# which a delete trigger would break; deletes are still refused by the model and queryset.
SQLITE_FORWARD = """
CREATE TRIGGER IF NOT EXISTS budget_ledger_no_update BEFORE UPDATE ON budget_ledgerentry
BEGIN SELECT RAISE(ABORT, 'ledger entries are never edited; post a reversal instead'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS budget_ledger_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_ledger_allowances_claims")]

    operations = [migrations.RunPython(forward, backward)]
