"""HR's org chart: CSV import and look-ups."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile

from api.deps import ClockDep, HRUser, PageDep, SessionDep, SettingsDep
from api.schemas import ERRORS, Page
from api.types import RowId
from api.uploads import read_limited

from . import service
from .schemas import ImportReport, PersonPublic

router = APIRouter(tags=["people"], responses=ERRORS)


@router.post(
    "/people/import",
    responses={
        409: {
            "description": "the import would deactivate more than the configured share of "
            "the active people; send confirm_deactivations=true to apply it",
            "content": {
                "application/json": {
                    "example": {
                        "detail": "this import would deactivate 400 of 400 people (8 accounts), "
                        "more than 20%: check the file, then confirm the deactivations",
                        "field": "confirm_deactivations",
                        "deactivations": 400,
                        "accounts_deactivated": 8,
                    }
                }
            },
        },
        413: {"description": "file over the size limit"},
        422: {
            "description": "the file was refused as a whole; `errors` lists every line",
            "content": {
                "application/json": {
                    "example": {
                        "detail": "the org chart was not imported: 2 error(s)",
                        "field": "file",
                        "error_count": 2,
                        "errors": [
                            {
                                "line": 3,
                                "field": "email",
                                "message": "is not a valid email address",
                            },
                            {
                                "line": 7,
                                "field": "manager_id",
                                "message": "unknown manager id 'E99'",
                            },
                        ],
                    }
                }
            },
        },
    },
)
def import_org_chart(
    user: HRUser,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    file: Annotated[
        UploadFile, File(description="CSV: id,name,email,manager_id,unit,site,timezone,language")
    ],
    dry_run: Annotated[bool, Query(description="check and report without saving")] = False,
    confirm_deactivations: Annotated[
        bool,
        Query(
            description="apply an import that deactivates more than "
            "COACHMATCH_ORG_MAX_DEACTIVATION_SHARE of the active people (else 409)"
        ),
    ] = False,
) -> ImportReport:
    """Import the whole org chart (UTF-8 CSV). All or nothing: any bad line rejects the file
    with the first 100 errors and their line numbers, and the count of all (`error_count`).
    A re-import updates people in place (matched on `id`), deactivates those no longer
    listed, and flags live engagements whose coach is now in the coachee's or sponsor's
    reporting line. One that would deactivate more than the configured share of the active
    people is refused (409, with the counts) unless `confirm_deactivations` is set; a dry
    run says so in `confirmation_required`."""
    content = read_limited(file, limit=settings.org_csv_max_bytes, what="the CSV file")
    return service.import_org_chart(
        session=session,
        content=content,
        now=clock.now(),
        dry_run=dry_run,
        confirm_deactivations=confirm_deactivations,
        settings=settings,
    )


@router.get("/people")
def list_people(
    user: HRUser,
    session: SessionDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200, description="in name, email or id")] = None,
    unit: str | None = None,
    site: str | None = None,
    active: bool | None = None,
) -> Page[PersonPublic]:
    items, total = service.list_people(
        session=session,
        q=q,
        unit=unit,
        site=site,
        active=active,
        limit=page.limit,
        offset=page.offset,
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/people/{person_id}")
def get_person(person_id: RowId, user: HRUser, session: SessionDep) -> PersonPublic:
    return service.get_person(session=session, person_id=person_id)
