"""Who may open the HR pages and which enrollments, people and units each person sees.

HR officers see their unit and every unit below it, never a sibling; trainers see the
enrollments of the courses they teach; administrators see everything. Out-of-scope objects
answer 404 in the views, so their existence is not revealed.
"""

from django.db.models import BooleanField, Expression, F, Q, QuerySet, Subquery

from accounts.cache import units_version
from accounts.models import OrgUnit, User
from accounts.permissions import (
    can_view_person,
    is_administrator,
    is_hr_officer,
    is_trainer,
    people_in_scope,
    user_roles,
)
from courses.models import Course, CourseStatus, Enrollment, EnrollmentStatus


def _is_scoped_hr(user) -> bool:
    return is_hr_officer(user) and user.org_unit_id is not None


def can_open_reports(user) -> bool:
    """The completion report, dashboard and exports: HR officers with a unit, trainers and
    administrators."""
    if not user.is_authenticated:
        return False
    return is_administrator(user) or _is_scoped_hr(user) or is_trainer(user)


def can_assign(user) -> bool:
    """Assigning training with a due date: HR officers with a unit and administrators."""
    return user.is_authenticated and (is_administrator(user) or _is_scoped_hr(user))


def can_view_person_report(user, person: User) -> bool:
    """The per-person page: an administrator, or an HR officer for people of their subtree."""
    if not can_assign(user):
        return False
    return can_view_person(user, person)


class _UserAmong(Expression):
    """``user_id IN (people)``, written for PostgreSQL as ``user_id = ANY(ARRAY(people))``.

    The planner costs ``IN (SELECT ...)`` (or a join on the unit's path) for every user it
    cannot rule out by its statistics, and a unit's path prefix gives it none: on the bench
    data it hash-joined all 47,514 enrollments to find a unit's 574 (the report's count 22 to
    58 ms). ``ANY(ARRAY(...))`` runs the people query first, as an InitPlan, and reads their
    enrollments through the index on ``user_id`` (0.4 ms). The set of rows is the same."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, people: QuerySet):
        super().__init__(output_field=BooleanField())
        self.column = F("user_id")
        self.people = Subquery(people.order_by().values("pk"))

    def get_source_expressions(self):
        return [self.column, self.people]

    def set_source_expressions(self, exprs):
        self.column, self.people = exprs

    def as_sql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        people, people_params = compiler.compile(self.people)
        return f"{column} IN {people}", (*column_params, *people_params)

    def as_postgresql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        people, people_params = compiler.compile(self.people)
        sql, params = f"{column} = ANY(ARRAY{people})", (*column_params, *people_params)
        users = _joined_users(compiler)
        if users is not None:
            # When the statement joins the people too (the report's rows do), the same
            # condition on their side lets the planner read the few people in scope by their
            # key instead of hashing every user to join them (6.8 -> 4.3 ms on the bench data).
            qn = compiler.quote_name_unless_alias
            sql = f"({sql} AND {qn(users)}.{qn(User._meta.pk.column)} = ANY(ARRAY{people}))"
            params = (*params, *people_params)
        return sql, params


def _joined_users(compiler) -> str | None:
    """The alias of the people joined to the enrollments by their ``user`` key in the
    statement being compiled, if any. Read from the compiler's joins (a Django internal: the
    tests on PostgreSQL compare the rows with and without it)."""
    query = compiler.query
    for alias, join in query.alias_map.items():
        field = getattr(join, "join_field", None)
        if (
            getattr(join, "table_name", None) == User._meta.db_table
            and getattr(join, "parent_alias", None) == query.base_table
            and getattr(field, "model", None) is Enrollment
            and getattr(field, "name", None) == "user"
            and query.alias_refcount.get(alias)
        ):
            return alias
    return None


def enrollments_in_scope(user) -> QuerySet[Enrollment]:
    """The enrollments the report may show ``user`` (withdrawn ones are never shown)."""
    base = Enrollment.objects.exclude(status=EnrollmentStatus.WITHDRAWN)
    if not user.is_authenticated:
        return base.none()
    if is_administrator(user):
        return base
    condition = Q(pk__in=[])
    if _is_scoped_hr(user):
        # The people of the HR officer's subtree, as the one scope rule defines them.
        condition |= Q(_UserAmong(people_in_scope(user)))
    if is_trainer(user):
        # A subquery, not a join: a join on the trainers would repeat rows of co-taught courses.
        condition |= Q(course__in=Course.objects.filter(trainers=user).values("pk"))
    return base.filter(condition)


def scope_key(user, *, tree_version: int | None = None) -> tuple:
    """Everything ``enrollments_in_scope`` reads of ``user``: two users with the same key get
    the same statement, so a statement compiled for one may be sent for the other
    (``reports.selectors.completion_page``). Kept beside the rule it describes. An HR
    officer's unit enters by its id and the organisation tree's version rather than its path:
    the path changes only when a unit moves, which sets a new version, and the unit itself
    need not be read (one query less on every report page). ``tree_version``: that version
    when the caller has just read it from the cache (the report page's filter form does), so
    that it is not read a second time."""
    if not user.is_authenticated:
        return ("anonymous",)
    tree = None
    if _is_scoped_hr(user):
        tree = units_version() if tree_version is None else tree_version
    return (*reader_key(user), tree)


def reader_key(user) -> tuple:
    """``scope_key`` without the organisation tree's version: for an entry of the shared cache
    that is itself stored under that version (``reports.forms.unfiltered_filters_markup``)."""
    if not user.is_authenticated:
        return ("anonymous",)
    return (user.pk, tuple(sorted(user_roles(user))), user.org_unit_id)


def units_in_scope(user) -> QuerySet[OrgUnit]:
    """The units the unit filter offers: the subtree for an HR officer, all for others."""
    if _is_scoped_hr(user) and not is_administrator(user):
        return OrgUnit.objects.subtree(user.org_unit)
    if can_open_reports(user):
        return OrgUnit.objects.all()
    return OrgUnit.objects.none()


def courses_in_scope(user) -> QuerySet[Course]:
    """The courses the course filter offers: the courses taught for a trainer who is not also
    HR or an administrator, every course otherwise."""
    if not can_open_reports(user):
        return Course.objects.none()
    if sees_every_course(user):
        return Course.objects.all()
    return Course.objects.filter(trainers=user)


def sees_every_course(user) -> bool:
    """Whether ``courses_in_scope`` is every course (HR officers and administrators), so that
    the list may be shared between them."""
    return can_open_reports(user) and (is_administrator(user) or _is_scoped_hr(user))


def assignable_courses(user) -> QuerySet[Course]:
    if not can_assign(user):
        return Course.objects.none()
    return Course.objects.filter(status=CourseStatus.PUBLISHED)


def assignable_people(user) -> QuerySet[User]:
    """The people ``user`` may assign training to: the unit subtree (everyone for an
    administrator), active accounts only."""
    if not can_assign(user):
        return User.objects.none()
    return people_in_scope(user).filter(is_active=True)
