# Hypothesis budgets: the properties here run with Hypothesis's defaults in
# every pytest run, and with the "fuzz" profile in ``nox -s fuzz``
# (``pytest --hypothesis-profile=fuzz``): many more examples, new ones on
# each run (no derandomize, whatever CI sets), no deadline.
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("HTTPCORE_FUZZ_EXAMPLES", "2000")),
    deadline=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
