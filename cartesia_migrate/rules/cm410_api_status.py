"""CM410 api-status: 2.x ``client.api_status.get()`` -> ``client.get_status()``.

Both return ``ok`` and ``version`` (``ApiInfo`` -> ``GetStatusResponse``).
"""

from __future__ import annotations

import libcst as cst

from ..rule import Replace
from ._prefilter import IMPORTS_CARTESIA, ident
from ._sdk import SdkRule, Site


class ApiStatus(SdkRule):
    CODE = "CM410"
    PREFILTER = ((IMPORTS_CARTESIA, ident("api_status"), ident("get")),)
    METHODS = frozenset({"get"})

    def check(self, site: Site) -> None:
        if site.path != "api_status.get":
            return
        func = site.call.func
        assert isinstance(func, cst.Attribute)
        if isinstance(func.value, cst.Attribute) and func.value.attr.value == "api_status":
            client = self.code(func.value.value)
            edits = [Replace(func, "%s.get_status" % client)]
        else:  # status = client.api_status; status.get(): the client expression is elsewhere
            client, edits = "client", []
        new = "%s.get_status" % client
        self.report_site(
            site,
            "`%s.api_status.get()` is the 2.x API: 3.x+ has `%s()` (same `ok` and `version`)" % (client, new),
            edits=edits,
            fix_message="Use %s()" % new,
        )
