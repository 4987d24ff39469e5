"""newsbot application: handlers, scheduler, CLI and platform adapters."""
