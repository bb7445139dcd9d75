"""`coachmatch serve`: run the service with uvicorn, in one process or several."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", help="address to listen on (default COACHMATCH_HOST or 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, help="port (default COACHMATCH_PORT or 8000)")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="web processes (default 1); every state they share lives in the database",
    )


def run(args: argparse.Namespace) -> int:
    import os
    import tempfile

    import uvicorn

    from api.db import upgrade_database
    from api.logs import configure_logging
    from api.settings import load_settings

    settings = load_settings()
    host = args.host or settings.host
    port = args.port or settings.port
    workers = max(1, args.workers)
    configure_logging(settings.log_format)
    if workers > 1:
        # Migrate once, here, not in every process at once; the processes share their
        # metrics through a folder (prometheus-client's multiprocess mode).
        if settings.migrate_on_start:
            upgrade_database(settings.database_url)
        os.environ["COACHMATCH_MIGRATE_ON_START"] = "false"
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="coachmatch-"))
    print(
        f"coachmatch: serving on http://{host}:{port} (API docs at http://{host}:{port}/docs)"
        + (f" with {workers} processes" if workers > 1 else ""),
        flush=True,
    )
    # The app reads X-Forwarded-For itself, from the configured proxies only
    # (COACHMATCH_TRUSTED_PROXIES): uvicorn must not rewrite the client address.
    options = {
        "host": host,
        "port": port,
        "log_level": "info",
        "log_config": None,  # ours (configure_logging), in every process
        "proxy_headers": False,
        "server_header": False,
    }
    if workers == 1:
        from api.app import create_app

        uvicorn.run(create_app(settings), **options)  # type: ignore[arg-type]
    else:
        uvicorn.run("api.app:create_logged_app", factory=True, workers=workers, **options)  # type: ignore[arg-type]
    return 0
