# SPDX-License-Identifier: EUPL-1.2
import contextlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kansenaudit.web.core"
    label = "core"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # Whatever starts Django (server, worker, CLI, a notebook) creates private files: the
        # data folder holds confidential dossiers. See core.startup.PRIVATE_UMASK.
        from kansenaudit.web.core.startup import private_umask
        from kansenaudit.web.core.uploads import upload_temp_dir

        private_umask()
        # Django's checks (files.E001) and large uploads need the folder. A data folder that
        # cannot be written is reported by /health/, with the reason.
        with contextlib.suppress(OSError):
            upload_temp_dir()
        _hide_task_rows_from_the_admin()


def _hide_task_rows_from_the_admin() -> None:
    """The task backend's rows (job ids, worker ids, tracebacks) are operators' business: the
    job's own record says what an auditor needs, and every admin page must be audited and
    round-trip safe (docs/security.md), which the package's own admin is not."""
    from django.contrib import admin
    from django.contrib.admin.exceptions import NotRegistered

    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another task backend
        return
    with contextlib.suppress(NotRegistered):
        admin.site.unregister(DBTaskResult)
