#!/usr/bin/env python3
"""The out-of-body development data and its FIXED train / held-out split, shared by
train_oob.sh (training) and oob_eval.py (measuring through the tool). Stdlib only.

Every item: (path, kind, label, source, split). kind is image|video; label in_body |
out_of_body | ex_vivo_phantom; source a short name (one report line each); split "train",
"heldout" or "report" (never trained on, reported: the phantom and the extra face sets).
The split is by sequence, clip, surgery, session or whole source, never by frames of one
video: a held-out frame never shares a sequence with a training frame.
  cvc-clinicdb      sequences 4, 12, 20, 28 held out (of 14 even-numbered sequences)
  kvasir-seg        trained on (5 images)
  hyperkvasir       2 of its 4 exams trained on (5bf0..., 5c7b...), 2 held out
  endovis2017       held out (whole source: the frame and the clip are one sequence)
  desmoke-lap       clips 16 and 17 held out (of 10 clips)
  endovis15         surgery OP2 held out (of OP1..OP4)
  specular          the Charles_Auguste_2007 figures (figure*) held out
  salazar           held out (whole source)
  mvor              frames 180-239 held out (the last quarter of its one sequence)
  face-mask-kaggle  images numbered 3 mod 4 held out
  dlib              the 2008_00* photos (7) trained on, the other 5 held out
  opencv, skimage photos (messi, astronaut, camera, coffee): trained on
  Megamind video: held out (whole source)
  sksurgeryimage    snapshots-metal-1 session held out (incl. the mock OR)
  mphy0026          session 15-05-00 held out
  endocal           sample_002 held out
  or-theatre-photos held out (whole source: web photos of unknown copyright, never trained on)
  mmpose-face-samples  300w, 300wlp, aflw, cofw trained on; coco, lapa, wflw held out
  skimage LFW face crops: "report" (grey 25x25 crops; never trained on)
  face close-ups cropped from the TRAIN Kaggle photos around their boxes: train only
usage: oob_data.py DATA    prints the items as TSV (path kind label source split)"""
import csv
import glob
import os
import re
import sys


def _source_and_split(path, label):
    """(short source name, split) of a path inside DATA."""
    p = path.replace(os.sep, "/")
    m = re.search(r"seq(\d+)_frame", p)
    if "cvc-clinicdb" in p:
        return "cvc-clinicdb colonoscopy", "heldout" if int(m.group(1)) in (4, 12, 20, 28) else "train"
    if "hyperkvasir" in p:
        return "hyperkvasir GI (OSD)", "train" if re.search(r"/5(bf|c7)", p) else "heldout"
    if "kvasir-seg" in p:
        return "kvasir-seg GI (OSD)", "train"
    if "endovis2017" in p:
        return "endovis2017 robotic" + (" [video frames]" if p.endswith(".mp4") else ""), "heldout"
    if "desmoke-lap" in p:
        clip = int(re.search(r"input_(\d+)_", p).group(1))
        return "desmoke-lap smoky laparoscopy", "heldout" if clip in (16, 17) else "train"
    if "endovis15" in p:
        return "endovis15 colorectal laparoscopy", "heldout" if "OP2" in p else "train"
    if "specular-endoscope" in p:
        return "specular endoscope close-ups", "heldout" if "/figure" in p else "train"
    if "salazar" in p:
        return "salazar smoky cholecystectomy", "heldout"
    if "endoseg-trainingbox" in p:
        return "endoseg training box (phantom)", "report"
    if "mvor" in p:
        frame = int(re.search(r"(\d+)\.png$", p).group(1))
        return "mvor operating room", "heldout" if frame >= 180 else "train"
    if "face-mask-kaggle" in p:
        n = int(re.search(r"(\d+)\.\w+$", p).group(1))
        return "face-mask-kaggle photos", "heldout" if n % 4 == 3 else "train"
    if "dlib-faces" in p:
        return "dlib photos", "train" if "/2008_00" in p else "heldout"
    if "Megamind" in p:
        return "opencv Megamind [video frames]", "heldout"
    if "opencv-samples" in p or "skimage-samples/" in p and "lfw" not in p:
        return "opencv/skimage photos", "train"
    if "sksurgeryimage" in p:
        return "sksurgeryimage laparoscope calibration", "heldout" if "snapshots-metal-1" in p else "train"
    if "mphy0026" in p:
        return "mphy0026 laparoscope calibration", "heldout" if "15-05-00" in p else "train"
    if "endocal" in p:
        return "endocal endoscope calibration", "heldout" if "sample_002" in p else "train"
    if "or-theatre" in p:
        return "or-theatre photos", "heldout"
    raise ValueError(f"no split rule for {path}")


def index(data, folder):
    base = os.path.join(data, folder)
    with open(os.path.join(base, "labels.csv"), newline="") as f:
        for row in csv.DictReader(f):
            path = os.path.normpath(os.path.join(base, row["path"]))
            source, split = _source_and_split(path, row["label"])
            yield path, row["kind"], row["label"], source, split


def face_sets(data):
    """Face photos in no index (they must all be out of body)."""
    for p in sorted(glob.glob(os.path.join(data, "mmpose-face-samples", "*", "*"))):
        if p.endswith((".jpg", ".png")):
            train = re.search(r"/(300w|300wlp|aflw|cofw)/", p)
            yield p, "image", "out_of_body", "mmpose face photos", "train" if train else "heldout"
    for p in sorted(glob.glob(os.path.join(data, "skimage-samples", "lfw_subset", "faces", "*.png"))):
        yield p, "image", "out_of_body", "skimage LFW face crops", "report"


def face_crops(data):
    """Close-ups of the faces >= 40 px wide of the TRAIN Kaggle photos (a box grown 2x around
    its centre): what a scope held near a face sees. Training only (kind crop:x,y,w,h)."""
    base = os.path.join(data, "face-mask-kaggle-dev")
    with open(os.path.join(base, "boxes.csv"), newline="") as f:
        for row in csv.DictReader(f):
            path = os.path.join(base, "images", row["image"])
            x0, y0, x1, y1 = (int(row[k]) for k in ("xmin", "ymin", "xmax", "ymax"))
            if x1 - x0 < 40 or _source_and_split(path, "out_of_body")[1] != "train":
                continue
            w, h = 2 * (x1 - x0), 2 * (y1 - y0)
            x, y = max(0, (x0 + x1) // 2 - w // 2), max(0, (y0 + y1) // 2 - h // 2)
            yield path, f"crop:{x},{y},{w},{h}", "out_of_body", "face-mask-kaggle face close-ups", "train"


def items(data):
    """oob-dev-index, then oob-dev-2, then the extra face sets, then the face close-ups."""
    yield from index(data, "oob-dev-index")
    yield from index(data, "oob-dev-2")
    yield from face_sets(data)
    yield from face_crops(data)


if __name__ == "__main__":
    for item in items(sys.argv[1]):
        print("\t".join(item))
