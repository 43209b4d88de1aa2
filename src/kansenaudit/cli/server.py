# SPDX-License-Identifier: EUPL-1.2
"""Database migrations, the web server and a pass-through to Django's management commands."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import click

from kansenaudit import config
from kansenaudit.cli.runtime import require_migrated, setup_django


@click.command()
@click.option("--check", is_flag=True, help="Only report pending migrations; exit 1 if any.")
def migrate(check: bool) -> None:
    """Create or upgrade the database schema (back up the database first)."""
    setup_django()
    from django.core.management import call_command
    from django.db.utils import DatabaseError

    from kansenaudit.web.core.selectors import pending_migrations

    try:
        pending = pending_migrations()
        if check:
            if pending:
                raise click.ClickException(f"{len(pending)} pending: {', '.join(pending)}")
            click.echo("No pending migrations.")
            return
        call_command("migrate", interactive=False, verbosity=0)
    except DatabaseError as exc:
        raise click.ClickException(f"Migration failed: {exc}") from exc
    click.echo(f"Database up to date ({len(pending)} migration(s) applied).")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers", default=2, show_default=True, type=int, help="Web server processes (gunicorn)."
)
@click.option(
    "--demo",
    is_flag=True,
    help="Demo mode: migrate, load the demo and serve it, with one background worker.",
)
# The web server alone, for the demo's supervisor (below): not for people.
@click.option("--web-only", is_flag=True, hidden=True)
def serve(host: str, port: int, workers: int, demo: bool, web_only: bool) -> None:
    """Serve the web workbench with gunicorn (static files through WhiteNoise)."""
    if demo:
        os.environ["KANSENAUDIT_DEMO"] = "1"
    if web_only:
        setup_django()
        _run_gunicorn(host=host, port=port, workers=workers)
        return
    setup_django()
    if config.demo_mode():
        from django.core.management import call_command

        from kansenaudit.cli.demo import print_demo_accounts
        from kansenaudit.web.demo.services import demo_load

        call_command("migrate", interactive=False, verbosity=0)
        result = demo_load()
        print_demo_accounts(result, url=f"http://{host}:{port}/")
    else:
        require_migrated()
    if not config.demo_mode():
        _run_gunicorn(host=host, port=port, workers=workers)
        return
    # The demo processes uploads without a second command: one worker next to the server,
    # stopped with it. In production the worker is a service of its own (docs/deployment.md).
    # Both are children of this process, not the worker a child of gunicorn's arbiter, which
    # reaps every child it has and would make the worker look dead.
    with DemoWorker() as worker:
        _supervise_web(worker, host=host, port=port, workers=workers)


def _supervise_web(worker: DemoWorker, *, host: str, port: int, workers: int) -> None:
    """Run gunicorn as a child until it ends; SIGTERM and SIGINT stop it (and then the worker)."""
    command = [sys.executable, "-m", "kansenaudit.cli", "serve", "--web-only", "--host", host]
    command += ["--port", str(port), "--workers", str(workers)]
    web = subprocess.Popen(command)  # noqa: S603 (our own interpreter and command)

    def stop(signum: int, _frame: object) -> None:
        worker.stopping.set()  # a worker stopped by the same Ctrl+C is not started again
        if web.poll() is None:
            web.send_signal(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        web.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class DemoWorker:
    """`kansenaudit worker` as a child of `serve --demo`: restarted when it dies, stopped (with
    time to finish its task) when the server stops."""

    RESTART_DELAY_S = 2.0
    STOP_TIMEOUT_S = 30.0

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._supervise, name="demo-worker", daemon=True)

    def _start(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "kansenaudit.cli", "worker"])

    def _supervise(self) -> None:
        while not self.stopping.is_set():
            self.process.wait()
            if self.stopping.wait(self.RESTART_DELAY_S):
                return
            click.echo("The demo worker stopped; starting it again.", err=True)
            self.process = self._start()

    def __enter__(self) -> DemoWorker:
        self.process = self._start()
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()  # the worker finishes its current task, then stops
            try:
                process.wait(timeout=self.STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def gunicorn_options(*, host: str, port: int, workers: int) -> dict[str, object]:
    """The gunicorn settings of `kansenaudit serve` (see docs/deployment.md)."""
    options: dict[str, object] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": 4,
        "accesslog": "-",
        "preload_app": True,
        "timeout": 120,
        # Files the workers create (uploads, evidence, SQLite) are private to the service user.
        "umask": 0o077,
        # The access log without the secret of uitvraag links (request line and Referer).
        "logger_class": "kansenaudit.web.core.gunicorn_logging.RedactingLogger",
        # The threaded worker, with a page in words for an address that is too long (414).
        "worker_class": "kansenaudit.web.core.gunicorn_worker.StyledErrorsWorker",
        # gunicorn 25.1+ opens a control socket at one path per OS user
        # ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl), shared by every instance
        # that user runs: a second `serve` would take over the first one's. Nothing here uses
        # it, so it stays off.
        "control_socket_disable": True,
    }
    return options


def _run_gunicorn(*, host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    from kansenaudit.web.core.uploads import clean_upload_temp_dir

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in gunicorn_options(host=host, port=port, workers=workers).items():
                if key in self.cfg.settings:  # older gunicorn has no control socket setting
                    self.cfg.set(key, value)

        def load(self):  # noqa: ANN202
            from kansenaudit.web.wsgi import application

            return application

    clean_upload_temp_dir()  # nothing is in flight yet: what is there was left by a crash
    click.echo(f"Serving Kansenaudit at http://{host}:{port}/ (Ctrl+C stops).")
    Server().run()


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (e.g. `kansenaudit manage collectstatic`)."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kansenaudit manage", *args])
