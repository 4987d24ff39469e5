"""Reading a response body with a hard cap on the **decoded** size.

httpx decodes ``gzip``/``deflate`` itself, but one 64 KiB read of a gzip bomb inflates to about
64 MiB before a caller could count it. We read the raw stream and inflate with
``zlib.decompressobj().decompress(data, max_length)``, so at most ``cap + 1`` decoded bytes ever
exist in memory, whatever the compression ratio.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

from digests.fetch.errors import BodyTooLarge, NetworkError

__all__ = ["ACCEPT_ENCODING", "read_capped"]

#: What we ask for: the encodings we inflate ourselves.
ACCEPT_ENCODING = "gzip, deflate"

_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class _Inflater:
    """One or more concatenated gzip/zlib members, inflated with a bound on each call's output."""

    def __init__(self, encoding: str) -> None:
        self.wbits = _WBITS[encoding]
        self.raw_deflate = False
        self._d = zlib.decompressobj(self.wbits)

    def feed(self, data: bytes, limit: int) -> bytes:
        """Inflate ``data``, returning at most ``limit`` bytes (more are left in the decompressor)."""
        out = bytearray()
        while data and len(out) < limit:
            try:
                out += self._d.decompress(data, limit - len(out))
            except zlib.error:
                if self.wbits == zlib.MAX_WBITS and not self.raw_deflate and not out:
                    # "deflate" servers often send raw deflate without the zlib header
                    self.raw_deflate = True
                    self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise
            data = self._d.unconsumed_tail
            if self._d.eof and self._d.unused_data:  # another member follows
                data = self._d.unused_data
                self._d = zlib.decompressobj(self.wbits)
        return bytes(out)


async def read_capped(url: str, raw: AsyncIterator[bytes], content_encoding: str, cap: int) -> bytes:
    """Read ``raw`` (wire bytes) and return the decoded body; ``BodyTooLarge`` past ``cap`` bytes."""
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip() and c.strip() != "identity"]
    if len(codings) > 1 or (codings and codings[0] not in _WBITS):
        raise NetworkError(url, f"unsupported Content-Encoding {content_encoding!r}")
    inflater = _Inflater(codings[0]) if codings else None
    body = bytearray()
    try:
        async for chunk in raw:
            piece = inflater.feed(chunk, cap + 1 - len(body)) if inflater else chunk
            body += piece
            if len(body) > cap:
                raise BodyTooLarge(url, f"body larger than {_size(cap)} (decoded); nothing kept")
    except zlib.error as exc:
        raise NetworkError(url, f"corrupt {codings[0]} body: {exc}") from None
    return bytes(body)


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n / 2**10:.0f} KiB"
