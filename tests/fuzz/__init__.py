# Fuzzing: hypothesis properties (test_*.py, run by every pytest run with
# small budgets and by ``nox -s fuzz`` with large ones), atheris targets
# (targets/, driven by run_atheris.py) and the inputs both replay
# (corpus/ and regressions/, by test_replay.py).  A package, so that the
# tests and the runner import the targets as ``fuzz.targets``.
