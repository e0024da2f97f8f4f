"""The 23 national sectors: reference data every installation has."""

from django.db import migrations


def add_sectors(apps, schema_editor):
    from mpp.investment.sectors import SECTORS

    Sector = apps.get_model("investment", "Sector")
    for row in SECTORS:
        Sector.objects.update_or_create(
            number=row.number, defaults={"name": row.name, "group": row.group}
        )


class Migration(migrations.Migration):
    dependencies = [("investment", "0001_initial")]

    operations = [migrations.RunPython(add_sectors, migrations.RunPython.noop)]
