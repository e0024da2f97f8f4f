"""An idempotency key belongs to its caller (issue 16): the unique key becomes (mall, owner,
key). Keys given before have no owner (""): no caller has that owner, so they answer no one;
they named requests of earlier days, which no longer get an answer anyway."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("queueing", "0004_indonesian_labels"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="ticket",
            name="ticket_idempotency_key_once",
        ),
        migrations.AddField(
            model_name="ticket",
            name="idempotency_owner",
            field=models.CharField(
                blank=True, default="", max_length=64, verbose_name="pemilik kunci idempotensi"
            ),
        ),
        migrations.AddConstraint(
            model_name="ticket",
            constraint=models.UniqueConstraint(
                condition=models.Q(("idempotency_key__isnull", False)),
                fields=("mall", "idempotency_owner", "idempotency_key"),
                name="ticket_idempotency_key_once_per_owner",
            ),
        ),
    ]
