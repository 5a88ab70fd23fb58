from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from . import permissions
from .models import BackgroundJob, JobStatus


def _job_or_404(request, public_id) -> BackgroundJob:
    job = BackgroundJob.objects.filter(public_id=public_id).first()
    if job is None or not permissions.can_view_job(request.user, job):
        raise Http404
    return job


def _state(job: BackgroundJob) -> dict:
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        "total": job.total,
        "percent": job.percent,
        "finished": job.is_finished,
        "download_url": reverse("jobs:download", args=[job.public_id])
        if job.status == JobStatus.DONE and job.result
        else None,
        "error": bool(job.error),
    }


@login_required
def job_detail(request, public_id):
    job = _job_or_404(request, public_id)
    return render(request, "jobs/job_detail.html", {"job": job, "state": _state(job)})


@login_required
def job_status(request, public_id):
    job = _job_or_404(request, public_id)
    return JsonResponse(_state(job), headers={"Cache-Control": "no-store"})


@login_required
def job_download(request, public_id):
    job = _job_or_404(request, public_id)
    if job.status != JobStatus.DONE or not job.result:
        raise Http404
    name = job.result.name.rsplit("/", 1)[-1]
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=name)
