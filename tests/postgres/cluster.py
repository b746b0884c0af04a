"""A throwaway PostgreSQL cluster for the tests: `initdb` in a temporary folder, `pg_ctl start` on 127.0.0.1 and a
free port, `pg_ctl stop` after. Debian's server binaries (`make postgres` installs them) live in
/usr/lib/postgresql/VERSION/bin; LETOPIS_PG_BIN names another folder. initdb refuses to run as root, so as root the
cluster belongs to the `postgres` OS user (the Debian package creates it) and every server command runs through
`runuser -u postgres --`.

The cluster trades durability for speed (fsync off): it lives only as long as the test session.
"""
from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

USER = "letopis"          # the cluster's superuser; trust authentication on loopback only


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL server binaries here (or no way to run them)."""


def bindir() -> Path:
    """The folder of initdb and pg_ctl: LETOPIS_PG_BIN, else the newest /usr/lib/postgresql/*/bin."""
    if os.environ.get("LETOPIS_PG_BIN"):
        found = Path(os.environ["LETOPIS_PG_BIN"])
        if (found / "initdb").exists():
            return found
        raise ClusterUnavailable(f"LETOPIS_PG_BIN={found} has no initdb")
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not dirs:
        raise ClusterUnavailable("PostgreSQL server binaries (initdb, pg_ctl) not found: run `make postgres` "
                                 "(installs Debian's postgresql package)")
    return Path(dirs[-1]).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    folder: Path
    port: int
    bin: Path

    @property
    def url(self) -> str:
        """The maintenance database's URL; tests create their own databases in it."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def url_of(self, dbname: str) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{dbname}"

    def new_database(self, hint: str) -> str:
        """The URL of a database nobody has used (the Store creates it on first open)."""
        name = "t_" + re.sub(r"[^a-z0-9]+", "_", hint.lower())[:40].strip("_") + "_" + uuid.uuid4().hex[:8]
        return self.url_of(name)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=120)

    @classmethod
    def start(cls) -> Cluster:
        bin_ = bindir()
        folder = Path(tempfile.mkdtemp(prefix="letopis-pg-"))
        if os.geteuid() == 0:
            try:
                pg = pwd.getpwnam("postgres")
            except KeyError as e:
                raise ClusterUnavailable("no `postgres` OS user to run the server as: run `make postgres`") from e
            os.chown(folder, pg.pw_uid, pg.pw_gid)
        cluster = cls(folder, free_port(), bin_)
        data = folder / "data"
        try:
            cluster._run("initdb", "-D", str(data), "-U", USER, "--auth=trust", "--encoding=UTF8",
                         "--locale=C.UTF-8", "--no-sync")
            options = (f"-c listen_addresses=127.0.0.1 -p {cluster.port} -k {folder} -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
            cluster._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w",
                         "-t", "60", "start")
        except subprocess.CalledProcessError as e:
            log_file = folder / "server.log"
            log = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
            shutil.rmtree(folder, ignore_errors=True)
            raise ClusterUnavailable(f"could not start PostgreSQL: {e.stderr or e.stdout}\n{log}") from e
        return cluster

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)
