import getpass
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from programme.models import Organisation, StaffMembership
from programme.services import create_staff_member


class Command(BaseCommand):
    help = (
        "Create or update a staff user of one organisation in one role. The password comes "
        "from FLEMINGSBERG_STAFF_PASSWORD, or is asked for."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--organisation", required=True, help="Organisation slug, e.g. huddinge"
        )
        parser.add_argument(
            "--role", required=True, choices=[choice.value for choice in StaffMembership.Role]
        )
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="The language of the e-mail the portal sends them (default: sv).",
        )

    def handle(self, *args, username, organisation, role, email, language=None, **options):
        if Organisation._meta.db_table not in connection.introspection.table_names():
            raise CommandError(
                "The database is not set up yet: run `make run` first (it migrates and loads "
                "the programme), or `manage.py migrate` and `manage.py load_programme_content`."
            )
        try:
            organisation_obj = Organisation.objects.get(slug=organisation)
        except Organisation.DoesNotExist:
            known = ", ".join(Organisation.objects.values_list("slug", flat=True))
            hint = (
                f"Known slugs: {known}."
                if known
                else "There are none yet: load them with `manage.py load_programme_content`."
            )
            raise CommandError(f"Unknown organisation '{organisation}'. {hint}") from None
        password = os.environ.get("FLEMINGSBERG_STAFF_PASSWORD")
        if not password:
            if not options.get("interactive", True) or not os.isatty(0):
                raise CommandError(
                    "No password: set FLEMINGSBERG_STAFF_PASSWORD or run in a terminal."
                )
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        try:
            user = create_staff_member(
                username=username,
                organisation=organisation_obj,
                role=role,
                password=password,
                email=email,
                language=language,
            )
        except ValidationError as error:
            raise CommandError("Password rejected: " + " ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Staff user '{user.username}' is now {StaffMembership.Role(role).label} "
                f"for {organisation_obj.name}."
            )
        )
