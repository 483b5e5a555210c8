"""Fixtures of the site tests: the small content folder of `sitekit`, rendered once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import Site, make_site_content


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "build: runs a real `mkdocs build` of a small fixture site (a few seconds)")


@pytest.fixture(scope="session")
def site_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small content folder (never modified by tests: copy it first)."""
    return make_site_content(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def site(site_content: Path) -> Site:
    """The pages of the small site, as published (drafts left out)."""
    return Site(site_content)


@pytest.fixture(scope="session")
def preview(site_content: Path) -> Site:
    """The pages of the small site with drafts shown, as `mkdocs serve` with `brouillons: true`."""
    return Site(site_content, drafts=True)
