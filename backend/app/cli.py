"""Maintenance commands: `python -m app.cli migrate` and `python -m app.cli seed [--refresh|--reset]`.

Deployments run `python -m app.prestart` instead; these take the same lock, so neither
races a prestart running at the same time."""

import argparse
import logging

from app.core.config import get_settings
from app.core.db import Database
from app.prestart import prestart_lock
from app.seed.loader import seed_demo, wipe


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="upgrade the database schema to the latest version")
    seed = commands.add_parser("seed", help="migrate, then load the reason catalog and demo customers")
    mode = seed.add_mutually_exclusive_group()
    mode.add_argument(
        "--refresh", action="store_true", help="rebuild demo customers' histories relative to now"
    )
    mode.add_argument("--reset", action="store_true", help="delete ALL data and uploads first")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    settings = get_settings()
    settings.warn_about_generated_secrets()
    db = Database(settings.database_url)
    try:
        with prestart_lock(db):
            db.migrate()
            if args.command == "seed":
                with db.session() as session:
                    if args.reset:
                        wipe(session, settings.upload_dir)
                    written = seed_demo(session, settings, refresh=args.refresh)
                print(f"seeded: catalog, agent, incidents, {written} demo customer(s) written")
            else:
                print("database is at the latest migration")
    finally:
        db.dispose()


if __name__ == "__main__":
    main()
