"""CM405 client-constructor: constructor and per-request options of 1.x / 2.x clients.

- 2.x ``httpx_client=`` -> ``http_client=`` (safe);
- 2.x ``environment=CartesiaEnvironment.PRODUCTION`` -> dropped (production is the
  default base URL; safe); another environment -> ``base_url=`` (reported);
- 2.x ``follow_redirects=True`` -> dropped (the 4.x default); ``False`` is reported;
- 1.x ``Cartesia()`` without ``api_key=`` relied on ``CARTESIA_API_KEY``, which 3.x+
  no longer reads: ``api_key=os.environ.get("CARTESIA_API_KEY")`` is added (safe: the
  1.x behaviour; 2.x required the key, 4.x fails without one);
- 1.x ``AsyncCartesia(max_num_connections=)`` has no 4.x equivalent (reported);
- 2.x ``request_options={...}`` on SDK calls -> ``timeout=`` / ``extra_headers=`` /
  ``extra_query=`` / ``extra_body=`` when it is a dict literal of those keys (safe).
"""

from __future__ import annotations

from typing import List

import libcst as cst

from ..bindings import CLIENT_CLASSES
from ..rule import Replace
from ._imports import ensure_import
from ._prefilter import IMPORTS_CARTESIA, ident
from ._sdk import SdkRule, Site, call_with, dict_items, is_true, kw_arg, remove_args, rename_kwarg

REQUEST_OPTION_KEYS = {
    "timeout_in_seconds": "timeout",
    "additional_headers": "extra_headers",
    "additional_query_parameters": "extra_query",
    "additional_body_parameters": "extra_body",
}
ENV_KEY = 'os.environ.get("CARTESIA_API_KEY")'


class ClientConstructor(SdkRule):
    CODE = "CM405"
    PREFILTER = ((IMPORTS_CARTESIA, ident("Cartesia", "AsyncCartesia", "Client", "AsyncClient",
                                       "request_options")),)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.ctors: List[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        q = self.ctx.bindings.qualify(node.func)
        if q in CLIENT_CLASSES:
            self._constructor(node, q)
            return
        if any(a.keyword is not None and a.keyword.value == "request_options" for a in node.args):
            self.sites.append(self.site(node))

    # -- Cartesia(...) / AsyncCartesia(...)
    def _constructor(self, call: cst.Call, qname: str) -> None:
        cls = qname.rsplit(".", 1)[1]
        keywords = {a.keyword.value: a for a in call.args if a.keyword is not None}
        httpx_client = keywords.get("httpx_client")
        if httpx_client is not None and "http_client" not in keywords:
            self.report(
                httpx_client,
                "`httpx_client=` is the 2.x name: 3.x+ takes `http_client=`",
                edits=rename_kwarg(httpx_client, "http_client"),
                fix_message="Rename httpx_client= to http_client=",
            )
        env = keywords.get("environment")
        if env is not None:
            production = isinstance(env.value, cst.Attribute) and env.value.attr.value == "PRODUCTION"
            if production:
                self.report(
                    env,
                    "`environment=` was removed in 3.x; production is the default base URL",
                    edits=remove_args(call, [env]),
                    fix_message="Remove environment=",
                )
            else:
                self.report(
                    env,
                    '`environment=` was removed in 3.x: pass `base_url="https://..."` '
                    "(or set CARTESIA_BASE_URL)",
                )
        follow = keywords.get("follow_redirects")
        if follow is not None:
            if is_true(follow.value):
                self.report(
                    follow,
                    "`follow_redirects=` was removed in 3.x (redirects are followed by default)",
                    edits=remove_args(call, [follow]),
                    fix_message="Remove follow_redirects=",
                )
            else:
                self.report(
                    follow,
                    "`follow_redirects=` was removed in 3.x: pass "
                    "`http_client=cartesia.DefaultHttpxClient(follow_redirects=False)`",
                )
        if "max_num_connections" in keywords:
            self.report(
                keywords["max_num_connections"],
                "`max_num_connections=` (1.x) was removed: configure connection limits on the HTTP "
                "client: `http_client=cartesia.DefaultAioHttpClient(...)` or "
                "`cartesia.DefaultAsyncHttpxClient(limits=httpx.Limits(max_connections=N))`",
            )
        has_auth = any(k in keywords for k in ("api_key", "token", "default_headers"))
        if (
            not has_auth
            and not any(a.star for a in call.args)
            and not any(a.keyword is None for a in call.args)
        ):
            new = (
                call_with(call, append=[kw_arg("api_key", cst.parse_expression(ENV_KEY))])
                if call.args
                else call.with_changes(args=[kw_arg("api_key", cst.parse_expression(ENV_KEY))])
            )
            edits = [Replace(call, self.code(new, self.ctx.stack[:-1]))] + ensure_import(
                self.ctx.module, "import os", "os"
            )
            self.report(
                call,
                "`%s()` without `api_key=`: 1.x read CARTESIA_API_KEY from the environment, 3.x+ "
                'does not (requests fail with "Could not resolve authentication method"): pass '
                "`api_key=%s`" % (cls, ENV_KEY),
                edits=edits,
                fix_message="Pass api_key=%s" % ENV_KEY,
            )

    # -- request_options= on SDK calls
    def check(self, site: Site) -> None:
        arg = site.arg("request_options")
        if arg is None:
            return
        items = dict_items(arg.value)
        base = (
            "`request_options=` is the 2.x per-request option: 3.x+ takes `timeout=`, `extra_headers=`, "
            "`extra_query=` and `extra_body=` on each call, and `client.with_options(max_retries=N)`"
        )
        if items is None:
            self.report_site(site, base + " (not fixed: not a dict literal)", node=arg)
            return
        unknown = [k for k, _ in items if k not in REQUEST_OPTION_KEYS]
        if unknown:
            self.report_site(site, base + " (not fixed: %s)" % ", ".join(unknown), node=arg)
            return
        taken = {a.keyword.value for a in site.call.args if a.keyword is not None}
        clash = [REQUEST_OPTION_KEYS[k] for k, _ in items if REQUEST_OPTION_KEYS[k] in taken]
        if clash:
            self.report_site(site, base + " (not fixed: %s= is already passed)" % clash[0], node=arg)
            return
        if not items:
            edits = remove_args(site.call, [arg])
        else:
            edits = [
                Replace(arg, ", ".join("%s=%s" % (REQUEST_OPTION_KEYS[k], self.code(v)) for k, v in items))
            ]
        self.report_site(
            site,
            base,
            edits=edits,
            node=arg,
            fix_message="Pass %s"
            % (
                ", ".join(REQUEST_OPTION_KEYS[k] + "=" for k, _ in items) or "nothing (empty request_options)"
            ),
        )
