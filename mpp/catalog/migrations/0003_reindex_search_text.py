"""The search index gained a field (2026-11-29): name | keywords | tenant | product and
requirements, so that a word found only in what a service asks for ("ktp") ranks, and is shown,
after the services it names. Every stored index is written again; region loads keep them so."""

from django.db import migrations


def reindex(apps, schema_editor):
    from mpp.catalog.search import index_text

    Service = apps.get_model("catalog", "Service")
    for service in Service.objects.select_related("tenant").iterator():
        text = index_text(service)
        if text != service.search_text:
            Service.objects.filter(pk=service.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_mallservice_daily_quota")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
