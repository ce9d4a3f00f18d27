"""The module pages: table of contents, pages, side-by-side view, handout, progress."""
