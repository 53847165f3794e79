"""Start the harvester-glossary-ls server bundled in this extension with the running interpreter.

The extension runs `<python> -I launch.py --stdio`. Isolated mode (-I) keeps the user's
PYTHONPATH, user site-packages and the current folder out of sys.path, so nothing in the
workspace or the environment can shadow the bundled packages; this file then puts
`libs/cp3XX/` for the running Python first on sys.path. Python 2 must still parse this file far
enough to print the message below, so it uses no f-strings.
"""

# ruff: noqa: UP031, UP036  (old-style on purpose: an old interpreter must reach the message)
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TAG = "cp%d%d" % sys.version_info[:2]
LIBS = os.path.join(HERE, "libs", TAG)
VERSION = "%d.%d" % sys.version_info[:2]


def fail(message):
    sys.stderr.write("harvester-glossary-ls (bundled): " + message + "\n")
    sys.stderr.flush()
    sys.exit(3)


if sys.version_info < (3, 10):
    fail(
        "Python %s at %s is too old: the server needs Python 3.10 or newer. Install Python 3.10 "
        "or newer from python.org or your package manager." % (VERSION, sys.executable)
    )
if sys.implementation.name != "cpython":
    fail("%s is %s; the bundled server needs CPython." % (sys.executable, sys.implementation.name))
if not os.path.isdir(LIBS):
    fail("this build of the extension has no server for Python %s (no %s)." % (VERSION, LIBS))

sys.path.insert(0, LIBS)
try:
    from harvester_glossary_ls.cli import main
except ImportError as e:
    fail(
        "the bundled server does not import with %s (Python %s): %s. This .vsix may be for another "
        "platform or CPU than this interpreter." % (sys.executable, VERSION, e)
    )

sys.argv[0] = "harvester-glossary-ls"
sys.exit(main())
