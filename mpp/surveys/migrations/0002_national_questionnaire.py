from django.db import migrations


def load_national(apps, schema_editor):
    from mpp.surveys import national

    national.load(apps.get_model("surveys", "Questionnaire"), apps.get_model("surveys", "Element"))


def unload(apps, schema_editor):
    apps.get_model("surveys", "Questionnaire").objects.filter(
        mall=None, tenant=None, title="Survei Kepuasan Masyarakat (PermenPAN-RB 14/2017)"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(load_national, unload)]
