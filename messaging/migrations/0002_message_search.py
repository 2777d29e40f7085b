"""Full-text search of messages: a GIN index on PostgreSQL, an FTS5 table with triggers on SQLite.

Nothing here touches the models: the index and the table exist only on their own database.
"""

from django.db import migrations


def install(apps, schema_editor):
    from messaging import search

    search.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from messaging import search

    search.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
