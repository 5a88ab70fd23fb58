from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_has_privileged_role"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="preferred_language",
            field=models.CharField(
                choices=[
                    ("en", "English"),
                    ("sr", "Српски"),
                    ("sr-latn", "Srpski"),
                    ("ko", "한국어"),
                ],
                default="en",
                max_length=10,
                verbose_name="preferred language",
            ),
        ),
    ]
