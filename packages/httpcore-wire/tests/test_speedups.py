# The optional compiled accelerator (httpcore_wire._speedups, built by
# setup.py) against the Python code it stands in for: its BodyBuffer does
# what the pure Python one does, and neither moves while a view of it is
# alive; its compact_chunks() pass gives what the Python pass gives, byte
# for byte.  The rest of the suite runs on whichever is in use; the nox
# session runs it once with each.
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given, settings, strategies as st

import httpcore_wire
from httpcore_wire import BodyBuffer, _accelerator, _body_buffer, _chunked_pull

SPEEDUPS = _accelerator.module()
needs_compiled = pytest.mark.skipif(
    SPEEDUPS is None,
    reason="httpcore_wire._speedups is not in use (pure Python install, or"
    " HTTPCORE_NO_EXTENSIONS)",
)

# Both implementations, for a test that checks each gives the answer.
IMPLEMENTATIONS = ["python", pytest.param("compiled", marks=needs_compiled)]


def test_accelerated_tells_whether_the_compiled_module_is_in_use() -> None:
    # Judged from the installation, not from the function's own helper.
    built = importlib.util.find_spec("httpcore_wire._speedups") is not None
    switched_off = bool(os.environ.get("HTTPCORE_NO_EXTENSIONS"))
    assert httpcore_wire.accelerated() is (built and not switched_off)
    if os.environ.get("HTTPCORE_REQUIRE_EXTENSIONS") and not switched_off:
        # CI builds the accelerator or fails: it must be what runs here.
        assert httpcore_wire.accelerated()


# Each compiled fast path: what the module uses, what it uses without the
# accelerator, and the accelerator's name for it (all loaded through
# httpcore_wire._accelerator.compiled()).
FAST_PATHS: dict[str, tuple[Callable[[], object], object, str]] = {
    "body buffer": (
        lambda: type(httpcore_wire.body_buffer()),
        _body_buffer.PurePythonBodyBuffer,
        "BodyBuffer",
    ),
    "compaction": (
        lambda: _chunked_pull._compact,
        _chunked_pull._compact_python,
        "compact_chunks",
    ),
}


@pytest.mark.parametrize("path", sorted(FAST_PATHS))
def test_the_compiled_path_is_used_unless_switched_off(path: str) -> None:
    in_use, python, name = FAST_PATHS[path]
    if SPEEDUPS is None:
        assert in_use() is python
    else:
        assert in_use() is getattr(SPEEDUPS, name)


@needs_compiled
def test_no_extensions_switches_every_compiled_path_off() -> None:
    probe = (
        "import httpcore_wire\n"
        "from httpcore_wire import _chunked_pull\n"
        "print(httpcore_wire.accelerated(),"
        " type(httpcore_wire.body_buffer()).__name__,"
        " _chunked_pull._compact.__name__)"
    )
    env = {**os.environ, "HTTPCORE_NO_EXTENSIONS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True
    )
    assert out.stdout.split() == ["False", "PurePythonBodyBuffer", "_compact_python"], (
        out.stderr
    )


# -- BodyBuffer -----------------------------------------------------------------


@pytest.fixture(params=IMPLEMENTATIONS)
def body_buffer(request: pytest.FixtureRequest) -> BodyBuffer:
    """An empty buffer of each implementation."""
    if request.param == "compiled":
        assert SPEEDUPS is not None
        buffer: BodyBuffer = SPEEDUPS.BodyBuffer()
        return buffer
    return _body_buffer.PurePythonBodyBuffer()


def test_a_body_buffer_keeps_what_was_written_as_it_grows(
    body_buffer: BodyBuffer,
) -> None:
    expected = bytearray()
    size = 0
    for step in (1, 7, 4096, 1 << 20, 3, 16 << 20):
        body_buffer.grow(size + step)
        piece = os.urandom(step)
        with body_buffer.view() as whole:
            assert len(whole) == size + step
            assert not whole.readonly
            whole[size:] = piece
        expected += piece
        size += step
    # Growing to less than the size changes nothing.
    body_buffer.grow(10)
    data = body_buffer.take(size - 2)
    assert type(data) is bytes
    assert data == expected[:-2]
    # Taken: the buffer is empty and can start again.
    with body_buffer.view() as whole:
        assert len(whole) == 0
    assert body_buffer.take(0) == b""
    body_buffer.grow(3)
    with body_buffer.view() as whole:
        whole[:] = b"abc"
    assert body_buffer.take(3) == b"abc"


def test_a_body_buffer_does_not_move_under_a_live_view(
    body_buffer: BodyBuffer,
) -> None:
    # A view (or a slice of one) that outlives its use -- kept by a
    # traceback, say -- must not point into memory that moved or into
    # bytes handed out: grow() and take() refuse until it is released.
    body_buffer.grow(100)
    whole = body_buffer.view()
    part = whole[10:20]
    whole.release()
    with pytest.raises(BufferError):
        body_buffer.grow(1 << 20)
    with pytest.raises(BufferError):
        body_buffer.take(5)
    part[:] = b"0123456789"
    part.release()
    body_buffer.grow(200)
    assert body_buffer.take(20)[10:] == b"0123456789"


def test_a_body_buffer_refuses_to_give_more_than_it_holds(
    body_buffer: BodyBuffer,
) -> None:
    body_buffer.grow(10)
    with pytest.raises(ValueError, match="take"):
        body_buffer.take(11)
    with pytest.raises(ValueError, match="take"):
        body_buffer.take(-1)
    assert len(body_buffer.take(10)) == 10


# -- compact_chunks(): the compiled pass against the Python one ---------------


def _pass(compact: Any, buffer: bytes, data: int, pos: int, left: int) -> Any:
    """What a pass gives on a copy of ``buffer``: its result and the bytes
    it left in the buffer, or the exception."""
    copy = bytearray(buffer)
    try:
        return compact(memoryview(copy), data, pos, left), bytes(copy)
    except Exception as error:  # compared below, type and message
        return type(error), str(error)


_FRAMING = st.sampled_from(
    [
        *(b"\r\n", b"\n", b"\r", b"0\r\n", b"5\r\n", b"1f\r\n", b"A;x\r\n", b"3 \r\n"),
        *(b"fffffffffffffff\r\n", b"1000000000000000\r\n", b"g\r\n", b"+1\r\n"),
    ]
)


@needs_compiled
@settings(max_examples=2000, deadline=None)
@given(
    st.lists(st.one_of(_FRAMING, st.binary(max_size=12)), max_size=12),
    st.integers(0, 40),
    st.integers(0, 40),
    st.integers(-1, 40),
)
@example([b"5\r\nhello\r\n0\r\n"], 0, 0, -1)
def test_compiled_compaction_agrees_with_python(
    parts: list[bytes], data: int, pos: int, left: int
) -> None:
    assert SPEEDUPS is not None
    buffer = b"".join(parts)
    data = min(data, pos)
    assert _pass(SPEEDUPS.compact_chunks, buffer, data, pos, left) == _pass(
        _chunked_pull._compact_python, buffer, data, pos, left
    )


@needs_compiled
def test_compiled_compaction_refuses_a_wrong_call() -> None:
    assert SPEEDUPS is not None
    with pytest.raises(TypeError):
        SPEEDUPS.compact_chunks(bytearray(b"1\r\n"), 0, 0)
    with pytest.raises(BufferError):
        SPEEDUPS.compact_chunks(b"1\r\na\r\n", 0, 0, -1)  # read-only
    for data, pos, left in [(1, 0, -1), (0, 5, -1), (-1, 0, -1), (0, 0, -2)]:
        with pytest.raises(ValueError, match="out of order"):
            SPEEDUPS.compact_chunks(bytearray(b"1\r\n"), data, pos, left)


@needs_compiled
@settings(max_examples=1000, deadline=None)
@given(
    st.integers(1, 40),
    st.integers(1, 12),
    st.sampled_from([b"%x", b"%X", b"%03x"]),
    st.integers(0, 2000),
    st.integers(0, 255),
    st.integers(0, 60),
)
def test_compiled_compaction_agrees_on_runs(
    size: int, count: int, form: bytes, damage_at: int, damage: int, cut: int
) -> None:
    # Runs of equal chunks (the Python pass's batched path), cut short and
    # damaged anywhere.
    assert SPEEDUPS is not None
    chunk = form % size + b"\r\n" + bytes(range(size)) + b"\r\n"
    wire = bytearray(chunk * count + b"0\r\n\r\n")
    if damage_at < len(wire):
        wire[damage_at] = damage
    buffer = bytes(wire[: max(0, len(wire) - cut)])
    for left in (-1, 0, 3):
        assert _pass(SPEEDUPS.compact_chunks, buffer, 0, 0, left) == _pass(
            _chunked_pull._compact_python, buffer, 0, 0, left
        )
