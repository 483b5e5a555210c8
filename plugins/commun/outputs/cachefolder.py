"""A folder of cache entries named by digest, shared by the page cache and the offline copy's member cache.

An entry is written aside and moved into place, so a build stopped halfway (or another thread writing the
same entry) never leaves half an entry under its name; entries the last build did not use are removed by
`prune`, so the folder holds one build's worth.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


class CacheFolder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def entry(self, key: str) -> Path:
        """The file of `key`, counted as used by this build whether or not it exists."""
        self.used.add(key)
        return self.folder / key

    def write(self, key: str, data: bytes) -> None:
        path = self.entry(key)
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f"{key}.{os.getpid()}.{threading.get_ident()}.partiel"
        partial.write_bytes(data)
        partial.replace(path)

    def prune(self) -> None:
        """Forget the entries no build of this run used."""
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name not in self.used:
                    path.unlink(missing_ok=True)
