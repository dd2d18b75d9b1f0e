"""Numbered schema migrations. Append only: a database at version N runs N+1 onwards, in order.

The schema version lives in SQLite's `PRAGMA user_version`.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: renders, per-guild settings, daily-post slots
    """
    CREATE TABLE renders (
        id           TEXT PRIMARY KEY,
        code         TEXT NOT NULL,        -- the replay code: the whole recipe
        custom_quote TEXT,                 -- travels beside the code, never inside it
        byte_limit   INTEGER NOT NULL,
        priority     INTEGER NOT NULL,
        owner        INTEGER NOT NULL,     -- Discord user id
        guild        INTEGER,
        channel      INTEGER,
        message      INTEGER,
        status       TEXT NOT NULL CHECK (status IN ('queued', 'done', 'failed', 'cancelled')),
        created_at   REAL NOT NULL,        -- unix seconds
        finished_at  REAL,
        timings      TEXT,                 -- JSON: seconds per stage
        device       TEXT,
        versions     TEXT,                 -- JSON: bot, torch and quote-model versions
        error        TEXT
    );
    CREATE INDEX renders_unfinished ON renders (created_at) WHERE status = 'queued';
    CREATE INDEX renders_owner ON renders (owner, created_at);

    CREATE TABLE guild_settings (
        guild INTEGER NOT NULL,
        key   TEXT NOT NULL,
        value TEXT NOT NULL,               -- JSON
        PRIMARY KEY (guild, key)
    );

    CREATE TABLE daily_slots (
        guild      INTEGER NOT NULL,
        day        TEXT NOT NULL,          -- YYYY-MM-DD in the guild's posting time zone
        status     TEXT NOT NULL CHECK (status IN ('claimed', 'posted')),
        render_id  TEXT REFERENCES renders (id),
        message    INTEGER,
        claimed_at REAL NOT NULL,
        posted_at  REAL,
        PRIMARY KEY (guild, day)
    );
    """,
    # 2: delivery marks, so a result finished but never posted (a crash between the two) is
    #    found and posted on the next start
    """
    ALTER TABLE renders ADD COLUMN delivered_at REAL;
    CREATE INDEX renders_undelivered ON renders (finished_at)
        WHERE status = 'done' AND delivered_at IS NULL;
    """,
    # 3: when the bot logged in to Discord, so a crash loop slows down by itself (Discord resets
    #    a token after 1000 logins in a day)
    """
    CREATE TABLE logins (at REAL NOT NULL);
    CREATE INDEX logins_at ON logins (at);
    """,
    # 4: the feeds (Mastodon, Bluesky): each feed's daily slots, the mentions it answers (each
    #    exactly once), and its own state (the notification cursor, a Bluesky session)
    """
    CREATE TABLE feed_slots (
        feed       TEXT NOT NULL,          -- the feed's name in the settings
        day        TEXT NOT NULL,          -- YYYY-MM-DD in the feed's time zone
        status     TEXT NOT NULL CHECK (status IN ('claimed', 'posted')),
        render_id  TEXT REFERENCES renders (id),
        post_id    TEXT,                   -- the service's id of the post (status id, at:// uri)
        claimed_at REAL NOT NULL,
        posted_at  REAL,
        PRIMARY KEY (feed, day)
    );
    CREATE TABLE feed_mentions (
        feed       TEXT NOT NULL,
        mention    TEXT NOT NULL,          -- the service's id of the mentioning post
        author     TEXT NOT NULL,          -- who asked (account id or DID)
        status     TEXT NOT NULL CHECK (status IN ('claimed', 'answered', 'ignored')),
        request    TEXT NOT NULL,          -- JSON: what the reply needs (post ids, handle, text)
        render_id  TEXT REFERENCES renders (id),
        reply_id   TEXT,
        claimed_at REAL NOT NULL,
        answered_at REAL,
        PRIMARY KEY (feed, mention)
    );
    CREATE INDEX feed_mentions_render ON feed_mentions (render_id);
    CREATE TABLE feed_state (
        feed  TEXT NOT NULL,
        key   TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (feed, key)
    );
    """,
    # 5: what a render job makes: "" a still (every job before), "loop:S:F" an animated loop,
    #    "grid:STRENGTH" a Vary's 2x2 grid (bot/forms.py)
    """
    ALTER TABLE renders ADD COLUMN form TEXT NOT NULL DEFAULT '';
    """,
    # 6: a server's own defaults and limits for requests from it (/settings; bot/discordbot/
    #    server.py), and the index /history and /replay's suggestions read a person's renders by
    """
    CREATE TABLE server_settings (
        guild      INTEGER PRIMARY KEY,
        value      TEXT NOT NULL,          -- JSON: only what the server changed
        changed_at REAL NOT NULL,
        changed_by INTEGER NOT NULL        -- the member who changed it last
    );
    CREATE INDEX renders_history ON renders (owner, status, created_at);
    """,
)
