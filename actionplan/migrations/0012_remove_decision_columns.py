from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('actionplan', '0011_move_decisions'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='actionplan',
            name='decision_body',
        ),
        migrations.RemoveField(
            model_name='actionplan',
            name='decision_body_en',
        ),
        migrations.RemoveField(
            model_name='actionplan',
            name='decision_body_sv',
        ),
        migrations.RemoveField(
            model_name='actionplan',
            name='decision_date',
        ),
        migrations.RemoveField(
            model_name='actionplan',
            name='decision_reference',
        ),
        migrations.RemoveField(
            model_name='actionplan',
            name='decision_reference_en',
        ),
        migrations.RemoveField(
            model_name='actionplan',
            name='decision_reference_sv',
        ),
        migrations.RemoveField(
            model_name='historicalactionplan',
            name='decision_body',
        ),
        migrations.RemoveField(
            model_name='historicalactionplan',
            name='decision_body_en',
        ),
        migrations.RemoveField(
            model_name='historicalactionplan',
            name='decision_body_sv',
        ),
        migrations.RemoveField(
            model_name='historicalactionplan',
            name='decision_date',
        ),
        migrations.RemoveField(
            model_name='historicalactionplan',
            name='decision_reference',
        ),
        migrations.RemoveField(
            model_name='historicalactionplan',
            name='decision_reference_en',
        ),
        migrations.RemoveField(
            model_name='historicalactionplan',
            name='decision_reference_sv',
        ),
        migrations.AddConstraint(
            model_name='actionplan',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['adopted', 'superseded']), _negated=True), ('decision__isnull', False), _connector='OR'), name='actionplan_adopted_has_decision'),
        ),
    ]
