"""Facilitators' pack downloads: which version of each module they last printed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from academy.learn.queries import CURRENT_VERSION
from academy.models import Module, ModuleVersion, PackDownload, User, utcnow


def last_download(session: Session, user: User, module: Module) -> PackDownload | None:
    """The facilitator's last download of this module's pack, if any."""
    return session.scalar(
        select(PackDownload).where(
            PackDownload.user_id == user.id, PackDownload.module_id == module.id
        )
    )


def record_download(session: Session, user: User, module: Module) -> None:
    """Note that the facilitator downloaded the pack of the module's current version."""
    version_id = session.scalar(
        select(ModuleVersion.id).join(Module, CURRENT_VERSION).where(Module.id == module.id)
    )
    row = last_download(session, user, module)
    if row is None:
        row = PackDownload(user_id=user.id, module_id=module.id)
        session.add(row)
    row.module_version_id = version_id
    row.downloaded_at = utcnow()
