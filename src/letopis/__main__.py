"""`python -m letopis …`: the same command line as the `letopis` script."""
from .cli import main

if __name__ == "__main__":
    main()
