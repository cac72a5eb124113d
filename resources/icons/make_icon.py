"""Draw the program's icon: two dice (two random draws: targets and inspectors) on red.

``uv run python -m resources.icons.make_icon`` writes ``shuangsuiji.png`` (256 px, the
window icon) and ``shuangsuiji.ico`` (16–256 px, the Windows executable, installer and
shortcuts). Drawn large and scaled down with Pillow (a matplotlib dependency), so the
edges are smooth at every size; the same Pillow version gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
SCALE = 4  # drawn at 1024 px, saved at 256
SIZE = 256
RED = (198, 40, 40, 255)
DARK_RED = (142, 22, 22, 255)
WHITE = (255, 255, 255, 255)
SHADOW = (90, 10, 10, 110)
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def _die(draw: ImageDraw.ImageDraw, left: float, top: float, side: float, pips: int) -> None:
    s = SCALE
    box = (left * s, top * s, (left + side) * s, (top + side) * s)
    shadow = (box[0] + 5 * s, box[1] + 6 * s, box[2] + 5 * s, box[3] + 6 * s)
    draw.rounded_rectangle(shadow, radius=side * 0.2 * s, fill=SHADOW)
    draw.rounded_rectangle(box, radius=side * 0.2 * s, fill=WHITE)
    spots = {
        1: [(0.5, 0.5)],
        2: [(0.27, 0.27), (0.73, 0.73)],
        3: [(0.25, 0.25), (0.5, 0.5), (0.75, 0.75)],
        4: [(0.27, 0.27), (0.73, 0.27), (0.27, 0.73), (0.73, 0.73)],
        5: [(0.25, 0.25), (0.75, 0.25), (0.5, 0.5), (0.25, 0.75), (0.75, 0.75)],
    }[pips]
    r = side * 0.1
    for fx, fy in spots:
        cx, cy = left + fx * side, top + fy * side
        draw.ellipse(((cx - r) * s, (cy - r) * s, (cx + r) * s, (cy + r) * s), fill=RED)


def draw_icon() -> Image.Image:
    big = SIZE * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((8 * SCALE, 8 * SCALE, 248 * SCALE, 248 * SCALE), 52 * SCALE, DARK_RED)
    draw.rounded_rectangle((8 * SCALE, 8 * SCALE, 248 * SCALE, 240 * SCALE), 52 * SCALE, RED)
    _die(draw, 28, 28, 106, 5)
    _die(draw, 122, 122, 106, 2)
    return image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def make_icon(folder: Path = HERE) -> list[Path]:
    image = draw_icon()
    png, ico = folder / "shuangsuiji.png", folder / "shuangsuiji.ico"
    image.save(png, optimize=True)
    image.save(ico, sizes=ICO_SIZES)
    return [png, ico]


if __name__ == "__main__":
    for path in make_icon():
        print(path)
