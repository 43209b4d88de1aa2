# SPDX-License-Identifier: EUPL-1.2
"""Forms of the judgements pages: they parse and check input; the services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kansenaudit.policy.frameworks import Framework
from kansenaudit.web.core.formfields import Form
from kansenaudit.web.judgements.models import Judgement
from kansenaudit.web.judgements.services import NOT_APPLICABLE

MAX_FRAMEWORK_JSON = 200_000


def score_choices(framework: Framework) -> list[tuple[str, str]]:
    """Radio choices: every scale value with its label, then "n.v.t." when allowed."""
    choices = [
        (str(level.value), f"{level.value} – {level.label}") for level in framework.scale.levels
    ]
    if framework.scale.not_applicable:
        choices.append((NOT_APPLICABLE, framework.scale.not_applicable))
    return choices


def _assessor_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        empty_value=None,
        required=False,
        choices=[],
        widget=forms.Select(attrs={"class": "ka-select"}),
    )


class AssessorFields(Form):
    """Two optional places for assessors named in advance (members with edit rights)."""

    beoordelaar_1 = _assessor_field(_("Assessor 1"))
    beoordelaar_2 = _assessor_field(_("Assessor 2"))

    def __init__(self, *args: Any, assessors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("open: whoever submits first")), *assessors]
        for name in ("beoordelaar_1", "beoordelaar_2"):
            self.fields[name].choices = choices

    def assessor_ids(self) -> list[int | None]:
        return [self.cleaned_data.get("beoordelaar_1"), self.cleaned_data.get("beoordelaar_2")]


class StartForm(AssessorFields):
    """Start judgements of one subject on chosen criteria of the selected framework."""

    field_order = ["onderwerp", "criteria", "werkwijze", "beoordelaar_1", "beoordelaar_2"]

    onderwerp = forms.TypedChoiceField(label=_("Subject"), coerce=int, choices=[])
    criteria = forms.MultipleChoiceField(
        label=_("Criteria"), choices=[], widget=forms.CheckboxSelectMultiple
    )
    werkwijze = forms.ChoiceField(
        label=_("Assessment"),
        choices=Judgement.Mode.choices,
        initial=Judgement.Mode.DOUBLE,
        widget=forms.RadioSelect,
        help_text=_("Two assessors score independently and then agree on a consensus."),
    )

    def __init__(
        self,
        *args: Any,
        framework: Framework,
        subjects: list[tuple[int, str]],
        assessors: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, assessors=assessors, **kwargs)
        self.fields["onderwerp"].choices = subjects
        self.fields["criteria"].choices = [
            (c.code, f"{c.code} {c.name}") for c in framework.criteria
        ]
        self.fields["criteria"].initial = list(framework.codes)
        self.fields["onderwerp"].widget.attrs["class"] = "ka-select"


class CitationSelect(forms.SelectMultiple):
    """The plain multiple select, with each citation's document, page and quote as data
    attributes, so that ``kansenaudit/citation-picker.js`` can turn it into a searchable list."""

    details: dict[int, tuple[str, int, str]]

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.details = {}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        info = self.details.get(option["value"])
        if info is not None:
            option["attrs"].update(
                {"data-document": info[0], "data-page": str(info[1]), "data-quote": info[2]}
            )
        return option


class ScoreForm(Form):
    """An assessment or a consensus: a score on the scale, a rationale, and citations."""

    score = forms.ChoiceField(label=_("Score"), choices=[], widget=forms.RadioSelect)
    motivering = forms.CharField(
        label=_("Rationale"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6, "class": "ka-text-area"}),
    )
    citaten = forms.TypedMultipleChoiceField(
        label=_("Attach citations from the dossier"),
        required=False,
        coerce=int,
        choices=[],
        widget=CitationSelect(attrs={"class": "ka-select ka-citation-select", "size": 6}),
        help_text=_("Cite passages in the documents first; hold Ctrl or Cmd to choose several."),
    )

    def __init__(
        self, *args: Any, framework: Framework, citations: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = score_choices(framework)
        self.fields["citaten"].choices = [
            (c.pk, f"{c.document.title}, p. {c.page_number}: “{c.quote[:80]}”") for c in citations
        ]
        widget = self.fields["citaten"].widget
        widget.details = {c.pk: (c.document.title, c.page_number, c.quote) for c in citations}
        # The words of the searchable picker (citation-picker.js), in the interface language.
        widget.attrs.update(
            {
                "data-search-label": _("Search the citations (document, page or text)"),
                "data-count": _("%(shown)s of %(total)s citations shown, %(chosen)s chosen"),
                "data-page-label": _("page"),
                "data-hint": _("Tick the citations that support this judgement."),
            }
        )


class FrameworkForm(Form):
    """The framework as JSON (schema kansenaudit.framework/1), edited as text."""

    json = forms.CharField(
        label=_("Framework (JSON)"),
        max_length=MAX_FRAMEWORK_JSON,
        widget=forms.Textarea(attrs={"rows": 30, "class": "ka-text-area ka-framework-json"}),
        help_text=_(
            "Change names, questions, guidance or the scale, or add criteria. Criteria and "
            "scale values that judgements use cannot be removed."
        ),
    )
    notitie = forms.CharField(label=_("Why this change"), max_length=500, required=False)
