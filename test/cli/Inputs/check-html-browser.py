"""Opens a snag HTML report in headless Chromium and checks what a person sees.

  check-html-browser.py CHROMIUM REPORT.html [--hash FRAGMENT]
                        [--screenshot OUT.png] [--graph-color RRGGBB]

Prints, for FileCheck:
  console: N messages           (every console message is listed before it:
                                 script errors, refused loads, anything logged)
  findings: N, shown: N         (article.finding elements, and those not hidden)
  cycles: N, shown: N           (figure.cycle elements, and those not hidden)
  counter: TEXT                 (what the page says it shows)
  screenshot: WxH, graph pixels: N
                                (pixels of the lock boxes' fill colour in the
                                 first screen of the page)
"""
import argparse
import html.parser
import os
import struct
import subprocess
import sys
import tempfile
import zlib


def chromium(binary, profile, args, url):
    cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu",
           "--no-first-run", "--no-default-browser-check",
           "--disable-extensions", "--disable-dev-shm-usage",
           "--hide-scrollbars", "--user-data-dir=" + profile,
           "--enable-logging=stderr", "--v=0"] + args + [url]
    try:
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=120, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        sys.exit("chromium did not finish in 120 s: " + " ".join(cmd))
    return done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


def console_lines(stderr):
    return [l for l in stderr.splitlines() if ":CONSOLE" in l]


class Dom(html.parser.HTMLParser):
    """Counts findings and cycles, and which of them are hidden."""

    def __init__(self):
        super().__init__()
        self.counts = {"finding": [0, 0], "cycle": [0, 0]}
        self.counter = None
        self._in_counter = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        for kind in self.counts:
            if kind in classes:
                self.counts[kind][0] += 1
                if "hidden" not in a:
                    self.counts[kind][1] += 1
        if a.get("id") == "shown":
            self._in_counter = True
            self.counter = ""

    def handle_endtag(self, tag):
        self._in_counter = False

    def handle_data(self, data):
        if self._in_counter:
            self.counter += data


def png_pixels(path):
    """(width, height, rows of bytes, bytes per pixel) of an 8-bit PNG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(path + " is not a PNG")
    pos, idat = 8, b""
    width = height = bpp = None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            if depth != 8 or interlace or color not in (2, 6):
                sys.exit("unexpected PNG format: depth %d colour %d" % (depth, color))
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def count_colour(rows, bpp, rgb):
    want = bytes(rgb)
    n = 0
    for row in rows:
        for x in range(0, len(row), bpp):
            if row[x:x + 3] == want:
                n += 1
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("chromium")
    ap.add_argument("report")
    ap.add_argument("--hash", default="")
    ap.add_argument("--screenshot")
    ap.add_argument("--graph-color", default="ffd8a8")
    ap.add_argument("--window", default="1280,1600")
    opts = ap.parse_args()

    url = "file://" + os.path.abspath(opts.report) + opts.hash
    with tempfile.TemporaryDirectory() as profile:
        dom, err = chromium(opts.chromium, profile, ["--dump-dom"], url)
        console = console_lines(err)
        if opts.screenshot:
            _, shot_err = chromium(opts.chromium, profile,
                                   ["--screenshot=" + os.path.abspath(opts.screenshot),
                                    "--window-size=" + opts.window], url)
            console += console_lines(shot_err)
    for line in console:
        print("console message:", line)
    print("console: %d messages" % len(console))

    if "</html>" not in dom:
        sys.exit("chromium printed no page:\n" + err[-2000:])
    parsed = Dom()
    parsed.feed(dom)
    for kind in ("finding", "cycle"):
        total, shown = parsed.counts[kind]
        print("%ss: %d, shown: %d" % (kind, total, shown))
    print("counter: %s" % (parsed.counter or "").strip())

    if opts.screenshot:
        if not os.path.exists(opts.screenshot):
            sys.exit("chromium wrote no screenshot:\n" + err[-2000:])
        width, height, rows, bpp = png_pixels(opts.screenshot)
        rgb = bytes.fromhex(opts.graph_color)
        print("screenshot: %dx%d, graph pixels: %d" % (width, height,
                                                       count_colour(rows, bpp, rgb)))


if __name__ == "__main__":
    main()
