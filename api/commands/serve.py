"""`coachmatch serve`: run the service with uvicorn."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", help="address to listen on (default COACHMATCH_HOST or 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, help="port (default COACHMATCH_PORT or 8000)")


def run(args: argparse.Namespace) -> int:
    import logging

    import uvicorn

    from api.app import create_app
    from api.settings import load_settings

    settings = load_settings()
    host = args.host or settings.host
    port = args.port or settings.port
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    print(
        f"coachmatch: serving on http://{host}:{port} (API docs at http://{host}:{port}/docs)",
        flush=True,
    )
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
    return 0
