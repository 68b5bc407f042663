"""Date expressions resolved against the publication date; nothing invented."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.extract.dates import find_dates, resolve_date
from sitrep.model import DATE_PRECISIONS, Document, EventDate

# A Thursday: "on Tuesday" is 3 October, "last week" is 25 September to 1 October.
PUBLISHED = date(2017, 10, 5)


def _r(text, published=PUBLISHED):
    d = resolve_date(text, published=published)
    return d.start, d.end, d.precision


# --- absolute dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["September 30", "30 September", "30 September 2017", "Sept. 30", "Sept 30, 2017", "30th of September"]
)
def test_day_and_month_resolve_to_that_day(text):
    assert _r(text) == ("2017-09-30", "2017-09-30", "day")


def test_the_night_of_a_date_is_that_date():
    assert _r("on the night of September 30") == ("2017-09-30", "2017-09-30", "day")


def test_a_day_later_in_the_year_than_publication_is_last_year():
    assert _r("December 30") == ("2016-12-30", "2016-12-30", "day")


def test_in_a_year_is_year_precision():
    assert _r("in 2016") == ("2016-01-01", "2016-12-31", "year")


def test_a_bare_month_is_the_most_recent_one_not_after_publication():
    assert _r("in March") == ("2017-03-01", "2017-03-31", "month")
    assert _r("in November") == ("2016-11-01", "2016-11-30", "month")


def test_the_month_of_publication_ends_on_publication():
    assert _r("in October") == ("2017-10-01", "2017-10-05", "month")


def test_mid_month_is_its_middle_third():
    assert _r("mid-September") == ("2017-09-11", "2017-09-20", "month")


def test_mid_month_not_yet_reached_is_last_years():
    assert _r("mid-October") == ("2016-10-11", "2016-10-20", "month")


def test_early_year_is_its_first_third():
    assert _r("early 2017") == ("2017-01-01", "2017-04-30", "year")


def test_a_stated_period_after_publication_is_kept_whole():
    assert _r("in 2018") == ("2018-01-01", "2018-12-31", "year")
    assert _r("May 2018") == ("2018-05-01", "2018-05-31", "month")


def test_month_and_year():
    assert _r("May 2017") == ("2017-05-01", "2017-05-31", "month")


# --- relative dates ---------------------------------------------------------------------------


def test_yesterday_and_today():
    assert _r("yesterday") == ("2017-10-04", "2017-10-04", "day")
    assert _r("today") == ("2017-10-05", "2017-10-05", "day")


def test_a_weekday_is_the_most_recent_one_on_or_before_publication():
    assert _r("on Tuesday") == ("2017-10-03", "2017-10-03", "day")
    assert _r("Thursday") == ("2017-10-05", "2017-10-05", "day")
    assert _r("on Friday") == ("2017-09-29", "2017-09-29", "day")


def test_next_weekday_looks_forward():
    assert _r("next Tuesday") == ("2017-10-10", "2017-10-10", "day")
    assert _r("last Thursday") == ("2017-09-28", "2017-09-28", "day")


def test_a_weekday_night_keeps_its_day():
    assert _r("on Monday night") == ("2017-10-02", "2017-10-02", "day")


def test_last_week_is_the_previous_calendar_week():
    assert _r("last week") == ("2017-09-25", "2017-10-01", "week")


def test_this_week_runs_from_monday_to_publication():
    assert _r("this week") == ("2017-10-02", "2017-10-05", "week")


def test_last_month_is_the_whole_previous_month():
    assert _r("last month") == ("2017-09-01", "2017-09-30", "month")


def test_earlier_this_month_runs_to_publication():
    assert _r("earlier this month") == ("2017-10-01", "2017-10-05", "month")


def test_days_ago():
    assert _r("two days ago") == ("2017-10-03", "2017-10-03", "day")
    assert _r("3 days ago") == ("2017-10-02", "2017-10-02", "day")


def test_over_two_days_is_a_window_ending_at_publication():
    assert _r("over two days") == ("2017-10-04", "2017-10-05", "day")
    assert _r("in the past 48 hours") == ("2017-10-04", "2017-10-05", "day")
    assert _r("the past three days") == ("2017-10-03", "2017-10-05", "day")


def test_overnight_spans_the_night_before_publication():
    assert _r("overnight") == ("2017-10-04", "2017-10-05", "day")


def test_days_after_an_unresolvable_anchor_stays_unknown():
    assert _r("mere days after the launch") == (None, None, "unknown")


def test_days_after_a_dated_anchor_is_a_window_after_it():
    assert _r("mere days after September 30") == ("2017-10-01", "2017-10-05", "week")
    assert _r("two days after 30 September") == ("2017-10-02", "2017-10-02", "day")


# --- never invent -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["the past decade", "soon", "at the time", "the launch", "next to the river"])
def test_unresolvable_expressions_stay_unknown(text):
    assert resolve_date(text, published=PUBLISHED) == EventDate(None, None, "unknown", text)


def test_without_publication_day_and_month_keep_no_year():
    assert _r("September 30", None) == ("--09-30", "--09-30", "day")
    assert _r("in March", None) == ("--03-01", "--03-31", "month")


def test_without_publication_an_explicit_year_still_resolves():
    assert _r("30 September 2017", None) == ("2017-09-30", "2017-09-30", "day")
    assert _r("in 2016", None) == ("2016-01-01", "2016-12-31", "year")


@pytest.mark.parametrize("text", ["yesterday", "on Tuesday", "last week", "two days ago", "overnight"])
def test_without_publication_relative_dates_are_unknown(text):
    assert _r(text, None) == (None, None, "unknown")


def test_an_impossible_day_is_unknown():
    assert _r("31 September") == (None, None, "unknown")


# --- find_dates over a document ---------------------------------------------------------------


def test_find_dates_reads_each_expression_once_with_its_evidence(nlp):
    text = (
        "On the night of September 30, fighters attacked the base. The army struck back on Monday "
        "night and again yesterday, three times over two days. In March the group may march north."
    )
    doc = nlp(text)
    document = Document(id="doc-d", source="test", text=text, published=PUBLISHED)
    found = [(m.text, d.start, d.precision) for m, d in find_dates(doc, document)]
    assert found == [
        ("the night of September 30", "2017-09-30", "day"),
        ("Monday night", "2017-10-02", "day"),
        ("yesterday", "2017-10-04", "day"),
        ("over two days", "2017-10-04", "day"),
        ("March", "2017-03-01", "month"),
    ]
    for mention, _ in find_dates(doc, document):
        assert text[mention.start : mention.end] == mention.text


def test_find_dates_uses_the_documents_publication_date_unless_told_otherwise(nlp):
    text = "The convoy was hit yesterday."
    doc = nlp(text)
    document = Document(id="doc-d", source="test", text=text, published=PUBLISHED)
    ((_, with_doc),) = find_dates(doc, document)
    ((_, without),) = find_dates(doc, document, published=None)
    assert with_doc.start == "2017-10-04"
    assert without.precision == "unknown"


def test_find_dates_keeps_unreadable_spacy_dates_as_unknown(nlp):
    text = "Fighting has raged for the past decade."
    doc = nlp(text)
    document = Document(id="doc-d", source="test", text=text, published=PUBLISHED)
    found = [(m.text, d.precision) for m, d in find_dates(doc, document)]
    assert ("the past decade", "unknown") in found


FORMS = [
    "September 30", "29 February", "31 December", "1 January 2017", "in March", "in December",
    "mid-January", "late December", "early 2017", "in 2016", "yesterday", "today", "overnight",
    "on Sunday", "on Monday night", "next Monday", "last week", "this week", "last month",
    "earlier this month", "last year", "two days ago", "3 weeks ago", "two months ago",
    "over two days", "the past 48 hours", "days after September 30", "two days before 1 January",
]


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)), st.sampled_from(FORMS))
def test_any_resolution_is_a_well_formed_window(published, text):
    d = resolve_date(text, published=published)
    assert d.precision in DATE_PRECISIONS
    if d.precision == "unknown":
        assert d.start is None and d.end is None
    else:
        assert date.fromisoformat(d.start) <= date.fromisoformat(d.end)


def test_three_times_over_two_days_spans_the_two_days_before_publication(nlp):
    text = "Turkish jets struck the town three times over two days."
    document = Document(id="doc-d", source="test", text=text, published=PUBLISHED)
    ((mention, when),) = find_dates(nlp(text), document)
    assert mention.text == "over two days"
    assert (when.start, when.end, when.precision) == ("2017-10-04", "2017-10-05", "day")
