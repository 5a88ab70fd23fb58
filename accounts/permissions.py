"""Who may see whom: roles and the HR officer's unit scope.

Pure predicates and one queryset helper; views, tasks, exports and the admin all call these.
"""

from django.contrib.auth.models import AnonymousUser, Group
from django.db.models import Exists, QuerySet

from lms.prepared import prepared

from .models import User
from .roles import PRIVILEGED_ROLES, Role

_ROLE_CACHE_ATTR = "_lms_role_names"


# Read on every page a trainer, an HR officer or an administrator opens: compiled once per
# process (building and compiling the join cost more than sending it).
@prepared("user_id")
def _role_names(*, user_id: int) -> QuerySet[Group]:
    return Group.objects.filter(user=user_id).values_list("name", flat=True)


def _totp_authenticator(user_id) -> QuerySet:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user_id, type=Authenticator.Type.TOTP)


@prepared("user_id")
def _totp_of(*, user_id: int) -> QuerySet:
    """The user's TOTP authenticator (its id), if there is one."""
    return _totp_authenticator(user_id).order_by().values_list("pk", flat=True)[:1]


# The MFA gate and the role checks both read on every page a privileged user opens: one
# statement for the two (a round trip less on each of those pages).
@prepared("user_id")
def _role_names_with_totp(*, user_id: int) -> QuerySet[Group]:
    totp = Exists(_totp_authenticator(user_id))
    return Group.objects.filter(user=user_id).annotate(totp=totp).values_list("name", "totp")


def _remember_roles(user: User, names) -> frozenset[str]:
    roles = frozenset(names)
    if user.is_superuser:
        roles |= {Role.ADMINISTRATOR}
    setattr(user, _ROLE_CACHE_ATTR, roles)
    return roles


def user_roles(user: User | AnonymousUser) -> frozenset[str]:
    """The role names of ``user``, read once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, _ROLE_CACHE_ATTR, None)
    if cached is None:
        cached = _remember_roles(user, _role_names.run(user_id=user.pk))
    return cached


def has_totp(user: User) -> bool:
    """Whether ``user`` has set up an authenticator app (TOTP). When the user's roles have not
    been read yet, they come in the same statement and are kept as ``user_roles`` keeps them."""
    if getattr(user, _ROLE_CACHE_ATTR, None) is None:
        rows = _role_names_with_totp.run(user_id=user.pk)
        if rows:
            _remember_roles(user, (name for name, _totp in rows))
            return rows[0][1]
    return bool(_totp_of.run(user_id=user.pk))


def forget_roles(user: User) -> None:
    """Drop the cached role names after the user's groups changed."""
    if hasattr(user, _ROLE_CACHE_ATTR):
        delattr(user, _ROLE_CACHE_ATTR)


def has_role(user, role: Role) -> bool:
    return role in user_roles(user)


def is_administrator(user) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def is_trainer(user) -> bool:
    return has_role(user, Role.TRAINER)


def is_hr_officer(user) -> bool:
    return has_role(user, Role.HR_OFFICER)


def is_privileged(user) -> bool:
    return bool(user_roles(user) & PRIVILEGED_ROLES)


def people_in_scope(user) -> QuerySet[User]:
    """The people ``user`` may see: everyone for an administrator, the unit subtree for an HR
    officer (never a sibling unit), and only themselves for anybody else."""
    if not user.is_authenticated:
        return User.objects.none()
    if is_administrator(user):
        return User.objects.all()
    if is_hr_officer(user) and user.org_unit_id is not None:
        return User.objects.filter(org_unit__path__startswith=user.org_unit.path)
    return User.objects.filter(pk=user.pk)


def can_view_person(user, person: User) -> bool:
    if not user.is_authenticated:
        return False
    if user.pk == person.pk or is_administrator(user):
        return True
    if is_hr_officer(user) and user.org_unit_id is not None and person.org_unit_id is not None:
        return person.org_unit.is_within(user.org_unit)
    return False


def can_open_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff
