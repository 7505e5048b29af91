"""AccessBot: a chat front door to least-privilege AWS access."""
