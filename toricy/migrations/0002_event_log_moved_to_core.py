# The event log's models now belong to core (core.0001 takes over the same tables).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("toricy", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Event"),
                migrations.DeleteModel(name="EventCursor"),
            ],
            database_operations=[],
        ),
    ]
