"""PyInstaller hook: ship the central service's Alembic migrations, when present.

Same reasoning as hook-app.models.db: loaded by path, so shipped as data files under
`app/central/migrations`, with their imports declared as hidden imports.
"""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files(
    "app.central",
    includes=["migrations/*.py", "migrations/**/*.py", "migrations/*.mako"],
    include_py_files=True,
)
hiddenimports = ["alembic.op", "alembic.context", "app.central.models"]
