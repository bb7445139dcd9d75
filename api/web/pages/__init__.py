"""Every page router, in one router included by `api.web.install`."""

from __future__ import annotations

from api.web.pages import (
    account,
    chemistry,
    coach,
    data_rights,
    engagement,
    evaluations,
    feed,
    home,
    hr,
    hr_accounts,
    hr_coaches,
    hr_engagements,
    hr_neutrality,
    hr_outbox,
    hr_people,
    hr_pipeline,
    hr_requests,
    hr_sessions,
    lookup,
    notifications,
    own_request,
    party,
    profiles,
    records,
    request_history,
    rounds,
    sessions,
    travel,
    weak_signals,
    windows,
)
from api.web.route import page_router

router = page_router()
# hr_pipeline before hr_requests and own_request before party: /hr/requests/new and
# /my/requests/new are not a request's page
MODULES = (
    account,
    home,
    feed,
    hr,
    hr_people,
    hr_accounts,
    hr_coaches,
    hr_pipeline,
    hr_requests,
    request_history,
    hr_neutrality,
    hr_outbox,
    hr_engagements,
    hr_sessions,
    lookup,
    rounds,
    chemistry,
    coach,
    records,
    profiles,
    evaluations,
    own_request,
    party,
    engagement,
    sessions,
    windows,
    notifications,
    data_rights,
    weak_signals,
    travel,
)
for _module in MODULES:
    router.include_router(_module.router)
