"""The console adapter: posts digests to stdout and answers slash commands read from stdin.

It only translates (a line of text → ``dispatch_line``; a ``Reply`` → terminal text).
"""

from __future__ import annotations

import asyncio
import getpass
import threading
from typing import TextIO

from bot.adapters.console.render import render_text
from bot.delivery import Posted, PostResult, Publisher, Target
from bot.handlers import ChannelRef, UserRef, dispatch_line
from bot.services import Services
from digests.message import Message

__all__ = ["ConsoleAdapter", "ConsolePublisher"]

WORKSPACE = "local"
CHANNEL = "terminal"


class ConsolePublisher:
    """Scheduled posts go to the terminal."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    async def post(self, target: Target, message: Message, *, key: str, attempt: int | None = None) -> PostResult:
        self.out.write(f"[#{target.channel_id}] " + render_text(message) + "\n")
        self.out.flush()
        return Posted(message_id=key)


class ConsoleAdapter:
    """Reads one command per line until end of input (or ``stop``), answering each."""

    name = "console"

    def __init__(self, svc: Services, inp: TextIO, out: TextIO) -> None:
        self.svc = svc
        self.inp = inp
        self.out = out
        self.user = UserRef(id="console", name=getpass.getuser(), is_admin=True)
        self.channel = ChannelRef("console", WORKSPACE, CHANNEL)
        self.publisher: Publisher = ConsolePublisher(out)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def _write(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    async def start(self) -> None:
        """Begin reading commands (the application posts the start-up digests first, through the
        delivery ledger: ``Deliverer.deliver_now``)."""
        self._task = asyncio.create_task(self.serve(self._stop), name="console")

    async def wait(self) -> None:
        if self._task is not None:
            await self._task

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await self._task

    async def serve(self, stop: asyncio.Event) -> None:
        """Answer commands until end of input or until ``stop`` is set."""
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[str | None] = asyncio.Queue()

        def _reader() -> None:  # a thread: works for pipes, files and terminals alike
            for raw in self.inp:
                loop.call_soon_threadsafe(lines.put_nowait, raw)
            loop.call_soon_threadsafe(lines.put_nowait, None)

        threading.Thread(target=_reader, name="console-stdin", daemon=True).start()
        while not stop.is_set():
            getter = asyncio.ensure_future(lines.get())
            stopper = asyncio.ensure_future(stop.wait())
            done, _ = await asyncio.wait({getter, stopper}, return_when=asyncio.FIRST_COMPLETED)
            if getter not in done:
                getter.cancel()
                break
            stopper.cancel()
            raw = getter.result()
            if raw is None:
                break
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            self._write(f"> {line}")
            reply = await dispatch_line(line, self.user, self.channel, self.svc)
            self._write(render_text(reply.message))
