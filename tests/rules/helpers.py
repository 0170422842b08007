"""Shared helpers for rule tests: findings of one rule on a snippet, and its fix."""
from cartesia_migrate.config import Settings
from cartesia_migrate.engine import check_source, fix_source


def findings(src, code, path="app.py", **settings):
    s = Settings(select=(code,), **settings)
    return [f for f in check_source(src, path, s) if f.code == code]


def lines(src, code, **kw):
    return sorted(f.location[0] for f in findings(src, code, **kw))


def fixed(src, code, unsafe=False, path="app.py", **settings):
    s = Settings(select=(code,), **settings)
    out, _ = fix_source(src, path, s, unsafe=unsafe)
    again, _ = fix_source(out, path, s, unsafe=unsafe)
    assert again == out, "fix is not idempotent"
    return out
