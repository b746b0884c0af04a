"""letopis: a sourced chronicle from Russian-language news."""
__version__ = "0.1.0"
