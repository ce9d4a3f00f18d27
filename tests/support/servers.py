"""What the suite's loopback servers share."""

# `serve_forever` looks for a shutdown once a poll interval (half a second by default), and a
# test that starts a server waits that long at its end.
QUICK_SHUTDOWN = {"poll_interval": 0.01}
