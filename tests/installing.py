"""Installing a plugin project as a user would, offline, into a folder of its own, and running
``essaim`` or pytest with it installed, in a subprocess."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def install_command(project: Path, target: Path) -> list[str]:
    """Install ``project`` into ``target`` without the network.

    With hatchling importable here, build with it in place; otherwise uv builds in isolation
    from its cache, where ``uv sync`` left hatchling when it built essaim itself.
    """
    uv = BIN / "uv" if (BIN / "uv").is_file() else shutil.which("uv")
    assert uv, "uv is needed to install a plugin project (make install puts it in .venv)"
    command = [str(uv), "pip", "install", "--offline", "--no-deps", "--quiet"]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-build-isolation")
    return [*command, "--python", sys.executable, "--target", str(target), str(project)]


def install(project: Path, target: Path) -> None:
    """Install ``project`` into ``target``; fails the test with the installer's output."""
    built = subprocess.run(
        install_command(project, target), capture_output=True, text=True, timeout=120, check=False
    )
    assert built.returncode == 0, f"offline install failed:\n{built.stdout}\n{built.stderr}"


def environment(**extra: str) -> dict[str, str]:
    """This environment without any ESSAIM_ setting of the developer's, plus ``extra``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ESSAIM_")}
    env.pop("PYTHONPATH", None)
    return env | extra


def essaim(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``essaim ARGS`` in ``env``."""
    return subprocess.run(
        [str(BIN / "essaim"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
