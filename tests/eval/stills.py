#!/usr/bin/env python3
"""Feeds still images through surg-anonymize as 2-second segments of one stream and reads back
what the tool let out, per image. Used by faces.sh and oob.sh (stdlib + ffmpeg only).

A NUT stream has one frame size, so images are grouped by (even-cropped) size; each group is ONE
surg-anonymize process whose input is the group's images one after another, each repeated for
SEGMENT seconds at FPS. Each image must be its own segment of real time because the tool's
behaviour is temporal: the face tile schedule needs full_cycle frames to look at the whole
frame, boxes are held for --hold + one cycle, and the out-of-body state is left only after
--oob-exit of in-body frames. The frame looked at is the LAST of each segment (by then the
previous image's boxes have expired and the oob state has settled) unless look_at names another
second of the segment: face look-ahead draws the NEXT image's boxes back onto the last frames
before it (doc/privacy.md), which a still's score must not count.

Pipeline of a group (bash):
  { ffmpeg stills 1-32 -> raw yuv; ffmpeg stills 33-64 -> raw yuv; ... } | tee >(input frames) |
  ffmpeg raw -> NUT (+ silent stereo audio) | surg-anonymize ARGS | ffmpeg NUT -> looked-at frames
Groups run two at a time (two cores)."""
import concurrent.futures
import os
import shlex
import subprocess
from collections import OrderedDict

CHUNK = 32  # images an ffmpeg (producer)


def probe_size(path):
    out = subprocess.run(
        ["timeout", "-k", "2", "30", "ffprobe", "-v", "error", "-select_streams", "v:0",
         "-show_entries", "stream=width,height", "-of", "csv=p=0", path],
        check=True, capture_output=True, text=True, stdin=subprocess.DEVNULL).stdout.split(",")
    return int(out[0]), int(out[1])


def even_size(path, upscale_below=0):
    """(w, h, scale): the size fed to the tool. Images narrower than upscale_below are enlarged
    by an integer factor first (MVOR frames are 12x reduced OR camera frames)."""
    w, h = probe_size(path)
    k = 1
    if upscale_below and w < upscale_below:
        k = -(-upscale_below // w)
    return (w * k) // 2 * 2, (h * k) // 2 * 2, k


def group_by_size(paths, upscale_below=0):
    groups = OrderedDict()
    for p in paths:
        w, h, k = even_size(p, upscale_below)
        groups.setdefault((w, h, k), []).append(p)
    return groups


class Runner:
    def __init__(self, work, fps, segment, tool_args, select_filter, timeout, look_at=None):
        self.work, self.fps, self.segment = work, fps, segment
        n = self.frames_per_image
        self.looked_at = n - 1 if look_at is None else min(n - 1, int(round(look_at * fps)))
        self.tool_args, self.select_filter, self.timeout = tool_args, select_filter, timeout
        self.with_first = False  # also keep the very first frame of the stream (oob: the slate)

    @property
    def frames_per_image(self):
        return int(round(self.fps * self.segment))

    def producer(self, paths, w, h, k):
        """Shell commands writing each image as SEGMENT seconds of raw yuv420p frames. One ffmpeg
        joins up to CHUNK images with the concat filter (each image its own looped input, cut
        to its frames): an ffmpeg an image spent most of an evaluation starting processes, and
        the concat demuxer loses segments when consecutive images differ in codec or size by a
        pixel. Each image's frames are byte for byte those of an ffmpeg of its own."""
        scale = f"scale=iw*{k}:ih*{k}:flags=bilinear," if k > 1 else ""
        n = self.frames_per_image
        parts = []
        for c in range(0, len(paths), CHUNK):
            chunk = paths[c:c + CHUNK]
            inputs = " ".join(f"-loop 1 -framerate {self.fps} -i {shlex.quote(p)}" for p in chunk)
            chains = "".join(f"[{i}:v]{scale}crop={w}:{h}:0:0,format=yuv420p,setsar=1,trim=end_frame={n}[v{i}];"
                             for i in range(len(chunk)))
            joined = "".join(f"[v{i}]" for i in range(len(chunk)))
            parts.append(f"ffmpeg -nostdin -v error {inputs} -filter_complex "
                         f"'{chains}{joined}concat=n={len(chunk)}:v=1:a=0[out]' -map '[out]' -f rawvideo -")
        return "{ " + "; ".join(parts) + "; }"

    def looked_at_frames(self, source_opts, out, vf):
        """ffmpeg reading a stream and writing the looked-at frame of every segment as raw gray/rgb."""
        n = self.frames_per_image
        first = "+eq(n\\,0)" if self.with_first else ""
        return (f"ffmpeg -nostdin -v error {source_opts} -i - -an "
                f"-vf \"select='eq(mod(n\\,{n})\\,{self.looked_at}){first}',{vf}\" -fps_mode passthrough "
                f"-f rawvideo {shlex.quote(out)}")

    def run_group(self, index, size, paths):
        w, h, k = size
        base = os.path.join(self.work, f"group{index:03d}")
        raw = f"-f rawvideo -pix_fmt yuv420p -s {w}x{h} -framerate {self.fps}"
        cmd = (
            f"set -o pipefail; {self.producer(paths, w, h, k)} | "
            f"tee >({self.looked_at_frames(raw, base + '.in', self.select_filter)}) | "
            f"ffmpeg -nostdin -v error {raw} -i - -f lavfi -i anullsrc=r=48000:cl=stereo -shortest "
            f"-c:v rawvideo -c:a pcm_s16le -f nut - | "
            f"surg-anonymize {self.tool_args} 2>{shlex.quote(base + '.log')} | "
            f"{self.looked_at_frames('-f nut', base + '.out', self.select_filter)}; "
            f"status=$?; wait; exit $status")
        r = subprocess.run(["timeout", "-k", "5", str(self.timeout), "bash", "-c", cmd],
                           capture_output=True, text=True)
        if r.returncode != 0:
            log = open(base + ".log").read()[-2000:] if os.path.exists(base + ".log") else ""
            raise RuntimeError(f"group {w}x{h} failed ({r.returncode}): {r.stderr[-2000:]}\n{log}")
        return base + ".in", base + ".out"

    def run(self, groups):
        """Yields (paths, (w, h, k), input file, output file) per group, two groups at a time."""
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            futures = {pool.submit(self.run_group, i, size, paths): (size, paths)
                       for i, (size, paths) in enumerate(groups.items())}
            for f in concurrent.futures.as_completed(futures):
                size, paths = futures[f]
                yield paths, size, *f.result()


def split_frames(path, count, frame_bytes):
    data = open(path, "rb").read()
    if len(data) != count * frame_bytes:
        raise RuntimeError(f"{path}: {len(data)} bytes, expected {count} frames of {frame_bytes}")
    return [data[i * frame_bytes:(i + 1) * frame_bytes] for i in range(count)]
