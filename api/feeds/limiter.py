"""Per-IP limit on feed misses (unknown or revoked tokens), so tokens cannot be guessed.

Kept in memory: a restart forgets it, which is fine for a brake on guessing 256-bit
secrets. Time comes from the service clock.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from datetime import datetime, timedelta


class MissLimiter:
    def __init__(self, *, limit: int, window_seconds: float, max_clients: int = 100_000) -> None:
        self.limit = limit
        self.window = timedelta(seconds=window_seconds)
        self.max_clients = max_clients
        self._misses: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, ip: str, now: datetime) -> deque[datetime]:
        misses = self._misses.get(ip)
        if misses is None:
            return deque()
        while misses and misses[0] <= now - self.window:
            misses.popleft()
        if not misses:
            del self._misses[ip]
        return misses

    def retry_after(self, ip: str, now: datetime) -> int | None:
        """Seconds to wait when `ip` is over the limit, else None."""
        with self._lock:
            misses = self._recent(ip, now)
            if len(misses) < self.limit:
                return None
            return max(1, math.ceil((misses[0] + self.window - now).total_seconds()))

    def record_miss(self, ip: str, now: datetime) -> None:
        with self._lock:
            if ip not in self._misses and len(self._misses) >= self.max_clients:
                self._misses.pop(next(iter(self._misses)))  # forget the oldest client
            self._recent(ip, now)
            self._misses.setdefault(ip, deque()).append(now)
