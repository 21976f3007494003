#!/usr/bin/env python3
"""Out-of-body accuracy of surg-anonymize measured on its OUTPUT PIXELS (issue 3).

Every image of oob-dev-index/labels.csv goes through the tool (--oob --no-faces) as a
2-second still segment; videos go through whole. A frame is "blanked" when its luma matches
the privacy slate card as documented (doc/privacy.md; lib/surg/anonymize/slate.hpp: a plain card
of luma 40, limited range, i.e. 28 in the full-range gray ffmpeg converts to, with one line of
text): >= 95% of 4096 sampled pixels within +-8 of it. The reference is the known card, never
the tool's own output. Counted:
  - images: the last frame of the segment (the state has settled: out-of-body is entered at
    once, in-body is reached after --oob-exit, 1 s, of in-body frames);
  - videos: every frame, except for in-body videos the first --oob-exit + 0.2 s, protected by
    design at the start of a stream.
Label ex_vivo_phantom (an endoscope in a training box) is reported, not gated.
Lines start with '# '; the figures go to SUMMARY as shell assignments for oob.sh.
usage: oob_eval.py DATA WORK SUMMARY [extra surg-anonymize args...]"""
import csv
import os
import subprocess
import sys
from collections import defaultdict

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stills  # noqa: E402

FPS, SEGMENT = 5, 2.0
OOB_EXIT = 1.0
SAMPLES = 4096
SLATE_GRAY = round((40 - 16) * 255 / 219)  # the card's luma 40 (limited) as full-range gray


def matches(frame, n):
    """Whether a luma frame is the slate card on >= 95% of SAMPLES pixels spread over it."""
    step = max(1, n // SAMPLES)
    same = sum(1 for i in range(0, n, step) if abs(frame[i] - SLATE_GRAY) <= 8)
    return same >= 0.95 * len(range(0, n, step))


def read_labels(data):
    base = os.path.join(data, "oob-dev-index")
    with open(os.path.join(base, "labels.csv"), newline="") as f:
        for row in csv.DictReader(f):
            yield os.path.normpath(os.path.join(base, row["path"])), row["kind"], row["label"], row["source"]


def frame_rate(path):
    out = subprocess.run(["timeout", "-k", "2", "30", "ffprobe", "-v", "error",
                          "-select_streams", "v:0", "-show_entries", "stream=r_frame_rate",
                          "-of", "csv=p=0", path], check=True, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    num, den = out.stdout.strip().split("/")
    return float(num) / float(den)


def run_video(path, work, tool_args, index):
    """All output and input luma frames of a video fed whole through the tool."""
    w, h, _ = stills.even_size(path)
    fps = frame_rate(path)
    base = os.path.join(work, f"video{index}")
    raw = f"-f rawvideo -pix_fmt yuv420p -s {w}x{h} -framerate {fps}"
    cmd = (f"set -o pipefail; ffmpeg -nostdin -v error -i '{path}' -an -vf 'crop={w}:{h}:0:0,format=yuv420p' "
           f"-fps_mode passthrough -f rawvideo - | "
           f"tee >(ffmpeg -nostdin -v error {raw} -i - -f rawvideo -pix_fmt gray {base}.in) | "
           f"ffmpeg -nostdin -v error {raw} -i - -f lavfi -i anullsrc=r=48000:cl=stereo -shortest "
           f"-c:v rawvideo -c:a pcm_s16le -f nut - | surg-anonymize {tool_args} 2>{base}.log | "
           f"ffmpeg -nostdin -v error -f nut -i - -an -fps_mode passthrough -f rawvideo -pix_fmt gray {base}.out;"
           f" status=$?; wait; exit $status")
    r = subprocess.run(["timeout", "-k", "5", "300", "bash", "-c", cmd], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{path}: pipeline failed ({r.returncode}): {r.stderr[-2000:]}")
    n = w * h
    ins, outs = open(base + ".in", "rb").read(), open(base + ".out", "rb").read()
    if len(ins) != len(outs) or len(outs) % n:
        raise RuntimeError(f"{path}: {len(ins)} bytes in, {len(outs)} out (frame {n})")
    frames = [outs[i:i + n] for i in range(0, len(outs), n)]
    return frames, fps, n


def main():
    data, work, summary = sys.argv[1:4]
    tool_args = " ".join(["--no-live", "--no-faces", "--oob", "--method", "fill"] + sys.argv[4:])
    rows = list(read_labels(data))
    images = {p: (label, source) for p, kind, label, source in rows if kind == "image"}
    # MVOR frames are 53x40 (12x reduced): enlarge them back to their camera's size.
    groups = stills.group_by_size(list(images), upscale_below=200)
    runner = stills.Runner(work, FPS, SEGMENT, tool_args, "format=gray", timeout=600)
    runner.with_first = True
    tally = defaultdict(lambda: [0, 0])  # (label, source) -> [blanked, total]
    first = [0, 0]  # streams whose first frame is the slate, streams
    for paths, (w, h, _), fin, fout in runner.run(groups):
        n = w * h
        outs = stills.split_frames(fout, len(paths) + 1, n)
        first[0] += matches(outs[0], n)  # the stream starts protected (not yet proven in body)
        first[1] += 1
        for p, frame in zip(paths, outs[1:]):
            t = tally[images[p]]
            t[0] += matches(frame, n)
            t[1] += 1
    for i, (p, kind, label, source) in enumerate(r for r in rows if r[1] == "video"):
        frames, fps, n = run_video(p, work, tool_args, i)
        skip = int(round((OOB_EXIT + 0.2) * fps)) if label == "in_body" else 0
        t = tally[(label, source + " [video frames]")]
        for frame in frames[skip:]:
            t[0] += matches(frame, n)
            t[1] += 1
    results = {"in_body": [0, 0], "out_of_body": [0, 0]}
    fed = {label: sum(t for (lab, src), (_, t) in tally.items() if lab == label and "[video" not in src)
           for label in ("in_body", "out_of_body")}
    for (label, source), (blanked, total) in sorted(tally.items()):
        print(f"# {label:<15} {source[:60]:<60} blanked {blanked:4d}/{total:<4d} ({blanked / total:.3f})")
        if label in results:
            results[label][0] += blanked
            results[label][1] += total
    ib, oob = results["in_body"], results["out_of_body"]
    print(f"# out-of-body frames blanked: {oob[0]}/{oob[1]}  in-body frames blanked: {ib[0]}/{ib[1]}")
    with open(summary, "w") as f:
        f.write(f"oob_blanked={oob[0]}\noob_total={oob[1]}\nin_blanked={ib[0]}\nin_total={ib[1]}\n"
                f"oob_images={fed['out_of_body']}\nin_images={fed['in_body']}\n"
                f"first_slated={first[0]}\nstreams={first[1]}\n")


if __name__ == "__main__":
    main()
