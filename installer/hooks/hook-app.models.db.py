"""PyInstaller hook: ship the desk's Alembic migrations beside app/models/db.py.

Alembic loads `env.py` and `versions/*.py` by path, so they travel as data files under
`app/models/migrations` in the bundle. In a frozen build `app.models.db.__file__` is
`<bundle>/_internal/app/models/db.pyc`, so `Path(__file__).parent / "migrations"` finds
them with no change to the code. Their imports (alembic.op, app.models.base, sqlalchemy)
are declared as hidden imports because nothing imports the migration files statically.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

datas = collect_data_files(
    "app.models",
    includes=["migrations/*.py", "migrations/**/*.py", "migrations/*.mako"],
    include_py_files=True,
)
hiddenimports = [
    "alembic.op",
    "alembic.context",
    "alembic.runtime.migration",
    "alembic.ddl.sqlite",
    "app.models.base",
    *collect_submodules("sqlalchemy.dialects.sqlite"),
]
