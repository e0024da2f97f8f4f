"""The search index reads English names ("birth certificate") and spelled-out abbreviations
("Kartu Keluarga" also holds "kk"), issue 18 item 4: every stored index is written again;
region loads keep them so."""

from django.db import migrations


def reindex(apps, schema_editor):
    from mpp.catalog.search import index_text

    Service = apps.get_model("catalog", "Service")
    for service in Service.objects.select_related("tenant").iterator():
        text = index_text(service)
        if text != service.search_text:
            Service.objects.filter(pk=service.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_indonesian_labels")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
