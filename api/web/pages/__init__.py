"""Every page router, in one router included by `api.web.install`."""

from __future__ import annotations

from api.web.pages import (
    account,
    coach,
    feed,
    hr,
    hr_neutrality,
    hr_outbox,
    hr_requests,
    own_request,
    party,
    rounds,
    sessions,
    windows,
)
from api.web.route import page_router

router = page_router()
# hr before hr_requests and own_request before party: /hr/requests/new and /my/requests/new
# are not a request's page
MODULES = (
    account,
    feed,
    hr,
    hr_requests,
    hr_neutrality,
    hr_outbox,
    rounds,
    coach,
    own_request,
    party,
    sessions,
    windows,
)
for _module in MODULES:
    router.include_router(_module.router)
