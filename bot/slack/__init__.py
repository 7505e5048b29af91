"""The Slack front (slack-bolt): listeners, Block Kit builders, message texts."""
