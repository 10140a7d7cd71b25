"""``make bench``: Pūrei's benchmark harness (see ``docs/performance.md``).

Plain scripts run with the venv's Python from the repository root:

``python -m scripts.bench``           the runner: engines, scenarios, tables
``python -m scripts.bench.generate``  the catalogue generator (Django, a bench database)
``python -m scripts.bench.load``      the load generator (standard library only)

``stats`` and ``scenarios`` are pure (no Django, no network): the numbers and the URL
sets, tested in ``tests/bench``. A new scenario is one entry in
``scenarios.SCENARIOS``.
"""
