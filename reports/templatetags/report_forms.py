"""How the HR pages write a form field: its label, widget, help and errors in one paragraph.

Written in Python rather than as an included template: the completion report writes nine of
them on every request, and the include with its lookups cost about as much as the widgets."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def paragraph(field) -> SafeString:
    """``<p>`` with the bound field's label, widget, help text (``<id>-help``) and each error
    (``<id>-error``), every text escaped; the widget's own attributes (``aria-describedby``,
    ``aria-invalid``) are Django's."""
    ident = conditional_escape(field.id_for_label or "")
    parts = [
        f'<p>\n  <label for="{ident}">{conditional_escape(field.label)}</label>\n  ',
        str(field),  # the widget as Django writes it (a SafeString)
        "\n  ",
    ]
    if field.help_text:
        parts.append(f'<small id="{ident}-help">{conditional_escape(field.help_text)}</small>')
    parts.append("\n  ")
    parts.extend(
        f'<span class="field-error" id="{ident}-error">{conditional_escape(error)}</span>'
        for error in field.errors
    )
    parts.append("\n</p>\n")
    return mark_safe("".join(parts))  # noqa: S308 -- every part escaped above
