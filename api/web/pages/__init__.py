"""Every page router, in one router included by `api.web.install`."""

from __future__ import annotations

from api.web.pages import account, coach, feed, hr, party, rounds, sessions, windows
from api.web.route import page_router

router = page_router()
for _module in (account, feed, hr, rounds, coach, party, sessions, windows):
    router.include_router(_module.router)
