"""CM406 access-token-api: 2.x ``client.auth.access_token(...)`` -> ``client.access_token.create(...)``.

Same keywords (``grants=``, ``expires_in=``); the response still has ``.token``
(``TokenResponse`` -> ``AccessTokenCreateResponse``).
"""

from __future__ import annotations

import libcst as cst

from ..rule import Replace
from ._prefilter import IMPORTS_CARTESIA, ident
from ._sdk import SdkRule, Site


class AccessTokenApi(SdkRule):
    CODE = "CM406"
    PREFILTER = ((IMPORTS_CARTESIA, ident("auth"), ident("access_token")),)
    METHODS = frozenset({"access_token"})

    def check(self, site: Site) -> None:
        if site.path != "auth.access_token":
            return
        func = site.call.func
        assert isinstance(func, cst.Attribute)
        if isinstance(func.value, cst.Attribute) and func.value.attr.value == "auth":
            client = self.code(func.value.value)
            edits = [Replace(func, "%s.access_token.create" % client)]
        else:  # auth = client.auth; auth.access_token(...): the client expression is elsewhere
            client, edits = "client", []
        new = "%s.access_token.create" % client
        self.report_site(
            site,
            "`%s.auth.access_token()` is the 2.x API: 3.x+ mints tokens with `%s(grants=..., "
            "expires_in=...)`" % (client, new),
            edits=edits,
            fix_message="Use %s(...)" % new,
        )
