"""Simulated learners for the load test (bench/load_test.py runs this with Locust, headless).

Each simulated learner is one of the bench database's learners (bench/load_quizzes.py wrote
who they are to the file named by LMS_LOAD_PEOPLE). It signs in through the real sign-in form
(allauth, with the production password hasher), then, with a think time of 1 to 3 seconds
between steps, browses the catalogue, opens its course, reads lessons, marks them done, and
takes and submits the course's quiz. Requests are named per page, so Locust reports each page
on its own line.
"""

import itertools
import json
import os
import random
import re
import threading
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

from locust import HttpUser, between, task

_PEOPLE = json.loads(Path(os.environ["LMS_LOAD_PEOPLE"]).read_text(encoding="utf-8"))
_NEXT = itertools.count()
_NEXT_LOCK = threading.Lock()

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_ATTEMPT = re.compile(r"/attempts/(\d+)/$")
_CHOICE = re.compile(r'<input type="radio" name="(q-\d+)" value="(\d+)"')


def _send_secure_cookies_over_http(policy, cookie, request) -> bool:
    return True


# Production cookies are Secure (HTTPS only); the load test talks plain HTTP to gunicorn on
# loopback, as a TLS-terminating proxy would, so the cookie jar must send them anyway. requests
# builds a fresh jar for every request, so the policy is changed for the class, in this process.
DefaultCookiePolicy.return_ok_secure = _send_secure_cookies_over_http


class Learner(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        with _NEXT_LOCK:
            number = next(_NEXT)
        self.person = _PEOPLE["learners"][number % len(_PEOPLE["learners"])]
        # Each learner has their own address, as the proxy in front of gunicorn reports it
        # (the server runs with LMS_TRUSTED_PROXY_COUNT=1); otherwise allauth's per-address
        # sign-in limit (30 a minute) would treat 200 learners as one visitor.
        self.client.headers["X-Forwarded-For"] = (
            f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        )
        self.lesson_index = 0
        page = self.client.get("/accounts/login/", name="sign-in form")
        self.client.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": self._csrf(page.text),
                "login": self.person["email"],
                "password": _PEOPLE["password"],
            },
            name="sign in",
        )

    def _csrf(self, html: str) -> str:
        match = _CSRF.search(html)
        return match.group(1) if match else ""

    def _course_url(self) -> str:
        return f"/courses/{self.person['course']}/"

    @task(3)
    def browse_catalogue(self):
        self.client.get("/courses/", name="catalogue")
        choice = random.random()
        if choice < 0.3:
            self.client.get(f"/courses/?q={_PEOPLE['search_word']}", name="catalogue search")
        elif choice < 0.5:
            self.client.get(f"/courses/?page={random.randint(2, 10)}", name="catalogue page n")

    @task(2)
    def open_course(self):
        self.client.get(self._course_url(), name="course")
        self.client.get("/courses/my/", name="my learning")

    @task(4)
    def read_lesson(self):
        lessons = self.person["lessons"]
        lesson = lessons[self.lesson_index % len(lessons)]
        url = f"{self._course_url()}lessons/{lesson}/"
        page = self.client.get(url, name="lesson")
        if random.random() < 0.5:
            following = lessons[(self.lesson_index + 1) % len(lessons)]
            self.client.post(
                f"{url}done/",
                {"csrfmiddlewaretoken": self._csrf(page.text), "next": str(following)},
                name="mark done",
            )
            self.lesson_index += 1

    @task(1)
    def take_quiz(self):
        quiz_url = f"{self._course_url()}quizzes/{self.person['quiz']}/"
        detail = self.client.get(quiz_url, name="quiz")
        started = self.client.post(
            f"{quiz_url}start/",
            {"csrfmiddlewaretoken": self._csrf(detail.text)},
            name="quiz start",
            allow_redirects=False,
        )
        match = _ATTEMPT.search(started.headers.get("Location", ""))
        if match is None:
            return
        attempt_url = f"{quiz_url}attempts/{match.group(1)}/"
        paper = self.client.get(attempt_url, name="quiz paper")
        answers = {}
        for field, value in _CHOICE.findall(paper.text):
            if field not in answers or random.random() < 0.3:
                answers[field] = value
        self.client.post(
            attempt_url,
            {"csrfmiddlewaretoken": self._csrf(paper.text), "action": "submit", **answers},
            name="quiz submit",
        )
