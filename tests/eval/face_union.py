#!/usr/bin/env python3
"""Recall and over-redaction of two face evaluation runs combined: a pixel counts as filled
when either run filled it. An estimate of a detector that runs both (a union of their boxes),
made from the kept work folders of two face_eval.py runs over the same data, without the
interplay of one tracker holding both detectors' boxes.
usage: face_union.py DATA WORK_A WORK_B
  e.g. face_eval.py DATA /tmp/a /tmp/a/summary --detector yunet; face_eval.py DATA /tmp/b
       /tmp/b/summary --detector blazeface --score 0.6; face_union.py DATA /tmp/a /tmp/b"""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import face_eval  # noqa: E402
import stills  # noqa: E402


def main():
    data, work_a, work_b = sys.argv[1:4]
    images = face_eval.truth(data)
    total = face_eval.Tally()
    # face_eval.py numbers its groups in this order (stills.Runner.run: group{index:03d}).
    for index, ((w, h, _), paths) in enumerate(stills.group_by_size(list(images)).items()):
        def frames(work, kind):
            return stills.split_frames(os.path.join(work, f"group{index:03d}.{kind}"), len(paths), w * h * 3)
        for p, i, a, b in zip(paths, frames(work_a, "in"), frames(work_a, "out"), frames(work_b, "out")):
            union = (int.from_bytes(face_eval.key_mask(a), "big") |
                     int.from_bytes(face_eval.key_mask(b), "big")).to_bytes(w * h, "big")
            total.add(face_eval.score_image(images[p]["faces"], w, h, union, face_eval.key_mask(i)))
    print(total.line("union"))


if __name__ == "__main__":
    main()
