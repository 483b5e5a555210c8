"""A ZIP archive written from members deflated beforehand, possibly in other threads or in an earlier build.

Python's `zipfile` deflates each member itself, one after the other, while it writes: it can neither take a
member deflated by an earlier build nor deflate several at once. Deflating (zlib) lets go of the
interpreter lock, so members deflated in threads use the machine's other cores; a member whose bytes did
not change since the last build is read back already deflated from `MemberCache`.

The layout is the ZIP format's simplest (PKWARE APPNOTE 6.3): each member's local header and data, then the
central directory, then its end record (ZIP64 end records only past 65,535 members or 4 GiB).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import struct
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from .cachefolder import CacheFolder

LEVEL = 6
LOCAL = struct.Struct("<IHHHHHIIIHH")
CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
END = struct.Struct("<IHHHHIIH")
ZIP64_END = struct.Struct("<IQHHIIQQQQ")
ZIP64_LOCATOR = struct.Struct("<IIQI")
LIMIT = 0xFFFFFFFF
VERSION = 20  # deflate
UNIX = 3 << 8
UTF8_NAME = 0x800
FILE_MODE = 0o644 << 16


class ArchiveTooLarge(Exception):
    """A member or the archive passes what this writer handles; the message is in French."""


@dataclass(frozen=True)
class Member:
    """One file of the archive: its name, the CRC-32 and size of its bytes, and those bytes deflated."""

    name: str
    crc: int
    size: int
    deflated: bytes


def deflate(data: bytes) -> bytes:
    """Raw deflate (no zlib header), as a ZIP member holds it: what `zipfile` writes at the same level."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


class MemberCache(CacheFolder):
    """Members of earlier builds, deflated, by a digest of what they were made from (the caller's `key`):
    an unchanged file is neither deflated nor rewritten again. A member may carry a note (the offline copy
    keeps a page's search entry there).

    Entries not used by the last archive are removed by `prune`, so the folder holds one archive's worth.
    """

    HEADER = struct.Struct("<IQI")

    @staticmethod
    def key(*parts: bytes) -> str:
        digest = hashlib.blake2b(digest_size=16, person=b"commun-zip")
        for part in parts:
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
        return digest.hexdigest()

    def load(self, key: str, name: str) -> tuple[Member, bytes] | None:
        """The member `name` made from what `key` digests, and its note, if an earlier build made it."""
        try:
            data = self.entry(key).read_bytes()
        except FileNotFoundError:
            return None
        crc, size, length = self.HEADER.unpack_from(data)
        start = self.HEADER.size + length
        return Member(name, crc, size, data[start:]), data[self.HEADER.size : start]

    def store(self, key: str, item: Member, note: bytes = b"") -> None:
        self.write(key, self.HEADER.pack(item.crc, item.size, len(note)) + note + item.deflated)


def member(name: str, data: bytes) -> Member:
    """The member `name` holding `data`, deflated; called from several threads at once."""
    return Member(name, zlib.crc32(data), len(data), deflate(data))


class ZipWriter:
    """Writes members to `stream` in the order given, every one dated `date` (midnight)."""

    def __init__(self, stream: BinaryIO, date: dt.date) -> None:
        self.stream = stream
        self.time = 0
        self.date = ((date.year - 1980) << 9) | (date.month << 5) | date.day
        self.offset = 0
        self.central: list[bytes] = []

    def add(self, item: Member) -> None:
        name = item.name.encode("utf-8")
        flags = 0 if name.isascii() else UTF8_NAME
        if max(item.size, len(item.deflated), self.offset) > LIMIT:
            raise ArchiveTooLarge(f"copie hors ligne : plus de 4 Gio ({item.name}), trop pour cette archive")
        common = (flags, zlib.DEFLATED, self.time, self.date, item.crc, len(item.deflated), item.size, len(name))
        header = LOCAL.pack(0x04034B50, VERSION, *common, 0)
        entry = CENTRAL.pack(0x02014B50, UNIX | VERSION, VERSION, *common, 0, 0, 0, 0, FILE_MODE, self.offset)
        self.central.append(entry + name)
        self.stream.write(header)
        self.stream.write(name)
        self.stream.write(item.deflated)
        self.offset += len(header) + len(name) + len(item.deflated)

    def close(self) -> None:
        start = self.offset
        directory = b"".join(self.central)
        self.stream.write(directory)
        count, size = len(self.central), len(directory)
        if count > 0xFFFF or start > LIMIT:
            end64 = start + size
            record = (ZIP64_END.size - 12, UNIX | 45, 45, 0, 0, count, count, size, start)
            self.stream.write(ZIP64_END.pack(0x06064B50, *record))
            self.stream.write(ZIP64_LOCATOR.pack(0x07064B50, 0, end64, 1))
            self.stream.write(END.pack(0x06054B50, 0, 0, 0xFFFF, 0xFFFF, LIMIT, LIMIT, 0))
        else:
            self.stream.write(END.pack(0x06054B50, 0, 0, count, count, size, start, 0))
