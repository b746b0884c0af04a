"""Run the letopis CLI and SIGKILL it from inside at an exact SQL statement, or count its statements.

    python kill_driver.py --log FILE -- ingest examples --db X       # run to the end, list every statement in FILE
    python kill_driver.py --kill-at N -- ingest examples --db X      # die (SIGKILL) as statement N starts

Start it in a session of its own (`setsid`, `start_new_session=True`): the kill takes its whole process group.

Statements are counted over every connection a `letopis.store.sqlite.Store` opens, through SQLite's trace hook,
which fires as a statement starts: statement N never runs, statements before it ran. Killing as the statement
after a COMMIT starts is a kill between two transactions; killing inside one is a kill in the middle of a write.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys

from letopis import cli
from letopis.store import sqlite as store_sqlite


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kill-at", type=int, default=None)
    parser.add_argument("--log", default=None)
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    seen: list[str] = []

    def trace(statement: str) -> None:
        seen.append(" ".join(statement.split()[:6]))
        if args.kill_at is not None and len(seen) >= args.kill_at:
            os.killpg(os.getpgid(0), signal.SIGKILL)   # the whole group: extraction workers die too

    original = store_sqlite.Store.migrate

    def traced_migrate(self):
        self.db.set_trace_callback(trace)
        return original(self)

    store_sqlite.Store.migrate = traced_migrate
    rest = args.rest[1:] if args.rest[:1] == ["--"] else args.rest
    sys.argv = ["letopis", *rest]
    try:
        cli.main()
    finally:
        if args.log:
            with open(args.log, "w", encoding="utf-8") as f:
                f.write("".join(line + "\n" for line in seen))


if __name__ == "__main__":
    main()
