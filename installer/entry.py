"""Entry script of the frozen build: the same as the `onestop` console script (app.cli:main)."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
