"""Benchmark: the findings chain of a large dossier.

Run with ``python -m benchmarks.bench_findings``. Uses a throwaway SQLite database in a temporary
folder, or ``DATABASE_URL`` (a PostgreSQL database you can throw away: the test runner's own
database creation is used, so it creates and drops ``test_<name>``).

The dossier: 300 findings over 6 sub-questions and 40 norms, 2,000 evidence references (monitoring
values of 200 policy indicators, resolved through the registry like every kind), 40 conclusions
(34 per sub-question, 6 building on those) and 25 recommendations. Measured through Django's
test client, so the time is the server's (view, queries, template), without a network: the chain
page (whole chain, and focused on one recommendation), the dashboard with its quality checks, and
the full trace export (XLSX and CSV), and a finding's evidence picker (listed and searched).
``BENCH_FINDINGS_REPEATS`` (default 30) requests per page;
p50 and p95 are reported.
"""

from __future__ import annotations

import os
import platform
import secrets
import statistics
import tempfile
import time

REPEATS = int(os.environ.get("BENCH_FINDINGS_REPEATS", "30"))
N_FINDINGS, N_REFS, N_CONCLUSIONS, N_RECS, N_NORMS = 300, 2000, 40, 25, 40


def _times(call, repeats: int) -> str:
    """p50 and p95 of the wall time and of the process's CPU time per request (on a busy
    machine the CPU time is the fairer figure: it leaves out waiting for a core)."""
    call()  # warm-up
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = call()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert response.status_code == 200, response.status_code

    def p(values: list[float], q: float) -> float:
        values = sorted(values)
        return values[max(0, round(q * len(values)) - 1)] * 1000

    return (
        f"wall p50 {statistics.median(wall) * 1000:.0f} ms, p95 {p(wall, 0.95):.0f} ms; "
        f"CPU p50 {statistics.median(cpu) * 1000:.0f} ms, p95 {p(cpu, 0.95):.0f} ms"
    )


def _build():
    from kansenaudit.web.accounts.services import user_create
    from kansenaudit.web.dossiers import services as dossiers
    from kansenaudit.web.dossiers.models import SubQuestion
    from kansenaudit.web.findings import registry
    from kansenaudit.web.findings.models import (
        Conclusion,
        EvidenceRef,
        Finding,
        Norm,
        Recommendation,
    )
    from kansenaudit.web.policy.models import Indicator, IndicatorValue

    user = user_create(
        username="bench",
        password=secrets.token_urlsafe(16),
        actor=None,
        check_password=False,
        must_change_password=False,
    )
    dossier = dossiers.dossier_create(title="Bench", municipality_code="GM0363", creator=user)
    sqs = [
        SubQuestion.objects.create(dossier=dossier, number=i, question=f"Deelvraag {i}?")
        for i in range(1, 7)
    ]
    norms = Norm.objects.bulk_create(
        Norm(
            dossier=dossier,
            code=f"N{i}",
            title=f"Norm {i}",
            source_kind="kader",
            source="Kader",
            sub_question=sqs[i % 6],
        )
        for i in range(N_NORMS)
    )
    findings = Finding.objects.bulk_create(
        Finding(
            dossier=dossier,
            sub_question=sqs[i % 6],
            code=f"B{i:03d}",
            title=f"Bevinding {i}",
            text=f"Tekst van bevinding {i}.\n\nTweede alinea.",
            preparer=user,
            status=["concept", "review", "afgetekend"][i % 3],
        )
        for i in range(N_FINDINGS)
    )
    Finding.norms.through.objects.bulk_create(
        Finding.norms.through(finding_id=f.pk, norm_id=norms[i % N_NORMS].pk)
        for i, f in enumerate(findings)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(dossier=dossier, name=f"Indicator {i}") for i in range(200)
    )
    values = IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=ind, kind="realisatie", year=2015 + y, value=float(y))
        for ind in indicators
        for y in range(N_REFS // 200)
    )
    kind = registry.kinds()["monitoring"]
    loaded = kind.load_many(dossier, [v.pk for v in values])
    EvidenceRef.objects.bulk_create(
        EvidenceRef(
            finding=findings[i % N_FINDINGS],
            kind="monitoring",
            object_id=v.pk,
            label=kind.label(loaded[v.pk]),
            fingerprint=registry.fingerprint(kind, loaded[v.pk]),
        )
        for i, v in enumerate(values)
    )
    conclusions = Conclusion.objects.bulk_create(
        Conclusion(
            dossier=dossier,
            code=f"C{i:02d}",
            text=f"Conclusie {i}",
            sub_question=sqs[i % 6] if i < 34 else None,
        )
        for i in range(N_CONCLUSIONS)
    )
    Conclusion.findings.through.objects.bulk_create(
        Conclusion.findings.through(conclusion_id=conclusions[i % 34].pk, finding_id=f.pk)
        for i, f in enumerate(findings)
    )
    Conclusion.builds_on.through.objects.bulk_create(
        Conclusion.builds_on.through(
            from_conclusion_id=conclusions[34 + i % 6].pk, to_conclusion_id=conclusions[i].pk
        )
        for i in range(34)
    )
    recs = Recommendation.objects.bulk_create(
        Recommendation(
            dossier=dossier, code=f"A{i:02d}", text=f"Aanbeveling {i}", addressee="college"
        )
        for i in range(N_RECS)
    )
    Recommendation.conclusions.through.objects.bulk_create(
        Recommendation.conclusions.through(
            recommendation_id=r.pk, conclusion_id=conclusions[34 + i % 6].pk
        )
        for i, r in enumerate(recs)
    )
    return user, dossier, recs[0]


def run() -> list[str]:
    folder = tempfile.mkdtemp(prefix="kansenaudit-bench-findings-")
    os.environ.setdefault("KANSENAUDIT_DATA_DIR", folder)
    os.environ["KANSENAUDIT_DEMO"] = "1"
    from kansenaudit.cli.runtime import setup_django

    setup_django()
    from django.conf import settings
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from django.test import Client
        from django.urls import reverse

        start = time.perf_counter()
        user, dossier, rec = _build()
        built = time.perf_counter() - start
        client = Client()
        client.force_login(user)
        pages = {
            "chain page (whole chain, table)": reverse("findings:chain", args=[dossier.pk]),
            "chain page (focus on a recommendation)": reverse("findings:chain", args=[dossier.pk])
            + f"?focus=recommendation:{rec.pk}",
            "dashboard with quality checks": reverse("findings:dashboard", args=[dossier.pk]),
        }
        from kansenaudit.web.findings.models import Finding

        finding = Finding.objects.filter(dossier=dossier).order_by("code").first()
        picker = reverse("findings:evidence_pick", args=[dossier.pk, finding.pk])
        pages["evidence picker (2,000 monitoring values, the first 50 listed)"] = picker
        pages["evidence picker, searched on the server (two words)"] = picker + "?q=indicator+17"
        lines = [
            f"findings benchmark on {platform.python_implementation()} "
            f"{platform.python_version()}, {settings.DATABASES['default']['ENGINE']}",
            f"dossier: {N_FINDINGS} findings, {N_REFS} references, {N_CONCLUSIONS} "
            f"conclusions, {N_RECS} recommendations (built in {built:.1f} s)",
        ]
        lines.append(f"load average at the start: {os.getloadavg()[0]:.1f}")
        for name, url in pages.items():
            lines.append(f"{name}: {_times(lambda url=url: client.get(url), REPEATS)}")
        for name, view in (("trace export XLSX", "trace_xlsx"), ("trace export CSV", "trace_csv")):
            url = reverse(f"findings:{view}", args=[dossier.pk])
            lines.append(f"{name}: {_times(lambda url=url: client.get(url), 5)}")
        return lines
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    for line in run():
        print(line)
