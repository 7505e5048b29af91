"""Intents and slots (one source for the embedded parser and the Lex bot), the parser and the dialog."""
