"""`python -m harvester_glossary_ls` is the same as the console script."""

from harvester_glossary_ls.cli import main

raise SystemExit(main())
