"""A tollgate server for the interop checks: this repository's debug build (or TOLLGATE_BIN) on a
free loopback port, over a fresh SQLite database, or a fresh PostgreSQL database created next to
TOLLGATE_INTEROP_DATABASE_URL."""

import os
import re
import secrets
import shutil
import subprocess
import tempfile
import threading
from urllib.parse import urlsplit, urlunsplit

HERE = os.path.dirname(os.path.abspath(__file__))


def binary():
    """The tollgate binary: TOLLGATE_BIN, else this repository's debug build."""
    return os.environ.get("TOLLGATE_BIN") or os.path.join(HERE, "..", "..", "target", "debug", "tollgate")


class Server:
    """A tollgate process on a free loopback port, over a database of its own."""

    def __init__(self, extra_args=()):
        self.dir = tempfile.mkdtemp(prefix="tollgate-interop-")
        self.token = "00" + secrets.token_urlsafe(30)
        self.pg_admin_url = os.environ.get("TOLLGATE_INTEROP_DATABASE_URL")
        self.pg_name = None
        if self.pg_admin_url:
            self.pg_name = "tollgate_interop_" + secrets.token_hex(6)
            self._psql(f"CREATE DATABASE {self.pg_name}")
            parts = urlsplit(self.pg_admin_url)
            database_url = urlunsplit(parts._replace(path="/" + self.pg_name))
        else:
            database_url = "sqlite://" + os.path.join(self.dir, "tollgate.db")
        env = dict(os.environ, RUST_LOG=os.environ.get("RUST_LOG", "warn"))
        if self.pg_admin_url:
            # PostgreSQL takes the master key from the environment; a database of its own, a key of its own.
            env.setdefault("TOLLGATE_MASTER_KEY", secrets.token_hex(32))
        self.proc = None
        try:
            self.proc = subprocess.Popen(
                [binary(), "serve", "--listen", "127.0.0.1:0", "--database-url", database_url, "--create",
                 "--bootstrap-token", self.token, *extra_args],
                cwd=self.dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                text=True,
            )
            found = {"seen": threading.Event()}
            threading.Thread(target=self._read_stdout, args=(found,), daemon=True).start()
            found["seen"].wait(30)
            if "base" not in found:
                raise RuntimeError("tollgate exited or did not report its address within 30 s")
            self.base = found["base"]
        except BaseException:
            self.stop()
            raise

    def _read_stdout(self, found):
        # Keeps draining stdout after the address line, so the server never blocks on a full pipe;
        # the caller waits for this thread until the address is seen (or stdout closes).
        for line in self.proc.stdout:
            match = re.search(r"listening on (https?://\S+)", line)
            if match and "base" not in found:
                found["base"] = match.group(1)
                found["seen"].set()
        found["seen"].set()

    def _psql(self, sql):
        subprocess.run(["psql", "-qAt", "-v", "ON_ERROR_STOP=1", "-d", self.pg_admin_url, "-c", sql],
                       check=True, stdout=subprocess.DEVNULL)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.pg_name:
            self._psql(f"DROP DATABASE IF EXISTS {self.pg_name} WITH (FORCE)")
        shutil.rmtree(self.dir, ignore_errors=True)
