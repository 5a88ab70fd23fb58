import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.text == "ok"


def test_language_switch_sets_cookie_and_remembers_preference(learner_client, learner):
    response = learner_client.post(
        reverse("set_language"), {"language": "ko", "next": reverse("courses:catalogue")}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ko"
    learner.refresh_from_db()
    assert learner.preferred_language == "ko"
    page = learner_client.get(reverse("courses:catalogue"))
    assert '<html lang="ko" dir="ltr">' in page.text


def test_unknown_language_changes_nothing(learner_client, learner):
    learner_client.post(reverse("set_language"), {"language": "xx"})
    learner.refresh_from_db()
    assert learner.preferred_language == "en"


def test_preferred_language_applies_on_a_new_device(client, learner):
    learner.preferred_language = "sr"
    learner.save(update_fields=["preferred_language"])
    client.force_login(learner)
    page = client.get(reverse("courses:catalogue"))
    assert '<html lang="sr" dir="ltr">' in page.text


def test_profile_edit(learner_client, learner):
    response = learner_client.post(
        reverse("profile"), {"full_name": "  오현목  ", "preferred_language": "ko"}
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.full_name == "오현목"
    assert learner.preferred_language == "ko"


def test_profile_bad_input_rerenders_with_errors_and_changes_nothing(learner_client, learner):
    response = learner_client.post(
        reverse("profile"), {"full_name": "   ", "preferred_language": "klingon"}
    )
    assert response.status_code == 200
    assert "errorlist" in response.text
    learner.refresh_from_db()
    assert learner.full_name == "Ђорђе Љубић"
    assert learner.preferred_language == "en"


def test_profile_needs_sign_in(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302


@pytest.mark.parametrize("name", ["Ana\x00", "Ana\x1b[2J", "Ana\u0007Petrović"])
def test_a_name_with_control_characters_is_refused_at_the_field(client, name):
    user = UserFactory(full_name="Ana Petrović")
    client.force_login(user)

    response = client.post(reverse("profile"), {"full_name": name, "preferred_language": "en"})

    assert response.status_code == 200
    assert "control characters" in response.text or "Null characters" in response.text
    user.refresh_from_db()
    assert user.full_name == "Ana Petrović"
