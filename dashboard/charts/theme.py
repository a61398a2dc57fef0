"""The one registered Altair theme: large readable type, colour-blind-safe palettes, quiet axes."""

from __future__ import annotations

import altair as alt

NAME = "hss"

# Okabe & Ito (2008), then Paul Tol's muted scheme: distinguishable under the common colour-vision
# deficiencies. Okabe-Ito's yellow and grey are left out: yellow is unreadable as label text on white and
# grey is the colour of reference lines.
CATEGORICAL = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
               "#882255", "#44AA99", "#117733", "#999933", "#AA4499"]
# ColorBrewer single-hue blues, light to dark: ordered classes stay distinguishable without hue.
SEQUENTIAL = ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b"]
# ColorBrewer PuOr, diverging around a reference: colour-blind safe.
DIVERGING = ["#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"]
NO_DATA = "#d9d9d9"
REFERENCE = "#555555"
FONT = "Source Sans Pro, Helvetica, Arial, sans-serif"


def config() -> dict:
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "view": {"stroke": None, "continuousWidth": 640, "continuousHeight": 360},
            "title": {"fontSize": 18, "anchor": "start", "subtitleFontSize": 14, "subtitleColor": "#444"},
            "axis": {"labelFontSize": 13, "titleFontSize": 14, "gridColor": "#e6e6e6",
                     "domainColor": "#888", "tickColor": "#888", "labelColor": "#222", "titleColor": "#222"},
            "legend": {"labelFontSize": 13, "titleFontSize": 14, "symbolSize": 120, "labelLimit": 260},
            "header": {"labelFontSize": 13, "titleFontSize": 14},
            "range": {"category": CATEGORICAL, "ordinal": SEQUENTIAL[1:], "ramp": SEQUENTIAL[1:],
                      "diverging": DIVERGING},
            "line": {"strokeWidth": 2.5},
            "point": {"size": 70, "filled": True},
            "text": {"fontSize": 13},
        }
    }


@alt.theme.register(NAME, enable=True)
def _hss_theme() -> alt.theme.ThemeConfig:
    return alt.theme.ThemeConfig(config())
