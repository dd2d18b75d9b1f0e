"""`python -m bot.jobs worker ...`: the queue's verbs, until bot/cli.py carries them."""

import argparse
import sys

from bot.errors import UserError
from bot.jobs.commands import add_parsers


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.jobs")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args()
    try:
        return args.func(args)
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
