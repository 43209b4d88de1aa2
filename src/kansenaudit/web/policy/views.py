# SPDX-License-Identifier: EUPL-1.2
"""The policy pages of a dossier: registers, policy theory, monitoring, consistency, exports.

Views parse input, call a service (which checks the rules, writes and logs) or a selector, and
render. Objects are always fetched within the URL's dossier: another dossier's id is a 404.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kansenaudit.reporting import svgtheory
from kansenaudit.reporting.svgchart import Series, render_line_chart
from kansenaudit.reporting.tables import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from kansenaudit.web.core.downloads import download
from kansenaudit.web.core.service_views import run_service
from kansenaudit.web.core.templatetags.ka_format import interface_lang
from kansenaudit.web.dossiers.access import dossier_view
from kansenaudit.web.dossiers.roles import Capability
from kansenaudit.web.dossiers.selectors import DossierAccess
from kansenaudit.web.policy import exports, monitoring_view, selectors, services, transfer
from kansenaudit.web.policy.forms import (
    ActorForm,
    GoalForm,
    IndicatorForm,
    LinkForm,
    MeasureForm,
    RegistersImportForm,
    StepForm,
    ValueForm,
)
from kansenaudit.web.policy.models import Goal, Indicator, Measure

# Errors of a refused registers file shown on the page; the CLI prints them all.
MAX_SHOWN_ERRORS = 20


def _context(access: DossierAccess, active: str, **extra: Any) -> dict[str, Any]:
    return {
        "dossier": access.dossier,
        "access": access,
        "active": active,
        "may_edit": access.allows(Capability.EDIT),
        **extra,
    }


def _get(queryset: Any, pk: object) -> Any:
    item = selectors.in_dossier(queryset, pk)
    if item is None:
        raise Http404("not in this dossier")
    return item


def _save(
    request: HttpRequest,
    access: DossierAccess,
    form: Any,
    write: Callable[[dict], Any],
    *,
    title: str,
    back: str,
    done: Callable[[Any], str],
    success: str,
    delete_url: str = "",
) -> HttpResponse:
    """Show ``form``; on a valid POST call ``write`` and redirect, else show the errors (400)."""
    if request.method == "POST" and form.is_valid():
        try:
            item = write(form.cleaned_data)
        except services.PolicyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, success)
            return redirect(done(item))
    status = 400 if request.method == "POST" else 200
    context = _context(access, "policy", form=form, title=title, back=back, delete_url=delete_url)
    return render(request, "policy/form.html", context, status=status)


def _url(name: str, access: DossierAccess, *args: object) -> str:
    return reverse(f"policy:{name}", args=[access.dossier.pk, *args])


# --- Overview ---------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def overview(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """Counts of every register, the number of monitoring gaps, and where to go next."""
    counts, gaps = selectors.overview(access.dossier)
    context = _context(
        access,
        "overview",
        counts=counts,
        gaps=[(kind, label, len(getattr(gaps, kind))) for kind, label in _gap_labels().items()],
        gap_total=gaps.total(),
        registers=exports.REGISTERS,
        import_form=RegistersImportForm(),
    )
    return render(request, "policy/overview.html", context)


def _gap_labels() -> dict[str, str]:
    return {
        "goals_without_measures": _("Goals without measures"),
        "measures_without_goals": _("Measures without goals"),
        "goals_without_indicators": _("Goals without indicators"),
        "indicators_without_baseline": _("Indicators without a baseline"),
        "indicators_without_target": _("Indicators without a target"),
        "links_without_evidence": _("Policy-theory links without evidence"),
    }


# --- Actors -----------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def actors(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    items = selectors.actors_for(access.dossier)
    return render(request, "policy/actors.html", _context(access, "actors", actors=items))


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def actor_new(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    form = ActorForm(request.POST or None, dossier=access.dossier)
    return _save(
        request,
        access,
        form,
        lambda data: services.actor_create(dossier=access.dossier, actor=request.user, **data),
        title=_("New actor"),
        back=_url("actors", access),
        done=lambda item: _url("actors", access),
        success=_("Actor added."),
    )


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def actor_edit(request: HttpRequest, *, access: DossierAccess, actor_id: int) -> HttpResponse:
    item = _get(selectors.actors_for(access.dossier), actor_id)
    initial = {f: getattr(item, f) for f in services.ACTOR_FIELDS}
    form = ActorForm(request.POST or None, initial=initial, dossier=access.dossier)
    return _save(
        request,
        access,
        form,
        lambda data: services.actor_update(item=item, actor=request.user, **data),
        title=_("Edit actor"),
        back=_url("actors", access),
        done=lambda _item: _url("actors", access),
        success=_("Actor saved."),
        delete_url=_url("actor_delete", access, item.pk),
    )


@require_POST
@dossier_view(Capability.EDIT)
def actor_delete(request: HttpRequest, *, access: DossierAccess, actor_id: int) -> HttpResponse:
    item = _get(selectors.actors_for(access.dossier), actor_id)
    return run_service(
        request,
        lambda: services.actor_delete(item=item, actor=request.user),
        success=_("Actor deleted."),
        redirect_to=_url("actors", access),
        failed_to=_url("actors", access),
    )


# --- Goals ------------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def goals(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    tree = selectors.goal_tree(access.dossier)
    return render(request, "policy/goals.html", _context(access, "goals", tree=tree))


def _goal_write(access: DossierAccess, request: HttpRequest, goal: Goal | None) -> Callable:
    def write(data: dict) -> Goal:
        data = dict(data)
        groups = data.pop("target_groups")
        if goal is None:
            return services.goal_create(
                dossier=access.dossier, target_groups=groups, actor=request.user, **data
            )
        return services.goal_update(goal=goal, target_groups=groups, actor=request.user, **data)

    return write


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def goal_new(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    initial = {"parent": request.GET.get("dient")} if request.GET.get("dient") else None
    form = GoalForm(request.POST or None, initial=initial, dossier=access.dossier)
    return _save(
        request,
        access,
        form,
        _goal_write(access, request, None),
        title=_("New goal"),
        back=_url("goals", access),
        done=lambda goal: _url("goal_detail", access, goal.pk),
        success=_("Goal added."),
    )


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def goal_edit(request: HttpRequest, *, access: DossierAccess, goal_id: int) -> HttpResponse:
    goal = _get(selectors.goals_for(access.dossier), goal_id)
    initial = {f: getattr(goal, f) for f in services.GOAL_FIELDS}
    initial["domains"] = ", ".join(goal.domains or [])
    initial["target_groups"] = list(goal.target_groups.all())
    form = GoalForm(request.POST or None, initial=initial, dossier=access.dossier, exclude=goal.pk)
    return _save(
        request,
        access,
        form,
        _goal_write(access, request, goal),
        title=_("Edit goal"),
        back=_url("goal_detail", access, goal.pk),
        done=lambda item: _url("goal_detail", access, item.pk),
        success=_("Goal saved."),
        delete_url=_url("goal_delete", access, goal.pk),
    )


@require_GET
@dossier_view(Capability.VIEW)
def goal_detail(request: HttpRequest, *, access: DossierAccess, goal_id: int) -> HttpResponse:
    goal = _get(selectors.goals_for(access.dossier), goal_id)
    context = _context(
        access,
        "goals",
        goal=goal,
        children=goal.children.all(),
        measures=selectors.goal_measures(goal),
        indicators=goal.indicators.all(),
        evidence=selectors.evidence_widget(goal),
        citations=selectors.register_citations(access.dossier),
    )
    return render(request, "policy/goal_detail.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def goal_delete(request: HttpRequest, *, access: DossierAccess, goal_id: int) -> HttpResponse:
    goal = _get(selectors.goals_for(access.dossier), goal_id)
    return run_service(
        request,
        lambda: services.goal_delete(goal=goal, actor=request.user),
        success=_("Goal deleted."),
        redirect_to=_url("goals", access),
        failed_to=_url("goal_detail", access, goal.pk),
    )


# --- Measures ---------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def measures(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    items = selectors.measures_for(access.dossier)
    return render(request, "policy/measures.html", _context(access, "measures", measures=items))


def _measure_write(
    access: DossierAccess, request: HttpRequest, measure: Measure | None
) -> Callable:
    def write(data: dict) -> Measure:
        data = dict(data)
        sets = {k: data.pop(k) for k in ("goals", "target_groups", "budgets")}
        if measure is None:
            return services.measure_create(
                dossier=access.dossier, actor=request.user, **sets, **data
            )
        return services.measure_update(measure=measure, actor=request.user, **sets, **data)

    return write


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def measure_new(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    form = MeasureForm(request.POST or None, dossier=access.dossier)
    return _save(
        request,
        access,
        form,
        _measure_write(access, request, None),
        title=_("New measure"),
        back=_url("measures", access),
        done=lambda m: _url("measure_detail", access, m.pk),
        success=_("Measure added."),
    )


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def measure_edit(request: HttpRequest, *, access: DossierAccess, measure_id: int) -> HttpResponse:
    measure = _get(selectors.measures_for(access.dossier), measure_id)
    fields = [f for f in MeasureForm.base_fields if f not in ("goals", "target_groups", "budgets")]
    initial = {f: getattr(measure, f) for f in fields}
    initial.update(
        goals=list(measure.goals.all()),
        target_groups=list(measure.target_groups.all()),
        budgets=MeasureForm.budgets_text(measure),
    )
    form = MeasureForm(request.POST or None, initial=initial, dossier=access.dossier)
    return _save(
        request,
        access,
        form,
        _measure_write(access, request, measure),
        title=_("Edit measure"),
        back=_url("measure_detail", access, measure.pk),
        done=lambda m: _url("measure_detail", access, m.pk),
        success=_("Measure saved."),
        delete_url=_url("measure_delete", access, measure.pk),
    )


def theory_svg(measure: Measure, theory: selectors.TheoryView) -> str:
    """The measure's policy theory drawn as a diagram (reporting.svgtheory)."""
    steps = [svgtheory.Step(s.pk, s.kind, s.text) for s in theory.steps]
    links = [
        svgtheory.Link(item.link.source_id, item.link.target_id, item.evidence, item.link.rationale)
        for item in theory.links
    ]
    # The renderer escapes every text it writes, so its markup is safe to include.
    return mark_safe(
        svgtheory.render_theory(
            steps,
            links,
            title=_("Policy theory of %(measure)s") % {"measure": measure.name},
            headings=[label for _kind, label, _steps in theory.columns],
            legend=(_("link with evidence"), _("link without evidence")),
        )
    )


@require_GET
@dossier_view(Capability.VIEW)
def theories(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """Every measure's policy theory on one page, as diagrams with their links in words."""
    items = []
    for measure in selectors.measures_for(access.dossier):
        theory = selectors.measure_theory(measure)
        items.append({"measure": measure, "theory": theory, "svg": theory_svg(measure, theory)})
    context = _context(
        access,
        "theories",
        items=items,
        without_evidence=sum(i["theory"].links_without_evidence for i in items),
        without_theory=[i["measure"] for i in items if not i["theory"].steps],
    )
    return render(request, "policy/theories.html", context)


@require_GET
@dossier_view(Capability.VIEW)
def measure_detail(request: HttpRequest, *, access: DossierAccess, measure_id: int) -> HttpResponse:
    """A measure with its budgets, goals and its policy theory as a chain of columns."""
    measure = _get(selectors.measures_for(access.dossier), measure_id)
    theory = selectors.measure_theory(measure)
    context = _context(
        access,
        "measures",
        measure=measure,
        theory=theory,
        theory_svg=theory_svg(measure, theory),
        link_rows=[
            {"item": item, "evidence": selectors.evidence_widget(item.link)}
            for item in theory.links
        ],
        indicators=measure.indicators.all(),
        evidence=selectors.evidence_widget(measure),
        citations=selectors.register_citations(access.dossier),
        step_form=StepForm(dossier=access.dossier, prefix="stap"),
        link_form=LinkForm(measure=measure, prefix="schakel"),
    )
    return render(request, "policy/measure_detail.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def measure_delete(request: HttpRequest, *, access: DossierAccess, measure_id: int) -> HttpResponse:
    measure = _get(selectors.measures_for(access.dossier), measure_id)
    return run_service(
        request,
        lambda: services.measure_delete(measure=measure, actor=request.user),
        success=_("Measure deleted."),
        redirect_to=_url("measures", access),
        failed_to=_url("measure_detail", access, measure.pk),
    )


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@require_POST
@dossier_view(Capability.EDIT)
def step_add(request: HttpRequest, *, access: DossierAccess, measure_id: int) -> HttpResponse:
    measure = _get(selectors.measures_for(access.dossier), measure_id)
    form = StepForm(request.POST, dossier=access.dossier, prefix="stap")
    back = _url("measure_detail", access, measure.pk) + "#beleidstheorie"
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    return run_service(
        request,
        lambda: services.theory_step_create(
            measure=measure, actor=request.user, **form.cleaned_data
        ),
        success=_("Step added to the policy theory."),
        redirect_to=back,
    )


@require_POST
@dossier_view(Capability.EDIT)
def step_delete(request: HttpRequest, *, access: DossierAccess, step_id: int) -> HttpResponse:
    step = _get(selectors.steps_for(access.dossier), step_id)
    back = _url("measure_detail", access, step.measure_id) + "#beleidstheorie"
    return run_service(
        request,
        lambda: services.theory_step_delete(step=step, actor=request.user),
        success=_("Step deleted."),
        redirect_to=back,
        failed_to=back,
    )


@require_POST
@dossier_view(Capability.EDIT)
def link_add(request: HttpRequest, *, access: DossierAccess, measure_id: int) -> HttpResponse:
    measure = _get(selectors.measures_for(access.dossier), measure_id)
    form = LinkForm(request.POST, measure=measure, prefix="schakel")
    back = _url("measure_detail", access, measure.pk) + "#beleidstheorie"
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    return run_service(
        request,
        lambda: services.theory_link_create(actor=request.user, **form.cleaned_data),
        success=_("Link added to the policy theory."),
        redirect_to=back,
    )


@require_POST
@dossier_view(Capability.EDIT)
def link_delete(request: HttpRequest, *, access: DossierAccess, link_id: int) -> HttpResponse:
    link = _get(selectors.links_for(access.dossier), link_id)
    back = _url("measure_detail", access, link.measure_id) + "#beleidstheorie"
    return run_service(
        request,
        lambda: services.theory_link_delete(link=link, actor=request.user),
        success=_("Link deleted."),
        redirect_to=back,
        failed_to=back,
    )


# --- Indicators -------------------------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def indicators(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    items = selectors.indicators_for(access.dossier)
    return render(
        request, "policy/indicators.html", _context(access, "indicators", indicators=items)
    )


def _indicator_write(
    access: DossierAccess, request: HttpRequest, indicator: Indicator | None
) -> Callable:
    def write(data: dict) -> Indicator:
        data = dict(data)
        sets = {k: data.pop(k) for k in ("goals", "measures")}
        if indicator is None:
            return services.indicator_create(
                dossier=access.dossier, actor=request.user, **sets, **data
            )
        return services.indicator_update(indicator=indicator, actor=request.user, **sets, **data)

    return write


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def indicator_new(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    form = IndicatorForm(request.POST or None, dossier=access.dossier)
    return _save(
        request,
        access,
        form,
        _indicator_write(access, request, None),
        title=_("New indicator"),
        back=_url("indicators", access),
        done=lambda item: _url("indicator_detail", access, item.pk),
        success=_("Indicator added."),
    )


@require_http_methods(["GET", "POST"])
@dossier_view(Capability.EDIT)
def indicator_edit(
    request: HttpRequest, *, access: DossierAccess, indicator_id: int
) -> HttpResponse:
    indicator = _get(selectors.indicators_for(access.dossier), indicator_id)
    initial = {f: getattr(indicator, f) for f in services.INDICATOR_FIELDS}
    initial.update(goals=list(indicator.goals.all()), measures=list(indicator.measures.all()))
    form = IndicatorForm(request.POST or None, initial=initial, dossier=access.dossier)
    return _save(
        request,
        access,
        form,
        _indicator_write(access, request, indicator),
        title=_("Edit indicator"),
        back=_url("indicator_detail", access, indicator.pk),
        done=lambda item: _url("indicator_detail", access, item.pk),
        success=_("Indicator saved."),
        delete_url=_url("indicator_delete", access, indicator.pk),
    )


def _indicator_chart(status: selectors.IndicatorStatus) -> str:
    """Baseline, targets and realised values as one line chart (inline SVG)."""
    series = []
    if status.baseline:
        series.append(Series(_("baseline"), [status.baseline[0]], [status.baseline[1]]))
    if status.targets:
        years, values = zip(*status.targets, strict=True)
        series.append(Series(_("target"), list(years), list(values), dashed=True))
    if status.realised:
        years, values = zip(*status.realised, strict=True)
        series.append(Series(_("realised"), list(years), list(values)))
    if not series:
        return ""
    parts = [
        f"{s.label}: " + ", ".join(f"{x} {y:g}" for x, y in zip(s.x, s.y, strict=True))
        for s in series
    ]
    # The renderer escapes every label it writes, so its markup is safe to include.
    return mark_safe(
        render_line_chart(
            series,
            title=status.indicator.name,
            description="; ".join(parts),
            unit=status.indicator.unit,
            lang=interface_lang(),
        )
    )


@require_GET
@dossier_view(Capability.VIEW)
def indicator_detail(
    request: HttpRequest, *, access: DossierAccess, indicator_id: int
) -> HttpResponse:
    """An indicator: its values (with where they were reported), a chart and a form to add."""
    indicator = _get(selectors.indicators_for(access.dossier), indicator_id)
    status = selectors.indicator_status(indicator, selectors.StatisticsSource(access.dossier))
    catalogue = selectors.catalogue_indicators().get(indicator.catalogue_key)
    values = selectors.indicator_values(indicator)
    context = _context(
        access,
        "indicators",
        indicator=indicator,
        status=status,
        catalogue=catalogue,
        values=values,
        chart=_indicator_chart(status),
        evidence=selectors.evidence_widget(indicator),
        citations=selectors.register_citations(access.dossier),
        value_form=ValueForm(dossier=access.dossier),
    )
    return render(request, "policy/indicator_detail.html", context)


@require_POST
@dossier_view(Capability.EDIT)
def indicator_delete(
    request: HttpRequest, *, access: DossierAccess, indicator_id: int
) -> HttpResponse:
    indicator = _get(selectors.indicators_for(access.dossier), indicator_id)
    return run_service(
        request,
        lambda: services.indicator_delete(indicator=indicator, actor=request.user),
        success=_("Indicator deleted."),
        redirect_to=_url("indicators", access),
        failed_to=_url("indicator_detail", access, indicator.pk),
    )


@require_POST
@dossier_view(Capability.EDIT)
def value_add(request: HttpRequest, *, access: DossierAccess, indicator_id: int) -> HttpResponse:
    indicator = _get(selectors.indicators_for(access.dossier), indicator_id)
    form = ValueForm(request.POST, dossier=access.dossier)
    back = _url("indicator_detail", access, indicator.pk) + "#waarden"
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    return run_service(
        request,
        lambda: services.indicator_value_set(
            indicator=indicator, actor=request.user, **form.cleaned_data
        ),
        success=_("Value saved."),
        redirect_to=back,
    )


@require_POST
@dossier_view(Capability.EDIT)
def value_delete(request: HttpRequest, *, access: DossierAccess, value_id: int) -> HttpResponse:
    value = _get(selectors.values_for(access.dossier), value_id)
    back = _url("indicator_detail", access, value.indicator_id) + "#waarden"
    return run_service(
        request,
        lambda: services.indicator_value_delete(value=value, actor=request.user),
        success=_("Value deleted."),
        redirect_to=back,
        failed_to=back,
    )


# --- Monitoring and consistency ---------------------------------------------------------------


@require_GET
@dossier_view(Capability.VIEW)
def monitoring(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    result = selectors.monitoring(access.dossier)
    gaps = [(kind, label, getattr(result.gaps, kind)) for kind, label in _gap_labels().items()]
    form = monitoring_view.MonitoringFilterForm(
        request.GET or None, goals=[row.goal for row in result.tree]
    )
    chosen = form.cleaned_data if form.is_valid() else {}
    goal, state = chosen.get("goal", ""), chosen.get("state", "")
    context = _context(
        access,
        "monitoring",
        result=result,
        gaps=gaps,
        form=form,
        tables=monitoring_view.goal_tables(result, goal=goal, state=state),
        loose=[] if goal else monitoring_view.loose_lines(result, state=state),
        filtered=bool(goal or state),
    )
    return render(request, "policy/monitoring.html", context, status=400 if form.errors else 200)


@require_GET
@dossier_view(Capability.VIEW)
def consistency(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    result = selectors.consistency(access.dossier)
    names = {d.pk: d.name for d in result.directies}
    rows = [
        {
            "goal": row.goal,
            "depth": row.depth,
            "counts": counts,
            "services": [
                (names.get(key, _("no directorate")), items)
                for key, items in row.by_directie.items()
            ],
        }
        for row, (_g, _d, counts) in zip(result.city_goals, result.matrix(), strict=True)
    ]
    context = _context(access, "consistency", result=result, rows=rows)
    return render(request, "policy/consistency.html", context)


# --- Exports ----------------------------------------------------------------------------------


def _prefix(access: DossierAccess, demo: bool) -> str:
    return f"{'demo-' if demo else ''}beleidsregisters-{access.dossier.pk}"


@require_GET
@dossier_view(Capability.VIEW)
def export_xlsx(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    dossier = access.dossier
    demo = exports.is_demo(dossier)
    tables = [*exports.register_tables(dossier), exports.gaps_table(dossier)]
    return download(
        exports.tables_xlsx(dossier, tables, demo=demo),
        file_name=f"{_prefix(access, demo)}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@require_GET
@dossier_view(Capability.VIEW)
def export_csv(request: HttpRequest, *, access: DossierAccess, register: str) -> HttpResponse:
    if register not in (*exports.REGISTERS, exports.GAPS):
        raise Http404("register")
    demo = exports.is_demo(access.dossier)
    table = exports.register_table(access.dossier, register)
    return download(
        exports.table_csv(table, demo=demo),
        file_name=f"{_prefix(access, demo)}-{register}.csv",
        content_type=CSV_CONTENT_TYPE,
    )


@require_GET
@dossier_view(Capability.VIEW)
def export_json(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    data = exports.registers_json(access.dossier)
    return download(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        file_name=f"{_prefix(access, bool(data['notice']))}.json",
        content_type="application/json; charset=utf-8",
    )


@require_POST
@dossier_view(Capability.EDIT)
def import_json(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """Import a registers file (all or nothing); errors name the record and the field."""
    back = _url("overview", access) + "#importeren"
    form = RegistersImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a registers file (JSON)."))
        return redirect(back)
    uploaded = form.cleaned_data["bestand"]
    name = uploaded.name or "bestand.json"
    try:
        if uploaded.size > transfer.MAX_IMPORT_BYTES:  # before reading a byte of it
            raise transfer.ImportFileError(
                [f"{name}: groter dan {transfer.MAX_IMPORT_BYTES // 2**20} MB"]
            )
        data = transfer.parse_registers_json(uploaded.read(), name)
        report = transfer.registers_import(dossier=access.dossier, data=data, actor=request.user)
    except transfer.ImportFileError as exc:
        shown = exc.errors[:MAX_SHOWN_ERRORS]
        more = len(exc.errors) - len(shown)
        text = _("Nothing imported from %(name)s:") % {"name": name} + " " + "; ".join(shown)
        if more:
            text += " " + _("(and %(count)s more)") % {"count": more}
        messages.error(request, text)
        return redirect(back)
    added, changed = sum(report.created.values()), sum(report.updated.values())
    messages.success(
        request,
        _("Imported from %(name)s: %(added)s added, %(changed)s changed.")
        % {"name": name, "added": added, "changed": changed},
    )
    return redirect(back)


# --- Evidence ---------------------------------------------------------------------------------


def _next(request: HttpRequest, access: DossierAccess) -> str:
    target = request.POST.get("volgende", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return _url("overview", access)


@require_POST
@dossier_view(Capability.EDIT)
def evidence_add(request: HttpRequest, *, access: DossierAccess) -> HttpResponse:
    """Attach a citation of this dossier to a register object or a council information item."""
    back = _next(request, access)
    subject = selectors.evidence_subject(access.dossier, request.POST.get("onderwerp", ""))
    citation = selectors.register_citation(access.dossier, request.POST.get("citaat"))
    if subject is None:
        raise Http404("subject")
    if citation is None:
        messages.error(request, _("Choose a citation of this dossier."))
        return redirect(back)
    return run_service(
        request,
        lambda: services.evidence_link_add(
            dossier=access.dossier,
            subject=subject,
            citation=citation,
            actor=request.user,
            note=request.POST.get("notitie", "")[:500],
        ),
        success=_("Evidence attached."),
        redirect_to=back,
    )


@require_POST
@dossier_view(Capability.EDIT)
def evidence_remove(request: HttpRequest, *, access: DossierAccess, link_id: int) -> HttpResponse:
    link = _get(selectors.removable_evidence_links(access.dossier), link_id)
    services.evidence_link_remove(link=link, actor=request.user)
    messages.success(request, _("Evidence detached; the citation stays in the evidence store."))
    return redirect(_next(request, access))
