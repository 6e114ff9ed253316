"""The embedded default: each SMS is appended to a file under var/sms/ (one JSON line each) and shown in the admin."""

import json
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .base import Sms, SmsBackend


def sms_dir() -> Path:
    return Path(settings.NOTIFICATIONS_SMS_DIR)


def sms_file(day=None) -> Path:
    """The file of one day's messages (Asia/Shanghai)."""
    day = day or timezone.localdate()
    return sms_dir() / f"sms-{day:%Y-%m-%d}.jsonl"


class FileSmsBackend(SmsBackend):
    name = "console"

    def send(self, sms: Sms) -> str:
        path = sms_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        line = {"at": timezone.localtime().isoformat(timespec="seconds"), "phone": sms.phone,
                "text": f"【{settings.NOTIFICATIONS_SMS_SIGN_NAME}】{sms.text}", "template": sms.template_code,
                "params": sms.params, "out_id": sms.out_id}
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        return f"file-{sms.out_id}"


def sms_file_lines(*, day=None, limit: int = 200) -> list[dict]:
    """The last lines of a day's file, newest first."""
    path = sms_file(day)
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()[-limit:]
    return [json.loads(line) for line in reversed(lines) if line.strip()]
