"""Who may see and change certificates. Views, tasks, bulk jobs and the admin call these."""

from accounts.permissions import can_view_person, is_administrator, is_hr_officer
from courses.permissions import is_course_trainer

from .models import Certificate


def can_view_certificate(user, certificate: Certificate) -> bool:
    """The holder, administrators, HR officers whose unit subtree holds the holder, and the
    course's trainers."""
    if not user.is_authenticated:
        return False
    enrollment = certificate.enrollment
    if enrollment.user_id == user.pk or is_administrator(user):
        return True
    if is_hr_officer(user) and can_view_person(user, enrollment.user):
        return True
    return is_course_trainer(user, enrollment.course)


def can_revoke_certificate(user) -> bool:
    return is_administrator(user)


def can_reissue_certificate(user) -> bool:
    return is_administrator(user)


def can_choose_template(user, course) -> bool:
    return is_administrator(user) or is_course_trainer(user, course)


def can_rerender_course(user) -> bool:
    return is_administrator(user)


def can_list_course_certificates(user, course) -> bool:
    """Administrators, the course's trainers and HR officers (who see their subtree only)."""
    return is_administrator(user) or is_hr_officer(user) or is_course_trainer(user, course)


def can_preview_templates(user) -> bool:
    from accounts.permissions import is_trainer

    return is_administrator(user) or is_trainer(user)
