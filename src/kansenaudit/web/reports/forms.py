# SPDX-License-Identifier: EUPL-1.2
"""Forms of the reports pages (on the shared base: labels, ISO dates, locale numbers)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kansenaudit.web.core.formfields import Form
from kansenaudit.web.reports.models import Chapter, Report, ReportVersion

MAX_TEMPLATE_UPLOAD = 20_000_000


class ReportForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Report.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    subtitle = forms.CharField(label=_("Subtitle"), max_length=300, required=False)


class ChapterForm(Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true", "lang": "nl"}),
        help_text=_(
            "References: {{citation:ID}} for a footnote, {{quote:ID}} for a quote with its "
            "footnote, {{number:indicator/area/year}} for a number from the statistics, "
            "{{table:measures}} for the measures register."
        ),
    )


class ChapterAddForm(Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Chapter.Kind.choices, initial="chapter")


class VersionForm(Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ReportVersion.Purpose.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class TemplateForm(Form):
    template = forms.FileField(label=_("Word template (.docx or .dotx)"))

    def clean_template(self):  # noqa: ANN201
        upload = self.cleaned_data["template"]
        if upload.size > MAX_TEMPLATE_UPLOAD:
            raise forms.ValidationError(_("The template may be at most 20 MB."))
        if not upload.name.lower().endswith((".docx", ".dotx")):
            raise forms.ValidationError(_("Upload a Word template: a .docx or .dotx file."))
        return upload
