"""What the access log says about one user's requests, for the matrices (AL-1, AL-3)."""

from audit.models import AccessLogEntry
from cases.models import Client


def client_of(team) -> int:
    """The number of the one young person a matrix builder made in `team`."""
    return Client.objects.get(team=team).pk


def assert_refused_lines(user, expected: list[tuple[int, int | None]]) -> None:
    """The log holds exactly these lines, all `denied`, all of `user`: one per refused
    request, as (pk asked for, client number asked for), in order."""
    lines = list(AccessLogEntry.objects.order_by("pk"))
    assert [(line.user_id, line.result) for line in lines] == [
        (user.pk, AccessLogEntry.Result.DENIED)
    ] * len(expected)
    assert [line.client_ref for line in lines] == [ref for _pk, ref in expected]
    for line, (pk, _ref) in zip(lines, expected, strict=True):
        assert line.what.endswith(f" {pk}")
        assert line.ip_address == "127.0.0.1"
