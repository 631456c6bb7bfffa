"""Alembic environment: the engine's tables and the domain's, on the URL the caller configured."""

from alembic import context
from sqlalchemy import create_engine

from appeals.adapters.db import PRIVATE
from appeals.domain.models import DomainBase
from engine import EngineBase

target_metadata = [EngineBase.metadata, DomainBase.metadata]


def run_migrations_online() -> None:
    database = create_engine(context.config.get_main_option("sqlalchemy.url"), **PRIVATE)
    with database.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    database.dispose()


def run_migrations_offline() -> None:
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
