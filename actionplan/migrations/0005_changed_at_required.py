# A migration of its own: PostgreSQL refuses to alter a table in the transaction that
# just updated its rows (pending trigger events), so the backfill runs in the one before.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('actionplan', '0004_changed_at_and_translated_decision'),
    ]

    operations = [
        migrations.AlterField(
            model_name='action',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, verbose_name='changed at'),
        ),
        migrations.AlterField(
            model_name='actionplan',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, verbose_name='changed at'),
        ),
        migrations.AlterField(
            model_name='followupupdate',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, verbose_name='changed at'),
        ),
        migrations.AlterField(
            model_name='historicalaction',
            name='updated_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='changed at'),
        ),
        migrations.AlterField(
            model_name='historicalactionplan',
            name='updated_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='changed at'),
        ),
        migrations.AlterField(
            model_name='historicalfollowupupdate',
            name='updated_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='changed at'),
        ),
    ]
