"""cartesia-migrate: find and fix code that breaks on Cartesia's API and SDK changes.

The public API is importable from here without loading libcst until it is used::

    from cartesia_migrate import check_source, check_paths, fix_paths
"""
__version__ = "0.1.0"

__all__ = ["__version__", "check_source", "fix_source", "check_paths", "fix_paths"]


def __getattr__(name):
    if name in ("check_source", "fix_source", "check_paths", "fix_paths"):
        from . import engine

        return getattr(engine, name)
    raise AttributeError(name)
