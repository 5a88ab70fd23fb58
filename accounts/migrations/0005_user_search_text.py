from django.db import migrations, models

from lms.text import search_form


def fill_search_text(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.only("pk", "full_name", "email", "employee_number").iterator():
        user.search_text = search_form(f"{user.full_name} {user.email} {user.employee_number}")
        user.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_language_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
