"""Draw Desk's app icon and write it in every format the bundles need.

    python packaging/make_icons.py

writes resources/icon-256.png, resources/icon-512.png, resources/desk.ico
(Windows, 16 to 256 px), resources/desk.icns (macOS) and the copy the running
app loads, desk/resources/icon.png. The files are committed; run this only
when the drawing changes. Needs Pillow (the ``packaging`` extra).

The mark: a white calendar page with a check on a rounded square in the app's
blue (#3b82f6), drawn at 1024 px and scaled down so the edges stay smooth.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
PACKAGE_ICON = ROOT / "desk" / "resources" / "icon.png"

SIZE = 1024
BLUE_TOP = (96, 165, 250)  # #60a5fa
BLUE = (59, 130, 246)  # #3b82f6
BLUE_DARK = (37, 99, 235)  # #2563eb
WHITE = (255, 255, 255)
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def _gradient(size: int) -> Image.Image:
    """A top-to-bottom blend from a lighter blue to the app's blue."""
    column = Image.new("RGB", (1, size))
    for y in range(size):
        t = y / (size - 1)
        column.putpixel(
            (0, y), tuple(round(a + (b - a) * t) for a, b in zip(BLUE_TOP, BLUE, strict=True))
        )
    return column.resize((size, size))


def draw(size: int = SIZE) -> Image.Image:
    """The icon at ``size`` px (a multiple of 1024 keeps the proportions exact)."""
    s = size / 1024

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        return (round(x0 * s), round(y0 * s), round(x1 * s), round(y1 * s))

    def point(x: float, y: float) -> tuple[int, int]:
        return (round(x * s), round(y * s))

    icon = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    # The tile: macOS-style margins so the mark sits well beside other icons.
    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).rounded_rectangle(box(64, 64, 960, 960), radius=round(200 * s), fill=255)
    icon.paste(_gradient(size), (0, 0), mask)

    pen = ImageDraw.Draw(icon)
    # The calendar page.
    pen.rounded_rectangle(box(232, 262, 792, 802), radius=round(72 * s), fill=WHITE)
    # Its header band, in the darker blue, with square lower corners.
    pen.rounded_rectangle(box(232, 262, 792, 422), radius=round(72 * s), fill=BLUE_DARK)
    pen.rectangle(box(232, 362, 792, 422), fill=BLUE_DARK)
    # The two binder rings above the band.
    for x in (362, 662):
        pen.rounded_rectangle(
            box(x - 30, 196, x + 30, 330), radius=round(30 * s), fill=WHITE, outline=BLUE_DARK,
            width=round(18 * s),
        )  # fmt: skip
    # The check mark on the page.
    pen.line(
        [point(372, 608), point(480, 712), point(662, 510)],
        fill=BLUE,
        width=round(64 * s),
        joint="curve",
    )
    for x, y in ((372, 608), (662, 510)):  # round the stroke's ends
        pen.ellipse(box(x - 32, y - 32, x + 32, y + 32), fill=BLUE)
    return icon


def main() -> None:
    RESOURCES.mkdir(exist_ok=True)
    PACKAGE_ICON.parent.mkdir(exist_ok=True)
    master = draw(SIZE)
    for px in (256, 512):
        master.resize((px, px), Image.Resampling.LANCZOS).save(RESOURCES / f"icon-{px}.png")
    master.resize((256, 256), Image.Resampling.LANCZOS).save(PACKAGE_ICON)
    master.save(RESOURCES / "desk.ico", sizes=ICO_SIZES)
    master.save(RESOURCES / "desk.icns")
    for path in sorted([*RESOURCES.iterdir(), PACKAGE_ICON]):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
