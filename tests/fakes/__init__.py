"""Stand-ins for the platforms, served on 127.0.0.1."""
