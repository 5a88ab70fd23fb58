"""Email backends for tests: a relay that refuses some addresses, and one that is down."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class RefusingBackend(LocmemBackend):
    """Refuses any address containing "reject", as a relay answering 550 would."""

    def send_messages(self, messages):
        for message in messages:
            refused = [a for a in message.to if "reject" in a]
            if refused:
                raise smtplib.SMTPRecipientsRefused({a: (550, b"No such user") for a in refused})
        return super().send_messages(messages)


class DownBackend(LocmemBackend):
    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, messages):
        self.open()
