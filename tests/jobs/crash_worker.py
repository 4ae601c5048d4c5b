"""``amiable worker`` with the blocking handler of ``crash_handlers`` registered:
``python -m tests.jobs.crash_worker [worker options]``."""

from __future__ import annotations

import os
import sys

import django

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amiable.config.settings")
    django.setup()
    from amiable.cli import main
    from tests.jobs.crash_handlers import blocking_handler_register

    blocking_handler_register()

    sys.exit(main(["worker", *sys.argv[1:]]))
