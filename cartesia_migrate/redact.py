"""Redaction of Cartesia API keys in anything we print."""
from __future__ import annotations

import re

# A key: sk_car_ (or sk_car_admin_) followed by a key body.  Keys look like
# sk_car_<id>.<secret> or a long token.
# The body may start with "-" or "_" (base64url tokens do); "sk_car_..." and the bare
# prefixes are not keys.
# The prefix is matched in any case: an upper-cased echo (``explain SK_CAR_...``) is redacted too.
KEY_RE = re.compile(r"(?i:sk_car_(?:admin_)?)[A-Za-z0-9_\-][A-Za-z0-9_.\-]{7,}")


def redact_key(key: str) -> str:
    return "sk_car_\u2026" + key[-4:]


def redact(text: str) -> str:
    """Replace every API key in ``text`` by ``sk_car_…`` and its last 4 characters."""
    if "sk_car_" not in text and "sk_car_" not in text.lower():
        return text
    return KEY_RE.sub(lambda m: redact_key(m.group(0)), text)
