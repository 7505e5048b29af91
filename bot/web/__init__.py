"""The web chat front: the page and its /chat API."""
