#!/usr/bin/env python3
"""Face recall of surg-anonymize measured on its OUTPUT PIXELS (issue 3).

Every labelled image (face_truth.py) goes through the tool as a 2.5-second still segment with
--method fill --fill-color #00ff00 (a key colour: a pixel counts as filled when the output,
converted to RGB by ffmpeg, is pure green, G > 200 and R, B < 60, and the input pixel was not). A labelled face
is protected when >= 90% of its box pixels are filled. Printed: recall by face size
(sqrt(w*h): <16, 16-32, 32-64, >64 px), overall, >= 32 px, and over-redaction (fraction of
pixels outside every labelled box that were filled; pessimistic, as not every background face
is labelled), the same beyond the margin (outside every labelled box grown by MARGIN a side,
what the tool's default --pad adds around a face it finds exactly: what is left is false or
unlabelled faces, not padding), and on in-body endoscope stills the share of the frame filled,
where any face box is a false one. Lines start with '# ' (tests/run.sh shows them); the
figures go to SUMMARY as shell assignments for faces.sh.
usage: face_eval.py DATA WORK SUMMARY [extra surg-anonymize args...]
DATA: the research data, or "" / "none" for the free subset in tests/data (face_truth.py)."""
import math
import os
import sys
from collections import defaultdict

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import face_truth  # noqa: E402
import stills  # noqa: E402

KEY = "#00ff00"
BUCKETS = ("<16", "16-32", "32-64", ">64")
HIGH = bytes(1 if v > 200 else 0 for v in range(256))
LOW = bytes(1 if v < 60 else 0 for v in range(256))
# 15 fps: a full tile cycle (<= 12 frames for these images: the detector's work is a fixed
# amount a second) and the tool's hold of a box (--hold 0.5 s + one cycle) both end within
# 1.5 s of a segment's start, so the frame at 1.5 s shows this image's boxes and none of the
# previous image's; the next image's boxes, drawn back by the look-ahead (at most one cycle,
# 0.8 s, before its first frame), start after 1.7 s of the 2.5 s segment.
FPS, SEGMENT, LOOK_AT = 15, 2.5, 1.5
MARGIN = 0.25  # surg-anonymize's default --pad (anonymize/options.hpp)


def key_mask(rgb):
    """0/1 byte a pixel: 1 where the rgb24 pixel is the key green (G > 200, R < 60, B < 60).
    Channel planes are 0/1 bytes; their big-int AND is the bytewise AND."""
    r, g, b = (int.from_bytes(rgb[c::3].translate(t), "big") for c, t in ((0, LOW), (1, HIGH), (2, LOW)))
    return (r & g & b).to_bytes(len(rgb) // 3, "big")


def bucket(w, h):
    side = math.sqrt(w * h)
    return 0 if side < 16 else 1 if side < 32 else 2 if side < 64 else 3


def truth(data):
    images = defaultdict(lambda: {"set": None, "faces": []})
    for name, reader, root in face_truth.readers(data):
        for path, box in reader(root):
            entry = images[str(path.resolve())]
            entry["set"] = name
            if box:
                entry["faces"].append(box)
    return images


class Tally:
    def __init__(self):
        self.found, self.total = [0] * 4, [0] * 4
        self.filled_bg = self.bg = 0
        self.filled_far = self.far = 0  # beyond the margin of every labelled face

    def add(self, other):
        for i in range(4):
            self.found[i] += other.found[i]
            self.total[i] += other.total[i]
        self.filled_bg += other.filled_bg
        self.bg += other.bg
        self.filled_far += other.filled_far
        self.far += other.far

    def over(self):
        return self.filled_bg / max(self.bg, 1)

    def over_far(self):
        return self.filled_far / max(self.far, 1)

    def recall(self, buckets=range(4)):
        t = sum(self.total[i] for i in buckets)
        return sum(self.found[i] for i in buckets) / t if t else float("nan")

    def line(self, name):
        cells = "  ".join(f"{b} {self.recall([i]):.3f} ({self.total[i]})" for i, b in enumerate(BUCKETS))
        return (f"# {name:<10} faces {sum(self.total):4d}  {cells}  all {self.recall():.3f}  "
                f">=32 {self.recall([2, 3]):.3f}  over-redaction {self.over():.3f} "
                f"(beyond the margin {self.over_far():.3f})")


def box_rows(box, w, h, grow=0.0):
    """(y0, y1, x0, x1) of a labelled box grown by `grow` of its size a side, clipped."""
    x, y, bw, bh = box
    x0, y0 = max(0, int(round(x - grow * bw))), max(0, int(round(y - grow * bh)))
    x1, y1 = min(w, int(round(x + bw + grow * bw))), min(h, int(round(y + bh + grow * bh)))
    return y0, y1, x0, x1


def score_image(faces, w, h, out_mask, in_mask):
    """Tally of one image from its 0/1 masks (bytes, w*h)."""
    t = Tally()
    n = w * h
    ones = int.from_bytes(b"\x01" * n, "big")
    keylike = int.from_bytes(in_mask, "big")
    filled = int.from_bytes(out_mask, "big") & (ones ^ keylike)
    filled_bytes = filled.to_bytes(n, "big")
    face_area, head_area = bytearray(n), bytearray(n)
    for box in faces:
        y0, y1, x0, x1 = box_rows(box, w, h, MARGIN)
        for row in range(y0, y1):
            head_area[row * w + x0:row * w + x1] = b"\x01" * (x1 - x0)
        y0, y1, x0, x1 = box_rows(box, w, h)
        if x1 <= x0 or y1 <= y0:
            continue
        got = usable = 0
        for row in range(y0, y1):
            a, b = row * w + x0, row * w + x1
            got += filled_bytes[a:b].count(1)
            usable += (b - a) - in_mask[a:b].count(1)
            face_area[a:b] = b"\x01" * (b - a)
        k = bucket(box[2], box[3])
        t.total[k] += 1
        t.found[k] += usable > 0 and got >= 0.9 * usable
    background = ones ^ int.from_bytes(face_area, "big")
    t.filled_bg = (filled & background).bit_count()
    t.bg = (background & (ones ^ keylike)).bit_count()
    far = ones ^ int.from_bytes(head_area, "big")
    t.filled_far = (filled & far).bit_count()
    t.far = (far & (ones ^ keylike)).bit_count()
    return t


def in_body_images(data):
    """In-body endoscope stills, where every face box is a false one (issue 12: EndoVis,
    CVC-ClinicDB, oob-dev-2): all of oob-dev-2's and EndoVis', every 4th CVC-ClinicDB frame
    (56 frames of 14 sequences; a sample bounds CI time). None without the research data."""
    if data in ("", "none"):
        return []
    import oob_data
    out, cvc = [], 0
    for folder in ("oob-dev-index", "oob-dev-2"):
        if not os.path.exists(os.path.join(data, folder, "labels.csv")):
            continue
        for path, kind, label, source, _ in oob_data.index(data, folder):
            if kind != "image" or label != "in_body":
                continue
            if folder == "oob-dev-index":
                if source.startswith("cvc"):
                    cvc += 1
                    if cvc % 4:
                        continue
                elif not source.startswith("endovis"):
                    continue
            out.append(os.path.realpath(path))
    return out


def in_body_shares(paths, work, tool_args):
    """Per in-body still, the share of its area filled, run as the tool runs on endoscope
    video: out-of-body detection on (tool_args lack --no-oob), which raises the face score in
    frames called in body."""
    work = os.path.join(work, "in-body")
    os.makedirs(work, exist_ok=True)
    runner = stills.Runner(work, FPS, SEGMENT, tool_args, "format=rgb24",
                           timeout=600, look_at=LOOK_AT)
    shares = []
    for group, (w, h, _), fin, fout in runner.run(stills.group_by_size(paths)):
        ins = stills.split_frames(fin, len(group), w * h * 3)
        outs = stills.split_frames(fout, len(group), w * h * 3)
        for i, o in zip(ins, outs):
            t = score_image([], w, h, key_mask(o), key_mask(i))
            shares.append(t.filled_bg / max(t.bg, 1))
    return shares


def main():
    data, work, summary = sys.argv[1:4]
    fill = ["--no-live", "--method", "fill", "--fill-color", f"'{KEY}'"] + sys.argv[4:]
    tool_args = " ".join(["--no-oob"] + fill)
    images = truth(data)
    runner = stills.Runner(work, FPS, SEGMENT, tool_args, "format=rgb24", timeout=600,
                           look_at=LOOK_AT)
    sets = defaultdict(Tally)
    for paths, (w, h, _), fin, fout in runner.run(stills.group_by_size(list(images))):
        ins = stills.split_frames(fin, len(paths), w * h * 3)
        outs = stills.split_frames(fout, len(paths), w * h * 3)
        for p, i, o in zip(paths, ins, outs):
            sets[images[p]["set"]].add(score_image(images[p]["faces"], w, h, key_mask(o), key_mask(i)))
    in_body = in_body_images(data)
    in_body_share = in_body_shares(in_body, work, " ".join(fill))
    total = Tally()
    for name in sorted(sets):
        print(sets[name].line(name))
        total.add(sets[name])
    print(total.line("all"))
    in_body_area = sum(in_body_share) / len(in_body_share) if in_body_share else 0
    if in_body_share:
        print(f"# in-body    images {len(in_body_share)}  mean share of the frame covered by face boxes "
              f"{in_body_area:.4f}, most {max(in_body_share):.4f}, images with any "
              f"{sum(1 for a in in_body_share if a > 0)}")
    with open(summary, "w") as f:
        f.write(f"recall_all={total.recall():.4f}\nrecall_32={total.recall([2, 3]):.4f}\n"
                f"over={total.over():.4f}\nfaces={sum(total.total)}\n"
                f"in_body_images={len(in_body_share)}\nin_body_area={in_body_area:.4f}\n"
                f"in_body_expected={len(in_body)}\n")


if __name__ == "__main__":
    main()
