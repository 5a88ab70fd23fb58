from django.db import migrations


def create_default(apps, schema_editor):
    CertificateTemplate = apps.get_model("certificates", "CertificateTemplate")
    if not CertificateTemplate.objects.filter(is_default=True).exists():
        CertificateTemplate.objects.create(
            name="Default",
            is_default=True,
            organisation="ICT Training Centre",
            signatory1_name="",
        )


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
