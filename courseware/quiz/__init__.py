"""The module quiz: question bank, scoring, attempts, review and trainer statistics."""
