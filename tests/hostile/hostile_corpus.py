"""scripts/make_hostile.py as a module (scripts/ is not a package): the tests and their fixtures import it from here."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_hostile.py"


def _load():
    if "make_hostile" in sys.modules:
        return sys.modules["make_hostile"]
    spec = importlib.util.spec_from_file_location("make_hostile", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_hostile"] = module          # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


make_hostile = _load()
