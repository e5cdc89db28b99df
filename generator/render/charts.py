"""Static SVG bar charts, drawn at build time: no chart library, nothing fetched by the reader.

Each chart is a standalone file shown as an image with a text alternative; the numbers
are in an accessible table beside it, so the chart is never the only carrier of a figure.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

# Sizes in the drawing's own units; it is drawn 480 px wide and shrinks to fit a phone (about
# 343 px at 375), so text of 17 units stays at least 12 CSS px there.
WIDTH, BAR_AREA_TOP, ROW = 480, 40, 34
LABEL_WIDTH = 130
FONT, TITLE_FONT = 17, 18
COLOURS = ("#3f51b5", "#c62828")  # Material indigo for counts, red for deaths


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[float]]]) -> str:
    """Horizontal bars, one group per label, one bar per series (at most two)."""
    peak = max((v for _, values in series for v in values), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 60
    height = BAR_AREA_TOP + ROW * len(labels) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
             f'role="img" aria-label="{escape(title)}" font-family="sans-serif" font-size="{FONT}">',
             f"<title>{escape(title)}</title>",
             f'<text x="0" y="20" font-size="{TITLE_FONT}" font-weight="bold">{escape(title)}</text>']
    bar = (ROW - 6) / max(1, len(series))
    for i, label in enumerate(labels):
        y = BAR_AREA_TOP + i * ROW
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + ROW / 2 + 2:.1f}" text-anchor="end">{escape(label)}</text>')
        for s, (name, values) in enumerate(series):
            value = values[i]
            w = span * value / peak
            top = y + 2 + s * bar
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{top:.1f}" width="{w:.1f}" height="{bar - 1:.1f}" '
                         f'fill="{COLOURS[s % len(COLOURS)]}"><title>{escape(label)} {escape(name)} {value:g}</title></rect>')
            parts.append(f'<text x="{LABEL_WIDTH + w + 4:.1f}" y="{top + bar - 3:.1f}">{value:g}</text>')
    legend_y = height - 10
    for s, (name, _) in enumerate(series):
        x = LABEL_WIDTH + s * 140
        parts.append(f'<rect x="{x}" y="{legend_y - 10}" width="10" height="10" fill="{COLOURS[s % len(COLOURS)]}"/>')
        parts.append(f'<text x="{x + 14}" y="{legend_y}">{escape(name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
