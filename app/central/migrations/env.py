"""Alembic environment of the central-only tables (own version table, own history)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from app.central.models import CentralBase

config = context.config
target_metadata = CentralBase.metadata
VERSION_TABLE = "alembic_version_central"


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table=VERSION_TABLE,
            include_name=lambda name, type_, _parent: (
                type_ != "table" or name is None or name.startswith("central_")
            ),
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
