"""ui layer (see shared DESIGN.md).

Importing it pins None, True and False (see `_pin_singletons`), before any Qt call.
"""

from __future__ import annotations

import sys


def _pin_singletons() -> None:
    """Give None, True and False references that can never run out.

    Why: PySide6 6.12 on CPython 3.11 drops one reference to None on every call of a
    method returning void (setText, update, processEvents ...) and, less often, to True or
    False. A desk makes tens of thousands of such calls in a working day, and when the
    count reaches zero the interpreter aborts ("Fatal Python error: none_dealloc"); the
    test suite hit it at exit. CPython 3.12 made these objects immortal; on 3.11 we add
    2**40 references to each, which no session can use up. `ob_refcnt` is the first
    field of every object in a release build.
    """
    if sys.version_info >= (3, 12):
        return
    import ctypes

    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40


_pin_singletons()
