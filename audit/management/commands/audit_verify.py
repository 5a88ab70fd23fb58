from django.core.management.base import BaseCommand, CommandError

from audit.selectors import audit_chain_verify


def _anchor(value: str) -> tuple[int, str]:
    seq, _sep, digest = value.partition(":")
    if not (seq.isascii() and seq.isdecimal()) or len(digest) != 64:
        raise CommandError("--anchor takes NUMBER:HASH, as printed by an earlier run.")
    return int(seq), digest.lower()


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain and report the first changed, inserted or deleted "
        "event. Exits with status 1 when the chain is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            help="NUMBER:HASH of an event recorded earlier; also catches events cut from the end.",
        )

    def handle(self, *args, **options):
        anchor = _anchor(options["anchor"]) if options["anchor"] else None
        report = audit_chain_verify(anchor=anchor)
        if report.problem is not None:
            raise CommandError(
                f"Audit chain broken at event #{report.problem.seq}: {report.problem.message}."
            )
        if report.head_seq is None:
            self.stdout.write("Audit chain intact: no events yet.")
        else:
            self.stdout.write(
                f"Audit chain intact: {report.events} events; "
                f"head {report.head_seq}:{report.head_hash}"
            )
