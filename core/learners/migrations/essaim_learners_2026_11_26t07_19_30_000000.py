"""Fill the folded keys of existing learners; index duplicate detection and search."""

import re
import unicodedata

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Varchar
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-11-26T07:19:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "learner name and phone keys filled; duplicate and search indexes"

# A frozen copy of core.learners.duplicates as it was when this migration was written:
# a migration must give the same result whatever the code becomes later.
_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "'": "", "’": ""}
)


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", plain.casefold()).split())


def _name_key(first_name, last_name):
    return " ".join(sorted(_fold(f"{first_name} {last_name}").split()))


def _phone_key(phone):
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+"):
        digits = "00" + digits
    if digits.startswith("0033"):
        rest = digits[4:]
        digits = rest if rest.startswith("0") else "0" + rest
    return digits if len(digits) >= 6 else ""


_INDEXES = {
    "learner_birth_date_name_key": "learner (birth_date, name_key)",
    "learner_phone_key": "learner (phone_key)",
    "learner_email": "learner (email)",
}


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="essaim_learners", description=DESCRIPTION
    )

    # The engine is looked up when the migration runs, so that one process can migrate
    # several databases (tests do); a module-level Table would keep the first one.
    async def fill_keys_and_index():
        engine = engine_finder()

        class Row(Table, tablename="learner", db=engine):
            first_name = Varchar()
            last_name = Varchar()
            phone = Varchar()
            name_key = Varchar()
            phone_key = Varchar()

        rows = await Row.select(Row.id, Row.first_name, Row.last_name, Row.phone)
        for row in rows:
            await Row.update(
                {
                    Row.name_key: _name_key(row["first_name"], row["last_name"]),
                    Row.phone_key: _phone_key(row["phone"]),
                }
            ).where(Row.id == row["id"])
        for name, target in _INDEXES.items():
            await engine.run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")

    async def drop_indexes():
        for name in _INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(fill_keys_and_index)
    manager.add_raw_backwards(drop_indexes)
    return manager
