# SPDX-License-Identifier: EUPL-1.2
"""Form values that survive a round trip: what a form shows, the same form reads back unchanged.

Issue #11 §1: a measure saved without any change lost its dates and had its budgets multiplied
by 100. Two values did not survive the trip through the browser:

- a date in an ``<input type="date">`` was rendered in the language's input format
  (``01-01-2023`` in Dutch), which a browser does not accept there: it shows an empty field
  and submits nothing. Browser date inputs always speak ISO (``2023-01-01``), in every language;
- an amount was rendered as ``650000.00`` and read back with the dot as Dutch thousands
  separator (65,000,000). Amounts are now written and read with the active language's
  separators, strictly: a text that is not a well-formed number in that language is an error,
  never a guess.

A third change the round-trip test found: a browser submits every line break of a text area as
CRLF, so texts entered elsewhere (CLI, import, demo) with LF changed on the first unchanged save.
Submitted values get LF line breaks again.

Every form of the web app derives from :class:`Form` or :class:`ModelForm` (a test checks this),
so a new form gets all of this without thinking about it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.forms.widgets import DateTimeBaseInput
from django.utils.formats import get_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# The value formats of the browser input types (HTML's "valid date string" and friends); they
# do not depend on the language, unlike Django's first DATE_INPUT_FORMATS.
BROWSER_FORMATS = {
    "date": "%Y-%m-%d",
    "datetime-local": "%Y-%m-%dT%H:%M:%S",
    "time": "%H:%M:%S",
    "month": "%Y-%m",
}


class DateInput(forms.DateInput):
    """The browser's date picker, always fed an ISO date."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format=BROWSER_FORMATS["date"])


def browser_format(widget: forms.Widget) -> None:
    """Give a date/time widget rendered as a browser date/time input the browser's format."""
    if not isinstance(widget, DateTimeBaseInput):
        return
    kind = widget.attrs.get("type", widget.input_type)
    if kind in BROWSER_FORMATS:
        widget.input_type = kind
        widget.format = BROWSER_FORMATS[kind]


def _lf(value: object) -> object:
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def lf_line_breaks(data: object) -> object:
    """A copy of submitted ``data`` with LF line breaks (a browser sends CRLF)."""
    if hasattr(data, "lists") and hasattr(data, "setlist"):
        copy = data.copy()
        for key, values in data.lists():
            copy.setlist(key, [_lf(v) for v in values])
        return copy
    if isinstance(data, dict):
        return {key: _lf(value) for key, value in data.items()}
    return data


BLANK = "---------"  # Django's empty choice, which tells a person nothing


def readable_fields(fields: dict[str, forms.Field]) -> None:
    """Labels start with a capital; an empty choice says what choosing nothing means.

    A required choice offers "Choose …", an optional one "(none)", instead of "---------". The
    value of the empty choice stays "", so what a form submits does not change.
    """
    for field in fields.values():
        if field.label:
            field.label = capfirst(field.label)
        empty = _("Choose …") if field.required else _("(none)")
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == BLANK:
                field.empty_label = empty
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if any(value == "" and label == BLANK for value, label in choices):
                field.choices = [
                    (value, empty if value == "" and label == BLANK else label)
                    for value, label in choices
                ]


class RoundTripMixin:
    """Makes a form render every value so that the browser submits it back unchanged."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = lf_line_breaks(self.data)
        readable_fields(self.fields)

    def __getitem__(self, name: str) -> forms.BoundField:
        # On access rather than in __init__: some forms add their fields after __init__.
        browser_format(self.fields[name].widget)
        return super().__getitem__(name)


class Form(RoundTripMixin, forms.Form):
    """The base of every plain form of the web app."""


class ModelForm(RoundTripMixin, forms.ModelForm):
    """The base of every model form of the web app (and of the admin's change forms)."""


# --- amounts ----------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f]")


def format_amount(amount: Decimal) -> str:
    """``650000.00`` → ``650.000`` in Dutch, ``650,000`` in English; cents only when there are."""
    places = 0 if amount == amount.to_integral_value() else 2
    return number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)


def parse_amount(text: str) -> Decimal:
    """Read an amount written with the active language's separators, or raise ``ValueError``.

    Dutch: ``650000``, ``650.000``, ``650 000``, ``650.000,50``; English: ``650,000.50``. A
    separator that does not fit the language (``650000.00`` in Dutch) is an error rather than a
    guess: reading it as a thousands separator is what multiplied the budgets by 100.
    """
    decimal = re.escape(get_format("DECIMAL_SEPARATOR"))
    thousands = re.escape(get_format("THOUSAND_SEPARATOR"))
    compact = _SPACES.sub("", text)
    cents = rf"(?:{decimal}\d{{1,2}})?"
    if not re.fullmatch(rf"(?:\d+|\d{{1,3}}(?:{thousands}\d{{3}})+){cents}", compact):
        raise ValueError(f"not an amount: {text!r}")
    plain = compact.replace(get_format("THOUSAND_SEPARATOR"), "")
    try:
        return Decimal(plain.replace(get_format("DECIMAL_SEPARATOR"), "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise ValueError(f"not an amount: {text!r}") from exc
