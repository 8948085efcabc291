from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0003_draftanswer"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="one_question_per_page",
            field=models.BooleanField(
                default=False,
                help_text="Show the quiz one question at a time, with Previous and Next.",
                verbose_name="one question per page",
            ),
        ),
    ]
