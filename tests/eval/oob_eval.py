#!/usr/bin/env python3
"""Out-of-body accuracy of surg-anonymize measured on its OUTPUT PIXELS (issues 3 and 12).

Every still of oob-dev-index, oob-dev-2 and the extra face sets (tests/eval/oob_data.py, which
also fixes the train / held-out split of the shipped model) goes through the tool (--oob
--no-faces) as a 2-second still segment; videos go through whole. A frame is "blanked" when
its luma matches the privacy slate, taken from the first output frame of the same stream (the
tool starts every stream protected, doc/privacy.md): >= 95% of 4096 sampled pixels within +-8.
Counted:
  - images: the last frame of the segment (the state has settled: out-of-body is entered at
    once, in-body is reached after --oob-exit, 1 s, of in-body frames);
  - videos: every frame, except for in-body videos the first --oob-exit + 0.2 s, protected by
    design at the start of a stream.
Each (set, split, label, source) is one line. Label ex_vivo_phantom (an endoscope in a training
box) is reported, not gated. Lines start with '# '; the figures go to SUMMARY as shell
assignments for oob.sh:
  index_*    oob-dev-index (the floors of issue 3)
  dev2_*     oob-dev-2 (smoky / specular laparoscopy, calibration boards, OR photos)
  heldout_*  every frame of the held-out split (never trained on), both indexes
  faces_in_body / faces_total: face photos (Kaggle, dlib, MMPose, LFW, OpenCV/skimage) let through
usage: oob_eval.py DATA WORK SUMMARY [extra surg-anonymize args...]"""
import os
import subprocess
import sys
from collections import defaultdict

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oob_data  # noqa: E402
import stills  # noqa: E402

FPS, SEGMENT = 5, 2.0
OOB_EXIT = 1.0
SAMPLES = 4096
FACE_SOURCES = ("face-mask-kaggle photos", "dlib photos", "mmpose face photos", "skimage LFW face crops",
                "opencv/skimage photos", "opencv Megamind [video frames]")


def matches(frame, reference, n):
    """Whether two luma frames agree on >= 95% of SAMPLES pixels spread over the frame."""
    step = max(1, n // SAMPLES)
    same = sum(1 for i in range(0, n, step) if abs(frame[i] - reference[i]) <= 8)
    return same >= 0.95 * len(range(0, n, step))


def frame_rate(path):
    out = subprocess.run(["timeout", "-k", "2", "30", "ffprobe", "-v", "error",
                          "-select_streams", "v:0", "-show_entries", "stream=r_frame_rate",
                          "-of", "csv=p=0", path], check=True, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    num, den = out.stdout.strip().split("/")
    return float(num) / float(den)


def run_video(path, work, tool_args, index):
    """All output luma frames of a video fed whole through the tool."""
    w, h, _ = stills.even_size(path)
    fps = frame_rate(path)
    base = os.path.join(work, f"video{index}")
    raw = f"-f rawvideo -pix_fmt yuv420p -s {w}x{h} -framerate {fps}"
    cmd = (f"set -o pipefail; ffmpeg -nostdin -v error -i '{path}' -an -vf 'crop={w}:{h}:0:0,format=yuv420p' "
           f"-fps_mode passthrough -f rawvideo - | "
           f"ffmpeg -nostdin -v error {raw} -i - -f lavfi -i anullsrc=r=48000:cl=stereo -shortest "
           f"-c:v rawvideo -c:a pcm_s16le -f nut - | surg-anonymize {tool_args} 2>{base}.log | "
           f"ffmpeg -nostdin -v error -f nut -i - -an -fps_mode passthrough -f rawvideo -pix_fmt gray {base}.out;"
           f" status=$?; wait; exit $status")
    r = subprocess.run(["timeout", "-k", "5", "300", "bash", "-c", cmd], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{path}: pipeline failed ({r.returncode}): {r.stderr[-2000:]}")
    n = w * h
    outs = open(base + ".out", "rb").read()
    if not outs or len(outs) % n:
        raise RuntimeError(f"{path}: {len(outs)} bytes out (frame {n})")
    return [outs[i:i + n] for i in range(0, len(outs), n)], fps, n


def blanked_stills(items, work, tool_args):
    """{path: blanked} for every still, grouped by size (one tool process a size)."""
    # MVOR frames are 53x40 (12x reduced) and LFW crops 25x25: enlarged by an integer factor.
    groups = stills.group_by_size([p for p, kind, *_ in items if kind == "image"], upscale_below=200)
    runner = stills.Runner(work, FPS, SEGMENT, tool_args, "format=gray", timeout=900)
    runner.with_first = True
    result = {}
    for paths, (w, h, _), fin, fout in runner.run(groups):
        n = w * h
        outs = stills.split_frames(fout, len(paths) + 1, n)
        for p, frame in zip(paths, outs[1:]):
            result[p] = matches(frame, outs[0], n)
    return result


def tally_all(data, work, tool_args):
    """{(set, split, label, source): [blanked, total]}."""
    sets = [("index", list(oob_data.index(data, "oob-dev-index"))),
            ("dev2", list(oob_data.index(data, "oob-dev-2"))),
            ("faces", list(oob_data.face_sets(data)))]
    stills_blanked = blanked_stills([i for _, items in sets for i in items], work, tool_args)
    tally = defaultdict(lambda: [0, 0])
    videos = 0
    for name, items in sets:
        for path, kind, label, source, split in items:
            t = tally[(name, split, label, source)]
            if kind == "image":
                t[0] += stills_blanked[path]
                t[1] += 1
                continue
            frames, fps, n = run_video(path, work, tool_args, videos)
            videos += 1
            skip = int(round((OOB_EXIT + 0.2) * fps)) if label == "in_body" else 0
            for frame in frames[skip:]:
                t[0] += matches(frame, frames[0], n)
                t[1] += 1
    return tally


def main():
    data, work, summary = sys.argv[1:4]
    tool_args = " ".join(["--no-live", "--no-faces", "--oob", "--method", "fill"] + sys.argv[4:])
    tally = tally_all(data, work, tool_args)
    sums = defaultdict(lambda: [0, 0])
    for (name, split, label, source), (blanked, total) in sorted(tally.items()):
        print(f"# {name:<5} {split:<7} {label:<15} {source[:44]:<44} blanked {blanked:4d}/{total:<4d}"
              f" ({blanked / total:.3f})")
        short = {"in_body": "in", "out_of_body": "oob"}.get(label)
        if not short:
            continue
        keys = [f"{name}_{short}"] if name != "faces" else []
        if split in ("heldout", "report"):  # report: never trained on
            keys.append(f"heldout_{short}")
        if label == "out_of_body" and source in FACE_SOURCES:
            keys.append("faces")
        for k in keys:
            sums[k][0] += blanked
            sums[k][1] += total
    with open(summary, "w") as f:
        for k in ("index_oob", "index_in", "dev2_oob", "dev2_in", "heldout_oob", "heldout_in", "faces"):
            blanked, total = sums[k]
            print(f"# {k}: blanked {blanked}/{total}")
            f.write(f"{k}_blanked={blanked}\n{k}_total={total}\n")


if __name__ == "__main__":
    main()
