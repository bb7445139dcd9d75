"""The phone layout (issue 14 item 9): French."""

CATALOG: dict[str, str] = {
    "nav.menu": "Menu",
}
