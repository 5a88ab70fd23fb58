"""Certificate issuing throughput: 1,000 certificates through a real Celery worker on Redis and
PostgreSQL, next to the pure renderer alone in the same run (the floor).

1. Drops and creates the database lms_bench_cert (BENCH_CERT_DATABASE_URL; the name must
   contain "bench") and migrates it; empties the Redis database BENCH_CERT_REDIS_URL
   (default redis://127.0.0.1:6379/2). Media go to bench/results/cert-media/.
2. Floor: ``certificates.rendering.render_certificate`` on a full certificate (embedded font
   subset, logo, two signatories with signature images, QR code) in this process, 300 times:
   median and 95th percentile.
3. Data: one course with a template (logo, two signature images), 1,020 learners with names in
   Cyrillic, Latin with diacritics and Hangul, their completed enrollments and pending
   certificates, written with bulk_create (the web side of a completion is not what is timed).
4. One worker process (``celery worker --pool=solo -Q certificates``, the production command
   with one process). 20 certificates warm it up; then its resident memory is read, the 1,000
   are queued and the clock runs until the last is issued. Memory growth is VmRSS after minus
   before; peak is VmHWM.

Usage: ``.venv/bin/python bench/cert_bench.py [--count 1000]``. Figures go to bench/README.md
and bench/results/cert_bench.json.
"""

import argparse
import io
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run_bench import BenchError, machine, reset_database, reset_redis  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_CERT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench_cert"
)
REDIS_URL = os.environ.get("BENCH_CERT_REDIS_URL", "redis://127.0.0.1:6379/2")
MEDIA = RESULTS / "cert-media"
NAMES = ["Бранко Ружић", "Đorđe Čačak", "오현목", "Љиљана Ђукић", "Snežana Šćekić", "김민지"]
WARM_UP = 20


def png(size=(240, 120), colour=(20, 60, 120)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, size[0] - 10, size[1] - 10), outline=colour, width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def setup_django() -> None:
    os.environ.update(
        {
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": REDIS_URL,
            "DJANGO_MEDIA_ROOT": str(MEDIA),
            "LMS_SITE_URL": "https://lms.example.gov",
            "DJANGO_SETTINGS_MODULE": "lms.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def floor(rounds: int) -> dict:
    """The pure renderer on a full certificate, in this process."""
    from certificates import rendering

    data = rendering.CertificateData(
        holder_name="Бранко Ружић",
        course_title="Управљање дигиталним документима",
        hours="12",
        completed_on="1. децембар 2026.",
        expires_on="1. децембар 2028.",
        serial="LMS-2026-000123",
        verify_url="https://lms.example.gov/v/ABCDEFGHJKMNPQ/",
        organisation="Канцеларија за информационе технологије",
        labels=rendering.Labels(
            "Сертификат о завршеној обуци",
            "Овим се потврђује да је",
            "успешно завршио/ла обуку",
            "Часова",
            "Датум",
            "Серијски број",
            "Проверите на",
            "Важи до",
        ),
        signatories=(
            rendering.Signatory("Ана Јовић", "Директорка", png()),
            rendering.Signatory("오현목", "Head of training", png(colour=(120, 30, 30))),
        ),
        logo=png((300, 300), (176, 141, 46)),
    )
    rendering.render_certificate(data)  # font registration, outside the timing
    timings, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        rendering.render_certificate(data)
        timings.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    timings.sort()
    return {
        "rounds": rounds,
        "median_ms": round(statistics.median(timings) * 1000, 2),
        "p95_ms": round(timings[int(0.95 * len(timings)) - 1] * 1000, 2),
        "cpu_mean_ms": round(statistics.fmean(cpu) * 1000, 2),
        "font_registrations": rendering.font_registrations,
    }


def load(count: int) -> list[int]:
    """Learners, completed enrollments and pending certificates; returns certificate ids."""
    from django.contrib.auth.hashers import make_password
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from accounts.models import User
    from certificates.models import (
        Certificate,
        CertificateTemplate,
        CourseCertificateSettings,
    )
    from certificates.services import new_verification_code
    from courses.models import Course, CourseStatus, Enrollment, EnrollmentStatus

    course = Course.objects.create(
        slug="bench-certificates",
        title="Управљање дигиталним документима",
        language="sr",
        status=CourseStatus.PUBLISHED,
        estimated_hours=12,
        validity_months=24,
    )
    template = CertificateTemplate.objects.create(
        name="Bench",
        organisation="Канцеларија за информационе технологије",
        signatory1_name="Ана Јовић",
        signatory1_title="Директорка",
        signatory2_name="오현목",
        signatory2_title="Head of training",
    )
    template.logo.save("logo.png", ContentFile(png((300, 300), (176, 141, 46))), save=False)
    template.signatory1_image.save("sig1.png", ContentFile(png()), save=False)
    template.signatory2_image.save("sig2.png", ContentFile(png(colour=(120, 30, 30))), save=False)
    template.save()
    CourseCertificateSettings.objects.create(course=course, template=template)

    password = make_password(secrets.token_urlsafe(16))
    languages = ["sr", "sr-latn", "ko", "en"]
    users = User.objects.bulk_create(
        User(
            email=f"bench{index}@example.gov",
            full_name=f"{NAMES[index % len(NAMES)]} {index}",
            preferred_language=languages[index % len(languages)],
            password=password,
        )
        for index in range(count)
    )
    now = timezone.now()
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(user=user, course=course, status=EnrollmentStatus.COMPLETED, completed_at=now)
        for user in users
    )
    certificates = Certificate.objects.bulk_create(
        Certificate(
            enrollment=enrollment,
            cycle=1,
            template=template,
            code=new_verification_code(),
            serial=f"LMS-{now.year}-{index + 1:06d}",
            completed_on=timezone.localdate(now),
            expires_at=now.replace(year=now.year + 2),
        )
        for index, enrollment in enumerate(enrollments)
    )
    return [certificate.pk for certificate in certificates]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def memory(pid: int) -> dict:
    status = Path(f"/proc/{pid}/status").read_text()
    found = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.MULTILINE))
    return {key: int(value) / 1024 for key, value in found.items()}


def start_worker(log_path: Path) -> subprocess.Popen:
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lms",
            "worker",
            "--pool=solo",
            "--loglevel=warning",
            "-Q",
            "certificates",
            "-n",
            "bench@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            *os.environ.get("BENCH_CERT_WORKER_ARGS", "").split(),
        ],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process


def wait_issued(ids: list[int], process: subprocess.Popen, timeout: float) -> float:
    from certificates.models import Certificate, CertificateStatus

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = Certificate.objects.filter(pk__in=ids, status=CertificateStatus.ISSUED).count()
        if done == len(ids):
            return time.monotonic()
        if process.poll() is not None:
            raise BenchError("the worker exited; see bench/results/cert-worker.log")
        time.sleep(0.05)
    raise BenchError(f"only {done} of {len(ids)} certificates issued in {timeout} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--floor-rounds", type=int, default=300)
    args = parser.parse_args()

    RESULTS.mkdir(exist_ok=True)
    if MEDIA.exists():
        import shutil

        shutil.rmtree(MEDIA)
    reset_database(DATABASE_URL)
    reset_redis(REDIS_URL)
    setup_django()

    bare = floor(args.floor_rounds)
    print(f"pure renderer: median {bare['median_ms']} ms, p95 {bare['p95_ms']} ms", flush=True)

    ids = load(args.count + WARM_UP)
    warm, measured = ids[:WARM_UP], ids[WARM_UP:]
    from certificates.models import Certificate
    from certificates.tasks import render_certificate

    process = start_worker(RESULTS / "cert-worker.log")
    try:
        for certificate_id in warm:
            render_certificate.delay(certificate_id)
        wait_issued(warm, process, timeout=120)
        before = memory(process.pid)
        cpu_before = cpu_seconds(process.pid)
        load_before = load_average()

        start = time.monotonic()
        for certificate_id in measured:
            render_certificate.delay(certificate_id)
        end = wait_issued(measured, process, timeout=1200)
        after = memory(process.pid)
        worker_cpu = cpu_seconds(process.pid) - cpu_before
        load_after = load_average()
    finally:
        process.terminate()
        process.wait(timeout=30)

    elapsed = end - start
    issued = Certificate.objects.filter(pk__in=measured).values_list("issued_at", flat=True)
    worker_span = (max(issued) - min(issued)).total_seconds()
    per_second = args.count / elapsed
    per_certificate_ms = 1000 * elapsed / args.count
    result = {
        "machine": machine(),
        "count": args.count,
        "floor": bare,
        "end_to_end": {
            "seconds": round(elapsed, 2),
            "certificates_per_second": round(per_second, 1),
            "ms_per_certificate": round(per_certificate_ms, 2),
            "ratio_to_bare_median": round(per_certificate_ms / bare["median_ms"], 2),
            "first_to_last_issued_s": round(worker_span, 2),
            "worker_cpu_ms_per_certificate": round(1000 * worker_cpu / args.count, 2),
            "worker_cpu_ratio_to_bare_cpu": round(
                1000 * worker_cpu / args.count / bare["cpu_mean_ms"], 2
            ),
        },
        # Other processes share this machine; above its CPU count, wall times stretch.
        "load_average": {"before": load_before, "after": load_after},
        "worker_memory_mb": {
            "rss_before": round(before["VmRSS"], 1),
            "rss_after": round(after["VmRSS"], 1),
            "growth": round(after["VmRSS"] - before["VmRSS"], 1),
            "peak": round(after["VmHWM"], 1),
        },
    }
    (RESULTS / "cert_bench.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        sys.exit(f"cert_bench: {error}")
