"""Draw the app's PNG icons (the same design as static/icons/icon.svg) with Pillow."""
from pathlib import Path

from PIL import Image, ImageDraw

BLUE = (11, 79, 138)
GOLD = (242, 169, 0)
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def draw(size: int, maskable: bool = False) -> Image.Image:
    image = Image.new("RGB", (size, size), BLUE)
    pen = ImageDraw.Draw(image)
    if not maskable:
        image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        pen = ImageDraw.Draw(image)
        pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size * 14 // 64, fill=BLUE)
    scale = size / 64 * (0.8 if maskable else 1.0)
    offset = size * 0.1 if maskable else 0

    def box(x, y, w, h):
        return (offset + x * scale, offset + y * scale, offset + (x + w) * scale,
                offset + (y + h) * scale)

    line = max(2, round(4 * scale))
    for x, y in ((12, 12), (36, 12), (12, 36)):
        pen.rounded_rectangle(box(x, y, 16, 16), radius=2 * scale, outline=WHITE, width=line)
        pen.rectangle(box(x + 6, y + 6, 4, 4), fill=WHITE)
    tick = [(36, 44), (42, 50), (54, 36)]
    pen.line([(offset + x * scale, offset + y * scale) for x, y in tick], fill=GOLD,
             width=max(3, round(5 * scale)), joint="curve")
    return image


if __name__ == "__main__":
    draw(192).save(OUT / "icon-192.png", optimize=True)
    draw(512).save(OUT / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    draw(180).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    print("icons written to", OUT)
