# A migration of its own: PostgreSQL refuses to alter a table in the transaction that
# just updated its rows (pending trigger events), so the backfill runs in the one before.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0003_assessments_demo_values_and_new_counts'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalmeasurement',
            name='updated_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='changed at'),
        ),
        migrations.AlterField(
            model_name='measurement',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, verbose_name='changed at'),
        ),
    ]
