"""Entry point of `python -m deploy`."""

import sys

from .cli import main

sys.exit(main())
