"""`python -m generator` behaves exactly like the `portal` command."""

from generator.cli import main

if __name__ == "__main__":
    main()
