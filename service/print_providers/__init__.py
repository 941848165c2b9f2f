"""Print providers: who prints and posts a pack when it does not go into a local print batch."""
