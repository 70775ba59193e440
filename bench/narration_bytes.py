"""Bytes of recorded narration: per minute as browsers record it, per lesson, per path.

The bitrate is chosen in hue_literacy/narration/services.py (Opus mono, 24 kbit/s). This bench
measures what Chromium's MediaRecorder really writes at that rate (container included): its
microphone is fed a WAV of lesson text read by espeak-ng's Central Vietnamese voice
(`--use-file-for-fake-audio-capture`; Chromium's beep when espeak-ng is not installed), recorded
for RECORD_SECONDS. The length of each lesson's narration is the length of its steps' speech
text read by espeak-ng at a slow 130 words a minute (words / 130 without espeak-ng), so
bytes per lesson = minutes x measured bytes per minute; recordings the content folder ships
are counted as they are. Prints one line per Vietnamese lesson and the run_all results.
Run: .venv/bin/python bench/narration_bytes.py
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import result  # noqa: E402

from hue_literacy.config import PROJECT_ROOT  # noqa: E402
from hue_literacy.content.release import load_release  # noqa: E402
from hue_literacy.content.speech import step_speech_text  # noqa: E402
from hue_literacy.narration.media import sniff  # noqa: E402
from hue_literacy.narration.services import BITRATE, MAX_SECONDS  # noqa: E402

RECORD_SECONDS = 12
WORDS_PER_MINUTE = 130  # a slow, clear reading for elderly learners
ESPEAK = shutil.which("espeak-ng")
CHROMIUM = "/usr/bin/chromium"
PER_LESSON_GOAL = 500_000  # less than one phone photo


def speech_seconds(text: str, folder: Path) -> float:
    """How long `text` takes to read aloud: espeak-ng's slow Hue voice, else by word count."""
    if not ESPEAK:
        return len(text.split()) / WORDS_PER_MINUTE * 60
    out = folder / "speech.wav"
    subprocess.run([ESPEAK, "-v", "vi-vn-x-central", "-s", str(WORDS_PER_MINUTE), "-w",
                    str(out), text], check=True, capture_output=True)
    with wave.open(str(out)) as sound:
        return sound.getnframes() / sound.getframerate()


def recorded_bytes_per_minute(release, folder: Path) -> tuple[float, str]:
    """Record RECORD_SECONDS with Chromium's MediaRecorder at BITRATE; bytes per minute."""
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream"]
    source = "Chromium's fake beep"
    if ESPEAK:
        text = " ".join(step_speech_text(step, "vi")
                        for lesson in list(release.lessons["vi"].values())[:6]
                        for step in lesson.steps)
        wav = folder / "voice.wav"
        subprocess.run([ESPEAK, "-v", "vi-vn-x-central", "-s", str(WORDS_PER_MINUTE), "-w",
                        str(wav), text], check=True, capture_output=True)
        args.append(f"--use-file-for-fake-audio-capture={wav}")
        source = "espeak-ng Vietnamese (Central) speech"
    page_dir = folder / "page"
    page_dir.mkdir()
    (page_dir / "index.html").write_text("<!doctype html><title>rec</title>")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        page = browser.new_page()
        page.goto((page_dir / "index.html").as_uri())
        data = page.evaluate("""async ([bitrate, seconds]) => {
            const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
            const recorder = new MediaRecorder(stream, { mimeType: 'audio/webm;codecs=opus',
                                                         audioBitsPerSecond: bitrate });
            const chunks = [];
            recorder.ondataavailable = (event) => chunks.push(event.data);
            const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
            recorder.start();
            await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
            recorder.stop();
            await stopped;
            return [...new Uint8Array(await new Blob(chunks).arrayBuffer())];
        }""", [BITRATE, RECORD_SECONDS])
        browser.close()
    body = bytes(data)
    facts = sniff(body)
    seconds = (facts.duration_ms or RECORD_SECONDS * 1000) / 1000
    return len(body) / seconds * 60, f"{source}, {len(body):,} bytes in {seconds:.1f} s"


def main() -> None:
    release = load_release(PROJECT_ROOT / "content")
    folder = Path(tempfile.mkdtemp(prefix="hue-narration-bench-"))
    try:
        per_minute, how = recorded_bytes_per_minute(release, folder)
        print(f"Opus mono at {BITRATE // 1000} kbit/s as recorded: {per_minute:,.0f} bytes per "
              f"minute ({how}); nominal {BITRATE * 60 // 8:,}")
        lengths = "espeak-ng at 130 words/min" if ESPEAK else "words / 130 a minute"
        print(f"\n{'lesson (vi)':<34}{'steps':>6}{'minutes':>9}{'bytes':>11}  ({lengths})")
        sizes: dict[str, int] = {}
        longest_step = 0.0
        for lesson in release.lessons["vi"].values():
            seconds = 0.0
            shipped = 0
            for step in lesson.steps:
                recording = release.narration["vi"].get((lesson.id, step.id))
                if recording is not None and not recording.stale:
                    shipped += recording.size
                    continue
                step_seconds = speech_seconds(step_speech_text(step, "vi"), folder)
                longest_step = max(longest_step, step_seconds)
                seconds += step_seconds
            sizes[lesson.id] = round(seconds / 60 * per_minute) + shipped
            print(f"{lesson.id:<34}{len(lesson.steps):>6}{seconds / 60:>9.1f}"
                  f"{sizes[lesson.id]:>11,}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    median = statistics.median(sizes.values())
    path = release.framework.path("elderly")
    path_bytes = sum(sizes.get(lesson_id, 0) for lesson_id in path)
    print(f"\nall {len(sizes)} lessons: {sum(sizes.values()):,} bytes; median lesson "
          f"{median:,.0f}; largest {max(sizes.values()):,}; the elderly path "
          f"({len(path)} lessons) {path_bytes:,}; longest step {longest_step:.0f} s "
          f"(limit {MAX_SECONDS} s)")
    result("narration bytes per minute (Opus 24 kbit/s)", "<= 200 KB",
           f"{per_minute / 1000:.0f} KB", per_minute <= 200_000, note=how)
    result("narration audio per lesson (vi, median)", "<= 500 KB", f"{median / 1000:.0f} KB",
           median <= PER_LESSON_GOAL)
    # No goal: a path is downloaded once, on Wi-Fi, by the learner's choice (path-audio.js).
    result("narration audio of the elderly path (vi)", "Wi-Fi, once",
           f"{path_bytes / 1e6:.1f} MB", None, note=f"{len(path)} lessons")


if __name__ == "__main__":
    main()
