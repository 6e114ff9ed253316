"""Build (or bring up to date) the demo county of the seed; safe to run again."""

import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.db import transaction

# Each step is a module with build(*, stdout) -> None; a step whose module does not
# exist yet is skipped, so later features plug their demo data in here.
DEMO_STEPS = [
    "lms.people.demo",
    "courses.demo",
    "lms.accounts.demo",
    "lms.people.demo_sign_in",
    "lms.classes.demo",
    "lms.classes.demo_leave",
    "lms.evaluations.demo",
    "lms.quizzes.demo",
    "lms.videos.demo",
    "lms.trips.demo",
    "lms.budget.demo",
    "lms.certificates.demo",
    "lms.notifications.demo",
]


class Command(BaseCommand):
    help = "Build the demo county (townships, villages, cadres, stations, courses, accounts)."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", help="run only these steps (module paths)")

    def handle(self, *args, **options):
        steps = options.get("only") or DEMO_STEPS
        for dotted in steps:
            if importlib.util.find_spec(dotted) is None:
                continue
            module = importlib.import_module(dotted)
            with transaction.atomic():
                module.build(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("demo county ready"))
