"""Rule implementations, one module per rule: ``cm101_discontinued_model.py`` is CM101.

Each module defines one ``Rule`` subclass whose ``CODE`` is in
``cartesia_migrate.catalog``; its doc (What it does / Why / Example / Use instead /
Fix safety / Dates and sources) is ``rules/CM101.md`` at the top of the repository,
and ``tests/rules/test_cm1xx.py`` holds its must-fire / must-not-fire cases.
Modules starting with ``_`` are helpers shared by a family.
"""
