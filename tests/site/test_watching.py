"""The preview's server hears of a save from the system (`adapters/watching.py`), and of nothing else."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from commun.adapters import watching
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver


class Recorder:
    """What MkDocs' server asks of its watches: a rebuild at each event it is told of."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.heard = threading.Event()

    def __call__(self, event: object) -> None:
        self.events.append(type(event).__name__)
        self.heard.set()


def server_watching(folder: Path, recorder: Recorder) -> LiveReloadServer:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(folder))
    server.watch(str(folder))
    for handlers in server.observer._handlers.values():
        for handler in handlers:
            handler.on_any_event = recorder  # type: ignore[method-assign]
    return server


def settle(recorder: Recorder, seconds: float = 0.5) -> None:
    time.sleep(seconds)
    recorder.events.clear()
    recorder.heard.clear()


def test_a_save_is_heard_and_a_read_is_not(tmp_path: Path) -> None:
    fiche = tmp_path / "fiche.md"
    fiche.write_text("---\ntitre: Avant\n---\n", encoding="utf-8")
    recorder = Recorder()
    server = server_watching(tmp_path, recorder)
    watching.notified(server)
    assert type(server.observer) is not PollingObserver
    assert server.build_delay == watching.QUIET_AFTER_SAVE
    server.observer.start()
    try:
        settle(recorder)
        fiche.read_text(encoding="utf-8")  # every rebuild reads the content: it must not ask for another
        assert not recorder.heard.wait(1.0), recorder.events
        fiche.write_text("---\ntitre: Après\n---\n", encoding="utf-8")
        assert recorder.heard.wait(10), "l'enregistrement n'a pas été signalé"
        assert "FileModifiedEvent" in recorder.events
    finally:
        server.observer.stop()
        server.observer.join()


def test_without_the_filter_a_read_would_ask_for_a_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test above can fail: the platform's observer reports a file opened and closed unchanged."""
    monkeypatch.setattr(watching, "CHANGES", None)
    fiche = tmp_path / "fiche.md"
    fiche.write_text("texte", encoding="utf-8")
    recorder = Recorder()
    server = server_watching(tmp_path, recorder)
    watching.notified(server)
    server.observer.start()
    try:
        settle(recorder)
        fiche.read_text(encoding="utf-8")
        assert recorder.heard.wait(10), "la lecture aurait dû être signalée sans filtre"
    finally:
        server.observer.stop()
        server.observer.join()


def test_where_the_system_cannot_watch_mkdocs_polling_stays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Unavailable(watching.Observer):  # type: ignore[misc, valid-type]
        def start(self) -> None:
            raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watching, "Observer", Unavailable)
    server = server_watching(tmp_path, Recorder())
    polling, delay = server.observer, server.build_delay
    watching.notified(server)
    assert server.observer is polling
    assert server.build_delay == delay
