"""The Twitter-style feeds: Mastodon and Bluesky accounts that post the piece of the day and answer
`@bot paint …` mentions, through the same queue and replay codes as Discord.

One small interface (poster.Poster) with a backend per service (mastodon.py, bluesky.py; each
imported only when a feed uses it); content.py and alt.py turn a Picture into what fits each
service (pure functions); daily.py and mentions.py keep exactly once in SQLite. Nothing here
imports discord.py.
"""
