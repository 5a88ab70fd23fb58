"""The HR pages' form fields: ``{{ field|paragraph }}`` is ``reports.forms.field_paragraph``."""

from django import template

from reports.forms import field_paragraph

register = template.Library()
register.filter("paragraph", field_paragraph)
