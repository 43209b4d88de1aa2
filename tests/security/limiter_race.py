"""Many clients at once against the public page of uitvraag links, from one address.

Imported by test_uitvraag_limiter (PostgreSQL: threads against the test database), and run as
a script against a fresh SQLite file (SQLite: the suite's in-memory database cannot take
parallel writers, a file can, as in production): ``python limiter_race.py DATA_DIR``.
"""

from __future__ import annotations

import json
import sys
import threading
from collections import Counter

CLIENTS = 24
EACH = 4


def race(clients: int = CLIENTS, each: int = EACH) -> dict[int, int]:
    """Status codes of ``clients`` × ``each`` look-ups of unknown links, all started at once."""
    from django.db import connections
    from django.test import Client

    codes: Counter[int] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(clients)
    errors: list[str] = []

    def attacker(n: int) -> None:
        client = Client(REMOTE_ADDR="192.0.2.44", HTTP_HOST="localhost")
        try:
            start.wait()
            for i in range(each):
                code = client.get(f"/uitvraag/{'G' * 40}{n:02d}{i}/").status_code
                with lock:
                    codes[code] += 1
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attacker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(errors[0])
    return dict(codes)


if __name__ == "__main__":
    import os

    os.environ["KANSENAUDIT_DATA_DIR"] = sys.argv[1]
    os.environ["DJANGO_SETTINGS_MODULE"] = "kansenaudit.web.test_settings"  # no collectstatic
    os.environ.pop("DATABASE_URL", None)  # SQLite in the data folder
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    print(json.dumps(race()))
