"""Platform adapters: each translates handler requests and neutral replies for one platform."""

from __future__ import annotations
