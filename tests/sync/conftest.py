"""Central service fixtures for the desk-side sync tests: the same as tests/central."""

from tests.central.conftest import Central, central, office, pg_url

__all__ = ["Central", "central", "office", "pg_url"]
