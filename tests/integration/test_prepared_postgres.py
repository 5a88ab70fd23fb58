"""The compiled-once statements (``lms.prepared``) on PostgreSQL: the tests of
``tests/test_prepared.py`` again, and the locking read's own, which need row locks."""

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError

from quizzes import selectors as quiz_selectors
from tests.test_prepared import *  # noqa: F403 (every test of that module, run on PostgreSQL)
from tests.test_prepared import learner_attempt_case


def test_the_locking_read_takes_both_rows_locks():
    with transaction.atomic():
        compiled = quiz_selectors._learner_attempt_locked._compile()
    assert compiled.locks
    assert 'FOR UPDATE OF "courses_enrollment", "quizzes_attempt"' in compiled.sql


@pytest.mark.django_db(transaction=True)
def test_the_locking_read_refuses_to_run_outside_a_transaction(learner):
    """As the queryset would: a lock taken outside a transaction would end with the read."""
    course, quiz, _enrollment, attempt = learner_attempt_case(learner)
    with pytest.raises(TransactionManagementError):
        quiz_selectors._learner_attempt_locked.run(
            attempt_id=attempt.pk, quiz_id=quiz.pk, course_id=course.pk, user_id=learner.pk
        )
