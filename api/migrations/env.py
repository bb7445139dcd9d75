"""Alembic environment: the target is SQLModel's metadata (every table in api.models).

Run programmatically by `api.db.upgrade_database`, which hands over a connection in
`config.attributes["connection"]`; the `alembic` command line works with -x url=...
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import api.models  # noqa: F401 - fills the metadata
from api.db import make_engine, service_objects

config = context.config
target_metadata = SQLModel.metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: let later migrations rebuild tables.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=service_objects,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        from api.settings import Settings

        url = Settings().database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()
