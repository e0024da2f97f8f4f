"""Fill a service's duration value and unit from its text where the text begins with one
("15 menit", "14 hari kerja setelah ..."), so that the same-visit standard the queue's estimates
and reports read (Service.standard_minutes) is there right after migrating, before the next
region load states the rest (catalog/durations.py; issue 22). Other texts stay without a value:
the region data states them. The rule is copied here, as a migration must not change with the
code."""

import re

from django.db import migrations

_LEADING = re.compile(
    r"^(?P<value>\d+)\s*(?P<unit>menit|jam|hari\s+kerja|hari\s+kalender|hari)\b", re.IGNORECASE
)
_UNITS = {
    "menit": "menit",
    "jam": "jam",
    "hari kerja": "hari_kerja",
    "hari kalender": "hari",
    "hari": "hari",
}


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Service = apps.get_model("catalog", "Service")
    for service in Service.objects.filter(duration_value__isnull=True, duration_unit=""):
        found = _LEADING.match(service.duration.strip())
        if found is None or not 1 <= int(found["value"]) <= 32767:
            continue
        service.duration_value = int(found["value"])
        service.duration_unit = _UNITS[" ".join(found["unit"].lower().split())]
        service.save(update_fields=["duration_value", "duration_unit"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_service_duration_unit_service_duration_value_and_more")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
