"""Waiting in a page without Playwright's wait_for_function, whose string predicates the site's CSP forbids."""

import time


def wait_until(page, expression: str, *, timeout: float = 30_000) -> None:
    """Poll a JavaScript expression until it is truthy (page.evaluate runs outside the page's CSP)."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {expression}")
        page.wait_for_timeout(100)
