"""Writes to accounts and organisation units. Every privileged change goes through here."""

import secrets
from collections.abc import Iterable
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record

from .models import PATH_STEP, OrgUnit, User
from .permissions import forget_roles
from .personal_data import registered_sections
from .roles import PRIVILEGED_ROLES, Role


def _path_for(unit: OrgUnit) -> str:
    prefix = unit.parent.path if unit.parent_id else ""
    return f"{prefix}{unit.pk:0{PATH_STEP}d}."


def org_unit_create(
    *, name: str, code: str, parent: OrgUnit | None = None, actor: User | None = None
) -> OrgUnit:
    """Create a unit below ``parent`` (or a new organisation when there is none). Recorded in
    the audit log."""
    with transaction.atomic():
        # The path holds the unit's own id, so it is written after the row exists.
        unit = OrgUnit(name=name, code=code, parent=parent, path=f"new:{code}")
        unit.save()
        unit.path = _path_for(unit)
        unit.depth = parent.depth + 1 if parent else 0
        unit.save(update_fields=["path", "depth"])
        audit_record(
            actor=actor,
            action="org_unit.create",
            target=unit,
            data={"code": code, "parent": parent.pk if parent else None},
        )
    return unit


def org_unit_update(
    *,
    unit: OrgUnit,
    name: str,
    code: str,
    parent: OrgUnit | None,
    actor: User | None = None,
) -> OrgUnit:
    """Rename or move a unit. A unit cannot move below itself; moving it re-roots its subtree
    and the organisation of every member in it. Paths are read from the database under a lock,
    so unit objects loaded before another move cannot corrupt the tree. A change is recorded in
    the audit log: a move changes which HR officers see the unit's people."""
    with transaction.atomic():
        current = OrgUnit.objects.select_for_update().get(pk=unit.pk)
        new_parent = None
        if parent is not None:
            new_parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)
            if new_parent.is_within(current):
                raise ValueError("A unit cannot be moved below itself.")
        old_path, old_depth = current.path, current.depth
        before = {"name": current.name, "code": current.code, "parent": current.parent_id}
        current.name, current.code, current.parent = name, code, new_parent
        current.save(update_fields=["name", "code", "parent"])
        new_path = _path_for(current)
        if new_path != old_path:
            new_depth = new_parent.depth + 1 if new_parent else 0
            descendants = list(OrgUnit.objects.select_for_update().subtree_of_path(old_path))
            for node in descendants:
                node.path = new_path + node.path[len(old_path) :]
                node.depth = node.depth - old_depth + new_depth
            OrgUnit.objects.bulk_update(descendants, ["path", "depth"])
            new_root = int(new_path[:PATH_STEP])
            User.objects.filter(org_unit__in=[n.pk for n in descendants]).update(
                organisation_id=new_root
            )
        after = {"name": name, "code": code, "parent": new_parent.pk if new_parent else None}
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if changes:
            audit_record(actor=actor, action="org_unit.update", target=current, data=changes)
    unit.refresh_from_db()
    return unit


def user_set_roles(*, user: User, roles: Iterable[Role], actor: User | None = None) -> User:
    """Give ``user`` exactly these roles. Administrators may open the admin site.

    A change is recorded in the audit log, except a new account's first learner role (every
    self-registered person gets one)."""
    roles = {Role(r) for r in roles}
    with transaction.atomic():
        before = set(user.groups.values_list("name", flat=True))
        groups = [Group.objects.get_or_create(name=role.value)[0] for role in roles]
        user.groups.set(groups)
        is_admin = Role.ADMINISTRATOR in roles
        user.is_staff = is_admin
        user.is_superuser = is_admin
        user.has_privileged_role = bool(roles & PRIVILEGED_ROLES)
        user.save(update_fields=["is_staff", "is_superuser", "has_privileged_role"])
        after = {role.value for role in roles}
        if before != after and not (not before and after == {Role.LEARNER.value}):
            audit_record(
                actor=actor,
                action="user.roles_set",
                target=user,
                data={"before": sorted(before), "after": sorted(after)},
            )
    forget_roles(user)
    return user


# The fields an administrator edits on a person, compared before and after an admin save.
ADMIN_EDITED_FIELDS = (
    "email",
    "full_name",
    "preferred_language",
    "org_unit_id",
    "employee_number",
    "is_active",
    "password",
)
# Fields whose old and new values go into the audit log; the others are personal data, so
# only their names are recorded.
_AUDITED_VALUES = ("org_unit_id", "is_active", "preferred_language")


def user_save_by_admin(*, actor: User, user: User, roles: Iterable[Role], creating: bool) -> User:
    """Store an administrator's edit of a person (the fields as the admin form set them) and
    their roles, and record which fields changed in the audit log: values for the unit, the
    active flag and the language, names only for personal data and the password. A new email
    address replaces the person's sign-in addresses, so the old one no longer signs in."""
    with transaction.atomic():
        if creating:
            user.save()
            changed = [f for f in ADMIN_EDITED_FIELDS if getattr(user, f) not in ("", None)]
            data = {"fields": sorted(changed)}
            action = "user.create"
        else:
            stored = User.objects.select_for_update().get(pk=user.pk)
            changed = [f for f in ADMIN_EDITED_FIELDS if getattr(stored, f) != getattr(user, f)]
            if changed:
                names = [f.removesuffix("_id") for f in changed]
                user.save(update_fields=names)
            if "email" in changed:
                # allauth signs people in by their EmailAddress rows: the old address must stop
                # working, and the address the administrator set is taken as confirmed.
                EmailAddress.objects.filter(user=user).delete()
                EmailAddress.objects.create(
                    user=user, email=user.email, primary=True, verified=True
                )
            data = {"fields": sorted(f.removesuffix("_id") for f in changed)}
            for name in _AUDITED_VALUES:
                if name in changed:
                    data[name.removesuffix("_id")] = [getattr(stored, name), getattr(user, name)]
            action = "user.update"
        if creating or changed:
            audit_record(actor=actor, action=action, target=user, data=data)
        user_set_roles(user=user, roles=roles, actor=actor)
    return user


def user_record_password_set_by_admin(*, actor: User, user: User) -> None:
    """Django's admin sets the password in its own view; this records that it did."""
    audit_record(actor=actor, action="user.password_set", target=user, data={})


def user_create(
    *,
    email: str,
    full_name: str,
    password: str | None = None,
    org_unit: OrgUnit | None = None,
    roles: Iterable[Role] = (Role.LEARNER,),
    preferred_language: str = "en",
    employee_number: str = "",
    email_verified: bool = False,
) -> User:
    """Create a person with roles; ``email_verified`` records the address as already confirmed."""
    with transaction.atomic():
        user = User.objects.create_user(
            email=email,
            password=password,
            full_name=full_name,
            org_unit=org_unit,
            preferred_language=preferred_language,
            employee_number=employee_number,
        )
        if email_verified:
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        user_set_roles(user=user, roles=roles)
    return user


def user_complete_signup(*, user: User, full_name: str, preferred_language: str) -> User:
    """A self-registered person becomes a learner with the name and language they gave."""
    user.full_name = full_name.strip()
    user.preferred_language = preferred_language
    user.save(update_fields=["full_name", "preferred_language"])
    user_set_roles(user=user, roles=[Role.LEARNER])
    return user


def user_update_profile(*, user: User, full_name: str, preferred_language: str) -> User:
    user.full_name = full_name.strip()
    user.preferred_language = preferred_language
    user.save(update_fields=["full_name", "preferred_language"])
    return user


def user_set_preferred_language(*, user: User, language: str) -> None:
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


class ErasureError(Exception):
    """The erasure was refused; the message is for the administrator."""


PERSONAL_DATA_FORMAT = "lms-personal-data/1"


def personal_data_export(*, user: User) -> dict:
    """Everything the LMS holds about ``user``, one section per registered app, as JSON-ready
    values. The download is recorded in the audit log."""
    data = {"format": PERSONAL_DATA_FORMAT, "exported_at": timezone.now().isoformat()}
    for section in registered_sections():
        data[section.key] = section.export(user)
    with transaction.atomic():
        audit_record(
            actor=user,
            action="person.export",
            target=user,
            data={"sections": [s.key for s in registered_sections()]},
        )
    return data


def _end_sessions(user: User) -> int:
    """Delete every session signed in as ``user`` (through the session engine, so a cached
    copy goes too). Sessions are decoded one by one: an erasure is rare, the table is not."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500):
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended


def user_erase(*, actor: User, user: User) -> User:
    """Erase a person: the name, email address and employee number are replaced with a
    pseudonym that nothing links back, the password made unusable and the account closed;
    sessions, sign-in email addresses, single sign-on accounts and authenticators are deleted;
    each registered app erases what it holds beyond statistics. Enrolments, progress, attempts
    and the audit log stay, pointing at the pseudonym. It cannot be undone and is audited."""
    if actor.pk == user.pk:
        raise ErasureError(_("You cannot erase your own account."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.erased_at is not None:
            raise ErasureError(_("This person has already been erased."))
        pseudonym = f"erased-{secrets.token_hex(8)}"
        locked.full_name = pseudonym
        locked.email = f"{pseudonym}@erased.invalid"
        locked.employee_number = ""
        locked.set_unusable_password()
        locked.is_active = False
        locked.last_login = None
        locked.erased_at = timezone.now()
        locked.groups.clear()
        locked.is_staff = locked.is_superuser = locked.has_privileged_role = False
        locked.save(
            update_fields=[
                "full_name",
                "email",
                "employee_number",
                "password",
                "is_active",
                "last_login",
                "erased_at",
                "is_staff",
                "is_superuser",
                "has_privileged_role",
            ]
        )
        EmailAddress.objects.filter(user=locked).delete()
        SocialAccount.objects.filter(user=locked).delete()
        Authenticator.objects.filter(user=locked).delete()
        erased_sections = []
        for section in registered_sections():
            if section.erase is not None:
                section.erase(locked)
                erased_sections.append(section.key)
        sessions = _end_sessions(locked)
        audit_record(
            actor=actor,
            action="person.erase",
            target=locked,
            data={"sections": erased_sections, "sessions_ended": sessions},
        )
    forget_roles(user)
    user.refresh_from_db()
    return user


def user_set_time_zone(*, user: User, time_zone: str) -> User:
    """Set the zone used for the person's sending window and dates; empty means the site's."""
    from .models import validate_time_zone

    validate_time_zone(time_zone)
    if user.time_zone != time_zone:
        user.time_zone = time_zone
        user.save(update_fields=["time_zone"])
    return user
