"""Discord adapter tests: the real discord.py client against the fake Discord on 127.0.0.1."""
