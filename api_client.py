"""The management API seen from outside: a small HTTP client for the CLI and the simulator."""
from __future__ import annotations

import threading
from typing import Any, Iterator

import requests

DEFAULT_API = "http://127.0.0.1:9410/api/v0"
TIMEOUT = 15
PAGE = 100  # the API's largest page


class ApiError(Exception):
    """The API answered with an error, or could not be reached; `str()` is one line for a person."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ApiClient:
    """Requests to `base` (the URL ending in /api/v0), with the bearer token when there is one; one HTTP session per
    thread (the simulator registers stations from a few threads)."""

    def __init__(self, base: str = DEFAULT_API, token: str | None = None) -> None:
        self.base = base.rstrip("/")
        self.token = token
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            if self.token:
                session.headers["Authorization"] = f"Bearer {self.token}"
        return session

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """The answer to a 2xx request; anything else raises ApiError."""
        url = f"{self.base}{path}"
        try:
            response = self._session().request(method, url, timeout=TIMEOUT, **kwargs)
        except requests.exceptions.InvalidURL as error:
            raise ApiError(f"not a usable API URL: {self.base} ({error})") from error
        except requests.exceptions.MissingSchema as error:
            raise ApiError(f"not an http(s) URL: {self.base}") from error
        except requests.RequestException as error:
            raise ApiError(f"cannot reach the API at {self.base}: {_reason(error)}") from error
        if response.status_code >= 400:
            raise ApiError(f"{method} {path}: {response.status_code} {_detail(response)}", response.status_code)
        return response

    def get(self, path: str, **params: Any) -> Any:
        """The JSON of a GET."""
        return _json(self.request("GET", path, params=params or None), path)

    def text(self, path: str) -> str:
        """The body of a GET as text (PEM files)."""
        return self.request("GET", path).text

    def post(self, path: str, body: Any) -> Any:
        """POST a JSON body; the JSON answer, or None when the answer has no body."""
        response = self.request("POST", path, json=body)
        return _json(response, path) if response.content else None

    def delete(self, path: str) -> None:
        self.request("DELETE", path)

    def exists(self, path: str) -> bool:
        """Whether GET `path` finds something (404: no)."""
        try:
            self.request("GET", path)
        except ApiError as error:
            if error.status == 404:
                return False
            raise
        return True

    def pages(self, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every item of a paged list."""
        offset = 0
        while True:
            page = self.get(path, offset=offset, limit=PAGE, **params)
            yield from page
            if len(page) < PAGE:
                return
            offset += PAGE


def _json(response: requests.Response, path: str) -> Any:
    try:
        return response.json()
    except ValueError as error:
        raise ApiError(f"{path}: the answer is not JSON (is this the CSMS API, ending in /api/v0?)") from error


def _detail(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.reason or "error"
    return str(body.get("error") or body.get("status")) if isinstance(body, dict) else str(body)


def _reason(error: requests.RequestException) -> str:
    if isinstance(error, requests.exceptions.ConnectionError):
        return "connection refused or host unknown"
    if isinstance(error, requests.exceptions.Timeout):
        return f"no answer within {TIMEOUT} s"
    return type(error).__name__
