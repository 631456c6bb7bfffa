"""The migrations build exactly the schema the models describe (tables, columns, types, indexes)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine

from appeals.models import DomainBase
from engine.models import EngineBase


def test_the_migrated_database_matches_the_models(database_url):
    models = MetaData()
    for metadata in (EngineBase.metadata, DomainBase.metadata):
        for table in metadata.tables.values():
            table.to_metadata(models)
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, models)
    finally:
        engine.dispose()
    assert differences == []
