"""Measuring the five life domains: the form, its rules, corrections and progress on the dossier."""

import json
import re

import pytest
from django.contrib.messages import ERROR, get_messages
from django.db import IntegrityError, transaction
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils.html import strip_tags

from cases.models import TimelineEvent
from lifedomains.domains import Domain
from lifedomains.models import Assessment, DomainScore
from tests.factories import ClientFactory, TrajectoryFactory, days

pytestmark = pytest.mark.django_db

DOMAINS = ["housing", "admin", "care", "finances", "work"]
FIELDS = ["score", "discussed", "not_discussed_reason", "wish", "wish_strength", "note"]


@pytest.fixture
def trajectory(team, caseworker):
    return TrajectoryFactory(
        client=ClientFactory(team=team, first_name="Jayden", last_name="Verhoef"),
        caseworker=caseworker,
        started_on=days(-100),
    )


def create_url(trajectory) -> str:
    return reverse("lifedomains:assessment-create", args=[trajectory.pk])


def update_url(assessment) -> str:
    return reverse("lifedomains:assessment-update", args=[assessment.pk])


def dossier_url(trajectory) -> str:
    return reverse("cases:client-detail", args=[trajectory.client.pk])


def domain_data(domain: str, *, score=3, discussed=True, reason="", wish="", strength="") -> dict:
    data = {
        f"{domain}-score": "" if score is None else str(score),
        f"{domain}-not_discussed_reason": reason,
        f"{domain}-wish": wish,
        f"{domain}-wish_strength": str(strength),
        f"{domain}-note": "",
    }
    if discussed:
        data[f"{domain}-discussed"] = "on"
    return data


def assessment_data(moment="t0", date=None, note="", version=None, **domains) -> dict:
    """A valid post: every domain scored 3 unless `domains` says otherwise."""
    data = {"moment": moment, "date": (date or days(-1)).isoformat(), "note": note}
    if version is not None:
        data["version"] = version
    for domain in DOMAINS:
        data |= domain_data(domain, **domains.get(domain, {}))
    return data


def make_assessment(trajectory, moment, date, scores: dict, **score_fields) -> Assessment:
    """An assessment with the given score per domain (None: not discussed)."""
    assessment = Assessment.objects.create(trajectory=trajectory, moment=moment, date=date)
    for domain, score in scores.items():
        DomainScore.objects.create(
            assessment=assessment,
            domain=domain,
            score=score,
            discussed=score is not None,
            not_discussed_reason="" if score is not None else "Geen tijd",
            **score_fields.get(domain, {}),
        )
    return assessment


def forms_by_domain(response) -> dict:
    return {form.domain.value: form for form in response.context["domain_forms"]}


def nothing_saved() -> bool:
    return (
        not Assessment.objects.exists()
        and not DomainScore.objects.exists()
        and not TimelineEvent.objects.filter(kind=TimelineEvent.Kind.LIFE_DOMAINS).exists()
    )


def input_tag(content: str, name: str, value: str) -> str:
    """The one <input> with this name and value."""
    tags = [
        tag
        for tag in re.findall(r"<input\b[^>]*>", content)
        if f'name="{name}"' in tag and f'value="{value}"' in tag
    ]
    assert len(tags) == 1, (name, value, tags)
    return tags[0]


# --- The form -------------------------------------------------------------------------------


def test_the_form_has_one_fieldset_per_domain_with_all_fields(caseworker_client, trajectory):
    response = caseworker_client.get(create_url(trajectory))

    assert response.status_code == 200
    assert [form.domain.value for form in response.context["domain_forms"]] == DOMAINS
    assert [form.prefix for form in response.context["domain_forms"]] == DOMAINS
    content = response.content.decode()
    assert content.count('<fieldset class="rio-fieldset rio-domain">') == 5
    fieldsets = content.split('<fieldset class="rio-fieldset rio-domain">')[1:]
    for domain, fieldset in zip(DOMAINS, fieldsets, strict=True):
        for field in FIELDS:
            assert f'name="{domain}-{field}"' in fieldset, (domain, field)
        for level in range(1, 6):
            assert 'type="radio"' in input_tag(fieldset, f"{domain}-score", str(level))
        discussed = re.search(rf'<input\b[^>]*name="{domain}-discussed"[^>]*>', fieldset)
        assert 'type="checkbox"' in discussed.group(0)
        assert 'type="radio"' not in re.search(
            rf'<[a-z]+\b[^>]*name="{domain}-wish_strength"', fieldset
        ).group(0)
    for field in ["moment", "date", "note"]:
        assert f'name="{field}"' in content
        assert field in response.context["form"].fields


def test_a_valid_assessment_saves_one_assessment_five_scores_and_one_timeline_event(
    caseworker_client, trajectory, caseworker
):
    data = assessment_data(
        note="In de PI",
        housing={"score": 1, "wish": "Een eigen kamer", "strength": 5},
        work={"score": 4, "wish": "Werken in de bouw", "strength": 3},
    )

    response = caseworker_client.post(create_url(trajectory), data)

    assert response.status_code == 302
    assert response["Location"] == f"{dossier_url(trajectory)}#leefgebieden"
    assessment = Assessment.objects.get()
    assert assessment.trajectory == trajectory
    assert assessment.moment == Assessment.Moment.T0
    assert assessment.date == days(-1)
    assert assessment.note == "In de PI"
    assert assessment.created_by == caseworker
    scores = {score.domain: score for score in assessment.scores.all()}
    assert sorted(scores) == sorted(DOMAINS)
    assert DomainScore.objects.count() == 5
    assert scores["housing"].score == 1
    assert scores["housing"].wish == "Een eigen kamer"
    assert scores["housing"].wish_strength == 5
    assert scores["work"].score == 4
    assert scores["work"].wish_strength == 3
    assert scores["care"].score == 3
    assert scores["care"].wish_strength is None
    assert all(score.discussed for score in scores.values())
    event = TimelineEvent.objects.get(kind=TimelineEvent.Kind.LIFE_DOMAINS)
    assert event.trajectory == trajectory
    assert event.by == caseworker
    assert TimelineEvent.objects.count() == 1


def test_the_first_assessment_defaults_to_t0(caseworker_client, trajectory):
    response = caseworker_client.get(create_url(trajectory))

    assert response.context["form"].initial["moment"] == Assessment.Moment.T0
    assert re.search(r'<option value="t0" selected>', response.content.decode())


def test_the_next_assessment_defaults_to_interim(caseworker_client, trajectory):
    make_assessment(trajectory, "t0", days(-50), dict.fromkeys(DOMAINS, 2))

    response = caseworker_client.get(create_url(trajectory))

    assert response.context["form"].initial["moment"] == Assessment.Moment.INTERIM
    content = response.content.decode()
    assert re.search(r'<option value="interim" selected>', content)
    assert not re.search(r'<option value="t0" selected>', content)


def test_the_next_assessment_is_prefilled_with_the_latest_scores_and_wishes(
    caseworker_client, trajectory
):
    make_assessment(trajectory, "t0", days(-80), dict.fromkeys(DOMAINS, 1))
    make_assessment(
        trajectory,
        "interim",
        days(-10),
        {"housing": 2, "admin": 4, "care": None, "finances": 3, "work": 5},
        housing={"wish": "Een eigen kamer", "wish_strength": 5},
        work={"wish": "Een opleiding", "wish_strength": 2},
    )

    response = caseworker_client.get(create_url(trajectory))

    forms = forms_by_domain(response)
    assert forms["housing"].initial["score"] == 2
    assert forms["housing"].initial["wish"] == "Een eigen kamer"
    assert forms["housing"].initial["wish_strength"] == 5
    assert forms["admin"].initial["score"] == 4
    assert forms["care"].initial["score"] is None
    assert forms["care"].initial["discussed"] is False
    assert forms["work"].initial["wish"] == "Een opleiding"
    content = response.content.decode()
    for domain, checked in {"housing": 2, "admin": 4, "finances": 3, "work": 5}.items():
        for level in range(1, 6):
            tag = input_tag(content, f"{domain}-score", str(level))
            assert (" checked" in tag) == (level == checked), (domain, level, tag)
    for level in range(1, 6):
        assert " checked" not in input_tag(content, "care-score", str(level))
    assert "Een eigen kamer" in content
    assert re.search(r'<option value="5" selected>5</option>', content)


# --- Validation: nothing is saved half-way (RF-5) -------------------------------------------


@pytest.mark.parametrize("score", ["0", "6", "abc", "-1", "3.5"])
def test_an_impossible_score_is_an_error_on_that_domain_and_nothing_is_saved(
    caseworker_client, trajectory, score
):
    data = assessment_data()
    data["finances-score"] = score

    response = caseworker_client.post(create_url(trajectory), data)

    assert response.status_code == 200
    forms = forms_by_domain(response)
    assert forms["finances"].has_error("score")
    assert not any(forms[domain].errors for domain in DOMAINS if domain != "finances")
    assert nothing_saved()


def test_a_discussed_domain_without_a_score_is_an_error(caseworker_client, trajectory):
    data = assessment_data(care={"score": None})

    response = caseworker_client.post(create_url(trajectory), data)

    assert response.status_code == 200
    assert forms_by_domain(response)["care"].has_error("score")
    assert nothing_saved()


def test_a_domain_not_discussed_without_a_reason_is_an_error(caseworker_client, trajectory):
    data = assessment_data(care={"score": None, "discussed": False, "reason": "   "})

    response = caseworker_client.post(create_url(trajectory), data)

    assert response.status_code == 200
    assert forms_by_domain(response)["care"].has_error("not_discussed_reason")
    assert nothing_saved()


@pytest.mark.parametrize("score", [None, 4])
def test_a_domain_not_discussed_with_a_reason_is_saved_without_a_score(
    caseworker_client, trajectory, score
):
    data = assessment_data(care={"score": score, "discussed": False, "reason": "Geen tijd meer"})

    response = caseworker_client.post(create_url(trajectory), data)

    assert response.status_code == 302
    care = DomainScore.objects.get(domain="care")
    assert care.discussed is False
    assert care.score is None
    assert care.not_discussed_reason == "Geen tijd meer"
    assert DomainScore.objects.filter(score=3).count() == 4


@pytest.mark.parametrize("strength", ["7", "0", "veel"])
def test_an_impossible_wish_strength_is_an_error(caseworker_client, trajectory, strength):
    data = assessment_data(housing={"wish": "Een kamer", "strength": strength})

    response = caseworker_client.post(create_url(trajectory), data)

    assert response.status_code == 200
    assert forms_by_domain(response)["housing"].has_error("wish_strength")
    assert nothing_saved()


@pytest.mark.parametrize(
    "date",
    [
        days(1).isoformat(),
        days(-101).isoformat(),
        "2024-02-30",
        "morgen",
    ],
    ids=["future", "before-start", "impossible", "no-date"],
)
def test_a_wrong_date_is_an_error_on_the_date(caseworker_client, trajectory, date):
    data = assessment_data()
    data["date"] = date

    response = caseworker_client.post(create_url(trajectory), data)

    assert response.status_code == 200
    assert response.context["form"].has_error("date")
    assert nothing_saved()


def test_the_start_date_of_the_trajectory_itself_is_allowed(caseworker_client, trajectory):
    response = caseworker_client.post(create_url(trajectory), assessment_data(date=days(-100)))

    assert response.status_code == 302
    assert Assessment.objects.get().date == days(-100)


def test_a_second_t0_in_the_same_trajectory_is_an_error_on_the_moment(
    caseworker_client, trajectory
):
    make_assessment(trajectory, "t0", days(-50), dict.fromkeys(DOMAINS, 2))

    response = caseworker_client.post(create_url(trajectory), assessment_data(moment="t0"))

    assert response.status_code == 200
    assert response.context["form"].has_error("moment")
    assert Assessment.objects.count() == 1
    assert DomainScore.objects.count() == 5


def test_a_t0_in_an_earlier_trajectory_does_not_block_the_t0_of_a_new_one(
    caseworker_client, team, caseworker
):
    old = TrajectoryFactory(
        client__team=team, caseworker=caseworker, closed=True, started_on=days(-400)
    )
    make_assessment(old, "t0", days(-390), dict.fromkeys(DOMAINS, 2))
    new = TrajectoryFactory(client=old.client, caseworker=caseworker)

    response = caseworker_client.post(create_url(new), assessment_data(moment="t0"))

    assert response.status_code == 302
    assert new.assessments.get().moment == Assessment.Moment.T0


def test_in_between_may_be_measured_more_than_once(caseworker_client, trajectory):
    make_assessment(trajectory, "t0", days(-50), dict.fromkeys(DOMAINS, 2))

    first = caseworker_client.post(
        create_url(trajectory), assessment_data(moment="interim", date=days(-20))
    )
    second = caseworker_client.post(
        create_url(trajectory), assessment_data(moment="interim", date=days(-10))
    )

    assert first.status_code == second.status_code == 302
    assert trajectory.assessments.filter(moment="interim").count() == 2
    assert DomainScore.objects.count() == 15


def test_an_unknown_moment_is_an_error(caseworker_client, trajectory):
    response = caseworker_client.post(create_url(trajectory), assessment_data(moment="m99"))

    assert response.status_code == 200
    assert response.context["form"].has_error("moment")
    assert nothing_saved()


def test_posting_trajectory_or_created_by_has_no_effect(
    caseworker_client, trajectory, caseworker, colleague, other_caseworker
):
    theirs = TrajectoryFactory(client__team=other_caseworker.team, caseworker=other_caseworker)
    data = assessment_data() | {
        "trajectory": theirs.pk,
        "created_by": colleague.pk,
        "version": 7,
        "housing-assessment": 999,
        "housing-domain": "work",
    }

    response = caseworker_client.post(create_url(trajectory), data)

    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.trajectory == trajectory
    assert assessment.created_by == caseworker
    assert assessment.version == 1
    assert not theirs.assessments.exists()
    assert sorted(assessment.scores.values_list("domain", flat=True)) == sorted(DOMAINS)


# --- The database rules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"discussed": True, "score": None},
        {"discussed": False, "score": None, "not_discussed_reason": ""},
        {"discussed": False, "score": 3, "not_discussed_reason": "Geen tijd"},
        {"discussed": True, "score": 6},
        {"discussed": True, "score": 3, "wish_strength": 0},
    ],
    ids=["discussed-without-score", "no-reason", "score-and-reason", "score-6", "strength-0"],
)
def test_the_database_refuses_a_score_that_breaks_the_rules(trajectory, fields):
    assessment = Assessment.objects.create(trajectory=trajectory, moment="t0", date=days(-1))

    with pytest.raises(IntegrityError), transaction.atomic():
        DomainScore.objects.create(assessment=assessment, domain="housing", **fields)

    assert not DomainScore.objects.exists()


def test_the_database_refuses_a_second_t0(trajectory):
    Assessment.objects.create(trajectory=trajectory, moment="t0", date=days(-10))

    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(trajectory=trajectory, moment="t0", date=days(-5))

    assert Assessment.objects.count() == 1


# --- Correcting the latest assessment -------------------------------------------------------


@pytest.fixture
def two_assessments(trajectory):
    older = make_assessment(trajectory, "t0", days(-60), dict.fromkeys(DOMAINS, 2))
    latest = make_assessment(trajectory, "interim", days(-5), dict.fromkeys(DOMAINS, 3))
    return older, latest


def scores_of(assessment) -> dict[str, int | None]:
    return dict(assessment.scores.values_list("domain", "score"))


def test_the_latest_assessment_form_shows_its_own_values(caseworker_client, two_assessments):
    _older, latest = two_assessments

    response = caseworker_client.get(update_url(latest))

    assert response.status_code == 200
    assert response.context["form"].instance == latest
    for domain, form in forms_by_domain(response).items():
        assert form.instance.assessment_id == latest.pk
        assert form.instance.domain == domain
    content = response.content.decode()
    assert " checked" in input_tag(content, "housing-score", "3")
    assert f'name="version" value="{latest.version}"' in content


def test_the_latest_assessment_can_be_corrected(caseworker_client, two_assessments):
    older, latest = two_assessments
    data = assessment_data(
        moment="interim",
        date=days(-4),
        note="Gecorrigeerd",
        version=latest.version,
        housing={"score": 5},
        care={"score": None, "discussed": False, "reason": "Ziek"},
    )

    response = caseworker_client.post(update_url(latest), data)

    assert response.status_code == 302
    latest.refresh_from_db()
    assert latest.note == "Gecorrigeerd"
    assert latest.date == days(-4)
    assert latest.version == 2
    assert scores_of(latest) == {
        "housing": 5,
        "admin": 3,
        "care": None,
        "finances": 3,
        "work": 3,
    }
    assert DomainScore.objects.count() == 10
    assert scores_of(older) == dict.fromkeys(DOMAINS, 2)


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_older_assessment_cannot_be_changed(caseworker_client, two_assessments, method):
    older, _latest = two_assessments
    data = assessment_data(moment="t0", date=days(-60), note="Achteraf", version=1)
    data["housing-score"] = "5"
    before = (list(Assessment.objects.values()), list(DomainScore.objects.values()))

    response = getattr(caseworker_client, method)(
        update_url(older), data if method == "post" else {}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{dossier_url(older.trajectory)}#leefgebieden"
    messages = list(get_messages(response.wsgi_request))
    assert [message.level for message in messages] == [ERROR]
    assert (list(Assessment.objects.values()), list(DomainScore.objects.values())) == before


def test_a_stale_version_gives_409_and_keeps_the_other_persons_change(
    caseworker_client, colleague, two_assessments
):
    _older, latest = two_assessments
    opened_at = latest.version
    other = HttpClient()
    other.force_login(colleague)
    theirs = assessment_data(
        moment="interim", note="Van de collega", version=opened_at, housing={"score": 4}
    )
    assert other.post(update_url(latest), theirs).status_code == 302

    mine = assessment_data(
        moment="interim", note="Van mij", version=opened_at, housing={"score": 1}, work={"score": 1}
    )
    response = caseworker_client.post(update_url(latest), mine)

    assert response.status_code == 409
    assert response.context["form"].non_field_errors()
    latest.refresh_from_db()
    assert latest.note == "Van de collega"
    assert latest.version == opened_at + 1
    assert scores_of(latest)["housing"] == 4
    assert scores_of(latest)["work"] == 3


def test_a_correction_without_a_version_is_refused(caseworker_client, two_assessments):
    _older, latest = two_assessments

    response = caseworker_client.post(
        update_url(latest), assessment_data(moment="interim", note="Zonder versie")
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("version")
    latest.refresh_from_db()
    assert latest.note == ""
    assert scores_of(latest) == dict.fromkeys(DOMAINS, 3)


def test_an_invalid_correction_changes_nothing(caseworker_client, two_assessments):
    _older, latest = two_assessments
    data = assessment_data(moment="interim", note="Half", version=latest.version)
    data["work-score"] = "9"

    response = caseworker_client.post(update_url(latest), data)

    assert response.status_code == 200
    assert forms_by_domain(response)["work"].has_error("score")
    latest.refresh_from_db()
    assert latest.note == ""
    assert latest.version == 1
    assert scores_of(latest) == dict.fromkeys(DOMAINS, 3)


def test_the_latest_cannot_become_a_second_t0(caseworker_client, two_assessments):
    _older, latest = two_assessments

    response = caseworker_client.post(
        update_url(latest), assessment_data(moment="t0", version=latest.version)
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("moment")
    latest.refresh_from_db()
    assert latest.moment == Assessment.Moment.INTERIM


# --- Progress on the dossier -------------------------------------------------------------------


T0_SCORES = {"housing": 1, "admin": 3, "care": None, "finances": 2, "work": 4}
M6_SCORES = {"housing": 3, "admin": 2, "care": 3, "finances": 2, "work": 5}


@pytest.fixture
def measured(trajectory):
    # The M6 is stored first: the table follows the dates, not the order of entry.
    m6 = make_assessment(trajectory, "m6", days(-3), M6_SCORES)
    t0 = make_assessment(trajectory, "t0", days(-90), T0_SCORES)
    return t0, m6


def section(content: str, anchor: str) -> str:
    start = content.index(f'<section id="{anchor}"')
    return content[start : content.index("</section>", start)]


def progress_table(content: str) -> tuple[list[str], list[dict]]:
    """The column headers and, per domain row, its scores and the change text."""
    html = section(content, "leefgebieden")
    table = re.search(r'<table class="rio-table rio-progress">(.*?)</table>', html, re.S).group(1)
    head, body = table.split("<tbody>")
    headers = [strip_tags(th) for th in re.findall(r'<th scope="col">(.*?)</th>', head, re.S)]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        *score_cells, change = re.findall(r"<td>(.*?)</td>", row, re.S)
        scores = []
        for cell in score_cells:
            number = re.search(r'class="rio-score rio-score--(\d)">(\d)<', cell)
            if number:
                assert number.group(1) == number.group(2)
                scores.append(int(number.group(1)))
            else:
                assert 'class="visually-hidden"' in cell, cell
                scores.append(None)
        rows.append({"scores": scores, "change": " ".join(strip_tags(change).split())})
    return headers, rows


def test_the_progress_table_shows_the_scores_per_domain_in_the_order_of_the_assessments(
    caseworker_client, trajectory, measured
):
    content = caseworker_client.get(dossier_url(trajectory)).content.decode()

    headers, rows = progress_table(content)
    assert len(headers) == 4  # domain, T0, M6, change
    assert days(-90).strftime("%d-%m-%Y") in headers[1]
    assert days(-3).strftime("%d-%m-%Y") in headers[2]
    assert [row["scores"] for row in rows] == [
        [T0_SCORES[domain], M6_SCORES[domain]] for domain in DOMAINS
    ]


def test_the_progress_table_shows_the_change_since_t0_with_a_sign(
    caseworker_client, trajectory, measured
):
    content = caseworker_client.get(dossier_url(trajectory)).content.decode()

    _headers, rows = progress_table(content)
    changes = dict(zip(DOMAINS, (row["change"] for row in rows), strict=True))
    assert changes["housing"].endswith("+2")
    assert changes["admin"].endswith("-1")
    assert "+" not in changes["admin"]
    assert changes["finances"].endswith("0")
    assert not re.search(r"[+-]", changes["finances"])
    assert changes["work"].endswith("+1")
    # Care was not discussed at T0: there is no change to show.
    assert not re.search(r"\d", changes["care"])


def test_a_domain_not_discussed_shows_as_not_discussed(caseworker_client, trajectory, measured):
    content = caseworker_client.get(dossier_url(trajectory)).content.decode()

    _headers, rows = progress_table(content)
    care = rows[DOMAINS.index("care")]
    assert care["scores"] == [None, 3]


def test_the_chart_data_holds_the_same_numbers_as_the_table(
    caseworker_client, trajectory, measured
):
    content = caseworker_client.get(dossier_url(trajectory)).content.decode()

    match = re.search(r'<script id="progress-data" type="application/json">(.*?)</script>', content)
    assert match
    data = json.loads(match.group(1))
    _headers, rows = progress_table(content)
    assert [series["scores"] for series in data["series"]] == [row["scores"] for row in rows]
    assert len(data["series"]) == 5
    assert [label.split()[-1] for label in data["labels"]] == [
        days(-90).strftime("%d-%m-%Y"),
        days(-3).strftime("%d-%m-%Y"),
    ]
    assert [series["label"] for series in data["series"]] == [
        str(Domain(domain).label) for domain in DOMAINS
    ]


def test_the_chart_is_hidden_until_the_script_shows_it(caseworker_client, trajectory, measured):
    content = caseworker_client.get(dossier_url(trajectory)).content.decode()

    container = re.search(r'<div class="rio-chart"[^>]*>', content)
    assert container
    assert re.search(r"\shidden(\s|>|=)", container.group(0))
    assert 'data-rio-chart-for="progress-data"' in container.group(0)
    # The table comes first, so without the script the numbers are all there.
    assert content.index('class="rio-table rio-progress"') < container.start()


def test_the_dossier_links_to_correcting_only_the_latest_assessment(
    caseworker_client, trajectory, measured
):
    t0, m6 = measured

    content = caseworker_client.get(dossier_url(trajectory)).content.decode()

    html = section(content, "leefgebieden")
    assert update_url(m6) in html
    assert update_url(t0) not in html
    assert create_url(trajectory) in html


def test_without_assessments_the_dossier_has_no_table_and_no_chart(caseworker_client, trajectory):
    content = caseworker_client.get(dossier_url(trajectory)).content.decode()

    html = section(content, "leefgebieden")
    assert "rio-progress" not in html
    assert 'id="progress-data"' not in content
    assert create_url(trajectory) in html
