"""Scripted hostile servers on loopback and the safe outcome against each:
``test_hostile.py`` runs them on httpcore_compat, ``run.py --compare`` on
:mod:`http.client` too and prints the table docs/security.rst shows."""
