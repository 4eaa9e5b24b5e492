"""``python -m animagine_prompt`` runs the command line (also under ``accelerate launch -m``)."""

import sys

from animagine_prompt.cli import main

sys.exit(main())
