"""API tokens get a lifetime and a shown prefix (docs/adr/0018).

Tokens issued before have no known prefix; they expire a lifetime after they were made, as if
the rule had always held: a person's after 12 hours (most are gone at once), a kiosk's after
90 days (the settings' defaults when this migration was written).
"""

import datetime as dt

from django.db import migrations, models

PERSON = dt.timedelta(hours=12)
KIOSK = dt.timedelta(days=90)


def set_expiry(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    StaffProfile = apps.get_model("accounts", "StaffProfile")
    kiosks = set(StaffProfile.objects.filter(role="kiosk").values_list("user_id", flat=True))
    for token in ApiToken.objects.all().only("pk", "user_id", "created_at"):
        lifetime = KIOSK if token.user_id in kiosks else PERSON
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + lifetime)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_indonesian_labels"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="apitoken",
            options={
                "ordering": ["-created_at"],
                "verbose_name": "token API",
                "verbose_name_plural": "token API",
            },
        ),
        migrations.AddField(
            model_name="apitoken",
            name="prefix",
            field=models.CharField(
                blank=True, editable=False, max_length=8, verbose_name="awal kunci"
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="berlaku sampai"),
        ),
        migrations.RunPython(set_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(db_index=True, verbose_name="berlaku sampai"),
        ),
    ]
