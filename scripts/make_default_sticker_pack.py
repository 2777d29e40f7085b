"""Draw Toricy's own sticker pack as Lottie animations, written as plain JSON.

    python scripts/make_default_sticker_pack.py

writes static/stickers/toricy/<slug>.json and pack.json (the order and the search words, Russian
and English). The drawings are simple rounded shapes in Toricy's palette with one clear motion
each (a bounce, a wave, a pulse, a blink); solid colours only. The Lottie structures are written
as dicts here rather than through the `lottie` package: the handful of shapes a sticker needs are
shorter to say directly, and the output is what lottie-web's light build plays.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "static" / "stickers" / "toricy"
SIZE = 512
FPS = 30
LENGTH = 60  # two seconds a loop

# Toricy's palette (solid colours only).
INK = "#2b3531"
TEAL = "#0f766e"
MINT = "#5fb8a9"
SUN = "#f6c453"
ORANGE = "#ef8f45"
CORAL = "#e2585d"
PINK = "#f4a3b6"
CREAM = "#fbe7c6"
BROWN = "#b07348"
WHITE = "#ffffff"
LAVENDER = "#a497e6"
SKY = "#84c8ea"
LEAF = "#6dba6c"
GREY = "#c9d1ce"


def rgba(colour: str) -> list[float]:
    colour = colour.lstrip("#")
    return [round(int(colour[i : i + 2], 16) / 255, 4) for i in (0, 2, 4)] + [1]


# --- Animated values ---------------------------------------------------------------------------
class Keys:
    """Keyframes [(frame, value), ...], eased in and out."""

    def __init__(self, frames):
        self.frames = frames


def prop(value):
    if isinstance(value, Keys):
        out = []
        for index, (frame, v) in enumerate(value.frames):
            v = list(v) if isinstance(v, list | tuple) else [v]
            key = {"t": frame, "s": v}
            if index < len(value.frames) - 1:
                key["i"] = {"x": [0.42], "y": [1]}
                key["o"] = {"x": [0.58], "y": [0]}
            out.append(key)
        return {"a": 1, "k": out}
    return {"a": 0, "k": list(value) if isinstance(value, tuple) else value}


def swing(a, b, times=2, length=LENGTH):
    """a -> b -> a, `times` times over the loop."""
    step = length / (2 * times)
    return Keys([(round(i * step), a if i % 2 == 0 else b) for i in range(2 * times + 1)])


def hold_then(rest, moves, length=LENGTH):
    """Rest, then the listed (frame, value) moves, back to rest by the loop's end."""
    return Keys([(0, rest), *moves, (length, rest)])


# --- Shapes --------------------------------------------------------------------------------------
def _paint(shape, fill=None, stroke=INK, width=10, opacity=100):
    items = [shape]
    if stroke:
        items.append(
            {
                "ty": "st",
                "c": prop(rgba(stroke)),
                "o": prop(100),
                "w": prop(width),
                "lc": 2,
                "lj": 2,
            }
        )
    if fill:
        items.append({"ty": "fl", "c": prop(rgba(fill)), "o": prop(100), "r": 1})
    return group(items, o=opacity, raw=True)


def group(items, p=(0, 0), a=(0, 0), s=(100, 100), r=0, o=100, raw=False):
    """Items are listed back to front (painter's order); Lottie wants front to back."""
    ordered = list(items) if raw else list(reversed(items))
    ordered.append(
        {"ty": "tr", "p": prop(p), "a": prop(a), "s": prop(s), "r": prop(r), "o": prop(o)}
    )
    return {"ty": "gr", "it": ordered}


def ellipse(cx, cy, w, h=None, **paint):
    return _paint({"ty": "el", "p": prop((cx, cy)), "s": prop((w, h or w)), "d": 1}, **paint)


def rect(cx, cy, w, h, radius=0, **paint):
    shape = {"ty": "rc", "p": prop((cx, cy)), "s": prop((w, h)), "r": prop(radius), "d": 1}
    return _paint(shape, **paint)


def path(points, closed=False, **paint):
    """points: (x, y) or (x, y, in_dx, in_dy, out_dx, out_dy) for a curve through it."""
    vs, ins, outs = [], [], []
    for point in points:
        x, y, *handles = point
        ix, iy, ox, oy = handles or (0, 0, 0, 0)
        vs.append([x, y])
        ins.append([ix, iy])
        outs.append([ox, oy])
    shape = {"ty": "sh", "ks": prop({"i": ins, "o": outs, "v": vs, "c": closed}), "d": 1}
    return _paint(shape, **paint)


def arc(x1, y1, x2, y2, bend, **paint):
    """A curved stroke from one point to another, bulging `bend` pixels (down if positive)."""
    dx = (x2 - x1) / 3
    paint.setdefault("fill", None)
    return path([(x1, y1, 0, 0, dx, bend), (x2, y2, -dx, bend, 0, 0)], **paint)


def heart(cx, cy, size, **paint):
    k = size / 100
    return path(
        [
            (cx, cy - 28 * k, -10 * k, -34 * k, 10 * k, -34 * k),
            (cx + 50 * k, cy - 28 * k, 0, -38 * k, 0, 30 * k),
            (cx, cy + 48 * k, 30 * k, -18 * k, -30 * k, -18 * k),
            (cx - 50 * k, cy - 28 * k, 0, 30 * k, 0, -38 * k),
        ],
        closed=True,
        **paint,
    )


def star(cx, cy, outer, inner, points=5, **paint):
    corners = []
    for i in range(points * 2):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi * i / points - math.pi / 2
        corners.append(
            (round(cx + radius * math.cos(angle), 1), round(cy + radius * math.sin(angle), 1))
        )
    return path(corners, closed=True, **paint)


# --- A face, the family's common character ------------------------------------------------------
def eyes(cx, cy, gap=58, mood="open", blink=True):
    parts = []
    for side in (-1, 1):
        x = cx + side * gap
        if mood == "open":
            eye = ellipse(0, 0, 26, 34, fill=INK, stroke=None)
            scale = hold_then((100, 100), [(38, (100, 100)), (42, (100, 10)), (46, (100, 100))])
            parts.append(group([eye], p=(x, cy), s=scale if blink else (100, 100)))
        elif mood == "happy":
            parts.append(arc(x - 18, cy + 6, x + 18, cy + 6, -22, width=9))
        elif mood == "closed":
            parts.append(arc(x - 18, cy, x + 18, cy, 14, width=9))
        elif mood == "up":
            parts.append(ellipse(x, cy - 8, 24, 30, fill=INK, stroke=None))
    return parts


def mouth(cx, cy, mood="smile"):
    if mood == "smile":
        return [arc(cx - 40, cy, cx + 40, cy, 34, width=10)]
    if mood == "grin":
        return [
            path(
                [
                    (cx - 48, cy - 6, 0, 0, 0, 0),
                    (cx + 48, cy - 6, 0, 0, 0, 0),
                    (cx, cy + 46, 40, 0, -40, 0),
                ],
                closed=True,
                fill=CORAL,
                width=9,
            )
        ]
    if mood == "o":
        return [ellipse(cx, cy + 10, 34, 42, fill=CORAL, width=9)]
    if mood == "sad":
        return [arc(cx - 34, cy + 16, cx + 34, cy + 16, -24, width=10)]
    if mood == "kiss":
        return [
            arc(cx - 6, cy - 14, cx - 6, cy + 4, 0, width=9),
            path(
                [
                    (cx - 6, cy - 14, 0, 0, 22, 2),
                    (cx - 6, cy + 2, 22, -2, 22, 2),
                    (cx - 6, cy + 18, 22, -2, 0, 0),
                ],
                width=9,
            ),
        ]
    if mood == "flat":
        return [arc(cx - 26, cy + 8, cx + 26, cy + 8, 0, width=10)]
    return []


def face(cx=256, cy=262, r=150, colour=SUN, eye="open", mood="smile", cheeks=True, blink=True):
    parts = [ellipse(cx, cy, 2 * r, fill=colour, width=12)]
    if cheeks:
        parts += [
            ellipse(cx - r * 0.58, cy + r * 0.22, 44, 28, fill=PINK, stroke=None),
            ellipse(cx + r * 0.58, cy + r * 0.22, 44, 28, fill=PINK, stroke=None),
        ]
    parts += eyes(cx, cy - r * 0.18, gap=r * 0.38, mood=eye, blink=blink)
    parts += mouth(cx, cy + r * 0.3, mood)
    return parts


def hand(x, y, colour=SUN, size=70):
    """A round mitten with a thumb."""
    return [
        ellipse(x - size * 0.45, y + size * 0.1, size * 0.42, size * 0.6, fill=colour, width=9),
        rect(x, y, size, size * 1.1, size * 0.45, fill=colour, width=9),
    ]


# --- The stickers ------------------------------------------------------------------------------
def hello():
    wave = swing(-18, 22, times=2)
    return [
        *face(236, 276, 140),
        group(hand(400, 200), p=(400, 250), a=(400, 250), r=wave),
    ]


def love():
    beat = Keys(
        [
            (0, (100, 100)),
            (8, (118, 118)),
            (16, (96, 96)),
            (24, (112, 112)),
            (36, (100, 100)),
            (60, (100, 100)),
        ]
    )
    return [
        group([heart(256, 270, 300, fill=CORAL, width=12)], p=(256, 270), a=(256, 270), s=beat),
        group([ellipse(190, 200, 34, 24, fill=WHITE, stroke=None)], o=swing(90, 50)),
    ]


def thanks():
    bow = hold_then(0, [(14, 0), (24, 12), (40, 12), (50, 0)])
    rise = Keys([(0, (0, 0)), (60, (0, -70))])
    fade = Keys([(0, 0), (12, 100), (48, 100), (60, 0)])
    return [
        group(face(256, 290, 140, eye="happy"), p=(256, 430), a=(256, 430), r=bow),
        group([heart(256, 268, 60, fill=CORAL, width=8)], p=(256, 410), a=(256, 410), r=bow),
        group([heart(120, 130, 44, fill=PINK, width=7)], p=rise, o=fade),
        group([heart(396, 110, 36, fill=CORAL, width=7)], p=rise, o=fade),
    ]


def laugh():
    shake = swing(-8, 8, times=4)
    hop = swing((256, 256), (256, 236), times=4)
    tears = [
        ellipse(118, 240, 22, 30, fill=SKY, width=7),
        ellipse(394, 240, 22, 30, fill=SKY, width=7),
    ]
    return [
        group(
            [*face(256, 262, 150, eye="happy", mood="grin"), *tears], p=hop, a=(256, 256), r=shake
        )
    ]


def sleepy():
    def z(x, y, size, delay):
        letter = path(
            [(x, y), (x + size, y), (x, y + size), (x + size, y + size)], stroke=TEAL, width=9
        )
        drift = Keys(
            [(0, (0, 20)), (delay, (0, 20)), (min(delay + 36, 60), (20, -40)), (60, (20, -40))]
        )
        fade = Keys([(0, 0), (delay, 0), (delay + 8, 100), (min(delay + 36, 60), 0), (60, 0)])
        return group([letter], p=drift, o=fade)

    breathe = swing((100, 100), (104, 97), times=1)
    moon = path(
        [
            (290, 100, -40, 50, -110, 0),
            (100, 270, 0, -100, 0, 100),
            (290, 440, -110, 0, -40, -50),
            (220, 270, 0, 80, 0, -80),
        ],
        closed=True,
        fill=SUN,
        width=12,
    )
    return [
        group(
            [
                moon,
                *eyes(160, 260, gap=0, mood="closed")[:1],
                ellipse(150, 320, 34, 22, fill=PINK, stroke=None),
            ],
            p=(220, 270),
            a=(220, 270),
            s=breathe,
        ),
        z(330, 200, 40, 0),
        z(380, 130, 30, 18),
        z(410, 70, 22, 30),
    ]


def birthday():
    flicker = swing((100, 100), (86, 112), times=4)
    return [
        rect(256, 360, 300, 130, 30, fill=CREAM, width=12),
        path(
            [(106, 330, 0, 0, 30, 40), (256, 330, -40, 40, 40, 40), (406, 330, -30, 40, 0, 0)],
            width=10,
            stroke=CORAL,
        ),
        rect(256, 270, 220, 70, 24, fill=PINK, width=12),
        rect(256, 200, 26, 70, 10, fill=SKY, width=9),
        group(
            [ellipse(256, 135, 36, 54, fill=ORANGE, width=8)], p=(256, 160), a=(256, 160), s=flicker
        ),
        ellipse(180, 268, 14, fill=WHITE, stroke=None),
        ellipse(330, 268, 14, fill=WHITE, stroke=None),
        ellipse(256, 280, 14, fill=WHITE, stroke=None),
    ]


def tea():
    def steam(x, delay):
        curl = path(
            [(x, 180, 0, 0, -24, -24), (x, 120, 24, 24, -24, -24), (x, 60, 24, 24, 0, 0)],
            stroke=GREY,
            width=10,
        )
        rise = Keys([(0, (0, 30)), (delay, (0, 30)), (delay + 30, (0, -10)), (60, (0, -10))])
        fade = Keys([(0, 0), (delay, 0), (delay + 10, 100), (delay + 30, 0), (60, 0)])
        return group([curl], p=rise, o=fade)

    return [
        steam(216, 0),
        steam(290, 20),
        path([(380, 270, 0, 0, 60, 0), (380, 360, 60, 0, 0, 0)], stroke=INK, width=28),
        path([(380, 270, 0, 0, 60, 0), (380, 360, 60, 0, 0, 0)], stroke=TEAL, width=14),
        path(
            [(120, 220), (392, 220), (352, 400, 0, -20, -20, 30), (160, 400, 20, 30, 0, -20)],
            closed=True,
            fill=TEAL,
            width=12,
        ),
        ellipse(256, 430, 320, 36, fill=GREY, width=10),
        heart(256, 300, 60, fill=WHITE, stroke=None),
    ]


def cat():
    ear_l = group(
        [path([(140, 200), (150, 70), (240, 140)], closed=True, fill=ORANGE, width=12)],
        p=(190, 170),
        a=(190, 170),
        r=hold_then(0, [(20, 0), (26, -14), (32, 0)]),
    )
    ear_r = group(
        [path([(272, 140), (362, 70), (372, 200)], closed=True, fill=ORANGE, width=12)],
        p=(320, 170),
        a=(320, 170),
        r=hold_then(0, [(24, 0), (30, 14), (36, 0)]),
    )
    whiskers = [
        arc(60, 280, 150, 296, 0, width=7),
        arc(60, 320, 150, 314, 0, width=7),
        arc(362, 296, 452, 280, 0, width=7),
        arc(362, 314, 452, 320, 0, width=7),
    ]
    return [
        ear_l,
        ear_r,
        ellipse(256, 280, 310, 270, fill=ORANGE, width=12),
        ellipse(256, 330, 130, 90, fill=CREAM, stroke=None),
        *eyes(256, 250, gap=62),
        path([(240, 300), (272, 300), (256, 318)], closed=True, fill=CORAL, width=7),
        arc(226, 332, 256, 332, 14, width=8),
        arc(256, 332, 286, 332, 14, width=8),
        *whiskers,
    ]


def dog():
    flop_l = swing(0, 14, times=2)
    flop_r = swing(0, -14, times=2)
    return [
        group(
            [ellipse(120, 250, 90, 170, fill=BROWN, width=12)], p=(140, 180), a=(140, 180), r=flop_l
        ),
        group(
            [ellipse(392, 250, 90, 170, fill=BROWN, width=12)], p=(372, 180), a=(372, 180), r=flop_r
        ),
        ellipse(256, 270, 270, 260, fill=CREAM, width=12),
        *eyes(256, 240, gap=56),
        ellipse(256, 300, 60, 42, fill=INK, stroke=None),
        arc(256, 320, 256, 344, 0, width=8),
        group(
            [ellipse(256, 370, 44, 50, fill=CORAL, width=8)],
            p=(256, 350),
            a=(256, 350),
            s=swing((100, 100), (100, 120), times=2),
        ),
        arc(216, 344, 296, 344, 20, width=8),
    ]


def hug():
    squeeze = swing((100, 100), (106, 94), times=1)
    left = swing(0, 16, times=1)
    right = swing(0, -16, times=1)
    return [
        group(
            [
                *face(256, 250, 140, eye="happy"),
                group(hand(120, 360, size=80), p=(140, 330), a=(140, 330), r=left),
                group(hand(392, 360, size=80), p=(372, 330), a=(372, 330), r=right),
                heart(256, 360, 70, fill=CORAL, width=8),
            ],
            p=(256, 300),
            a=(256, 300),
            s=squeeze,
        )
    ]


def sun():
    rays = []
    for i in range(8):
        angle = i * math.pi / 4
        x1, y1 = 256 + 165 * math.cos(angle), 256 + 165 * math.sin(angle)
        x2, y2 = 256 + 215 * math.cos(angle), 256 + 215 * math.sin(angle)
        rays.append(arc(round(x1), round(y1), round(x2), round(y2), 0, stroke=ORANGE, width=18))
    spin = Keys([(0, 0), (60, 45)])
    return [
        group(rays, p=(256, 256), a=(256, 256), r=spin),
        *face(256, 256, 130, colour=SUN),
    ]


def kiss():
    rise = Keys([(0, (0, 0)), (10, (0, 0)), (50, (60, -110)), (60, (60, -110))])
    fade = Keys([(0, 0), (10, 0), (18, 100), (44, 100), (56, 0), (60, 0)])
    return [
        *face(236, 276, 140, eye="closed", mood="kiss"),
        group([heart(330, 300, 60, fill=CORAL, width=8)], p=rise, o=fade),
    ]


def thumbs_up():
    pump = Keys(
        [
            (0, (256, 270)),
            (10, (256, 240)),
            (20, (256, 270)),
            (30, (256, 240)),
            (40, (256, 270)),
            (60, (256, 270)),
        ]
    )
    return [
        group(
            [
                rect(256, 330, 190, 170, 50, fill=SUN, width=12),
                rect(236, 190, 70, 150, 35, fill=SUN, width=12),
                arc(200, 300, 330, 300, 0, width=8),
                arc(200, 350, 330, 350, 0, width=8),
                rect(120, 330, 60, 180, 20, fill=TEAL, width=12),
            ],
            p=pump,
            a=(256, 270),
        ),
        group([star(400, 130, 36, 16, fill=SUN, width=7)], p=(0, 0), o=swing(0, 100, times=2)),
    ]


def party():
    cone = path([(150, 420), (230, 200), (330, 300)], closed=True, fill=LAVENDER, width=12)
    bits = []
    colours = [CORAL, SUN, MINT, SKY, PINK, ORANGE]
    for i, colour in enumerate(colours):
        angle = -math.pi / 2 + (i - 2.5) * 0.32
        dx, dy = 190 * math.cos(angle + 0.6), 190 * math.sin(angle + 0.6)
        fly = Keys(
            [(0, (0, 0)), (24, (round(dx), round(dy))), (60, (round(dx * 1.1), round(dy + 80)))]
        )
        fade = Keys([(0, 0), (4, 100), (44, 100), (60, 0)])
        piece = (
            rect(280, 250, 22, 34, 6, fill=colour, stroke=None)
            if i % 2
            else ellipse(280, 250, 24, fill=colour, stroke=None)
        )
        bits.append(group([piece], p=fly, o=fade, r=Keys([(0, 0), (60, 180)]), a=(280, 250)))
    return [
        *bits,
        group(
            [
                cone,
                arc(176, 350, 262, 380, 0, stroke=SUN, width=12),
                arc(205, 270, 290, 320, 0, stroke=SUN, width=12),
            ],
            p=(150, 420),
            a=(150, 420),
            r=swing(0, -8, times=2),
        ),
    ]


def sad():
    drop = Keys([(0, (0, 0)), (10, (0, 0)), (50, (0, 120)), (60, (0, 120))])
    fade = Keys([(0, 0), (10, 100), (44, 100), (56, 0), (60, 0)])
    return [
        *face(256, 262, 150, colour=SKY, mood="sad", cheeks=False),
        arc(170, 190, 222, 176, 0, width=8),
        arc(290, 176, 342, 190, 0, width=8),
        group(
            [
                path(
                    [(200, 250), (218, 280, 0, -8, 0, 12), (182, 280, 0, 12, 0, -8)],
                    closed=True,
                    fill=WHITE,
                    width=7,
                )
            ],
            p=drop,
            o=fade,
        ),
    ]


def wow():
    pop = Keys(
        [
            (0, (100, 100)),
            (8, (114, 114)),
            (16, (96, 96)),
            (24, (104, 104)),
            (30, (100, 100)),
            (60, (100, 100)),
        ]
    )
    return [
        group(face(256, 262, 150, mood="o", cheeks=False), p=(256, 262), a=(256, 262), s=pop),
        group(
            [
                arc(90, 110, 130, 150, 0, stroke=ORANGE, width=12),
                arc(256, 60, 256, 100, 0, stroke=ORANGE, width=12),
                arc(422, 110, 382, 150, 0, stroke=ORANGE, width=12),
            ],
            o=swing(100, 0, times=2),
        ),
    ]


def pizza():
    wobble = swing(-6, 6, times=2)
    return [
        group(
            [
                path(
                    [(120, 130, 0, 0, 90, -40), (392, 130, -90, -40, 0, 0), (256, 440)],
                    closed=True,
                    fill=SUN,
                    width=12,
                ),
                path(
                    [(112, 130, 0, 0, 90, -50), (400, 130, -90, -50, 0, 0)], stroke=BROWN, width=34
                ),
                ellipse(220, 200, 50, fill=CORAL, width=8),
                ellipse(300, 230, 44, fill=CORAL, width=8),
                ellipse(250, 300, 40, fill=CORAL, width=8),
                ellipse(300, 170, 18, fill=LEAF, stroke=None),
                ellipse(190, 260, 18, fill=LEAF, stroke=None),
            ],
            p=(256, 440),
            a=(256, 440),
            r=wobble,
        ),
    ]


def ice_cream():
    sway = swing(-7, 7, times=1)
    return [
        group(
            [
                path([(170, 270), (342, 270), (256, 470)], closed=True, fill=ORANGE, width=12),
                arc(196, 320, 300, 400, 0, width=7),
                arc(316, 320, 230, 420, 0, width=7),
                ellipse(256, 200, 200, 170, fill=PINK, width=12),
                ellipse(256, 130, 100, fill=CREAM, width=12),
                ellipse(256, 72, 40, fill=CORAL, width=9),
                ellipse(200, 210, 14, 26, fill=SKY, stroke=None),
                ellipse(300, 190, 14, 26, fill=LEAF, stroke=None),
            ],
            p=(256, 470),
            a=(256, 470),
            r=sway,
        )
    ]


def flower():
    petals = []
    for i in range(6):
        angle = i * math.pi / 3
        petals.append(
            ellipse(
                round(256 + 80 * math.cos(angle)),
                round(190 + 80 * math.sin(angle)),
                100,
                fill=PINK,
                width=10,
            )
        )
    sway = swing(-6, 6, times=1)
    turn = Keys([(0, 0), (60, 60)])
    return [
        arc(256, 260, 256, 470, 30, stroke=LEAF, width=18),
        group(
            [ellipse(320, 400, 90, 44, fill=LEAF, width=9)],
            p=(256, 400),
            a=(256, 400),
            r=swing(0, -12),
        ),
        group(
            [
                group(petals, p=(256, 190), a=(256, 190), r=turn),
                ellipse(256, 190, 110, fill=SUN, width=10),
                *eyes(256, 184, gap=22, blink=False, mood="happy"),
            ],
            p=(256, 470),
            a=(256, 470),
            r=sway,
        ),
    ]


def well_done():
    spin = Keys([(0, (100, 100)), (12, (118, 118)), (24, (100, 100)), (60, (100, 100))])
    return [
        group(
            [
                star(256, 262, 200, 95, fill=SUN, width=12, stroke=INK),
                *eyes(256, 240, gap=40, blink=True),
                *mouth(256, 290, "smile"),
            ],
            p=(256, 262),
            a=(256, 262),
            s=spin,
            r=Keys([(0, 0), (12, -10), (24, 0), (60, 0)]),
        ),
        group([star(420, 100, 30, 12, fill=SUN, width=6)], o=swing(0, 100, times=2)),
        group([star(90, 420, 24, 10, fill=MINT, width=6)], o=swing(100, 0, times=2)),
    ]


def rain():
    drops = []
    for i, x in enumerate((170, 250, 330)):
        fall = Keys([(0, (0, 0)), (i * 10, (0, 0)), (i * 10 + 30, (0, 130)), (60, (0, 130))])
        fade = Keys([(0, 0), (i * 10, 100), (i * 10 + 26, 100), (i * 10 + 30, 0), (60, 0)])
        drops.append(
            group(
                [
                    path(
                        [(x, 330), (x + 16, 362, 0, -10, 0, 14), (x - 16, 362, 0, 14, 0, -10)],
                        closed=True,
                        fill=SKY,
                        width=7,
                    )
                ],
                p=fall,
                o=fade,
            )
        )
    drift = swing((0, 0), (14, 0), times=1)
    return [
        *drops,
        group(
            [
                ellipse(180, 250, 160, 130, fill=GREY, width=12),
                ellipse(290, 210, 200, 180, fill=GREY, width=12),
                rect(256, 280, 300, 90, 45, fill=GREY, width=12),
                rect(256, 270, 270, 80, 30, fill=GREY, stroke=None),
                *eyes(256, 262, gap=40, mood="closed"),
            ],
            p=drift,
        ),
    ]


def gift():
    lid = Keys(
        [(0, (0, 0)), (10, (0, -40)), (18, (0, 0)), (26, (0, -24)), (32, (0, 0)), (60, (0, 0))]
    )
    return [
        rect(256, 340, 260, 200, 24, fill=CORAL, width=12),
        rect(256, 340, 50, 200, 0, fill=SUN, width=10),
        group(
            [
                rect(256, 220, 300, 70, 24, fill=CORAL, width=12),
                rect(256, 220, 50, 70, 0, fill=SUN, width=10),
                ellipse(206, 160, 90, 60, fill=SUN, width=10),
                ellipse(306, 160, 90, 60, fill=SUN, width=10),
                ellipse(256, 176, 40, fill=SUN, width=10),
            ],
            p=lid,
        ),
    ]


def think():
    def dot(x, delay):
        return group(
            [ellipse(x, 100, 30, fill=TEAL, stroke=None)],
            o=Keys([(0, 0), (delay, 0), (delay + 6, 100), (50, 100), (56, 0), (60, 0)]),
        )

    tilt = swing(0, -6, times=1)
    return [
        group(
            face(236, 290, 140, eye="up", mood="flat", cheeks=False),
            p=(236, 430),
            a=(236, 430),
            r=tilt,
        ),
        group(hand(330, 390, size=64), p=(330, 390), a=(330, 390), r=swing(0, 8, times=2)),
        dot(330, 6),
        dot(380, 18),
        dot(430, 30),
    ]


def home():
    smoke = Keys([(0, (0, 0)), (60, (10, -60))])
    fade = Keys([(0, 100), (60, 0)])
    return [
        group(
            [
                ellipse(350, 90, 40, fill=GREY, stroke=None),
                ellipse(370, 60, 28, fill=GREY, stroke=None),
            ],
            p=smoke,
            o=fade,
        ),
        rect(350, 140, 44, 90, 8, fill=BROWN, width=10),
        path([(80, 250), (256, 100), (432, 250)], closed=True, fill=CORAL, width=12),
        rect(256, 340, 280, 190, 20, fill=CREAM, width=12),
        rect(330, 370, 70, 130, 18, fill=TEAL, width=10),
        group(
            [heart(190, 340, 56, fill=CORAL, width=8)],
            p=(190, 340),
            a=(190, 340),
            s=swing((100, 100), (120, 120), times=2),
        ),
    ]


def bird():
    flap = swing(0, -30, times=4)
    hop = Keys([(0, (0, 0)), (15, (0, -30)), (30, (0, 0)), (45, (0, -30)), (60, (0, 0))])
    return [
        group(
            [
                ellipse(256, 290, 280, 250, fill=SKY, width=12),
                ellipse(256, 330, 160, 120, fill=CREAM, stroke=None),
                group(
                    [ellipse(170, 300, 110, 70, fill=TEAL, width=10)],
                    p=(210, 290),
                    a=(210, 290),
                    r=flap,
                ),
                *eyes(256, 250, gap=50),
                path([(236, 290), (276, 290), (256, 320)], closed=True, fill=ORANGE, width=8),
                arc(230, 420, 220, 460, 0, stroke=ORANGE, width=10),
                arc(282, 420, 292, 460, 0, stroke=ORANGE, width=10),
            ],
            p=hop,
        )
    ]


def good_morning():
    rise = Keys([(0, (0, 90)), (30, (0, 0)), (60, (0, 0))])
    return [
        group(
            [
                *[
                    arc(
                        round(256 + 150 * math.cos(a)),
                        round(330 + 150 * math.sin(a)),
                        round(256 + 200 * math.cos(a)),
                        round(330 + 200 * math.sin(a)),
                        0,
                        stroke=ORANGE,
                        width=16,
                    )
                    for a in (math.pi * k / 6 for k in range(7, 12))
                ],
                *face(256, 330, 120, eye="happy"),
            ],
            p=rise,
        ),
        rect(256, 440, 420, 90, 45, fill=LEAF, width=12),
    ]


def bye():
    walk = swing(-6, 6, times=2)
    wave = swing(10, -30, times=3)
    return [
        group(face(220, 276, 130, eye="happy"), p=(220, 400), a=(220, 400), r=walk),
        group(hand(380, 190, size=66), p=(380, 250), a=(380, 250), r=wave),
        arc(410, 110, 450, 80, 0, stroke=TEAL, width=9),
        arc(430, 150, 476, 140, 0, stroke=TEAL, width=9),
    ]


STICKERS = [
    ("hello", hello, "привет здравствуй здравствуйте hello hi"),
    ("love", love, "любовь люблю сердце love heart"),
    ("thanks", thanks, "спасибо благодарю thanks thank you"),
    ("laugh", laugh, "смех смешно хаха laugh lol funny"),
    ("hug", hug, "обнимаю объятия обнять hug hugs"),
    ("kiss", kiss, "поцелуй целую чмок kiss"),
    ("good-morning", good_morning, "доброе утро рассвет утро good morning sunrise"),
    ("sleepy", sleepy, "спать сон спокойной ночи луна sleepy sleep good night moon"),
    ("birthday", birthday, "день рождения торт праздник поздравляю birthday cake"),
    ("gift", gift, "подарок сюрприз gift present"),
    ("party", party, "праздник ура хлопушка party hooray celebrate"),
    ("well-done", well_done, "молодец звезда отлично well done star great"),
    ("thumbs-up", thumbs_up, "класс хорошо ок лайк thumbs up ok like good"),
    ("tea", tea, "чай кофе чашка tea coffee cup"),
    ("pizza", pizza, "еда пицца обед кушать food pizza lunch"),
    ("ice-cream", ice_cream, "мороженое сладкое десерт ice cream sweet dessert"),
    ("cat", cat, "кот кошка котик cat kitty pet"),
    ("dog", dog, "собака пёс песик dog puppy pet"),
    ("bird", bird, "птичка птица bird"),
    ("flower", flower, "цветок цветы весна flower flowers spring"),
    ("sun", sun, "солнце тепло лето sun summer warm"),
    ("rain", rain, "дождь облако погода rain cloud weather"),
    ("sad", sad, "грустно печаль плачу sad cry"),
    ("wow", wow, "ого вау удивление wow surprise"),
    ("think", think, "думаю хм размышляю think hmm"),
    ("home", home, "дом домой семья home house family"),
    ("bye", bye, "пока до свидания bye goodbye"),
]


def animation(slug: str, parts) -> dict:
    layer = {
        "ddd": 0,
        "ind": 1,
        "ty": 4,
        "nm": slug,
        "sr": 1,
        "ks": {
            "o": prop(100),
            "r": prop(0),
            "p": prop((0, 0, 0)),
            "a": prop((0, 0, 0)),
            "s": prop((100, 100, 100)),
        },
        "ao": 0,
        "shapes": list(reversed(parts)),
        "ip": 0,
        "op": LENGTH,
        "st": 0,
        "bm": 0,
    }
    return {
        "v": "5.7.4",
        "fr": FPS,
        "ip": 0,
        "op": LENGTH,
        "w": SIZE,
        "h": SIZE,
        "nm": slug,
        "ddd": 0,
        "assets": [],
        "layers": [layer],
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = []
    for slug, draw, keywords in STICKERS:
        data = animation(slug, draw())
        (OUT / f"{slug}.json").write_text(json.dumps(data, separators=(",", ":")) + "\n")
        manifest.append(
            {"slug": slug, "file": f"stickers/toricy/{slug}.json", "keywords": keywords}
        )
    pack = {"slug": "toricy", "title": "Toricy", "stickers": manifest}
    (OUT / "pack.json").write_text(json.dumps(pack, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
