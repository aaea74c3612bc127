"""Ctrl-C held where stopping is unsafe, raised where it is safe (pia.interrupts).

``signal.raise_signal`` delivers a real SIGINT to this process: its Python handler runs on
the main thread before the next line, as a Ctrl-C would.
"""

from __future__ import annotations

import signal
import threading

import pytest

from pia import interrupts


def ctrl_c() -> None:
    signal.raise_signal(signal.SIGINT)


def test_a_held_ctrl_c_is_noted_and_raised_where_the_code_asks() -> None:
    reached = []
    with interrupts.held() as sigint:
        ctrl_c()
        reached.append("after the Ctrl-C")
        assert sigint.requested
        with pytest.raises(KeyboardInterrupt):
            interrupts.raise_if_requested()
        interrupts.raise_if_requested()  # raised once, not twice
    assert reached == ["after the Ctrl-C"]
    assert sigint.requested  # the caller can still tell, after the block


def test_a_second_ctrl_c_while_held_raises_at_once() -> None:
    with pytest.raises(KeyboardInterrupt), interrupts.held():
        ctrl_c()
        ctrl_c()
        pytest.fail("the second Ctrl-C did not stop the code")


def test_immediate_raises_at_once_and_on_entry_for_one_held_before() -> None:
    with interrupts.held():
        with pytest.raises(KeyboardInterrupt), interrupts.immediate():
            ctrl_c()
            pytest.fail("Ctrl-C did not raise inside immediate()")
        ctrl_c()  # held again
        with pytest.raises(KeyboardInterrupt), interrupts.immediate():
            pytest.fail("the Ctrl-C held before was not raised on entry")


def test_leaving_a_held_block_for_an_immediate_one_raises_what_it_held() -> None:
    with interrupts.held(), interrupts.immediate(), pytest.raises(KeyboardInterrupt):
        with interrupts.held():
            ctrl_c()
        pytest.fail("the held Ctrl-C was lost on leaving the held block")


def test_the_previous_handler_is_back_afterwards_and_nothing_is_left_pending() -> None:
    before = signal.getsignal(signal.SIGINT)
    with interrupts.held():
        assert signal.getsignal(signal.SIGINT) is not before
        ctrl_c()
    assert signal.getsignal(signal.SIGINT) is before
    with interrupts.held() as sigint:
        assert not sigint.requested  # a new outermost block starts clean
        interrupts.raise_if_requested()


def test_an_ignored_sigint_stays_ignored() -> None:
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with interrupts.held(), interrupts.immediate():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            ctrl_c()  # a background job's Ctrl-C: nothing happens
    finally:
        signal.signal(signal.SIGINT, before)


def test_off_the_main_thread_both_modes_leave_signals_alone() -> None:
    seen = []

    def worker() -> None:
        with interrupts.held(), interrupts.immediate():
            seen.append(signal.getsignal(signal.SIGINT))

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [signal.getsignal(signal.SIGINT)]


def test_sigterm_takes_the_ctrl_c_path_and_says_it_was_a_sigterm() -> None:
    """An orchestrator's SIGTERM killed the scan outright (exit 143, no partial report); it
    is now held and raised as Ctrl-C is, and told apart for the exit code."""
    before = signal.getsignal(signal.SIGTERM)
    reached = []
    with interrupts.held() as sigint:
        assert signal.getsignal(signal.SIGTERM) is not before
        signal.raise_signal(signal.SIGTERM)
        reached.append("after the SIGTERM")
        with pytest.raises(KeyboardInterrupt):
            interrupts.raise_if_requested()
    assert reached == ["after the SIGTERM"] and sigint.requested
    assert (interrupts.terminated(), interrupts.exit_code(), interrupts.what()) == (
        True, 143, "terminated")
    assert signal.getsignal(signal.SIGTERM) is before
    with interrupts.held():  # a new outermost block starts clean
        ctrl_c()
    assert (interrupts.terminated(), interrupts.exit_code(), interrupts.what()) == (
        False, 130, "interrupted")


def test_an_ignored_sigint_does_not_turn_off_sigterm() -> None:
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with pytest.raises(KeyboardInterrupt), interrupts.held(), interrupts.immediate():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            signal.raise_signal(signal.SIGTERM)
            pytest.fail("SIGTERM did not raise inside immediate()")
    finally:
        signal.signal(signal.SIGINT, before)
