"""Background jobs cut off by a process that died are taken up when a worker starts, not after
30 minutes and only when another upload arrives; jobs of a live process are left alone. (A real
`kansenaudit worker` killed in the middle of a job: tests/cli/test_worker.py.)"""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.utils import timezone

from kansenaudit.web.evidence import processes, services
from kansenaudit.web.evidence.models import CouncilPull, ImportJob

TEXT = b"Gelijke kansen voor ieder kind in de wijk.\n"


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def killed_process():
    """The identity of a process that ran and was killed (as a crashed server worker)."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    recorded = processes.identity(process.pid)
    process.kill()
    process.wait()
    return recorded


def _left_running(team, worker_identity: str) -> ImportJob:
    """A job as a worker leaves it when it is killed in the middle of the extraction."""
    job = services.job_queue(
        dossier=team["dossier"], file_name="notitie.txt", data=TEXT, actor=None
    )
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.RUNNING, started_at=timezone.now(), attempts=1, worker=worker_identity
    )
    return job


def test_a_job_of_a_killed_process_is_done_when_a_worker_starts(team, killed_process, held_tasks):
    job = _left_running(team, killed_process)
    assert held_tasks.run() == [job.pk]
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert job.attempts == 2
    assert job.document is not None


def test_a_job_cut_off_twice_fails_with_a_message(team, killed_process, held_tasks):
    job = _left_running(team, killed_process)
    ImportJob.objects.filter(pk=job.pk).update(attempts=services.MAX_JOB_ATTEMPTS)
    assert services.jobs_recover() == 1
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert "twee keer onderbroken" in job.message


def test_the_message_of_a_job_cut_off_twice_is_in_the_sites_language(
    team, killed_process, settings, held_tasks
):
    """Written once by a worker, whatever language it has active, in the site's language."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    job = _left_running(team, killed_process)
    ImportJob.objects.filter(pk=job.pk).update(attempts=services.MAX_JOB_ATTEMPTS)
    with translation.override("nl"):
        assert services.jobs_recover() == 1
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert "interrupted twice" in job.message
    assert "upload the file again" in job.message


def test_a_job_of_a_live_process_is_left_to_it(team, held_tasks):
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        jobs = [
            _left_running(team, processes.identity(live.pid)),
            _left_running(team, processes.identity()),  # this very process
            _left_running(team, "andere-server/abcd1234/42/777"),  # cannot be checked here
        ]
        assert services.jobs_recover() == 0
        assert {j.state for j in ImportJob.objects.filter(pk__in=[j.pk for j in jobs])} == {
            ImportJob.State.RUNNING
        }
    finally:
        live.kill()
        live.wait()


def test_a_council_search_of_a_killed_process_is_marked_failed_at_start(team, killed_process):
    from kansenaudit.web.evidence.council_documents import council_pulls_recover

    pull = CouncilPull.objects.create(
        dossier=team["dossier"],
        municipality="amsterdam",
        query="kansen",
        state=CouncilPull.State.RUNNING,
        started_at=timezone.now(),
        worker=killed_process,
    )
    assert council_pulls_recover() == []  # nothing queued: not run again
    pull.refresh_from_db()
    assert pull.state == CouncilPull.State.FAILED
    assert "onderbroken" in pull.message


def test_the_identity_of_a_reused_process_id_differs():
    recorded = processes.identity()
    host, boot, pid, started = recorded.rsplit("/", 3)
    assert not processes.is_gone(recorded)
    if started != "-":  # with /proc: the same pid with another start time is another process
        assert processes.is_gone(f"{host}/{boot}/{pid}/{int(started) + 1}")
    assert processes.is_gone(f"{host}/other-boot/{pid}/{started}")
    assert not processes.is_gone("")  # claimed before identities were recorded
