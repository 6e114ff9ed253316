"""System tools some tests need: skipped where missing, required in CI."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def require_tool(available: bool, what: str) -> None:
    """Skip a test whose system tool is missing; CI sets LMS_REQUIRE_TOOLS=1 so it fails instead."""
    if available:
        return
    if os.environ.get("LMS_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{what} is required here (LMS_REQUIRE_TOOLS=1) but is not installed")
    pytest.skip(f"{what} is not installed; `make test` installs it where it can, CI always does")
