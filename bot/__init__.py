"""cppn-bot: abstract art from random CPPNs, with replay codes."""

__version__ = "0.1.0"
