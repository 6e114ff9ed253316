"""Uploaded question files kept between the import preview and the user's confirmation."""

import json
import secrets
import time
from pathlib import Path

from django.conf import settings

STALE_SECONDS = 24 * 3600


def staging_dir() -> Path:
    """Where uploads wait for confirmation; outside MEDIA_ROOT, so never served."""
    folder = Path(getattr(settings, "QUIZZES_IMPORT_STAGING_DIR", settings.VAR_DIR / "quiz-imports"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _paths(token: str) -> tuple[Path, Path]:
    folder = staging_dir()
    return folder / f"{token}.bin", folder / f"{token}.json"


def upload_stage(*, content: bytes, fmt: str, category: str, filename: str, user_id: int) -> str:
    """Keep an upload for its preview; returns the token the confirm form carries."""
    _drop_stale()
    token = secrets.token_urlsafe(16)
    data_path, meta_path = _paths(token)
    data_path.write_bytes(content)
    meta_path.write_text(json.dumps({"format": fmt, "category": category, "filename": filename,
                                     "user_id": user_id}, ensure_ascii=False), encoding="utf-8")
    return token


def upload_load(*, token: str, user_id: int) -> tuple[bytes, dict] | None:
    """The staged upload and its details, only for the user who staged it; None when gone."""
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    data_path, meta_path = _paths(token)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        content = data_path.read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("user_id") != user_id:
        return None
    return content, meta


def upload_discard(*, token: str) -> None:
    """Forget a staged upload (after import or cancel)."""
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return
    for path in _paths(token):
        path.unlink(missing_ok=True)


def _drop_stale() -> None:
    cutoff = time.time() - STALE_SECONDS
    for path in staging_dir().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue
