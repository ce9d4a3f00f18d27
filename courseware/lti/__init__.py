"""The LTI 1.3 tool: launched from a learning platform, grades sent back to it."""
