from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-26T09:01:44:817673"
VERSION = "1.38.0"
DESCRIPTION = "application import key"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="essaim_applications", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Application",
        tablename="application",
        column_name="import_key",
        db_column_name="import_key",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 64,
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
