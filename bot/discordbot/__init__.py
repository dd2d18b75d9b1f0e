"""The discord.py adapter: slash commands, buttons and the daily post over the render queue.

Thin by design: options become PaintJobs (options.py, pure), the Painter follows them through
the queue to a message, and the DailyPoster keeps each server's daily slot exactly once.
"""
