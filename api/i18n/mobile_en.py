"""The phone layout (issue 14 item 9): English."""

CATALOG: dict[str, str] = {
    # the button that opens the navigation on a narrow screen (its state is aria-expanded)
    "nav.menu": "Menu",
}
