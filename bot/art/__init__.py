"""The CPPN painter: recipe -> weights -> pixels. torch and numpy only."""

from bot.art.code import format_code, parse_code
from bot.art.recipe import Recipe
from bot.art.render import Renderer, render

__all__ = ["Recipe", "Renderer", "format_code", "parse_code", "render"]
