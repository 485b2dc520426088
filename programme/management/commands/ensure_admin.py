import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Make sure an administrator account exists. Credentials come from "
        "FLEMINGSBERG_ADMIN_USERNAME / FLEMINGSBERG_ADMIN_PASSWORD; without a password a "
        "random one is generated and printed once."
    )

    def handle(self, *args, **options):
        user_model = get_user_model()
        if user_model.objects.filter(is_superuser=True).exists():
            self.stdout.write("An administrator account exists already.")
            return
        username = os.environ.get("FLEMINGSBERG_ADMIN_USERNAME", "admin")
        password = os.environ.get("FLEMINGSBERG_ADMIN_PASSWORD")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(18)
        try:
            # The same validators as every password of the portal (a set one may be weak).
            validate_password(password, user_model(username=username))
        except ValidationError as error:
            raise CommandError(
                "FLEMINGSBERG_ADMIN_PASSWORD rejected: " + " ".join(error.messages)
            ) from None
        user_model.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(self.style.SUCCESS(f"Created administrator account '{username}'."))
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"Its password, shown only this once: {password}\n"
                    "Sign in at /admin/ and change it."
                )
            )
