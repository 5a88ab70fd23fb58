"""Writes to accounts and organisation units. Every privileged change goes through here."""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction

from .models import PATH_STEP, OrgUnit, User
from .permissions import forget_roles
from .roles import PRIVILEGED_ROLES, Role


def _path_for(unit: OrgUnit) -> str:
    prefix = unit.parent.path if unit.parent_id else ""
    return f"{prefix}{unit.pk:0{PATH_STEP}d}."


def org_unit_create(*, name: str, code: str, parent: OrgUnit | None = None) -> OrgUnit:
    """Create a unit below ``parent`` (or a new organisation when there is none)."""
    with transaction.atomic():
        # The path holds the unit's own id, so it is written after the row exists.
        unit = OrgUnit(name=name, code=code, parent=parent, path=f"new:{code}")
        unit.save()
        unit.path = _path_for(unit)
        unit.depth = parent.depth + 1 if parent else 0
        unit.save(update_fields=["path", "depth"])
    return unit


def org_unit_update(*, unit: OrgUnit, name: str, code: str, parent: OrgUnit | None) -> OrgUnit:
    """Rename or move a unit. A unit cannot move below itself; moving it re-roots its subtree
    and the organisation of every member in it. Paths are read from the database under a lock,
    so unit objects loaded before another move cannot corrupt the tree."""
    with transaction.atomic():
        current = OrgUnit.objects.select_for_update().get(pk=unit.pk)
        new_parent = None
        if parent is not None:
            new_parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)
            if new_parent.is_within(current):
                raise ValueError("A unit cannot be moved below itself.")
        old_path, old_depth = current.path, current.depth
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
    unit.refresh_from_db()
    return unit


def user_set_roles(*, user: User, roles: Iterable[Role]) -> User:
    """Give ``user`` exactly these roles. Administrators may open the admin site."""
    roles = {Role(r) for r in roles}
    with transaction.atomic():
        groups = [Group.objects.get_or_create(name=role.value)[0] for role in roles]
        user.groups.set(groups)
        is_admin = Role.ADMINISTRATOR in roles
        user.is_staff = is_admin
        user.is_superuser = is_admin
        user.has_privileged_role = bool(roles & PRIVILEGED_ROLES)
        user.save(update_fields=["is_staff", "is_superuser", "has_privileged_role"])
    forget_roles(user)
    return user


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
    from allauth.account.models import EmailAddress

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


def user_set_time_zone(*, user: User, time_zone: str) -> User:
    """Set the zone used for the person's sending window and dates; empty means the site's."""
    from .models import validate_time_zone

    validate_time_zone(time_zone)
    if user.time_zone != time_zone:
        user.time_zone = time_zone
        user.save(update_fields=["time_zone"])
    return user
