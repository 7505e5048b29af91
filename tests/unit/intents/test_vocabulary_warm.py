"""The vocabulary's big index is built once, even when serve's threads all ask for it at the first burst."""

from __future__ import annotations

import threading

import pytest

from intents import vocabulary


def test_action_phrases_are_built_once_under_concurrent_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    vocabulary._action_phrases.cache_clear()
    builds = []
    real = vocabulary.action_index

    def counting(service: str) -> vocabulary.ActionIndex:
        if service == "s3":
            builds.append(threading.get_ident())
        return real(service)

    monkeypatch.setattr(vocabulary, "action_index", counting)
    threads = [threading.Thread(target=vocabulary.action_phrases) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1  # one thread built it, the others waited for it
    assert "put" in vocabulary.action_phrases()


def test_warm_builds_what_a_first_message_needs() -> None:
    vocabulary._action_phrases.cache_clear()
    vocabulary.warm()
    assert vocabulary._action_phrases.cache_info().currsize == 1
    assert vocabulary.action_index.cache_info().currsize >= 40  # the popular services'
