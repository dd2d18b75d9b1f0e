"""Pillow: a painting plus a quote -> the finished picture, and its encoding."""

from bot.compose.compositor import Caption, Compositor, Plan

__all__ = ["Caption", "Compositor", "Plan"]
