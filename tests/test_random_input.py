"""BI-5: random input on any form the caseworker can post never gives a 500.

Every route of the `cases`, `lifedomains`, `partners` and `followup` namespaces
that takes a POST is covered: the parameterised routes come from the scoping matrices'
BUILDERS (so a new route there is fuzzed here too), plus the plain form pages.
The field names are read from the rendered page, so a new form field is fuzzed
without touching this file; only the POST-only routes have a hand-written list.
"""

import datetime
import io
import operator
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Trajectory
from lifedomains.domains import Regie
from partners.models import Bottleneck
from tests.cases import test_scoping as cases_scoping
from tests.cases.test_scoping import BUILDERS as CASES_BUILDERS
from tests.factories import MINIMAL_PDF
from tests.followup import test_scoping as followup_scoping
from tests.followup.test_scoping import BUILDERS as FOLLOWUP_BUILDERS
from tests.lifedomains import test_scoping as lifedomains_scoping
from tests.lifedomains.test_scoping import BUILDERS as LIFEDOMAINS_BUILDERS
from tests.partners import test_scoping as partners_scoping
from tests.partners.test_scoping import BUILDERS as PARTNERS_BUILDERS

pytestmark = pytest.mark.django_db

# Anything but a server error: a form error, a redirect, a refusal.
ALLOWED_STATUS = {200, 302, 400, 404, 405, 409, 413, 429}

FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- The routes --------------------------------------------------------------------------------


def builders() -> dict:
    """Route name -> builder, for every parameterised route that accepts POST."""
    found = {}
    for namespace, module, route_builders in [
        ("cases", cases_scoping, CASES_BUILDERS),
        ("lifedomains", lifedomains_scoping, LIFEDOMAINS_BUILDERS),
        ("partners", partners_scoping, PARTNERS_BUILDERS),
        ("followup", followup_scoping, FOLLOWUP_BUILDERS),
    ]:
        for name, builder in route_builders.items():
            if name not in module.GET_ONLY:
                found[f"{namespace}:{name}"] = builder
    return found


BUILDERS = builders()

PLAIN_ROUTES = [
    "cases:client-create",
    "cases:caseload-handover",
    "cases:client-search-bsn",
    "partners:organisation-create",
    "partners:bottleneck-create",
    "followup:inbox-read-all",
]

ROUTES = sorted(BUILDERS) + PLAIN_ROUTES

UPLOAD_ROUTES = ["cases:document-create", "cases:dji-create"]


@dataclass
class Field:
    kind: str = "text"
    options: list[str] = field(default_factory=list)
    multiple: bool = False


# The routes that refuse GET: what their (hidden or inline) forms post.
POST_ONLY_FIELDS = {
    "cases:trajectory-transition": {
        "to": Field("select", [Trajectory.Status.DETENTION, Trajectory.Status.AFTERCARE]),
        "on": Field("date"),
    },
    "cases:network-delete": {},
    "cases:client-search-bsn": {"bsn": Field("text")},
    "lifedomains:action-done": {},
    "partners:bottleneck-escalate": {
        "to": Field("select", list(Regie.values)),
        "note": Field("textarea"),
        "skip_reason": Field("textarea"),
    },
    "partners:bottleneck-status": {
        "to": Field("select", list(Bottleneck.Status.values)),
        "note": Field("textarea"),
        "resolution": Field("textarea"),
    },
    "followup:notification-read": {},
    "followup:notification-open": {},
    "followup:inbox-read-all": {},
}


def test_every_post_only_route_has_a_hand_written_field_list():
    post_only = {
        f"{namespace}:{name}"
        for namespace, module in [
            ("cases", cases_scoping),
            ("lifedomains", lifedomains_scoping),
            ("partners", partners_scoping),
            ("followup", followup_scoping),
        ]
        for name in module.POST_ONLY
    }
    assert post_only | {"cases:client-search-bsn"} == set(POST_ONLY_FIELDS)
    assert set(POST_ONLY_FIELDS) <= set(ROUTES)


# --- Reading the form fields from the page -----------------------------------------------------


class PostFormFields(HTMLParser):
    """The named input, select, textarea and button elements of the page's own POST forms.

    Forms that post elsewhere (the language switch, logout) are not this page's forms.
    """

    def __init__(self, url: str):
        super().__init__()
        self.url = url
        self.fields: dict[str, Field] = {}
        self.in_form = False
        self.select: Field | None = None

    def field(self, name: str, kind: str) -> Field:
        return self.fields.setdefault(name, Field(kind))

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.in_form = attrs.get("method", "get").lower() == "post" and (
                attrs.get("action", "") in {"", self.url}
            )
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "option" and self.select is not None:
            self.select.options.append(attrs.get("value", ""))
            return
        if not name or name == "csrfmiddlewaretoken":
            return
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            entry = self.field(name, kind)
            if kind in {"checkbox", "radio", "hidden", "submit"} and "value" in attrs:
                entry.options.append(attrs["value"])
            if kind == "checkbox" and len(entry.options) > 1:
                entry.multiple = True
        elif tag == "select":
            self.select = self.field(name, "select")
            self.select.multiple = "multiple" in attrs
        elif tag == "textarea":
            self.field(name, "textarea")
        elif tag == "button" and "value" in attrs:
            self.field(name, "submit").options.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None


def post_form_fields(html: str, url: str) -> dict[str, Field]:
    parser = PostFormFields(url)
    parser.feed(html)
    parser.close()
    return parser.fields


# --- Strategies --------------------------------------------------------------------------------

EDGE_VALUES = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "2147483648",
    "-9223372036854775809",
    "99999999999999999999999999999999",
    "1e400",
    "NaN",
    "inf",
    "-0",
    "0x10",
    "1.5",
    "2024-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "31-12-2024",
    "2024-13-01",
    "2024-01-01T25:61",
    "9999-12-31T23:59",
    "\x00",
    "a\x00b",
    "2024-01-01\x00",
    "on",
    "true",
    "null",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "\u202e\ufeff\u200b",
    "😀" * 3,
]

long_strings = st.builds(
    operator.mul,
    st.sampled_from(["a", "é", "😀", "\x00", "1", " ", "<"]),
    st.integers(min_value=256, max_value=70_000),
)

random_scalars = st.one_of(
    st.text(),
    st.integers().map(str),
    st.dates().map(datetime.date.isoformat),
    st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
    st.sampled_from(EDGE_VALUES),
    long_strings,
)


@st.composite
def zip_bytes(draw) -> bytes:
    names = draw(
        st.lists(
            st.one_of(
                st.sampled_from(["word/document.xml", "mimetype", "content.xml"]),
                st.text(st.characters(codec="ascii", min_codepoint=32), min_size=1, max_size=20),
            ),
            max_size=4,
            unique=True,
        )
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, draw(st.binary(max_size=64)))
    data = buffer.getvalue()
    # Sometimes a damaged archive: cut it off somewhere.
    return data[: draw(st.integers(min_value=4, max_value=max(4, len(data))))]


file_contents = st.one_of(
    st.binary(max_size=2048),
    st.builds(
        operator.add,
        st.sampled_from([b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"PK\x03\x04"]),
        st.binary(max_size=512),
    ),
    zip_bytes(),
    st.just(MINIMAL_PDF),
    st.just(b""),
)

file_names = st.builds(
    operator.add,
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"\\/'),
        max_size=40,
    ),
    st.sampled_from([".pdf", ".PDF", ".png", ".jpg", ".docx", ".odt", ".exe", ".pdf.exe", ""]),
).filter(lambda name: name.strip(". "))

content_types = st.sampled_from(
    ["application/pdf", "image/png", "image/jpeg", "text/html", "application/octet-stream", ""]
)


@st.composite
def uploads(draw) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        draw(file_names), draw(file_contents), content_type=draw(content_types) or None
    )


MISSING = object()

emails = st.sampled_from(["jongere@example.org", "x@y.nl"])
small_pks = st.integers(min_value=1, max_value=500).map(str)


def near(days: int):
    today = timezone.localdate()
    delta = datetime.timedelta(days=days)
    return st.dates(today - delta, today + delta)


any_date = st.dates(datetime.date.min, datetime.date.max)


def plausible_value(name: str, entry: Field):
    """What a person filling in the form could post for this field."""
    options = [option for option in entry.options if option]
    if entry.kind == "file":
        return uploads()
    if entry.multiple:
        return st.lists(st.sampled_from(options) if options else small_pks, max_size=3, unique=True)
    if options:
        one = st.sampled_from(options)
        return st.one_of(one, small_pks) if entry.kind == "select" else one
    if entry.kind == "select":
        return st.one_of(st.just(""), small_pks)
    if entry.kind == "checkbox":
        return st.sampled_from(["on", ""])
    if entry.kind == "datetime-local":
        return near(60).map(lambda day: f"{day.isoformat()}T10:30")
    if entry.kind == "date" or name.endswith(("date", "_on", "_start", "_release")):
        # Mostly near today, but also anywhere in date.min..date.max and the very ends, so a
        # typo like 9999-12-31 reaches code that adds months to it (issue 12).
        return st.one_of(
            near(400), any_date, st.sampled_from([datetime.date.min, datetime.date.max])
        ).map(datetime.date.isoformat)
    if entry.kind == "number" or name.endswith("version"):
        return st.integers(min_value=0, max_value=5).map(str)
    if entry.kind == "email":
        return emails
    if entry.kind == "url":
        return st.just("https://example.org/")
    return st.text(st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=30)


def wild_value(entry: Field):
    """Anything at all: random text and numbers, odd dates, NUL bytes, huge strings."""
    if entry.kind == "file":
        return uploads()
    if entry.options:
        one = st.one_of(st.sampled_from(entry.options), random_scalars)
    elif entry.kind == "date":
        one = st.one_of(st.dates().map(datetime.date.isoformat), random_scalars)
    elif entry.kind == "number":
        one = st.one_of(st.integers().map(str), random_scalars)
    else:
        one = random_scalars
    if entry.multiple:
        return st.lists(one, max_size=4)
    # Sometimes a single field is posted more than once.
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


@st.composite
def form_data(draw, fields: dict[str, Field]) -> dict:
    """Plausible values, except for a random set of fields that get wild values or none.

    Keeping most fields plausible lets a form validate often enough to reach the
    code behind it (saving, status changes, the timeline), not only the form errors.
    """
    # Often no wild field at all, so that a whole plausible form gets through too.
    wild = (
        draw(st.one_of(st.just(set()), st.sets(st.sampled_from(sorted(fields)))))
        if fields
        else set()
    )
    data = {}
    for name, entry in fields.items():
        if name in wild:
            value = draw(st.one_of(st.just(MISSING), wild_value(entry)))
        else:
            value = draw(plausible_value(name, entry))
        if value is not MISSING:
            data[name] = value
    if draw(st.booleans()):
        data[draw(st.text(min_size=1, max_size=20))] = draw(random_scalars)
    return data


def plausible_data(fields: dict[str, Field]):
    """Plausible values everywhere, so the random upload reaches the file checks."""
    return st.fixed_dictionaries(
        {name: plausible_value(name, entry) for name, entry in fields.items()}
    )


# --- The page under test -----------------------------------------------------------------------


@dataclass
class Target:
    url: str
    fields: dict[str, Field]


@pytest.fixture
def target(route, team, caseworker, colleague, caseworker_client) -> Target:
    # A regional partner, so the organisation choices are not empty.
    partners_scoping.reclassering()
    builder = BUILDERS.get(route)
    url = reverse(route, kwargs={"pk": builder(team, caseworker)} if builder else {})
    if route in POST_ONLY_FIELDS:
        return Target(url, POST_ONLY_FIELDS[route])
    response = caseworker_client.get(url)
    assert response.status_code == 200
    fields = post_form_fields(response.content.decode(), url)
    assert fields, f"no form fields found on {url}"
    return Target(url, fields)


def post(client, url: str, data: dict, *, htmx: bool):
    headers = {"HX-Request": "true"} if htmx else {}
    # A savepoint per request: a database error in one example cannot poison the
    # test transaction for the next ones (or for Hypothesis' shrinking).
    with transaction.atomic():
        return client.post(url, data, headers=headers)


# --- The tests ---------------------------------------------------------------------------------


def test_the_field_reader_finds_inputs_selects_and_textareas_of_post_forms_only():
    html = """
        <form method="get"><input name="q"></form>
        <form method="post" action="/i18n/setlang/"><input name="language"></form>
        <form method="POST" action="/page/">
          <input type="hidden" name="csrfmiddlewaretoken" value="x">
          <input type="hidden" name="version" value="3">
          <input name="title"><input type="date" name="on">
          <select name="kind">
            <option value="">--</option><option value="plan">Plan</option>
          </select>
          <input type="checkbox" name="domains" value="care">
          <input type="checkbox" name="domains" value="work">
          <textarea name="summary"></textarea>
          <input type="file" name="file">
        </form>
    """

    fields = post_form_fields(html, "/page/")

    assert set(fields) == {"version", "title", "on", "kind", "domains", "summary", "file"}
    assert fields["kind"].options == ["", "plan"]
    assert fields["domains"].options == ["care", "work"]
    assert fields["domains"].multiple
    assert fields["version"].options == ["3"]
    assert fields["on"].kind == "date"
    assert fields["file"].kind == "file"


def test_every_fuzzed_route_exists_and_the_upload_routes_are_among_them():
    for route in PLAIN_ROUTES:
        reverse(route)
    assert set(UPLOAD_ROUTES) <= set(ROUTES)
    assert len(ROUTES) == len(set(ROUTES))


@pytest.mark.parametrize("route", ROUTES)
@FUZZ
@given(data=st.data())
def test_random_post_never_gives_a_500(caseworker_client, target, route, data):
    values = data.draw(form_data(target.fields), label="post data")
    htmx = data.draw(st.booleans(), label="htmx")

    response = post(caseworker_client, target.url, values, htmx=htmx)

    assert response.status_code in ALLOWED_STATUS, (route, response.status_code)


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
@FUZZ
@given(data=st.data())
def test_random_upload_never_gives_a_500(caseworker_client, target, route, data):
    assert any(entry.kind == "file" for entry in target.fields.values())
    values = data.draw(plausible_data(target.fields), label="post data")

    response = post(caseworker_client, target.url, values, htmx=False)

    assert response.status_code in ALLOWED_STATUS, (route, response.status_code)
