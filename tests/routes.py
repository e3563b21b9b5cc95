"""The routes of a URL namespace, for matrices generated from the URLconf."""

from django.urls import URLResolver, get_resolver


def namespace_routes(namespace: str) -> tuple[list[str], list[str]]:
    """The route names of `namespace`: (those that take a parameter, those that do not)."""
    _prefix, resolver = get_resolver().namespace_dict[namespace]

    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns)
            else:
                yield entry

    patterns = list(walk(resolver.url_patterns))
    return (
        sorted(p.name for p in patterns if p.pattern.regex.groupindex),
        sorted(p.name for p in patterns if not p.pattern.regex.groupindex),
    )
