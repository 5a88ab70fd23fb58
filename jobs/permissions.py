from accounts.permissions import is_administrator

from .models import BackgroundJob


def can_view_job(user, job: BackgroundJob) -> bool:
    """The person who asked for the job, and administrators."""
    return user.is_authenticated and (job.requester_id == user.pk or is_administrator(user))
