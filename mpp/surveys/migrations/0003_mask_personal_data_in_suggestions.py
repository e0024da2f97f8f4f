"""Suggestions stored before 2026-11-29 kept the NIK and phone numbers citizens typed into
them; from now on `actions.clean_suggestion` masks them on the way in, and this masks those
already stored. Nothing to undo: the numbers are not kept anywhere."""

from django.db import migrations

from mpp.core.privacy import mask_personal_data


def mask_stored_suggestions(apps, schema_editor):
    Response = apps.get_model("surveys", "Response")
    for pk, text in (
        Response.objects.exclude(suggestion="").values_list("pk", "suggestion").iterator()
    ):
        masked, changed = mask_personal_data(text)
        if changed:
            Response.objects.filter(pk=pk).update(suggestion=masked)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0002_national_questionnaire")]

    operations = [migrations.RunPython(mask_stored_suggestions, migrations.RunPython.noop)]
