from django.conf import settings
from django.db import migrations


def name_the_site(apps, schema_editor):
    # Mail and pages say "Toricy" at the family's address from the first migration on.
    site_model = apps.get_model("sites", "Site")
    domain = settings.PUBLIC_URL.split("://", 1)[-1]
    site_model.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": "Toricy"}
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_invites"), ("sites", "0002_alter_domain_unique")]
    operations = [migrations.RunPython(name_the_site, migrations.RunPython.noop)]
