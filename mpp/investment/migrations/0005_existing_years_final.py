"""An installation upgraded to final periods (docs/adr/0007, "Provisional periods") keeps showing
what it published before: every year before the current one that has realization is marked final
through its last reported quarter. The current year waits for DPMPTSP's word, as new data does."""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone


def mark_past_years_final(apps, schema_editor):  # type: ignore[no-untyped-def]
    Realization = apps.get_model("investment", "Realization")
    FinalPeriod = apps.get_model("investment", "FinalPeriod")
    this_year = timezone.localdate().year
    rows = (
        Realization.objects.filter(year__lt=this_year)
        .values("region_id", "year")
        .annotate(last=Max("end_quarter"))
    )
    now = timezone.now()
    for row in rows:
        FinalPeriod.objects.get_or_create(
            region_id=row["region_id"],
            year=row["year"],
            defaults={"through": row["last"], "marked_at": now},
        )


class Migration(migrations.Migration):
    dependencies = [("investment", "0004_reports_final_period")]

    operations = [migrations.RunPython(mark_past_years_final, migrations.RunPython.noop)]
