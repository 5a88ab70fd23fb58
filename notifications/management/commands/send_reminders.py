"""``manage.py send_reminders``: the beat sweep, by hand, for operators without beat."""

from django.core.management.base import BaseCommand, CommandError

from notifications.kinds import Kind
from notifications.services import notifications_sweep


class Command(BaseCommand):
    help = (
        "Find the reminders due now, record each once and send them (in batches, through the "
        "task queue when one is configured). --dry-run lists what would be sent and changes "
        "nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; change nothing."
        )
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            metavar="KIND",
            help=f"Only this kind (repeatable): {', '.join(Kind.values)}.",
        )

    def handle(self, *args, dry_run: bool = False, kinds=None, **options):
        if kinds:
            unknown = sorted(set(kinds) - set(Kind.values))
            if unknown:
                raise CommandError(f"Unknown kind: {', '.join(unknown)}")
        result = notifications_sweep(kinds=kinds, dry_run=dry_run)
        if dry_run:
            for email, kind, period, summary in result.planned:
                self.stdout.write(f"{email}\t{kind}\t{period}\t{summary}")
            self.stdout.write(
                self.style.SUCCESS(
                    f"Dry run: {len(result.planned)} notifications to {result.recipients} "
                    f"people would be sent; {result.outside_window} wait for the sending "
                    f"window; {result.opted_out} are turned off. Nothing was changed."
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.inserted} new notifications recorded ({result.opted_out} turned off), "
                f"{result.outside_window} waiting for the sending window, {result.recipients} "
                f"people queued in {result.batches} batches."
            )
        )
