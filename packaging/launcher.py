"""The frozen app's entry point: the same ``desk`` command as the console script."""

from desk.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
