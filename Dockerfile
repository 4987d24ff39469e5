# newsbot: slim Python base, non-root user, data on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    NEWSBOT_DATABASE_URL=sqlite+aiosqlite:////app/data/newsbot.db

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY digests ./digests
RUN pip install --no-cache-dir . && useradd --create-home --uid 10001 newsbot && mkdir -p /app/data \
    && chown newsbot:newsbot /app/data
COPY config ./config
COPY seeds ./seeds

USER newsbot
VOLUME ["/app/data"]
ENTRYPOINT ["newsbot"]
CMD ["run"]
