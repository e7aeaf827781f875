"""Migrations build the same schema as the models, from empty, on both databases."""

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from alembic import command
from app.core.db import Base, alembic_config, upgrade_to_head


def test_empty_to_head_matches_the_models_and_back(empty_database_url):
    database_url = empty_database_url
    engine = create_engine(database_url)
    try:
        assert inspect(engine).get_table_names() == []
        upgrade_to_head(database_url)
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        with engine.connect() as connection:
            diff = compare_metadata(
                MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
            )
        assert diff == []
        upgrade_to_head(database_url)  # running it again is harmless
        command.downgrade(alembic_config(database_url), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()


def test_0002_binds_codes_to_conversations_and_drops_the_phone_lock(empty_database_url):
    """Codes from before 0002 belong to no conversation: they go, and so does the phone-wide lock."""
    database_url = empty_database_url
    config = alembic_config(database_url)
    engine = create_engine(database_url)
    try:
        command.upgrade(config, "0001")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO otp_codes (phone, code_hash, salt, created_at, expires_at) "
                    "VALUES ('13800000001', 'h', 's', :now, :now)"
                ),
                {"now": datetime.now(UTC)},
            )
            connection.execute(text("INSERT INTO otp_throttles (phone, failed_count) VALUES ('13800000001', 5)"))
        command.upgrade(config, "0002")
        schema = inspect(engine)
        assert "otp_throttles" not in schema.get_table_names()
        assert {"conversation_id", "failed_attempts"} <= {c["name"] for c in schema.get_columns("otp_codes")}
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM otp_codes")).scalar() == 0
        command.downgrade(config, "0001")
        assert "otp_throttles" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
