"""Write cartridges as .imscc zip files, whole or not at all; `academy export cc` calls this."""

from __future__ import annotations

import os
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from academy.export.cartridge import Cartridge, ExportError, build_cartridge, load_course
from academy.export.profiles import DEFAULT_VERSION, PROFILES

# Every entry gets this date, so the same course files always give the same bytes.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)


class CannotWrite(ExportError):
    """The cartridge cannot be written where asked; nothing was left there."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


@dataclass
class Written:
    """One cartridge written to disk."""

    path: Path
    size: int
    cartridge: Cartridge


def default_name(course_id: str, language: str) -> str:
    """`legal-literacy.fr.imscc`: one file per course and language."""
    return f"{course_id}.{language}.imscc"


def export_course(
    root: Path,
    course_id: str,
    *,
    language: str | None = None,
    all_languages: bool = False,
    version: str = DEFAULT_VERSION,
    output: Path | None = None,
) -> list[Written]:
    """Export a course as one cartridge, or one per language (then `output` is a folder).

    Raises InvalidRepository, UnknownCourse, UnknownLanguage or CannotWrite.
    """
    course = load_course(root, course_id)
    languages = course.languages if all_languages else [language or course.languages[0]]
    written = []
    for code in languages:
        cartridge = build_cartridge(course, code, PROFILES[version])
        if all_languages:
            target = (output or Path()) / default_name(course.id, code)
        else:
            target = output or Path(default_name(course.id, code))
        written.append(Written(target, write_zip(cartridge.files, target), cartridge))
    return written


def write_zip(files: dict[str, bytes], target: Path) -> int:
    """Zip `files` (path in the zip → content) to `target` atomically; returns its size.

    The zip goes to a temporary file in the target's folder, then is renamed over the target:
    a failure half-way leaves no partial cartridge that an LMS would half-import.
    """
    temporary = target.parent / f".{target.name}.{secrets.token_hex(4)}.part"
    try:
        # O_EXCL: never write through a file or link that is already there; 0o666 lets the
        # umask decide who may read the cartridge, as for any file the operator makes.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise CannotWrite(target, exc.strerror or str(exc)) from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            with zipfile.ZipFile(stream, "w") as archive:
                for name, data in files.items():
                    entry = zipfile.ZipInfo(name, ZIP_DATE)
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    entry.external_attr = 0o644 << 16  # readable once unpacked
                    archive.writestr(entry, data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise CannotWrite(target, exc.strerror or str(exc)) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target.stat().st_size
