"""Read queries about people that other apps, the admin and the personal-data download reuse."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.db.models import QuerySet

from audit.models import AuditEvent
from lms.text import search_form

from .models import User
from .permissions import user_roles
from .roles import Role


def users_with_role(role: Role) -> QuerySet[User]:
    """Active people holding ``role`` (the group of the same name)."""
    return User.objects.filter(is_active=True, groups__name=role)


def users_matching(queryset: QuerySet[User], query: str) -> QuerySet[User]:
    """Narrow ``queryset`` to people whose name, email or employee number holds every word of
    ``query``, in either Serbian script, with or without diacritics (``lms.text.search_form``)."""
    for word in search_form(query).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def _time(value):
    return value.isoformat() if value else None


def profile_personal_data(user: User) -> dict:
    """The person's own account: profile, roles, sign-in addresses and methods (never secrets)."""
    unit = user.org_unit
    return {
        "email": user.email,
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "organisation_unit": {"name": unit.name, "code": unit.code} if unit else None,
        "employee_number": user.employee_number,
        "roles": sorted(user_roles(user)),
        "active": user.is_active,
        "date_joined": _time(user.date_joined),
        "last_login": _time(user.last_login),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "single_sign_on_accounts": [
            {"provider": a.provider, "uid": a.uid, "date_joined": _time(a.date_joined)}
            for a in SocialAccount.objects.filter(user=user).order_by("provider", "uid")
        ],
        "two_factor_authenticators": [
            {
                "type": a.type,
                "created_at": _time(a.created_at),
                "last_used_at": _time(a.last_used_at),
            }
            for a in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
        # Privileged actions about the person (role changes, edits, assignments are listed by
        # the sections that hold them), as recorded in the audit log.
        "audit_events_about_you": [
            {"time": _time(e.created_at), "action": e.action}
            for e in AuditEvent.objects.filter(
                target_type=User._meta.label_lower, target_id=str(user.pk)
            ).order_by("seq")
        ],
    }
