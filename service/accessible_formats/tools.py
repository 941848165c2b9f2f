"""The operating system's tools that make braille and audio, and whether this machine has them.

Found on FORMAT_TOOLS_PATH (default: the PATH), so a machine without them, or a test pointing the path
nowhere, still runs: those formats then go on the alternative-formats list to be made by hand, and the
screen says why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

from flask import current_app

from service.models import MADE_WITH_TOOLS, PrintFormat

BRAILLE_TABLE = "en-ueb-g2.ctb"  # Unified English Braille, grade 2 (contracted): the UK standard since 2015
# Each tool with the Debian package that provides it, for the message shown when it is missing.
BRAILLE_TOOLS = (("lou_translate", "liblouis-bin"),)
AUDIO_TOOLS = (("espeak-ng", "espeak-ng"), ("ffmpeg", "ffmpeg"), ("ffprobe", "ffmpeg"))
TOOL_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Tools:
    """Where each tool of one format is, or why the format cannot be made here."""

    paths: dict[str, str]
    missing_reason: str = ""

    @property
    def available(self) -> bool:
        return not self.missing_reason

    def run(self, tool: str, *args: str, input_text: str | None = None) -> str:
        """Run `tool` with `args`; return its standard output. A failure raises ToolFailed (no output quoted)."""
        return self._run(tool, args, input_text).stdout

    def run_for_log(self, tool: str, *args: str) -> str:
        """Run `tool`; return what it wrote to standard error (where ffmpeg's meters report)."""
        return self._run(tool, args, None).stderr

    def _run(self, tool: str, args: tuple[str, ...], input_text: str | None) -> subprocess.CompletedProcess:
        try:
            done = subprocess.run(
                [self.paths[tool], *args],
                input=input_text,
                capture_output=True,
                text=True,
                encoding="utf-8",
                timeout=TOOL_TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise ToolFailed(f"{tool} could not run ({type(error).__name__})") from None
        if done.returncode != 0:
            # Not the tool's output: it may quote the text, which holds a name.
            raise ToolFailed(f"{tool} stopped with exit status {done.returncode}")
        return done


class ToolFailed(RuntimeError):
    """A tool ran and failed."""


def tools_path() -> str:
    return current_app.config.get("FORMAT_TOOLS_PATH") or os.environ.get("PATH", os.defpath)


def _find(tools: tuple[tuple[str, str], ...], path: str) -> Tools:
    paths, missing = {}, []
    for tool, package in tools:
        found = shutil.which(tool, path=path)
        if found:
            paths[tool] = found
        else:
            missing.append(f"{tool} (Debian package {package})")
    if missing:
        return Tools(paths, f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not installed")
    return Tools(paths)


@cache
def _braille_tools(path: str) -> Tools:
    tools = _find(BRAILLE_TOOLS, path)
    if not tools.available:
        return tools
    try:
        # The table comes from liblouis-data; without it lou_translate fails on every text.
        tools.run("lou_translate", "--forward", BRAILLE_TABLE, input_text="a\n")
    except ToolFailed:
        return Tools(tools.paths, f"the braille table {BRAILLE_TABLE} (Debian package liblouis-data) is not installed")
    return tools


@cache
def _audio_tools(path: str) -> Tools:
    tools = _find(AUDIO_TOOLS, path)
    if not tools.available:
        return tools
    encoders = tools.run("ffmpeg", "-hide_banner", "-encoders")
    if "libmp3lame" not in encoders:
        return Tools(tools.paths, "ffmpeg was built without the MP3 encoder (libmp3lame)")
    return tools


def braille_tools() -> Tools:
    """liblouis, with the UEB grade 2 table, if this machine has it."""
    return _braille_tools(tools_path())


def audio_tools() -> Tools:
    """espeak-ng and ffmpeg (with its MP3 encoder), if this machine has them."""
    return _audio_tools(tools_path())


def tools_for(print_format: PrintFormat) -> Tools:
    """The tools of braille or audio."""
    return braille_tools() if print_format == PrintFormat.BRAILLE else audio_tools()


def formats_made_here() -> frozenset[PrintFormat]:
    """The formats of MADE_WITH_TOOLS this machine can make: the rest go on the list made by hand."""
    return frozenset(f for f in MADE_WITH_TOOLS if tools_for(f).available)
