import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


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
            password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(self.style.SUCCESS(f"Created administrator account '{username}'."))
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"Its password, shown only this once: {password}\n"
                    "Sign in at /admin/ and change it."
                )
            )
