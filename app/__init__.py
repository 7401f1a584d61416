"""One-stop counter: the desk application for one-stop reception counters."""

__version__ = "0.1.0"
