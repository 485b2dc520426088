#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flemingsberg.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except Exception as error:
        # A setting production needs is missing: say which, not a traceback.
        if type(error).__name__ != "MissingSetting":
            raise
        sys.exit(f"manage.py: {error}")


if __name__ == "__main__":
    main()
