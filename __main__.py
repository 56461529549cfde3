"""`python -m tahaluf`: the same command as `tahaluf`."""

import sys

from tahaluf.cli import main

sys.exit(main())
