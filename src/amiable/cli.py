"""The ``amiable`` command: run the service, load demo data, manage admins and tokens.

``amiable run`` migrates, compiles translations, then starts gunicorn and the task
worker as child processes and supervises them; ``amiable run --demo`` (what ``make
run`` does) first marks an empty database as a demo one and loads the demo data once.
No other start creates an account: ``amiable createadmin`` sets the first one. Any
Django management command works too (``amiable migrate``, ``amiable manage shell``).

Bad arguments exit with status 2 and errors with status 1, each as one line on
stderr, never a traceback. Operator output is English, like Django's own commands.
"""

from __future__ import annotations

import argparse
import getpass
import os
import subprocess
import sys
from collections.abc import Sequence
from typing import NoReturn

SETTINGS_MODULE = "amiable.config.settings"
OWN_COMMANDS = ("run", "demo", "createadmin", "token", "worker", "smtp", "manage")


class CliError(Exception):
    """A failure to report as one line, exit status 1."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _positive_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {raw!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be above 0: {raw!r}")
    return value


def _port(raw: str) -> int:
    value = _positive_int(raw)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {raw!r}")
    return value


def _scale(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {raw!r}") from None
    if not 0 < value <= 1000:
        raise argparse.ArgumentTypeError(f"must be above 0 and at most 1000: {raw!r}")
    return value


def build_parser() -> Parser:
    parser = Parser(
        prog="amiable",
        description="Amiable customer care: run it, load demo data, manage access.",
        epilog="Any Django management command also works, e.g. `amiable migrate`.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    run = commands.add_parser("run", help="migrate, then serve the web app and worker")
    run.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    run.add_argument("--port", type=_port, default=8000)
    run.add_argument("--workers", type=_positive_int, default=None)
    run.add_argument("--threads", type=_positive_int, default=4)
    demo_choice = run.add_mutually_exclusive_group()
    demo_choice.add_argument(
        "--demo",
        action="store_true",
        help="mark an empty database as a demo, load demo data and demo accounts",
    )
    demo_choice.add_argument(
        "--no-demo",
        action="store_true",
        help="a production start (the default): no demo data, no account created",
    )

    demo = commands.add_parser("demo", help="load realistic demo data (idempotent)")
    demo.add_argument("--scale", type=_scale, default=1.0, help="multiply the counts")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--quiet", action="store_true", help="no progress bar")

    admin = commands.add_parser("createadmin", help="create an administrator")
    admin.add_argument("--username", default="admin")
    admin.add_argument("--email", default="")
    admin.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin"
    )

    token = commands.add_parser("token", help="create or revoke API tokens")
    token_commands = token.add_subparsers(dest="token_command", metavar="ACTION")
    token_commands.required = True
    create = token_commands.add_parser("create", help="issue a token (shown once)")
    create.add_argument("username")
    create.add_argument("--name", default="CLI")
    revoke = token_commands.add_parser("revoke", help="revoke a token by its prefix")
    revoke.add_argument("prefix")

    worker = commands.add_parser("worker", help="run the background task worker")
    worker.add_argument(
        "--batch", action="store_true", help="run the waiting tasks, then exit"
    )
    worker.add_argument("--queue", default="default", help="queue name (or *)")
    worker.add_argument(
        "--no-scheduler",
        action="store_true",
        help="do not enqueue periodic jobs from this worker",
    )

    smtp = commands.add_parser("smtp", help="receive email over SMTP (aiosmtpd)")
    smtp.add_argument("--listen", default=None, help="host:port (AMIABLE_SMTP_LISTEN)")

    manage = commands.add_parser("manage", help="run a Django management command")
    manage.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def _setup() -> None:
    import django

    django.setup()


def _django_command_names() -> set[str]:
    from django.core.management import get_commands

    return set(get_commands())


def _manage(args: Sequence[str]) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["amiable", *args])
    return 0


def _demo(options: argparse.Namespace) -> int:
    from amiable.demo.loader import demo_load
    from amiable.demo.staff import DEMO_ADMIN_USERNAME

    summary = demo_load(
        scale=options.scale, seed=options.seed, progress=not options.quiet
    )
    print(
        f"Demo data: {summary.customers} customers, {summary.orders} orders, "
        f"{summary.cases} cases, {summary.interactions} interactions added "
        f"({summary.skipped_blocks} block(s) already present) "
        f"in {summary.seconds:.1f} s."
    )
    print(
        "Demo credentials (this demo database only): "
        f"{DEMO_ADMIN_USERNAME} / {summary.demo_password}, the other demo staff "
        "with the same password."
    )
    return 0


def _read_password(options: argparse.Namespace) -> str:
    if options.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != password:
            raise CliError("the passwords do not match")
    else:
        raise CliError("no terminal to ask for the password: use --password-stdin")
    if not password:
        raise CliError("the password is empty")
    return password


def _createadmin(options: argparse.Namespace) -> int:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError as DjangoValidationError

    from amiable.accounts.models import Role, User
    from amiable.accounts.services import user_create

    password = _read_password(options)
    try:
        # With the user's own name and address: a password like them is refused.
        validate_password(
            password, user=User(username=options.username, email=options.email)
        )
    except DjangoValidationError as exc:
        raise CliError(" ".join(exc.messages)) from None
    user = user_create(
        actor=None,
        username=options.username,
        password=password,
        role=Role.ADMIN,
        email=options.email,
        is_superuser=True,
    )
    print(f"Administrator {user.username!r} created.")
    return 0


def _token(options: argparse.Namespace) -> int:
    from amiable.accounts.models import ApiToken, User
    from amiable.accounts.services import token_create, token_revoke

    if options.token_command == "create":  # noqa: S105 (a subcommand name)
        user = User.objects.filter(username=options.username, is_active=True).first()
        if user is None:
            raise CliError(f"no active user named {options.username!r}")
        issued = token_create(actor=None, user=user, name=options.name)
        print(issued.plaintext)
        print(
            f"Token {issued.token.prefix} for {user.username}: store it now, "
            "it is not shown again.",
            file=sys.stderr,
        )
        return 0
    token = ApiToken.objects.filter(prefix=options.prefix).first()
    if token is None:
        raise CliError(f"no token with prefix {options.prefix!r}")
    was_active = token.revoked_at is None
    token_revoke(actor=None, token=token)
    state = "revoked" if was_active else "was already revoked"
    print(f"Token {token.prefix} ({token.name}) {state}.")
    return 0


def _worker(options: argparse.Namespace) -> int:
    from django.conf import settings
    from django.db import DatabaseError

    from amiable.schedules.services import schedule_run_due, scheduler_thread_start

    backend = settings.AMIABLE_TASKS
    if backend not in {"database", "redis"}:
        raise CliError(f"AMIABLE_TASKS={backend} runs tasks inline: no worker needed")
    if not options.no_scheduler:
        # Periodic jobs are enqueued once per deployment whichever worker wins, so
        # every worker may run the scheduler; a batch run enqueues what is due now.
        if options.batch:
            try:
                schedule_run_due()
            except DatabaseError as exc:  # as the scheduler thread: never fatal
                print(
                    f"amiable: warning: periodic jobs skipped: {exc}", file=sys.stderr
                )
        else:
            scheduler_thread_start()
    if backend == "database":
        _database_worker(options)
    elif backend == "redis":
        _redis_worker(options)
    return 0


def _redis_worker(options: argparse.Namespace) -> None:
    """RQ's worker with our lease: the job of a worker that died is retried by the
    retry layer after about a lease and a half (amiable.core.rq_backend)."""
    import django_rq

    from amiable.core.rq_backend import LeasedWorker

    queues = ["default"] if options.queue == "*" else [options.queue]
    worker = django_rq.get_worker(
        *queues, job_class="django_tasks_rq.backend.Job", worker_class=LeasedWorker
    )
    worker.work(burst=options.batch, with_scheduler=True)


def _database_worker(options: argparse.Namespace) -> None:
    """``db_worker`` under a heartbeat: tasks left RUNNING by a worker that died are
    failed and retried, at start and then every half lease (amiable.jobs)."""
    import threading

    from django.core.management import call_command

    from amiable.jobs.services import (
        heartbeat_thread_start,
        tasks_abandoned_sweep,
        worker_beat,
        worker_forget,
        worker_id_new,
    )

    worker_id = worker_id_new()
    worker_beat(worker_id=worker_id)
    for swept in tasks_abandoned_sweep():
        state = "retried" if swept.retried else "failed"
        print(
            f"amiable: task {swept.task_id} of stopped worker {swept.worker_id} "
            f"{state}",
            file=sys.stderr,
        )
    stop = threading.Event()
    heartbeat_thread_start(worker_id=worker_id, stop=stop)
    try:
        call_command(
            "db_worker",
            queue_name=options.queue,
            batch=options.batch,
            reload=False,
            startup_delay=not options.batch,
            worker_id=worker_id,
        )
    finally:
        stop.set()
        worker_forget(worker_id=worker_id)


def _smtp(options: argparse.Namespace) -> int:
    from django.core.management import CommandError, call_command

    try:
        if options.listen:
            call_command("inbound_smtp", listen=options.listen)
        else:
            call_command("inbound_smtp")
    except CommandError as exc:
        raise CliError(str(exc)) from None
    return 0


def _run(options: argparse.Namespace) -> int:
    from amiable.serving import serve

    return serve(
        host=options.host,
        port=options.port,
        workers=options.workers,
        threads=options.threads,
        load_demo=options.demo,
    )


def _dispatch(options: argparse.Namespace) -> int:
    handlers = {
        "run": _run,
        "demo": _demo,
        "createadmin": _createadmin,
        "token": _token,
        "worker": _worker,
        "smtp": _smtp,
    }
    if options.command == "manage":
        if not options.args:
            raise CliError("which command? e.g. `amiable manage migrate`")
        return _manage(options.args)
    return handlers[options.command](options)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``amiable`` console script; returns the exit status."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    args = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        from django.core.exceptions import ImproperlyConfigured
        from django.db import DatabaseError

        from amiable.core.errors import ApplicationError
        from amiable.serving import ServeError

        known_errors: tuple[type[BaseException], ...] = (
            CliError,
            ServeError,
            subprocess.SubprocessError,
            ImproperlyConfigured,
            DatabaseError,
            ApplicationError,
            OSError,
        )
    except ImportError as exc:  # a broken installation
        print(f"amiable: error: {exc}", file=sys.stderr)
        return 1
    try:
        if args and not args[0].startswith("-") and args[0] not in OWN_COMMANDS:
            _setup()
            if args[0] in _django_command_names() or args[0] == "help":
                return _manage(args)
        try:
            options = parser.parse_args(args)
        except SystemExit as exit_:  # bad arguments (2) or --help (0)
            return exit_.code if isinstance(exit_.code, int) else 2
        if options.command != "manage":
            _setup()
        return _dispatch(options)
    except known_errors as exc:
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        print(f"amiable: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("amiable: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
