"""serve's own AWS calls reach the embedded moto in-process; other shells keep using its HTTP endpoint.

moto's server (werkzeug's) closes the connection after every answer, so each call of the bot cost a new
TCP connection, a server thread and two HTTP parsers, all on serve's one GIL. Here botocore's
`before-send` event, its documented way to answer a request without sending it (moto's own mock answers
there too), hands the signed request to the same moto application the server runs: same backends, same
DynamoDB lock, same bytes in and out.
https://boto3.amazonaws.com/v1/documentation/api/latest/guide/events.html
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)


class DirectMoto:
    """A bot.aws.sessions client hook: clients whose endpoint is the embedded world call moto in-process."""

    def __init__(self, endpoint: str) -> None:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

        self.endpoint = endpoint.rstrip("/")
        self._app = DomainDispatcherApplication(create_backend_app)

    def hook(self, client: Any) -> None:
        if str(client.meta.endpoint_url).rstrip("/") == self.endpoint:
            client.meta.events.register("before-send", self.send)

    def send(self, request: Any, **_: Any) -> Any:
        """moto's answer to a prepared, signed botocore request (None: not ours, botocore sends it)."""
        from botocore.awsrequest import AWSResponse
        from moto.core.botocore_stubber import MockRawResponse
        from werkzeug.test import Client

        url = urlsplit(request.url)
        if f"{url.scheme}://{url.netloc}" != self.endpoint:
            return None
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        headers = [(k, v.decode() if isinstance(v, bytes) else str(v)) for k, v in request.headers.items()]
        reply_headers: Any  # a mapping, as botocore's own senders pass (its stubs say HTTPHeaders)
        try:
            # A Client per call: it holds no cookies then, and nothing is shared between threads.
            answer = Client(self._app, use_cookies=False).open(
                path=url.path or "/", query_string=url.query, method=request.method, headers=headers,
                data=body or b"", base_url=self.endpoint,
            )
            status, content, reply_headers = answer.status_code, answer.get_data(), dict(answer.headers)
        except Exception:  # moto's app raised: answer 500 as its server does (botocore retries, then errors)
            log.exception("embedded AWS failed on %s %s", request.method, url.path)
            status, content, reply_headers = 500, b"Internal Server Error", {"Content-Type": "text/plain"}
        return AWSResponse(request.url, status, reply_headers, MockRawResponse(content))
