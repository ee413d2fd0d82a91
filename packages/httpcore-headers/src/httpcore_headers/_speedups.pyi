# The compiled accelerator built by setup.py (see _speedups.c); absent
# from pure Python installs.

def crlf_fields(
    data: bytes | bytearray | memoryview,
    start: int,
    max_line: int,
    max_headers: int,
    max_block: int | None,
    /,
) -> tuple[list[tuple[str, str]], int] | None: ...
