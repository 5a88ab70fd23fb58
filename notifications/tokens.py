"""Signed unsubscribe tokens: who and which kinds, no sign-in needed, expiring."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from .kinds import Kind, is_mandatory

SALT = "notifications.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    kinds: tuple[str, ...]


class InvalidToken(Exception):
    """The token was altered, is too old, or names nothing that can be turned off."""


def make_token(*, user_id: int, kinds) -> str:
    return signing.dumps({"u": user_id, "k": sorted(set(kinds))}, salt=SALT, compress=True)


def read_token(token: str) -> Unsubscribe:
    max_age = settings.NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS * 86400
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature too
        raise InvalidToken from exc
    try:
        user_id = int(data["u"])
        kinds = tuple(str(k) for k in data["k"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidToken from exc
    valid = set(Kind.values)
    if not kinds or any(k not in valid or is_mandatory(k) for k in kinds):
        raise InvalidToken
    return Unsubscribe(user_id=user_id, kinds=kinds)
