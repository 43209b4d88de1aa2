"""Dutch labels of the judgement statuses: the status "open" is not the verb "openen"."""

from django.utils import translation

from kansenaudit.web.judgements.models import Judgement


def test_status_open_is_an_adjective_in_dutch():
    with translation.override("nl"):
        labels = {value: str(label) for value, label in Judgement.Status.choices}
    assert labels["open"] == "open"
    assert labels["afgetekend"] == "afgetekend"
