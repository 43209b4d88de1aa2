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
