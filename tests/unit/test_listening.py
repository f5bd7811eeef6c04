"""The listener supervisor's pure parts: its backoff schedule and what counts as an open watch."""
from agent.listening import Backoff, watch_open


def test_backoff_doubles_up_to_its_cap_and_starts_over_after_a_success():
    backoff = Backoff(0.5, 4.0)
    assert [backoff.next() for _ in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    backoff.reset()
    assert backoff.next() == 0.5


class Watch:
    def __init__(self, closed=False, active=True):
        self._closed, self.is_active = closed, active


def test_a_watch_is_open_only_while_it_streams():
    assert watch_open(Watch())
    assert not watch_open(Watch(closed=True))          # closed by an error it did not retry
    assert not watch_open(Watch(active=False))         # its consumer stopped
    assert not watch_open(None)                        # never subscribed
