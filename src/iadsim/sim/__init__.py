"""The engine: world set-up, the tick loop and the event log."""
