"""What the tests and the benchmarks share about the browser: Debian's Chromium with its
quiet offline settings, and a guard that aborts (and records) requests leaving the site."""

from __future__ import annotations

import os
import shutil
import time
from urllib.parse import urlparse

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# Debian's Chromium, quiet and offline (no background connections); WebGL via SwiftShader.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    # Headless Chromium opens each new context as a window of its own, and each window
    # renders a hidden WebUI omnibox popup (~2–3 s of CPU in its own renderer, while the page
    # under test boots on the same two cores); a person's browser does that once, not per
    # page. Autofill's server queries would leave the machine.
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup,"
    "PreloadTopChromeWebUI,AutofillServerCommunication",
]
NO_WEBGL_ARGS = [*CHROMIUM_ARGS, "--disable-webgl", "--disable-webgl2"]

# Records every Content-Security-Policy violation in a document or a worker (a worker's
# violations fire on its own global scope, not on the page's document).
CSP_WATCH = """(() => {
  if (self.__cspViolations) return;
  self.__cspViolations = [];
  self.addEventListener("securitypolicyviolation", (e) => self.__cspViolations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}`
    + `:${e.lineNumber}`));
})()"""


def guard_outside_requests(context, site_url: str) -> list[str]:
    """Abort every request of ``context`` (a Playwright BrowserContext) that is not for
    ``site_url``'s origin (``data:`` and ``blob:`` URLs stay local); returns the live list of
    the aborted URLs."""
    origin = urlparse(site_url).netloc
    outside: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob") or parsed.netloc == origin:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    return outside


def poll_function(page, expression: str, arg=None, timeout: float = 30_000, polling: float = 50):
    """``page.wait_for_function`` for pages under the site's Content-Security-Policy.

    Playwright's own evaluates its predicate with ``eval`` inside the page, which the policy
    refuses (it allows no 'unsafe-eval'); this one runs it from DevTools with ``page.evaluate``
    (which the policy does not govern) every ``polling`` ms until it is truthy, and returns
    that value. Raises Playwright's ``TimeoutError`` after ``timeout`` ms.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    deadline = time.monotonic() + timeout / 1000
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise PlaywrightTimeoutError(
                f"Timeout {timeout:g} ms exceeded waiting for {expression}"
            )
        time.sleep(polling / 1000)


# Resolves to the cache's name once the page's service worker is active and its release
# cache is the only one (only then is a reload served offline).
RELEASE_CACHED_JS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  for (;;) {
    const keys = await caches.keys();
    if (registration.active.state === "activated" && keys.length === 1) return keys[0];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}"""
