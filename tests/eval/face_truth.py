#!/usr/bin/env python3
"""Face ground truth as one manifest, a line per labelled face:
   SET<TAB>IMAGE_PATH<TAB>x y w h   (pixels, float)
and a line "SET<TAB>IMAGE_PATH<TAB>-" for an image with no usable label (kept for over-redaction).
Sets: with the research data (DATA, README "Test data"): face-mask-kaggle-dev (boxes.csv, VOC
corners), dlib-faces (imglab XML, testing + training), mmpose-face-samples (COCO-style JSON:
'bbox' [x,y,w,h]; COCO-WholeBody uses 'face_box' when 'face_valid'); without it (DATA empty or
"none"): the CC0 subset tests/data/face-mask (same format as face-mask-kaggle-dev).
usage: face_truth.py DATA   (prints the manifest; tests/eval/faces.sh counts it)"""
import csv
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


FREE = Path(__file__).resolve().parent.parent / "data"


def face_mask(root):
    d = root / "face-mask-kaggle-dev" if root != FREE else root / "face-mask"
    with open(d / "boxes.csv", newline="") as f:
        for row in csv.DictReader(f):
            x0, y0, x1, y1 = (float(row[k]) for k in ("xmin", "ymin", "xmax", "ymax"))
            yield d / "images" / row["image"], (x0, y0, x1 - x0, y1 - y0)


def dlib(root):
    d = root / "dlib-faces"
    for name in ("training.xml", "testing.xml"):
        for image in ET.parse(d / name).getroot().iter("image"):
            for box in image.iter("box"):
                a = {k: float(box.get(k)) for k in ("left", "top", "width", "height")}
                yield d / image.get("file"), (a["left"], a["top"], a["width"], a["height"])


def mmpose(root):
    d = root / "mmpose-face-samples"
    for js in sorted(d.glob("*/*.json")):
        doc = json.loads(js.read_text())
        files = {img["id"]: js.parent / img["file_name"] for img in doc["images"]}
        seen = set()
        for a in doc["annotations"]:
            if "face_box" in a:
                box = a["face_box"] if a.get("face_valid") else None
            else:
                box = a["bbox"]
            if box and box[2] > 0 and box[3] > 0:
                seen.add(a["image_id"])
                yield files[a["image_id"]], tuple(box)
        for image_id, path in files.items():
            if image_id not in seen:
                yield path, None


def readers(data):
    """(set name, reader, root) of every set to evaluate: the research sets when DATA is given,
    else the free subset in tests/data."""
    if not data or data == "none":
        return [("face-mask", face_mask, FREE)]
    root = Path(data)
    return [("face-mask", face_mask, root), ("dlib", dlib, root), ("mmpose", mmpose, root)]


def main():
    for name, reader, root in readers(sys.argv[1] if len(sys.argv) > 1 else ""):
        for path, box in reader(root):
            text = "-" if box is None else " ".join(f"{v:.2f}" for v in box)
            print(f"{name}\t{path.resolve()}\t{text}")


if __name__ == "__main__":
    main()
