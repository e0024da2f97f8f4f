"""ASGI entry point: Django for HTTP (pages, API), servestatic for static files, Channels for
websockets.

HTTP runs through Django's synchronous handler in a pool of threads (a2wsgi), one thread hop per
request. Under Django's ASGI handler every synchronous middleware hook and the view each took
their own hop (about fifteen per request), which cost more than the requests' own work on this
2-core machine (docs/adr/0008-http-through-one-thread-hop.md). Static files are answered on the
event loop, before Django; small request bodies are read there too (core.bodies).
"""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp.settings")
get_asgi_application()  # django.setup(), as Channels' documentation asks, before other imports

from a2wsgi import WSGIMiddleware  # noqa: E402
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from servestatic import ServeStaticASGI  # noqa: E402

from mpp.core.bodies import BodyFromScope, ReadSmallBodies  # noqa: E402
from mpp.core.events import ServerLoop  # noqa: E402
from mpp.core.proxies import TrustedProxyHeaders  # noqa: E402
from mpp.core.redis_pool import ClosesSocketsWithoutRedis  # noqa: E402
from mpp.core.requestid import RequestIds  # noqa: E402
from mpp.routing import websocket_urlpatterns  # noqa: E402

# Django's ManifestStaticFilesStorage puts a 12-hex-digit hash in every file name it publishes.
_HASHED = r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$"


def _security_headers(headers, path: str, url: str) -> None:  # type: ignore[no-untyped-def]
    """The headers Django's SecurityMiddleware gives every response, on static files too."""
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers["X-Content-Type-Options"] = "nosniff"
    if settings.SECURE_REFERRER_POLICY:
        headers["Referrer-Policy"] = settings.SECURE_REFERRER_POLICY


http = ServeStaticASGI(
    ReadSmallBodies(
        WSGIMiddleware(
            BodyFromScope(get_wsgi_application()),  # type: ignore[arg-type]
            workers=settings.HTTP_THREADS,
        )
    ),
    root=settings.STATIC_ROOT,
    prefix=settings.STATIC_URL,
    max_age=3600,
    immutable_file_test=_HASHED,
    add_headers_function=_security_headers,
)

# The client's address and scheme come from a proxy's headers only when that proxy is one of
# MPP_TRUSTED_PROXIES (core/proxies.py), for pages, API, static files and websockets alike.
# Outside it, each request and connection gets its id (core/requestid.py): it must see the peer.
application = ServerLoop(
    RequestIds(
        TrustedProxyHeaders(
            ProtocolTypeRouter(
                {
                    "http": http,
                    "websocket": ClosesSocketsWithoutRedis(
                        AllowedHostsOriginValidator(
                            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
                        )
                    ),
                }
            )
        )
    )
)

# What is loaded by now lives as long as the process. Keep it out of the garbage collector's full
# scans, which stopped the interpreter for 40-80 ms each on this machine (about 120,000 objects)
# and showed up as the tail of every latency figure (docs/BENCHMARKS.md).
gc.collect()
gc.freeze()
