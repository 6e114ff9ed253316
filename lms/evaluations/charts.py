"""Bar charts drawn on the server as SVG (no script on the page); the results table is their text."""

from dataclasses import dataclass

ROW_HEIGHT = 22
LABEL_WIDTH = 170
BAR_WIDTH = 340


@dataclass(frozen=True)
class Bar:
    y: int
    width: int
    label: str
    value: str
    flagged: bool


def bar_chart(rows) -> dict:
    """Horizontal bars of result rows' overall averages on the 1–4 scale."""
    bars = [Bar(y=i * ROW_HEIGHT, width=int(float(r.overall) / 4 * BAR_WIDTH), label=r.label[:18],
                value=str(r.overall), flagged=r.flagged) for i, r in enumerate(rows)]
    return {"bars": bars, "height": max(len(bars), 1) * ROW_HEIGHT, "label_width": LABEL_WIDTH,
            "width": LABEL_WIDTH + BAR_WIDTH + 60, "bar_x": LABEL_WIDTH + 6}
