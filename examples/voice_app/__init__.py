"""A small legacy voice app written against older Cartesia SDKs (bundled example)."""
