"""The HTTP side of the review page: a small JSON API and the static page, on loopback only.

Built on Bottle (the ``gxparse[review]`` extra): one pure-Python file with no dependencies of its
own, maintained since 2009, with routing, JSON bodies and static files — all this page needs —
and served by the standard library's WSGI server, threaded so a browser's parallel requests do
not queue. The page itself is plain HTML, CSS and JavaScript: no front-end build step.

Routes: ``GET /`` (the page), ``GET /static/<file>``, ``GET /api/reports``,
``GET /api/reports/<id>``, ``POST /api/reports/<id>/checks`` (identities on the cells as typed)
and ``POST /api/reports/<id>`` (save). Requests whose ``Host`` is not the loopback address the
server listens on are refused, so a web page elsewhere cannot reach the API through DNS rebinding.
"""

from __future__ import annotations

import json
import sys
import threading
import webbrowser
from importlib import resources
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import bottle

from gxparse.review.store import AnnotationStore

LOOPBACK = "127.0.0.1"
LOCAL_HOST_NAMES = (LOOPBACK, "localhost")


def _static_root() -> str:
    return str(resources.files("gxparse.review") / "static")


def _json(status: int, body: dict[str, Any]) -> bottle.HTTPResponse:
    return bottle.HTTPResponse(status=status, body=json.dumps(body, ensure_ascii=False),
                               headers={"Content-Type": "application/json; charset=utf-8"})


def make_app(directory: str | Path) -> bottle.Bottle:
    """Return the WSGI application serving the annotations of ``directory``."""
    store = AnnotationStore(directory)
    app = bottle.Bottle()

    @app.hook("before_request")
    def _only_local_hosts() -> None:
        host = bottle.request.get_header("Host", "").rsplit(":", 1)[0]
        if host not in LOCAL_HOST_NAMES:
            raise _json(403, {"error": f"host {host!r} refused: the review server answers loopback only"})

    def _body() -> dict[str, Any]:
        try:
            body = json.loads(bottle.request.body.read().decode("utf-8") or "{}")
        except ValueError as exc:
            raise _json(400, {"error": f"body is not JSON: {exc}"}) from exc
        if not isinstance(body, dict) or not isinstance(body.get("tables", {}), dict):
            raise _json(400, {"error": "body must be an object with 'tables': {table: {row: {col: text}}}"})
        return body

    def _known(report_id: str) -> None:
        if not store.has(report_id):
            raise _json(404, {"error": f"no annotation {report_id!r} in {store.directory}"})

    def _error_as_json(error: bottle.HTTPError) -> str:
        bottle.response.content_type = "application/json; charset=utf-8"
        return json.dumps({"error": str(error.body)}, ensure_ascii=False)

    app.error_handler.update({code: _error_as_json for code in (400, 404, 405, 500)})

    @app.get("/")
    def _index() -> Any:
        return bottle.static_file("index.html", root=_static_root())

    @app.get("/static/<name>")
    def _static(name: str) -> Any:
        return bottle.static_file(name, root=_static_root())

    @app.get("/api/reports")
    def _reports() -> dict[str, Any]:
        return {"directory": str(store.directory), "reports": store.list_reports()}

    @app.get("/api/reports/<report_id>")
    def _report(report_id: str) -> dict[str, Any]:
        _known(report_id)
        try:
            return store.page(report_id)
        except (OSError, ValueError) as exc:
            raise _json(422, {"error": f"cannot open {report_id}: {exc}"}) from exc

    @app.post("/api/reports/<report_id>/checks")
    def _checks(report_id: str) -> dict[str, Any]:
        _known(report_id)
        return store.checks(report_id, _body().get("tables", {}))

    @app.post("/api/reports/<report_id>")
    def _save(report_id: str) -> Any:
        _known(report_id)
        body = _body()
        notes, uncertain = body.get("notes"), body.get("uncertain")
        result = store.save(report_id, body.get("tables", {}), notes if isinstance(notes, str) else None,
                            [str(a) for a in uncertain] if isinstance(uncertain, list) else None)
        return result if result["saved"] else _json(422, result)

    return app


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        """Keep the terminal for the URL and errors, not one line per request."""


class ReviewServer:
    """The review page served on ``127.0.0.1``; ``port=0`` takes a free port (see :attr:`url`)."""

    def __init__(self, directory: str | Path, *, port: int = 0) -> None:
        self._httpd = make_server(LOOPBACK, port, make_app(directory), server_class=_ThreadingServer,
                                  handler_class=_QuietHandler)
        self.port = int(self._httpd.server_port)
        self.url = f"http://{LOOPBACK}:{self.port}/"
        self._thread: threading.Thread | None = None

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown` (or Ctrl-C in the calling thread)."""
        self._httpd.serve_forever()

    def start(self) -> ReviewServer:
        """Serve in a background thread (for tests and notebooks); return self."""
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="gxparse-review", daemon=True)
        self._thread.start()
        return self

    def shutdown(self) -> None:
        """Stop serving (from another thread than the serving one) and close the socket."""
        self._httpd.shutdown()
        if self._thread is not None:
            self._thread.join()
        self.close()

    def close(self) -> None:
        """Close the listening socket."""
        self._httpd.server_close()


def serve(directory: str | Path, *, port: int = 0, open_browser: bool = True) -> None:
    """Serve the review page for ``directory`` until Ctrl-C; print its URL and open it in a browser.

    Raises
    ------
    DataError
        ``directory`` is not a directory.
    OSError
        The port is taken.
    """
    server = ReviewServer(directory, port=port)
    print(f"gxparse review: serving {directory} at {server.url} (Ctrl-C to stop)", flush=True)
    if open_browser:
        try:
            if not webbrowser.open(server.url):
                print("gxparse review: no web browser found; open the URL yourself", file=sys.stderr)
        except webbrowser.Error:
            print("gxparse review: no web browser found; open the URL yourself", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
