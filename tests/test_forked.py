"""kit.forked: parts of a command's work in forked children give what they would give here,
fail as they would fail here, and leave no child behind."""

from __future__ import annotations

import os

import pytest

from kit.errors import KitError
from kit.forked import cores, side_by_side

needs_fork = pytest.mark.skipif(cores() < 2, reason="needs fork and two cores")


def no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@needs_fork
def test_parts_run_in_children_meanwhile_and_come_back_in_order():
    here, parts = side_by_side(
        [lambda n=n: (n, os.getpid()) for n in range(3)], lambda: os.getpid(), forked=True
    )
    assert here == os.getpid()
    assert [n for n, _ in parts] == [0, 1, 2]
    assert parts[0][1] == os.getpid()  # the first part runs here, after `here`
    assert all(pid != os.getpid() for _, pid in parts[1:])
    assert len({pid for _, pid in parts}) == 3
    assert no_children_left()


def test_without_forking_the_parts_run_here_in_order():
    here, parts = side_by_side([lambda: os.getpid(), lambda: 2], lambda: "hier", forked=False)
    assert (here, parts) == ("hier", [os.getpid(), 2])


@needs_fork
def test_the_child_setup_runs_in_the_children_only():
    calls: list[int] = []
    _, parts = side_by_side(
        [lambda: len(calls)] * 2, lambda: len(calls), forked=True, in_child=lambda: calls.append(1)
    )
    assert parts == [0, 1] and calls == []


@needs_fork
def test_a_users_error_in_a_child_is_its_dutch_line_here():
    def refused() -> None:
        raise KitError("screening SCR-000007, veld summary_json: onleesbaar")

    with pytest.raises(KitError, match="SCR-000007, veld summary_json"):
        side_by_side([lambda: 1, refused], lambda: None, forked=True)
    assert no_children_left()


@needs_fork
def test_a_bug_in_a_child_shows_its_traceback_here():
    def broken() -> None:
        {}["geen sleutel"]

    with pytest.raises(RuntimeError, match="KeyError: 'geen sleutel'"):
        side_by_side([lambda: None, broken], lambda: None, forked=True)
    assert no_children_left()


@needs_fork
def test_a_failure_here_stops_and_reaps_the_children():
    def slow() -> None:
        import time

        time.sleep(60)

    def failing() -> None:
        raise KitError("hier mis")

    with pytest.raises(KitError, match="hier mis"):
        side_by_side([slow, slow, slow], failing, forked=True)
    assert no_children_left()


@needs_fork
def test_when_no_child_can_be_started_the_parts_run_here_in_order(monkeypatch):
    import kit.forked

    real_fork, started = os.fork, []

    def fork_once() -> int:  # the second fork fails as when the system has no process left
        if started:
            raise BlockingIOError("Resource temporarily unavailable")
        started.append(1)
        return real_fork()

    monkeypatch.setattr(kit.forked.os, "fork", fork_once)
    here, parts = side_by_side(
        [lambda n=n: (n, os.getpid()) for n in range(4)], lambda: "hier", forked=True
    )
    assert here == "hier" and [n for n, _ in parts] == [0, 1, 2, 3]
    assert parts[1][1] != os.getpid() and {pid for _, pid in parts[2:]} == {os.getpid()}
    assert no_children_left()


@needs_fork
def test_a_child_killed_midway_gives_no_answer_here():
    def killed() -> None:
        os.kill(os.getpid(), 9)

    with pytest.raises(RuntimeError, match="ended without an answer"):
        side_by_side([lambda: None, killed], lambda: None, forked=True)
    assert no_children_left()


@needs_fork
def test_a_database_error_in_a_child_is_the_command_lines_dutch_line(tmp_path):
    from sqlalchemy import create_engine, text

    missing = create_engine(f"sqlite:///{tmp_path / 'geen' / 'map' / 'kit.db'}")

    def unreachable() -> None:
        with missing.connect() as connection:
            connection.execute(text("SELECT 1"))

    with pytest.raises(KitError, match="database niet te openen of niet bereikbaar"):
        side_by_side([lambda: None, unreachable], lambda: None, forked=True)
    assert no_children_left()


@needs_fork
def test_children_end_when_their_parent_is_killed(tmp_path):
    """A service manager stops kit with SIGTERM, which the parent cannot clean up after: its
    children end with it (Linux's parent-death signal)."""
    import signal
    import subprocess
    import sys
    import time

    pids = tmp_path / "pids"
    code = (
        "import os, time\n"
        "from kit.forked import side_by_side\n"
        f"def part():\n    open({str(pids)!r}, 'a').write(f'{{os.getpid()}}\\n'); time.sleep(60)\n"
        "side_by_side([part, part, part], lambda: None, forked=True)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code])
    try:
        for _ in range(100):  # the two children, and the first part in the parent itself
            if pids.exists() and len(pids.read_text().split()) == 3:
                break
            time.sleep(0.05)
        children = [int(p) for p in pids.read_text().split() if int(p) != parent.pid]
        assert len(children) == 2
        parent.send_signal(signal.SIGTERM)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(pid) for pid in children):
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in children)
    finally:
        parent.kill()


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for init to reap it."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False
