"""Holding a statement compiled once (``lms.prepared``) to its queryset run the ordinary way."""

from django.forms.models import model_to_dict


def fields_of(instance) -> list:
    return [getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields]


def same_rows(prepared_query, **ids) -> list:
    """Run both ways; the rows, their types and every value agree (for model instances every
    field and annotation, for tuples each value's type, for single values their type)."""
    got = prepared_query.run(**ids)
    expected = list(prepared_query.build(**ids))
    assert len(got) == len(expected)
    for mine, theirs in zip(got, expected, strict=True):
        assert type(mine) is type(theirs)
        if hasattr(theirs, "_meta"):
            assert fields_of(mine) == fields_of(theirs)
            assert model_to_dict(mine) == model_to_dict(theirs)
            assert {k: v for k, v in mine.__dict__.items() if k != "_state"} == {
                k: v for k, v in theirs.__dict__.items() if k != "_state"
            }
        else:
            assert mine == theirs
            if isinstance(theirs, tuple):
                assert [type(v) for v in mine] == [type(v) for v in theirs]
    return got
