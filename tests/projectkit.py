"""Test projects: the repository's MkDocs set-up (theme, overrides, assets, extensions) around a small
content folder, built by `mkdocs build` in a child process, as a contributor builds the site.

Each test module brings its own content and pages; how a project is laid out and how MkDocs is run is
written once here.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
# Settings of the developer's shell that would change what a build produces.
BUILD_SETTINGS = ("COMMUN_BROUILLONS", "COMMUN_RECHERCHE", "COMMUN_SITE_URL", "SOURCE_DATE_EPOCH")


def write_project(
    root: Path,
    *,
    nav: list[dict[str, Any]],
    pages: dict[str, str],
    site_url: str | None = None,
    **commun: Any,
) -> Path:
    """mkdocs.yml under `root`: the repository's, with this `nav`, `site_url` and options of the commun
    plugin (which reads `root/content`), and docs/ holding the repository's overrides and assets and `pages`.
    """
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(docs_dir="docs", nav=nav)
    plugins = []
    for entry in config["plugins"]:
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if name == "commun":
            options = {**(options or {}), "contenu": "content", **commun}
        plugins.append({name: options or {}})
    assert "commun" in [next(iter(p)) for p in plugins]
    config["plugins"] = plugins
    for key in ("repo_url", "edit_uri", "site_url"):
        config.pop(key, None)
    if site_url:
        config["site_url"] = site_url
    docs = root / "docs"
    for folder in ("overrides", "assets"):
        shutil.copytree(ROOT / "docs" / folder, docs / folder)
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def environment(**settings: str) -> dict[str, str]:
    """The environment of a child MkDocs: this one without the build settings above, plus `settings`."""
    env = {key: value for key, value in os.environ.items() if key not in BUILD_SETTINGS}
    return {**env, "NO_MKDOCS_2_WARNING": "1", **settings}


def mkdocs_build(project: Path, site: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of the project folder `project` into `site`."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", "mkdocs.yml", "-d", str(site)],
        cwd=project,
        env=environment(**settings),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def build(project: Path, site: Path, **settings: str) -> None:
    """A build that must succeed; its output is the failure message otherwise."""
    result = mkdocs_build(project, site, **settings)
    assert result.returncode == 0, result.stdout + result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_listening(process: subprocess.Popen, port: int, seconds: float = 30) -> str | None:
    """None once `port` accepts connections; if `process` ends or the time runs out first, the process is
    stopped and what it printed is returned, for the test's failure message."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return None
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                out, err = process.communicate()
                printed = out or err or ""
                return printed.decode() if isinstance(printed, bytes) else printed
            time.sleep(0.1)


def pagefind_fragments(bundle: Path) -> dict[str, dict[str, Any]]:
    """Pagefind's per-page records in a bundle (gzip, `pagefind_dcd` then JSON), by result id (file stem)."""
    records = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        records[path.stem] = json.loads(raw[len(b"pagefind_dcd") :])
    return records
