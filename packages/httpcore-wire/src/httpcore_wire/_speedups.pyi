# The compiled accelerator built by hatch_build.py (see _speedups.c); absent
# from pure Python installs.

def response_framing(
    method: str | None, status: int, version: int, fields: object, /
) -> tuple[bool, int | None, bool] | None: ...
